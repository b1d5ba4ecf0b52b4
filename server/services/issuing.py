"""Issuing a ticket: the next daily number of a service, taken atomically, then printed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.calendar import availability, parse_hours, service_day
from server.domain.errors import InvalidInput, NotFound, ServiceClosed
from server.domain.tickets import PRIORITY_CLASSES, EventKind, TicketStatus, format_number
from server.models import Agency, DailySequence, Service, Ticket
from server.services import devices, printing, queue, rooms
from server.services.context import Context
from server.services.events import record_event
from server.services.presenters import Names, ticket_json
from server.services.publisher import Outbox

LANGUAGES = ("id", "en")
NEW_TICKET: dict[str, Any] = {  # what a new ticket has, as the presenter reads it
    "status": TicketStatus.WAITING,
    "target_counter_id": None,
    "note": None,
    "counter_id": None,
    "recall_count": 0,
    "called_at": None,
    "served_at": None,
    "finished_at": None,
}
INSERT_TICKET = insert(Ticket).returning(Ticket.id)
SERVICE_TO_ISSUE = (
    select(
        Service.id,
        Service.prefix,
        Service.name,
        Service.name_en,
        Service.hours,
        Service.daily_quota,
        Service.enabled,
        Service.default_service_s,
        Agency.name,
        Agency.name_en,
    )
    .join(Service.agency)
    .where(Service.id == bindparam("service_id"))
)
UPSERTS = {
    name: dialect_insert(DailySequence)
    .values(service_id=bindparam("service_id"), service_day=bindparam("service_day"), last_number=1)
    .on_conflict_do_update(
        index_elements=["service_id", "service_day"],
        set_={"last_number": DailySequence.last_number + 1},
    )
    .returning(DailySequence.last_number)
    for name, dialect_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


@dataclass(frozen=True)
class ServiceToIssue:
    """What issuing reads of a service and its agency: one row of columns, not mapped objects
    (issuing is the hall's busiest write)."""

    id: int
    prefix: str
    name: str
    name_en: str | None
    hours: dict[str, list[str]]
    daily_quota: int | None
    enabled: bool
    default_service_s: int | None
    agency: Names


def issue_ticket(
    session: Session,
    ctx: Context,
    service_id: int,
    priority: bool = False,
    lang: str = "id",
    kiosk: str | None = None,
    priority_class: str | None = None,
    kiosk_token: str | None = None,
) -> dict[str, Any]:
    """Issue the next number of a service, if it is open; print it when issued at a kiosk
    (`kiosk`). A kiosk asking shows its token (`kiosk_token`), checked again in the transaction:
    `NotPaired` once it is revoked."""
    _check_choices(lang, priority_class)
    now, outbox = ctx.now(), Outbox()
    day = service_day(now, ctx.zone)
    with write_transaction(session):
        device = _printing_kiosk(session, kiosk, kiosk_token)
        service = _service(session, service_id)
        sequence = _take_sequence(session, service.id, day)
        _require_open(service, sequence - 1, ctx, now)  # refused: the rollback returns the number
        ticket = _insert_ticket(
            session,
            service,
            sequence,
            {
                "service_day": day,
                "priority": priority or priority_class is not None,
                "priority_class": priority_class,
                "lang": lang,
                "issued_at": now,
                "arrived_at": now,
            },
        )
        waiting = queue.waiting_count(session, service.id, day)  # this ticket is the last
        counters = rooms.serving_counters(session, service.id)
        serving = queue.open_or_all(counters)
        estimate = queue.estimate_for(session, service, waiting - 1, day, ctx, serving)
        view = ticket_json(ticket, ctx, waiting - 1, estimate, service)
        if device is not None:
            view["print"] = printing.queue_print(
                session, ctx, outbox, ticket, device, view, service.agency, True
            )
        outbox.add("ticket_issued", {"ticket": view}, [rooms.STAFF])
        screens = rooms.service_rooms(service.id, counters)
        queue.announce_waiting(ctx, outbox, service.id, waiting, screens)
    outbox.send(ctx.publisher)
    return view


def _insert_ticket(
    session: Session, service: ServiceToIssue, sequence: int, chosen: dict[str, Any]
) -> Ticket:
    """Write the ticket and its `issued` event with two prepared inserts; the ticket returned is
    the row as written, to present, outside the session (its service is `service`)."""
    values = {
        **NEW_TICKET,
        **chosen,
        "token": secrets.token_urlsafe(24),
        "service_id": service.id,
        "issued_service_id": service.id,
        "sequence": sequence,
        "number": format_number(service.prefix, sequence),
    }
    ticket_id = session.connection().execute(INSERT_TICKET, values).scalar_one()
    ticket = Ticket(id=ticket_id, **values)
    record_event(session, ticket, EventKind.ISSUED, values["issued_at"])
    return ticket


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


def _printing_kiosk(
    session: Session, code: str | None, token: str | None
) -> printing.KioskToPrint | None:
    """The kiosk that prints the ticket, if any, after checking the token of the kiosk asking."""
    if token is None:
        return None if code is None else printing.kiosk_by_code(session, code)
    asking = devices.kiosk_for_token(session, token)
    if code not in (None, asking.code):
        raise printing.unknown_kiosk(code)
    return None if code is None else asking


def _service(session: Session, service_id: int) -> ServiceToIssue:
    row = session.connection().execute(SERVICE_TO_ISSUE, {"service_id": service_id}).first()
    if row is None:
        raise NotFound("service_not_found", "Layanan tidak ditemukan.", "Service not found.")
    *columns, agency, agency_en = row
    return ServiceToIssue(*columns, agency=Names(agency, agency_en))


def _require_open(service: ServiceToIssue, issued_today: int, ctx: Context, now: datetime) -> None:
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
    connection = session.connection()
    upsert = UPSERTS[connection.dialect.name]
    return connection.execute(upsert, {"service_id": service_id, "service_day": day}).scalar_one()
