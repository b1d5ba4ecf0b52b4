"""Personal data (UU No. 27/2022, Pelindungan Data Pribadi).

Taking a ticket asks for no personal data. Free text that people type later — an officer's
hold or transfer note, the reason for calling a visitor out of turn, a survey comment, an
officer's break reason — may name or describe someone, so it is kept only for the hall's
retention period (`[hall] personal_data_days`, default 90) and then blanked. Everything the
statistics need stays: times, statuses, counters, services and the IKM ratings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from server.db import write_transaction
from server.domain.tickets import EventKind
from server.models import StaffEvent, SurveyResponse, Ticket, TicketEvent
from server.services.calling import OUT_OF_TURN
from server.services.context import Context
from server.services.settings import setting

DEFAULT_RETENTION_DAYS = 90


@dataclass
class PurgeReport:
    """What a purge blanked (or, in a dry run, would blank), per kind of text."""

    days: int
    cutoff: datetime
    dry_run: bool
    blanked: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All texts together."""
        return sum(self.blanked.values())


def retention_days(session: Session) -> int:
    """How many days personal free text is kept: the hall file's `personal_data_days`."""
    return int(setting(session, "hall_personal_data_days", DEFAULT_RETENTION_DAYS))


def purge_personal_text(
    session: Session, ctx: Context, days: int | None = None, dry_run: bool = False
) -> PurgeReport:
    """Blank personal free text older than the retention period, in one transaction."""
    days = retention_days(session) if days is None else days
    report = PurgeReport(days, ctx.now() - timedelta(days=days), dry_run)
    with write_transaction(session):
        for name, column, written_at in PLAIN_TEXTS:
            report.blanked[name] = _blank(session, column, written_at, report)
        report.blanked["ticket_event_notes"] = _scrub_event_details(session, report)
    return report


PLAIN_TEXTS: list[tuple[str, InstrumentedAttribute[Any], InstrumentedAttribute[Any]]] = [
    ("ticket_notes", Ticket.note, Ticket.issued_at),
    ("survey_comments", SurveyResponse.comment, SurveyResponse.created_at),
    ("break_reasons", StaffEvent.detail, StaffEvent.at),
]


def _blank(
    session: Session,
    column: InstrumentedAttribute[Any],
    written_at: InstrumentedAttribute[Any],
    report: PurgeReport,
) -> int:
    where = (written_at < report.cutoff, column.is_not(None))
    if report.dry_run:
        return session.scalar(select(func.count()).select_from(column.class_).where(*where)) or 0
    blanked = update(column.class_).where(*where).values({column.key: None})
    return session.execute(blanked.execution_options(synchronize_session=False)).rowcount


def _scrub_event_details(session: Session, report: PurgeReport) -> int:
    """Notes inside the event log: held (the note), transferred (its `note`), out-of-turn calls."""
    events = session.execute(
        select(TicketEvent.id, TicketEvent.kind, TicketEvent.detail).where(
            TicketEvent.at < report.cutoff,
            or_(
                and_(TicketEvent.kind == EventKind.HELD, TicketEvent.detail.is_not(None)),
                and_(
                    TicketEvent.kind == EventKind.TRANSFERRED,
                    TicketEvent.detail.not_like('%"note": null%'),
                ),
                and_(
                    TicketEvent.kind == EventKind.CALLED,
                    TicketEvent.detail.like(f"%{OUT_OF_TURN[0]}:%"),
                ),
            ),
        )
    ).all()
    if not report.dry_run:
        for event_id, kind, detail in events:
            session.execute(
                update(TicketEvent)
                .where(TicketEvent.id == event_id)
                .values(detail=scrubbed_detail(kind, detail))
            )
    return len(events)


def scrubbed_detail(kind: str, detail: str) -> str | None:
    """An event's detail without the free text typed into it; the facts stay."""
    if kind == EventKind.HELD:
        return None
    facts = json.loads(detail)
    if kind == EventKind.TRANSFERRED:
        facts["note"] = None
    else:
        facts["reason"] = {"id": OUT_OF_TURN[0], "en": OUT_OF_TURN[1]}
    return json.dumps(facts)
