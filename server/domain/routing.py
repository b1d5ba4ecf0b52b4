"""Who is next at a counter: a fair choice among the heads of the counter's queues.

The rules, in order:
0. Sent here: a ticket addressed to this counter (held here and resumed, or transferred to this
   counter by name) goes first, the earliest such; the counter promised to take it back.
1. Ageing: a ticket that has waited `max_wait` or longer goes first (the oldest such), so no
   regular visitor waits more than that behind priority visitors, and no service starves.
2. Priority interleaving: while both wait, `priority_ratio` priority tickets are called for each
   regular one (lansia, disabilitas, ibu hamil/menyusui).
3. Within the chosen class, the counter's service mode: `fifo` (earliest arrival across its
   services), `order` (its first service that has someone waiting) or `weights` (each service
   gets calls in proportion to its weight over the counter's recent calls).
Ties always go to the earliest arrival, then the counter's service order, then the ticket id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class ServiceMode(StrEnum):
    FIFO = "fifo"
    ORDER = "order"
    WEIGHTS = "weights"


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket at the head of one of the counter's queues."""

    ticket_id: int
    service_id: int
    arrived_at: datetime
    priority: bool = False
    for_this_counter: bool = False  # resumed here or transferred to this counter by name


@dataclass(frozen=True)
class RecentCall:
    """A call this counter made earlier today, newest last."""

    service_id: int
    priority: bool


@dataclass(frozen=True)
class Policy:
    """How a counter chooses; set by the manager."""

    priority_ratio: int = 2
    max_wait: timedelta = timedelta(minutes=30)
    mode: ServiceMode = ServiceMode.FIFO
    weights: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """The ticket to call and, for the officer, why it is next."""

    ticket_id: int
    reason_id: str
    reason_en: str


def choose_next(
    candidates: Sequence[Candidate],
    service_order: Sequence[int],
    now: datetime,
    policy: Policy = Policy(),
    recent: Sequence[RecentCall] = (),
) -> Choice | None:
    """Pick the next ticket for a counter, with the reason an officer can read."""
    if not candidates:
        return None
    rank = {service_id: position for position, service_id in enumerate(service_order)}
    addressed = [c for c in candidates if c.for_this_counter]
    if addressed:
        chosen = min(addressed, key=lambda c: _fifo_key(c, rank))
        return Choice(chosen.ticket_id, "Ditujukan ke loket ini", "Sent to this counter")
    overdue = [c for c in candidates if now - c.arrived_at >= policy.max_wait]
    if overdue:
        chosen = min(overdue, key=lambda c: _fifo_key(c, rank))
        minutes = round(policy.max_wait.total_seconds() / 60)
        return Choice(
            chosen.ticket_id,
            f"Sudah menunggu lebih dari {minutes} menit",
            f"Has waited more than {minutes} minutes",
        )
    pool, reason = _class_turn(candidates, policy, recent)
    chosen, service_reason = _by_service_mode(pool, rank, policy, recent)
    return Choice(chosen.ticket_id, *_join(reason, service_reason))


def priority_streak(recent: Sequence[RecentCall]) -> int:
    """How many priority tickets the counter called in a row, most recently."""
    streak = 0
    for call in reversed(recent):
        if not call.priority:
            break
        streak += 1
    return streak


def _class_turn(
    candidates: Sequence[Candidate], policy: Policy, recent: Sequence[RecentCall]
) -> tuple[list[Candidate], tuple[str, str]]:
    priority = [c for c in candidates if c.priority]
    regular = [c for c in candidates if not c.priority]
    if priority and regular:
        if priority_streak(recent) < policy.priority_ratio:
            return priority, ("Pengunjung prioritas", "Priority visitor")
        return regular, (
            f"Giliran antrean reguler setelah {policy.priority_ratio} prioritas",
            f"Regular queue's turn after {policy.priority_ratio} priority",
        )
    if priority:
        return priority, ("Pengunjung prioritas", "Priority visitor")
    return regular, ("", "")


def _by_service_mode(
    pool: list[Candidate], rank: Mapping[int, int], policy: Policy, recent: Sequence[RecentCall]
) -> tuple[Candidate, tuple[str, str]]:
    if policy.mode is ServiceMode.ORDER:
        chosen = min(
            pool, key=lambda c: (rank.get(c.service_id, len(rank)), c.arrived_at, c.ticket_id)
        )
        return chosen, ("Urutan layanan loket", "Counter's service order")
    if policy.mode is ServiceMode.WEIGHTS:
        served = {c.service_id: 0 for c in pool}
        for call in recent:
            if call.service_id in served:
                served[call.service_id] += 1

        def share(c: Candidate) -> tuple[float, datetime, int, int]:
            weight = max(policy.weights.get(c.service_id, 1), 1)
            return (served[c.service_id] + 1) / weight, *_fifo_key(c, rank)

        return min(pool, key=share), ("Giliran sesuai bobot layanan", "Service weight's turn")
    return min(pool, key=lambda c: _fifo_key(c, rank)), (
        "Kedatangan paling awal",
        "Earliest arrival",
    )


def _fifo_key(candidate: Candidate, rank: Mapping[int, int]) -> tuple[datetime, int, int]:
    return candidate.arrived_at, rank.get(candidate.service_id, len(rank)), candidate.ticket_id


def _join(first: tuple[str, str], second: tuple[str, str]) -> tuple[str, str]:
    if not first[0]:
        return second
    return f"{first[0]}; {second[0].lower()}", f"{first[1]}; {second[1].lower()}"
