// The desk's dialogs: transfer the current ticket, hold it, start a break with a reason, and
// call one waiting ticket out of turn with a reason.

import { element, fill } from "/static/dom.js";
import { applyTicket, counterAction, rememberReason, whileBusy } from "/counter/static/actions.js";
import { bindDialog, chosenReason, openDialog, refusal } from "/counter/static/dialogs.js";
import { byId, call, counter, i18n, showMessage, state } from "/counter/static/page.js";

const pending = { ticket: null }; // the ticket the open dialog is about

/** Open the dialog an action needs; `ticketId` names a ticket of the queue for call_ticket. */
export const DIALOG_ACTIONS = {
  transfer: () => openTransfer(),
  hold: () => openAbout(byId("hold-dialog"), counter().current),
  pause: () => openAbout(byId("break-dialog"), null),
  call_ticket: (ticketId) => {
    const ticket = state.snapshot.queue.find((item) => item.id === ticketId);
    if (ticket) openAbout(byId("call-dialog"), ticket);
  },
};

function openAbout(dialog, ticket) {
  pending.ticket = ticket;
  openDialog(dialog, ticket?.number ?? "");
}

// --- transfer ---------------------------------------------------------------------------

function services() {
  return (state.hall?.agencies ?? []).map((agency) => ({
    agency,
    services: agency.services.filter((service) => service.closed_reason !== "disabled"),
  }));
}

function serviceOptions() {
  return [
    element("option", { value: "", defaultSelected: true }, i18n.t("transfer_pick_service")),
    ...services()
      .filter((group) => group.services.length)
      .map(({ agency, services: list }) =>
        element(
          "optgroup",
          { label: i18n.pick(agency) },
          ...list.map((service) =>
            element("option", { value: String(service.id) }, `${service.prefix} · ${i18n.pick(service)}`),
          ),
        ),
      ),
  ];
}

function counterOptions(serviceId) {
  const counters = (state.hall?.counters ?? []).filter(
    (item) => item.id !== state.counterId && item.service_ids.includes(serviceId),
  );
  return [
    element("option", { value: "", defaultSelected: true }, i18n.t("transfer_any_counter")),
    ...counters.map((item) =>
      element("option", { value: String(item.id) }, `${item.name} (${i18n.t(`counter_${item.status}`)})`),
    ),
  ];
}

function openTransfer() {
  const form = byId("transfer-dialog").querySelector("form");
  fill(form.elements.service, ...serviceOptions());
  fill(form.elements.counter, ...counterOptions(null));
  form.elements.counter.disabled = true;
  openAbout(byId("transfer-dialog"), counter().current);
}

function onServiceChosen(form) {
  const serviceId = Number(form.elements.service.value);
  fill(form.elements.counter, ...counterOptions(serviceId));
  form.elements.counter.disabled = !serviceId;
}

async function submitTransfer(form) {
  const serviceId = Number(form.elements.service.value);
  if (!serviceId) throw refusal(i18n.t("transfer_need_service"));
  const counterId = Number(form.elements.counter.value) || undefined;
  const ticket = pending.ticket;
  await whileBusy(async () => {
    const moved = await call(`/api/v1/tickets/${ticket.id}/transfer`, {
      method: "POST",
      body: {
        counter_id: state.counterId,
        to_service_id: serviceId,
        to_counter_id: counterId,
        note: form.elements.note.value.trim() || undefined,
      },
    });
    applyTicket(moved);
    const target = counterId
      ? form.elements.counter.selectedOptions[0].textContent.replace(/ \(.*\)$/, "")
      : i18n.pick(moved, "service");
    showMessage("notice", i18n.t("transferred_notice", { number: moved.number, target }));
  });
}

// --- hold, break, call out of turn ------------------------------------------------------

async function submitHold(form) {
  const ticket = pending.ticket;
  await whileBusy(async () => {
    const held = await call(`/api/v1/tickets/${ticket.id}/hold`, {
      method: "POST",
      body: { counter_id: state.counterId, note: form.elements.note.value.trim() || undefined },
    });
    applyTicket(held);
    showMessage("notice", i18n.t("held_notice", { number: held.number }));
  });
}

async function submitBreak(form, submitter) {
  const reason = chosenReason(form, submitter, i18n.t("reason_needed"));
  await whileBusy(() => counterAction("break", { reason }));
}

async function submitCall(form, submitter) {
  const reason = chosenReason(form, submitter, i18n.t("reason_needed"));
  const ticket = pending.ticket;
  await whileBusy(async () => {
    const called = await call(`/api/v1/counters/${state.counterId}/call`, {
      method: "POST",
      body: { ticket_id: ticket.id, reason },
    });
    rememberReason(called);
    applyTicket(called);
  });
}

/** Wire the dialogs once. */
export function bindDialogs() {
  const fallback = () => i18n.t("network_error");
  const transfer = byId("transfer-dialog");
  bindDialog(transfer, submitTransfer, fallback);
  transfer.querySelector("form").elements.service.addEventListener("change", (event) => {
    onServiceChosen(event.target.form);
  });
  bindDialog(byId("hold-dialog"), submitHold, fallback);
  bindDialog(byId("break-dialog"), submitBreak, fallback);
  bindDialog(byId("call-dialog"), submitCall, fallback);
}
