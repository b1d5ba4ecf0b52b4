// Staff sign-in: post the credentials, then go where the officer was heading.

import { api, ApiError } from "/static/api.js";
import { createI18n } from "/static/i18n.js";

const TEXT = {
  id: {
    title: "Masuk petugas",
    hint: "Masuk dengan akun Anda untuk membuka loket.",
    username: "Nama pengguna",
    password: "Kata sandi",
    submit: "Masuk",
    signing_in: "Memeriksa…",
  },
  en: {
    title: "Staff sign-in",
    hint: "Sign in with your account to open a counter.",
    username: "Username",
    password: "Password",
    submit: "Sign in",
    signing_in: "Checking…",
  },
};

const i18n = createI18n(TEXT);
const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");

/** Only paths on this server are followed after sign-in, never another site (`//x`, `/\x`). */
function nextPath() {
  const next = form.dataset.next || "/counter";
  const target = new URL(next, window.location.origin);
  return next.startsWith("/") && target.origin === window.location.origin
    ? target.pathname + target.search
    : "/counter";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  submit.disabled = true;
  submit.textContent = i18n.t("signing_in");
  try {
    await api("/api/v1/session", {
      method: "POST",
      lang: i18n.lang,
      body: { username: form.username.value, password: form.password.value },
    });
    window.location.assign(nextPath());
  } catch (failure) {
    error.textContent =
      failure instanceof ApiError && failure.message ? failure.message : i18n.t("network_error");
    error.hidden = false;
    form.password.select();
  } finally {
    submit.disabled = false;
    submit.textContent = i18n.t("submit");
  }
});

i18n.bindToggle();
i18n.translate();
