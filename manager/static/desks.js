// The counters (what each does, who works it, its current number) and the kiosks' printers.

import { element, fill } from "/static/dom.js";
import { clockText } from "/static/format.js";
import { byId, i18n, state } from "/manager/static/page.js";

export function renderCounters() {
  const counters = state.snapshot.counters;
  const cards = counters.map(counterCard);
  if (!cards.length) cards.push(element("li", { className: "empty" }, i18n.t("no_counters")));
  fill(byId("counters"), ...cards);
}

function counterCard(counter) {
  const current = counter.current;
  return element(
    "li",
    {
      className: "counter-card",
      dataset: { counterCode: counter.code, counterId: counter.id, activity: counter.activity },
    },
    element(
      "div",
      { className: "counter-head" },
      element("h3", { className: "counter-name" }, counter.name),
      element(
        "span",
        { className: "pill", dataset: { field: "activity" } },
        i18n.t(`activity_${counter.activity}`),
      ),
    ),
    element("p", { className: "counter-zone" }, counter.zone_name),
    element(
      "p",
      { className: "counter-current" },
      element("span", { className: "fact-label" }, i18n.t("counter_current")),
      element("strong", { className: "number", dataset: { field: "current" } }, current?.number ?? "–"),
      current ? element("span", { className: "ticket-state" }, i18n.t(`ticket_${current.status}`)) : null,
    ),
    element(
      "p",
      { className: "counter-officer", dataset: { field: "officer" } },
      counter.officer ? `${i18n.t("counter_officer")}: ${counter.officer}` : i18n.t("counter_nobody"),
    ),
    element(
      "p",
      { className: "counter-served", dataset: { field: "served" } },
      i18n.t("counter_served", { n: counter.served_today }),
    ),
    counter.break_reason
      ? element(
          "p",
          { className: "counter-break" },
          i18n.t("counter_break_reason", { reason: counter.break_reason }),
        )
      : null,
  );
}

/** One word for a kiosk's printer, worst first: agent gone, printer gone, paper out or low. */
export function printerState(kiosk) {
  if (!kiosk.agent_connected) return "agent_offline";
  if (kiosk.online === false) return "printer_offline";
  if (kiosk.paper === "out") return "printer_out";
  if (kiosk.paper === "near_end") return "printer_near_end";
  return kiosk.online ? "printer_ok" : "printer_unknown";
}

const TROUBLE = new Set(["agent_offline", "printer_offline", "printer_out"]);

export function renderKiosks() {
  const items = state.snapshot.kiosks.map(kioskItem);
  if (!items.length) items.push(element("li", { className: "empty" }, i18n.t("no_kiosks")));
  fill(byId("kiosks"), ...items);
}

function kioskItem(kiosk) {
  const word = printerState(kiosk);
  const level = TROUBLE.has(word) ? "bad" : word === "printer_ok" ? "ok" : "warn";
  return element(
    "li",
    { className: "kiosk", dataset: { kioskCode: kiosk.kiosk.code, printer: word, level } },
    element(
      "div",
      { className: "kiosk-head" },
      element("strong", { className: "kiosk-name" }, `${kiosk.kiosk.code} · ${kiosk.kiosk.name}`),
      element("span", { className: "pill", dataset: { field: "printer" } }, i18n.t(word)),
    ),
    kiosk.error && word !== "agent_offline"
      ? element("p", { className: "kiosk-error" }, kiosk.error)
      : null,
    kiosk.checked_at
      ? element(
          "p",
          { className: "kiosk-checked" },
          i18n.t("printer_checked", { time: clockText(kiosk.checked_at) }),
        )
      : null,
  );
}

/** A `printer_status` event: the kiosk's new state at once (the next snapshot agrees). */
export function applyPrinter(kiosk) {
  if (!state.snapshot) return;
  const kiosks = state.snapshot.kiosks;
  const index = kiosks.findIndex((item) => item.kiosk.id === kiosk.kiosk?.id);
  if (index < 0) return;
  kiosks[index] = kiosk;
  renderKiosks();
}
