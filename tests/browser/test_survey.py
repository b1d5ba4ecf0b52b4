"""The IKM survey on the visitor's phone after their service is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screens import (
    counter_post,
    drain_queue,
    free_counter,
    issue,
    release_officer,
    sign_in,
    ticket_post,
    wait_until_live,
)
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


def test_a_counter_side_tablet_invites_each_served_visitor(
    page: Page, live_server: LiveServer
) -> None:
    counter = live_server.ids()["counters"]["L3"]
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, live_server, officer=2, path=f"/counter/survey?counter={counter}")
    wait_until_live(page)
    expect(page.locator("#counter-name")).to_have_text("Loket 3")
    expect(page.locator("#idle h1")).to_have_text("Terima kasih telah berkunjung")
    expect(page.locator("#visit")).to_be_hidden()

    drain_queue(live_server, "L3", officer=2)
    free_counter(live_server, "L3", officer=2)
    issue(live_server, "pkb")
    called = counter_post(live_server, "L3", "call-next", officer=2)
    expect(page.locator("#visit")).to_be_hidden()  # not before the service is done
    ticket_post(live_server, called, "complete", officer=2)

    expect(page.locator("#ticket-number")).to_have_text(called["number"])
    survey = page.locator("#survey")
    expect(survey.locator(".survey-element")).to_have_count(9)
    page.locator("[data-set-lang=en]").click()
    expect(survey.locator("h2")).to_have_text("How did we do?")
    elements = survey.locator(".survey-element")
    for index in range(9):
        elements.nth(index).locator(".survey-choice").nth(3).click()
    survey.locator(".survey-send").click()
    expect(survey.locator(".survey-thanks")).to_have_text("Thank you for your rating!")
    answer = live_server.api("GET", f"/api/v1/tickets/{called['token']}/survey").json()
    assert answer["submitted"] is True
    # The tablet goes back to waiting, in Bahasa Indonesia, for the next visitor.
    expect(page.locator("#idle")).to_be_visible(timeout=15_000)
    expect(page.locator("#idle h1")).to_have_text("Terima kasih telah berkunjung")
    release_officer(live_server, 2)
