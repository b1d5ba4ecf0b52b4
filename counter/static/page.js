// What every part of the counter page shares: its words, its state, the API as the officer,
// the message bar, and which action fits the shown counter now.

import { errorText } from "/static/api.js";
import { HallClock } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { RULES } from "/counter/static/rules.js";
import { officerApi } from "/counter/static/session.js";
import { TEXT } from "/counter/static/text.js";

export const i18n = createI18n(TEXT);
export const byId = (id) => document.getElementById(id);

export const state = {
  hall: null,
  counterId: null, // the counter shown
  snapshot: null, // GET /api/v1/counters/<id>
  officer: { user: null, counterId: null }, // who is signed in, and the counter they have open
  reasons: new Map(), // ticket id → {id, en}: why it was called, as this page heard it
  clock: new HallClock(null),
  busy: false, // a request is in flight: every control waits
  changes: 0, // actions and events so far: a snapshot asked for before the latest one is stale
};

/** The API in the page's language; a lost session goes to sign-in. */
export const call = (path, options = {}) => officerApi(path, { lang: i18n.lang, ...options });

export function showMessage(kind, text) {
  byId(`${kind}-text`).textContent = text;
  byId(kind).hidden = false;
}

export function hideMessages() {
  byId("error").hidden = true;
  byId("notice").hidden = true;
}

export const failureText = (error) => errorText(error, i18n.t("network_error"));

/** The shown counter's state (with `current` and `current_history`), or null. */
export function counter() {
  return state.snapshot?.counter ?? null;
}

/** Someone else has this counter open: look, but do not touch. */
export function takenByOther(desk) {
  return Boolean(desk?.officer) && state.officer.counterId !== desk.id;
}

/** May the officer do `name` now? Never while a request is in flight. */
export function allowed(name, desk = counter()) {
  return !state.busy && Boolean(desk) && !takenByOther(desk) && RULES[name].fits(desk);
}
