// The totals tiles and the table: for each group, a row per period and a total row.

import { element, fill } from "/static/dom.js";
import { byId, groupName, i18n, percent, seconds, state } from "/manager/static/report-page.js";

const COLUMNS = [
  ["arrivals", "col_arrivals", (row) => String(row.arrivals)],
  ["served", "col_served", (row) => String(row.served)],
  ["no_shows", "col_no_shows", (row) => String(row.no_shows)],
  ["transferred", "col_transferred", (row) => String(row.transferred)],
  ["cancelled", "col_cancelled", (row) => String(row.cancelled)],
  ["open", "col_open", (row) => String(row.open)],
  ["wait_mean", "col_wait_mean", (row) => seconds(row.wait_mean_s)],
  ["wait_median", "col_wait_median", (row) => seconds(row.wait_median_s)],
  ["wait_p90", "col_wait_p90", (row) => seconds(row.wait_p90_s)],
  ["service_mean", "col_service_mean", (row) => seconds(row.service_mean_s)],
  ["within_target", "col_within", (row) => percent(row.within_target)],
  ["no_show_rate", "col_no_show_rate", (row) => percent(row.no_show_rate)],
];
const WIDTH = COLUMNS.length + 1;

export function renderTotals() {
  const total = state.report.total;
  byId("total-arrivals").textContent = String(total.arrivals);
  byId("total-served").textContent = String(total.served);
  byId("total-no-shows").textContent = String(total.no_shows);
  byId("total-wait").textContent = seconds(total.wait_mean_s);
  byId("total-within").textContent = percent(total.within_target);
}

export function renderTable() {
  const t = i18n.t;
  fill(
    byId("report-head"),
    element("th", { scope: "col" }, t("col_period")),
    ...COLUMNS.map(([, label]) => element("th", { scope: "col", className: "num" }, t(label))),
  );
  const table = byId("report-table");
  table.querySelectorAll("tbody").forEach((body) => body.remove());
  const groups = state.report.groups;
  if (!groups.length) {
    const empty = element("td", { colSpan: WIDTH, className: "empty" }, t("no_tickets"));
    table.append(element("tbody", {}, element("tr", {}, empty)));
    return;
  }
  table.append(...groups.map(groupBody));
}

function groupBody(group) {
  const heading = element("th", { scope: "rowgroup", colSpan: WIDTH }, groupName(group));
  return element(
    "tbody",
    { className: "report-group", dataset: { groupId: group.id ?? "none", groupCode: group.code ?? "" } },
    element("tr", { className: "agency-row" }, heading),
    ...group.periods.map((row) => figureRow(row.label, row, "period-row", row.label)),
    figureRow(i18n.t("total_row"), group.total, "total-row", "total"),
  );
}

function figureRow(label, figures, className, period) {
  return element(
    "tr",
    { className, dataset: { period } },
    element("th", { scope: "row" }, label),
    ...COLUMNS.map(([field, , text]) =>
      element("td", { className: "num", dataset: { field } }, text(figures)),
    ),
  );
}

export function renderIkm() {
  const rows = state.ikm.map((row) =>
    element(
      "tr",
      { className: "ikm-row", dataset: { groupId: row.id ?? "none" } },
      element("th", { scope: "row" }, row.group === "all" ? i18n.t("ikm_all") : row.name),
      element("td", { className: "num", dataset: { field: "respondents" } }, String(row.respondents)),
      element("td", { className: "num", dataset: { field: "ikm" } }, ikmText(row.ikm)),
      element(
        "td",
        { dataset: { field: "grade" } },
        `${row.grade} · ${i18n.lang === "en" ? row.grade_name_en : row.grade_name}`,
      ),
    ),
  );
  if (!rows.length) rows.push(element("tr", {}, element("td", { colSpan: 4, className: "empty" }, i18n.t("ikm_none"))));
  fill(byId("ikm-rows"), ...rows);
}

/** "86.11" as the page's language writes it: "86,11" in Indonesian. */
function ikmText(value) {
  return i18n.lang === "en" ? value : value.replace(".", ",");
}
