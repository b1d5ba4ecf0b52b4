// The officer's requests: load the counter, act on its ticket, open/break/close it.

import { coalesce } from "/static/dom.js";
import { call, counter, hideMessages, i18n, showMessage, state } from "/counter/static/page.js";
import { AT_COUNTER } from "/counter/static/rules.js";
import { whoIsSignedIn } from "/counter/static/session.js";
import { renderControls, renderDesk, renderOfficer, renderSettled } from "/counter/static/view.js";

/**
 * Load the shown counter's snapshot and who is signed in, then draw them. An answer overtaken by
 * an action or event (each of which asks for a fresh snapshot again) is dropped.
 */
export async function loadSnapshot() {
  const asked = state.changes;
  const [snapshot, officer] = await Promise.all([
    call(`/api/v1/counters/${state.counterId}`),
    whoIsSignedIn(i18n.lang),
  ]);
  if (state.snapshot && asked !== state.changes) return;
  state.snapshot = snapshot;
  state.officer = officer;
  renderOfficer();
  renderSettled();
}

/** Reload the snapshot shortly, once for a burst of events. */
export const refreshSoon = coalesce(
  () => {
    loadSnapshot().catch((error) => console.warn("counter refresh failed", error));
  },
  250,
  250,
);

/** Run one request with every control disabled; the snapshot is refreshed afterwards. */
export async function whileBusy(effect) {
  state.busy = true;
  state.changes += 1;
  hideMessages();
  renderControls();
  try {
    return await effect();
  } finally {
    state.busy = false;
    renderDesk();
    refreshSoon(); // today's history and lists, as the server now has them
  }
}

/** Keep why a ticket was called (from a call answer or a `ticket_called` event). */
export function rememberReason(ticket) {
  if (ticket?.reason || ticket?.reason_en) {
    state.reasons.set(ticket.id, { id: ticket.reason, en: ticket.reason_en });
  }
}

/** Put a ticket's new state on the desk: it is at this counter now, or no longer. */
export function applyTicket(ticket) {
  const desk = state.snapshot.counter;
  const here = AT_COUNTER.includes(ticket.status) && ticket.counter_id === desk.id;
  if (!here && desk.current?.id !== ticket.id) return ticket;
  if (desk.current?.id !== ticket.id) desk.current_history = [];
  desk.current = here ? ticket : null;
  return ticket;
}

/** Put a counter's new state on the desk, keeping its ticket's history while it is the same. */
export function applyCounter(changed) {
  const before = state.snapshot.counter;
  const same = changed.current && changed.current.id === before.current?.id;
  changed.current_history = same ? before.current_history : [];
  state.snapshot.counter = changed;
}

function ticketAction(path) {
  return call(`/api/v1/tickets/${counter().current.id}/${path}`, {
    method: "POST",
    body: { counter_id: state.counterId },
  }).then(applyTicket);
}

/** Open (take), break (with `{reason}`) or close the shown counter. */
export async function counterAction(path, body) {
  const desk = await call(`/api/v1/counters/${state.counterId}/${path}`, { method: "POST", body });
  applyCounter(desk);
  state.officer.counterId = desk.officer ? desk.id : null;
}

async function callNext() {
  const ticket = await call(`/api/v1/counters/${state.counterId}/call-next`, { method: "POST" });
  if (!ticket) {
    showMessage("notice", i18n.t("nobody_waiting"));
    return;
  }
  rememberReason(ticket);
  applyTicket(ticket);
}

async function recall() {
  const ticket = await ticketAction("recall");
  if (ticket.status === "no_show") {
    showMessage("notice", i18n.t("recall_limit", { number: ticket.number }));
  }
}

async function resumeHeld(ticketId) {
  const ticket = await call(`/api/v1/tickets/${ticketId}/resume`, {
    method: "POST",
    body: { counter_id: state.counterId },
  });
  showMessage("notice", i18n.t("resumed_notice", { number: ticket.number }));
}

/** Actions that need no dialog; `pause` here resumes from a break or opens a closed counter. */
export const EFFECTS = {
  call: callNext,
  recall,
  start: () => ticketAction("start"),
  complete: () => ticketAction("complete"),
  no_show: () => ticketAction("no-show"),
  pause: () => counterAction("open"),
  close: () => counterAction("close"),
  resume_held: resumeHeld,
};
