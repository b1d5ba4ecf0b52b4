// The JSON API: one fetch wrapper that asks for messages in the screen's language.

/** A refusal or failure; `message` is the server's text for the user (empty when the network failed). */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message || "");
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/** The page's CSRF token (its `csrf-token` meta tag), sent with every state-changing call. */
function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

/**
 * Call `/api/v1/...`; resolves with the JSON body (null for 204), rejects with an ApiError.
 * `lang` is sent as `?lang=` so error messages come back in the visitor's language.
 */
export async function api(path, { method = "GET", body, lang = "id" } = {}) {
  const url = new URL(path, window.location.origin);
  url.searchParams.set("lang", lang);
  const init = { method, cache: "no-store", credentials: "same-origin", headers: {} };
  if (!SAFE_METHODS.includes(method.toUpperCase())) init.headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError("", 0, "network");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    // A kiosk or display the admin revoked: reloading shows the page that says how to pair it.
    if (error.code === "not_paired") window.setTimeout(() => window.location.reload(), 3000);
    throw new ApiError(error.message, response.status, error.code || `http_${response.status}`);
  }
  return data;
}

/** The message to show for any failure: the server's words, else the screen's fallback. */
export function errorText(error, fallback) {
  return error instanceof ApiError && error.message ? error.message : fallback;
}
