"""An officer's session at the counter page: sign in, take a counter, call, transfer, hold,
call out of turn, take a break, sign out; and what a second officer sees meanwhile."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import ACTION_TIMEOUT_MS, ARTIFACTS, REPORTS
from tests.browser.screens import (
    OFFICERS,
    drain_queue,
    issue,
    release_counter,
    release_officer,
    sign_in,
    wait_until_live,
)
from tests.conftest import OFFICER_PASSWORD, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.live]
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def second_officer(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """Another officer's terminal: its own browser profile (own sign-in), at 1366×768."""
    context = browser.new_context(viewport=LAPTOP, locale="id-ID")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    errors: list[str] = []
    context.on("page", lambda page: page.on("pageerror", lambda error: errors.append(str(error))))
    yield context
    failed = any(report.failed for report in request.node.stash.get(REPORTS, {}).values())
    ARTIFACTS.mkdir(exist_ok=True)
    for index, open_page in enumerate(context.pages):
        stem = f"test_counter_session-{request.node.name}-officer2-{index + 1}"
        for stale in (ARTIFACTS / f"{stem}.png", ARTIFACTS / f"{stem}-failed.png"):
            stale.unlink(missing_ok=True)
        open_page.screenshot(path=str(ARTIFACTS / f"{stem}{'-failed' if failed else ''}.png"))
    context.close()
    assert not errors, f"uncaught JavaScript errors: {errors}"


def take_counter(page: Page, live_server: LiveServer, officer: int, name: str) -> None:
    """Sign in, pick the counter from the picker, and wait until the desk is live."""
    sign_in(page, live_server, officer)
    expect(page.locator("#officer-name")).to_have_text(f"Petugas {officer}")
    page.locator("button.pick", has_text=name).click()
    expect(page.locator("#counter-name")).to_have_text(name)
    expect(page.locator("#counter-status")).to_have_text("Buka")
    wait_until_live(page)


def test_officer_transfers_takes_a_break_and_signs_out(
    page: Page, second_officer: BrowserContext, live_server: LiveServer
) -> None:
    for officer in OFFICERS:
        release_officer(live_server, officer)
    drain_queue(live_server, "L1")
    drain_queue(live_server, "L2")
    number = issue(live_server, "kk")["number"]

    take_counter(page, live_server, 1, "Loket 1")
    expect(page.locator("#queue .ticket-row")).to_contain_text(number)
    page.get_by_role("button", name=re.compile("Panggil berikutnya")).click()
    expect(page.locator("#current-number")).to_have_text(number)
    expect(page.locator("#current-reason")).to_contain_text("Kedatangan paling awal")

    page.keyboard.press("t")
    transfer = page.locator("#transfer-dialog")
    expect(transfer).to_be_visible()
    expect(transfer.locator("h2")).to_contain_text(number)
    expect(transfer.locator("optgroup[label=Samsat] option")).to_have_text(["D · Pajak Kendaraan"])
    expect(transfer.locator("option", has_text="Layanan Ditutup")).to_have_count(0)
    transfer.get_by_label("Layanan tujuan").select_option(label="A · Perekaman KTP-el")
    loket_2 = str(live_server.ids()["counters"]["L2"])
    transfer.get_by_label("Loket tujuan (opsional)").select_option(value=loket_2)
    transfer.get_by_label("Catatan (opsional)").fill("Bawa KK asli")
    transfer.get_by_role("button", name="Alihkan").click()
    expect(transfer).to_be_hidden()
    expect(page.locator("#current-number")).to_have_text("—")
    expect(page.locator("#notice-text")).to_have_text(f"{number} dialihkan ke Loket 2.")
    expect(page.locator(".history-item").first).to_contain_text(f"{number}Dialihkan")

    other = second_officer.new_page()
    take_counter(other, live_server, 2, "Loket 2")
    other.get_by_role("button", name=re.compile("Panggil berikutnya")).click()
    expect(other.locator("#current-number")).to_have_text(number)
    expect(other.locator("#current-service")).to_have_text("Perekaman KTP-el")
    expect(other.locator("#current-origin")).to_have_text(
        "Dialihkan dari Loket 1 (Kartu Keluarga): Bawa KK asli"
    )
    other.keyboard.press("c")
    expect(other.locator("#current-number")).to_have_text("—")
    expect(other.locator("#served-today")).to_have_text("Dilayani hari ini: 1")

    call_next = page.locator("[data-action=call]")
    page.keyboard.press("b")
    rest = page.locator("#break-dialog")
    expect(rest).to_be_visible()
    rest.get_by_role("button", name="Salat").click()
    expect(rest).to_be_hidden()
    expect(page.locator("#counter-status")).to_have_text("Istirahat")
    expect(page.locator("#break-reason")).to_have_text("Salat")
    expect(call_next).to_be_disabled()
    page.keyboard.press("b")
    expect(page.locator("#counter-status")).to_have_text("Buka")
    expect(page.locator("#break-reason")).to_be_hidden()
    expect(call_next).to_be_enabled()

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.locator("#username").fill("petugas1")
    page.locator("#password").fill(OFFICER_PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#counter-name")).to_have_text("Loket 1")  # still open: straight back
    expect(page).to_have_url(
        re.compile(rf"/counter\?counter={live_server.ids()['counters']['L1']}$")
    )


def test_two_officers_cannot_open_the_same_counter(
    page: Page, second_officer: BrowserContext, live_server: LiveServer
) -> None:
    for officer in OFFICERS:
        release_officer(live_server, officer)
    release_counter(live_server, "L3")
    take_counter(page, live_server, 1, "Loket 3")

    other = second_officer.new_page()
    sign_in(other, live_server, 2)
    choice = other.locator("button.pick", has_text="Loket 3")
    expect(choice).to_contain_text("Buka")
    choice.click()
    expect(other.locator("#error-text")).to_have_text("Loket 3 sedang dibuka oleh Petugas 1.")
    expect(other.locator("#picker")).to_be_visible()

    loket_3 = live_server.ids()["counters"]["L3"]
    other.goto(f"{live_server.url}/counter?counter={loket_3}")
    expect(other.locator("#taken")).to_contain_text("Loket 3 sedang dibuka oleh Petugas 1")
    expect(other.locator("[data-action=pause]")).to_be_disabled()
    expect(other.locator("[data-action=close]")).to_be_disabled()
    expect(other.locator("#switch-counter")).to_be_visible()

    # Signed out elsewhere: the next request sends the officer to sign in, then back here.
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    page.request.delete(f"{live_server.url}/api/v1/session", headers={"X-CSRF-Token": csrf})
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(rf"/login\?next=%2Fcounter%3Fcounter%3D{loket_3}$"))
    page.locator("#username").fill("petugas1")
    page.locator("#password").fill(OFFICER_PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#counter-name")).to_have_text("Loket 3")
    expect(page.locator("#counter-status")).to_have_text("Buka")


def test_hold_then_resume_from_the_held_list(page: Page, live_server: LiveServer) -> None:
    release_officer(live_server, 1)
    drain_queue(live_server, "L1")
    number = issue(live_server, "kk")["number"]
    take_counter(page, live_server, 1, "Loket 1")
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text(number)

    page.keyboard.press("t")
    expect(page.locator("#transfer-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#transfer-dialog")).to_be_hidden()
    expect(page.locator("#current-number")).to_have_text(number)

    page.keyboard.press("h")
    hold = page.locator("#hold-dialog")
    expect(hold).to_be_visible()
    expect(hold.get_by_label("Catatan (opsional)")).to_be_focused()
    hold.get_by_label("Catatan (opsional)").fill("Ambil fotokopi KK")
    hold.get_by_role("button", name="Tunda", exact=True).click()
    expect(hold).to_be_hidden()
    expect(page.locator("#current-number")).to_have_text("—")
    expect(page.locator("#notice-text")).to_have_text(f"{number} ditunda.")
    held = page.locator("#held .ticket-row")
    expect(held).to_have_count(1)
    expect(held).to_contain_text(number)
    expect(held).to_contain_text("Ambil fotokopi KK")

    held.get_by_role("button", name=f"Lanjutkan {number}").click()
    expect(page.locator("#held")).to_have_text("Tidak ada nomor yang ditunda.")
    expect(page.locator("#queue .ticket-row").first).to_contain_text(number)
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text(number)
    expect(page.locator("#current-note")).to_have_text("Catatan: Ambil fotokopi KK")
    page.keyboard.press("c")
    expect(page.locator("#current-number")).to_have_text("—")
    expect(page.locator(".history-item").first).to_contain_text(f"{number}Selesai")
    expect(page.locator("#queue")).to_have_text("Tidak ada yang menunggu.")


def test_calling_a_ticket_out_of_turn_shows_why(page: Page, live_server: LiveServer) -> None:
    release_officer(live_server, 1)
    drain_queue(live_server, "L1")
    first = issue(live_server, "kk")
    elder = issue(live_server, "kk", priority=True, priority_class="lansia")
    later = issue(live_server, "ktp")
    take_counter(page, live_server, 1, "Loket 1")
    rows = page.locator("#queue .ticket-row")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text=elder["number"]).locator(".badge")).to_have_text("Lansia")

    rows.filter(has_text=later["number"]).get_by_role(
        "button", name=f"Panggil {later['number']} di luar urutan"
    ).click()
    dialog = page.locator("#call-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_contain_text(later["number"])
    dialog.get_by_role("button", name="Janji temu").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#current-number")).to_have_text(later["number"])
    expect(page.locator("#current-reason")).to_have_text(
        "Alasan dipanggil Dipanggil khusus: Janji temu"
    )
    expect(rows).to_have_count(2)

    page.reload()
    wait_until_live(page)
    expect(page.locator("#current-number")).to_have_text(later["number"])
    # The log keeps the reason in both languages: after a reload it is still in Indonesian.
    expect(page.locator("#current-reason")).to_contain_text("Dipanggil khusus: Janji temu")

    page.keyboard.press("c")
    expect(page.locator("#current-number")).to_have_text("—")
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text(elder["number"])
    expect(page.locator("#current-priority")).to_have_text("Lansia")
    expect(page.locator("#current-reason")).to_contain_text("Pengunjung prioritas")
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("#current-priority")).to_have_text("Elderly")
    expect(page.locator("#current-reason")).to_contain_text("Why called Priority visitor")
    expect(page.locator("[data-action=transfer]")).to_contain_text("Transfer")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(first["number"])
    page.set_viewport_size(LAPTOP)
