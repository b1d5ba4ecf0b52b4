"""What the browser tests share: waiting for a screen to be live, signing in, API shortcuts."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import requests
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import OFFICER_PASSWORD, LiveServer

PHONE = {"width": 390, "height": 844}
TV = {"width": 1920, "height": 1080}
OFFICERS = (1, 2)  # the live server's officers: petugas1, petugas2
_sessions: dict[tuple[str, int], requests.Session] = {}


def pair_browser(context: BrowserContext, server: LiveServer, *devices: str) -> None:
    """Make a browser profile the paired device(s) `K1`, `K2`, `D1`, as opening its pairing link
    would: the device cookie (a test's browser starts as K1 and D1)."""
    context.add_cookies([server.device_cookie(code) for code in devices])  # type: ignore[list-item]


def wait_until_live(page: Page) -> None:
    """The screen has joined its rooms and loaded its snapshot."""
    expect(page.locator("body")).to_have_attribute("data-live", "online", timeout=10_000)


def sign_in(page: Page, server: LiveServer, officer: int = 1, path: str = "/counter") -> None:
    """Visit `path` signed out, sign in on the /login page as `petugas<officer>`, land back."""
    page.goto(server.url + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.locator("#username").fill(f"petugas{officer}")
    page.locator("#password").fill(OFFICER_PASSWORD)
    page.locator("#login-submit").click()
    wanted = urlsplit(path).path
    page.wait_for_url(lambda url: urlsplit(url).path == wanted)


def officer_session(server: LiveServer, officer: int = 1) -> requests.Session:
    """An HTTP session signed in as `petugas<officer>`, kept for the server's life."""
    key = (server.url, officer)
    if key not in _sessions:
        _sessions[key] = server.officer(officer)
    return _sessions[key]


def officer_api(
    server: LiveServer, officer: int, method: str, path: str, **kwargs: Any
) -> requests.Response:
    """Call the server's HTTP API as `petugas<officer>`."""
    return officer_session(server, officer).request(method, server.url + path, timeout=10, **kwargs)


def issue(server: LiveServer, service_code: str, **ticket: Any) -> dict[str, Any]:
    """Take a ticket the way a kiosk does (`priority=True, priority_class="lansia"`…)."""
    service_id = server.ids()["services"][service_code]
    response = server.api("POST", "/api/v1/tickets", json={"service_id": service_id, **ticket})
    assert response.status_code == 201, response.text
    return response.json()


def counter_post(
    server: LiveServer, counter_code: str, action: str, officer: int = 1, **body: Any
) -> Any:
    """Open a counter, call next, and so on, as an officer; the JSON answer (None for 204)."""
    counter_id = server.ids()["counters"][counter_code]
    path = f"/api/v1/counters/{counter_id}/{action}"
    response = officer_api(server, officer, "POST", path, json=body or None)
    assert response.status_code in (200, 204), response.text
    return response.json() if response.status_code == 200 else None


def ticket_post(
    server: LiveServer, ticket: dict[str, Any], action: str, officer: int = 1
) -> dict[str, Any]:
    """Recall, start, complete… a ticket at its counter, as the officer who has that counter."""
    response = officer_api(
        server,
        officer,
        "POST",
        f"/api/v1/tickets/{ticket['id']}/{action}",
        json={"counter_id": ticket["counter_id"]},
    )
    assert response.status_code == 200, response.text
    return response.json()


def waiting(server: LiveServer, service_code: str) -> int:
    """How many wait for a service, as the hall overview says."""
    hall = server.api("GET", "/api/v1/hall").json()
    return next(
        service["waiting"]
        for agency in hall["agencies"]
        for service in agency["services"]
        if service["code"] == service_code
    )


def release_officer(server: LiveServer, officer: int) -> None:
    """Close the counter an officer has open, finishing whoever is at it."""
    counter_id = officer_api(server, officer, "GET", "/api/v1/session").json()["counter_id"]
    if counter_id is None:
        return
    snapshot = officer_api(server, officer, "GET", f"/api/v1/counters/{counter_id}").json()
    current = snapshot["counter"]["current"]
    if current is not None:
        ticket_post(server, current, "complete", officer)
    closed = officer_api(server, officer, "POST", f"/api/v1/counters/{counter_id}/close")
    assert closed.status_code == 200, closed.text


def release_counter(server: LiveServer, counter_code: str) -> None:
    """Close a counter whichever officer has it open."""
    counter_id = server.ids()["counters"][counter_code]
    for officer in OFFICERS:
        session = officer_api(server, officer, "GET", "/api/v1/session").json()
        if session["counter_id"] == counter_id:
            release_officer(server, officer)


def free_counter(server: LiveServer, counter_code: str, officer: int = 1) -> None:
    """Open a counter for `officer` with nobody at it (whoever had it, or what they left there)."""
    release_counter(server, counter_code)
    release_officer(server, officer)
    counter_post(server, counter_code, "open", officer)


def drain_queue(server: LiveServer, counter_code: str, officer: int = 1) -> None:
    """Serve everyone a counter could call, so a test starts from its own tickets; then close it."""
    free_counter(server, counter_code, officer)
    for _ in range(200):
        ticket = counter_post(server, counter_code, "call-next", officer)
        if ticket is None:
            break
        ticket_post(server, ticket, "complete", officer)
    else:
        raise AssertionError(f"{counter_code}'s queue did not empty")
    release_officer(server, officer)
