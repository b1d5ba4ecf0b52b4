"""Performance reports, checked against a day of tickets whose answers are known exactly."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.domain.reports import (
    Grouping,
    PerformanceReport,
    period_end,
    period_label,
    period_start,
    periods,
)
from server.domain.stats import Step, ticket_record

WIB = ZoneInfo("Asia/Jakarta")
NOV_23, NOV_24, NOV_25 = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
KTP, KK, PKB = 1, 2, 3  # KTP and KK belong to Dukcapil (10), PKB to Samsat (20)
DUKCAPIL, SAMSAT = 10, 20
AGENCIES = {KTP: DUKCAPIL, KK: DUKCAPIL, PKB: SAMSAT}
TARGETS = {KTP: 900.0, KK: 600.0, PKB: 900.0}
L1, L2, L3 = 1, 2, 3
BUDI, SITI = 7, 8


def wib(day: date, clock: str) -> datetime:
    """A local time on a day, as the aware UTC instant the event log holds."""
    hour, minute = (int(part) for part in clock.split(":"))
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)
    return local.astimezone(UTC)


def ticket(day: date, *events: tuple):
    """(kind, "hh:mm" local, service, counter, officer) tuples → the ticket's record."""
    return ticket_record(
        [
            Step(kind, wib(day, clock), service, counter, officer)
            for kind, clock, service, counter, officer in events
        ]
    )


# Tuesday 24 November 2026 (minutes are waits; targets KTP 15, KK 10, PKB 15):
DAY = [
    # T1 issued 06:30 WIB (23:30 UTC the day before): waits 40 (past target), served 5 at L1
    ticket(
        NOV_24,
        ("issued", "06:30", KTP, None, None),
        ("called", "07:10", KTP, L1, BUDI),
        ("serving", "07:11", KTP, L1, BUDI),
        ("completed", "07:16", KTP, L1, BUDI),
    ),
    # T2 KK: waits 2, recalled once, no-show
    ticket(
        NOV_24,
        ("issued", "07:16", KK, None, None),
        ("called", "07:18", KK, L1, BUDI),
        ("recalled", "07:19", KK, L1, BUDI),
        ("no_show", "07:20", KK, L1, BUDI),
    ),
    # T3 KTP waits 3, sent on to KK (same agency), waits 5 there, served 10 at L1
    ticket(
        NOV_24,
        ("issued", "07:20", KTP, None, None),
        ("called", "07:23", KTP, L1, BUDI),
        ("transferred", "07:25", KK, L1, BUDI),
        ("called", "07:30", KK, L1, BUDI),
        ("completed", "07:40", KK, L1, BUDI),
    ),
    # T4 KTP waits 5 at L2 (nobody signed in), sent on to Samsat's PKB, waits 14, served 4 at L3
    ticket(
        NOV_24,
        ("issued", "07:30", KTP, None, None),
        ("called", "07:35", KTP, L2, None),
        ("transferred", "07:36", PKB, L2, None),
        ("called", "07:50", PKB, L3, SITI),
        ("completed", "07:54", PKB, L3, SITI),
    ),
    # T5 KTP still waiting
    ticket(NOV_24, ("issued", "08:00", KTP, None, None)),
    # T6 PKB cancelled before any call
    ticket(NOV_24, ("issued", "08:05", PKB, None, None), ("cancelled", "08:06", PKB, None, None)),
]
# Monday 23 November: one KK visitor, waits 20 (past its 10-minute target), served 5
MONDAY = ticket(
    NOV_23,
    ("issued", "14:00", KK, None, None),
    ("called", "14:20", KK, L1, BUDI),
    ("completed", "14:25", KK, L1, BUDI),
)


def report(
    group: str, period: str = "day", services: set[int] | None = None, monday: bool = False
) -> PerformanceReport:
    grouping = Grouping(group, AGENCIES, TARGETS, services)
    built = PerformanceReport(grouping, period, NOV_23, NOV_25, WIB)
    if monday:
        built.add(NOV_23, MONDAY)
    for record in DAY:
        built.add(NOV_24, record)
    return built


def counts(built: PerformanceReport) -> dict:
    """Each group's (arrivals, served, no-shows, transferred, cancelled, open) over the range."""
    return {
        row.group: (
            row.figures.arrivals,
            row.figures.served,
            row.figures.no_shows,
            row.figures.transferred,
            row.figures.cancelled,
            row.figures.open,
        )
        for row in built.totals()
    }


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("all", {None: (6, 3, 1, 0, 1, 1)}),
        ("agency", {DUKCAPIL: (5, 2, 1, 1, 0, 1), SAMSAT: (2, 1, 0, 0, 1, 0)}),
        ("service", {KTP: (4, 1, 0, 2, 0, 1), KK: (2, 1, 1, 0, 0, 0), PKB: (2, 1, 0, 0, 1, 0)}),
        (
            "counter",
            {
                L1: (3, 2, 1, 0, 0, 0),
                L2: (1, 0, 0, 1, 0, 0),
                L3: (1, 1, 0, 0, 0, 0),
                None: (2, 0, 0, 0, 1, 1),
            },
        ),
        ("officer", {BUDI: (3, 2, 1, 0, 0, 0), SITI: (1, 1, 0, 0, 0, 0), None: (3, 0, 0, 1, 1, 1)}),
    ],
)
def test_a_stay_arrives_once_and_ends_once_in_each_group(group: str, expected: dict) -> None:
    assert counts(report(group)) == expected


def test_each_service_has_its_waits_service_times_and_compliance() -> None:
    figures = {row.group: row.figures for row in report("service").totals()}
    ktp, kk, pkb = figures[KTP], figures[KK], figures[PKB]
    assert (ktp.called, ktp.within, ktp.within_target) == (3, 2, 2 / 3)
    assert (ktp.wait_mean_s, ktp.wait_median_s, ktp.wait_p90_s) == (960, 300, 2400)
    assert (ktp.service_mean_s, ktp.service_median_s, ktp.service_p90_s) == (300, 300, 300)
    assert (ktp.no_show_rate, ktp.recalls) == (0.0, 0)
    assert (kk.wait_mean_s, kk.wait_median_s, kk.wait_p90_s, kk.within_target) == (
        210,
        210,
        300,
        1.0,
    )
    assert (kk.service_mean_s, kk.no_show_rate, kk.recalls) == (600, 0.5, 1)
    assert (pkb.wait_mean_s, pkb.within_target, pkb.service_mean_s) == (840, 1.0, 240)


def test_an_agency_judges_each_wait_against_its_own_services_target() -> None:
    dukcapil = {row.group: row.figures for row in report("agency").totals()}[DUKCAPIL]
    assert (dukcapil.called, dukcapil.within, dukcapil.within_target) == (5, 4, 0.8)
    assert (dukcapil.wait_mean_s, dukcapil.wait_median_s, dukcapil.wait_p90_s) == (660, 300, 2400)


def test_the_whole_day_counts_every_ticket_once() -> None:
    total = report("service").total()
    assert (total.arrivals, total.served, total.no_shows, total.cancelled, total.open) == (
        6,
        3,
        1,
        1,
        1,
    )
    assert (total.called, total.within, total.recalls) == (6, 5, 1)
    assert total.no_show_rate == 0.25


def test_an_agencys_report_counts_a_visitor_sent_in_from_another_agency_as_an_arrival() -> None:
    samsat = report("service", services={PKB})
    assert counts(samsat) == {PKB: (2, 1, 0, 0, 1, 0)}
    assert samsat.heatmap()[1][7:9] == [1, 1]  # Tuesday 07:36 (the transfer) and 08:05
    assert sum(map(sum, samsat.heatmap())) == 2


def test_arrivals_are_mapped_by_local_weekday_and_hour() -> None:
    heatmap = report("all", monday=True).heatmap()
    assert (len(heatmap), {len(hours) for hours in heatmap}) == (7, {24})
    assert heatmap[1][6:9] == [1, 3, 2]  # Tuesday: 06:30 WIB, not 23:30 on Monday
    assert heatmap[0][14] == 1  # Monday 14:00
    assert sum(map(sum, heatmap)) == 7


def test_rows_are_per_group_and_day_and_the_trend_has_every_day_of_the_range() -> None:
    built = report("service", monday=True)
    assert [(row.group, row.period) for row in built.rows()] == [
        (KTP, NOV_24),
        (KK, NOV_23),
        (KK, NOV_24),
        (PKB, NOV_24),
    ]
    trend = [(row.period, row.figures.called, row.figures.within_target) for row in built.trend()]
    assert trend == [(NOV_23, 1, 0.0), (NOV_24, 6, 5 / 6), (NOV_25, 0, None)]


def test_a_week_gathers_its_days_from_monday() -> None:
    built = report("service", period="week", monday=True)
    kk = [row for row in built.rows() if row.group == KK]
    assert [(row.period, row.figures.arrivals, row.figures.served) for row in kk] == [
        (NOV_23, 3, 2)
    ]
    [week] = built.trend()
    assert (week.period, week.figures.arrivals, week.figures.within) == (NOV_23, 7, 5)


def test_a_late_no_show_who_is_served_after_all_counts_as_served() -> None:
    late = ticket(
        NOV_24,
        ("issued", "09:00", KTP, None, None),
        ("called", "09:05", KTP, L1, BUDI),
        ("no_show", "09:08", KTP, L1, BUDI),
        ("resumed", "09:15", KTP, L1, BUDI),
        ("called", "09:16", KTP, L1, BUDI),
        ("completed", "09:20", KTP, L1, BUDI),
    )
    built = PerformanceReport(Grouping("all", AGENCIES, TARGETS), "day", NOV_24, NOV_24, WIB)
    built.add(NOV_24, late)
    total = built.total()
    assert (total.arrivals, total.served, total.no_shows, total.wait_mean_s) == (1, 1, 0, 300)


@pytest.mark.parametrize(
    ("day", "period", "start", "end", "label"),
    [
        (NOV_24, "day", NOV_24, NOV_24, "2026-11-24"),
        (NOV_24, "week", NOV_23, date(2026, 11, 29), "2026-W48"),
        (NOV_24, "month", date(2026, 11, 1), date(2026, 11, 30), "2026-11"),
        (date(2027, 1, 1), "week", date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
        (date(2028, 2, 10), "month", date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
        (date(2026, 12, 31), "month", date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
    ],
)
def test_a_day_falls_in_its_day_iso_week_and_month(
    day: date, period: str, start: date, end: date, label: str
) -> None:
    assert period_start(day, period) == start
    assert (period_end(start, period), period_label(start, period)) == (end, label)


def test_the_periods_of_a_range_include_the_partial_ones_at_either_end() -> None:
    assert periods(date(2026, 11, 25), date(2026, 12, 8), "week") == [
        NOV_23,
        date(2026, 11, 30),
        date(2026, 12, 7),
    ]
    assert periods(date(2026, 11, 30), date(2027, 1, 1), "month") == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert len(periods(NOV_23, NOV_23 + timedelta(days=6), "day")) == 7


def test_unknown_groups_and_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="group"):
        Grouping("planet", AGENCIES, TARGETS)
    with pytest.raises(ValueError, match="period"):
        period_start(NOV_24, "fortnight")
