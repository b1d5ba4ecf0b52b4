"""The IKM survey on the visitor's phone after their service is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]


def serve_a_ticket(live_server: LiveServer) -> dict:
    """An officer at Loket 3 calls and completes the next Samsat ticket."""
    ids = live_server.ids()
    live_server.api("POST", "/api/v1/tickets", json={"service_id": ids["services"]["pkb"]})
    officer = live_server.officer(2)
    counter = ids["counters"]["L3"]
    officer.post(f"{live_server.url}/api/v1/counters/{counter}/open")
    called = officer.post(f"{live_server.url}/api/v1/counters/{counter}/call-next").json()
    officer.post(
        f"{live_server.url}/api/v1/tickets/{called['id']}/complete", json={"counter_id": counter}
    )
    officer.post(f"{live_server.url}/api/v1/counters/{counter}/close")
    return called


def test_a_served_visitor_rates_the_nine_elements_once(page: Page, live_server: LiveServer) -> None:
    ticket = serve_a_ticket(live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(ticket["status_url"])
    survey = page.locator("#survey")
    expect(survey.locator("h2")).to_have_text("Bagaimana pelayanan kami?")
    elements = survey.locator(".survey-element")
    expect(elements).to_have_count(9)
    expect(elements.nth(0).locator("legend")).to_have_text("1. Persyaratan")
    survey.locator(".survey-send").click()
    expect(survey.locator(".survey-error")).to_have_text("Beri nilai untuk kesembilan unsur dulu.")
    for index, rating in enumerate([4, 3, 3, 4, 3, 4, 4, 3, 3]):
        elements.nth(index).locator(".survey-choice").nth(rating - 1).click()
    page.fill("#survey-comment", "Petugas ramah")
    survey.locator(".survey-send").click()
    expect(survey.locator(".survey-thanks")).to_have_text("Terima kasih atas penilaian Anda!")
    assert (
        live_server.api("GET", f"/api/v1/tickets/{ticket['token']}/survey").json()["submitted"]
        is True
    )
    page.reload()
    expect(page.locator("#survey .survey-thanks")).to_be_visible()
    expect(page.locator("#survey form")).to_have_count(0)
