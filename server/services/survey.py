"""The IKM satisfaction survey: one response per completed ticket, and the index per group."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.errors import InvalidInput, NotFound, WrongState
from server.domain.ikm import ELEMENTS, check_ratings, compute_ikm
from server.domain.tickets import TicketStatus
from server.models import Agency, Service, SurveyResponse, Ticket, TicketEvent, User
from server.services import rooms
from server.services.context import Context
from server.services.publisher import Outbox

CHANNELS = ("status_page", "counter_tablet")
GROUPS = ("all", "agency", "service", "officer")
MAX_COMMENT = 1000


def survey_state(session: Session, token: str) -> dict[str, Any]:
    """Whether this ticket's visitor is invited to the survey, and its nine elements."""
    ticket = _ticket(session, token)
    answered = _answered(session, ticket.id)
    return {
        "open": ticket.status == TicketStatus.DONE and not answered,
        "submitted": answered,
        "elements": [
            {"code": code, "name": name, "name_en": name_en} for code, name, name_en in ELEMENTS
        ],
    }


def submit_survey(
    session: Session,
    ctx: Context,
    token: str,
    ratings: Any,
    comment: str | None,
    channel: str = "status_page",
) -> dict[str, Any]:
    """Record a visitor's ratings once, after their service is complete."""
    if channel not in CHANNELS:
        raise InvalidInput(
            "invalid_channel", "Kanal survei tidak dikenal.", "Unknown survey channel."
        )
    try:
        check_ratings(ratings if isinstance(ratings, list) else [])
    except ValueError as error:
        raise InvalidInput(
            "invalid_ratings",
            "Beri nilai 1 sampai 4 untuk kesembilan unsur.",
            "Rate all nine elements from 1 to 4.",
        ) from error
    outbox = Outbox()
    with write_transaction(session):
        ticket = _ticket(session, token)
        if ticket.status != TicketStatus.DONE:
            raise WrongState(
                "survey_not_open",
                "Survei dibuka setelah layanan selesai.",
                "The survey opens once the service is complete.",
            )
        if _answered(session, ticket.id):
            raise WrongState(
                "survey_answered",
                "Terima kasih, survei tiket ini sudah diisi.",
                "Thank you, this ticket's survey is already answered.",
            )
        counter_id, officer_id = _served_by(session, ticket.id)
        response = SurveyResponse(
            ticket_id=ticket.id,
            service_id=ticket.service_id,
            counter_id=counter_id,
            officer_id=officer_id,
            service_day=ticket.service_day,
            created_at=ctx.now(),
            channel=channel,
            comment=(comment or "").strip()[:MAX_COMMENT] or None,
            **{f"u{n}": rating for n, rating in enumerate(ratings, start=1)},
        )
        session.add(response)
        outbox.add(
            "survey_submitted",
            {"service_id": ticket.service_id, "counter_id": counter_id},
            [rooms.STAFF],
        )
    outbox.send(ctx.publisher)
    return {"submitted": True}


def ikm_report(
    session: Session, start: date, end: date, group: str = "all", agency_id: int | None = None
) -> list[dict[str, Any]]:
    """The IKM per group (all, agency, service or officer) over service days `start`..`end`."""
    if group not in GROUPS:
        raise InvalidInput(
            "invalid_group",
            f"Kelompok harus salah satu dari {', '.join(GROUPS)}.",
            f"group must be one of {', '.join(GROUPS)}.",
        )
    query = (
        select(SurveyResponse, Service.agency_id)
        .join(Service, Service.id == SurveyResponse.service_id)
        .where(SurveyResponse.service_day >= start, SurveyResponse.service_day <= end)
    )
    if agency_id is not None:
        query = query.where(Service.agency_id == agency_id)
    groups: dict[int | None, list[list[int]]] = defaultdict(list)
    for response, response_agency in session.execute(query):
        key = {
            "all": None,
            "agency": response_agency,
            "service": response.service_id,
            "officer": response.officer_id,
        }[group]
        groups[key].append(response.ratings)
    names = _group_names(session, group)
    report = []
    for key, responses in sorted(groups.items(), key=lambda item: names.get(item[0], "")):
        report.append(
            {"group": group, "id": key, "name": names.get(key, "Semua layanan")}
            | ikm_figures(responses)
        )
    return report


def ikm_figures(responses: list[list[int]]) -> dict[str, Any]:
    """Respondents, element averages (NRR), index and grade; None for each without answers."""
    result = compute_ikm(responses)
    if result is None:
        return {"respondents": 0, "nrr": None, "ikm": None, "grade": None, "grade_name": None}
    return {
        "respondents": result.respondents,
        "nrr": [float(value) for value in result.nrr],
        "ikm": str(result.ikm),
        "grade": result.grade,
        "grade_name": result.grade_id,
        "grade_name_en": result.grade_en,
    }


def _ticket(session: Session, token: str) -> Ticket:
    ticket = session.scalars(select(Ticket).where(Ticket.token == token)).first()
    if ticket is None:
        raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
    return ticket


def _answered(session: Session, ticket_id: int) -> bool:
    return (
        session.scalar(select(SurveyResponse.id).where(SurveyResponse.ticket_id == ticket_id))
        is not None
    )


def _served_by(session: Session, ticket_id: int) -> tuple[int | None, int | None]:
    """The counter and officer that completed the ticket."""
    row = session.execute(
        select(TicketEvent.counter_id, TicketEvent.officer_id)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "completed")
        .order_by(TicketEvent.id.desc())
        .limit(1)
    ).first()
    return (row.counter_id, row.officer_id) if row else (None, None)


def _group_names(session: Session, group: str) -> dict[Any, str]:
    if group == "agency":
        return dict(session.execute(select(Agency.id, Agency.name)).all())
    if group == "service":
        return dict(session.execute(select(Service.id, Service.name)).all())
    if group == "officer":
        return {None: "(tanpa petugas)", **dict(session.execute(select(User.id, User.name)).all())}
    return {}
