// The signed-in officer: who it is, signing out, and back to sign-in when the session ends.

import { api } from "/static/api.js";

let leaving = false;

/** The sign-in page, coming back to this very address afterwards. */
export function signInUrl() {
  const here = window.location.pathname + window.location.search;
  return `/login?next=${encodeURIComponent(here)}`;
}

function leave(url) {
  if (leaving) return;
  leaving = true;
  window.location.assign(url);
}

/**
 * `api()` for the officer's page. A 401 (not or no longer signed in) goes to the sign-in page;
 * the call then never settles, so nothing on the page reacts while it goes.
 */
export async function officerApi(path, options) {
  if (leaving) return new Promise(() => {});
  try {
    return await api(path, options);
  } catch (error) {
    if (error.status !== 401) throw error;
    leave(signInUrl());
    return new Promise(() => {});
  }
}

/** Who is signed in, and the counter they have open: `{user, counterId}`. */
export async function whoIsSignedIn(lang) {
  const session = await officerApi("/api/v1/session", { lang });
  return { user: session.user, counterId: session.counter_id ?? null };
}

/** Sign out, then to the sign-in page (the counter stays open under the officer's name). */
export async function signOut(lang) {
  await api("/api/v1/session", { method: "DELETE", lang });
  leave("/login");
}
