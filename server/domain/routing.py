"""Who is next at a counter: a choice among the heads of the counter's queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket at the head of one of the counter's queues."""

    ticket_id: int
    service_id: int
    arrived_at: datetime
    priority: bool = False


@dataclass(frozen=True)
class Choice:
    """The ticket to call and, for the officer, why it is next."""

    ticket_id: int
    reason_id: str
    reason_en: str


def choose_next(candidates: list[Candidate], service_order: list[int]) -> Choice | None:
    """Pick the earliest arrival; ties go to the service listed first for the counter."""
    if not candidates:
        return None
    rank = {service_id: position for position, service_id in enumerate(service_order)}

    def key(candidate: Candidate) -> tuple[datetime, int, int]:
        return candidate.arrived_at, rank.get(candidate.service_id, len(rank)), candidate.ticket_id

    chosen = min(candidates, key=key)
    return Choice(chosen.ticket_id, "Kedatangan paling awal", "Earliest arrival")
