// The IKM satisfaction survey (PermenPANRB 14/2017), once a visitor's service is done: nine
// elements rated 1–4, an optional comment, one response per ticket. On the visitor's phone
// (`offerSurvey`, once per page) and on a counter-side tablet (`showSurvey`, ticket after ticket).

import { api, errorText } from "/static/api.js";
import { element, fill } from "/static/dom.js";

const TEXT = {
  id: {
    heading: "Bagaimana pelayanan kami?",
    intro: "Survei Kepuasan Masyarakat: beri nilai 1 sampai 4 untuk setiap unsur.",
    scale: ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"],
    comment: "Saran atau masukan (boleh dikosongkan)",
    send: "Kirim penilaian",
    sending: "Mengirim…",
    missing: "Beri nilai untuk kesembilan unsur dulu.",
    thanks: "Terima kasih atas penilaian Anda!",
    failed: "Penilaian belum terkirim. Coba lagi.",
  },
  en: {
    heading: "How did we do?",
    intro: "Public satisfaction survey: rate each element from 1 to 4.",
    scale: ["Poor", "Fair", "Good", "Very good"],
    comment: "Suggestions or feedback (optional)",
    send: "Send rating",
    sending: "Sending…",
    missing: "Please rate all nine elements first.",
    thanks: "Thank you for your rating!",
    failed: "The rating was not sent. Please try again.",
  },
};

let shown = false;

/** Show the survey under the ticket when it is open for this ticket; once per page. */
export async function offerSurvey(token, lang, section) {
  if (shown) return;
  shown = true;
  try {
    await showSurvey(token, lang, section);
  } catch (error) {
    shown = false;
    console.warn("survey state failed", error);
  }
}

/**
 * Show this ticket's survey in `section`: the form while it is open, thanks once answered.
 * Resolves with "form", "thanks" or "closed"; `onSent()` runs after a response is stored.
 */
export async function showSurvey(token, lang, section, onSent = () => {}) {
  const state = await api(`/api/v1/tickets/${encodeURIComponent(token)}/survey`, { lang });
  if (state.submitted) {
    showThanks(section, lang);
    return "thanks";
  }
  if (!state.open) return "closed";
  showForm(token, lang, section, state.elements, onSent);
  return "form";
}

function showForm(token, lang, section, elements, onSent) {
  const text = TEXT[lang] || TEXT.id;
  const ratings = new Map();
  const rows = elements.map((item, index) => ratingRow(item, index, lang, text, ratings));
  const comment = element("textarea", { id: "survey-comment", maxLength: 1000, rows: 3 });
  const error = element("p", { className: "survey-error", role: "alert", hidden: true });
  const send = element("button", { type: "submit", className: "survey-send" }, text.send);
  const form = element(
    "form",
    { className: "survey-form", noValidate: true },
    ...rows,
    element("label", { htmlFor: "survey-comment", className: "survey-comment-label" }, text.comment),
    comment,
    error,
    send,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (ratings.size < elements.length) {
      error.textContent = text.missing;
      error.hidden = false;
      return;
    }
    send.disabled = true;
    send.textContent = text.sending;
    try {
      const values = elements.map((_, index) => ratings.get(index));
      await api(`/api/v1/tickets/${encodeURIComponent(token)}/survey`, {
        method: "POST",
        lang,
        body: { ratings: values, comment: comment.value || null },
      });
      showThanks(section, lang);
      onSent();
    } catch (failure) {
      error.textContent = errorText(failure, text.failed);
      error.hidden = false;
      send.disabled = false;
      send.textContent = text.send;
    }
  });
  fill(
    section,
    element("h2", {}, text.heading),
    element("p", { className: "survey-intro" }, text.intro),
    form,
  );
  section.hidden = false;
}

function ratingRow(item, index, lang, text, ratings) {
  const name = lang === "en" ? item.name_en : item.name;
  const choices = text.scale.map((label, value) =>
    element(
      "label",
      { className: "survey-choice" },
      element("input", {
        type: "radio",
        name: `u${index + 1}`,
        value: String(value + 1),
        onchange: () => ratings.set(index, value + 1),
      }),
      element("span", { className: "survey-value" }, String(value + 1)),
      element("span", { className: "survey-label" }, label),
    ),
  );
  return element(
    "fieldset",
    { className: "survey-element", dataset: { element: item.code } },
    element("legend", {}, `${index + 1}. ${name}`),
    element("div", { className: "survey-choices" }, ...choices),
  );
}

function showThanks(section, lang) {
  const text = TEXT[lang] || TEXT.id;
  fill(section, element("p", { className: "survey-thanks", role: "status" }, text.thanks));
  section.hidden = false;
}
