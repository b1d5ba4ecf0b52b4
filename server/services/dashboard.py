"""The manager's live dashboard: today's figures per service, counter and kiosk, in one answer.

Everything comes from a handful of queries for the whole day (the day's events, the waiting
tickets, the counters, their current tickets, the kiosks), folded in `server.domain`. An agency's
manager sees only that agency's services and the counters that serve them; kiosks are the hall's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.domain import dashboard as figures
from server.domain.calendar import day_bounds, service_day
from server.domain.errors import NotFound
from server.domain.stats import TicketRecord, Visit, summarize
from server.domain.tickets import ACTIVE_AT_COUNTER, TicketStatus
from server.models import (
    Agency,
    Counter,
    CounterService,
    Device,
    Service,
    Ticket,
    TicketEvent,
    User,
    Zone,
)
from server.services.context import Context
from server.services.events import fold_records, step_query
from server.services.presenters import iso
from server.services.printing import printer_json

SCHEMA_VERSION = 1
ALERT_FIELDS = (
    "code",
    "prefix",
    "name",
    "name_en",
    "agency",
    "agency_en",
    "waiting",
    "waiting_since",
    "longest_wait_s",
    "target_s",
)


def dashboard(session: Session, ctx: Context, agency_id: int | None = None) -> dict[str, Any]:
    """Today's figures (the hall's service day), for the whole hall or one agency."""
    agency = _agency(session, agency_id)
    today = _today(session, ctx, agency_id)
    counters = _counters(session, ctx, agency_id, figures.served_at_counters(today.visits))
    services = [
        _service_json(service, owner, today.services[service.id], ctx)
        for service, owner in today.shown
    ]
    return {
        "v": SCHEMA_VERSION,
        "now": iso(today.now, ctx),
        "day": today.day.isoformat(),
        "agency": None if agency is None else _agency_json(agency),
        "totals": _totals(today, counters, ctx),
        "services": services,
        "alerts": _alerts(services),
        "counters": counters,
        "kiosks": [printer_json(device, ctx) for device in _kiosks(session)],
    }


@dataclass(frozen=True)
class _Today:
    """The day so far: the services shown (in order), their figures, and their visits."""

    now: datetime
    day: date
    shown: list[tuple[Service, Agency]]
    services: dict[int, figures.ServiceToday]
    visits: list[Visit]


def _today(session: Session, ctx: Context, agency_id: int | None) -> _Today:
    now = ctx.now()
    day = service_day(now, ctx.zone)
    services = _services(session, agency_id)
    records = _records_of_day(session, ctx, day)
    visits = figures.visits_by_service(records.values())
    waiting = _waiting(session, day, [service.id for service, _agency in services])
    shown = [
        (service, agency)
        for service, agency in services
        if service.enabled or service.id in visits or service.id in waiting
    ]
    per_service = {
        service.id: _service_today(
            service, visits.get(service.id, []), waiting.get(service.id, []), records, now
        )
        for service, _agency in shown
    }
    in_scope = [visit for service, _agency in shown for visit in visits.get(service.id, [])]
    return _Today(now, day, shown, per_service, in_scope)


def _service_today(
    service: Service,
    visits: list[Visit],
    waiting_ids: list[int],
    records: dict[int, TicketRecord],
    now: datetime,
) -> figures.ServiceToday:
    since = [figures.waiting_since(records[ticket]) for ticket in waiting_ids if ticket in records]
    uncalled = [instant for instant in since if instant is not None]
    return figures.service_today(visits, len(waiting_ids), uncalled, service.target_s, now)


def _agency(session: Session, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("agency_not_found", "Instansi tidak ditemukan.", "Agency not found.")
    return agency


def _services(session: Session, agency_id: int | None) -> list[tuple[Service, Agency]]:
    query = (
        select(Service, Agency)
        .join(Agency, Agency.id == Service.agency_id)
        .order_by(Agency.position, Agency.id, Service.position, Service.id)
    )
    if agency_id is not None:
        query = query.where(Service.agency_id == agency_id)
    return [(service, agency) for service, agency in session.execute(query)]


def _records_of_day(session: Session, ctx: Context, day: date) -> dict[int, TicketRecord]:
    """Each ticket issued on the day, folded from its events of that day (one query)."""
    start, end = day_bounds(day, ctx.zone)
    rows = session.execute(step_query().where(TicketEvent.at >= start, TicketEvent.at < end))
    return dict(fold_records(rows))  # a ticket of an earlier day is not today's


def _waiting(session: Session, day: date, service_ids: list[int]) -> dict[int, list[int]]:
    """The ids of the tickets waiting now, per service."""
    rows = session.execute(
        select(Ticket.service_id, Ticket.id).where(
            Ticket.service_id.in_(service_ids),
            Ticket.service_day == day,
            Ticket.status == TicketStatus.WAITING,
        )
    )
    waiting: dict[int, list[int]] = {}
    for service_id, ticket_id in rows:
        waiting.setdefault(service_id, []).append(ticket_id)
    return waiting


def _counters(
    session: Session, ctx: Context, agency_id: int | None, served: dict[int, int]
) -> list[dict[str, Any]]:
    query = (
        select(Counter, Zone.name, User.name)
        .join(Zone, Zone.id == Counter.zone_id)
        .outerjoin(User, User.id == Counter.officer_id)
        .order_by(Counter.position, Counter.id)
    )
    if agency_id is not None:
        serving_agency = (
            select(CounterService.counter_id)
            .join(Service, Service.id == CounterService.service_id)
            .where(Service.agency_id == agency_id)
        )
        query = query.where(Counter.id.in_(serving_agency))
    rows = session.execute(query).all()
    current = _current_tickets(session, [counter.id for counter, _zone, _officer in rows])
    return [
        _counter_json(counter, zone, officer, current.get(counter.id), served, ctx)
        for counter, zone, officer in rows
    ]


def _current_tickets(session: Session, counter_ids: list[int]) -> dict[int, Ticket]:
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.counter_id.in_(counter_ids), Ticket.status.in_(ACTIVE_AT_COUNTER))
        .order_by(Ticket.called_at)
    )
    return {ticket.counter_id: ticket for ticket in tickets if ticket.counter_id is not None}


def _kiosks(session: Session) -> list[Device]:
    return list(session.scalars(select(Device).where(Device.kind == "kiosk").order_by(Device.code)))


def _service_json(
    service: Service, agency: Agency, today: figures.ServiceToday, ctx: Context
) -> dict[str, Any]:
    summary = today.summary
    return {
        "id": service.id,
        "code": service.code,
        "prefix": service.prefix,
        "name": service.name,
        "name_en": service.name_en or service.name,
        "agency_id": agency.id,
        "agency": agency.name,
        "agency_en": agency.name_en or agency.name,
        "target_s": service.target_s,
        "waiting": today.waiting,
        "waiting_since": iso(today.waiting_since, ctx),
        "longest_wait_s": _seconds(today.longest_wait_s),
        "visits": summary.visits,
        "served": summary.served,
        "no_shows": summary.no_shows,
        "wait_mean_s": _seconds(summary.wait_mean_s),
        "wait_median_s": _seconds(summary.wait_median_s),
        "wait_p90_s": _seconds(summary.wait_p90_s),
        "service_mean_s": _seconds(summary.service_mean_s),
        "service_median_s": _seconds(summary.service_median_s),
        "service_p90_s": _seconds(summary.service_p90_s),
        "within_target": _share(summary.within_target),
        "no_show_rate": _share(summary.no_show_rate),
        "alert": today.over_target,
    }


def _counter_json(
    counter: Counter,
    zone: str,
    officer: str | None,
    current: Ticket | None,
    served: dict[int, int],
    ctx: Context,
) -> dict[str, Any]:
    return {
        "id": counter.id,
        "code": counter.code,
        "name": counter.name,
        "zone": counter.zone_id,
        "zone_name": zone,
        "status": counter.status,
        "activity": figures.counter_activity(counter.status, current is not None),
        "break_reason": counter.break_reason if counter.status == "break" else None,
        "officer": officer,
        "served_today": served.get(counter.id, 0),
        "current": None
        if current is None
        else {
            "id": current.id,
            "number": current.number,
            "status": current.status,
            "service_id": current.service_id,
            "called_at": iso(current.called_at, ctx),
        },
    }


def _totals(today: _Today, counters: list[dict[str, Any]], ctx: Context) -> dict[str, Any]:
    visits, per_service = today.visits, today.services
    summary = summarize(visits)
    oldest = min(
        (t.waiting_since for t in per_service.values() if t.waiting_since is not None),
        default=None,
    )
    targets = {service.id: float(service.target_s) for service, _agency in today.shown}
    return {
        "waiting": sum(t.waiting for t in per_service.values()),
        "waiting_since": iso(oldest, ctx),
        "longest_wait_s": _seconds(figures.waited_s(oldest, today.now)),
        "visits": summary.visits,
        "served": summary.served,
        "no_shows": summary.no_shows,
        "wait_mean_s": _seconds(summary.wait_mean_s),
        "wait_median_s": _seconds(summary.wait_median_s),
        "wait_p90_s": _seconds(summary.wait_p90_s),
        "service_mean_s": _seconds(summary.service_mean_s),
        "within_target": _share(figures.within_targets(visits, targets)),
        "no_show_rate": _share(summary.no_show_rate),
        "alerts": sum(t.over_target for t in per_service.values()),
        "counters": figures.activity_counts(counter["activity"] for counter in counters),
    }


def _alerts(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Services whose longest current wait passed their target, the worst first."""
    late = [service for service in services if service["alert"]]
    late.sort(key=lambda service: service["target_s"] - service["longest_wait_s"])
    return [
        {"service_id": service["id"], **{key: service[key] for key in ALERT_FIELDS}}
        for service in late
    ]


def _agency_json(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.id,
        "code": agency.code,
        "name": agency.name,
        "name_en": agency.name_en or agency.name,
    }


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
