"""Issuing a ticket: the next daily number of a service, taken atomically, then printed."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.calendar import availability, parse_hours, service_day
from server.domain.errors import InvalidInput, NotFound, ServiceClosed
from server.domain.tickets import PRIORITY_CLASSES, EventKind, TicketStatus, format_number
from server.models import DailySequence, Service, Ticket
from server.services import printing, queue, rooms
from server.services.context import Context
from server.services.events import record_event
from server.services.presenters import ticket_json
from server.services.publisher import Outbox

LANGUAGES = ("id", "en")


def issue_ticket(
    session: Session,
    ctx: Context,
    service_id: int,
    priority: bool = False,
    lang: str = "id",
    kiosk: str | None = None,
    priority_class: str | None = None,
) -> dict[str, Any]:
    """Issue the next number of a service, if it is open; print it when issued at a kiosk."""
    _check_choices(lang, priority_class)
    now, outbox = ctx.now(), Outbox()
    day = service_day(now, ctx.zone)
    with write_transaction(session):
        device = None if kiosk is None else printing.kiosk_by_code(session, kiosk)
        service = _service(session, service_id)
        _require_open(service, _issued_today(session, service.id, day), ctx, now)
        sequence = _take_sequence(session, service.id, day)
        if service.daily_quota is not None and sequence > service.daily_quota:
            _require_open(service, sequence - 1, ctx, now)
        ticket = Ticket(
            token=secrets.token_urlsafe(24),
            service=service,
            issued_service_id=service.id,
            service_day=day,
            sequence=sequence,
            number=format_number(service.prefix, sequence),
            status=TicketStatus.WAITING,
            priority=priority or priority_class is not None,
            priority_class=priority_class,
            lang=lang,
            issued_at=now,
            arrived_at=now,
        )
        session.add(ticket)
        session.flush()
        record_event(session, ticket, EventKind.ISSUED, now)
        ahead = queue.ahead_of(session, ticket)
        estimate = queue.estimate_for(session, service, ahead, day, ctx)
        view = ticket_json(ticket, ctx, ahead, estimate)
        if device is not None:
            view["print"] = printing.queue_print(session, ctx, outbox, ticket, device, view)
        outbox.add("ticket_issued", {"ticket": view}, [rooms.STAFF])
        queue.announce_queue(session, outbox, service.id, day)
    outbox.send(ctx.publisher)
    return view


def _check_choices(lang: str, priority_class: str | None) -> None:
    if lang not in LANGUAGES:
        raise InvalidInput(
            "invalid_lang", "Bahasa harus 'id' atau 'en'.", "lang must be 'id' or 'en'."
        )
    if priority_class is not None and priority_class not in PRIORITY_CLASSES:
        known = ", ".join(PRIORITY_CLASSES)
        raise InvalidInput(
            "invalid_priority_class",
            f"Kelas prioritas harus salah satu dari: {known}.",
            f"priority_class must be one of: {known}.",
        )


def _service(session: Session, service_id: int) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound("service_not_found", "Layanan tidak ditemukan.", "Service not found.")
    return service


def _issued_today(session: Session, service_id: int, day: date) -> int:
    sequence = session.get(DailySequence, (service_id, day))
    return sequence.last_number if sequence else 0


def _require_open(service: Service, issued_today: int, ctx: Context, now: datetime) -> None:
    hours = parse_hours(service.hours)
    state = availability(hours, service.daily_quota, issued_today, ctx.local(now), service.enabled)
    if not state.open:
        raise ServiceClosed(
            f"service_{state.reason}",
            f"{service.name}: {state.message_id}.",
            f"{service.name_en or service.name}: {state.message_en}.",
        )


def _take_sequence(session: Session, service_id: int, day: date) -> int:
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
