"""Reports over a range of service days: performance per group and period, and the IKM workbook.

Tickets are read in chunks (keyset-paged by id), each chunk with its events: two queries per
thousand tickets, folded into `server.domain.reports` one ticket at a time, so memory holds the
counts and times, never the year's records. An agency's report holds its own services' visits,
visitors another agency sent on to it included. The workbooks are written from these answers
(`server.services.report_workbooks`), so a file and the API always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.domain.calendar import WEEKDAYS
from server.domain.errors import NotFound
from server.domain.ikm import ELEMENTS
from server.domain.reports import (
    HOURS,
    Figures,
    Grouping,
    PerformanceReport,
    Row,
    period_end,
    period_label,
    period_start,
    periods,
)
from server.domain.stats import TicketRecord
from server.models import Agency, Counter, Service, SurveyResponse, Ticket, TicketEvent, User
from server.services.context import Context
from server.services.events import fold_records, step_query
from server.services.presenters import iso
from server.services.settings import setting
from server.services.survey import ikm_figures, ikm_report

SCHEMA_VERSION = 1
CHUNK = 1000
IKM_GROUPS = ("agency", "service", "officer")
NOBODY = {
    "all": ("Semua layanan", "All services"),
    "counter": ("(tanpa loket)", "(no counter)"),
    "officer": ("(tanpa petugas)", "(no officer)"),
}

Names = dict[int | None, dict[str, Any]]


@dataclass(frozen=True)
class ReportFilter:
    """Service days `start` to `end`, grouped by `group` per `period`; maybe one agency only."""

    start: date
    end: date
    group: str = "service"
    period: str = "day"
    agency_id: int | None = None


def performance_report(session: Session, ctx: Context, scope: ReportFilter) -> dict[str, Any]:
    """Arrivals, outcomes, waits and compliance per group and period, and arrivals by hour."""
    agency = _agency(session, scope.agency_id)
    report = PerformanceReport(
        _grouping(session, scope), scope.period, scope.start, scope.end, ctx.zone
    )
    for day, record in ticket_days(session, scope):
        report.add(day, record)
    names = _group_names(session, scope.group)
    return {
        "v": SCHEMA_VERSION,
        **_heading(session, ctx, scope, agency),
        "group": scope.group,
        "periods": [
            _period_json(start, scope) for start in periods(scope.start, scope.end, scope.period)
        ],
        "total": _figures_json(report.total()),
        "groups": _groups_json(report, names, scope),
        "trend": [_row_json(row, scope) for row in report.trend()],
        "heatmap": {
            "weekdays": list(WEEKDAYS),
            "hours": list(range(HOURS)),
            "arrivals": report.heatmap(),
        },
    }


def ikm_workbook_data(session: Session, ctx: Context, scope: ReportFilter) -> dict[str, Any]:
    """The IKM of the range: overall, per agency, service and officer, and per period."""
    agency = _agency(session, scope.agency_id)
    overall = ikm_report(session, scope.start, scope.end, "all", scope.agency_id)
    return {
        **_heading(session, ctx, scope, agency),
        "overall": overall[0] if overall else None,
        "groups": {
            group: ikm_report(session, scope.start, scope.end, group, scope.agency_id)
            for group in IKM_GROUPS
        },
        "by_period": _ikm_by_period(session, scope),
    }


def ticket_days(session: Session, scope: ReportFilter) -> Iterator[tuple[date, TicketRecord]]:
    """Each ticket of the range (of the agency's services), with its service day and record."""
    last_id = 0
    while True:
        chunk = session.execute(
            _tickets(scope).where(Ticket.id > last_id).order_by(Ticket.id).limit(CHUNK)
        ).all()
        if not chunk:
            return
        days = {ticket_id: day for ticket_id, day in chunk}
        rows = session.execute(step_query().where(TicketEvent.ticket_id.in_(list(days))))
        for ticket_id, record in fold_records(rows):
            yield days[ticket_id], record
        last_id = chunk[-1].id


def _tickets(scope: ReportFilter) -> Select[int, date]:
    query = select(Ticket.id, Ticket.service_day).where(
        Ticket.service_day >= scope.start, Ticket.service_day <= scope.end
    )
    if scope.agency_id is None:
        return query
    visited = (
        select(TicketEvent.ticket_id)
        .join(Service, Service.id == TicketEvent.service_id)
        .where(TicketEvent.ticket_id == Ticket.id, Service.agency_id == scope.agency_id)
    )
    return query.where(visited.exists())


def _grouping(session: Session, scope: ReportFilter) -> Grouping:
    services = session.execute(select(Service.id, Service.agency_id, Service.target_s)).all()
    in_scope = None
    if scope.agency_id is not None:
        in_scope = frozenset(sid for sid, agency, _t in services if agency == scope.agency_id)
    return Grouping(
        scope.group,
        agencies={sid: agency for sid, agency, _t in services},
        targets={sid: float(target) for sid, _a, target in services},
        services=in_scope,
    )


def _agency(session: Session, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("agency_not_found", "Instansi tidak ditemukan.", "Agency not found.")
    return agency


def _heading(
    session: Session, ctx: Context, scope: ReportFilter, agency: Agency | None
) -> dict[str, Any]:
    """What a report is of: its range, period, unit (the hall or one agency) and time zone."""
    return {
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "period": scope.period,
        "hall": setting(session, "hall_name", "Antre"),
        "agency": None
        if agency is None
        else {
            "id": agency.id,
            "code": agency.code,
            "name": agency.name,
            "name_en": agency.name_en or agency.name,
        },
        "timezone": str(ctx.zone),
        "generated_at": iso(ctx.now(), ctx),
    }


def _group_names(session: Session, group: str) -> Names:
    """Each group's code and names, in the order the hall lists them; "nobody" last."""
    names: Names = {}
    if group in GROUP_QUERIES:
        for row in session.execute(GROUP_QUERIES[group]()):
            fields = row._asdict()
            names[fields.pop("id")] = {
                "code": None,
                **fields,
                "name_en": fields.get("name_en") or fields["name"],
            }
    if group in NOBODY:
        name, name_en = NOBODY[group]
        names[None] = {"code": None, "name": name, "name_en": name_en}
    return names


GROUP_QUERIES: dict[str, Callable[[], Select[*tuple[Any, ...]]]] = {
    "agency": lambda: select(Agency.id, Agency.code, Agency.name, Agency.name_en).order_by(
        Agency.position, Agency.id
    ),
    "service": lambda: (
        select(Service.id, Service.code, Service.prefix, Service.name, Service.name_en)
        .join(Agency, Agency.id == Service.agency_id)
        .order_by(Agency.position, Agency.id, Service.position, Service.id)
    ),
    "counter": lambda: select(Counter.id, Counter.code, Counter.name).order_by(
        Counter.position, Counter.id
    ),
    "officer": lambda: select(User.id, User.name).order_by(User.name, User.id),
}


def _groups_json(
    report: PerformanceReport, names: Names, scope: ReportFilter
) -> list[dict[str, Any]]:
    order = {key: index for index, key in enumerate(names)}
    by_group: dict[int | None, list[Row]] = {}
    for row in report.rows():
        by_group.setdefault(row.group, []).append(row)
    totals = sorted(report.totals(), key=lambda row: order.get(row.group, len(order)))
    return [
        {
            "id": total.group,
            **names.get(total.group, _unknown(total.group)),
            "total": _figures_json(total.figures),
            "periods": [_row_json(row, scope) for row in by_group.get(total.group, [])],
        }
        for total in totals
    ]


def _unknown(group: int | None) -> dict[str, Any]:
    return {"code": None, "name": f"#{group}", "name_en": f"#{group}"}


def _row_json(row: Row, scope: ReportFilter) -> dict[str, Any]:
    assert row.period is not None
    return {**_period_json(row.period, scope), **_figures_json(row.figures)}


def _period_json(start: date, scope: ReportFilter) -> dict[str, Any]:
    """A period's label, and its first and last days within the range."""
    return {
        "label": period_label(start, scope.period),
        "start": max(start, scope.start).isoformat(),
        "end": min(period_end(start, scope.period), scope.end).isoformat(),
    }


def _figures_json(figures: Figures) -> dict[str, Any]:
    """Figures as the API gives them: whole seconds, shares to four decimals."""
    shown: dict[str, Any] = {}
    for key, value in asdict(figures).items():
        if value is not None and key.endswith("_s"):
            value = round(value)
        elif value is not None and key in ("within_target", "no_show_rate"):
            value = round(value, 4)
        shown[key] = value
    return shown


def _ikm_by_period(session: Session, scope: ReportFilter) -> list[dict[str, Any]]:
    """The IKM of every period of the range (one query), periods without answers included."""
    ratings = [getattr(SurveyResponse, code) for code, _name, _en in ELEMENTS]
    query = select(SurveyResponse.service_day, *ratings).where(
        SurveyResponse.service_day >= scope.start, SurveyResponse.service_day <= scope.end
    )
    if scope.agency_id is not None:
        query = query.join(Service, Service.id == SurveyResponse.service_id).where(
            Service.agency_id == scope.agency_id
        )
    answers: dict[date, list[list[int]]] = {}
    for day, *rated in session.execute(query):
        answers.setdefault(period_start(day, scope.period), []).append(rated)
    return [
        {**_period_json(start, scope), **ikm_figures(answers.get(start, []))}
        for start in periods(scope.start, scope.end, scope.period)
    ]
