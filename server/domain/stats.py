"""Wait-time statistics, computed from the ticket event log alone.

A ticket's events give one record (the row of the wait-time export) and one visit per service it
queued for: a transfer ends one visit and starts the next. A visit's wait is the time from joining
that service's queue to its first call there; a ticket's wait is from its issue to its first call.
Percentiles use the nearest-rank method.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean, median

ENDINGS = {"completed": "done", "no_show": "no_show", "cancelled": "cancelled"}


@dataclass(frozen=True)
class Step:
    """One ticket event, as statistics need it."""

    kind: str
    at: datetime
    service_id: int
    counter_id: int | None = None
    officer_id: int | None = None


@dataclass
class Visit:
    """A ticket's stay with one service."""

    service_id: int
    queued_at: datetime
    called_at: datetime | None = None
    serving_at: datetime | None = None
    finished_at: datetime | None = None
    outcome: str = "open"
    recalls: int = 0
    counter_id: int | None = None
    officer_id: int | None = None

    @property
    def wait_s(self) -> float | None:
        """Seconds from joining this queue to the first call."""
        return None if self.called_at is None else (self.called_at - self.queued_at).total_seconds()

    @property
    def service_s(self) -> float | None:
        """Seconds at the counter, from start (or call) to completion."""
        begun = self.serving_at or self.called_at
        if self.outcome != "done" or begun is None or self.finished_at is None:
            return None
        return (self.finished_at - begun).total_seconds()


@dataclass
class TicketRecord:
    """One ticket's day, as the wait-time export shows it."""

    issued_at: datetime
    first_called_at: datetime | None = None
    serving_at: datetime | None = None
    completed_at: datetime | None = None
    outcome: str = "open"
    recalls: int = 0
    transfers: int = 0
    counter_id: int | None = None
    officer_id: int | None = None
    visits: list[Visit] = field(default_factory=list)

    @property
    def wait_s(self) -> float | None:
        """Seconds from issue to the first call."""
        if self.first_called_at is None:
            return None
        return (self.first_called_at - self.issued_at).total_seconds()

    @property
    def service_s(self) -> float | None:
        """Seconds of the final service, start (or call) to completion."""
        return self.visits[-1].service_s if self.visits else None


def ticket_record(steps: Sequence[Step]) -> TicketRecord:
    """Fold one ticket's events, oldest first, into its record and visits."""
    if not steps or steps[0].kind != "issued":
        raise ValueError("a ticket's events start with its issue")
    record = TicketRecord(issued_at=steps[0].at, visits=[Visit(steps[0].service_id, steps[0].at)])
    for step in steps[1:]:
        _apply(record, record.visits[-1], step)
    return record


def _apply(record: TicketRecord, visit: Visit, step: Step) -> None:
    if step.counter_id is not None:
        record.counter_id = visit.counter_id = step.counter_id
    if step.officer_id is not None:
        record.officer_id = visit.officer_id = step.officer_id
    if step.kind == "called":
        visit.called_at = visit.called_at or step.at
        record.first_called_at = record.first_called_at or step.at
    elif step.kind == "recalled":
        visit.recalls += 1
        record.recalls += 1
    elif step.kind == "serving":
        visit.serving_at = record.serving_at = step.at
    elif step.kind in ENDINGS:
        visit.outcome = record.outcome = ENDINGS[step.kind]
        visit.finished_at = step.at
        if step.kind == "completed":
            record.completed_at = step.at
    elif step.kind == "transferred":
        visit.outcome = record.outcome = "transferred"
        visit.finished_at = step.at
        record.transfers += 1
        record.visits.append(Visit(step.service_id, step.at))
    elif step.kind == "resumed" and visit.outcome == "no_show":
        visit.outcome = record.outcome = "open"
        visit.finished_at = None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` from 0 to 1) of the values, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class Summary:
    """How a service (or counter, officer, day) did."""

    visits: int
    served: int
    no_shows: int
    waiting_or_open: int
    wait_mean_s: float | None
    wait_median_s: float | None
    wait_p90_s: float | None
    service_mean_s: float | None
    service_median_s: float | None
    service_p90_s: float | None
    within_target: float | None
    no_show_rate: float | None


def summarize(visits: Iterable[Visit], target_s: float | None = None) -> Summary:
    """Counts, wait and service times, share called within target, and no-show rate."""
    visits = list(visits)
    waits = [v.wait_s for v in visits if v.wait_s is not None]
    services = [v.service_s for v in visits if v.service_s is not None]
    served = sum(v.outcome == "done" for v in visits)
    no_shows = sum(v.outcome == "no_show" for v in visits)
    called = len(waits)
    within = None
    if target_s is not None and called:
        within = sum(wait <= target_s for wait in waits) / called
    return Summary(
        visits=len(visits),
        served=served,
        no_shows=no_shows,
        waiting_or_open=sum(v.outcome == "open" for v in visits),
        wait_mean_s=fmean(waits) if waits else None,
        wait_median_s=median(waits) if waits else None,
        wait_p90_s=percentile(waits, 0.9),
        service_mean_s=fmean(services) if services else None,
        service_median_s=median(services) if services else None,
        service_p90_s=percentile(services, 0.9),
        within_target=within,
        no_show_rate=no_shows / (served + no_shows) if served + no_shows else None,
    )
