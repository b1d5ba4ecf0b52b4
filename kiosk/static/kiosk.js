// The kiosk: services by agency; one tap takes one number and shows it with its QR code,
// printed by the kiosk's print agent when the page is opened as `/kiosk?kiosk=K1`.
// Every visitor starts in Bahasa Indonesia; a priority visitor first says which group.

import { api, errorText } from "/static/api.js";
import { coalesce, element, fill } from "/static/dom.js";
import { HallClock, estimateText } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { followLive, offlineBanner } from "/static/live.js";
import { KioskPrinter } from "/kiosk/static/printer.js";
import { TEXT } from "/kiosk/static/text.js";

const RETURN_AFTER_S = secondsFromQuery("return_after", 10);
const TROUBLE_RETURN_S = secondsFromQuery("return_after_trouble", 30); // time to take a photo
const IDLE_RESET_S = secondsFromQuery("idle_reset", 60); // an abandoned choice goes back to start
const PRINT_WAIT_S = secondsFromQuery("print_wait", 8); // no print result by then: a failed print
const KIOSK_CODE = new URLSearchParams(window.location.search).get("kiosk"); // its printer, e.g. K1
const HALL_REFRESH_MS = 60_000;
const RETRY_MS = 5_000;
const PRIORITY_CLASSES = ["lansia", "disabilitas", "ibu_hamil"];

const i18n = createI18n(TEXT, { remember: false });
const byId = (id) => document.getElementById(id);
const state = {
  hall: null,
  clock: new HallClock(null),
  busy: false,
  ticket: null,
  countdown: null,
  countdownLeft: 0,
  countdownOutput: null,
  layout: null, // which agencies and services the buttons were built for
  priorityClass: null, // the group a priority visitor chose, until their ticket is taken
  touchedAt: Date.now(),
};
const printer = new KioskPrinter(KIOSK_CODE, {
  i18n,
  resultWaitS: PRINT_WAIT_S,
  onTrouble: () => startCountdown("ticket-countdown", TROUBLE_RETURN_S, { extendOnly: true }),
  onReprint: reprintTicket,
});

function secondsFromQuery(name, fallback) {
  const value = Number(new URLSearchParams(window.location.search).get(name));
  return Number.isFinite(value) && value >= 1 && value <= 300 ? Math.round(value) : fallback;
}

function showScreen(name) {
  for (const screen of ["start", "priority", "ticket", "failure"]) {
    byId(`${screen}-screen`).hidden = screen !== name;
  }
}

// --- the start screen -------------------------------------------------------------------

async function loadHall() {
  const hall = await api("/api/v1/hall", { lang: i18n.lang });
  state.hall = hall;
  state.clock.sync(hall.now);
  byId("load-error").hidden = true;
  renderHall();
}

function renderHall() {
  const { hall } = state;
  if (!hall) return;
  byId("hall-name").textContent = hall.name;
  document.title = hall.name;
  const agencies = hall.agencies.filter((agency) => agency.services.length);
  const layout = JSON.stringify(agencies.map((agency) => [agency.id, agency.services.map((s) => s.id)]));
  if (layout !== state.layout) {
    state.layout = layout;
    if (agencies.length) fill(byId("agencies"), ...agencies.map(agencySection));
    else fill(byId("agencies"), element("p", { className: "empty" }, i18n.t("no_services")));
  }
  for (const agency of agencies) {
    const heading = byId("agencies").querySelector(`[data-agency-id="${agency.id}"] .agency-name`);
    heading.textContent = i18n.pick(agency);
    agency.services.forEach(showService);
  }
}

function agencySection(agency) {
  const button = (service) =>
    element(
      "button",
      { type: "button", className: "service", dataset: { serviceId: service.id } },
      element("span", { className: "service-prefix", attributes: { "aria-hidden": "true" } }),
      element(
        "span",
        { className: "service-text" },
        element("span", { className: "service-name" }),
        element("span", { className: "service-meta" }),
      ),
    );
  return element(
    "section",
    { className: "agency", dataset: { agencyId: agency.id } },
    element("h3", { className: "agency-name" }),
    element("div", { className: "services" }, ...agency.services.map(button)),
  );
}

/** Show a service's state on its button, in place: a refresh never swallows a tap. */
function showService(service) {
  const button = byId("agencies").querySelector(`button[data-service-id="${service.id}"]`);
  if (!button) return;
  const closed = i18n.lang === "en" ? service.closed_message_en : service.closed_message;
  button.classList.toggle("closed", !service.open);
  button.disabled = !service.open || state.busy;
  button.querySelector(".service-prefix").textContent = service.prefix;
  button.querySelector(".service-name").textContent = i18n.pick(service);
  button.querySelector(".service-meta").textContent = service.open
    ? i18n.t("waiting", { n: service.waiting })
    : closed || "";
}

function setServicesDisabled(disabled) {
  byId("agencies").querySelectorAll("button.service").forEach((button) => {
    button.disabled = disabled || button.classList.contains("closed");
  });
}

function onQueueChanged({ service_id: serviceId, waiting }) {
  const service = state.hall?.agencies.flatMap((agency) => agency.services).find((s) => s.id === serviceId);
  if (!service) return;
  service.waiting = waiting;
  showService(service);
  refreshSoon(); // a quota may just have been reached
}

const refreshSoon = coalesce(() => refreshHall(), 2000, 3000);

function refreshHall() {
  if (state.busy) return;
  loadHall().catch((error) => console.warn("hall refresh failed", error));
}

// --- priority visitors ------------------------------------------------------------------

function choosePriority(priorityClass) {
  if (!PRIORITY_CLASSES.includes(priorityClass)) return;
  state.priorityClass = priorityClass;
  renderPriorityMode();
  showScreen("start");
}

function renderPriorityMode() {
  const chosen = state.priorityClass;
  byId("priority-entry").hidden = Boolean(chosen);
  byId("priority-cancel").hidden = !chosen;
  byId("start-screen").classList.toggle("priority-mode", Boolean(chosen));
  byId("prompt").textContent = chosen
    ? i18n.t("priority_prompt", { class: i18n.t(`class_${chosen}`) })
    : i18n.t("choose_service");
}

// --- taking a number --------------------------------------------------------------------

async function takeTicket(serviceId) {
  if (state.busy) return; // one ticket per tap, however fast the taps come
  state.busy = true;
  setServicesDisabled(true);
  try {
    const body = { service_id: serviceId, lang: i18n.lang };
    if (printer.kioskCode) body.kiosk = printer.kioskCode;
    if (state.priorityClass) body.priority_class = state.priorityClass;
    const ticket = await api("/api/v1/tickets", { method: "POST", body, lang: i18n.lang });
    showTicket(ticket);
  } catch (error) {
    showFailure(errorText(error, i18n.t("network_error")));
  }
}

function showTicket(ticket) {
  state.ticket = ticket;
  const qr = byId("ticket-qr");
  qr.src = `/t/${encodeURIComponent(ticket.token)}/qr.svg`;
  renderTicket();
  showScreen("ticket");
  startCountdown("ticket-countdown");
  printer.follow(ticket);
}

async function reprintTicket() {
  const ticketId = state.ticket?.id;
  startCountdown("ticket-countdown", TROUBLE_RETURN_S); // the visitor is still here
  const again = await printer.reprint(i18n.lang);
  if (!again || state.ticket?.id !== ticketId) return; // refused, or the visitor has gone
  state.ticket = again;
  renderTicket();
  printer.follow(again);
}

function renderTicket() {
  const { ticket } = state;
  if (!ticket) return;
  byId("ticket-number").textContent = ticket.number;
  const badge = byId("ticket-priority");
  badge.hidden = !ticket.priority;
  const group = ticket.priority_class && i18n.t(`class_${ticket.priority_class}`);
  badge.textContent = group ? i18n.t("priority_badge", { class: group }) : i18n.t("priority");
  byId("ticket-service").textContent = i18n.lang === "en" ? ticket.service_en : ticket.service;
  byId("ticket-ahead").textContent = i18n.t("ahead", { n: ticket.ahead ?? 0 });
  byId("ticket-estimate").textContent = i18n.t("estimate", {
    estimate: estimateText(ticket.estimated_wait_s, i18n.lang),
  });
  byId("ticket-qr").alt = i18n.t("qr_alt", { number: ticket.number });
}

function showFailure(message) {
  byId("failure-message").textContent = message;
  showScreen("failure");
  startCountdown("failure-countdown");
}

/** Go back to the start in `seconds`; `extendOnly` never shortens a countdown that runs. */
function startCountdown(outputId, seconds = RETURN_AFTER_S, { extendOnly = false } = {}) {
  if (extendOnly && state.countdown !== null && state.countdownLeft >= seconds) return;
  stopCountdown();
  state.countdownLeft = seconds;
  state.countdownOutput = byId(outputId);
  state.countdown = window.setInterval(() => {
    state.countdownLeft -= 1;
    if (state.countdownLeft <= 0) backToStart();
    else renderCountdown();
  }, 1000);
  renderCountdown();
}

function renderCountdown() {
  if (state.countdownOutput && state.countdown !== null) {
    state.countdownOutput.textContent = i18n.t("returning", { n: state.countdownLeft });
  }
}

function stopCountdown() {
  window.clearInterval(state.countdown);
  state.countdown = null;
}

/** The next visitor: the start screen, in Bahasa Indonesia, with no priority chosen. */
function backToStart() {
  stopCountdown();
  state.ticket = null;
  state.priorityClass = null;
  printer.forget();
  byId("ticket-qr").removeAttribute("src");
  state.busy = false;
  setServicesDisabled(false);
  i18n.setLang("id");
  renderPriorityMode();
  showScreen("start");
  refreshHall();
}

/** A visitor who chose a language or a priority group and walked away leaves no trace. */
function resetWhenIdle() {
  const choosing = !byId("start-screen").hidden || !byId("priority-screen").hidden;
  const changed = i18n.lang !== "id" || state.priorityClass || byId("start-screen").hidden;
  if (choosing && changed && !state.busy && Date.now() - state.touchedAt > IDLE_RESET_S * 1000) {
    backToStart();
  }
}

// --- wiring -----------------------------------------------------------------------------

function tickClock() {
  byId("clock").textContent = state.clock.time();
  byId("date").textContent = state.clock.date(i18n.lang);
  resetWhenIdle();
}

async function loadHallUntilDone() {
  for (;;) {
    try {
      await loadHall();
      return;
    } catch (error) {
      const message = byId("load-error");
      message.textContent = `${i18n.t("hall_failed")} ${errorText(error, "")}`.trim();
      message.hidden = false;
      await new Promise((resolve) => window.setTimeout(resolve, RETRY_MS));
    }
  }
}

function serviceRooms() {
  return (state.hall?.agencies ?? []).flatMap((agency) => agency.services.map((s) => `service:${s.id}`));
}

async function start() {
  i18n.translate();
  i18n.bindToggle();
  i18n.onChange(() => {
    renderHall();
    renderPriorityMode();
    renderTicket();
    renderCountdown();
    printer.render();
    tickClock();
  });
  byId("agencies").addEventListener("click", (event) => {
    const button = event.target.closest("button.service");
    if (button && !button.disabled) takeTicket(Number(button.dataset.serviceId));
  });
  document.querySelectorAll("[data-done]").forEach((button) => button.addEventListener("click", backToStart));
  byId("priority-entry").addEventListener("click", () => showScreen("priority"));
  byId("priority-cancel").addEventListener("click", backToStart);
  byId("priority-screen").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-priority-class]");
    if (button) choosePriority(button.dataset.priorityClass);
  });
  for (const name of ["pointerdown", "keydown"]) {
    document.addEventListener(name, () => (state.touchedAt = Date.now()), { capture: true });
  }
  renderPriorityMode();
  tickClock();
  window.setInterval(tickClock, 1000);
  await Promise.all([loadHallUntilDone(), printer.loadUntilDone()]);
  tickClock();
  window.setInterval(refreshHall, HALL_REFRESH_MS);
  followLive({
    rooms: () => [...printer.rooms(), ...serviceRooms()],
    reload: () => Promise.all([state.busy ? null : loadHall(), printer.load()]),
    events: { queue_changed: onQueueChanged, ...printer.events },
    onStatus: offlineBanner(byId("live-banner")),
  });
}

start();
