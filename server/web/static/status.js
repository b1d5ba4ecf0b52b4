// A visitor's phone: their number, place in line and estimate; a loud banner when called.

import { api, errorText } from "/static/api.js";
import { coalesce } from "/static/dom.js";
import { clockText, estimateText } from "/static/format.js";
import { createI18n } from "/static/i18n.js";
import { followLive, offlineBanner } from "/static/live.js";
import { offerSurvey } from "/static/survey.js";

const TEXT = {
  id: {
    title: "Status antrean",
    your_number: "Nomor antrean Anda",
    called_title: "Nomor Anda dipanggil!",
    go_to: "Silakan menuju {counter}",
    position: "Posisi Anda",
    ahead_label: "Di depan Anda",
    ahead: "{n} orang",
    estimate: "Perkiraan waktu tunggu",
    issued: "Diambil pukul {time}",
    live_note: "Halaman ini diperbarui sendiri. Biarkan tetap terbuka.",
    status_waiting: "Menunggu dipanggil",
    status_called: "Dipanggil",
    status_serving: "Sedang dilayani",
    status_done: "Selesai",
    status_no_show: "Tidak hadir",
    status_transferred: "Dialihkan",
    status_held: "Ditunda",
    status_cancelled: "Dibatalkan",
    detail_waiting: "Kami beri tahu di sini saat nomor Anda dipanggil.",
    detail_called: "Silakan menuju {counter} sekarang.",
    detail_serving: "Anda sedang dilayani di {counter}.",
    detail_done: "Layanan Anda sudah selesai. Terima kasih!",
    detail_no_show:
      "Nomor Anda sudah dipanggil, tetapi Anda tidak hadir. Silakan hubungi petugas informasi.",
    detail_transferred: "Nomor Anda dialihkan ke layanan lain.",
    detail_held: "Nomor Anda ditunda sementara. Silakan tunggu.",
    detail_cancelled: "Nomor ini dibatalkan.",
    load_failed: "Status belum dapat dimuat.",
  },
  en: {
    title: "Queue status",
    your_number: "Your queue number",
    called_title: "Your number is being called!",
    go_to: "Please go to {counter}",
    position: "Your position",
    ahead_label: "Ahead of you",
    ahead: "{n} people",
    estimate: "Estimated wait",
    issued: "Taken at {time}",
    live_note: "This page updates by itself. Keep it open.",
    status_waiting: "Waiting to be called",
    status_called: "Called",
    status_serving: "Being served",
    status_done: "Done",
    status_no_show: "No-show",
    status_transferred: "Transferred",
    status_held: "On hold",
    status_cancelled: "Cancelled",
    detail_waiting: "We will tell you here when your number is called.",
    detail_called: "Please go to {counter} now.",
    detail_serving: "You are being served at {counter}.",
    detail_done: "Your service is complete. Thank you!",
    detail_no_show: "Your number was called but you did not come. Please ask at the information desk.",
    detail_transferred: "Your number was transferred to another service.",
    detail_held: "Your number is on hold for now. Please wait.",
    detail_cancelled: "This number was cancelled.",
    load_failed: "Could not load the status.",
  },
};

const token = document.body.dataset.token;
const i18n = createI18n(TEXT);
const byId = (id) => document.getElementById(id);
const state = { ticket: null, live: null };

async function loadTicket() {
  const ticket = await api(`/api/v1/tickets/${encodeURIComponent(token)}`, { lang: i18n.lang });
  byId("load-error").hidden = true;
  applyTicket(ticket);
}

const refetchSoon = coalesce(() => {
  loadTicket().catch((error) => console.warn("status refresh failed", error));
}, 300, 1500);

function applyTicket(ticket) {
  const previous = state.ticket;
  if (ticket.status === "waiting" && ticket.position === null && previous?.status === "waiting") {
    // Events carry no place in line; keep the last known one until the refetch answers.
    Object.assign(ticket, {
      position: previous.position,
      ahead: previous.ahead,
      estimated_wait_s: previous.estimated_wait_s,
    });
  }
  state.ticket = ticket;
  if (state.live && previous && previous.service_id !== ticket.service_id) {
    state.live.subscribe([`service:${ticket.service_id}`]);
  }
  render();
}

function render() {
  const { ticket } = state;
  if (!ticket) return;
  const counter = ticket.counter || "";
  byId("ticket").hidden = false;
  byId("ticket").dataset.status = ticket.status;
  byId("number").textContent = ticket.number;
  byId("service").textContent = i18n.lang === "en" ? ticket.service_en : ticket.service;
  byId("status-word").textContent = i18n.t(`status_${ticket.status}`);
  byId("status-detail").textContent = i18n.t(`detail_${ticket.status}`, { counter });
  byId("issued").textContent = i18n.t("issued", { time: clockText(ticket.issued_at) });
  document.title = `${ticket.number} — ${i18n.t("title")}`;

  const waiting = ticket.status === "waiting";
  byId("waiting-facts").hidden = !waiting;
  if (waiting) {
    byId("position").textContent = ticket.position ?? "-";
    byId("ahead").textContent = ticket.ahead === null ? "-" : i18n.t("ahead", { n: ticket.ahead });
    byId("estimate").textContent = estimateText(ticket.estimated_wait_s, i18n.lang);
  }
  byId("called-banner").hidden = ticket.status !== "called";
  byId("called-text").textContent = i18n.t("go_to", { counter });
  if (ticket.status === "done") offerSurvey(token, i18n.lang, byId("survey"));
}

function alertVisitor() {
  const banner = byId("called-banner");
  banner.classList.remove("ring");
  void banner.offsetWidth; // restart the animation on a recall
  banner.classList.add("ring");
  if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
}

function onCall({ ticket }) {
  if (ticket.token !== token) return;
  applyTicket(ticket);
  alertVisitor();
}

const EVENTS = {
  ticket_called: onCall,
  ticket_recalled: onCall,
  ticket_updated({ ticket }) {
    if (ticket.token !== token) return;
    applyTicket(ticket);
    if (ticket.status === "waiting") refetchSoon();
  },
  queue_changed({ service_id: serviceId }) {
    if (state.ticket?.status === "waiting" && state.ticket.service_id === serviceId) refetchSoon();
  },
};

async function start() {
  i18n.translate();
  i18n.bindToggle();
  i18n.onChange(render);
  for (let delay = 1000; !state.ticket; delay = Math.min(delay * 2, 15000)) {
    try {
      await loadTicket();
    } catch (error) {
      const message = byId("load-error");
      message.textContent = errorText(error, i18n.t("load_failed"));
      message.hidden = false;
      if (error.status === 404) return;
      await new Promise((resolve) => window.setTimeout(resolve, delay));
    }
  }
  state.live = followLive({
    rooms: () => [`ticket:${token}`, `service:${state.ticket.service_id}`],
    reload: loadTicket,
    events: EVENTS,
    onStatus: offlineBanner(byId("live-banner")),
  });
}

start();
