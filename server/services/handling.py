"""What an officer does with the ticket at the counter: recall, start, complete, no-show,
transfer, hold and resume. Each is one transaction, logged as a ticket event, then published."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from server.db import write_transaction
from server.domain.errors import InvalidInput, NotFound, WrongState
from server.domain.tickets import (
    ACTIVE_AT_COUNTER,
    EventKind,
    TicketStatus,
    recall_outcome,
    require_status,
    within_grace,
)
from server.models import Counter, Service, Ticket, TicketEvent
from server.services import queue, rooms, voice
from server.services.calling import require_officer
from server.services.context import Context
from server.services.events import counter_brief, counter_state, record_event
from server.services.presenters import stamp, ticket_json
from server.services.publisher import Outbox

CALLED = frozenset({TicketStatus.CALLED})
TRANSFERABLE = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING})
RESUMABLE = frozenset({TicketStatus.HELD, TicketStatus.NO_SHOW})
LOADED_WITH = [  # its view names the service, its counter's state the officer
    joinedload(Ticket.service, innerjoin=True),
    joinedload(Ticket.counter).joinedload(Counter.officer),
]
FOR_UPDATE = {"of": Ticket}  # the ticket's row, not its service's, counter's or officer's


class Step:
    """One action's change to a ticket: the event kind and its optional detail."""

    def __init__(self, kind: EventKind, detail: str | None = None) -> None:
        self.kind, self.detail = kind, detail


Apply = Callable[[Session, Ticket, datetime], Step]


def recall_ticket(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """Call the same ticket again; past the recall limit it becomes a no-show."""

    def recall(_session: Session, ticket: Ticket, now: datetime) -> Step:
        if recall_outcome(ticket.recall_count, ctx.recall_limit) is TicketStatus.NO_SHOW:
            ticket.status, ticket.finished_at = TicketStatus.NO_SHOW, now
            return Step(EventKind.NO_SHOW, "recall limit reached")
        ticket.recall_count += 1
        return Step(EventKind.RECALLED)

    return _act(session, ctx, ticket_id, counter_id, officer_id, "recall", CALLED, recall)


def mark_no_show(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """The visitor did not come to the counter."""

    def no_show(_session: Session, ticket: Ticket, now: datetime) -> Step:
        ticket.status, ticket.finished_at = TicketStatus.NO_SHOW, now
        return Step(EventKind.NO_SHOW)

    return _act(session, ctx, ticket_id, counter_id, officer_id, "no-show", CALLED, no_show)


def start_serving(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """The visitor has arrived at the counter."""

    def start(_session: Session, ticket: Ticket, now: datetime) -> Step:
        ticket.status, ticket.served_at = TicketStatus.SERVING, now
        return Step(EventKind.SERVING)

    return _act(session, ctx, ticket_id, counter_id, officer_id, "start", CALLED, start)


def complete_ticket(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """The visitor has been served."""

    def complete(_session: Session, ticket: Ticket, now: datetime) -> Step:
        ticket.status, ticket.finished_at = TicketStatus.DONE, now
        ticket.served_at = ticket.served_at or ticket.called_at
        return Step(EventKind.COMPLETED)

    return _act(
        session, ctx, ticket_id, counter_id, officer_id, "complete", ACTIVE_AT_COUNTER, complete
    )


def transfer_ticket(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
    *,
    to_service_id: int | None = None,
    to_counter_id: int | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Send the visitor on to another service or counter, keeping their original arrival time."""

    def transfer(session: Session, ticket: Ticket, _now: datetime) -> Step:
        service, counter = _transfer_target(session, ticket, to_service_id, to_counter_id)
        detail = {
            "from_service_id": ticket.service_id,
            "from_counter_id": ticket.counter_id,
            "to_service_id": service.id,
            "to_counter_id": counter.id if counter else None,
            "note": note,
        }
        ticket.service_id, ticket.service = service.id, service
        ticket.status, ticket.counter_id, ticket.called_at, ticket.served_at = (
            TicketStatus.WAITING,
            None,
            None,
            None,
        )
        ticket.target_counter_id, ticket.recall_count = (counter.id if counter else None), 0
        ticket.note = (note or "").strip()[:500] or None
        return Step(EventKind.TRANSFERRED, json.dumps(detail))

    return _act(session, ctx, ticket_id, counter_id, officer_id, "transfer", TRANSFERABLE, transfer)


def hold_ticket(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """Park the ticket (the visitor fetches a document); the counter is free meanwhile."""

    def hold(_session: Session, ticket: Ticket, _now: datetime) -> Step:
        ticket.status = TicketStatus.HELD
        ticket.note = (note or "").strip()[:500] or ticket.note
        return Step(EventKind.HELD, note)

    return _act(session, ctx, ticket_id, counter_id, officer_id, "hold", ACTIVE_AT_COUNTER, hold)


def resume_ticket(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None = None,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """Return a held ticket to its counter's queue, or a late no-show within the grace period."""

    def resume(_session: Session, ticket: Ticket, now: datetime) -> Step:
        if ticket.status == TicketStatus.NO_SHOW:
            if ticket.finished_at is None or not within_grace(
                ticket.finished_at, now, ctx.no_show_grace
            ):
                minutes = round(ctx.no_show_grace.total_seconds() / 60)
                raise WrongState(
                    "grace_period_over",
                    f"Masa tenggang {minutes} menit sudah lewat; ambil nomor baru.",
                    f"The {minutes}-minute grace period is over; take a new number.",
                )
            ticket.target_counter_id = None
        else:
            ticket.target_counter_id = ticket.counter_id
        ticket.status, ticket.counter_id, ticket.finished_at = TicketStatus.WAITING, None, None
        ticket.called_at, ticket.recall_count = None, 0
        return Step(EventKind.RESUMED)

    return _act(session, ctx, ticket_id, counter_id, officer_id, "resume", RESUMABLE, resume)


def ticket_history(session: Session, ctx: Context, ticket_id: int) -> list[dict[str, Any]]:
    """Every event of one ticket, oldest first: where it came from, who called it."""
    rows = session.execute(
        select(TicketEvent, Counter.name, Service.name)
        .join(Service, Service.id == TicketEvent.service_id)
        .outerjoin(Counter, Counter.id == TicketEvent.counter_id)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.id)
    )
    return [
        {
            "kind": event.kind,
            "at": ctx.local(event.at).isoformat(timespec="seconds"),
            "service": service,
            "counter": counter,
            "detail": event.detail,
        }
        for event, counter, service in rows
    ]


def _act(
    session: Session,
    ctx: Context,
    ticket_id: int,
    counter_id: int | None,
    officer_id: int | None,
    action: str,
    allowed: frozenset[TicketStatus],
    apply: Apply,
) -> dict[str, Any]:
    now, outbox = ctx.now(), Outbox()
    with write_transaction(session):
        ticket = session.get(Ticket, ticket_id, with_for_update=FOR_UPDATE, options=LOADED_WITH)
        if ticket is None:
            raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
        acting = _acting_counter(session, ticket, counter_id, officer_id)
        require_status(TicketStatus(ticket.status), allowed, action)
        was_at, queues = ticket.counter, {ticket.service_id}
        step = apply(session, ticket, now)
        queues.add(ticket.service_id)
        event_id = record_event(
            session, ticket, step.kind, now, acting or was_at, officer_id, step.detail
        )
        view = ticket_json(ticket, ctx)
        _publish(session, ctx, outbox, ticket, view, was_at, step, event_id)
        if ticket.status == TicketStatus.WAITING or TicketStatus.WAITING in allowed:
            for service_id in sorted(queues):
                queue.announce_queue(session, ctx, outbox, service_id, ticket.service_day)
    outbox.send(ctx.publisher)
    return view


def _acting_counter(
    session: Session, ticket: Ticket, counter_id: int | None, officer_id: int | None
) -> Counter | None:
    """The counter acting, checked: its officer, and the ticket is its own (when it has one)."""
    if counter_id is None:
        return None
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise NotFound("counter_not_found", "Loket tidak ditemukan.", "Counter not found.")
    require_officer(counter, officer_id)
    if ticket.counter_id not in (None, counter_id):
        raise WrongState(
            "ticket_at_other_counter",
            f"{ticket.number} sedang ditangani {ticket.counter.name}.",
            f"{ticket.number} is being handled at {ticket.counter.name}.",
        )
    return counter


def _transfer_target(
    session: Session, ticket: Ticket, service_id: int | None, counter_id: int | None
) -> tuple[Service, Counter | None]:
    service = session.get(Service, service_id or ticket.service_id)
    if service is None or not service.enabled:
        raise InvalidInput(
            "invalid_service", "Layanan tujuan tidak ditemukan.", "Target service not found."
        )
    counter = None if counter_id is None else session.get(Counter, counter_id)
    if counter_id is not None and (counter is None or service.id not in counter.service_ids):
        raise InvalidInput(
            "invalid_counter",
            f"Loket tujuan tidak melayani {service.name}.",
            f"The target counter does not serve {service.name_en or service.name}.",
        )
    if service.id == ticket.service_id and counter is None:
        raise InvalidInput(
            "transfer_nowhere",
            "Pilih layanan atau loket tujuan yang lain.",
            "Choose another service or counter to transfer to.",
        )
    return service, counter


def _publish(
    session: Session,
    ctx: Context,
    outbox: Outbox,
    ticket: Ticket,
    view: dict[str, Any],
    was_at: Counter | None,
    step: Step,
    event_id: int,
) -> None:
    if step.kind is EventKind.RECALLED and was_at is not None:
        call = {
            "ticket": view,
            "counter": counter_brief(was_at),
            "call_id": event_id,
            "spoken": voice.spoken_call(ticket.number, was_at.name, voice.reads_digits(session)),
            "at": stamp(ctx.now(), ctx),
        }
        outbox.add("ticket_recalled", call, rooms.for_ticket_call(ticket, was_at))
    screens = [rooms.ticket_room(ticket.token), rooms.STAFF]
    if was_at is not None:
        screens.append(rooms.counter_room(was_at.id))
        active = ticket if ticket.status in ACTIVE_AT_COUNTER else None
        recalled = step.kind is EventKind.RECALLED
        outbox.add(
            "counter_changed",
            {"counter": counter_state(was_at, active, ctx)},
            rooms.for_counter_after_call(was_at) if recalled else rooms.for_counter(was_at),
        )
    if ticket.target_counter_id is not None:
        screens.append(rooms.counter_room(ticket.target_counter_id))
    outbox.add("ticket_updated", {"ticket": view}, screens)
