"""What a counter terminal shows: its state, the queue it calls from, held tickets, its day."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from server.domain.calendar import day_bounds, service_day
from server.domain.errors import NotFound
from server.domain.tickets import EventKind, TicketStatus
from server.models import Counter, Service, Ticket, TicketEvent
from server.services import queue
from server.services.context import Context
from server.services.events import counter_state, current_ticket
from server.services.handling import ticket_history
from server.services.presenters import ticket_json

HISTORY = 50
QUEUE_PREVIEW = 10


def counter_snapshot(session: Session, ctx: Context, counter_id: int) -> dict[str, Any]:
    """Everything the counter page needs after a (re)connect."""
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise NotFound("counter_not_found", "Loket tidak ditemukan.", "Counter not found.")
    day = service_day(ctx.now(), ctx.zone)
    current = current_ticket(session, counter.id)
    state = counter_state(counter, current, ctx)
    state["current_history"] = [] if current is None else ticket_history(session, ctx, current.id)
    return {
        "v": 1,
        "counter": state,
        "services": _services(session, counter, day),
        "queue": [ticket_json(t, ctx) for t in _queue_preview(session, counter, day)],
        "held": [ticket_json(t, ctx) for t in _held(session, counter.id, day)],
        "today": counter_history(session, ctx, counter.id),
        "served_today": _served_today(session, ctx, counter.id),
    }


def _services(session: Session, counter: Counter, day: Any) -> list[dict[str, Any]]:
    waiting = queue.waiting_counts(session, day)
    services = {
        s.id: s for s in session.scalars(select(Service).where(Service.id.in_(counter.service_ids)))
    }
    return [
        {
            "id": sid,
            "prefix": services[sid].prefix,
            "name": services[sid].name,
            "name_en": services[sid].name_en or services[sid].name,
            "waiting": waiting.get(sid, 0),
        }
        for sid in counter.service_ids
    ]


def _queue_preview(session: Session, counter: Counter, day: Any) -> list[Ticket]:
    """The first waiting tickets this counter may call, in arrival order (to call one by name)."""
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.service_id.in_(counter.service_ids),
                Ticket.service_day == day,
                Ticket.status == TicketStatus.WAITING,
                or_(Ticket.target_counter_id.is_(None), Ticket.target_counter_id == counter.id),
            )
            .order_by(Ticket.arrived_at, Ticket.id)
            .limit(QUEUE_PREVIEW)
        )
    )


def _held(session: Session, counter_id: int, day: Any) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.counter_id == counter_id,
                Ticket.service_day == day,
                Ticket.status == TicketStatus.HELD,
            )
            .order_by(Ticket.arrived_at)
        )
    )


def counter_history(
    session: Session, ctx: Context, counter_id: int, limit: int = HISTORY
) -> list[dict[str, Any]]:
    """What happened at this counter today, newest first."""
    start, _end = day_bounds(service_day(ctx.now(), ctx.zone), ctx.zone)
    rows = session.execute(
        select(TicketEvent.id, TicketEvent.kind, TicketEvent.at, Ticket.id, Ticket.number)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(TicketEvent.counter_id == counter_id, TicketEvent.at >= start)
        .order_by(TicketEvent.id.desc())
        .limit(limit)
    )
    return [
        {
            "event_id": event_id,
            "kind": kind,
            "at": ctx.local(at).isoformat(timespec="seconds"),
            "ticket_id": ticket_id,
            "number": number,
        }
        for event_id, kind, at, ticket_id, number in rows
    ]


def _served_today(session: Session, ctx: Context, counter_id: int) -> int:
    start, _end = day_bounds(service_day(ctx.now(), ctx.zone), ctx.zone)
    completed = (
        select(func.count())
        .select_from(TicketEvent)
        .where(
            TicketEvent.counter_id == counter_id,
            TicketEvent.kind == EventKind.COMPLETED,
            TicketEvent.at >= start,
        )
    )
    return session.scalar(completed) or 0
