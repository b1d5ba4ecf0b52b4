"""Ticket statuses, their allowed moves, and the printed number format."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from server.domain.errors import WrongState


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    HELD = "held"
    CANCELLED = "cancelled"


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    HELD = "held"
    RESUMED = "resumed"
    CANCELLED = "cancelled"


ACTIVE_AT_COUNTER = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})

PRIORITY_CLASSES = {
    "lansia": ("Lansia", "Elderly"),
    "disabilitas": ("Penyandang disabilitas", "Person with a disability"),
    "ibu_hamil": ("Ibu hamil/menyusui", "Pregnant or nursing mother"),
}

STATUS_WORDS = {
    TicketStatus.WAITING: ("menunggu", "waiting"),
    TicketStatus.CALLED: ("dipanggil", "called"),
    TicketStatus.SERVING: ("sedang dilayani", "being served"),
    TicketStatus.DONE: ("selesai", "done"),
    TicketStatus.NO_SHOW: ("tidak hadir", "no-show"),
    TicketStatus.TRANSFERRED: ("dialihkan", "transferred"),
    TicketStatus.HELD: ("ditunda", "on hold"),
    TicketStatus.CANCELLED: ("dibatalkan", "cancelled"),
}


def format_number(prefix: str, sequence: int, width: int = 3) -> str:
    """The printed ticket number, e.g. `A007`; the digits grow past `width` when needed."""
    if sequence < 1:
        raise ValueError("a ticket sequence starts at 1")
    return f"{prefix}{sequence:0{width}d}"


def require_status(status: TicketStatus, allowed: frozenset[TicketStatus], action: str) -> None:
    """Refuse `action` unless the ticket is in one of the `allowed` statuses."""
    if status in allowed:
        return
    word_id, word_en = STATUS_WORDS[status]
    raise WrongState(
        "wrong_ticket_state",
        f"Tidak dapat {ACTION_WORDS[action][0]}: tiket berstatus {word_id}.",
        f"Cannot {ACTION_WORDS[action][1]}: the ticket is {word_en}.",
    )


ACTION_WORDS = {
    "recall": ("memanggil ulang", "recall it"),
    "no-show": ("menandai tidak hadir", "mark it no-show"),
    "start": ("mulai melayani", "start serving it"),
    "complete": ("menyelesaikan", "complete it"),
    "transfer": ("mengalihkan", "transfer it"),
    "hold": ("menunda", "put it on hold"),
    "resume": ("mengembalikan ke antrean", "return it to the queue"),
    "call": ("memanggil", "call it"),
}


def recall_outcome(recall_count: int, recall_limit: int) -> TicketStatus:
    """What a recall does: call again, or mark no-show once the limit has been used up."""
    return TicketStatus.NO_SHOW if recall_count >= recall_limit else TicketStatus.CALLED


def within_grace(no_show_at: datetime, now: datetime, grace: timedelta) -> bool:
    """A no-show visitor who arrives within the grace period may return to the queue."""
    return now - no_show_at <= grace


TRANSITIONS: dict[EventKind, tuple[frozenset[TicketStatus | None], TicketStatus]] = {
    EventKind.ISSUED: (frozenset({None}), TicketStatus.WAITING),
    EventKind.CALLED: (frozenset({TicketStatus.WAITING}), TicketStatus.CALLED),
    EventKind.RECALLED: (frozenset({TicketStatus.CALLED}), TicketStatus.CALLED),
    EventKind.SERVING: (frozenset({TicketStatus.CALLED}), TicketStatus.SERVING),
    EventKind.COMPLETED: (frozenset(ACTIVE_AT_COUNTER), TicketStatus.DONE),
    EventKind.NO_SHOW: (frozenset({TicketStatus.CALLED}), TicketStatus.NO_SHOW),
    EventKind.TRANSFERRED: (
        frozenset({TicketStatus.WAITING, *ACTIVE_AT_COUNTER}),
        TicketStatus.WAITING,
    ),
    EventKind.HELD: (frozenset(ACTIVE_AT_COUNTER), TicketStatus.HELD),
    EventKind.RESUMED: (frozenset({TicketStatus.HELD, TicketStatus.NO_SHOW}), TicketStatus.WAITING),
    EventKind.CANCELLED: (
        frozenset({TicketStatus.WAITING, TicketStatus.HELD}),
        TicketStatus.CANCELLED,
    ),
}


class IllegalHistory(ValueError):
    """A ticket's event log contains a change its state did not allow."""


def replay(kinds: list[EventKind]) -> TicketStatus:
    """The status a ticket ends in after these events, refusing any illegal step."""
    status: TicketStatus | None = None
    for position, kind in enumerate(kinds):
        allowed, after = TRANSITIONS[kind]
        if status not in allowed:
            raise IllegalHistory(f"event {position} ({kind}) cannot follow status {status}")
        status = after
    if status is None:
        raise IllegalHistory("a ticket's history starts with its issue")
    return status
