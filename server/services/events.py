"""The ticket event log (the wait-time log) and the counter state screens show."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.orm import Session, joinedload

from server.domain.stats import Step, TicketRecord, ticket_record
from server.domain.tickets import ACTIVE_AT_COUNTER, EventKind
from server.models import Counter, Ticket, TicketEvent
from server.services.context import Context
from server.services.presenters import stamp, ticket_json

INSERT_EVENT = insert(TicketEvent).returning(TicketEvent.id)


def record_event(
    session: Session,
    ticket: Ticket,
    kind: EventKind,
    at: datetime,
    counter: Counter | None = None,
    officer_id: int | None = None,
    detail: str | None = None,
) -> int:
    """Log one change of the ticket with one prepared insert (after writing what is pending, so
    the ticket's row is there); the event's id."""
    values = {
        "ticket_id": ticket.id,
        "kind": kind,
        "at": at,
        "status": ticket.status,
        "service_id": ticket.service_id,
        "counter_id": counter.id if counter else ticket.counter_id,
        "officer_id": officer_id,
        "detail": detail,
    }
    session.flush()
    return session.connection().execute(INSERT_EVENT, values).scalar_one()


# A counter about to change is locked (its own row, not its officer's) and loaded in one statement
# with what its state names (the officer) and what it calls from (its services).
COUNTER_FOR_UPDATE = {"of": Counter}
WITH_OFFICER_AND_SERVICES = [joinedload(Counter.officer), joinedload(Counter.links)]


def locked_counter(session: Session, counter_id: int) -> Counter | None:
    """A counter, its row locked until the commit, with its officer and services loaded."""
    return session.get(
        Counter, counter_id, with_for_update=COUNTER_FOR_UPDATE, options=WITH_OFFICER_AND_SERVICES
    )


ACTIVE_HERE = (Ticket.counter_id == bindparam("counter"), Ticket.status.in_(ACTIVE_AT_COUNTER))
CURRENT_NUMBER = select(Ticket.number).where(*ACTIVE_HERE).limit(1)


def current_ticket(session: Session, counter_id: int) -> Ticket | None:
    """The ticket a counter has called or is serving."""
    return session.scalars(select(Ticket).where(*ACTIVE_HERE), {"counter": counter_id}).first()


def current_number(session: Session, counter_id: int) -> str | None:
    """The number of the ticket a counter has called or is serving, as its row is now."""
    return session.execute(CURRENT_NUMBER, {"counter": counter_id}).scalar()


def counter_brief(counter: Counter) -> dict[str, Any]:
    """A counter's name and place, as calls carry it."""
    return {"id": counter.id, "name": counter.name, "zone": counter.zone_id}


def counter_state(counter: Counter, current: Ticket | None, ctx: Context) -> dict[str, Any]:
    """A counter with the ticket it is dealing with, as displays and terminals show it, and when
    that was (`as_of`)."""
    return {
        **counter_brief(counter),
        "status": counter.status,
        "break_reason": counter.break_reason,
        "officer": counter.officer.name if counter.officer else None,
        "current": None if current is None else ticket_json(current, ctx),
        "as_of": stamp(ctx.now(), ctx),
    }


def step_query() -> Select[Any]:
    """The columns statistics need of each event, in each ticket's order; add a `where`."""
    return select(
        TicketEvent.ticket_id,
        TicketEvent.kind,
        TicketEvent.at,
        TicketEvent.service_id,
        TicketEvent.counter_id,
        TicketEvent.officer_id,
    ).order_by(TicketEvent.ticket_id, TicketEvent.id)


def fold_records(rows: Iterable[Any]) -> Iterator[tuple[int, TicketRecord]]:
    """Each ticket's record from rows of `step_query()`; a ticket whose rows do not start with
    its issue (it was issued before the rows' range) is left out."""
    for ticket_id, events in groupby(rows, key=lambda row: row.ticket_id):
        steps = [
            Step(row.kind, row.at, row.service_id, row.counter_id, row.officer_id) for row in events
        ]
        if steps[0].kind == EventKind.ISSUED:
            yield ticket_id, ticket_record(steps)
