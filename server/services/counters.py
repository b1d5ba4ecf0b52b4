"""Opening, pausing and closing a counter."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.errors import NotFound, WrongState
from server.models import Counter
from server.services import rooms
from server.services.context import Context
from server.services.publisher import Outbox
from server.services.tickets import counter_state, current_ticket

COUNTER_STATES = ("open", "break", "closed")
WORDS = {
    "open": ("dibuka", "opened"),
    "break": ("istirahat", "on a break"),
    "closed": ("ditutup", "closed"),
}


def set_counter_status(
    session: Session, ctx: Context, counter_id: int, status: str
) -> dict[str, Any]:
    """Open a counter, put it on a break, or close it; never while a visitor is at it."""
    outbox = Outbox()
    with write_transaction(session):
        counter = session.get(Counter, counter_id, with_for_update=True)
        if counter is None:
            raise NotFound("counter_not_found", "Loket tidak ditemukan.", "Counter not found.")
        active = current_ticket(session, counter.id)
        if status != "open" and active is not None:
            raise WrongState(
                "counter_busy",
                f"{counter.name} tidak bisa {WORDS[status][0]}: selesaikan {active.number} dulu.",
                f"{counter.name} cannot be {WORDS[status][1]}: finish {active.number} first.",
            )
        counter.status = status
        state = counter_state(counter, active, ctx)
        outbox.add("counter_changed", {"counter": state}, rooms.for_counter(counter))
    outbox.send(ctx.publisher)
    return state
