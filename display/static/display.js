// The hall display: who is called to which counter, the counters, the last calls, the queues.
// Each call is shown, chimed and spoken once; `#announced` (hidden) logs what was spoken, and how.

import { api, errorText } from "/static/api.js";
import { element, fill } from "/static/dom.js";
import { HallClock, clockText } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { followLive, offlineBanner } from "/static/live.js";
import { Announcer } from "/display/static/announcer.js";
import { Chime } from "/display/static/chime.js";
import { TEXT } from "/display/static/text.js";
import { Voice } from "/display/static/voice.js";

const LAST_CALLS = 8;
const HIGHLIGHT_MS = 5000;
const MIN_SHOW_MS = 4000; // each call stays the big one at least this long when calls queue up
const MISSED_CALL_MAX_S = 120; // a call missed while offline is spoken only if this recent

const i18n = createI18n(TEXT, { fixed: "id" });
const byId = (id) => document.getElementById(id);
const state = {
  zoneId: null,
  snapshot: null,
  loaded: false, // after the first snapshot, calls it lacks were missed while offline
  lastCalls: [],
  current: null,
  shownAt: 0,
  clock: new HallClock(null),
  highlightUntil: new Map(), // counter id → ms
  newest: new Map(), // "counter:<id>" or "service:<id>" → ms of the newest news of it heard live
};

const showSoundHint = (blocked) => {
  byId("sound-hint").hidden = !blocked;
};
const chime = new Chime(showSoundHint);
const voice = new Voice(chime, showSoundHint);
const announcer = new Announcer([present, () => voice.chime(), speak, holdOnScreen], {
  onDropped: (call) => addToLastCalls(call),
});

// --- snapshot ---------------------------------------------------------------------------

function zoneFromQuery() {
  const zone = Number(new URLSearchParams(window.location.search).get("zone"));
  return Number.isInteger(zone) && zone > 0 ? zone : null;
}

async function reload() {
  const [hall, snapshot] = await Promise.all([
    api("/api/v1/hall"),
    api(`/api/v1/zones/${state.zoneId}/snapshot`),
  ]);
  state.clock.sync(hall.now);
  tickClock();
  applySnapshot(snapshot);
}

function applySnapshot(snapshot) {
  state.snapshot = snapshot;
  state.newest.clear(); // the snapshot is the truth now; order live news from here on
  const missed = state.loaded ? missedCalls(snapshot) : [];
  state.loaded = true;
  const later = new Set(missed.map((call) => call.call_id));
  snapshot.last_calls.forEach((call) => later.has(call.call_id) || announcer.markSeen(call.call_id));
  state.lastCalls = snapshot.last_calls
    .filter((call) => !later.has(call.call_id) && !announcer.isWaiting(call.call_id))
    .map(callFromSnapshot);
  if (!announcer.busy && !missed.length) state.current = state.lastCalls[0] ?? null;
  renderAll();
  missed.forEach((call) => announcer.announce(callFromSnapshot(call)));
}

function callFromSnapshot(call) {
  return {
    call_id: call.call_id,
    recall: call.recall,
    number: call.number,
    counter: call.counter,
    counter_id: call.counter_id,
    spoken: call.spoken,
    time: clockText(call.at),
  };
}

/**
 * Calls made while this display was offline that are still worth saying: the newest call of
 * its counter, whose ticket is still the one called there, made in the last two minutes.
 */
function missedCalls(snapshot) {
  const newest = new Map();
  snapshot.last_calls.forEach((call) => newest.has(call.counter_id) || newest.set(call.counter_id, call));
  return [...newest.values()]
    .filter((call) => !announcer.hasSeen(call.call_id))
    .filter((call) => {
      const current = snapshot.counters.find((counter) => counter.id === call.counter_id)?.current;
      return current?.number === call.number && current.status === "called";
    })
    .filter((call) => state.clock.since(call.at) < MISSED_CALL_MAX_S)
    .sort((a, b) => a.call_id - b.call_id);
}

// --- announcing -------------------------------------------------------------------------

function onCall(payload, recall) {
  const { ticket, counter, call_id: callId, spoken, at } = payload;
  if (counter.zone !== state.zoneId) return;
  heard(`counter:${counter.id}`, at);
  const seated = state.snapshot?.counters.find((c) => c.id === counter.id);
  if (seated) {
    seated.current = ticket;
    renderCounters();
  }
  announcer.announce({
    call_id: callId,
    recall,
    number: ticket.number,
    counter: counter.name,
    counter_id: counter.id,
    spoken,
    time: recall ? state.clock.time() : clockText(ticket.called_at),
  });
}

/** The first step of an announcement: make it the big call, highlighted, top of the list. */
async function present(call) {
  call.clips = voice.prepare(call); // load while the chime plays
  state.current = call;
  state.shownAt = Date.now();
  addToLastCalls(call);
  state.highlightUntil.set(call.counter_id, Date.now() + HIGHLIGHT_MS);
  renderNow();
  restartAnimation(byId("now-calling"), "highlight");
  renderLastCalls();
  renderCounters();
}

/** Newest first; a call dropped from a long queue still takes its place in the list. */
function addToLastCalls(call) {
  state.lastCalls = [call, ...state.lastCalls.filter((c) => c.call_id !== call.call_id)]
    .sort((a, b) => b.call_id - a.call_id)
    .slice(0, LAST_CALLS);
  renderLastCalls();
}

async function speak(call) {
  const via = await voice.speak(call, call.clips);
  call.clips = null;
  const log = byId("announced");
  log.append(element("li", { dataset: { callId: call.call_id, via } }, call.number));
  while (log.children.length > 50) log.firstElementChild.remove();
}

function holdOnScreen() {
  const left = MIN_SHOW_MS - (Date.now() - state.shownAt);
  return new Promise((resolve) => window.setTimeout(resolve, Math.max(0, left)));
}

function restartAnimation(node, className) {
  node.classList.remove(className);
  void node.offsetWidth; // let the browser see the class go, so the animation runs again
  node.classList.add(className);
  window.clearTimeout(node.highlightTimer);
  node.highlightTimer = window.setTimeout(() => node.classList.remove(className), HIGHLIGHT_MS);
}

// --- rendering --------------------------------------------------------------------------

function renderAll() {
  const { snapshot } = state;
  byId("hall-name").textContent = snapshot.hall;
  byId("zone-name").textContent = snapshot.zone.name;
  document.title = `${snapshot.zone.name} — ${snapshot.hall}`;
  renderNow();
  renderCounters();
  renderLastCalls();
  renderWaiting();
  renderRunningText(snapshot.running_text);
}

function renderNow() {
  const call = state.current;
  byId("now-calling").classList.toggle("idle", !call);
  byId("now-number").textContent = call ? call.number : "—";
  byId("now-counter").textContent = call ? call.counter : i18n.t("no_call");
  byId("now-note").textContent = call && call.recall ? i18n.t("recall") : "";
}

function renderCounters() {
  const counters = state.snapshot?.counters ?? [];
  const now = Date.now();
  fill(
    byId("counters"),
    ...counters.map((counter) => {
      const ticket = counter.current;
      const note =
        counter.status !== "open"
          ? i18n.t(`counter_${counter.status}`)
          : ticket?.status === "serving"
            ? i18n.t("ticket_serving")
            : "";
      const highlighted = (state.highlightUntil.get(counter.id) ?? 0) > now;
      return element(
        "li",
        {
          className: `counter-card ${counter.status}${highlighted ? " highlight" : ""}`,
          dataset: { counterId: counter.id },
        },
        element("span", { className: "counter-name" }, counter.name),
        element("span", { className: "counter-number number" }, ticket ? ticket.number : "—"),
        element("span", { className: "counter-note" }, note),
      );
    }),
  );
}

function renderLastCalls() {
  if (!state.lastCalls.length) {
    fill(byId("last-calls"), element("li", { className: "empty" }, i18n.t("no_calls")));
    return;
  }
  fill(
    byId("last-calls"),
    ...state.lastCalls.map((call) =>
      element(
        "li",
        { className: call.recall ? "last-call recall" : "last-call", dataset: { callId: call.call_id } },
        element("span", { className: "last-number number" }, call.number),
        element("span", { className: "last-counter" }, call.counter),
        element("time", { className: "last-time tabular" }, call.time),
      ),
    ),
  );
}

function renderWaiting() {
  const services = state.snapshot?.waiting ?? [];
  fill(
    byId("waiting"),
    ...services.map((service) =>
      element(
        "li",
        { className: "waiting-row", dataset: { serviceId: service.service_id } },
        element("span", { className: "waiting-prefix" }, service.prefix),
        element("span", { className: "waiting-name" }, service.name),
        element("span", { className: "waiting-count number" }, String(service.waiting)),
      ),
    ),
  );
}

function renderRunningText(text = "") {
  const output = byId("running-text");
  output.closest(".tv-footer").hidden = !text;
  if (output.textContent === text) return; // keep the marquee running smoothly
  output.textContent = text;
  output.style.setProperty("--marquee-duration", `${Math.max(18, Math.round(text.length * 0.28))}s`);
}

function showFailure(message) {
  byId("now-calling").classList.add("idle");
  byId("now-number").textContent = "—";
  byId("now-counter").textContent = message;
}

// --- live events ------------------------------------------------------------------------

/**
 * News of a counter or a service can arrive out of order when the hall runs several server
 * processes: one holds a counter's state for an interval while another sends that counter's next
 * call at once. Each event says when it happened (`at`) or when its state was read (`as_of`);
 * a state older than the newest news heard of the same counter or service is left out.
 */
function heard(key, stamp) {
  const at = Date.parse(stamp);
  if (Number.isNaN(at)) return true; // unstamped: nothing to order it by
  if (at < (state.newest.get(key) ?? -Infinity)) return false;
  state.newest.set(key, at);
  return true;
}

const outdated = (key, stamp) => !heard(key, stamp);

const EVENTS = {
  ticket_called: (payload) => onCall(payload, false),
  ticket_recalled: (payload) => onCall(payload, true),
  counter_changed({ counter }) {
    const counters = state.snapshot?.counters ?? [];
    const index = counters.findIndex((c) => c.id === counter.id);
    if (index < 0 || outdated(`counter:${counter.id}`, counter.as_of)) return;
    counters[index] = counter;
    renderCounters();
  },
  queue_changed({ service_id: serviceId, waiting, as_of: asOf }) {
    const service = state.snapshot?.waiting.find((s) => s.service_id === serviceId);
    if (!service || outdated(`service:${serviceId}`, asOf)) return;
    service.waiting = waiting;
    renderWaiting();
  },
};

// --- start ------------------------------------------------------------------------------

function tickClock() {
  byId("clock").textContent = state.clock.time();
  byId("date").textContent = state.clock.date("id");
}

async function chooseZone() {
  const asked = zoneFromQuery();
  if (asked !== null) return asked;
  const hall = await api("/api/v1/hall");
  return hall.zones[0]?.id ?? null;
}

async function start() {
  i18n.translate();
  byId("sound-hint").hidden = !chime.blocked;
  const unlock = () => chime.unlock().then(() => showSoundHint(chime.blocked));
  document.addEventListener("click", unlock);
  document.addEventListener("keydown", unlock);
  document.addEventListener("dblclick", () => document.documentElement.requestFullscreen?.().catch(() => {}));
  tickClock();
  window.setInterval(tickClock, 1000);
  try {
    state.zoneId = await chooseZone();
    if (state.zoneId === null) {
      showFailure(i18n.t("no_zone"));
      return;
    }
    await reload();
  } catch (error) {
    showFailure(i18n.t("zone_failed", { message: errorText(error, i18n.t("network_error")) }));
    if (state.zoneId === null || error.status === 404) return; // nothing to follow
  }
  followLive({
    rooms: () => [`zone:${state.zoneId}`],
    reload,
    events: EVENTS,
    onStatus: offlineBanner(byId("live-banner")),
  });
}

start();
