"""The wait-time log as files: one row per ticket, or the raw event log; CSV or XLSX.

Rows are produced in chunks of tickets (keyset-paged by id) with their events, so memory stays
bounded however long the range: a year of a busy hall streams like a day.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from server.domain.stats import Step, TicketRecord, ticket_record
from server.models import Agency, Counter, Service, Ticket, TicketEvent, User
from server.services.context import Context

CHUNK = 1000
TICKET_COLUMNS = (
    ("agency", "Instansi"),
    ("service", "Layanan"),
    ("number", "Nomor"),
    ("day", "Tanggal"),
    ("priority_class", "Kelas prioritas"),
    ("issued_at", "Diambil"),
    ("first_called_at", "Dipanggil pertama"),
    ("serving_at", "Mulai dilayani"),
    ("completed_at", "Selesai"),
    ("wait_min", "Tunggu (menit)"),
    ("service_min", "Layanan (menit)"),
    ("counter", "Loket"),
    ("officer", "Petugas"),
    ("outcome", "Hasil"),
    ("recalls", "Panggil ulang"),
    ("transfers", "Dialihkan"),
)
EVENT_COLUMNS = (
    ("event_id", "ID"),
    ("at", "Waktu"),
    ("number", "Nomor"),
    ("day", "Tanggal"),
    ("kind", "Kejadian"),
    ("status", "Status"),
    ("service", "Layanan"),
    ("counter", "Loket"),
    ("officer", "Petugas"),
    ("detail", "Keterangan"),
)
OUTCOME_WORDS = {
    "done": "selesai",
    "no_show": "tidak hadir",
    "transferred": "dialihkan",
    "cancelled": "dibatalkan",
    "open": "belum selesai",
}


@dataclass(frozen=True)
class ExportFilter:
    """Which tickets: service days `start` to `end`; maybe one agency, service, counter, officer."""

    start: date
    end: date
    agency_id: int | None = None
    service_id: int | None = None
    counter_id: int | None = None
    officer_id: int | None = None


def count_tickets(session: Session, scope: ExportFilter) -> int:
    """How many tickets a ticket export will have (before counter and officer filters)."""
    return session.scalar(_tickets(scope).with_only_columns(func.count())) or 0


def ticket_rows(
    session: Session,
    ctx: Context,
    scope: ExportFilter,
    progress: Callable[[int], None] = lambda _n: None,
) -> Iterator[dict[str, Any]]:
    """One row per ticket in the range, oldest first, as the export columns name them."""
    names = _names(session)
    for chunk in _ticket_chunks(session, scope):
        events = _events_of(session, [ticket.id for ticket in chunk])
        for ticket in chunk:
            record = ticket_record([_step(e) for e in events.get(ticket.id, [])])
            if _wanted(record, scope):
                yield _ticket_row(ticket, record, names, ctx)
        progress(len(chunk))


def event_rows(
    session: Session,
    ctx: Context,
    scope: ExportFilter,
    progress: Callable[[int], None] = lambda _n: None,
) -> Iterator[dict[str, Any]]:
    """Every event of the tickets in the range, in order."""
    names = _names(session)
    for chunk in _ticket_chunks(session, scope):
        by_id = {ticket.id: ticket for ticket in chunk}
        for ticket_id, events in _events_of(session, list(by_id)).items():
            ticket = by_id[ticket_id]
            for event in events:
                if scope.counter_id not in (None, event.counter_id) or scope.officer_id not in (
                    None,
                    event.officer_id,
                ):
                    continue
                yield {
                    "event_id": event.id,
                    "at": _local(event.at, ctx),
                    "number": ticket.number,
                    "day": ticket.service_day.isoformat(),
                    "kind": event.kind,
                    "status": event.status,
                    "service": names.services.get(event.service_id, ""),
                    "counter": names.counters.get(event.counter_id or 0, ""),
                    "officer": names.officers.get(event.officer_id or 0, ""),
                    "detail": event.detail or "",
                }
        progress(len(chunk))


def write_csv(
    rows: Iterator[dict[str, Any]], columns: tuple[tuple[str, str], ...]
) -> Iterator[str]:
    """CSV text, a line at a time, with a BOM so spreadsheet programs read the UTF-8 right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for _key, title in columns])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([row[key] for key, _title in columns])
        yield buffer.getvalue()


def write_xlsx(
    rows: Iterator[dict[str, Any]], columns: tuple[tuple[str, str], ...], path: Path, title: str
) -> int:
    """An XLSX file written row by row (openpyxl's write-only mode); returns the row count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([heading for _key, heading in columns])
    count = 0
    for row in rows:
        sheet.append([row[key] for key, _heading in columns])
        count += 1
    book.save(path)
    return count


@dataclass(frozen=True)
class _Names:
    agencies: dict[int, str]
    services: dict[int, str]
    service_agency: dict[int, int]
    counters: dict[int, str]
    officers: dict[int, str]


def _names(session: Session) -> _Names:
    services = session.execute(select(Service.id, Service.name, Service.agency_id)).all()
    return _Names(
        agencies=dict(session.execute(select(Agency.id, Agency.name)).all()),
        services={sid: name for sid, name, _a in services},
        service_agency={sid: agency for sid, _n, agency in services},
        counters=dict(session.execute(select(Counter.id, Counter.name)).all()),
        officers=dict(session.execute(select(User.id, User.name)).all()),
    )


def _tickets(scope: ExportFilter) -> Select[Any]:
    query = select(Ticket).where(Ticket.service_day >= scope.start, Ticket.service_day <= scope.end)
    if scope.service_id is not None:
        query = query.where(Ticket.issued_service_id == scope.service_id)
    if scope.agency_id is not None:
        query = query.where(
            Ticket.issued_service_id.in_(
                select(Service.id).where(Service.agency_id == scope.agency_id)
            )
        )
    return query


def _ticket_chunks(session: Session, scope: ExportFilter) -> Iterator[list[Ticket]]:
    last_id = 0
    while True:
        chunk = list(
            session.scalars(
                _tickets(scope).where(Ticket.id > last_id).order_by(Ticket.id).limit(CHUNK)
            )
        )
        if not chunk:
            return
        yield chunk
        last_id = chunk[-1].id
        session.expunge_all()  # keep the identity map from growing with the export


def _events_of(session: Session, ticket_ids: list[int]) -> dict[int, list[TicketEvent]]:
    events: dict[int, list[TicketEvent]] = {}
    for event in session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids)).order_by(TicketEvent.id)
    ):
        events.setdefault(event.ticket_id, []).append(event)
    return events


def _step(event: TicketEvent) -> Step:
    return Step(event.kind, event.at, event.service_id, event.counter_id, event.officer_id)


def _wanted(record: TicketRecord, scope: ExportFilter) -> bool:
    return scope.counter_id in (None, record.counter_id) and scope.officer_id in (
        None,
        record.officer_id,
    )


def _ticket_row(
    ticket: Ticket, record: TicketRecord, names: _Names, ctx: Context
) -> dict[str, Any]:
    service_id = ticket.issued_service_id
    return {
        "agency": names.agencies.get(names.service_agency.get(service_id, 0), ""),
        "service": names.services.get(service_id, ""),
        "number": ticket.number,
        "day": ticket.service_day.isoformat(),
        "priority_class": ticket.priority_class or ("prioritas" if ticket.priority else ""),
        "issued_at": _local(record.issued_at, ctx),
        "first_called_at": _local(record.first_called_at, ctx),
        "serving_at": _local(record.serving_at, ctx),
        "completed_at": _local(record.completed_at, ctx),
        "wait_min": _minutes(record.wait_s),
        "service_min": _minutes(record.service_s),
        "counter": names.counters.get(record.counter_id or 0, ""),
        "officer": names.officers.get(record.officer_id or 0, ""),
        "outcome": OUTCOME_WORDS[record.outcome],
        "recalls": record.recalls,
        "transfers": record.transfers,
    }


def _local(instant: datetime | None, ctx: Context) -> str:
    return "" if instant is None else ctx.local(instant).strftime("%Y-%m-%d %H:%M:%S")


def _minutes(seconds: float | None) -> float | str:
    return "" if seconds is None else round(seconds / 60, 1)
