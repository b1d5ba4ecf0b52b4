"""Issuing tickets and what a counter does with them."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.calendar import availability, parse_hours, service_day
from server.domain.errors import InvalidInput, NotFound, ServiceClosed, WrongState
from server.domain.routing import choose_next
from server.domain.tickets import (
    ACTIVE_AT_COUNTER,
    EventKind,
    TicketStatus,
    format_number,
    recall_outcome,
    require_status,
)
from server.models import Counter, DailySequence, Service, Ticket, TicketEvent
from server.services import printing, queue, rooms
from server.services.context import Context
from server.services.presenters import ticket_json
from server.services.publisher import Outbox

LANGUAGES = ("id", "en")
CLAIM_ATTEMPTS = 20


def issue_ticket(
    session: Session,
    ctx: Context,
    service_id: int,
    priority: bool = False,
    lang: str = "id",
    kiosk: str | None = None,
) -> dict[str, Any]:
    """Issue the next number of a service, if it is open; print it when issued at a kiosk."""
    if lang not in LANGUAGES:
        raise InvalidInput(
            "invalid_lang", "Bahasa harus 'id' atau 'en'.", "lang must be 'id' or 'en'."
        )
    now, outbox = ctx.now(), Outbox()
    day = service_day(now, ctx.zone)
    with write_transaction(session):
        device = None if kiosk is None else printing.kiosk_by_code(session, kiosk)
        service = _service(session, service_id)
        _require_open(
            service, issued_today=_issued_today(session, service.id, day), ctx=ctx, now=now
        )
        sequence = _take_sequence(session, service.id, day)
        if service.daily_quota is not None and sequence > service.daily_quota:
            _require_open(service, issued_today=sequence - 1, ctx=ctx, now=now)
        ticket = Ticket(
            token=secrets.token_urlsafe(24),
            service=service,
            service_day=day,
            sequence=sequence,
            number=format_number(service.prefix, sequence),
            status=TicketStatus.WAITING,
            priority=priority,
            lang=lang,
            issued_at=now,
            arrived_at=now,
        )
        session.add(ticket)
        session.flush()
        _record(session, ticket, EventKind.ISSUED, now)
        ahead = queue.ahead_of(session, ticket)
        view = ticket_json(
            ticket, ctx, ahead, queue.estimate_for(session, service, ahead, day, ctx)
        )
        if device is not None:
            view["print"] = printing.queue_print(session, ctx, outbox, ticket, device, view)
        outbox.add("ticket_issued", {"ticket": view}, [rooms.STAFF])
        _queue_changed(session, outbox, service.id, day)
    outbox.send(ctx.publisher)
    return view


def call_next(session: Session, ctx: Context, counter_id: int) -> dict[str, Any] | None:
    """Claim the next waiting ticket for a counter; None when nobody waits."""
    now, outbox = ctx.now(), Outbox()
    day = service_day(now, ctx.zone)
    with write_transaction(session):
        counter = _counter_ready_to_call(session, counter_id)
        ticket = _claim_next(session, counter, now, day)
        if ticket is None:
            return None
        event = _record(session, ticket, EventKind.CALLED, now, counter)
        view = ticket_json(ticket, ctx)
        call = {"ticket": view, "counter": _counter_brief(counter), "call_id": event.id}
        outbox.add("ticket_called", call, rooms.for_ticket_call(ticket, counter))
        outbox.add(
            "counter_changed",
            {"counter": counter_state(counter, ticket, ctx)},
            rooms.for_counter(counter),
        )
        _queue_changed(session, outbox, ticket.service_id, day)
    outbox.send(ctx.publisher)
    return view


def recall_ticket(
    session: Session, ctx: Context, ticket_id: int, counter_id: int | None = None
) -> dict[str, Any]:
    """Call the same ticket again; past the recall limit it becomes a no-show."""

    def recall(ticket: Ticket, now: datetime) -> EventKind:
        if recall_outcome(ticket.recall_count, ctx.recall_limit) is TicketStatus.NO_SHOW:
            ticket.status, ticket.finished_at = TicketStatus.NO_SHOW, now
            return EventKind.NO_SHOW
        ticket.recall_count += 1
        return EventKind.RECALLED

    return _act(
        session, ctx, ticket_id, counter_id, "recall", frozenset({TicketStatus.CALLED}), recall
    )


def mark_no_show(
    session: Session, ctx: Context, ticket_id: int, counter_id: int | None = None
) -> dict[str, Any]:
    """The visitor did not come to the counter."""

    def no_show(ticket: Ticket, now: datetime) -> EventKind:
        ticket.status, ticket.finished_at = TicketStatus.NO_SHOW, now
        return EventKind.NO_SHOW

    return _act(
        session, ctx, ticket_id, counter_id, "no-show", frozenset({TicketStatus.CALLED}), no_show
    )


def start_serving(
    session: Session, ctx: Context, ticket_id: int, counter_id: int | None = None
) -> dict[str, Any]:
    """The visitor has arrived at the counter."""

    def start(ticket: Ticket, now: datetime) -> EventKind:
        ticket.status, ticket.served_at = TicketStatus.SERVING, now
        return EventKind.SERVING

    return _act(
        session, ctx, ticket_id, counter_id, "start", frozenset({TicketStatus.CALLED}), start
    )


def complete_ticket(
    session: Session, ctx: Context, ticket_id: int, counter_id: int | None = None
) -> dict[str, Any]:
    """The visitor has been served."""

    def complete(ticket: Ticket, now: datetime) -> EventKind:
        ticket.status, ticket.finished_at = TicketStatus.DONE, now
        ticket.served_at = ticket.served_at or ticket.called_at
        return EventKind.COMPLETED

    return _act(session, ctx, ticket_id, counter_id, "complete", ACTIVE_AT_COUNTER, complete)


def counter_state(counter: Counter, current: Ticket | None, ctx: Context) -> dict[str, Any]:
    """A counter with the ticket it is dealing with, as displays and terminals show it."""
    return {
        **_counter_brief(counter),
        "status": counter.status,
        "current": None if current is None else ticket_json(current, ctx),
    }


def current_ticket(session: Session, counter_id: int) -> Ticket | None:
    """The ticket a counter has called or is serving."""
    return session.scalars(
        select(Ticket).where(Ticket.counter_id == counter_id, Ticket.status.in_(ACTIVE_AT_COUNTER))
    ).first()


Action = Callable[[Ticket, datetime], EventKind]


def _act(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None,
    action: str,
    allowed: frozenset[TicketStatus],
    apply: Action,
) -> dict[str, Any]:
    now, outbox = ctx.now(), Outbox()
    with write_transaction(session):
        ticket = session.get(Ticket, ticket_id, with_for_update=True)
        if ticket is None:
            raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
        _require_same_counter(ticket, counter_id)
        require_status(TicketStatus(ticket.status), allowed, action)
        kind = apply(ticket, now)
        counter = ticket.counter
        event = _record(session, ticket, kind, now, counter)
        view = ticket_json(ticket, ctx)
        if kind is EventKind.RECALLED:
            call = {"ticket": view, "counter": _counter_brief(counter), "call_id": event.id}
            outbox.add("ticket_recalled", call, rooms.for_ticket_call(ticket, counter))
        outbox.add(
            "ticket_updated",
            {"ticket": view},
            [rooms.ticket_room(ticket.token), rooms.counter_room(counter.id), rooms.STAFF],
        )
        active = ticket if ticket.status in ACTIVE_AT_COUNTER else None
        outbox.add(
            "counter_changed",
            {"counter": counter_state(counter, active, ctx)},
            rooms.for_counter(counter),
        )
    outbox.send(ctx.publisher)
    return view


def _service(session: Session, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound("service_not_found", "Layanan tidak ditemukan.", "Service not found.")
    return service


def _issued_today(session: Session, service_id: int, day: Any) -> int:
    sequence = session.get(DailySequence, (service_id, day))
    return sequence.last_number if sequence else 0


def _require_open(service: Service, issued_today: int, ctx: Context, now: datetime) -> None:
    state = availability(
        parse_hours(service.hours),
        service.daily_quota,
        issued_today,
        ctx.local(now),
        service.enabled,
    )
    if not state.open:
        raise ServiceClosed(
            f"service_{state.reason}",
            f"{service.name}: {state.message_id}.",
            f"{service.name_en or service.name}: {state.message_en}.",
        )


def _take_sequence(session: Session, service_id: int, day: Any) -> int:
    """Take the next daily number with one atomic upsert, in the caller's transaction."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(DailySequence)
        .values(service_id=service_id, service_day=day, last_number=1)
        .on_conflict_do_update(
            index_elements=["service_id", "service_day"],
            set_={"last_number": DailySequence.last_number + 1},
        )
        .returning(DailySequence.last_number)
    )
    return session.execute(statement).scalar_one()


def _counter_ready_to_call(session: Session, counter_id: int) -> Counter:
    counter = session.get(Counter, counter_id, with_for_update=True)
    if counter is None:
        raise NotFound("counter_not_found", "Loket tidak ditemukan.", "Counter not found.")
    if not counter.service_ids:
        raise InvalidInput(
            "counter_serves_nothing",
            f"{counter.name} belum melayani layanan apa pun. Hubungi admin.",
            f"{counter.name} serves no service yet. Ask an administrator.",
        )
    if counter.status != "open":
        on_break = counter.status == "break"
        raise WrongState(
            f"counter_{counter.status}",
            f"{counter.name} sedang {'istirahat' if on_break else 'tutup'}. Buka loket dulu.",
            f"{counter.name} is {'on a break' if on_break else 'closed'}. Open it first.",
        )
    active = current_ticket(session, counter.id)
    if active is not None:
        raise WrongState(
            "counter_busy",
            f"Selesaikan atau tandai tidak hadir {active.number} dulu.",
            f"Complete {active.number} or mark it no-show first.",
        )
    return counter


def _claim_next(session: Session, counter: Counter, now: datetime, day: Any) -> Ticket | None:
    """Claim the chosen ticket with one conditional UPDATE; choose again if another won."""
    for _attempt in range(CLAIM_ATTEMPTS):
        choice = choose_next(
            queue.queue_heads(session, counter.service_ids, day), counter.service_ids, now
        )
        if choice is None:
            return None
        claimed = session.execute(
            update(Ticket)
            .where(Ticket.id == choice.ticket_id, Ticket.status == TicketStatus.WAITING)
            .values(
                status=TicketStatus.CALLED, counter_id=counter.id, called_at=now, recall_count=0
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed == 1:
            ticket = session.get(Ticket, choice.ticket_id, populate_existing=True)
            assert ticket is not None
            return ticket
    raise WrongState(
        "queue_busy", "Antrean sedang sibuk, coba lagi.", "The queue is busy, try again."
    )


def _require_same_counter(ticket: Ticket, counter_id: int | None) -> None:
    if counter_id is not None and ticket.counter_id not in (None, counter_id):
        raise WrongState(
            "ticket_at_other_counter",
            f"{ticket.number} sedang ditangani {ticket.counter.name}.",
            f"{ticket.number} is being handled at {ticket.counter.name}.",
        )


def _record(
    session: Session, ticket: Ticket, kind: EventKind, at: datetime, counter: Counter | None = None
) -> TicketEvent:
    """Log one change of the ticket; flushed so the event has its id."""
    event = TicketEvent(
        ticket_id=ticket.id,
        kind=kind,
        at=at,
        status=ticket.status,
        service_id=ticket.service_id,
        counter_id=counter.id if counter else ticket.counter_id,
    )
    session.add(event)
    session.flush()
    return event


def _queue_changed(session: Session, outbox: Outbox, service_id: int, day: Any) -> None:
    waiting = queue.waiting_count(session, service_id, day)
    outbox.add(
        "queue_changed",
        {"service_id": service_id, "waiting": waiting},
        rooms.for_service(session, service_id),
    )


def _counter_brief(counter: Counter) -> dict[str, Any]:
    return {"id": counter.id, "name": counter.name, "zone": counter.zone_id}
