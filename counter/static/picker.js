// Choosing this terminal's counter: from `?counter=`, else remembered on this device.

import { element } from "/static/dom.js";

const STORAGE_KEY = "antre.counter";

/** The counter asked for in the address, else the one remembered, else null. */
export function chosenCounterId() {
  const asked = Number(new URLSearchParams(window.location.search).get("counter"));
  if (Number.isInteger(asked) && asked > 0) return asked;
  try {
    const stored = Number(window.localStorage.getItem(STORAGE_KEY));
    return Number.isInteger(stored) && stored > 0 ? stored : null;
  } catch {
    return null;
  }
}

/** Remember the counter on this device (null forgets it). */
export function rememberCounter(id) {
  try {
    if (id === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, String(id));
  } catch {
    // Without storage the choice lasts as long as the address keeps `?counter=`.
  }
}

/** The counter page's address, for one counter or for the picker (null). */
export function counterUrl(id) {
  const url = new URL("/counter", window.location.origin);
  if (id !== null) url.searchParams.set("counter", id);
  return url.pathname + url.search;
}

/** One list item per counter of the hall: name, status, zone, its officer and what it serves. */
export function counterChoices(hall, i18n) {
  const services = new Map(
    hall.agencies.flatMap((agency) => agency.services).map((service) => [service.id, service]),
  );
  const zones = new Map(hall.zones.map((zone) => [zone.id, zone.name]));
  return hall.counters.map((counter) => {
    const serves = counter.service_ids
      .map((id) => services.get(id))
      .filter(Boolean)
      .map((service) => `${service.prefix} ${i18n.pick(service)}`)
      .join(" · ");
    return element(
      "li",
      {},
      element(
        "button",
        { type: "button", className: "pick", dataset: { counterId: counter.id } },
        element("span", { className: "pick-name" }, counter.name),
        element("span", { className: `status-pill ${counter.status}` }, i18n.t(`counter_${counter.status}`)),
        element("span", { className: "pick-zone" }, zones.get(counter.zone) || ""),
        counter.officer
          ? element("span", { className: "pick-officer" }, i18n.t("taken_by", { name: counter.officer }))
          : null,
        element("span", { className: "pick-services" }, serves || i18n.t("serves_nothing")),
      ),
    );
  });
}
