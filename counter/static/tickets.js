// What the officer reads about a ticket: its priority in words, why it was called, where it
// came from, and the rows of the counter's lists (queue, held, today's history).

import { element } from "/static/dom.js";
import { clockText } from "/static/format.js";

const PRIORITY_CLASSES = ["lansia", "disabilitas", "ibu_hamil"];

/** "Lansia", "Penyandang disabilitas", … or "Prioritas"; "" for a regular ticket. */
export function priorityText(ticket, i18n) {
  if (!ticket?.priority && !ticket?.priority_class) return "";
  const known = PRIORITY_CLASSES.includes(ticket.priority_class);
  return i18n.t(known ? `priority_${ticket.priority_class}` : "priority_any");
}

/** A priority badge, or null for a regular ticket. */
export function priorityBadge(ticket, i18n) {
  const text = priorityText(ticket, i18n);
  return text ? element("span", { className: "badge priority" }, text) : null;
}

/**
 * Why the ticket was called, in the page's language: the call's own words when this page saw
 * the call, else the reason the log kept with the last `called` event.
 */
export function callReason(ticket, reasons, history, lang) {
  const called = [...history].reverse().find((event) => event.kind === "called");
  const heard = reasons.get(ticket.id) ?? parsed(called?.detail).reason;
  if (heard) return (lang === "en" ? heard.en : heard.id) || heard.id || heard.en || "";
  return "";
}

function parsed(detail) {
  try {
    const value = JSON.parse(detail || "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

/** "Dialihkan dari Loket 1 (Perekaman KTP-el): note" for a transferred ticket, else "". */
export function transferOrigin(history, hall, i18n) {
  const event = [...history].reverse().find((item) => item.kind === "transferred");
  if (!event) return "";
  const detail = parsed(event.detail);
  const services = (hall?.agencies ?? []).flatMap((agency) => agency.services);
  const service = services.find((item) => item.id === detail.from_service_id);
  const serviceName = service ? i18n.pick(service) : "";
  const from = (hall?.counters ?? []).find((item) => item.id === detail.from_counter_id);
  const counterName = from?.name || (detail.from_counter_id ? event.counter : "");
  let text = counterName
    ? i18n.t("transferred_from", { counter: counterName, service: serviceName })
    : i18n.t("transferred_from_service", { service: serviceName });
  if (!serviceName) text = text.replace(/ \(\)$/, "");
  return detail.note ? `${text}: ${detail.note}` : text;
}

function ticketRow(ticket, i18n, button) {
  return element(
    "li",
    { className: "ticket-row", dataset: { ticketId: ticket.id } },
    element("span", { className: "ticket-number number" }, ticket.number),
    element(
      "span",
      { className: "ticket-facts" },
      element("span", { className: "ticket-service" }, i18n.pick(ticket, "service")),
      element(
        "time",
        { className: "ticket-time tabular" },
        i18n.t("issued_at", { time: clockText(ticket.issued_at) }),
      ),
      priorityBadge(ticket, i18n),
      ticket.note ? element("span", { className: "ticket-note" }, ticket.note) : null,
    ),
    button,
  );
}

function rowButton(action, ticket, i18n, disabled, labelKey, textKey) {
  return element(
    "button",
    {
      type: "button",
      className: "row-action",
      disabled,
      dataset: { rowAction: action, ticketId: ticket.id },
      attributes: { "aria-label": i18n.t(labelKey, { number: ticket.number }) },
    },
    i18n.t(textKey),
  );
}

/** The queue this counter may call from, each with a "Panggil" button. */
export function queueRows(queue, i18n, canCall) {
  if (!queue.length) return [element("li", { className: "empty" }, i18n.t("queue_empty"))];
  return queue.map((ticket) =>
    ticketRow(ticket, i18n, rowButton("call_ticket", ticket, i18n, !canCall, "call_this_label", "call_this")),
  );
}

/** Tickets held at this counter, each with a "Lanjutkan" button. */
export function heldRows(held, i18n, canResume) {
  if (!held.length) return [element("li", { className: "empty" }, i18n.t("held_empty"))];
  return held.map((ticket) =>
    ticketRow(ticket, i18n, rowButton("resume_held", ticket, i18n, !canResume, "resume_held_label", "resume_held")),
  );
}

/** Waiting counts per service this counter serves. */
export function serviceCounts(services, i18n) {
  return services.map((service) =>
    element(
      "li",
      { className: service.waiting ? "queue" : "queue none" },
      element("span", { className: "queue-prefix" }, service.prefix),
      element("span", { className: "queue-name" }, i18n.pick(service)),
      element("span", { className: "queue-count" }, i18n.t("waiting", { n: service.waiting })),
    ),
  );
}

/** Today's events at this counter, newest first. */
export function historyRows(events, i18n) {
  if (!events.length) return [element("li", { className: "empty" }, i18n.t("history_empty"))];
  return events.map((event) =>
    element(
      "li",
      { className: `history-item ${event.kind}` },
      element("time", { className: "tabular" }, clockText(event.at)),
      element("span", { className: "history-number number" }, event.number),
      element("span", { className: "history-kind" }, i18n.t(`kind_${event.kind}`)),
    ),
  );
}
