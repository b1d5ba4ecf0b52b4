// Drawing the page from its state: the officer, the picker, the desk and its lists.

import { element, fill } from "/static/dom.js";
import { duration } from "/static/format.js";
import { counterChoices } from "/counter/static/picker.js";
import { allowed, byId, counter, i18n, state, takenByOther } from "/counter/static/page.js";
import { pauseMeaning } from "/counter/static/rules.js";
import { PRESET_REASONS } from "/counter/static/text.js";
import {
  callReason,
  heldRows,
  historyRows,
  priorityText,
  queueRows,
  serviceCounts,
  transferOrigin,
} from "/counter/static/tickets.js";

export function renderOfficer() {
  const user = state.officer.user;
  byId("officer").hidden = !user;
  byId("sign-out").hidden = !user;
  byId("officer-name").textContent = user ? user.name || user.username : "";
}

export function showPicker() {
  byId("desk").hidden = true;
  byId("picker").hidden = false;
  byId("switch-counter").hidden = true;
  byId("counter-status").hidden = true;
  byId("break-reason").hidden = true;
  byId("counter-name").textContent = "";
  renderPicker();
}

export function renderPicker() {
  const { hall } = state;
  if (!hall || byId("picker").hidden) return;
  const items = counterChoices(hall, i18n);
  if (items.length) fill(byId("counter-list"), ...items);
  else fill(byId("counter-list"), element("li", { className: "empty" }, i18n.t("no_counters")));
}

function setText(id, text) {
  byId(id).textContent = text;
  byId(id).hidden = !text;
}

function renderHeader(desk) {
  byId("counter-name").textContent = desk.name;
  document.title = `${desk.name} — Antre`;
  const pill = byId("counter-status");
  pill.textContent = i18n.t(`counter_${desk.status}`);
  pill.className = `status-pill ${desk.status}`;
  pill.hidden = false;
  const preset = PRESET_REASONS[desk.break_reason];
  setText("break-reason", desk.status !== "break" ? "" : preset ? i18n.t(preset) : desk.break_reason || "");
  const taken = takenByOther(desk);
  setText("taken", taken ? i18n.t("taken_notice", { counter: desk.name, name: desk.officer }) : "");
  byId("switch-counter").hidden = Boolean(desk.officer) && !taken; // close your counter first
}

export function renderDesk() {
  const desk = counter();
  if (!desk) return;
  renderHeader(desk);
  renderCurrent(desk);
  renderControls();
  renderLists();
}

/**
 * Draw news from events and refreshes, unless a request is in flight: it draws when it ends, so
 * what the officer sees always matches the buttons that are enabled.
 */
export function renderSettled() {
  if (!state.busy) renderDesk();
}

function renderCurrent(desk) {
  const ticket = desk.current;
  const history = (ticket && desk.current_history) || [];
  byId("current").classList.toggle("empty", !ticket);
  byId("current").dataset.status = ticket ? ticket.status : "none";
  byId("current-number").textContent = ticket ? ticket.number : "—";
  const idle = i18n.t(desk.status === "break" ? "on_break" : "nobody");
  byId("current-service").textContent = ticket ? i18n.pick(ticket, "service") : idle;
  let status = ticket ? i18n.t(`ticket_${ticket.status}`) : "";
  if (ticket?.recall_count) status += ` · ${i18n.t("recall_count", { n: ticket.recall_count })}`;
  byId("current-status").textContent = status;
  setText("current-priority", priorityText(ticket, i18n));
  const reason = ticket ? callReason(ticket, state.reasons, history, i18n.lang) : "";
  byId("current-reason-text").textContent = reason;
  byId("current-reason").hidden = !reason;
  const origin = ticket ? transferOrigin(history, state.hall, i18n) : "";
  setText("current-origin", origin);
  const note = ticket?.note && !origin.endsWith(ticket.note) ? ticket.note : "";
  setText("current-note", note ? i18n.t("ticket_note", { note }) : "");
  renderTimers();
}

export function renderTimers() {
  const ticket = counter()?.current;
  const since = (iso) => (iso ? duration(state.clock.since(iso)) : "—");
  byId("since-called").textContent = since(ticket?.called_at);
  byId("since-issued").textContent = since(ticket?.issued_at);
}

/** Enable exactly the buttons whose action fits now. */
export function renderControls() {
  const desk = counter();
  document.querySelectorAll("[data-action]").forEach((button) => {
    button.disabled = !allowed(button.dataset.action, desk);
  });
  document.querySelectorAll("[data-row-action]").forEach((button) => {
    button.disabled = !allowed(button.dataset.rowAction, desk);
  });
  byId("pause-label").textContent = i18n.t(pauseMeaning(desk));
  byId("sign-out").disabled = state.busy;
}

export function renderLists() {
  const snapshot = state.snapshot;
  if (!snapshot) return;
  fill(byId("queues"), ...serviceCounts(snapshot.services, i18n));
  fill(byId("queue"), ...queueRows(snapshot.queue ?? [], i18n, allowed("call_ticket")));
  fill(byId("held"), ...heldRows(snapshot.held ?? [], i18n, allowed("resume_held")));
  byId("served-today").textContent = i18n.t("served_today", { n: snapshot.served_today ?? 0 });
  fill(byId("history"), ...historyRows(snapshot.today ?? [], i18n));
}
