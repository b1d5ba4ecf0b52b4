"""Read-side questions about the queue: how many wait, who is ahead, how long it takes.

The questions asked on every issue and call run statements built once, on the session's
connection: they see what the transaction has flushed, not objects still pending (the use cases
ask them after `record_event`, which flushes)."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Select, and_, bindparam, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from server.domain.estimates import estimate_wait_s, mean_service_seconds
from server.domain.routing import Candidate, RecentCall
from server.domain.tickets import EventKind, TicketStatus
from server.models import Ticket, TicketEvent
from server.services import rooms
from server.services.context import Context
from server.services.presenters import stamp, ticket_json
from server.services.publisher import Outbox

RECENT_SERVICES = 20


class TimedService(Protocol):
    """What an estimate needs of a service: which one, and its usual duration if it has one."""

    id: int
    default_service_s: int | None


def waiting_counts(session: Session, day: date) -> dict[int, int]:
    """Waiting tickets per service on a service day."""
    rows = session.execute(
        select(Ticket.service_id, func.count())
        .where(Ticket.service_day == day, Ticket.status == TicketStatus.WAITING)
        .group_by(Ticket.service_id)
    )
    return {service_id: count for service_id, count in rows}


WAITING_COUNT = select(func.count()).where(
    Ticket.service_id == bindparam("service_id"),
    Ticket.service_day == bindparam("day"),
    Ticket.status == TicketStatus.WAITING,
)
RECENT_SERVICE_TIMES = (
    select(Ticket.called_at, Ticket.finished_at)
    .where(
        Ticket.service_id == bindparam("service_id"),
        Ticket.service_day == bindparam("day"),
        Ticket.status == TicketStatus.DONE,
    )
    .order_by(Ticket.finished_at.desc())
    .limit(RECENT_SERVICES)
)


def waiting_count(session: Session, service_id: int, day: date) -> int:
    """Waiting tickets of one service on a service day."""
    params = {"service_id": service_id, "day": day}
    return session.connection().execute(WAITING_COUNT, params).scalar_one()


def ahead_of(session: Session, ticket: Ticket) -> int:
    """How many tickets of the same service wait in front of this one."""
    return (
        session.scalar(
            select(func.count()).where(
                Ticket.service_id == ticket.service_id,
                Ticket.service_day == ticket.service_day,
                Ticket.status == TicketStatus.WAITING,
                or_(
                    Ticket.arrived_at < ticket.arrived_at,
                    and_(Ticket.arrived_at == ticket.arrived_at, Ticket.id < ticket.id),
                ),
            )
        )
        or 0
    )


WAITING_HERE = (
    Ticket.service_day == bindparam("day"),
    Ticket.status == TicketStatus.WAITING,
)
COUNTER = bindparam("counter")
# Each head query reads one index entry however long the queue. On PostgreSQL it also locks
# the head it returns and skips heads other counters' calls hold, so counters calling at once
# each find a ticket of their own instead of waiting on one another's row locks. SQLite has a
# single writer and no row locks: there a counter's head queries run as one statement
# (`_heads_at_once`).


def _service_head(service_id: Any, priority: Any) -> Select[Any]:  # `ix_tickets_heads`
    return (
        select(Ticket.id, Ticket.service_id, Ticket.arrived_at, Ticket.priority)
        .where(
            Ticket.service_id == service_id,
            *WAITING_HERE,
            Ticket.priority == priority,
            or_(Ticket.target_counter_id.is_(None), Ticket.target_counter_id == COUNTER),
        )
        .order_by(Ticket.arrived_at, Ticket.id)
        .limit(1)
    )


def _sent_here_head() -> Select[Any]:  # `ix_tickets_sent_to_counter`
    return (
        select(Ticket.id, Ticket.service_id, Ticket.arrived_at, Ticket.priority)
        .where(Ticket.target_counter_id == COUNTER, *WAITING_HERE)
        .order_by(Ticket.arrived_at, Ticket.id)
        .limit(1)
    )


SERVICE_HEAD = _service_head(bindparam("service_id"), bindparam("priority")).with_for_update(
    skip_locked=True
)
SENT_HERE_HEAD = _sent_here_head().with_for_update(skip_locked=True)


@functools.cache
def _heads_at_once(services: int) -> Select[Any]:
    """The head queries of a counter with `services` services as one statement: each a `LIMIT 1`
    subquery (still one index entry), joined by UNION ALL and listed in `queue_heads`' order,
    the head sent to the counter last (its `part` is `2 * services`)."""
    heads = [
        _service_head(bindparam(f"service_{number}"), priority)
        for number in range(services)
        for priority in (False, True)
    ]
    heads.append(_sent_here_head())
    parts = [
        select(literal(part).label("part"), *head.subquery().c) for part, head in enumerate(heads)
    ]
    every = union_all(*parts).subquery()
    return select(every).order_by(every.c.part)


def queue_heads(
    session: Session, service_ids: list[int], day: date, counter_id: int | None = None
) -> list[Candidate]:
    """The first waiting ticket of each service and class that this counter may call, and the
    first ticket addressed to this counter by name (resumed here or transferred to it)."""
    connection, candidates = session.connection(), []
    if connection.dialect.name == "sqlite":
        params = {f"service_{number}": service for number, service in enumerate(service_ids)}
        rows = connection.execute(
            _heads_at_once(len(service_ids)), {**params, "day": day, "counter": counter_id}
        )
        sent_here = 2 * len(service_ids)
        return [
            Candidate(row.id, row.service_id, row.arrived_at, row.priority, row.part == sent_here)
            for row in rows
        ]
    for service_id in service_ids:
        for priority in (False, True):
            params = {"service_id": service_id, "day": day, "priority": priority}
            row = connection.execute(SERVICE_HEAD, {**params, "counter": counter_id}).first()
            if row:
                candidates.append(Candidate(row.id, service_id, row.arrived_at, priority))
    if counter_id is not None:
        row = connection.execute(SENT_HERE_HEAD, {"counter": counter_id, "day": day}).first()
        if row:
            candidates.append(Candidate(row.id, row.service_id, row.arrived_at, row.priority, True))
    return candidates


def serving_counters(session: Session, service_id: int) -> int:
    """Counters that serve the service and are open, or all that serve it before any opens."""
    return open_or_all(rooms.serving_counters(session, service_id))


def open_or_all(counters: list[rooms.ServingCounter]) -> int:
    """How many of a service's counters share its queue now: the open ones, or all of them
    before any opens (so that a morning's first tickets get an estimate)."""
    return sum(counter.status == "open" for counter in counters) or len(counters)


def mean_service_s(session: Session, service: TimedService, day: date, ctx: Context) -> float:
    """Mean duration of the service's latest completed tickets today."""
    params = {"service_id": service.id, "day": day}
    rows = session.connection().execute(RECENT_SERVICE_TIMES, params)
    durations = [(finished - called).total_seconds() for called, finished in rows]
    return mean_service_seconds(durations, service.default_service_s or ctx.default_service_s)


def estimate_for(
    session: Session,
    service: TimedService,
    ahead: int,
    day: date,
    ctx: Context,
    serving: int | None = None,
) -> int | None:
    """Estimated seconds until a visitor with `ahead` people in front is called (`serving`:
    the counters sharing the queue, when the caller has counted them)."""
    mean = mean_service_s(session, service, day, ctx)
    if serving is None:
        serving = serving_counters(session, service.id)
    return estimate_wait_s(ahead, mean, serving)


def ticket_with_place(session: Session, ctx: Context, ticket: Ticket) -> dict[str, Any]:
    """A ticket's view, with its place in line and estimate while it waits."""
    if ticket.status != TicketStatus.WAITING:
        return ticket_json(ticket, ctx)
    ahead = ahead_of(session, ticket)
    return ticket_json(
        ticket, ctx, ahead, estimate_for(session, ticket.service, ahead, ticket.service_day, ctx)
    )


def announce_queue(
    session: Session, ctx: Context, outbox: Outbox, service_id: int, day: date
) -> None:
    """Queue a `queue_changed` event with the service's new waiting count."""
    waiting = waiting_count(session, service_id, day)
    announce_waiting(ctx, outbox, service_id, waiting, rooms.for_service(session, service_id))


def announce_waiting(
    ctx: Context, outbox: Outbox, service_id: int, waiting: int, screens: list[str]
) -> None:
    """Queue a `queue_changed` event with a waiting count the caller has counted (now)."""
    count = {"service_id": service_id, "waiting": waiting, "as_of": stamp(ctx.now(), ctx)}
    outbox.add("queue_changed", count, screens)


RECENT_CALLS = (
    select(TicketEvent.service_id, Ticket.priority)
    .join(Ticket, Ticket.id == TicketEvent.ticket_id)
    .where(
        TicketEvent.counter_id == bindparam("counter"),
        TicketEvent.kind == EventKind.CALLED,
        TicketEvent.at >= bindparam("since"),
    )
    .order_by(TicketEvent.id.desc())
    .limit(bindparam("limit"))
)


def recent_calls(
    session: Session, counter_id: int, since: datetime, limit: int = 20
) -> list[RecentCall]:
    """The counter's latest calls since `since`, oldest first, for fair routing."""
    params = {"counter": counter_id, "since": since, "limit": limit}
    rows = session.connection().execute(RECENT_CALLS, params).all()
    return [RecentCall(service_id, priority) for service_id, priority in reversed(rows)]
