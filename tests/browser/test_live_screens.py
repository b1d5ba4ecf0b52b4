"""Counter, display and status page together: a call travels to every screen without reloads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.screens import (
    PHONE,
    TV,
    counter_post,
    free_counter,
    issue,
    release_counter,
    release_officer,
    sign_in,
    ticket_post,
    wait_until_live,
)
from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]


def open_display(context: BrowserContext, server: LiveServer, zone_code: str) -> Page:
    """A hall display of one zone, live."""
    zones = server.api("GET", "/api/v1/hall").json()["zones"]
    zone_id = next(zone["id"] for zone in zones if zone["code"] == zone_code)
    display = context.new_page()
    display.set_viewport_size(TV)
    display.goto(f"{server.url}/display?zone={zone_id}")
    wait_until_live(display)
    return display


def test_kiosk_number_called_at_counter_shows_on_display(
    page: Page, context: BrowserContext, live_server: LiveServer
) -> None:
    display = open_display(context, live_server, "z1")
    expect(display.locator("#zone-name")).to_have_text("Lantai 1")

    page.goto(f"{live_server.url}/kiosk")
    page.locator("button.service", has_text="Perekaman KTP-el").click()
    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"^A\d{3}$"))
    called = number.text_content()

    release_officer(live_server, 1)
    release_counter(live_server, "L2")
    counter = context.new_page()
    sign_in(counter, live_server, 1)
    counter.locator("button.pick", has_text="Loket 2").click()
    expect(counter.locator("#counter-name")).to_have_text("Loket 2")
    expect(counter.locator("#counter-status")).to_have_text("Buka")
    wait_until_live(counter)
    counter.get_by_role("button", name=re.compile("Panggil berikutnya")).click()
    expect(counter.locator("#current-number")).to_have_text(called)
    expect(counter.locator("#current-service")).to_have_text("Perekaman KTP-el")

    expect(display.locator("#now-number")).to_have_text(called, timeout=5_000)
    expect(display.locator("#now-counter")).to_have_text("Loket 2")
    card = display.locator(".counter-card", has_text="Loket 2")
    expect(card.locator(".counter-number")).to_have_text(called)
    expect(display.locator(".last-call").first).to_contain_text(called)

    counter.keyboard.press("s")
    expect(counter.locator("#current-status")).to_have_text("Sedang dilayani")
    expect(card.locator(".counter-note")).to_have_text("Dilayani")
    counter.keyboard.press("c")
    expect(counter.locator("#current-number")).to_have_text("—")
    expect(counter.locator("#served-today")).to_have_text("Dilayani hari ini: 1")
    expect(counter.locator(".history-item").first).to_contain_text(f"{called}Selesai")
    expect(card.locator(".counter-number")).to_have_text("—")


def test_counter_buttons_follow_the_state(page: Page, live_server: LiveServer) -> None:
    counter_id = live_server.ids()["counters"]["L9"]
    release_officer(live_server, 1)
    release_counter(live_server, "L9")
    sign_in(page, live_server, 1, f"/counter?counter={counter_id}")
    expect(page.locator("#counter-name")).to_have_text("Loket Kosong")
    call = page.locator("[data-action=call]")
    pause = page.locator("[data-action=pause]")
    expect(page.locator("[data-action=recall]")).to_be_disabled()
    expect(page.locator("[data-action=complete]")).to_be_disabled()
    expect(page.locator("#counter-status")).to_have_text("Tutup")
    expect(call).to_be_disabled()
    expect(pause).to_have_text(re.compile("Buka loket"))
    page.keyboard.press("b")
    expect(page.locator("#counter-status")).to_have_text("Buka")
    expect(call).to_be_enabled()
    call.click()
    expect(page.locator("#error-text")).to_have_text(
        "Loket Kosong belum melayani layanan apa pun. Hubungi admin."
    )
    page.locator("[data-dismiss=error]").click()
    expect(page.locator("#error")).to_be_hidden()
    page.keyboard.press("q")
    expect(page.locator("#counter-status")).to_have_text("Tutup")


def test_status_page_shows_position_then_the_call(page: Page, live_server: LiveServer) -> None:
    first = issue(live_server, "pkb")
    mine = issue(live_server, "pkb")
    page.set_viewport_size(PHONE)
    page.goto(mine["status_url"])
    expect(page.locator("#number")).to_have_text(mine["number"])
    expect(page.locator("#status-word")).to_have_text("Menunggu dipanggil")
    expect(page.locator("#position")).to_have_text("2")
    expect(page.locator("#ahead")).to_have_text("1 orang")
    wait_until_live(page)

    free_counter(live_server, "L3")
    ahead = counter_post(live_server, "L3", "call-next")
    assert ahead["number"] == first["number"]
    ticket_post(live_server, ahead, "complete")
    expect(page.locator("#position")).to_have_text("1", timeout=5_000)
    expect(page.locator("#ahead")).to_have_text("0 orang")
    expect(page.locator("#called-banner")).to_be_hidden()

    counter_post(live_server, "L3", "call-next")
    banner = page.locator("#called-banner")
    expect(banner).to_be_visible(timeout=5_000)
    expect(banner).to_contain_text("Nomor Anda dipanggil!")
    expect(banner).to_contain_text("Silakan menuju Loket 3")
    expect(page.locator("#status-word")).to_have_text("Dipanggil")
    expect(page.locator("#waiting-facts")).to_be_hidden()

    page.get_by_role("button", name="EN", exact=True).click()
    expect(banner).to_contain_text("Please go to Loket 3")


def test_display_reload_keeps_the_call_without_repeating_it(
    context: BrowserContext, live_server: LiveServer
) -> None:
    issue(live_server, "kk")
    free_counter(live_server, "L1")
    ticket = counter_post(live_server, "L1", "call-next")
    display = open_display(context, live_server, "z1")
    expect(display.locator("#now-number")).to_have_text(ticket["number"])
    expect(display.locator("#now-counter")).to_have_text("Loket 1")
    calls = display.locator(".last-call")
    shown = calls.count()
    assert shown >= 1
    expect(display.locator("#now-calling")).not_to_have_class(re.compile("highlight"))

    ticket_post(live_server, ticket, "recall")
    expect(calls).to_have_count(min(shown + 1, 8), timeout=5_000)
    expect(display.locator("#now-note")).to_have_text("Panggilan ulang")
    expect(display.locator("#now-calling")).to_have_class(re.compile("highlight"))

    display.reload()
    wait_until_live(display)
    expect(display.locator("#now-number")).to_have_text(ticket["number"])
    expect(display.locator("#now-counter")).to_have_text("Loket 1")
    expect(
        display.locator(".counter-card", has_text="Loket 1").locator(".counter-number")
    ).to_have_text(ticket["number"])
    expect(calls).to_have_count(min(shown + 1, 8))
    expect(display.locator("#now-calling")).not_to_have_class(re.compile("highlight"))


def test_display_catches_up_after_losing_its_connection(
    context: BrowserContext, live_server: LiveServer
) -> None:
    display = open_display(context, live_server, "z1")
    calls = display.locator(".last-call")
    before = calls.count()
    banner = display.locator("#live-banner")
    expect(banner).to_be_hidden()

    context.set_offline(True)
    expect(banner).to_be_visible()
    expect(banner).to_have_text("Koneksi terputus. Menyambungkan ulang…")
    issue(live_server, "ktp")
    free_counter(live_server, "L2")
    ticket = counter_post(live_server, "L2", "call-next")
    display.wait_for_timeout(300)
    expect(display.locator("#now-number")).not_to_have_text(ticket["number"])

    context.set_offline(False)
    expect(banner).to_be_hidden(timeout=10_000)
    expect(display.locator("#now-number")).to_have_text(ticket["number"])
    expect(display.locator("#now-counter")).to_have_text("Loket 2")
    expect(calls).to_have_count(min(before + 1, 8))
    # A call missed while offline that is still the counter's current one is announced late.
    expect(display.locator("#now-calling")).to_have_class(re.compile("highlight"))
