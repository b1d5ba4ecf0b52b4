"""Which Socket.IO rooms hear about a service, a counter or a ticket."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.models import Counter, CounterService, Device, Service, Ticket, Zone

STAFF = "staff"
SERVING_COUNTERS = (
    select(Counter.id, Counter.zone_id, Counter.status)
    .join(CounterService, CounterService.counter_id == Counter.id)
    .where(CounterService.service_id == bindparam("service_id"))
)


class ServingCounter(NamedTuple):
    """A counter that serves a service, as its screens and the wait estimate need it."""

    id: int
    zone_id: int
    status: str


def zone_room(zone_id: int) -> str:
    """Displays of one zone."""
    return f"zone:{zone_id}"


def is_zone_room(room: str) -> bool:
    """Whether a room is a zone's (its displays')."""
    return room.startswith("zone:")


def counter_room(counter_id: int) -> str:
    """The terminal of one counter."""
    return f"counter:{counter_id}"


def ticket_room(token: str) -> str:
    """The status page of one ticket."""
    return f"ticket:{token}"


def service_room(service_id: int) -> str:
    """Status pages of tickets waiting for one service."""
    return f"service:{service_id}"


def for_service(session: Session, service_id: int) -> list[str]:
    """Every screen that shows the service's queue."""
    return service_rooms(service_id, serving_counters(session, service_id))


def serving_counters(session: Session, service_id: int) -> list[ServingCounter]:
    """The counters that serve a service: where they stand and whether they are open."""
    rows = session.connection().execute(SERVING_COUNTERS, {"service_id": service_id})
    return [ServingCounter(*row) for row in rows]


def service_rooms(service_id: int, counters: list[ServingCounter]) -> list[str]:
    """The rooms of a service's screens, given the counters that serve it."""
    zones = sorted({zone_room(counter.zone_id) for counter in counters})
    return [
        *zones,
        *(counter_room(counter.id) for counter in counters),
        service_room(service_id),
        STAFF,
    ]


def for_counter(counter: Counter) -> list[str]:
    """Screens that show a counter's state."""
    return [zone_room(counter.zone_id), counter_room(counter.id), STAFF]


def for_counter_after_call(counter: Counter) -> list[str]:
    """Screens that show a counter's state but the zone's displays, which take the counter's
    ticket from the call itself (`ticket_called`, `ticket_recalled`)."""
    return [counter_room(counter.id), STAFF]


def for_ticket_call(ticket: Ticket, counter: Counter) -> list[str]:
    """Screens that announce or follow a call."""
    return [zone_room(counter.zone_id), counter_room(counter.id), ticket_room(ticket.token), STAFF]


def kiosk_room(device_id: int) -> str:
    """A kiosk: its print agent on `/agent`, its screen on `/live`."""
    return f"kiosk:{device_id}"


def everyone(session: Session) -> list[str]:
    """Every room a screen may be in, but the per-ticket ones (status pages also follow their
    service): for news that concerns the whole hall."""
    zones = session.scalars(select(Zone.id).order_by(Zone.id))
    counters = session.scalars(select(Counter.id).order_by(Counter.id))
    services = session.scalars(select(Service.id).order_by(Service.id))
    kiosks = session.scalars(select(Device.id).where(Device.kind == "kiosk").order_by(Device.id))
    return [
        *map(zone_room, zones),
        *map(counter_room, counters),
        *map(service_room, services),
        *map(kiosk_room, kiosks),
        STAFF,
    ]
