"""The JSON shapes of the public contract, built from models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from server.models import Counter, Service, Ticket
from server.services.context import Context


class Named(Protocol):
    """What has a name in Bahasa Indonesia and perhaps one in English: a service, an agency."""

    name: str
    name_en: str | None


@dataclass(frozen=True)
class Names:
    """A name and its English, read as columns."""

    name: str
    name_en: str | None


def iso(instant: datetime | None, ctx: Context) -> str | None:
    """ISO 8601 in the hall's time zone, with its offset."""
    return None if instant is None else ctx.local(instant).isoformat(timespec="seconds")


def stamp(instant: datetime, ctx: Context) -> str:
    """When a fact happened or a state was read, for screens to order events by: ISO 8601 with
    the hall's offset, to the millisecond. Two server processes can send news of one counter in
    the other order than it happened (one holds a state for an interval, the other sends a call
    at once); a screen keeps the newest."""
    return ctx.local(instant).isoformat(timespec="milliseconds")


def ticket_json(
    ticket: Ticket,
    ctx: Context,
    ahead: int | None = None,
    estimate_s: int | None = None,
    service: Named | None = None,
) -> dict[str, Any]:
    """A ticket as the API and events show it (`service`: its service, when the caller has
    read it already)."""
    counter, service = ticket.counter, service or ticket.service
    return {
        "id": ticket.id,
        "token": ticket.token,
        "number": ticket.number,
        "service_id": ticket.service_id,
        "service": service.name,
        "service_en": service.name_en or service.name,
        "status": ticket.status,
        "priority": ticket.priority,
        "priority_class": ticket.priority_class,
        "note": ticket.note,
        "target_counter_id": ticket.target_counter_id,
        "position": None if ahead is None else ahead + 1,
        "ahead": ahead,
        "estimated_wait_s": estimate_s,
        "counter_id": ticket.counter_id,
        "counter": counter.name if counter else None,
        "recall_count": ticket.recall_count,
        "lang": ticket.lang,
        "issued_at": iso(ticket.issued_at, ctx),
        "called_at": iso(ticket.called_at, ctx),
        "served_at": iso(ticket.served_at, ctx),
        "finished_at": iso(ticket.finished_at, ctx),
        "status_url": ctx.status_url(ticket.token),
    }


def service_json(service: Service, waiting: int, availability: Any) -> dict[str, Any]:
    """A service as the kiosk and counters list it."""
    return {
        "id": service.id,
        "code": service.code,
        "prefix": service.prefix,
        "name": service.name,
        "name_en": service.name_en or service.name,
        "target_s": service.target_s,
        "open": availability.open,
        "closed_reason": availability.reason,
        "closed_message": availability.message_id,
        "closed_message_en": availability.message_en,
        "waiting": waiting,
    }


def counter_json(counter: Counter) -> dict[str, Any]:
    """A counter as the hall lists it."""
    return {
        "id": counter.id,
        "code": counter.code,
        "name": counter.name,
        "zone": counter.zone_id,
        "status": counter.status,
        "officer": counter.officer.name if counter.officer else None,
        "service_ids": counter.service_ids,
    }
