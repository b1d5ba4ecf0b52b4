"""What the browser tests share: waiting for a screen to be live, and API shortcuts."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer

PHONE = {"width": 390, "height": 844}
TV = {"width": 1920, "height": 1080}


def wait_until_live(page: Page) -> None:
    """The screen has joined its rooms and loaded its snapshot."""
    expect(page.locator("body")).to_have_attribute("data-live", "online", timeout=10_000)


def issue(server: LiveServer, service_code: str) -> dict[str, Any]:
    """Take a ticket the way a kiosk does."""
    service_id = server.ids()["services"][service_code]
    response = server.api("POST", "/api/v1/tickets", json={"service_id": service_id})
    assert response.status_code == 201, response.text
    return response.json()


def counter_post(server: LiveServer, counter_code: str, action: str) -> Any:
    """Open a counter, call next, and so on, through the API; the JSON answer (None for 204)."""
    counter_id = server.ids()["counters"][counter_code]
    response = server.api("POST", f"/api/v1/counters/{counter_id}/{action}")
    assert response.status_code in (200, 204), response.text
    return response.json() if response.status_code == 200 else None


def ticket_post(server: LiveServer, ticket: dict[str, Any], action: str) -> dict[str, Any]:
    """Recall, start, complete… a ticket at its counter through the API."""
    response = server.api(
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


def free_counter(server: LiveServer, counter_code: str) -> None:
    """Open a counter with nobody at it (finishing whoever a previous test left there)."""
    counter_id = server.ids()["counters"][counter_code]
    current = server.api("GET", f"/api/v1/counters/{counter_id}").json()["counter"]["current"]
    if current is not None:
        ticket_post(server, current, "complete")
    counter_post(server, counter_code, "open")
