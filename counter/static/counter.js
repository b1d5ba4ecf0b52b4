// The counter terminal: pick a counter, then call, recall, serve and finish visitors.

import { api, errorText } from "/static/api.js";
import { coalesce, element, fill } from "/static/dom.js";
import { HallClock, clockText, duration } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { followLive, offlineBanner } from "/static/live.js";
import { chosenCounterId, counterChoices, counterUrl, rememberCounter } from "/counter/static/picker.js";
import { AT_COUNTER, RULES, actionForKey, pauseMeaning } from "/counter/static/rules.js";
import { TEXT } from "/counter/static/text.js";

const i18n = createI18n(TEXT);
const byId = (id) => document.getElementById(id);
const state = { hall: null, counterId: null, snapshot: null, clock: new HallClock(null), busy: false };

// --- messages ---------------------------------------------------------------------------

function showMessage(kind, text) {
  byId(`${kind}-text`).textContent = text;
  byId(kind).hidden = false;
}

function hideMessages() {
  byId("error").hidden = true;
  byId("notice").hidden = true;
}

// --- picking a counter ------------------------------------------------------------------

function showPicker() {
  byId("desk").hidden = true;
  byId("picker").hidden = false;
  byId("switch-counter").hidden = true;
  byId("counter-status").hidden = true;
  byId("counter-name").textContent = "";
  renderPicker();
}

function renderPicker() {
  const { hall } = state;
  if (!hall || byId("picker").hidden) return;
  const items = counterChoices(hall, i18n);
  if (items.length) fill(byId("counter-list"), ...items);
  else fill(byId("counter-list"), element("li", { className: "empty" }, i18n.t("no_counters")));
}

async function pickCounter(id) {
  if (state.busy) return;
  state.busy = true;
  hideMessages();
  try {
    await api(`/api/v1/counters/${id}/open`, { method: "POST", lang: i18n.lang });
    rememberCounter(id);
    window.location.assign(counterUrl(id));
  } catch (error) {
    showMessage("error", errorText(error, i18n.t("network_error")));
    state.busy = false;
  }
}

// --- the desk ---------------------------------------------------------------------------

async function loadSnapshot() {
  state.snapshot = await api(`/api/v1/counters/${state.counterId}`, { lang: i18n.lang });
  renderDesk();
}

const refreshSoon = coalesce(() => {
  loadSnapshot().catch((error) => console.warn("counter refresh failed", error));
}, 300);

function counter() {
  return state.snapshot?.counter ?? null;
}

function renderDesk() {
  const desk = counter();
  if (!desk) return;
  byId("counter-name").textContent = desk.name;
  document.title = `${desk.name} — Antre`;
  const pill = byId("counter-status");
  pill.textContent = i18n.t(`counter_${desk.status}`);
  pill.className = `status-pill ${desk.status}`;
  pill.hidden = false;
  renderCurrent();
  renderActions();
  renderQueues();
  renderHistory();
}

function renderCurrent() {
  const ticket = counter()?.current;
  byId("current").classList.toggle("empty", !ticket);
  byId("current").dataset.status = ticket ? ticket.status : "none";
  byId("current-number").textContent = ticket ? ticket.number : "—";
  byId("current-service").textContent = ticket
    ? i18n.lang === "en"
      ? ticket.service_en
      : ticket.service
    : i18n.t("nobody");
  let status = ticket ? i18n.t(`ticket_${ticket.status}`) : "";
  if (ticket && ticket.recall_count) status += ` · ${i18n.t("recall_count", { n: ticket.recall_count })}`;
  byId("current-status").textContent = status;
  renderTimers();
}

function renderTimers() {
  const ticket = counter()?.current;
  byId("since-called").textContent = ticket?.called_at ? duration(state.clock.since(ticket.called_at)) : "—";
  byId("since-issued").textContent = ticket?.issued_at ? duration(state.clock.since(ticket.issued_at)) : "—";
}

function renderActions() {
  const desk = counter();
  document.querySelectorAll("[data-action]").forEach((button) => {
    button.disabled = state.busy || !desk || !RULES[button.dataset.action].fits(desk);
  });
  byId("pause-label").textContent = i18n.t(pauseMeaning(desk));
}

function renderQueues() {
  const services = state.snapshot?.services ?? [];
  fill(
    byId("queues"),
    ...services.map((service) =>
      element(
        "li",
        { className: service.waiting ? "queue" : "queue none" },
        element("span", { className: "queue-prefix" }, service.prefix),
        element("span", { className: "queue-name" }, i18n.pick(service)),
        element("span", { className: "queue-count" }, i18n.t("waiting", { n: service.waiting })),
      ),
    ),
  );
  byId("served-today").textContent = i18n.t("served_today", { n: state.snapshot?.served_today ?? 0 });
}

function renderHistory() {
  const events = state.snapshot?.today ?? [];
  if (!events.length) {
    fill(byId("history"), element("li", { className: "empty" }, i18n.t("history_empty")));
    return;
  }
  fill(
    byId("history"),
    ...events.map((event) =>
      element(
        "li",
        { className: `history-item ${event.kind}` },
        element("time", { className: "tabular" }, clockText(event.at)),
        element("span", { className: "history-number number" }, event.number),
        element("span", { className: "history-kind" }, i18n.t(`kind_${event.kind}`)),
      ),
    ),
  );
}

// --- actions ----------------------------------------------------------------------------

function ticketAction(path) {
  return () =>
    api(`/api/v1/tickets/${counter().current.id}/${path}`, {
      method: "POST",
      body: { counter_id: state.counterId },
      lang: i18n.lang,
    }).then(applyTicket);
}

function counterAction(path) {
  return () =>
    api(`/api/v1/counters/${state.counterId}/${path}`, { method: "POST", lang: i18n.lang }).then(
      (desk) => {
        state.snapshot.counter = desk;
      },
    );
}

function applyTicket(ticket) {
  state.snapshot.counter.current = AT_COUNTER.includes(ticket.status) ? ticket : null;
  return ticket;
}

async function callNext() {
  const ticket = await api(`/api/v1/counters/${state.counterId}/call-next`, {
    method: "POST",
    lang: i18n.lang,
  });
  if (ticket) applyTicket(ticket);
  else showMessage("notice", i18n.t("nobody_waiting"));
}

async function recall() {
  const ticket = await ticketAction("recall")();
  if (ticket.status === "no_show") showMessage("notice", i18n.t("recall_limit", { number: ticket.number }));
}

const EFFECTS = {
  call: callNext,
  recall,
  start: ticketAction("start"),
  complete: ticketAction("complete"),
  no_show: ticketAction("no-show"),
  pause: () => counterAction(counter().status === "open" ? "break" : "open")(),
  close: counterAction("close"),
};

async function perform(name) {
  const desk = counter();
  if (state.busy || !desk || !RULES[name].fits(desk)) return;
  state.busy = true;
  hideMessages();
  renderActions();
  try {
    await EFFECTS[name]();
  } catch (error) {
    showMessage("error", errorText(error, i18n.t("network_error")));
  } finally {
    state.busy = false;
    renderDesk();
    refreshSoon(); // today's history and counts, as the server now has them
  }
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (byId("desk").hidden) return;
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]")) return;
  if (event.key === "Enter" && target.closest("button, a")) return; // the focused control has it
  const name = actionForKey(event.key);
  if (!name) return;
  event.preventDefault();
  perform(name);
}

// --- live events ------------------------------------------------------------------------

const mine = (id) => id === state.counterId && state.snapshot;

const EVENTS = {
  counter_changed({ counter: changed }) {
    if (!mine(changed.id)) return;
    state.snapshot.counter = changed;
    renderDesk();
    refreshSoon();
  },
  ticket_called({ ticket, counter: at }) {
    if (!mine(at.id)) return;
    state.snapshot.counter.current = ticket;
    renderDesk();
  },
  ticket_recalled({ ticket, counter: at }) {
    if (!mine(at.id)) return;
    state.snapshot.counter.current = ticket;
    renderDesk();
  },
  ticket_updated({ ticket }) {
    if (!state.snapshot || counter().current?.id !== ticket.id) return;
    applyTicket(ticket);
    renderDesk();
    refreshSoon();
  },
  queue_changed({ service_id: serviceId, waiting }) {
    const service = state.snapshot?.services.find((s) => s.id === serviceId);
    if (!service) return;
    service.waiting = waiting;
    renderQueues();
  },
};

async function showDesk(id) {
  state.counterId = id;
  byId("picker").hidden = true;
  byId("desk").hidden = false;
  byId("switch-counter").hidden = false;
  try {
    await loadSnapshot();
  } catch (error) {
    showMessage("error", errorText(error, i18n.t("network_error")));
  }
  followLive({
    rooms: () => [`counter:${state.counterId}`],
    reload: loadSnapshot,
    events: EVENTS,
    onStatus: offlineBanner(byId("live-banner")),
  });
}

// --- start ------------------------------------------------------------------------------

async function loadHall() {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      state.hall = await api("/api/v1/hall", { lang: i18n.lang });
      state.clock.sync(state.hall.now);
      return;
    } catch (error) {
      showMessage("error", errorText(error, i18n.t("network_error")));
      await new Promise((resolve) => window.setTimeout(resolve, delay));
    }
  }
}

function tick() {
  byId("clock").textContent = state.clock.time();
  renderTimers();
}

async function start() {
  i18n.translate();
  i18n.bindToggle();
  i18n.onChange(() => {
    renderPicker();
    renderDesk();
  });
  document.querySelectorAll("[data-dismiss]").forEach((button) => {
    button.addEventListener("click", () => {
      byId(button.dataset.dismiss).hidden = true;
    });
  });
  document.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", () => perform(button.dataset.action));
  });
  byId("counter-list").addEventListener("click", (event) => {
    const button = event.target.closest("button.pick");
    if (button) pickCounter(Number(button.dataset.counterId));
  });
  byId("switch-counter").addEventListener("click", () => {
    rememberCounter(null);
    window.location.assign(counterUrl(null));
  });
  document.addEventListener("keydown", onKey);
  window.setInterval(tick, 1000);

  await loadHall();
  hideMessages();
  tick();
  const id = chosenCounterId();
  if (id !== null && state.hall.counters.some((c) => c.id === id)) {
    rememberCounter(id);
    await showDesk(id);
    return;
  }
  if (id !== null) {
    rememberCounter(null);
    showMessage("error", i18n.t("unknown_counter", { id }));
  }
  showPicker();
}

start();
