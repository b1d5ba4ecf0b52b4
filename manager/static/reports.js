// The manager's reports: pick a range, a group and a period; see the table per group, the
// compliance trend, arrivals by hour and weekday, and the IKM; download the workbooks and logs.
// The choice lives in the page's address (`?from=&to=&group=&period=&agency=`), so it can be shared.

import { api, ApiError, errorText } from "/static/api.js";
import { renderHeatmap } from "/manager/static/heatmap.js";
import { byId, i18n, state } from "/manager/static/report-page.js";
import { renderIkm, renderTable, renderTotals } from "/manager/static/report-table.js";
import { TrendChart } from "/manager/static/trend-chart.js";

const FIELDS = ["from", "to", "group", "period"];
const IKM_GROUPS = new Set(["all", "agency", "service", "officer"]); // the IKM has no counters
const DEFAULT_DAYS = 7;
const chart = new TrendChart(byId("trend-chart"));

/** The report asked for: the form's fields, and `?agency=` from the address (the hall's admin). */
function choice() {
  const chosen = Object.fromEntries(FIELDS.map((name) => [name, byId(name).value]));
  const agency = new URLSearchParams(window.location.search).get("agency");
  return agency ? { ...chosen, agency } : chosen;
}

function query(values) {
  return new URLSearchParams(Object.entries(values).filter(([, value]) => value)).toString();
}

/** Fill the form from the address, or with the week up to the hall's today. */
function fillForm() {
  const asked = new URLSearchParams(window.location.search);
  const today = document.body.dataset.today;
  const weekAgo = new Date(`${today}T00:00:00Z`);
  weekAgo.setUTCDate(weekAgo.getUTCDate() - (DEFAULT_DAYS - 1));
  const defaults = { from: weekAgo.toISOString().slice(0, 10), to: today, group: "service", period: "day" };
  FIELDS.forEach((name) => {
    const field = byId(name);
    field.value = asked.get(name) || defaults[name];
    if (!field.value) field.value = defaults[name]; // a select given an unknown value
  });
}

async function load() {
  const asked = choice();
  if (!asked.from || !asked.to || asked.to < asked.from) {
    showProblem(i18n.t("bad_range"));
    return;
  }
  window.history.replaceState(null, "", `${window.location.pathname}?${query(asked)}`);
  setDownloads(asked);
  byId("report-status").textContent = i18n.t("loading");
  document.body.dataset.loading = "true";
  try {
    const ikmGroup = IKM_GROUPS.has(asked.group) ? asked.group : "all";
    const [report, ikm] = await Promise.all([
      api(`/api/v1/reports/performance?${query(asked)}`, { lang: i18n.lang }),
      api(`/api/v1/reports/ikm?${query({ ...asked, group: ikmGroup, period: "" })}`, { lang: i18n.lang }),
    ]);
    state.report = report;
    state.ikm = ikm;
    showProblem("");
    renderAll();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    }
    showProblem(i18n.t("load_failed", { message: errorText(error, i18n.t("network_error")) }));
  } finally {
    delete document.body.dataset.loading;
  }
}

/** Point every download at the range shown (the logs take only the range and the agency). */
function setDownloads(asked) {
  const range = { from: asked.from, to: asked.to, agency: asked.agency };
  document.querySelectorAll("a.download").forEach((link) => {
    const file = link.dataset.file;
    const values = file.startsWith("reports/") ? asked : range;
    link.href = `/api/v1/${file}?${query(values)}`;
  });
}

function renderAll() {
  const report = state.report;
  if (!report) return;
  byId("scope").textContent = report.agency
    ? i18n.t("scope_agency", { name: i18n.pick(report.agency) })
    : i18n.t("scope_all");
  const made = report.generated_at.slice(0, 16).replace("T", " ");
  byId("report-status").textContent = i18n.t("loaded", { from: report.from, to: report.to, time: made });
  document.body.dataset.report = `${report.from}/${report.to}/${report.group}/${report.period}`;
  renderTotals();
  renderTable();
  renderIkm();
  renderHeatmap();
  chart.show();
}

function showProblem(text) {
  const problem = byId("load-error");
  problem.textContent = text;
  problem.hidden = !text;
}

function start() {
  i18n.bindToggle();
  i18n.onChange(renderAll);
  i18n.translate();
  fillForm();
  const form = byId("report-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  ["group", "period"].forEach((name) => byId(name).addEventListener("change", load));
  load();
}

start();
