"""Names are text, never markup: a hall whose agency, service, counter, zone and hall names are
`<script>`/`<img onerror>`/`<svg onload>` shows them as text on the kiosk, counter, display and
status pages, and prints them literally on the ticket. No dialog opens, no element is injected,
and the Content-Security-Policy blocks nothing (the `context` fixture fails the test if it did).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page, expect

from kiosk.agent import PrintAgent, ticket_paper
from kiosk.agent.client import AgentLink, Device
from tests.browser.screens import PHONE, TV, free_counter, sign_in, wait_until_live
from tests.conftest import LiveServer, start_live_server, stop_live_server
from tests.fake_printers import SensingPrinter

pytestmark = [pytest.mark.browser, pytest.mark.live]
XSS_HALL = Path(__file__).parents[1] / "halls" / "xss_hall.toml"
HALL = '<script>alert("hall")</script>'
ZONE = '"><svg onload=alert("zone")>'
AGENCY = '<img src=x onerror=alert("agency")>'
SERVICE = "<script>alert(1)</script>"
COUNTER = "<img src=x onerror=alert(2)>"
MARQUEE = '<img src=x onerror=alert("marquee")>'
FOOTER = '<script>alert("footer")</script>'
INJECTED = "script:not([src]), img[src='x'], [onerror], [onload]"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The hall of markup names (this module's `context` is paired with it)."""
    server = start_live_server(tmp_path_factory.mktemp("live-xss"), hall=XSS_HALL)
    yield server
    stop_live_server(server)


@pytest.fixture
def printer(live_server: LiveServer) -> Iterator[SensingPrinter]:
    """Kiosk K1's real print agent, printing on a python-escpos Dummy printer."""
    printer = SensingPrinter(profile="TM-T88V")
    agent = PrintAgent(lambda: printer, ticket_paper(80), print_timeout_s=5)
    link = AgentLink(agent, Device(live_server.url, "K1", live_server.tokens["K1"]))
    stop = threading.Event()
    thread = threading.Thread(target=link.serve, args=(stop,), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not live_server.api("GET", "/api/v1/kiosks/K1").json()["agent_connected"]:
        assert time.monotonic() < deadline, "the print agent did not connect"
        time.sleep(0.05)
    yield printer
    stop.set()
    thread.join(timeout=10)


@pytest.fixture
def dialogs(context: BrowserContext) -> list[str]:
    """Every alert, confirm or prompt any page of the test opens (there must be none)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    context.on("page", lambda page: page.on("dialog", record))
    return opened


def nothing_injected(page: Page) -> None:
    """No script, image or handler came from a name."""
    assert page.locator(INJECTED).count() == 0, page.locator(INJECTED).evaluate_all(
        "nodes => nodes.map(node => node.outerHTML)"
    )


def test_every_screen_shows_markup_names_as_text_and_prints_them_literally(
    context: BrowserContext,
    live_server: LiveServer,
    printer: SensingPrinter,
    dialogs: list[str],
) -> None:
    display = context.new_page()
    display.set_viewport_size(TV)
    zone = live_server.api("GET", "/api/v1/hall").json()["zones"][0]["id"]
    display.goto(f"{live_server.url}/display?zone={zone}")
    wait_until_live(display)
    expect(display.locator("#hall-name")).to_have_text(HALL)
    expect(display.locator("#zone-name")).to_have_text(ZONE)
    expect(display.locator("#counters")).to_contain_text(COUNTER)
    expect(display.locator("#running-text")).to_have_text(MARQUEE)

    kiosk = context.new_page()
    kiosk.goto(f"{live_server.url}/kiosk?kiosk=K1")
    wait_until_live(kiosk)
    expect(kiosk.locator("#hall-name")).to_have_text(HALL)
    expect(kiosk.locator(".agency-name")).to_have_text(AGENCY)
    kiosk.locator("button.service", has_text=SERVICE).click()
    expect(kiosk.locator("#ticket-number")).to_have_text(re.compile(r"^A\d{3}$"))
    expect(kiosk.locator("#ticket-service")).to_have_text(SERVICE)
    expect(kiosk.locator("#print-text")).to_have_text("Silakan ambil tiket Anda")
    number = kiosk.locator("#ticket-number").text_content() or ""
    token = (kiosk.locator("#ticket-qr").get_attribute("src") or "").split("/")[2]
    for text in (HALL, SERVICE, AGENCY, FOOTER):
        assert text.encode() in printer.output, f"{text} not printed literally"

    phone = context.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(f"{live_server.url}/t/{token}")
    wait_until_live(phone)
    expect(phone.locator("#number")).to_have_text(number)
    expect(phone.locator("#service")).to_have_text(SERVICE)

    free_counter(live_server, "L1")
    counter = context.new_page()
    sign_in(counter, live_server, 1, f"/counter?counter={live_server.ids()['counters']['L1']}")
    wait_until_live(counter)
    expect(counter.locator("#counter-name")).to_have_text(COUNTER)
    counter.get_by_role("button", name=re.compile("Panggil berikutnya")).click()
    expect(counter.locator("#current-number")).to_have_text(number)
    expect(counter.locator("#current-service")).to_have_text(SERVICE)

    expect(display.locator("#now-number")).to_have_text(number)
    expect(display.locator("#now-counter")).to_have_text(COUNTER)
    expect(phone.locator("#called-banner")).to_be_visible()
    expect(phone.locator("#called-text")).to_contain_text(COUNTER)

    for page in (display, kiosk, phone, counter):
        nothing_injected(page)
    assert dialogs == []
