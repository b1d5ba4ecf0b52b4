// Modal dialogs (real <dialog> elements): a form whose submit runs one request. The dialog
// closes when it succeeds and shows the refusal inside itself otherwise; Escape cancels.

import { ApiError, errorText } from "/static/api.js";

/** A refusal found before asking the server (e.g. no reason chosen). */
export function refusal(message) {
  return new ApiError(message, 400, "refused_here");
}

/** Is any dialog open? Shortcut keys then belong to it. */
export function dialogOpen() {
  return document.querySelector("dialog[open]") !== null;
}

/**
 * Wire `dialog` once: its form's submit calls `onSubmit(form, submitter)` (async); buttons with
 * `data-close` cancel. `fallback()` is the message for a failure without the server's words.
 */
export function bindDialog(dialog, onSubmit, fallback) {
  const form = dialog.querySelector("form");
  const error = dialog.querySelector(".dialog-error");
  let running = false;

  function setRunning(on) {
    running = on;
    form.querySelectorAll("button").forEach((button) => {
      button.disabled = on;
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (running) return;
    setRunning(true);
    error.hidden = true;
    try {
      await onSubmit(form, event.submitter);
      dialog.close();
    } catch (failure) {
      error.textContent = errorText(failure, fallback());
      error.hidden = false;
    } finally {
      setRunning(false);
    }
  });
  dialog.addEventListener("cancel", (event) => {
    if (running) event.preventDefault();
  });
  dialog.querySelectorAll("[data-close]").forEach((button) => {
    button.addEventListener("click", () => {
      if (!running) dialog.close();
    });
  });
  // Enter in a free-text reason submits that text, not the first preset button.
  const other = form.querySelector("[data-other]");
  if (other) {
    form.elements.other.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      form.requestSubmit(other);
    });
  }
}

/** Open `dialog` fresh: form cleared, no old error, the ticket's number in its title. */
export function openDialog(dialog, number = "") {
  dialog.querySelector("form").reset();
  dialog.querySelector(".dialog-error").hidden = true;
  dialog.querySelectorAll("[data-ticket-number]").forEach((span) => {
    span.textContent = number;
  });
  dialog.showModal();
}

/** The reason a reason dialog was submitted with: the preset clicked, else the text typed. */
export function chosenReason(form, submitter, message) {
  const preset = submitter && !submitter.hasAttribute("data-other") ? submitter.value : "";
  const reason = (preset || form.elements.other.value).trim();
  if (!reason) throw refusal(message);
  return reason;
}
