// The counter terminal: a signed-in officer picks a counter, then calls, serves, transfers,
// holds and finishes visitors, takes breaks, and closes the counter.

import { followLive, offlineBanner } from "/static/live.js";
import {
  EFFECTS,
  applyCounter,
  applyTicket,
  loadSnapshot,
  refreshSoon,
  rememberReason,
  whileBusy,
} from "/counter/static/actions.js";
import { DIALOG_ACTIONS, bindDialogs } from "/counter/static/desk-dialogs.js";
import { dialogOpen } from "/counter/static/dialogs.js";
import {
  allowed,
  byId,
  call,
  counter,
  failureText,
  hideMessages,
  i18n,
  showMessage,
  state,
} from "/counter/static/page.js";
import { chosenCounterId, counterUrl, rememberCounter } from "/counter/static/picker.js";
import { actionForKey } from "/counter/static/rules.js";
import { signOut, whoIsSignedIn } from "/counter/static/session.js";
import {
  renderControls,
  renderDesk,
  renderOfficer,
  renderPicker,
  renderSettled,
  renderTimers,
  showPicker,
} from "/counter/static/view.js";

// --- doing things -----------------------------------------------------------------------

/** One officer action, by button, key or list row; actions that need words open a dialog. */
async function perform(name, ticketId = null) {
  const desk = counter();
  if (!allowed(name, desk)) return;
  if (DIALOG_ACTIONS[name] && (name !== "pause" || desk.status === "open")) {
    DIALOG_ACTIONS[name](ticketId);
    return;
  }
  try {
    await whileBusy(() => EFFECTS[name](ticketId));
  } catch (error) {
    showMessage("error", failureText(error));
  }
}

/** The focused element matching `selector`, unless it sits in a dialog that has just closed. */
function focusedControl(target, selector) {
  const control = target.closest(selector);
  return control && !control.closest("dialog:not([open])") ? control : null;
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (byId("desk").hidden || dialogOpen()) return;
  // Focus may still be in a dialog that Escape has just closed: that field takes no keys.
  const target = event.target;
  if (focusedControl(target, "input, textarea, select, [contenteditable]")) return;
  if (event.key === "Enter" && focusedControl(target, "button, a")) return; // it has the Enter
  const name = actionForKey(event.key);
  if (!name) return;
  event.preventDefault();
  perform(name);
}

async function pickCounter(id) {
  if (state.busy) return;
  state.busy = true;
  hideMessages();
  try {
    const desk = await call(`/api/v1/counters/${id}/open`, { method: "POST" });
    state.officer.counterId = desk.id;
    rememberCounter(id);
    window.history.replaceState(null, "", counterUrl(id));
    state.busy = false;
    await showDesk(id);
  } catch (error) {
    showMessage("error", failureText(error));
    loadHall().then(renderPicker, () => {}); // the counter may have been taken meanwhile
  } finally {
    state.busy = false;
    renderControls();
  }
}

// --- live events ------------------------------------------------------------------------

/** Is the event about the shown counter? Then a snapshot on its way is stale (one follows). */
function shown(id) {
  if (id !== state.counterId || !state.snapshot) return false;
  state.changes += 1;
  return true;
}

const EVENTS = {
  counter_changed({ counter: changed }) {
    if (!shown(changed.id)) return;
    applyCounter(changed);
    renderSettled();
    refreshSoon();
  },
  ticket_called({ ticket, counter: at }) {
    if (!shown(at.id)) return;
    rememberReason(ticket);
    applyTicket(ticket);
    renderSettled();
    refreshSoon();
  },
  ticket_recalled({ ticket, counter: at }) {
    if (!shown(at.id)) return;
    applyTicket(ticket);
    renderSettled();
    refreshSoon();
  },
  ticket_updated({ ticket }) {
    if (!shown(state.counterId)) return;
    applyTicket(ticket);
    renderSettled();
    refreshSoon();
  },
  queue_changed({ service_id: serviceId, waiting }) {
    if (!shown(state.counterId)) return;
    const service = state.snapshot?.services.find((item) => item.id === serviceId);
    if (service) service.waiting = waiting;
    renderSettled();
    refreshSoon();
  },
};

async function showDesk(id) {
  state.counterId = id;
  byId("picker").hidden = true;
  byId("desk").hidden = false;
  try {
    await loadSnapshot();
  } catch (error) {
    showMessage("error", failureText(error));
  }
  followLive({
    rooms: () => [`counter:${state.counterId}`],
    reload: loadSnapshot,
    events: EVENTS,
    onStatus: offlineBanner(byId("live-banner")),
  });
}

// --- start ------------------------------------------------------------------------------

/** Retry `load` until it answers, showing why it did not meanwhile. */
async function untilLoaded(load) {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      return await load();
    } catch (error) {
      showMessage("error", failureText(error));
      await new Promise((resolve) => window.setTimeout(resolve, delay));
    }
  }
}

async function loadHall() {
  state.hall = await call("/api/v1/hall");
  state.clock.sync(state.hall.now);
}

function tick() {
  byId("clock").textContent = state.clock.time();
  renderTimers();
}

function bindControls() {
  document.querySelectorAll("[data-dismiss]").forEach((button) => {
    button.addEventListener("click", () => {
      byId(button.dataset.dismiss).hidden = true;
    });
  });
  document.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", () => perform(button.dataset.action));
  });
  ["queue", "held"].forEach((list) => {
    byId(list).addEventListener("click", (event) => {
      const button = event.target.closest("button[data-row-action]");
      if (button) perform(button.dataset.rowAction, Number(button.dataset.ticketId));
    });
  });
  byId("counter-list").addEventListener("click", (event) => {
    const button = event.target.closest("button.pick");
    if (button) pickCounter(Number(button.dataset.counterId));
  });
  byId("switch-counter").addEventListener("click", () => {
    rememberCounter(null);
    window.location.assign(counterUrl(null));
  });
  byId("sign-out").addEventListener("click", () => {
    whileBusy(() => signOut(i18n.lang)).catch((error) => showMessage("error", failureText(error)));
  });
  document.addEventListener("keydown", onKey);
  bindDialogs();
}

/** The counter to show: the officer's open one, else the one asked for or remembered. */
async function chooseCounter() {
  const asked = chosenCounterId();
  const id = state.officer.counterId ?? asked;
  if (id !== null && state.hall.counters.some((item) => item.id === id)) {
    rememberCounter(id);
    window.history.replaceState(null, "", counterUrl(id));
    await showDesk(id);
    return;
  }
  if (id !== null) {
    rememberCounter(null);
    showMessage("error", i18n.t("unknown_counter", { id }));
  }
  showPicker();
}

async function start() {
  i18n.translate();
  i18n.bindToggle();
  i18n.onChange(() => {
    renderPicker();
    renderDesk();
  });
  bindControls();
  window.setInterval(tick, 1000);

  await untilLoaded(async () => {
    const [officer] = await Promise.all([whoIsSignedIn(i18n.lang), loadHall()]);
    state.officer = officer;
  });
  hideMessages();
  renderOfficer();
  tick();
  await chooseCounter();
}

start();
