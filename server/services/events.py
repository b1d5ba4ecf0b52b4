"""The ticket event log (the wait-time log) and the counter state screens show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.domain.tickets import ACTIVE_AT_COUNTER, EventKind
from server.models import Counter, Ticket, TicketEvent
from server.services.context import Context
from server.services.presenters import ticket_json


def record_event(
    session: Session,
    ticket: Ticket,
    kind: EventKind,
    at: datetime,
    counter: Counter | None = None,
    officer_id: int | None = None,
    detail: str | None = None,
) -> TicketEvent:
    """Log one change of the ticket; flushed so the event has its id."""
    event = TicketEvent(
        ticket_id=ticket.id,
        kind=kind,
        at=at,
        status=ticket.status,
        service_id=ticket.service_id,
        counter_id=counter.id if counter else ticket.counter_id,
        officer_id=officer_id,
        detail=detail,
    )
    session.add(event)
    session.flush()
    return event


def current_ticket(session: Session, counter_id: int) -> Ticket | None:
    """The ticket a counter has called or is serving."""
    return session.scalars(
        select(Ticket).where(Ticket.counter_id == counter_id, Ticket.status.in_(ACTIVE_AT_COUNTER))
    ).first()


def counter_brief(counter: Counter) -> dict[str, Any]:
    """A counter's name and place, as calls carry it."""
    return {"id": counter.id, "name": counter.name, "zone": counter.zone_id}


def counter_state(counter: Counter, current: Ticket | None, ctx: Context) -> dict[str, Any]:
    """A counter with the ticket it is dealing with, as displays and terminals show it."""
    return {
        **counter_brief(counter),
        "status": counter.status,
        "break_reason": counter.break_reason,
        "officer": counter.officer.name if counter.officer else None,
        "current": None if current is None else ticket_json(current, ctx),
    }
