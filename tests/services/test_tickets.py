"""Issuing and calling tickets through the use cases, on a real SQLite file."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from server.domain.errors import InvalidInput, NotFound, ServiceClosed, WrongState
from server.extensions import db
from server.models import Ticket, TicketEvent
from server.services.calling import call_next
from server.services.context import Context
from server.services.counters import set_counter_status
from server.services.handling import (
    complete_ticket,
    mark_no_show,
    recall_ticket,
    start_serving,
)
from server.services.issuing import issue_ticket
from server.services.publisher import RecordingPublisher
from tests.conftest import counter_id, service_id
from tests.services.conftest import Clock


def open_counter(ctx: Context, code: str) -> int:
    counter = counter_id(code)
    set_counter_status(db.session, ctx, counter, "open")
    return counter


def test_tickets_are_numbered_per_service_per_day(ctx: Context, clock: Clock) -> None:
    ktp, kk = service_id("ktp"), service_id("kk")
    numbers = [issue_ticket(db.session, ctx, ktp)["number"] for _ in range(3)]
    assert numbers == ["A001", "A002", "A003"]
    assert issue_ticket(db.session, ctx, kk)["number"] == "B001"
    clock.advance(days=1)
    assert issue_ticket(db.session, ctx, ktp)["number"] == "A001"


def test_a_new_ticket_knows_who_is_ahead_and_roughly_how_long(ctx: Context) -> None:
    ktp = service_id("ktp")
    first = issue_ticket(db.session, ctx, ktp)
    third = [issue_ticket(db.session, ctx, ktp) for _ in range(2)][-1]
    assert (first["position"], first["ahead"]) == (1, 0)
    assert (third["position"], third["ahead"]) == (3, 2)
    # two counters serve KTP and neither is open yet: 2 ahead * 5 min / 2 counters
    assert third["estimated_wait_s"] == 300
    assert third["status_url"] == f"http://hall.test/t/{third['token']}"
    assert third["issued_at"] == "2026-11-23T09:00:00+07:00"


def test_issuing_publishes_after_commit_to_staff_and_the_services_screens(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    ticket = issue_ticket(db.session, ctx, service_id("ktp"))
    assert publisher.events("ticket_issued")[0]["ticket"]["number"] == ticket["number"]
    changed = [(p, rooms) for event, p, rooms in publisher.sent if event == "queue_changed"]
    payload, rooms = changed[0]
    assert payload == {
        "v": 1,
        "service_id": ticket["service_id"],
        "waiting": 1,
        "as_of": "2026-11-23T09:00:00.000+07:00",  # when it was counted, to the millisecond
    }
    assert "zone:1" in rooms and "staff" in rooms and f"service:{ticket['service_id']}" in rooms


def test_closed_service_gives_no_ticket_and_writes_nothing(ctx: Context) -> None:
    with pytest.raises(ServiceClosed) as refused:
        issue_ticket(db.session, ctx, service_id("tutup"))
    assert refused.value.code == "service_disabled"
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_quota_stops_issuing_without_burning_a_number(ctx: Context, clock: Clock) -> None:
    pkb = service_id("pkb")
    assert [issue_ticket(db.session, ctx, pkb)["number"] for _ in range(3)] == [
        "D001",
        "D002",
        "D003",
    ]
    with pytest.raises(ServiceClosed) as refused:
        issue_ticket(db.session, ctx, pkb)
    assert refused.value.code == "service_quota_reached"
    assert "Kuota hari ini habis" in refused.value.message("id")
    clock.advance(days=1)
    assert issue_ticket(db.session, ctx, pkb)["number"] == "D001"


def test_unknown_service_and_language_are_refused(ctx: Context) -> None:
    with pytest.raises(NotFound):
        issue_ticket(db.session, ctx, 9999)
    with pytest.raises(InvalidInput):
        issue_ticket(db.session, ctx, service_id("ktp"), lang="fr")
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_counter_calls_in_arrival_order_across_its_services(ctx: Context, clock: Clock) -> None:
    counter = open_counter(ctx, "L1")
    b1 = issue_ticket(db.session, ctx, service_id("kk"))
    clock.advance(seconds=5)
    a1 = issue_ticket(db.session, ctx, service_id("ktp"))
    called = call_next(db.session, ctx, counter)
    assert called is not None and called["number"] == b1["number"]
    assert called["status"] == "called" and called["counter"] == "Loket 1"
    complete_ticket(db.session, ctx, called["id"], counter)
    assert call_next(db.session, ctx, counter)["number"] == a1["number"]  # type: ignore[index]


def test_calling_with_nobody_waiting_returns_nothing(ctx: Context) -> None:
    assert call_next(db.session, ctx, open_counter(ctx, "L1")) is None


def test_cannot_call_when_counter_is_closed_or_on_break(ctx: Context) -> None:
    issue_ticket(db.session, ctx, service_id("ktp"))
    with pytest.raises(WrongState, match="closed"):
        call_next(db.session, ctx, counter_id("L1"))
    set_counter_status(db.session, ctx, counter_id("L1"), "break")
    with pytest.raises(WrongState) as refused:
        call_next(db.session, ctx, counter_id("L1"))
    assert refused.value.message("id") == "Loket 1 sedang istirahat. Buka loket dulu."


def test_cannot_call_from_a_counter_that_serves_nothing(ctx: Context) -> None:
    with pytest.raises(InvalidInput) as refused:
        call_next(db.session, ctx, open_counter(ctx, "L9"))
    assert refused.value.code == "counter_serves_nothing"


def test_cannot_call_next_while_a_visitor_is_still_at_the_counter(ctx: Context) -> None:
    counter = open_counter(ctx, "L1")
    for _ in range(2):
        issue_ticket(db.session, ctx, service_id("ktp"))
    first = call_next(db.session, ctx, counter)
    with pytest.raises(WrongState, match="A001"):
        call_next(db.session, ctx, counter)
    start_serving(db.session, ctx, first["id"], counter)  # type: ignore[index]
    with pytest.raises(WrongState):
        set_counter_status(db.session, ctx, counter, "closed")


def test_a_call_reaches_the_zone_counter_and_the_tickets_phone(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    counter = open_counter(ctx, "L1")
    ticket = issue_ticket(db.session, ctx, service_id("ktp"))
    call_next(db.session, ctx, counter)
    [(payload, rooms)] = [(p, r) for event, p, r in publisher.sent if event == "ticket_called"]
    assert payload["ticket"]["number"] == "A001" and payload["counter"]["name"] == "Loket 1"
    assert set(rooms) >= {"zone:1", f"counter:{counter}", f"ticket:{ticket['token']}"}
    call_event = db.session.get(TicketEvent, payload["call_id"])
    assert call_event is not None and call_event.kind == "called"


def test_the_zone_hears_a_calls_counter_once_and_every_later_change_of_it(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    """A call (and a recall) already carries the counter and its ticket, so the zone's
    displays get no `counter_changed` with it; the terminal and staff do, and everyone hears
    the counter's later changes (serving, done)."""
    counter = open_counter(ctx, "L1")
    issue_ticket(db.session, ctx, service_id("ktp"))
    publisher.sent.clear()
    ticket = call_next(db.session, ctx, counter)
    recall_ticket(db.session, ctx, ticket["id"], counter)  # type: ignore[index]
    start_serving(db.session, ctx, ticket["id"], counter)  # type: ignore[index]
    complete_ticket(db.session, ctx, ticket["id"], counter)  # type: ignore[index]
    states = [
        (payload["counter"]["current"], set(rooms))
        for event, payload, rooms in publisher.sent
        if event == "counter_changed"
    ]
    here = {f"counter:{counter}", "staff"}
    assert [(current and current["status"], rooms) for current, rooms in states] == [
        ("called", here),
        ("called", here),
        ("serving", here | {"zone:1"}),
        (None, here | {"zone:1"}),
    ]
    zone_heard = [e for e, _, rooms in publisher.sent if "zone:1" in rooms and e != "queue_changed"]
    assert zone_heard == ["ticket_called", "ticket_recalled", "counter_changed", "counter_changed"]


def test_recall_repeats_the_call_and_past_the_limit_marks_no_show(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    counter = open_counter(ctx, "L1")
    issue_ticket(db.session, ctx, service_id("ktp"))
    ticket = call_next(db.session, ctx, counter)
    for count in range(1, 4):
        assert recall_ticket(db.session, ctx, ticket["id"], counter)["recall_count"] == count  # type: ignore[index]
    assert recall_ticket(db.session, ctx, ticket["id"], counter)["status"] == "no_show"  # type: ignore[index]
    recalls = publisher.events("ticket_recalled")
    assert len(recalls) == 3 and len({r["call_id"] for r in recalls}) == 3


def test_every_action_is_refused_in_the_wrong_state(ctx: Context) -> None:
    counter = open_counter(ctx, "L1")
    waiting = issue_ticket(db.session, ctx, service_id("ktp"))
    for action in (recall_ticket, mark_no_show, start_serving, complete_ticket):
        with pytest.raises(WrongState) as refused:
            action(db.session, ctx, waiting["id"], counter)
        assert "menunggu" in refused.value.message("id")
    called = call_next(db.session, ctx, counter)
    complete_ticket(db.session, ctx, called["id"], counter)  # type: ignore[index]
    with pytest.raises(WrongState, match="done"):
        complete_ticket(db.session, ctx, called["id"], counter)  # type: ignore[index]


def test_another_counter_cannot_act_on_a_called_ticket(ctx: Context) -> None:
    l1, l2 = open_counter(ctx, "L1"), open_counter(ctx, "L2")
    issue_ticket(db.session, ctx, service_id("ktp"))
    ticket = call_next(db.session, ctx, l1)
    with pytest.raises(WrongState, match="Loket 1"):
        complete_ticket(db.session, ctx, ticket["id"], l2)  # type: ignore[index]


def test_every_change_is_logged_with_time_and_counter(ctx: Context, clock: Clock) -> None:
    counter = open_counter(ctx, "L1")
    issue_ticket(db.session, ctx, service_id("ktp"))
    clock.advance(minutes=4)
    ticket = call_next(db.session, ctx, counter)
    clock.advance(minutes=1)
    start_serving(db.session, ctx, ticket["id"], counter)  # type: ignore[index]
    clock.advance(minutes=6)
    done = complete_ticket(db.session, ctx, ticket["id"], counter)  # type: ignore[index]
    events = db.session.scalars(select(TicketEvent).order_by(TicketEvent.id)).all()
    assert [(e.kind, e.status, e.counter_id) for e in events] == [
        ("issued", "waiting", None),
        ("called", "called", counter),
        ("serving", "serving", counter),
        ("completed", "done", counter),
    ]
    assert [e.at.astimezone(ZoneInfo("Asia/Jakarta")).strftime("%H:%M") for e in events] == [
        "09:00",
        "09:04",
        "09:05",
        "09:11",
    ]
    assert (done["called_at"], done["finished_at"]) == (
        "2026-11-23T09:04:00+07:00",
        "2026-11-23T09:11:00+07:00",
    )


def test_estimates_learn_from_todays_service_times(ctx: Context, clock: Clock) -> None:
    counter = open_counter(ctx, "L1")
    issue_ticket(db.session, ctx, service_id("ktp"))
    ticket = call_next(db.session, ctx, counter)
    clock.advance(minutes=2)
    complete_ticket(db.session, ctx, ticket["id"], counter)  # type: ignore[index]
    issue_ticket(db.session, ctx, service_id("ktp"))
    later = issue_ticket(db.session, ctx, service_id("ktp"))
    assert later["ahead"] == 1
    assert later["estimated_wait_s"] == 120  # one open counter, two-minute services so far
