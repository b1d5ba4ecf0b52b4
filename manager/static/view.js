// The figures: the headline tiles, the alerts and the table of services.
// Waiting times grow between events: `tick()` moves them on by the hall's clock every second.

import { element, fill } from "/static/dom.js";
import {
  byId,
  i18n,
  isLate,
  lateServices,
  percent,
  seconds,
  state,
  waitedSeconds,
} from "/manager/static/page.js";

const ROW_FIGURES = [
  ["served", (service) => String(service.served)],
  ["wait_mean", (service) => seconds(service.wait_mean_s)],
  ["wait_median", (service) => seconds(service.wait_median_s)],
  ["wait_p90", (service) => seconds(service.wait_p90_s)],
  ["service_mean", (service) => seconds(service.service_mean_s)],
  ["service_median", (service) => seconds(service.service_median_s)],
  ["service_p90", (service) => seconds(service.service_p90_s)],
  ["within_target", (service) => percent(service.within_target)],
  ["no_show_rate", (service) => percent(service.no_show_rate)],
];
let shownLate = ""; // the late services the alert list shows, as "id,id"

function setKpi(name, value, note = "") {
  byId(`kpi-${name}`).textContent = value;
  byId(`kpi-${name}-note`).textContent = note;
}

export function renderKpis() {
  const { totals, services } = state.snapshot;
  const t = i18n.t;
  const queues = services.filter((service) => service.waiting > 0).length;
  setKpi("waiting", String(totals.waiting), t("kpi_waiting_note", { n: queues }));
  setKpi("served", String(totals.served), t("kpi_served_note", { n: totals.visits }));
  setKpi(
    "wait",
    seconds(totals.wait_mean_s),
    t("kpi_wait_note", { median: seconds(totals.wait_median_s), p90: seconds(totals.wait_p90_s) }),
  );
  setKpi("within", percent(totals.within_target), t("kpi_within_note"));
  setKpi("no-show", percent(totals.no_show_rate), t("kpi_no_show_note", { n: totals.no_shows }));
  const counters = totals.counters;
  setKpi("counters", String(counters.open + counters.serving), t("kpi_counters_note", counters));
  renderLongest();
}

function renderLongest() {
  const late = lateServices(state.snapshot.services).length;
  setKpi(
    "longest",
    seconds(waitedSeconds(state.snapshot.totals.waiting_since)),
    late ? i18n.t("kpi_longest_note", { n: late }) : i18n.t("kpi_longest_ok"),
  );
  byId("kpi-longest").closest(".kpi").classList.toggle("is-late", late > 0);
}

export function renderAlerts() {
  const late = lateServices(state.snapshot.services);
  const ids = late.map((service) => service.id).join(",");
  if (ids !== shownLate) announce(late);
  shownLate = ids;
  byId("alerts").hidden = late.length === 0;
  fill(byId("alert-list"), ...late.map(alertItem));
}

/** Say it once when the set of late queues changes (the list itself ticks silently). */
function announce(late) {
  const names = late.map((service) => `${service.prefix} ${i18n.pick(service)}`).join(", ");
  byId("alert-news").textContent = late.length ? i18n.t("alert_news", { services: names }) : "";
}

function alertItem(service) {
  return element(
    "li",
    { className: "alert-item", dataset: { serviceCode: service.code } },
    element("strong", { className: "alert-service" }, `${service.prefix} ${i18n.pick(service)}`),
    element("span", { className: "alert-agency" }, i18n.pick(service, "agency")),
    element(
      "span",
      { className: "alert-longest" },
      `${i18n.t("alert_longest")} `,
      element(
        "strong",
        { className: "tabular", dataset: { since: service.waiting_since } },
        seconds(waitedSeconds(service.waiting_since)),
      ),
    ),
    element(
      "span",
      { className: "alert-detail" },
      i18n.t("alert_detail", { target: seconds(service.target_s), waiting: service.waiting }),
    ),
  );
}

export function renderServices() {
  const services = state.snapshot.services;
  const agencies = new Set(services.map((service) => service.agency_id));
  const rows = [];
  services.forEach((service, index) => {
    if (agencies.size > 1 && service.agency_id !== services[index - 1]?.agency_id) {
      rows.push(agencyRow(service));
    }
    rows.push(serviceRow(service));
  });
  if (!rows.length) rows.push(emptyRow(i18n.t("no_services")));
  fill(byId("service-rows"), ...rows);
}

function agencyRow(service) {
  const heading = element("th", { scope: "rowgroup", colSpan: 12 }, i18n.pick(service, "agency"));
  return element("tr", { className: "agency-row" }, heading);
}

function emptyRow(text) {
  return element("tr", {}, element("td", { colSpan: 12, className: "empty" }, text));
}

function serviceRow(service) {
  const minutes = Math.round(service.target_s / 60);
  const name = element(
    "th",
    { scope: "row" },
    element(
      "div",
      { className: "service-name" },
      element("span", { className: "prefix number" }, service.prefix),
      element("span", { className: "name" }, i18n.pick(service)),
      element("small", { className: "target" }, i18n.t("target", { minutes })),
      element("span", { className: "late-badge" }, i18n.t("late")),
    ),
  );
  const longest = element("td", { className: "num longest", dataset: { field: "longest" } });
  const cells = ROW_FIGURES.map(([field, text]) =>
    element("td", { className: "num", dataset: { field } }, text(service)),
  );
  const waiting = element("td", { className: "num", dataset: { field: "waiting" } }, String(service.waiting));
  const [served, ...rest] = cells;
  const row = element(
    "tr",
    { className: "service-row", dataset: { serviceCode: service.code, serviceId: service.id } },
    name,
    waiting,
    longest,
    served,
    ...rest,
  );
  tickRow(row, service);
  return row;
}

function tickRow(row, service) {
  row.querySelector('[data-field="longest"]').textContent = seconds(
    waitedSeconds(service.waiting_since),
  );
  row.classList.toggle("is-late", isLate(service));
}

/** Move every running wait on by the clock; show an alert the moment a queue passes its target. */
export function tick() {
  if (!state.snapshot) return;
  const byCode = new Map(state.snapshot.services.map((service) => [service.code, service]));
  byId("service-rows")
    .querySelectorAll("tr.service-row")
    .forEach((row) => {
      const service = byCode.get(row.dataset.serviceCode);
      if (service) tickRow(row, service);
    });
  renderLongest();
  const late = lateServices(state.snapshot.services);
  if (late.map((service) => service.id).join(",") !== shownLate) {
    renderAlerts();
    return;
  }
  byId("alert-list")
    .querySelectorAll("[data-since]")
    .forEach((cell) => {
      cell.textContent = seconds(waitedSeconds(cell.dataset.since));
    });
}
