"""The manager's live dashboard in Chromium: it follows a call and a completion without a reload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screens import (
    counter_post,
    drain_queue,
    free_counter,
    issue,
    ticket_post,
    wait_until_live,
)
from tests.conftest import (
    OFFICER_PASSWORD,
    TEST_HALL,
    LiveServer,
    start_live_server,
    stop_live_server,
)

LIVE_MS = 10_000  # a shared 2-core machine: give the live update time
CHART = """() => {
  const chart = window.Chart && window.Chart.getChart(document.getElementById("service-chart"));
  if (!chart) return null;
  const canvas = chart.canvas;
  return {labels: chart.data.labels, waiting: chart.data.datasets[0].data,
          width: canvas.width, height: canvas.height};
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The test hall, but vehicle tax (Pajak, only at Loket 3) must be called within 3 seconds."""
    folder = tmp_path_factory.mktemp("live-dashboard")
    hall = TEST_HALL.read_text(encoding="utf-8")
    impatient = hall.replace(
        'name_en = "Vehicle tax"', 'name_en = "Vehicle tax"\n  target_minutes = 0.05'
    )
    assert impatient != hall
    (folder / "hall.toml").write_text(impatient, encoding="utf-8")
    server = start_live_server(folder, hall=folder / "hall.toml")
    yield server
    stop_live_server(server)


def sign_in_as_manager(page: Page, server: LiveServer) -> None:
    """Open /manager signed out, sign in on /login as the hall's manager, land on the dashboard."""
    page.goto(server.url + "/manager")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.locator("#username").fill("manajer")
    page.locator("#password").fill(OFFICER_PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/manager")
    wait_until_live(page)


def chart_state(page: Page) -> dict[str, Any] | None:
    return page.evaluate(CHART)


def test_the_dashboard_follows_a_call_live(page: Page, live_server: LiveServer) -> None:
    drain_queue(live_server, "L3")
    drain_queue(live_server, "L1")
    free_counter(live_server, "L1")  # open for petugas1, nobody at it
    first, _second = issue(live_server, "ktp"), issue(live_server, "ktp")
    sign_in_as_manager(page, live_server)

    ktp = page.locator('tr.service-row[data-service-code="ktp"]')
    loket = page.locator('.counter-card[data-counter-code="L1"]')
    expect(ktp.locator('[data-field="waiting"]')).to_have_text("2")
    expect(page.locator("#kpi-waiting")).to_have_text("2")
    expect(loket).to_have_attribute("data-activity", "open")
    expect(loket.locator('[data-field="current"]')).to_have_text("–")
    expect(loket.locator('[data-field="officer"]')).to_contain_text("Petugas 1")
    expect(page.locator("#scope")).to_have_text("Semua instansi")
    expect(page.locator('.manager-nav a[href="/manager/reports"]')).to_have_text("Laporan")
    chart = chart_state(page)
    assert chart is not None, "the chart was not drawn"
    assert chart["width"] > 0 and chart["height"] > 0
    assert "A Perekaman KTP-el" in chart["labels"]
    ktp_bar = chart["labels"].index("A Perekaman KTP-el")
    assert chart["waiting"][ktp_bar] == 2

    page.evaluate("window.notReloaded = true")
    called = counter_post(live_server, "L1", "call-next")
    assert called["number"] == first["number"]
    expect(ktp.locator('[data-field="waiting"]')).to_have_text("1", timeout=LIVE_MS)
    expect(page.locator("#kpi-waiting")).to_have_text("1")
    expect(loket.locator('[data-field="current"]')).to_have_text(first["number"])
    expect(loket).to_have_attribute("data-activity", "serving")
    page.wait_for_function(
        f"() => ({CHART})().waiting[{ktp_bar}] === 1", timeout=LIVE_MS
    )  # the chart follows too

    ticket_post(live_server, called, "complete")
    expect(ktp.locator('[data-field="served"]')).to_have_text("1", timeout=LIVE_MS)
    expect(loket.locator('[data-field="served"]')).to_contain_text("1")
    expect(loket).to_have_attribute("data-activity", "open")
    expect(page.locator("#kpi-served")).to_have_text("1")
    assert page.evaluate("window.notReloaded") is True, "the page reloaded instead of following"


def test_the_dashboard_speaks_english_on_request(page: Page, live_server: LiveServer) -> None:
    sign_in_as_manager(page, live_server)
    expect(page.locator("h1")).to_have_text("Dasbor langsung")
    page.locator('[data-set-lang="en"]').click()
    expect(page.locator("h1")).to_have_text("Live dashboard")
    expect(page.locator('tr[data-service-code="ktp"] .name')).to_have_text("ID card recording")
    expect(page.locator('.kiosk[data-kiosk-code="K1"] [data-field="printer"]')).to_have_text(
        "Print agent not connected"
    )
    assert "ID card recording" in " ".join(chart_state(page)["labels"])
    page.locator('[data-set-lang="id"]').click()  # the choice is remembered: leave it Indonesian
    expect(page.locator("h1")).to_have_text("Dasbor langsung")


def test_a_queue_past_its_target_is_flagged_as_time_passes(
    page: Page, live_server: LiveServer
) -> None:
    drain_queue(live_server, "L3")
    sign_in_as_manager(page, live_server)
    pajak = page.locator('tr.service-row[data-service-code="pkb"]')
    expect(pajak).not_to_have_class(re.compile(r"\bis-late\b"))
    expect(page.locator("#alerts")).to_be_hidden()

    issue(live_server, "pkb")
    expect(pajak.locator('[data-field="waiting"]')).to_have_text("1", timeout=LIVE_MS)
    # No event comes when the 3-second target passes: the page's own clock notices.
    expect(pajak).to_have_class(re.compile(r"\bis-late\b"), timeout=LIVE_MS)
    alert = page.locator('#alert-list li[data-service-code="pkb"]')
    expect(alert).to_contain_text("D Pajak Kendaraan")
    expect(page.locator('.kpi[data-kpi="longest"]')).to_have_class(re.compile(r"\bis-late\b"))
    expect(page.locator("#alert-news")).to_have_text("Melewati target: D Pajak Kendaraan")

    free_counter(live_server, "L3")
    counter_post(live_server, "L3", "call-next")
    expect(page.locator("#alerts")).to_be_hidden(timeout=LIVE_MS)
    expect(pajak).not_to_have_class(re.compile(r"\bis-late\b"))
