"""Snapshots that screens load before they follow events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from server.domain.calendar import availability, day_bounds, parse_hours, service_day
from server.domain.errors import NotFound
from server.domain.tickets import ACTIVE_AT_COUNTER, EventKind
from server.models import (
    Agency,
    Counter,
    DailySequence,
    Service,
    Ticket,
    TicketEvent,
    Zone,
)
from server.services import queue, rooms, voice
from server.services.context import Context
from server.services.events import counter_state
from server.services.presenters import counter_json, iso, service_json
from server.services.publisher import SCHEMA_VERSION, Publisher
from server.services.settings import setting, settings

LAST_CALLS = 8
SNAPSHOT_SETTINGS = {
    "hall_name": "Antre",
    "hall_running_text": "",
    "hall_logo": None,
    **voice.NUMBERS_SETTING,
}


def hall_overview(session: Session, ctx: Context) -> dict[str, Any]:
    """Agencies with their services and whether each is open now, counters and zones."""
    now = ctx.now()
    day = service_day(now, ctx.zone)
    waiting = queue.waiting_counts(session, day)
    issued = dict(
        session.execute(
            select(DailySequence.service_id, DailySequence.last_number).where(
                DailySequence.service_day == day
            )
        ).all()
    )
    agencies = session.scalars(
        select(Agency).options(selectinload(Agency.services)).order_by(Agency.position, Agency.id)
    )
    counters = session.scalars(
        select(Counter)
        .options(selectinload(Counter.links), selectinload(Counter.officer))
        .order_by(Counter.position, Counter.id)
    )
    return {
        "name": setting(session, "hall_name", "Antre"),
        "now": iso(now, ctx),
        "agencies": [
            {
                "id": agency.id,
                "code": agency.code,
                "name": agency.name,
                "name_en": agency.name_en or agency.name,
                "services": [
                    service_json(
                        service,
                        waiting.get(service.id, 0),
                        _availability(service, issued.get(service.id, 0), ctx, now),
                    )
                    for service in agency.services
                ],
            }
            for agency in agencies
        ],
        "counters": [counter_json(counter) for counter in counters],
        "zones": [
            {"id": zone.id, "code": zone.code, "name": zone.name}
            for zone in session.scalars(select(Zone).order_by(Zone.id))
        ],
    }


def _availability(service: Service, issued_today: int, ctx: Context, now: Any) -> Any:
    return availability(
        parse_hours(service.hours),
        service.daily_quota,
        issued_today,
        ctx.local(now),
        service.enabled,
    )


def zone_snapshot(session: Session, ctx: Context, zone_id: int) -> dict[str, Any]:
    """What a display shows: each counter's current ticket, the last calls, waiting counts."""
    zone = session.get(Zone, zone_id)
    if zone is None:
        raise NotFound("zone_not_found", "Zona tidak ditemukan.", "Zone not found.")
    day = service_day(ctx.now(), ctx.zone)
    counters = session.scalars(
        select(Counter)
        .where(Counter.zone_id == zone.id)
        .options(selectinload(Counter.links))
        .order_by(Counter.position, Counter.id)
    ).all()
    current = _current_by_counter(session, [counter.id for counter in counters])
    service_ids = sorted({service_id for counter in counters for service_id in counter.service_ids})
    waiting = queue.waiting_counts(session, day)
    services = session.scalars(
        select(Service)
        .join(Agency)
        .where(Service.id.in_(service_ids))
        .order_by(Agency.position, Service.position, Service.id)
    )
    shown = settings(session, SNAPSHOT_SETTINGS)
    return {
        "v": 1,
        "hall": shown["hall_name"],
        "running_text": shown["hall_running_text"],
        "logo_url": "/hall/logo" if shown["hall_logo"] else None,
        "zone": {"id": zone.id, "code": zone.code, "name": zone.name},
        "counters": [counter_state(counter, current.get(counter.id), ctx) for counter in counters],
        "last_calls": last_calls(
            session, ctx, [counter.id for counter in counters], voice.numbers_as_digits(shown)
        ),
        "waiting": [
            {
                "service_id": service.id,
                "prefix": service.prefix,
                "name": service.name,
                "name_en": service.name_en or service.name,
                "waiting": waiting.get(service.id, 0),
            }
            for service in services
        ],
    }


def _current_by_counter(session: Session, counter_ids: list[int]) -> dict[int, Ticket]:
    tickets = session.scalars(
        select(Ticket).where(
            Ticket.counter_id.in_(counter_ids), Ticket.status.in_(ACTIVE_AT_COUNTER)
        )
    )
    return {ticket.counter_id: ticket for ticket in tickets if ticket.counter_id is not None}


def last_calls(
    session: Session,
    ctx: Context,
    counter_ids: list[int],
    digits: bool,
    limit: int = LAST_CALLS,
) -> list[dict[str, Any]]:
    """The latest calls and recalls made at these counters today, newest first (`digits`: the
    hall reads numbers digit by digit)."""
    start, _end = day_bounds(service_day(ctx.now(), ctx.zone), ctx.zone)
    rows = session.execute(
        select(
            TicketEvent.id,
            TicketEvent.kind,
            TicketEvent.at,
            Ticket.number,
            Ticket.status,
            Counter.id,
            Counter.name,
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Counter, Counter.id == TicketEvent.counter_id)
        .where(
            TicketEvent.counter_id.in_(counter_ids),
            TicketEvent.kind.in_([EventKind.CALLED, EventKind.RECALLED]),
            TicketEvent.at >= start,
        )
        .order_by(TicketEvent.id.desc())
        .limit(limit)
    )
    return [
        {
            "call_id": event_id,
            "recall": kind == EventKind.RECALLED,
            "at": iso(at, ctx),
            "number": number,
            "status": status,
            "counter_id": counter_id,
            "counter": counter_name,
            "spoken": voice.spoken_call(number, counter_name, digits),
        }
        for event_id, kind, at, number, status, counter_id, counter_name in rows
    ]


def public_ticket(session: Session, ctx: Context, token: str) -> dict[str, Any]:
    """A ticket as its visitor's phone shows it: with place in line and estimate while waiting."""
    ticket = session.scalars(select(Ticket).where(Ticket.token == token)).first()
    if ticket is None:
        raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
    return queue.ticket_with_place(session, ctx, ticket)


def announce_hall_changed(session: Session, publisher: Publisher) -> None:
    """Tell every screen that the hall's set-up changed, so that each reloads its snapshot.

    Call it after the change is committed; a publisher's error reaches the caller."""
    publisher.publish("hall_changed", {"v": SCHEMA_VERSION}, rooms.everyone(session))
