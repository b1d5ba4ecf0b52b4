// What every part of the reports page shares: its words, the report shown, how figures read.

import { duration } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { TEXT } from "/manager/static/reports-text.js";

export const i18n = createI18n(TEXT);
export const byId = (id) => document.getElementById(id);

export const state = {
  report: null, // GET /api/v1/reports/performance
  ikm: [], // GET /api/v1/reports/ikm
};

/** Seconds as "mm:ss" (or "h:mm:ss"); "–" when there is nothing to measure. */
export function seconds(value) {
  return value === null || value === undefined ? "–" : duration(value);
}

/** A share from 0 to 1 as a whole percentage in the page's language; "–" when unknown. */
export function percent(share) {
  if (share === null || share === undefined) return "–";
  const format = new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 });
  return format.format(share);
}

/** The page language's number conventions. */
export function locale() {
  return i18n.lang === "en" ? "en-GB" : "id-ID";
}

/** A group's name in the page's language ("Semua layanan" for the hall as a whole). */
export function groupName(group) {
  return group.id === null && state.report?.group === "all" ? i18n.t("group_all") : i18n.pick(group);
}
