"""The kiosk prints through its real print agent, and never leaves a visitor without a number.

The agent is the real one (`kiosk.agent`) running in this process and printing on a fake
ESC/POS printer that can run out of paper (tests/fake_printers.py).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import socketio
from playwright.sync_api import Page, expect

from kiosk.agent import PrintAgent, ticket_paper
from kiosk.agent.client import AgentLink, Device
from tests.browser.screens import pair_browser, wait_until_live
from tests.conftest import LiveServer
from tests.fake_printers import SensingPrinter

pytestmark = [pytest.mark.browser, pytest.mark.live]

TAKE_TICKET = "Silakan ambil tiket Anda"
PRINTER_TROUBLE = (
    "Printer sedang bermasalah. Foto layar ini atau pindai kode QR — nomor Anda sudah tercatat."
)
NO_PRINTER = "Printer tidak tersedia — nomor antrean akan ditampilkan di layar"


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def agent_connected(server: LiveServer, kiosk: str) -> bool:
    return server.api("GET", f"/api/v1/kiosks/{kiosk}", device=kiosk).json()["agent_connected"]


@pytest.fixture
def printer() -> SensingPrinter:
    return SensingPrinter(profile="TM-T88V")


@pytest.fixture
def agent_k1(live_server: LiveServer, printer: SensingPrinter) -> Iterator[None]:
    """Kiosk K1's print agent, printing on `printer`."""
    agent = PrintAgent(lambda: printer, ticket_paper(80), print_timeout_s=5)
    device = Device(live_server.url, "K1", live_server.tokens["K1"])
    link = AgentLink(agent, device, status_interval_s=60)
    stop = threading.Event()
    thread = threading.Thread(target=link.serve, args=(stop,), daemon=True)
    thread.start()
    wait_for(lambda: agent_connected(live_server, "K1"), "the agent to connect")
    yield
    stop.set()
    thread.join(timeout=10)
    wait_for(lambda: not agent_connected(live_server, "K1"), "the agent to disconnect")


def take_ticket(page: Page, service: str) -> str:
    """Tap a service; the number shown."""
    page.locator("button.service", has_text=service).click()
    expect(page.locator("#ticket-screen")).to_be_visible()  # shown once the new number is in
    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"^[A-Z]\d{3}$"))
    return number.text_content() or ""


def expect_number_and_qr(page: Page, number: str) -> None:
    expect(page.locator("#ticket-number")).to_have_text(number)
    expect(page.locator("#ticket-qr")).to_be_visible()
    page.wait_for_function(
        "() => { const qr = document.getElementById('ticket-qr');"
        " return qr.complete && qr.naturalWidth > 0; }",
        timeout=5_000,
    )


def test_a_tap_prints_the_ticket_once(
    page: Page, live_server: LiveServer, printer: SensingPrinter, agent_k1: None
) -> None:
    page.goto(f"{live_server.url}/kiosk?kiosk=K1")
    wait_until_live(page)
    expect(page.locator("#printer-banner")).to_be_hidden()
    number = take_ticket(page, "Perekaman KTP-el")
    expect(page.locator("#print-text")).to_have_text(TAKE_TICKET)
    expect(page.locator("#reprint")).to_be_hidden()
    assert printer.output.count(number.encode()) == 1


def test_paper_out_shows_the_notice_and_a_reprint_prints_once(
    page: Page, live_server: LiveServer, printer: SensingPrinter, agent_k1: None
) -> None:
    page.goto(f"{live_server.url}/kiosk?kiosk=K1")
    wait_until_live(page)
    printer.paper_byte = SensingPrinter.PAPER_OUT
    number = take_ticket(page, "Perekaman KTP-el")
    expect(page.locator("#print-text")).to_have_text(PRINTER_TROUBLE)
    expect_number_and_qr(page, number)
    expect(page.locator("#ticket-countdown")).to_have_text(
        re.compile(r"^Kembali ke awal dalam (2\d|30) detik$")
    )
    assert number.encode() not in printer.output

    printer.paper_byte = SensingPrinter.PAPER_OK
    page.get_by_role("button", name="Cetak ulang").click()
    expect(page.locator("#print-text")).to_have_text(TAKE_TICKET)
    expect(page.locator("#reprint")).to_be_hidden()
    assert printer.output.count(number.encode()) == 1

    printer.paper_byte = SensingPrinter.PAPER_OUT
    second = take_ticket_after_done(page, "Kartu Keluarga")
    expect(page.locator("#print-text")).to_have_text(PRINTER_TROUBLE)
    expect_number_and_qr(page, second)
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#start-screen")).to_be_visible()
    expect(page.locator("#printer-banner")).to_have_text(NO_PRINTER)
    expect(page.locator("button.service", has_text="Kartu Keluarga")).to_be_enabled()


def take_ticket_after_done(page: Page, service: str) -> str:
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#start-screen")).to_be_visible()
    return take_ticket(page, service)


def test_a_kiosk_without_its_agent_shows_the_notice_at_once(
    page: Page, live_server: LiveServer
) -> None:
    pair_browser(page.context, live_server, "K2")
    page.goto(f"{live_server.url}/kiosk?kiosk=K2")
    wait_until_live(page)
    expect(page.locator("#printer-banner")).to_have_text(NO_PRINTER)
    number = take_ticket(page, "Kartu Keluarga")
    expect(page.locator("#print-text")).to_have_text(PRINTER_TROUBLE, timeout=2_000)
    expect(page.locator("#reprint")).to_be_hidden()
    expect_number_and_qr(page, number)
    expect(page.get_by_role("button", name="Selesai")).to_be_visible()


def test_an_agent_that_never_answers_counts_as_a_failed_print(
    page: Page, live_server: LiveServer
) -> None:
    silent = socketio.Client(reconnection=False)
    auth = {"kiosk": "K2", "token": live_server.tokens["K2"]}
    silent.connect(live_server.url, namespaces=["/agent"], auth=auth, wait_timeout=10)
    try:
        wait_for(lambda: agent_connected(live_server, "K2"), "the silent agent to connect")
        pair_browser(page.context, live_server, "K2")
        page.goto(f"{live_server.url}/kiosk?kiosk=K2&print_wait=2")
        wait_until_live(page)
        number = take_ticket(page, "Kartu Keluarga")
        expect(page.locator("#print-text")).to_have_text("Mencetak tiket…")
        expect(page.locator("#print-text")).to_have_text(PRINTER_TROUBLE, timeout=4_000)
        expect(page.locator("#reprint")).to_be_visible()
        expect_number_and_qr(page, number)
    finally:
        silent.disconnect()
    wait_for(lambda: not agent_connected(live_server, "K2"), "the silent agent to disconnect")


def test_a_priority_visitor_chooses_the_group_then_the_service(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/kiosk")
    page.get_by_role("button", name="Prioritas: lansia, disabilitas, ibu hamil/menyusui").click()
    expect(page.locator("#priority-screen")).to_be_visible()
    page.get_by_role("button", name="Lansia", exact=True).click()
    expect(page.locator("#prompt")).to_have_text("Prioritas Lansia: silakan pilih layanan")
    take_ticket(page, "Perekaman KTP-el")
    expect(page.locator("#ticket-priority")).to_have_text("Prioritas — Lansia")
    expect(page.locator("#print-state")).to_be_hidden()  # no ?kiosk=: nothing prints
    token = (page.locator("#ticket-qr").get_attribute("src") or "").split("/")[2]
    ticket = live_server.api("GET", f"/api/v1/tickets/{token}").json()
    assert (ticket["priority"], ticket["priority_class"]) == (True, "lansia")

    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#prompt")).to_have_text("Silakan pilih layanan")
    expect(page.locator("#priority-entry")).to_be_visible()
    expect(page.locator("#printer-banner")).to_be_hidden()
