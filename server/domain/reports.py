"""Performance reports: what each agency, service, counter or officer did per day, week or month.

A ticket's visits (see `server.domain.stats`) are cut into stays: a stay is a run of the ticket's
consecutive visits that fall in one group, so a transfer between two services of one agency stays
with that agency. Counts are of stays: a stay arrives once (at the issue, or by a transfer from
another group) and ends once: served, no-show, transferred out, cancelled, or still open. Times are
of visits: a wait runs from joining a service's queue to the first call there, and compliance is
the share of called visits called within their own service's target. Everything counts on its
ticket's service day (the hall's local day); weeks start on Monday (ISO 8601). A report only
keeps counts and times, never the records, so a year of tickets can be added one at a time.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from statistics import fmean, median

from server.domain.stats import TicketRecord, Visit, percentile

PERIODS = ("day", "week", "month")
GROUPS = ("all", "agency", "service", "counter", "officer")
HOURS = 24
WEEKDAYS = 7

GroupKey = int | None


def period_start(day: date, period: str) -> date:
    """The first day of the day, ISO week (Monday) or month that `day` falls in."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"period must be one of {PERIODS}, not {period!r}")


def period_end(start: date, period: str) -> date:
    """The last day of the period that begins on `start`."""
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start + timedelta(days=6 if period == "week" else 0)


def period_label(start: date, period: str) -> str:
    """How a period is written: `2026-11-24`, `2026-W48` or `2026-11`."""
    if period == "week":
        year, week, _weekday = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m") if period == "month" else start.isoformat()


def periods(start: date, end: date, period: str) -> list[date]:
    """The start of every period that has a day from `start` to `end`."""
    found, current = [], period_start(start, period)
    while current <= end:
        found.append(current)
        current = period_end(current, period) + timedelta(days=1)
    return found


@dataclass(frozen=True)
class Grouping:
    """How visits are grouped, each service's agency and target, and which services count."""

    group: str
    agencies: Mapping[int, int]  # service id → agency id
    targets: Mapping[int, float]  # service id → target wait in seconds
    services: Collection[int] | None = None  # None: every service

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"group must be one of {GROUPS}, not {self.group!r}")

    def key(self, visit: Visit) -> GroupKey:
        """The group a visit belongs to (None: the hall, or no counter or officer)."""
        return {
            "all": None,
            "agency": self.agencies.get(visit.service_id),
            "service": visit.service_id,
            "counter": visit.counter_id,
            "officer": visit.officer_id,
        }[self.group]

    def counts(self, visit: Visit) -> bool:
        """Whether the visit is in the report's scope."""
        return self.services is None or visit.service_id in self.services


@dataclass(frozen=True)
class Stay:
    """A ticket's consecutive visits in one group."""

    group: GroupKey
    visits: tuple[Visit, ...]

    @property
    def outcome(self) -> str:
        """How the stay ended: done, no_show, transferred (out of the group), cancelled or open."""
        return self.visits[-1].outcome


def stays(
    record: TicketRecord, key: Callable[[Visit], GroupKey], counts: Callable[[Visit], bool]
) -> list[Stay]:
    """The record's visits in scope, cut where the group changes or the ticket left the scope."""
    runs: list[tuple[GroupKey, list[Visit]]] = []
    previous: tuple[bool, GroupKey] | None = None
    for visit in record.visits:
        mark = (counts(visit), key(visit))
        if mark[0] and mark == previous:
            runs[-1][1].append(visit)
        elif mark[0]:
            runs.append((mark[1], [visit]))
        previous = mark
    return [Stay(group, tuple(visits)) for group, visits in runs]


@dataclass(frozen=True)
class Figures:
    """How a group did in a period: counts of stays, times and compliance of visits."""

    arrivals: int
    served: int
    no_shows: int
    transferred: int
    cancelled: int
    open: int
    recalls: int
    called: int
    within: int
    wait_mean_s: float | None
    wait_median_s: float | None
    wait_p90_s: float | None
    service_mean_s: float | None
    service_median_s: float | None
    service_p90_s: float | None
    within_target: float | None
    no_show_rate: float | None


@dataclass
class Tally:
    """The running counts and times of one group in one period."""

    outcomes: dict[str, int] = field(default_factory=dict)
    recalls: int = 0
    waits: array[float] = field(default_factory=lambda: array("d"))
    services: array[float] = field(default_factory=lambda: array("d"))
    judged: int = 0
    within: int = 0

    def add(self, stay: Stay, targets: Mapping[int, float]) -> None:
        """Count a stay and time its visits."""
        self.outcomes[stay.outcome] = self.outcomes.get(stay.outcome, 0) + 1
        for visit in stay.visits:
            self.recalls += visit.recalls
            if (service_s := visit.service_s) is not None:
                self.services.append(service_s)
            if (wait := visit.wait_s) is None:
                continue
            self.waits.append(wait)
            if (target := targets.get(visit.service_id)) is not None:
                self.judged += 1
                self.within += wait <= target

    def figures(self) -> Figures:
        """The tally's figures."""
        served, no_shows = self.outcomes.get("done", 0), self.outcomes.get("no_show", 0)
        return Figures(
            arrivals=sum(self.outcomes.values()),
            served=served,
            no_shows=no_shows,
            transferred=self.outcomes.get("transferred", 0),
            cancelled=self.outcomes.get("cancelled", 0),
            open=self.outcomes.get("open", 0),
            recalls=self.recalls,
            called=len(self.waits),
            within=self.within,
            **_times("wait", self.waits),
            **_times("service", self.services),
            within_target=self.within / self.judged if self.judged else None,
            no_show_rate=no_shows / (served + no_shows) if served + no_shows else None,
        )


def _times(name: str, values: Sequence[float]) -> dict[str, float | None]:
    return {
        f"{name}_mean_s": fmean(values) if values else None,
        f"{name}_median_s": median(values) if values else None,
        f"{name}_p90_s": percentile(values, 0.9),
    }


@dataclass(frozen=True)
class Row:
    """One group's figures in one period (`period` None: the whole range)."""

    group: GroupKey
    period: date | None
    figures: Figures


@dataclass
class PerformanceReport:
    """Tickets added one at a time, reported per group and period, with arrivals by hour."""

    grouping: Grouping
    period: str
    start: date
    end: date
    zone: tzinfo
    buckets: dict[tuple[GroupKey, date], Tally] = field(default_factory=dict)
    group_totals: dict[GroupKey, Tally] = field(default_factory=dict)
    scope: dict[date, Tally] = field(default_factory=dict)
    whole: Tally = field(default_factory=Tally)
    arrivals: list[list[int]] = field(
        default_factory=lambda: [[0] * HOURS for _day in range(WEEKDAYS)]
    )

    def add(self, day: date, record: TicketRecord) -> None:
        """Count one ticket of service day `day`."""
        targets, when = self.grouping.targets, period_start(day, self.period)
        for stay in stays(record, self.grouping.key, self.grouping.counts):
            self.buckets.setdefault((stay.group, when), Tally()).add(stay, targets)
            self.group_totals.setdefault(stay.group, Tally()).add(stay, targets)
        for stay in stays(record, lambda _visit: None, self.grouping.counts):
            self.scope.setdefault(when, Tally()).add(stay, targets)
            self.whole.add(stay, targets)
            arrived = stay.visits[0].queued_at.astimezone(self.zone)
            self.arrivals[arrived.weekday()][arrived.hour] += 1

    def rows(self) -> list[Row]:
        """Each group's figures in each period it has tickets in, by group, then period."""
        ordered = sorted(self.buckets.items(), key=lambda item: (_order(item[0][0]), item[0][1]))
        return [Row(group, when, tally.figures()) for (group, when), tally in ordered]

    def totals(self) -> list[Row]:
        """Each group's figures over the whole range."""
        ordered = sorted(self.group_totals.items(), key=lambda item: _order(item[0]))
        return [Row(group, None, tally.figures()) for group, tally in ordered]

    def trend(self) -> list[Row]:
        """The whole scope's figures in every period of the range, those without tickets too."""
        return [
            Row(None, when, self.scope.get(when, Tally()).figures())
            for when in periods(self.start, self.end, self.period)
        ]

    def total(self) -> Figures:
        """The whole scope over the whole range."""
        return self.whole.figures()

    def heatmap(self) -> list[list[int]]:
        """Arrivals by local weekday (Monday first) and hour of day: 7 rows of 24."""
        return [list(hours) for hours in self.arrivals]


def _order(group: GroupKey) -> tuple[bool, int]:
    return (group is None, group or 0)
