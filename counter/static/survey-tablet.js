// The counter-side survey tablet: when this counter completes a ticket, the visitor in front of
// it is invited to rate the service (IKM, nine elements); then the tablet waits for the next.
// It follows the counter's room like the counter page does, so it needs an officer's sign-in.

import { api, errorText } from "/static/api.js";
import { createI18n } from "/static/i18n.js";
import { followLive, offlineBanner } from "/static/live.js";
import { showSurvey } from "/static/survey.js";

const AFTER_THANKS_MS = 8_000; // the thanks stay this long, then the tablet waits again
const UNANSWERED_MS = 180_000; // a survey nobody answers gives way after three minutes

const TEXT = {
  id: {
    brand: "Survei Kepuasan Masyarakat",
    idle_title: "Terima kasih telah berkunjung",
    idle_hint: "Setelah Anda selesai dilayani, beri penilaian pelayanan kami di layar ini.",
    your_number: "Nomor Anda",
    no_counter: "Buka halaman ini dengan ?counter=<nomor loket>.",
  },
  en: {
    brand: "Public Satisfaction Survey",
    idle_title: "Thank you for visiting",
    idle_hint: "Once you have been served, please rate our service on this screen.",
    your_number: "Your number",
    no_counter: "Open this page with ?counter=<counter id>.",
  },
};

const i18n = createI18n(TEXT, { remember: false });
const byId = (id) => document.getElementById(id);
const counterId = Number(new URLSearchParams(window.location.search).get("counter"));
const state = { ticket: null, timer: 0 };

function waitForNext() {
  window.clearTimeout(state.timer);
  state.ticket = null;
  byId("visit").hidden = true;
  byId("idle").hidden = false;
  i18n.setLang("id"); // each visitor starts in Bahasa Indonesia
}

async function invite(ticket) {
  window.clearTimeout(state.timer);
  state.ticket = ticket;
  byId("ticket-number").textContent = ticket.number;
  const shown = await showSurvey(ticket.token, i18n.lang, byId("survey"), () => {
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(waitForNext, AFTER_THANKS_MS);
  });
  if (state.ticket !== ticket) return; // a newer visitor came while this one loaded
  if (shown !== "form") {
    waitForNext();
    return;
  }
  byId("idle").hidden = true;
  byId("visit").hidden = false;
  state.timer = window.setTimeout(waitForNext, UNANSWERED_MS);
}

function showProblem(text) {
  const problem = byId("problem");
  problem.textContent = text;
  problem.hidden = !text;
}

async function reload() {
  const snapshot = await api(`/api/v1/counters/${counterId}`, { lang: i18n.lang });
  byId("counter-name").textContent = snapshot.counter.name;
  showProblem("");
}

function start() {
  i18n.bindToggle();
  i18n.onChange(() => state.ticket && invite(state.ticket));
  i18n.translate();
  if (!Number.isInteger(counterId) || counterId <= 0) {
    showProblem(i18n.t("no_counter"));
    return;
  }
  followLive({
    rooms: () => [`counter:${counterId}`],
    reload: () => reload().catch((error) => {
      showProblem(errorText(error, i18n.t("network_error")));
      throw error;
    }),
    events: {
      ticket_updated({ ticket }) {
        if (ticket.status === "done" && ticket.counter_id === counterId) invite(ticket);
      },
    },
    onStatus: offlineBanner(byId("live-banner")),
  });
}

start();
