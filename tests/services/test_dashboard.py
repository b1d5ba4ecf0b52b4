"""The manager's dashboard: today's figures, checked against a morning whose answers are known."""

from datetime import UTC, datetime

import pytest

from server.extensions import db
from server.models import Service
from server.services.calling import call_next
from server.services.context import Context
from server.services.counters import set_counter_status
from server.services.dashboard import dashboard
from server.services.handling import (
    complete_ticket,
    hold_ticket,
    mark_no_show,
    resume_ticket,
    start_serving,
    transfer_ticket,
)
from server.services.issuing import issue_ticket
from server.services.staff import create_user
from tests.conftest import counter_id, service_id
from tests.services.conftest import Clock

MINUTE = 60


@pytest.fixture
def morning(ctx: Context, clock: Clock) -> None:
    """Monday 23 November 2026 from 09:00 WIB to 09:55, at Loket 1, 2 and 3 (15-minute targets).

    KTP: A001 waits 5 min, served 4 min; A002 waits 10 min, no-show; A003 waits 5 min and is at
    Loket 2 now; A004 has waited 5 min. KK: B001 waits 12 min, served 8 min; B002 has waited
    35 min (past the target). Pajak: D001 waits 30 min (past the target), served 6 min; then
    Loket 3 goes on a break. A ticket of the day before is still waiting and is not today's.
    """
    clock.now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # 15:00 WIB the day before
    issue_ticket(db.session, ctx, service_id("ktp"))
    clock.now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 WIB
    budi = create_user(db.session, "budi", "Budi Santoso", "sandi-rahasia", "officer", clock())
    l1, l2, l3 = counter_id("L1"), counter_id("L2"), counter_id("L3")
    set_counter_status(db.session, ctx, l1, "open", officer_id=budi.id)
    set_counter_status(db.session, ctx, l2, "open")
    set_counter_status(db.session, ctx, l3, "open")
    a001, a002 = (issue_ticket(db.session, ctx, service_id("ktp")) for _ in range(2))
    b001 = issue_ticket(db.session, ctx, service_id("kk"))
    d001 = issue_ticket(db.session, ctx, service_id("pkb"))
    clock.advance(minutes=5)  # 09:05
    assert call_next(db.session, ctx, l1, budi.id)["number"] == "A001"
    start_serving(db.session, ctx, a001["id"], l1, budi.id)
    clock.advance(minutes=4)  # 09:09
    complete_ticket(db.session, ctx, a001["id"], l1, budi.id)
    clock.advance(minutes=1)  # 09:10
    assert call_next(db.session, ctx, l2)["number"] == "A002"
    clock.advance(minutes=2)  # 09:12
    mark_no_show(db.session, ctx, a002["id"], l2)
    assert call_next(db.session, ctx, l1, budi.id)["number"] == "B001"
    clock.advance(minutes=8)  # 09:20
    complete_ticket(db.session, ctx, b001["id"], l1, budi.id)
    issue_ticket(db.session, ctx, service_id("kk"))  # B002
    clock.advance(minutes=10)  # 09:30
    assert call_next(db.session, ctx, l3)["id"] == d001["id"]
    clock.advance(minutes=6)  # 09:36
    complete_ticket(db.session, ctx, d001["id"], l3)
    set_counter_status(db.session, ctx, l3, "break", reason="Salat")
    clock.advance(minutes=4)  # 09:40
    issue_ticket(db.session, ctx, service_id("ktp"))  # A003
    clock.advance(minutes=5)  # 09:45
    assert call_next(db.session, ctx, l2)["number"] == "A003"
    issue_ticket(db.session, ctx, service_id("ktp"))  # A004
    clock.advance(minutes=5)  # 09:50


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {row["code"]: row for row in rows}


def agency_of(service_code: str) -> int:
    return db.session.get(Service, service_id(service_code)).agency_id


def test_each_service_has_its_queue_now_and_its_day_so_far(morning: None, ctx: Context) -> None:
    figures = dashboard(db.session, ctx)
    assert (figures["day"], figures["now"]) == ("2026-11-23", "2026-11-23T09:50:00+07:00")
    services = by_code(figures["services"])
    assert list(services) == ["ktp", "kk", "pkb"]  # the disabled service has no day to show
    ktp, kk, pkb = services["ktp"], services["kk"], services["pkb"]
    assert (ktp["waiting"], ktp["longest_wait_s"], ktp["waiting_since"]) == (
        1,
        5 * MINUTE,
        "2026-11-23T09:45:00+07:00",
    )
    assert (ktp["visits"], ktp["served"], ktp["no_shows"]) == (4, 1, 1)
    assert (ktp["wait_mean_s"], ktp["wait_median_s"], ktp["wait_p90_s"]) == (400, 300, 600)
    assert (ktp["service_mean_s"], ktp["service_median_s"], ktp["service_p90_s"]) == (240,) * 3
    assert (ktp["within_target"], ktp["no_show_rate"], ktp["alert"]) == (1.0, 0.5, False)
    assert (kk["waiting"], kk["longest_wait_s"], kk["served"], kk["alert"]) == (
        1,
        30 * MINUTE,
        1,
        True,
    )
    assert (kk["wait_mean_s"], kk["service_mean_s"], kk["no_show_rate"]) == (720, 480, 0.0)
    assert (pkb["waiting"], pkb["longest_wait_s"], pkb["waiting_since"]) == (0, None, None)
    assert (pkb["wait_p90_s"], pkb["within_target"], pkb["alert"]) == (30 * MINUTE, 0.0, False)
    assert (pkb["agency"], pkb["target_s"], pkb["name_en"]) == ("Samsat", 900, "Vehicle tax")


def test_a_wait_past_its_target_is_an_alert(morning: None, ctx: Context, clock: Clock) -> None:
    alerts = dashboard(db.session, ctx)["alerts"]
    assert [(a["code"], a["longest_wait_s"], a["target_s"], a["waiting"]) for a in alerts] == [
        ("kk", 30 * MINUTE, 900, 1)
    ]
    clock.advance(minutes=11)  # A004 has now waited 16 minutes: the KTP queue is late too
    alerts = dashboard(db.session, ctx)["alerts"]
    assert [(a["code"], a["longest_wait_s"]) for a in alerts] == [
        ("kk", 41 * MINUTE),
        ("ktp", 16 * MINUTE),
    ]


def test_the_hall_totals_weigh_each_wait_against_its_own_target(
    morning: None, ctx: Context
) -> None:
    totals = dashboard(db.session, ctx)["totals"]
    assert (totals["waiting"], totals["longest_wait_s"], totals["alerts"]) == (2, 30 * MINUTE, 1)
    assert (totals["visits"], totals["served"], totals["no_shows"]) == (7, 3, 1)
    assert (totals["wait_mean_s"], totals["wait_median_s"], totals["wait_p90_s"]) == (
        744,
        600,
        30 * MINUTE,
    )
    assert (totals["service_mean_s"], totals["within_target"], totals["no_show_rate"]) == (
        360,
        0.8,
        0.25,
    )
    assert totals["counters"] == {"open": 1, "serving": 1, "break": 1, "closed": 1}


def test_counters_say_what_they_do_who_is_signed_in_and_how_many_they_served(
    morning: None, ctx: Context
) -> None:
    counters = by_code(dashboard(db.session, ctx)["counters"])
    assert list(counters) == ["L1", "L2", "L3", "L9"]
    l1, l2, l3, l9 = (counters[code] for code in ("L1", "L2", "L3", "L9"))
    assert (l1["activity"], l1["officer"], l1["served_today"], l1["current"]) == (
        "open",
        "Budi Santoso",
        2,
        None,
    )
    assert (l2["activity"], l2["served_today"], l2["current"]["number"]) == ("serving", 0, "A003")
    assert l2["current"]["called_at"] == "2026-11-23T09:45:00+07:00"
    assert (l3["activity"], l3["break_reason"], l3["served_today"]) == ("break", "Salat", 1)
    assert (l9["activity"], l9["officer"], l9["zone_name"]) == ("closed", None, "Lantai 2")


def test_every_kiosk_printer_is_listed(morning: None, ctx: Context) -> None:
    kiosks = dashboard(db.session, ctx)["kiosks"]
    assert [(k["kiosk"]["code"], k["agent_connected"], k["paper"]) for k in kiosks] == [
        ("K1", False, "unknown"),
        ("K2", False, "unknown"),
    ]


def test_an_agency_sees_only_its_services_and_the_counters_that_serve_them(
    morning: None, ctx: Context
) -> None:
    samsat = dashboard(db.session, ctx, agency_id=agency_of("pkb"))
    assert samsat["agency"]["code"] == "samsat"
    assert [s["code"] for s in samsat["services"]] == ["pkb"]
    assert [c["code"] for c in samsat["counters"]] == ["L3"]
    assert (samsat["totals"]["waiting"], samsat["totals"]["served"]) == (0, 1)
    assert (samsat["totals"]["alerts"], samsat["alerts"]) == (0, [])
    dukcapil = dashboard(db.session, ctx, agency_id=agency_of("ktp"))
    assert [s["code"] for s in dukcapil["services"]] == ["ktp", "kk"]
    assert [c["code"] for c in dukcapil["counters"]] == ["L1", "L2"]
    totals = dukcapil["totals"]
    assert (totals["waiting"], totals["served"], totals["within_target"]) == (2, 2, 1.0)
    assert [alert["code"] for alert in dukcapil["alerts"]] == ["kk"]
    assert len(dukcapil["kiosks"]) == 2  # the hall's kiosks serve every agency


def test_a_transferred_visitor_waits_from_the_transfer_and_a_recalled_one_is_not_waiting_long(
    ctx: Context, clock: Clock
) -> None:
    l1 = counter_id("L1")
    set_counter_status(db.session, ctx, l1, "open")
    moved = issue_ticket(db.session, ctx, service_id("ktp"))
    parked = issue_ticket(db.session, ctx, service_id("ktp"))
    clock.advance(minutes=2)
    call_next(db.session, ctx, l1)
    transfer_ticket(db.session, ctx, moved["id"], l1, to_service_id=service_id("pkb"))
    call_next(db.session, ctx, l1)
    hold_ticket(db.session, ctx, parked["id"], l1)
    resume_ticket(db.session, ctx, parked["id"], l1)  # back in the KTP queue, already called once
    clock.advance(minutes=20)
    services = by_code(dashboard(db.session, ctx)["services"])
    assert (services["pkb"]["waiting"], services["pkb"]["longest_wait_s"]) == (1, 20 * MINUTE)
    assert (services["pkb"]["alert"], services["pkb"]["visits"]) == (True, 1)
    assert (services["ktp"]["waiting"], services["ktp"]["longest_wait_s"]) == (1, None)
    assert (services["ktp"]["visits"], services["ktp"]["wait_mean_s"]) == (2, 2 * MINUTE)
