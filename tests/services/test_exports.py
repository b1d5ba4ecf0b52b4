"""The wait-time exports: CSV and XLSX hold exactly the database's tickets, in local time."""

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from server.extensions import db
from server.services import exports
from server.services.calling import call_next
from server.services.context import Context
from server.services.counters import set_counter_status
from server.services.handling import (
    complete_ticket,
    mark_no_show,
    recall_ticket,
    start_serving,
    transfer_ticket,
)
from server.services.issuing import issue_ticket
from tests.conftest import counter_id, service_id
from tests.services.conftest import Clock

NOV_24 = date(2026, 11, 24)


@pytest.fixture
def day(ctx: Context, clock: Clock) -> dict[str, dict]:
    """A morning at Loket 1 and 3 on 24 November, from 06:30 WIB (23:30 UTC the day before)."""
    clock.now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 06:30 WIB on the 24th
    l1, l3 = counter_id("L1"), counter_id("L3")
    for counter in (l1, l3):
        set_counter_status(db.session, ctx, counter, "open")
    early = issue_ticket(db.session, ctx, service_id("ktp"))  # crosses midnight in UTC, not locally
    clock.advance(minutes=40)  # 07:10 WIB = 00:10 UTC
    called = call_next(db.session, ctx, l1)
    start_serving(db.session, ctx, called["id"], l1)
    clock.advance(minutes=6)
    complete_ticket(db.session, ctx, called["id"], l1)
    recalled = issue_ticket(db.session, ctx, service_id("kk"), priority_class="lansia")
    clock.advance(minutes=2)
    call_next(db.session, ctx, l1)
    recall_ticket(db.session, ctx, recalled["id"], l1)
    clock.advance(minutes=1)
    mark_no_show(db.session, ctx, recalled["id"], l1)
    moved = issue_ticket(db.session, ctx, service_id("ktp"))
    clock.advance(minutes=3)
    call_next(db.session, ctx, l1)
    transfer_ticket(db.session, ctx, moved["id"], l1, to_service_id=service_id("pkb"), note="STNK")
    clock.advance(minutes=5)
    call_next(db.session, ctx, l3)
    clock.advance(minutes=4)
    complete_ticket(db.session, ctx, moved["id"], l3)
    waiting = issue_ticket(db.session, ctx, service_id("ktp"))
    return {"early": early, "recalled": recalled, "moved": moved, "waiting": waiting}


def rows(app: Flask, ctx: Context, scope: exports.ExportFilter) -> list[dict]:
    return list(exports.ticket_rows(db.session, ctx, scope))


def test_one_row_per_ticket_with_local_times_and_outcomes(
    app: Flask, ctx: Context, day: dict
) -> None:
    table = {row["number"]: row for row in rows(app, ctx, exports.ExportFilter(NOV_24, NOV_24))}
    assert set(table) == {"A001", "B001", "A002", "A003"}
    early = table["A001"]
    assert (early["day"], early["issued_at"], early["first_called_at"]) == (
        "2026-11-24",
        "2026-11-24 06:30:00",
        "2026-11-24 07:10:00",
    )
    assert (early["wait_min"], early["service_min"], early["outcome"], early["counter"]) == (
        40.0,
        6.0,
        "selesai",
        "Loket 1",
    )
    assert (
        table["B001"]["outcome"],
        table["B001"]["recalls"],
        table["B001"]["priority_class"],
    ) == ("tidak hadir", 1, "lansia")
    moved = table["A002"]
    assert (moved["outcome"], moved["transfers"], moved["counter"], moved["service"]) == (
        "selesai",
        1,
        "Loket 3",
        "Perekaman KTP-el",
    )
    assert (table["A003"]["outcome"], table["A003"]["first_called_at"]) == ("belum selesai", "")


def test_the_service_day_is_local_so_the_day_before_is_empty(
    app: Flask, ctx: Context, day: dict
) -> None:
    assert rows(app, ctx, exports.ExportFilter(date(2026, 11, 23), date(2026, 11, 23))) == []


def test_filters_by_service_and_counter(app: Flask, ctx: Context, day: dict) -> None:
    ktp = rows(app, ctx, exports.ExportFilter(NOV_24, NOV_24, service_id=service_id("ktp")))
    assert [row["number"] for row in ktp] == ["A001", "A002", "A003"]
    at_l3 = rows(app, ctx, exports.ExportFilter(NOV_24, NOV_24, counter_id=counter_id("L3")))
    assert [row["number"] for row in at_l3] == ["A002"]


def test_csv_round_trip(app: Flask, ctx: Context, day: dict) -> None:
    scope = exports.ExportFilter(NOV_24, NOV_24)
    text = "".join(
        exports.write_csv(exports.ticket_rows(db.session, ctx, scope), exports.TICKET_COLUMNS)
    )
    assert text.startswith("\ufeffInstansi,Layanan,Nomor")
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["Nomor"] for row in parsed] == [row["number"] for row in rows(app, ctx, scope)]
    assert parsed[0]["Tunggu (menit)"] == "40.0"


def test_xlsx_round_trip(app: Flask, ctx: Context, day: dict, tmp_path: Path) -> None:
    scope = exports.ExportFilter(NOV_24, NOV_24)
    path = tmp_path / "log.xlsx"
    assert (
        exports.write_xlsx(
            exports.ticket_rows(db.session, ctx, scope), exports.TICKET_COLUMNS, path, "tiket"
        )
        == 4
    )
    book = load_workbook(path, read_only=True)
    try:
        table = list(book.active.iter_rows(values_only=True))
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    assert table[0][:3] == ("Instansi", "Layanan", "Nomor")
    expected = [
        tuple(row[key] for key, _ in exports.TICKET_COLUMNS) for row in rows(app, ctx, scope)
    ]
    assert [tuple("" if cell is None else cell for cell in line) for line in table[1:]] == expected


def test_the_event_log_export_lists_every_change(app: Flask, ctx: Context, day: dict) -> None:
    events = list(exports.event_rows(db.session, ctx, exports.ExportFilter(NOV_24, NOV_24)))
    moved = [e["kind"] for e in events if e["number"] == "A002"]
    assert moved == ["issued", "called", "transferred", "called", "completed"]
    assert events[0]["at"] == "2026-11-24 06:30:00"


def test_the_cli_exports_with_progress(app: Flask, day: dict, tmp_path: Path) -> None:
    out = tmp_path / "log.csv"
    result = app.test_cli_runner().invoke(
        args=[
            "export",
            "tickets",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-24",
            "--format",
            "csv",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("\n") == 5  # heading and four tickets
