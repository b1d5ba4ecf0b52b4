// What every part of the dashboard shares: its words, its state, and how figures read.

import { HallClock, duration } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { TEXT } from "/manager/static/text.js";

export const i18n = createI18n(TEXT);
export const byId = (id) => document.getElementById(id);

export const state = {
  snapshot: null, // GET /api/v1/dashboard
  clock: new HallClock(null),
  updatedAt: "", // the hall's time of the snapshot shown
};

/** Seconds as "mm:ss" (or "h:mm:ss"); "–" when there is nothing to measure. */
export function seconds(value) {
  return value === null || value === undefined ? "–" : duration(value);
}

/** A share from 0 to 1 as a whole percentage in the page's language; "–" when unknown. */
export function percent(share) {
  if (share === null || share === undefined) return "–";
  const format = new Intl.NumberFormat(i18n.lang === "en" ? "en-GB" : "id-ID", {
    style: "percent",
    maximumFractionDigits: 0,
  });
  return format.format(share);
}

/** How long the oldest uncalled visitor has waited, by the hall's clock, or null. */
export function waitedSeconds(since) {
  return since ? Math.max(0, state.clock.since(since)) : null;
}

/** Is a service's queue past its target right now? */
export function isLate(service) {
  const waited = waitedSeconds(service.waiting_since);
  return waited !== null && waited > service.target_s;
}

/** The services late right now, the worst first. */
export function lateServices(services) {
  return services
    .filter(isLate)
    .sort(
      (a, b) =>
        waitedSeconds(b.waiting_since) - b.target_s - (waitedSeconds(a.waiting_since) - a.target_s),
    );
}
