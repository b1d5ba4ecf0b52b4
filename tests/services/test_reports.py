"""Performance and IKM reports, checked against a generated day whose answers are known exactly."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from server.domain.errors import NotFound
from server.extensions import db
from server.models import Agency
from server.services import reports
from server.services.context import Context
from server.services.report_workbooks import FIGURE_COLUMNS, write_ikm_xlsx, write_report_xlsx
from server.services.survey import ikm_report
from tests.report_day import MONDAY, TUESDAY, WEDNESDAY, make_report_day

MINUTE = 60


@pytest.fixture
def day(app: Flask) -> dict[str, dict]:
    return make_report_day(db.session)


def report(ctx: Context, start: date, end: date | None = None, **options: object) -> dict:
    scope = reports.ReportFilter(start, end or start, **options)  # type: ignore[arg-type]
    return reports.performance_report(db.session, ctx, scope)


def by_code(answer: dict) -> dict:
    return {group["code"]: group for group in answer["groups"]}


def outcomes(figures: dict) -> tuple:
    keys = ("arrivals", "served", "no_shows", "transferred", "cancelled", "open", "recalls")
    return tuple(figures[key] for key in keys)


def agency_id(code: str) -> int:
    return db.session.scalars(select(Agency.id).where(Agency.code == code)).one()


def test_each_service_counts_its_own_local_day_with_transfers_recalls_and_no_shows(
    ctx: Context, day: dict
) -> None:
    services = by_code(report(ctx, TUESDAY, group="service"))
    assert list(services) == ["ktp", "kk", "pkb"]
    ktp, kk, pkb = (services[code]["total"] for code in ("ktp", "kk", "pkb"))
    assert outcomes(ktp) == (3, 1, 0, 1, 0, 1, 0)  # A001 (06:30 WIB) served, A002 sent on, A003
    assert (ktp["called"], ktp["within"], ktp["within_target"]) == (2, 1, 0.5)
    assert (ktp["wait_mean_s"], ktp["wait_median_s"], ktp["wait_p90_s"]) == (1290, 1290, 2400)
    assert (ktp["service_mean_s"], ktp["no_show_rate"]) == (6 * MINUTE, 0.0)
    assert outcomes(kk) == (1, 0, 1, 0, 0, 0, 1)
    assert (kk["wait_mean_s"], kk["within_target"], kk["no_show_rate"]) == (2 * MINUTE, 1.0, 1.0)
    assert outcomes(pkb) == (1, 1, 0, 0, 0, 0, 0)  # A002 arrives by its transfer
    assert (pkb["wait_mean_s"], pkb["service_mean_s"], pkb["within_target"]) == (300, 240, 1.0)
    assert [row["label"] for row in services["ktp"]["periods"]] == ["2026-11-24"]


def test_the_hall_counts_each_ticket_once_and_maps_arrivals_by_local_hour(
    ctx: Context, day: dict
) -> None:
    answer = report(ctx, TUESDAY, group="all")
    total = answer["total"]
    assert outcomes(total) == (4, 2, 1, 0, 0, 1, 1)
    assert (total["called"], total["within"], total["within_target"]) == (4, 3, 0.75)
    assert (total["wait_mean_s"], total["wait_median_s"], total["wait_p90_s"]) == (750, 240, 2400)
    assert [group["name"] for group in answer["groups"]] == ["Semua layanan"]
    assert answer["groups"][0]["total"] == total
    tuesday = answer["heatmap"]["arrivals"][1]
    assert (tuesday[6], tuesday[7], sum(map(sum, answer["heatmap"]["arrivals"]))) == (1, 3, 4)
    assert answer["heatmap"]["weekdays"][1] == "tue"


def test_days_around_local_midnight_count_on_their_own_service_day(ctx: Context, day: dict) -> None:
    answer = report(ctx, MONDAY, WEDNESDAY, group="all")
    trend = [(row["label"], row["arrivals"], row["served"], row["open"]) for row in answer["trend"]]
    assert trend == [
        ("2026-11-23", 1, 1, 0),
        ("2026-11-24", 4, 2, 1),
        ("2026-11-25", 1, 0, 1),  # issued 06:00 WIB, 23:00 UTC on the 24th
    ]
    heatmap = answer["heatmap"]["arrivals"]
    assert (heatmap[0][15], heatmap[2][6], heatmap[1][23]) == (1, 1, 0)
    assert report(ctx, date(2026, 11, 22), group="all")["total"]["arrivals"] == 0


def test_a_week_runs_from_monday_and_a_month_from_the_first(ctx: Context, day: dict) -> None:
    week = report(ctx, MONDAY, WEDNESDAY, group="all", period="week")
    assert [(row["label"], row["start"], row["end"]) for row in week["trend"]] == [
        ("2026-W48", "2026-11-23", "2026-11-25")  # clipped to the range asked for
    ]
    assert week["trend"][0]["arrivals"] == 6
    month = report(ctx, date(2026, 10, 30), WEDNESDAY, group="all", period="month")
    assert [(row["label"], row["arrivals"]) for row in month["trend"]] == [
        ("2026-10", 0),
        ("2026-11", 6),
    ]


def test_counters_and_officers_have_the_visits_they_handled(ctx: Context, day: dict) -> None:
    counters = by_code(report(ctx, TUESDAY, group="counter"))
    assert {code: outcomes(group["total"])[:6] for code, group in counters.items()} == {
        "L1": (3, 1, 1, 1, 0, 0),
        "L3": (1, 1, 0, 0, 0, 0),
        None: (1, 0, 0, 0, 0, 1),  # A003 has not been called anywhere yet
    }
    officers = report(ctx, TUESDAY, group="officer")["groups"]
    assert [(group["name"], group["total"]["arrivals"]) for group in officers] == [
        ("Budi Santoso", 3),
        ("Siti Aminah", 1),
        ("(tanpa petugas)", 1),
    ]


def test_an_agency_sees_its_services_and_the_visitor_another_agency_sent_on(
    ctx: Context, day: dict
) -> None:
    samsat = report(ctx, TUESDAY, group="agency", agency_id=agency_id("samsat"))
    assert samsat["agency"]["code"] == "samsat"
    assert [(group["code"], outcomes(group["total"])) for group in samsat["groups"]] == [
        ("samsat", (1, 1, 0, 0, 0, 0, 0))
    ]
    assert samsat["heatmap"]["arrivals"][1][7] == 1  # arrived by the 07:22 transfer
    dukcapil = report(ctx, TUESDAY, group="agency", agency_id=agency_id("dukcapil"))
    assert outcomes(dukcapil["total"]) == (4, 1, 1, 1, 0, 1, 1)


def test_an_unknown_agency_is_not_found(ctx: Context, day: dict) -> None:
    with pytest.raises(NotFound):
        report(ctx, TUESDAY, agency_id=999)


def test_reading_in_small_chunks_gives_the_same_answer(
    ctx: Context, day: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = report(ctx, MONDAY, WEDNESDAY, group="service")
    monkeypatch.setattr(reports, "CHUNK", 2)
    assert report(ctx, MONDAY, WEDNESDAY, group="service") == whole


def cell(value: object) -> object:
    """A workbook cell as the API writes it: durations in seconds, days as ISO dates."""
    if isinstance(value, timedelta):
        return round(value.total_seconds())
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value


def sheet_rows(path: Path, title: str) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    try:
        rows = book[title].iter_rows(values_only=True)
        return [tuple(cell(value) for value in row) for row in rows]
    finally:
        book.close()  # a read-only workbook keeps its file open until closed


def figures_of(row: dict) -> tuple:
    return tuple(row[key] for key, _heading, _format in FIGURE_COLUMNS)


def padded(rows: list[tuple], width: int) -> list[tuple]:
    return [row + (None,) * (width - len(row)) for row in rows]


def test_the_performance_workbook_holds_the_apis_figures(
    ctx: Context, day: dict, tmp_path: Path
) -> None:
    answer = report(ctx, MONDAY, WEDNESDAY, group="service")
    write_report_xlsx(answer, tmp_path / "kinerja.xlsx")
    width = 5 + len(FIGURE_COLUMNS)
    summary = padded(sheet_rows(tmp_path / "kinerja.xlsx", "Ringkasan"), width)
    assert summary[0][:6] == ("Kelompok", "Kode", "Periode", "Dari", "Sampai", "Kedatangan")
    expected = []
    for group in answer["groups"]:
        for row in group["periods"]:
            expected.append((group["name"], group["code"], row["label"], row["start"], row["end"]))
            expected[-1] += figures_of(row)
        expected.append((group["name"], group["code"], "Jumlah", "2026-11-23", "2026-11-25"))
        expected[-1] += figures_of(group["total"])
    assert summary[1:] == expected
    assert summary[4][:3] == ("Perekaman KTP-el", "ktp", "Jumlah")  # three KTP days, then the sum
    heatmap = sheet_rows(tmp_path / "kinerja.xlsx", "Peta kedatangan")
    assert heatmap[0][:3] == ("Hari", "00", "01")
    assert [row[1:25] for row in heatmap[1:8]] == [tuple(h) for h in answer["heatmap"]["arrivals"]]
    assert (heatmap[2][0], heatmap[2][7], heatmap[2][8], heatmap[8][-1]) == ("Selasa", 1, 3, 6)
    trend = padded(sheet_rows(tmp_path / "kinerja.xlsx", "Tren kepatuhan"), 3 + len(FIGURE_COLUMNS))
    assert trend[1:] == [
        (row["label"], row["start"], row["end"], *figures_of(row)) for row in answer["trend"]
    ]
    filters = dict(
        row[:2] for row in sheet_rows(tmp_path / "kinerja.xlsx", "Filter") if len(row) > 1
    )
    assert (filters["Dari"], filters["Sampai"], filters["Kelompok"]) == (
        "2026-11-23",
        "2026-11-25",
        "Layanan",
    )
    assert (filters["Periode"], filters["Zona waktu"], filters["Unit"]) == (
        "Harian",
        "Asia/Jakarta",
        "Aula Uji",
    )


def ikm_row(row: tuple) -> tuple:
    """(respondents, nine averages, index as text, grade, its name) of an IKM workbook row."""
    respondents, *rest = row
    nrr, index, grade, name = rest[:9], rest[10], rest[11], rest[12]
    return respondents, [round(value, 6) for value in nrr], f"{index:.2f}", grade, name


def api_ikm(row: dict) -> tuple:
    nrr = [round(value, 6) for value in row["nrr"]]
    return row["respondents"], nrr, row["ikm"], row["grade"], row["grade_name"]


def test_the_ikm_workbook_has_a_title_the_unit_the_period_and_the_apis_figures(
    ctx: Context, day: dict, tmp_path: Path
) -> None:
    scope = reports.ReportFilter(MONDAY, TUESDAY, period="day")
    path = tmp_path / "ikm.xlsx"
    write_ikm_xlsx(reports.ikm_workbook_data(db.session, ctx, scope), path)
    unit = sheet_rows(path, "IKM")
    assert unit[0][0] == "LAPORAN INDEKS KEPUASAN MASYARAKAT (IKM)"
    assert unit[1][:2] == ("Unit pelayanan", "Aula Uji")
    assert unit[2][:2] == ("Periode", "23 November 2026 s.d. 24 November 2026")
    assert unit[3][:2] == ("Dasar", "Peraturan Menteri PANRB Nomor 14 Tahun 2017")
    assert unit[5][:3] == ("No", "Unsur pelayanan", "NRR per unsur")
    assert (unit[6][1], round(unit[6][2], 4), round(unit[6][4], 4)) == (
        "Persyaratan",
        3.6667,
        0.4074,
    )
    summary = {row[1]: row[4] for row in unit[15:20]}
    assert round(summary["Jumlah NRR tertimbang"], 4) == 3.4444
    assert f"{summary['IKM unit pelayanan (NRR tertimbang × 25)']:.2f}" == "86.11"
    assert (summary["Mutu pelayanan"], summary["Kinerja unit pelayanan"]) == ("B", "Baik")
    assert summary["Jumlah responden"] == 3
    for group, title in (
        ("agency", "Per instansi"),
        ("service", "Per layanan"),
        ("officer", "Per petugas"),
    ):
        rows = sheet_rows(path, title)
        assert rows[5][:4] == ("No", "Nama", "Responden", "U1")
        expected = ikm_report(db.session, MONDAY, TUESDAY, group)
        assert [row[1] for row in rows[6:]] == [row["name"] for row in expected]
        assert [ikm_row(row[2:]) for row in rows[6:]] == [api_ikm(row) for row in expected]
    periods = sheet_rows(path, "Per periode")[6:]
    assert [(row[0], row[3], f"{row[14]:.2f}", row[15], row[16]) for row in periods] == [
        ("2026-11-23", 1, "94.44", "A", "Sangat Baik"),
        ("2026-11-24", 2, "81.94", "B", "Baik"),
    ]
    [tuesday] = ikm_report(db.session, TUESDAY, TUESDAY)
    assert ikm_row(periods[1][3:]) == api_ikm(tuesday)


def test_an_ikm_workbook_without_answers_says_so(ctx: Context, day: dict, tmp_path: Path) -> None:
    scope = reports.ReportFilter(WEDNESDAY, WEDNESDAY, period="month")
    path = tmp_path / "ikm.xlsx"
    write_ikm_xlsx(reports.ikm_workbook_data(db.session, ctx, scope), path)
    assert sheet_rows(path, "IKM")[6][1] == "Belum ada responden pada periode ini."
    assert sheet_rows(path, "Per periode")[6][:4] == ("2026-11", "2026-11-25", "2026-11-25", 0)
