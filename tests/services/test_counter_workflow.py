"""The counter officer's workflow: one officer per counter, transfers, holds, late arrivals,
calling a named ticket, breaks, and a fair order with priority visitors."""

import json

import pytest
from sqlalchemy import select

from server.domain.errors import InvalidInput, WrongState
from server.extensions import db
from server.models import Setting, StaffEvent, Ticket, TicketEvent, User
from server.services.calling import call_next, call_ticket
from server.services.context import Context
from server.services.counter_screen import counter_snapshot
from server.services.counters import set_counter_status
from server.services.handling import (
    complete_ticket,
    hold_ticket,
    mark_no_show,
    resume_ticket,
    start_serving,
    transfer_ticket,
)
from server.services.issuing import issue_ticket
from server.services.publisher import RecordingPublisher
from server.services.staff import authenticate, create_user
from server.services.voice import spoken_call
from tests.conftest import counter_id, service_id
from tests.services.conftest import Clock


@pytest.fixture
def budi(ctx: Context) -> User:
    return create_user(db.session, "budi", "Budi Santoso", "rahasia-budi", "officer", ctx.now())


@pytest.fixture
def sari(ctx: Context) -> User:
    return create_user(db.session, "sari", "Sari Dewi", "rahasia-sari", "officer", ctx.now())


def open_as(ctx: Context, code: str, officer: User) -> int:
    counter = counter_id(code)
    set_counter_status(db.session, ctx, counter, "open", officer.id)
    return counter


def test_one_officer_per_counter_and_one_counter_per_officer(
    ctx: Context, budi: User, sari: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    with pytest.raises(WrongState) as taken:
        set_counter_status(db.session, ctx, l1, "open", sari.id)
    assert taken.value.message("id") == "Loket 1 sedang dibuka oleh Budi Santoso."
    with pytest.raises(WrongState, match="Loket 1"):
        set_counter_status(db.session, ctx, counter_id("L2"), "open", budi.id)
    set_counter_status(db.session, ctx, l1, "closed", budi.id)
    assert set_counter_status(db.session, ctx, l1, "open", sari.id)["officer"] == "Sari Dewi"


def test_another_officer_cannot_act_at_a_counter_they_did_not_open(
    ctx: Context, budi: User, sari: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    issue_ticket(db.session, ctx, service_id("ktp"))
    with pytest.raises(WrongState, match="Budi"):
        call_next(db.session, ctx, l1, sari.id)
    ticket = call_next(db.session, ctx, l1, budi.id)
    with pytest.raises(WrongState, match="Budi"):
        complete_ticket(db.session, ctx, ticket["id"], l1, sari.id)


def test_attendance_logs_sign_in_open_break_and_close(
    ctx: Context, clock: Clock, budi: User
) -> None:
    assert authenticate(db.session, "budi", "wrong-password", ctx.now()) is None
    assert authenticate(db.session, "BUDI", "rahasia-budi", ctx.now()).id == budi.id
    l1 = open_as(ctx, "L1", budi)
    clock.advance(minutes=30)
    with pytest.raises(InvalidInput, match="reason"):
        set_counter_status(db.session, ctx, l1, "break", budi.id)
    state = set_counter_status(db.session, ctx, l1, "break", budi.id, reason="Salat zuhur")
    assert (state["status"], state["break_reason"]) == ("break", "Salat zuhur")
    with pytest.raises(WrongState, match="on a break"):
        call_next(db.session, ctx, l1, budi.id)
    set_counter_status(db.session, ctx, l1, "open", budi.id)
    set_counter_status(db.session, ctx, l1, "closed", budi.id)
    log = db.session.scalars(select(StaffEvent).order_by(StaffEvent.id)).all()
    assert [(e.kind, e.detail) for e in log] == [
        ("signed_in", None),
        ("counter_opened", None),
        ("break_started", "Salat zuhur"),
        ("break_ended", None),
        ("counter_closed", None),
    ]


def test_every_action_names_its_officer_in_the_log(ctx: Context, budi: User) -> None:
    l1 = open_as(ctx, "L1", budi)
    issue_ticket(db.session, ctx, service_id("ktp"))
    ticket = call_next(db.session, ctx, l1, budi.id)
    start_serving(db.session, ctx, ticket["id"], l1, budi.id)
    complete_ticket(db.session, ctx, ticket["id"], l1, budi.id)
    events = db.session.scalars(select(TicketEvent).order_by(TicketEvent.id)).all()
    assert [(e.kind, e.officer_id, e.counter_id) for e in events] == [
        ("issued", None, None),
        ("called", budi.id, l1),
        ("serving", budi.id, l1),
        ("completed", budi.id, l1),
    ]


def test_a_transfer_keeps_the_number_and_arrival_and_tells_the_next_officer(
    ctx: Context, clock: Clock, budi: User, sari: User
) -> None:
    l1, l3 = open_as(ctx, "L1", budi), open_as(ctx, "L3", sari)
    early = issue_ticket(db.session, ctx, service_id("ktp"))
    clock.advance(minutes=5)
    issue_ticket(db.session, ctx, service_id("pkb"))  # someone already waits at Samsat
    called = call_next(db.session, ctx, l1, budi.id)
    moved = transfer_ticket(
        db.session,
        ctx,
        called["id"],
        l1,
        budi.id,
        to_service_id=service_id("pkb"),
        note="Bawa STNK asli",
    )
    assert (moved["number"], moved["status"], moved["service_id"]) == (
        early["number"],
        "waiting",
        service_id("pkb"),
    )
    assert moved["issued_at"] == early["issued_at"]
    next_at_samsat = call_next(db.session, ctx, l3, sari.id)
    assert next_at_samsat["number"] == "A001"  # its original arrival puts it before D001
    assert next_at_samsat["note"] == "Bawa STNK asli"
    snapshot = counter_snapshot(db.session, ctx, l3)
    transfer = next(e for e in snapshot["counter"]["current_history"] if e["kind"] == "transferred")
    assert (transfer["counter"], json.loads(transfer["detail"])["note"]) == (
        "Loket 1",
        "Bawa STNK asli",
    )
    assert call_next(db.session, ctx, l1, budi.id) is None  # the counter was freed by the transfer


def test_a_transfer_to_a_named_counter_waits_for_that_counter_only(
    ctx: Context, budi: User, sari: User
) -> None:
    l1, l2 = open_as(ctx, "L1", budi), open_as(ctx, "L2", sari)
    issue_ticket(db.session, ctx, service_id("ktp"))
    called = call_next(db.session, ctx, l1, budi.id)
    transfer_ticket(db.session, ctx, called["id"], l1, budi.id, to_counter_id=l2)
    assert call_next(db.session, ctx, l1, budi.id) is None
    assert call_next(db.session, ctx, l2, sari.id)["id"] == called["id"]


def test_transfers_to_nowhere_or_to_a_counter_without_the_service_are_refused(
    ctx: Context, budi: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    issue_ticket(db.session, ctx, service_id("ktp"))
    called = call_next(db.session, ctx, l1, budi.id)
    with pytest.raises(InvalidInput, match="another service or counter"):
        transfer_ticket(db.session, ctx, called["id"], l1, budi.id)
    with pytest.raises(InvalidInput, match="does not serve"):
        transfer_ticket(
            db.session,
            ctx,
            called["id"],
            l1,
            budi.id,
            to_service_id=service_id("pkb"),
            to_counter_id=l1,
        )
    assert db.session.get(Ticket, called["id"]).status == "called"


def test_a_held_ticket_frees_the_counter_and_comes_back_to_it(ctx: Context, budi: User) -> None:
    l1 = open_as(ctx, "L1", budi)
    for _ in range(2):
        issue_ticket(db.session, ctx, service_id("ktp"))
    first = call_next(db.session, ctx, l1, budi.id)
    held = hold_ticket(db.session, ctx, first["id"], l1, budi.id, note="Fotokopi KK")
    assert held["status"] == "held"
    second = call_next(db.session, ctx, l1, budi.id)
    complete_ticket(db.session, ctx, second["id"], l1, budi.id)
    assert resume_ticket(db.session, ctx, first["id"], l1, budi.id)["status"] == "waiting"
    assert call_next(db.session, ctx, l1, budi.id)["id"] == first["id"]


def test_a_resumed_ticket_is_called_back_before_earlier_and_priority_visitors(
    ctx: Context, budi: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    first = issue_ticket(db.session, ctx, service_id("ktp"))
    called = call_next(db.session, ctx, l1, budi.id)
    assert called["id"] == first["id"]
    hold_ticket(db.session, ctx, first["id"], l1, budi.id, note="Ambil fotokopi")
    priority = issue_ticket(db.session, ctx, service_id("ktp"), True, priority_class="lansia")
    resume_ticket(db.session, ctx, first["id"], l1, budi.id)
    again = call_next(db.session, ctx, l1, budi.id)
    assert (again["id"], again["reason"]) == (first["id"], "Ditujukan ke loket ini")
    assert again["reason_en"] == "Sent to this counter"
    complete_ticket(db.session, ctx, again["id"], l1, budi.id)
    assert call_next(db.session, ctx, l1, budi.id)["id"] == priority["id"]
    events = db.session.scalars(
        select(TicketEvent).where(
            TicketEvent.ticket_id == first["id"], TicketEvent.kind == "called"
        )
    ).all()
    assert json.loads(events[-1].detail)["reason"] == {
        "id": "Ditujukan ke loket ini",
        "en": "Sent to this counter",
    }


def test_a_late_no_show_returns_only_within_the_grace_period(
    ctx: Context, clock: Clock, budi: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    for _ in range(2):
        issue_ticket(db.session, ctx, service_id("ktp"))
    first = call_next(db.session, ctx, l1, budi.id)
    mark_no_show(db.session, ctx, first["id"], l1, budi.id)
    clock.advance(minutes=10)
    assert resume_ticket(db.session, ctx, first["id"])["status"] == "waiting"
    again = call_next(db.session, ctx, l1, budi.id)
    assert again["id"] == first["id"]
    mark_no_show(db.session, ctx, again["id"], l1, budi.id)
    clock.advance(minutes=31)
    with pytest.raises(WrongState) as late:
        resume_ticket(db.session, ctx, first["id"])
    assert late.value.code == "grace_period_over"


def test_calling_a_named_ticket_needs_a_reason_and_a_waiting_ticket(
    ctx: Context, budi: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    issue_ticket(db.session, ctx, service_id("ktp"))
    second = issue_ticket(db.session, ctx, service_id("ktp"))
    other = issue_ticket(db.session, ctx, service_id("pkb"))
    with pytest.raises(InvalidInput, match="reason"):
        call_ticket(db.session, ctx, l1, second["id"], "  ", budi.id)
    with pytest.raises(WrongState, match="not a service"):
        call_ticket(db.session, ctx, l1, other["id"], "Janji temu", budi.id)
    called = call_ticket(db.session, ctx, l1, second["id"], "Janji temu", budi.id)
    assert (called["number"], called["reason"]) == ("A002", "Dipanggil khusus: Janji temu")
    assert (called["status"], called["counter"], called["called_at"]) == (
        "called",
        "Loket 1",
        ctx.local(ctx.now()).isoformat(timespec="seconds"),
    )
    complete_ticket(db.session, ctx, called["id"], l1, budi.id)
    with pytest.raises(WrongState, match="the ticket is done"):
        call_ticket(db.session, ctx, l1, second["id"], "Lagi", budi.id)


def test_priority_visitors_interleave_and_the_counter_says_why(
    ctx: Context, clock: Clock, budi: User
) -> None:
    l1 = open_as(ctx, "L1", budi)
    regular = [issue_ticket(db.session, ctx, service_id("ktp")) for _ in range(2)]
    clock.advance(minutes=1)
    priority = [
        issue_ticket(db.session, ctx, service_id("ktp"), priority_class="lansia") for _ in range(3)
    ]
    order = []
    for _ in range(5):
        called = call_next(db.session, ctx, l1, budi.id)
        order.append((called["number"], called["reason"]))
        complete_ticket(db.session, ctx, called["id"], l1, budi.id)
    assert [number for number, _ in order] == [
        priority[0]["number"],
        priority[1]["number"],
        regular[0]["number"],
        priority[2]["number"],
        regular[1]["number"],
    ]
    assert order[0][1].startswith("Pengunjung prioritas")
    assert order[2][1].startswith("Giliran antrean reguler setelah 2 prioritas")
    assert db.session.get(Ticket, priority[0]["id"]).priority_class == "lansia"


def test_the_halls_settings_order_and_word_the_call(
    ctx: Context, clock: Clock, budi: User, publisher: RecordingPublisher
) -> None:
    db.session.add_all(
        [
            Setting(key="hall_priority_ratio", value=1),
            Setting(key="hall_max_wait_minutes", value=10),
            Setting(key="hall_voice_numbers", value="words"),
        ]
    )
    db.session.commit()
    l1 = open_as(ctx, "L1", budi)
    aged = issue_ticket(db.session, ctx, service_id("ktp"))
    clock.advance(minutes=11)
    regular = issue_ticket(db.session, ctx, service_id("ktp"))
    priority = [
        issue_ticket(db.session, ctx, service_id("ktp"), priority_class="lansia") for _ in range(2)
    ]
    order = []
    for _ in range(4):
        called = call_next(db.session, ctx, l1, budi.id)
        order.append(called["number"])
        complete_ticket(db.session, ctx, called["id"], l1, budi.id)
    # waited past 10 minutes, then one priority visitor for each regular one
    assert order == [
        aged["number"],
        priority[0]["number"],
        regular["number"],
        priority[1]["number"],
    ]
    spoken = publisher.events("ticket_called")[0]["spoken"]
    assert spoken == spoken_call(aged["number"], "Loket 1", digit_by_digit=False)
    assert spoken != spoken_call(aged["number"], "Loket 1", digit_by_digit=True)


def test_unknown_priority_class_is_refused(ctx: Context) -> None:
    with pytest.raises(InvalidInput, match="lansia"):
        issue_ticket(db.session, ctx, service_id("ktp"), priority_class="vip")


def test_calls_and_counter_states_say_when_to_the_millisecond(
    ctx: Context, clock: Clock, budi: User, publisher: RecordingPublisher
) -> None:
    l1 = open_as(ctx, "L1", budi)
    issue_ticket(db.session, ctx, service_id("ktp"))
    issue_ticket(db.session, ctx, service_id("ktp"))
    clock.advance(seconds=1.25)
    first = call_next(db.session, ctx, l1, budi.id)
    clock.advance(seconds=61.5)
    complete_ticket(db.session, ctx, first["id"], l1, budi.id)
    clock.advance(seconds=0.004)  # the next call, a few milliseconds later
    call_next(db.session, ctx, l1, budi.id)
    calls = publisher.events("ticket_called")
    states = [event["counter"] for event in publisher.events("counter_changed")]
    assert [call["at"] for call in calls] == [
        "2026-11-23T09:00:01.250+07:00",
        "2026-11-23T09:01:02.754+07:00",
    ]
    numbers = [(state["current"] or {}).get("number") for state in states]
    assert list(zip([state["as_of"] for state in states], numbers, strict=True)) == [
        ("2026-11-23T09:00:00.000+07:00", None),  # opened
        ("2026-11-23T09:00:01.250+07:00", first["number"]),
        ("2026-11-23T09:01:02.750+07:00", None),  # done: older than the call that follows
        ("2026-11-23T09:01:02.754+07:00", calls[1]["ticket"]["number"]),
    ]
    assert states[2]["as_of"] < calls[1]["at"]  # ISO strings of one offset sort as their times
    assert publisher.events("queue_changed")[-1]["as_of"] == "2026-11-23T09:01:02.754+07:00"
