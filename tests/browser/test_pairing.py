"""A new kiosk's browser: refused until paired, paired by opening its one-time link."""

from __future__ import annotations

import re

import pytest
import sqlalchemy
from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session

from server.services import devices
from server.services.context import Context
from server.services.publisher import RecordingPublisher
from tests.browser.screens import wait_until_live
from tests.conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]


def pairing_link(server: LiveServer, code: str) -> str:
    """The link `antre device pair` prints for a device."""
    engine = sqlalchemy.create_engine(server.database_url)
    try:
        with Session(engine) as session:
            pairing = devices.start_pairing(session, Context(RecordingPublisher()), code)
    finally:
        engine.dispose()
    return f"{server.url}/pair?code={pairing.code}"


def test_a_kiosk_browser_is_refused_until_it_opens_its_pairing_link(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="id-ID")  # a new kiosk PC: no cookies at all
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk?kiosk=K2")
        expect(page.locator("#pair-refused")).to_be_visible()
        expect(page.locator("button.service")).to_have_count(0)

        page.goto(pairing_link(live_server, "K2"))
        page.get_by_role("button", name=re.compile("Pasangkan")).click()
        page.wait_for_url(re.compile(r"/kiosk\?kiosk=K2$"))
        wait_until_live(page)
        expect(page.locator("button.service").first).to_be_visible()
        cookie = next(c for c in context.cookies() if c["name"] == "antre_kiosk")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert page.evaluate("document.cookie").find("antre_kiosk") == -1

        page.goto(f"{live_server.url}/pair")
        expect(page.locator("#paired-as")).to_contain_text("kiosk K2")
        page.locator("#pair-code").fill("AAAA-BBBB")
        page.get_by_role("button", name=re.compile("Pasangkan")).click()
        expect(page.locator("#pair-error")).to_contain_text("Kode pemasangan salah")

        page.goto(f"{live_server.url}/kiosk?kiosk=K2")
        wait_until_live(page)
        revoke(live_server, "K2")  # the admin unpairs it while its page is open
        page.locator("button.service").first.click()
        expect(page.locator("#failure-message")).to_contain_text("belum dipasangkan")
        expect(page.locator("#pair-refused")).to_be_visible()  # the page reloaded by itself
    finally:
        context.close()


def revoke(server: LiveServer, code: str) -> None:
    """What `antre device revoke` does."""
    engine = sqlalchemy.create_engine(server.database_url)
    try:
        with Session(engine) as session:
            devices.revoke_device(session, code)
    finally:
        engine.dispose()
