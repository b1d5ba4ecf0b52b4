"""Today's live figures for the manager's dashboard, folded from the day's ticket records.

A service's longest current wait is the longest time any visitor still waiting has been in its
queue without being called there: since the issue, or since a transfer brought them to it (the
same start its visit's wait is measured from, so it is compared with the same target). A visitor
sent back to the queue after a call (a held ticket resumed, a late no-show) has had their call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from server.domain.stats import Summary, TicketRecord, Visit, summarize

ACTIVITIES = ("open", "serving", "break", "closed")


@dataclass(frozen=True)
class ServiceToday:
    """How one service is doing today: its queue now and its day so far."""

    waiting: int
    waiting_since: datetime | None
    longest_wait_s: float | None
    summary: Summary
    target_s: float
    over_target: bool


def waiting_since(record: TicketRecord) -> datetime | None:
    """When the ticket joined the queue it is in, if it waits there uncalled; else None."""
    visit = record.visits[-1]
    if visit.outcome != "open" or visit.called_at is not None:
        return None
    return visit.queued_at


def visits_by_service(records: Iterable[TicketRecord]) -> dict[int, list[Visit]]:
    """Every visit of the records, grouped by the service it was for."""
    grouped: dict[int, list[Visit]] = {}
    for record in records:
        for visit in record.visits:
            grouped.setdefault(visit.service_id, []).append(visit)
    return grouped


def service_today(
    visits: Iterable[Visit], waiting: int, since: Iterable[datetime], target_s: float, now: datetime
) -> ServiceToday:
    """A service's figures: `since` holds when each uncalled visitor joined its queue."""
    oldest = min(since, default=None)
    longest = waited_s(oldest, now)
    return ServiceToday(
        waiting=waiting,
        waiting_since=oldest,
        longest_wait_s=longest,
        summary=summarize(visits, target_s),
        target_s=target_s,
        over_target=longest is not None and longest > target_s,
    )


def waited_s(since: datetime | None, now: datetime) -> float | None:
    """Seconds waited so far since `since` (never negative); None when nobody waits."""
    return None if since is None else max((now - since).total_seconds(), 0.0)


def within_targets(visits: Iterable[Visit], targets: Mapping[int, float]) -> float | None:
    """The share of called visits called within their own service's target; None if none."""
    judged = [
        wait <= targets[visit.service_id]
        for visit in visits
        if (wait := visit.wait_s) is not None and visit.service_id in targets
    ]
    return sum(judged) / len(judged) if judged else None


def counter_activity(status: str, has_ticket: bool) -> str:
    """What a counter is doing: `open` (free), `serving` (a ticket at it), `break` or `closed`."""
    if status == "open":
        return "serving" if has_ticket else "open"
    return status if status in ACTIVITIES else "closed"


def served_at_counters(visits: Iterable[Visit]) -> dict[int, int]:
    """Completed visits per counter."""
    return dict(
        Counter(
            visit.counter_id
            for visit in visits
            if visit.outcome == "done" and visit.counter_id is not None
        )
    )


def activity_counts(activities: Iterable[str]) -> dict[str, int]:
    """How many counters are open, serving, on a break and closed (every key present)."""
    counted = Counter(activities)
    return {activity: counted.get(activity, 0) for activity in ACTIVITIES}
