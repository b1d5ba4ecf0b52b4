"""The manager's reports page in Chromium: a known day's figures, other groupings, downloads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.orm import Session

from tests.conftest import OFFICER_PASSWORD, LiveServer, start_live_server, stop_live_server
from tests.report_day import make_report_day

pytestmark = pytest.mark.browser
LOAD_MS = 10_000
TREND = """() => {
  const chart = window.Chart && window.Chart.getChart(document.getElementById("trend-chart"));
  return chart ? {labels: chart.data.labels, lines: chart.data.datasets.map((d) => d.data)} : null;
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The test hall with the generated days of `tests/report_day.py` in its database."""
    server = start_live_server(tmp_path_factory.mktemp("live-reports"))
    engine = sqlalchemy.create_engine(server.database_url)
    try:
        with Session(engine) as session:
            make_report_day(session)
    finally:
        engine.dispose()
    yield server
    stop_live_server(server)


def open_reports(page: Page, server: LiveServer, start: str, end: str) -> None:
    """Sign in as the hall's manager on the way to the reports page; show `start` to `end`."""
    page.goto(server.url + "/manager/reports")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.locator("#username").fill("manajer")
    page.locator("#password").fill(OFFICER_PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/manager/reports")
    page.locator("#from").fill(start)
    page.locator("#to").fill(end)
    page.locator("#report-submit").click()
    shown(page, f"{start}/{end}/service/day")


def shown(page: Page, report: str) -> None:
    """Wait until the page shows the report `from/to/group/period`."""
    expect(page.locator("body")).to_have_attribute("data-report", report, timeout=LOAD_MS)


def figure(row: Locator, field: str) -> Locator:
    return row.locator(f'[data-field="{field}"]')


def test_the_page_shows_the_figures_of_a_known_day(page: Page, live_server: LiveServer) -> None:
    open_reports(page, live_server, "2026-11-24", "2026-11-24")
    expect(page.locator("h1")).to_have_text("Laporan")
    expect(page.locator("#scope")).to_have_text("Semua instansi")
    expect(page.locator("#total-arrivals")).to_have_text("4")
    expect(page.locator("#total-served")).to_have_text("2")
    expect(page.locator("#total-within")).to_have_text("75%")
    ktp = page.locator('tbody[data-group-code="ktp"]')
    expect(ktp.locator("tr.agency-row")).to_have_text("Perekaman KTP-el")
    total = ktp.locator("tr.total-row")
    expect(figure(total, "arrivals")).to_have_text("3")  # A001 at 06:30 WIB counts on the 24th
    expect(figure(total, "transferred")).to_have_text("1")
    expect(figure(total, "open")).to_have_text("1")
    expect(figure(total, "wait_mean")).to_have_text("21:30")
    expect(figure(total, "within_target")).to_have_text("50%")
    kk = page.locator('tbody[data-group-code="kk"] tr.total-row')
    expect(figure(kk, "no_shows")).to_have_text("1")
    expect(figure(kk, "no_show_rate")).to_have_text("100%")
    expect(
        figure(page.locator('tbody[data-group-code="pkb"] tr.total-row'), "served")
    ).to_have_text("1")
    tuesday = page.locator('.heatmap-cell[data-weekday="1"]')
    expect(tuesday.and_(page.locator('[data-hour="6"]'))).to_have_text("1")
    expect(tuesday.and_(page.locator('[data-hour="7"]'))).to_have_text("3")
    ikm = page.locator("#ikm-rows tr")
    expect(ikm).to_have_count(2)  # by service: the KTP visitor and the one served at PKB
    ktp_ikm = ikm.filter(has_text="Perekaman KTP-el")
    expect(figure(ktp_ikm, "ikm")).to_have_text("86,11")
    expect(figure(ktp_ikm, "grade")).to_have_text("B · Baik")
    expect(figure(ktp_ikm, "respondents")).to_have_text("1")
    trend = page.evaluate(TREND)
    assert trend is not None, "the trend chart was not drawn"
    assert trend["labels"] == ["2026-11-24"] and trend["lines"][0] == [75]


def test_switching_group_and_period_regroups_the_figures(
    page: Page, live_server: LiveServer
) -> None:
    open_reports(page, live_server, "2026-11-23", "2026-11-25")
    expect(page.locator('tbody[data-group-code="ktp"] tr.period-row')).to_have_count(3)
    page.locator("#group").select_option("all")
    shown(page, "2026-11-23/2026-11-25/all/day")
    rows = page.locator("tbody.report-group tr.period-row")
    expect(rows).to_have_count(3)
    expect(figure(rows.nth(1), "arrivals")).to_have_text("4")
    expect(page.locator("#ikm-rows tr")).to_have_count(1)
    expect(page.locator('#ikm-rows [data-field="ikm"]')).to_have_text("86,11")
    page.locator("#period").select_option("week")
    shown(page, "2026-11-23/2026-11-25/all/week")
    expect(rows).to_have_count(1)
    expect(rows.locator("th")).to_have_text("2026-W48")
    expect(figure(rows, "arrivals")).to_have_text("6")
    assert "group=all" in page.url and "period=week" in page.url
    page.locator("#group").select_option("counter")
    shown(page, "2026-11-23/2026-11-25/counter/week")
    expect(page.locator("tbody.report-group tr.agency-row")).to_have_text(
        ["Loket 1", "Loket 3", "(tanpa loket)"]
    )
    page.locator('[data-set-lang="en"]').click()
    expect(page.locator("h1")).to_have_text("Reports")
    expect(page.locator("tbody.report-group tr.agency-row").last).to_have_text("(no counter)")
    expect(page.locator("#report-head th").first).to_have_text("Period")
    page.locator('[data-set-lang="id"]').click()  # the choice is remembered: leave it Indonesian
    expect(page.locator("h1")).to_have_text("Laporan")


def sheet(path: Path, title: str) -> list[tuple]:
    """The rows of one sheet of a workbook file."""
    book = load_workbook(path, read_only=True)
    try:
        return list(book[title].iter_rows(values_only=True))
    finally:
        book.close()


def test_the_workbooks_download_and_open(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    open_reports(page, live_server, "2026-11-24", "2026-11-24")
    with page.expect_download() as started:
        page.locator("#download-performance").click()
    path = tmp_path / "kinerja.xlsx"
    started.value.save_as(path)
    assert started.value.suggested_filename == "antre-kinerja-2026-11-24-2026-11-24.xlsx"
    totals = [row for row in sheet(path, "Ringkasan") if row[2] == "Jumlah"]
    assert [(row[0], row[5], row[6]) for row in totals] == [
        ("Perekaman KTP-el", 3, 1),
        ("Kartu Keluarga", 1, 0),
        ("Pajak Kendaraan", 1, 1),
    ]
    with page.expect_download() as started:
        page.locator("#download-ikm").click()
    started.value.save_as(tmp_path / "ikm.xlsx")
    unit = sheet(tmp_path / "ikm.xlsx", "IKM")
    assert unit[0][0] == "LAPORAN INDEKS KEPUASAN MASYARAKAT (IKM)"
    figures = {row[1]: row[4] for row in unit if len(row) > 4}
    assert (figures["Mutu pelayanan"], figures["Jumlah responden"]) == ("B", 2)
    href = page.locator("#download-tickets-csv").get_attribute("href")
    assert href == "/api/v1/exports/tickets.csv?from=2026-11-24&to=2026-11-24"
