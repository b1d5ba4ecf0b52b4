// The manager's live dashboard: today's figures per service, counter and kiosk. It loads a
// snapshot over HTTP, follows the `staff` room, and reloads the snapshot (at most once a second)
// when something happens, and after every reconnect. Waiting times tick on by the hall's clock.

import { api, ApiError, errorText } from "/static/api.js";
import { coalesce } from "/static/dom.js";
import { followLive, offlineBanner } from "/static/live.js";
import { applyPrinter, renderCounters, renderKiosks } from "/manager/static/desks.js";
import { byId, i18n, state } from "/manager/static/page.js";
import { ServiceChart } from "/manager/static/service-chart.js";
import { renderAlerts, renderKpis, renderServices, tick } from "/manager/static/view.js";

const REFRESH_MS = 1000;
const chart = new ServiceChart(byId("service-chart"));

// --- the snapshot -----------------------------------------------------------------------

/** `/api/v1/dashboard`, keeping `?agency=` from the page's address (for the hall's admin). */
function dashboardPath() {
  const agency = new URLSearchParams(window.location.search).get("agency");
  return agency ? `/api/v1/dashboard?agency=${encodeURIComponent(agency)}` : "/api/v1/dashboard";
}

async function load() {
  try {
    applySnapshot(await api(dashboardPath(), { lang: i18n.lang }));
    showProblem("");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.location.assign(`/login?next=${encodeURIComponent("/manager" + window.location.search)}`);
    }
    showProblem(i18n.t("load_failed", { message: errorText(error, i18n.t("network_error")) }));
    throw error;
  }
}

/** One load at a time, in order; asked again while loading, it loads once more afterwards. */
let loading = null;
let again = false;
async function refresh() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    try {
      do {
        again = false;
        await load();
      } while (again);
    } finally {
      loading = null;
    }
  })();
  return loading;
}

const refreshSoon = coalesce(() => refresh().catch(() => {}), REFRESH_MS);

function applySnapshot(snapshot) {
  state.snapshot = snapshot;
  state.clock.sync(snapshot.now);
  document.body.dataset.day = snapshot.day;
  state.updatedAt = state.clock.time();
  renderAll();
}

function renderAll() {
  if (!state.snapshot) return;
  const agency = state.snapshot.agency;
  byId("scope").textContent = agency
    ? i18n.t("scope_agency", { name: i18n.pick(agency) })
    : i18n.t("scope_all");
  byId("updated").textContent = i18n.t("updated", { time: state.updatedAt });
  renderKpis();
  renderAlerts();
  renderServices();
  renderCounters();
  renderKiosks();
  chart.show(state.snapshot.services);
}

function showProblem(text) {
  const problem = byId("load-error");
  problem.textContent = text;
  problem.hidden = !text;
}

// --- the clock --------------------------------------------------------------------------

function everySecond() {
  byId("clock").textContent = state.clock.time();
  byId("date").textContent = state.clock.date(i18n.lang);
  tick();
  if (state.snapshot && state.clock.known && hallDay() !== state.snapshot.day) refreshSoon();
}

/** The hall's calendar day now, as the snapshot writes it (a new day starts new figures). */
function hallDay() {
  return state.clock.wall().toISOString().slice(0, 10);
}

// --- live -------------------------------------------------------------------------------

const EVENTS = {
  ticket_issued: refreshSoon,
  ticket_called: refreshSoon,
  ticket_recalled: refreshSoon,
  ticket_updated: refreshSoon,
  queue_changed: refreshSoon,
  counter_changed: refreshSoon,
  print_result: refreshSoon,
  printer_status(kiosk) {
    applyPrinter(kiosk);
    refreshSoon();
  },
};

function start() {
  i18n.bindToggle();
  i18n.onChange(() => {
    renderAll();
    everySecond();
  });
  i18n.translate();
  window.setInterval(everySecond, 1000);
  followLive({
    rooms: () => ["staff"],
    reload: refresh,
    events: EVENTS,
    onStatus: offlineBanner(byId("live-banner")),
  });
}

start();
