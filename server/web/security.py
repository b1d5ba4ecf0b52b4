"""Locked doors for a LAN shared with visitors' phones.

- Cookies: HttpOnly, SameSite=Lax, and Secure when the hall is served over HTTPS
  (`ANTRE_SECURE_COOKIES`).
- CSRF: a state-changing request that carries a cookie (staff session, device cookie) must
  carry the page's token too, in the `X-CSRF-Token` header (JSON) or a `csrf_token` form field
  (Flask-WTF). A request authorised only by a header (`X-Device-Token`) needs none: another
  site's page cannot set that header.
- Headers: a Content-Security-Policy that runs only the app's own script files (no inline
  script, no `eval`), no plugins, no framing; no MIME sniffing; no referrer to other sites
  (status page addresses hold a ticket's token).
- Rate limits (the `limits` library): in this process's memory, or in Redis when the hall uses a
  Redis message queue, so that several processes share one count.
- Behind a proxy (`ANTRE_PROXIES`, e.g. 1 behind nginx) the client's address is taken from
  `X-Forwarded-For`, so that limits count per client, not per proxy.
"""

from __future__ import annotations

import functools
import logging
import math
import time

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFError
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from server.domain.errors import DomainError
from server.extensions import csrf
from server.web.access import has_cookie_credentials
from server.web.errors import error_response, request_lang

log = logging.getLogger(__name__)
LIMITER = "antre_limiter"
limit_of = functools.lru_cache(maxsize=16)(parse)  # a setting's text, parsed once
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class TooManyRequests(DomainError):
    """A rate limit was reached; `retry_after_s` says when to try again."""

    status = 429

    def __init__(self, code: str, message_id: str, message_en: str, retry_after_s: int) -> None:
        super().__init__(code, message_id, message_en)
        self.retry_after_s = retry_after_s


def init_app(app: Flask) -> None:
    """Cookie settings, CSRF, security headers, rate limits and the proxy fix."""
    config = app.config
    config["SESSION_COOKIE_HTTPONLY"] = True  # Flask has defaults for these: set, not setdefault
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = config["ANTRE_SECURE_COOKIES"]
    config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked below, where a cookie is sent
    config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a kiosk page stays open for weeks
    csrf.init_app(app)
    app.before_request(check_csrf)
    app.after_request(add_security_headers)
    app.register_error_handler(CSRFError, csrf_refused)
    app.register_error_handler(TooManyRequests, too_many_requests)
    app.extensions[LIMITER] = MovingWindowRateLimiter(storage_from_string(_storage_uri(app)))
    if config["ANTRE_PROXIES"]:
        proxies = config["ANTRE_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def _storage_uri(app: Flask) -> str:
    """Where counts are kept: the setting, else the hall's Redis, else this process's memory."""
    queue = app.config["ANTRE_MESSAGE_QUEUE"] or ""
    if app.config["ANTRE_RATELIMIT_STORAGE"]:
        return app.config["ANTRE_RATELIMIT_STORAGE"]
    return queue if queue.startswith(("redis://", "rediss://")) else "memory://"


def check_csrf() -> None:
    """Refuse a state-changing request that a cookie authorises but whose token is missing."""
    if request.method not in SAFE_METHODS and has_cookie_credentials():
        csrf.protect()


def csrf_refused(error: CSRFError) -> Response | tuple[str, int]:
    """403 with the reason, in the caller's language."""
    log.info("CSRF check failed on %s %s: %s", request.method, request.path, error.description)
    message_id = "Sesi halaman kedaluwarsa. Muat ulang halaman lalu coba lagi."
    message_en = "The page's session has expired. Reload the page and try again."
    if request.path.startswith("/api/"):
        return error_response(
            403, "csrf_failed", message_en if request_lang() == "en" else message_id
        )
    return f"{message_id}\n{message_en}\n", 403


def add_security_headers(response: Response) -> Response:
    """Every answer: CSP and the other security headers."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def too_many_requests(error: TooManyRequests) -> Response:
    """429 with `Retry-After`."""
    response = error_response(429, error.code, error.message(request_lang()))
    response.headers["Retry-After"] = str(error.retry_after_s)
    return response


LIMITS = {
    "ANTRE_ISSUE_LIMIT_KIOSK": (
        "too_many_tickets",
        "Terlalu banyak nomor diambil di kios ini. Tunggu sebentar lalu coba lagi.",
        "Too many tickets taken at this kiosk. Wait a moment and try again.",
    ),
    "ANTRE_ISSUE_LIMIT_ADDRESS": (
        "too_many_tickets",
        "Terlalu banyak nomor diambil dari alamat ini. Tunggu sebentar lalu coba lagi.",
        "Too many tickets taken from this address. Wait a moment and try again.",
    ),
    "ANTRE_PAIR_LIMIT": (
        "too_many_pairing_attempts",
        "Terlalu banyak percobaan pemasangan. Tunggu sebentar lalu coba lagi.",
        "Too many pairing attempts. Wait a moment and try again.",
    ),
}


def enforce_limit(setting: str, *identity: str) -> None:
    """Count one hit for `identity` against the limit named by `setting` (e.g. `30 per
    minute`); 429 when it is reached. A broken limit store lets the request through."""
    limiter: RateLimiter = current_app.extensions[LIMITER]
    item = limit_of(current_app.config[setting])
    identity = (current_app.config["ANTRE_MESSAGE_QUEUE_CHANNEL"], *identity)  # hall, in Redis
    try:
        if limiter.hit(item, setting, *identity):
            return
        reset_at = limiter.get_window_stats(item, setting, *identity).reset_time
    except Exception as error:  # noqa: BLE001 - a hall keeps issuing tickets if Redis is down
        log.warning("rate limit store unavailable, not limiting: %r", error)
        return
    raise TooManyRequests(*LIMITS[setting], max(1, math.ceil(reset_at - time.time())))
