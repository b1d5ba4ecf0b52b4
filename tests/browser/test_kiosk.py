"""The kiosk: services by agency, one number per tap, the QR code, and the way back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screens import issue, wait_until_live, waiting
from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_kiosk_lists_services_under_their_agency(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/kiosk")
    agencies = page.locator(".agency")
    expect(agencies).to_have_count(2)
    expect(agencies.nth(0).locator(".agency-name")).to_have_text("Disdukcapil")
    expect(agencies.nth(0).locator(".service-name")).to_have_text(
        ["Perekaman KTP-el", "Kartu Keluarga", "Layanan Ditutup"]
    )
    expect(agencies.nth(1).locator(".agency-name")).to_have_text("Samsat")
    expect(agencies.nth(1).locator(".service-name")).to_have_text(["Pajak Kendaraan"])
    expect(page.locator("#hall-name")).to_have_text("Aula Uji")
    expect(page.locator("#clock")).to_have_text(re.compile(r"^\d{2}\.\d{2}$"))


def test_closed_service_shows_why_and_cannot_be_taken(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/kiosk")
    wait_until_live(page)
    closed = page.locator("button.service", has_text="Layanan Ditutup")
    expect(closed).to_be_disabled()
    expect(closed).to_contain_text("Layanan tidak tersedia")
    closed.click(force=True)
    page.wait_for_timeout(500)
    expect(page.locator("#start-screen")).to_be_visible()
    expect(page.locator("#ticket-screen")).to_be_hidden()
    expect(page.locator("#failure-screen")).to_be_hidden()


def test_tap_shows_number_and_qr_then_returns_to_start(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/kiosk?return_after=2")
    page.locator("button.service", has_text="Perekaman KTP-el").click()
    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"^A\d{3}$"))
    expect(page.locator("#ticket-service")).to_have_text("Perekaman KTP-el")
    expect(page.locator("#ticket-ahead")).to_have_text(re.compile(r"^Di depan Anda: \d+ orang$"))
    expect(page.locator("#ticket-estimate")).to_contain_text("Perkiraan waktu tunggu")
    expect(
        page.get_by_text("Pindai atau foto kode QR ini untuk memantau antrean Anda")
    ).to_be_visible()
    qr = page.locator("#ticket-qr")
    expect(qr).to_be_visible()
    page.wait_for_function(
        "() => { const qr = document.getElementById('ticket-qr');"
        " return qr.complete && qr.naturalWidth > 0; }",
        timeout=5_000,
    )
    token = qr.get_attribute("src").split("/")[2]
    ticket = live_server.api("GET", f"/api/v1/tickets/{token}").json()
    assert ticket["number"] == number.text_content()

    expect(page.locator("#start-screen")).to_be_visible(timeout=5_000)
    expect(page.locator("#ticket-screen")).to_be_hidden()


def test_double_tap_takes_one_number(page: Page, live_server: LiveServer) -> None:
    before = waiting(live_server, "kk")
    page.goto(f"{live_server.url}/kiosk?return_after=2")
    page.locator("button.service", has_text="Kartu Keluarga").dblclick()
    expect(page.locator("#ticket-number")).to_have_text(re.compile(r"^B\d{3}$"))
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#start-screen")).to_be_visible()
    assert waiting(live_server, "kk") == before + 1


def test_refusal_shows_the_server_message_then_the_closed_service(
    page: Page, live_server: LiveServer
) -> None:
    issue(live_server, "pkb")
    issue(live_server, "pkb")
    page.goto(f"{live_server.url}/kiosk?return_after=2")
    service = page.locator("button.service", has_text="Pajak Kendaraan")
    expect(service).to_be_enabled()
    wait_until_live(page)  # the kiosk has loaded the hall again after connecting
    issue(live_server, "pkb")  # the last of today's quota goes while the kiosk still shows it open
    service.click()
    expect(page.locator("#failure-message")).to_have_text("Pajak Kendaraan: Kuota hari ini habis.")
    expect(page.locator("#start-screen")).to_be_visible(timeout=5_000)
    expect(service).to_be_disabled()
    expect(service).to_contain_text("Kuota hari ini habis")


def test_english_lasts_for_one_visitor_only(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/kiosk?return_after=2")
    expect(page.locator("#prompt")).to_have_text("Silakan pilih layanan")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("#prompt")).to_have_text("Please choose a service")
    page.locator("button.service", has_text="ID card recording").click()
    expect(page.locator("#ticket-service")).to_have_text("ID card recording")
    expect(page.locator("#ticket-ahead")).to_have_text(re.compile(r"^Ahead of you: \d+ people$"))
    page.get_by_role("button", name="Done").click()
    expect(page.locator("#prompt")).to_have_text("Silakan pilih layanan")
    expect(page.get_by_role("button", name="ID", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="EN", exact=True).click()
    page.reload()
    expect(page.locator("#prompt")).to_have_text("Silakan pilih layanan")


def test_a_visitor_who_walks_away_leaves_the_next_one_in_indonesian(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/kiosk?idle_reset=1")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("#prompt")).to_have_text("Please choose a service")
    expect(page.locator("#prompt")).to_have_text("Silakan pilih layanan", timeout=5_000)
