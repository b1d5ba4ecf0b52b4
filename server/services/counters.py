"""Opening, pausing and closing a counter: one officer per counter, every change in attendance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.errors import InvalidInput, NotFound, WrongState
from server.models import Counter, StaffEvent
from server.services import rooms
from server.services.context import Context
from server.services.events import counter_state, current_ticket, locked_counter
from server.services.publisher import Outbox

WORDS = {
    "open": ("dibuka", "opened"),
    "break": ("istirahat", "put on a break"),
    "closed": ("ditutup", "closed"),
}
ATTENDANCE = {"open": "counter_opened", "break": "break_started", "closed": "counter_closed"}


def set_counter_status(
    session: Session,
    ctx: Context,
    counter_id: int,
    status: str,
    officer_id: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Open a counter (taking it for the officer), start a break, or close it."""
    if status == "break" and officer_id is not None and not (reason or "").strip():
        raise InvalidInput(
            "reason_required", "Pilih atau tulis alasan istirahat.", "Give a reason for the break."
        )
    outbox = Outbox()
    with write_transaction(session):
        counter = locked_counter(session, counter_id)
        if counter is None:
            raise NotFound("counter_not_found", "Loket tidak ditemukan.", "Counter not found.")
        _take_for(session, counter, officer_id)
        active = current_ticket(session, counter.id)
        if status != "open" and active is not None:
            raise WrongState(
                "counter_busy",
                f"{counter.name} tidak bisa {WORDS[status][0]}: selesaikan {active.number} dulu.",
                f"{counter.name} cannot be {WORDS[status][1]}: finish {active.number} first.",
            )
        kind = (
            "break_ended" if counter.status == "break" and status == "open" else ATTENDANCE[status]
        )
        counter.status = status
        counter.break_reason = ((reason or "").strip()[:120] or None) if status == "break" else None
        if status == "closed":
            counter.officer_id, counter.officer = None, None
        if officer_id is not None:
            session.add(
                StaffEvent(
                    at=ctx.now(),
                    kind=kind,
                    user_id=officer_id,
                    counter_id=counter.id,
                    detail=counter.break_reason,
                )
            )
        state = counter_state(counter, active, ctx)
        outbox.add("counter_changed", {"counter": state}, rooms.for_counter(counter))
    outbox.send(ctx.publisher)
    return state


def _take_for(session: Session, counter: Counter, officer_id: int | None) -> None:
    """Make the officer this counter's only officer, atomically; refuse a second counter."""
    if officer_id is None or counter.officer_id == officer_id:
        return
    other = session.scalars(
        select(Counter).where(Counter.officer_id == officer_id, Counter.id != counter.id)
    ).first()
    if other is not None:
        raise WrongState(
            "officer_has_counter",
            f"Anda masih membuka {other.name}. Tutup loket itu dulu.",
            f"You still have {other.name} open. Close it first.",
        )
    taken = session.execute(
        update(Counter)
        .where(Counter.id == counter.id, Counter.officer_id.is_(None))
        .values(officer_id=officer_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(counter)
    if taken != 1:
        holder = counter.officer.name if counter.officer else "petugas lain"
        raise WrongState(
            "counter_taken",
            f"{counter.name} sedang dibuka oleh {holder}.",
            f"{counter.name} is open under {holder}.",
        )


def counter_of(session: Session, officer_id: int) -> Counter | None:
    """The counter an officer has open, if any."""
    return session.scalars(select(Counter).where(Counter.officer_id == officer_id)).first()
