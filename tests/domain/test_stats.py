"""Statistics from the event log, checked on a day whose answers are known exactly."""

from datetime import UTC, datetime, timedelta

import pytest

from server.domain.stats import Step, percentile, summarize, ticket_record

OPEN = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 WIB
KTP, KK = 1, 2


def at(minutes: float) -> datetime:
    return OPEN + timedelta(minutes=minutes)


def steps(*events: tuple) -> list[Step]:
    """(kind, minute, service, counter) tuples → steps."""
    return [
        Step(kind, at(minute), service, counter, 7 if counter else None)
        for kind, minute, service, counter in events
    ]


# A day of five KTP tickets with known waits and service times (minutes):
DAY = [
    # served: wait 5, service 10 (started at the call + 1)
    steps(
        ("issued", 0, KTP, None),
        ("called", 5, KTP, 1),
        ("serving", 6, KTP, 1),
        ("completed", 16, KTP, 1),
    ),
    # served without "start": wait 10, service 4 (from the call)
    steps(("issued", 2, KTP, None), ("called", 12, KTP, 2), ("completed", 16, KTP, 2)),
    # recalled twice, then no-show: wait 20
    steps(
        ("issued", 3, KTP, None),
        ("called", 23, KTP, 1),
        ("recalled", 24, KTP, 1),
        ("recalled", 25, KTP, 1),
        ("no_show", 26, KTP, 1),
    ),
    # transferred to KK after serving 3 minutes; served at KK: KTP wait 30; KK wait 15, service 6
    steps(
        ("issued", 4, KTP, None),
        ("called", 34, KTP, 2),
        ("serving", 35, KTP, 2),
        ("transferred", 38, KK, 2),
        ("called", 53, KK, 3),
        ("serving", 53, KK, 3),
        ("completed", 59, KK, 3),
    ),
    # still waiting at closing
    steps(("issued", 50, KTP, None)),
]


def test_a_served_ticket_has_its_wait_and_service_time() -> None:
    record = ticket_record(DAY[0])
    assert (record.wait_s, record.service_s, record.outcome) == (300, 600, "done")
    assert (record.counter_id, record.officer_id) == (1, 7)


def test_service_time_counts_from_the_call_when_the_officer_never_pressed_start() -> None:
    assert ticket_record(DAY[1]).service_s == 240


def test_a_no_show_counts_its_recalls_and_has_no_service_time() -> None:
    record = ticket_record(DAY[2])
    assert (record.outcome, record.recalls, record.wait_s, record.service_s) == (
        "no_show",
        2,
        1200,
        None,
    )


def test_a_transfer_makes_two_visits_and_keeps_the_original_arrival() -> None:
    record = ticket_record(DAY[3])
    ktp, kk = record.visits
    assert (record.transfers, record.outcome, record.wait_s) == (1, "done", 1800)
    assert (ktp.service_id, ktp.outcome, ktp.wait_s, ktp.service_s) == (
        KTP,
        "transferred",
        1800,
        None,
    )
    assert (kk.service_id, kk.outcome, kk.wait_s, kk.service_s) == (KK, "done", 900, 360)
    assert record.issued_at == at(4) and record.completed_at == at(59)


def test_a_late_no_show_that_returns_is_open_again() -> None:
    record = ticket_record(
        steps(
            ("issued", 0, KTP, None),
            ("called", 1, KTP, 1),
            ("no_show", 2, KTP, 1),
            ("resumed", 5, KTP, None),
        )
    )
    assert record.outcome == "open"


def test_the_days_summary_for_ktp() -> None:
    ktp_visits = [
        visit for events in DAY for visit in ticket_record(events).visits if visit.service_id == KTP
    ]
    summary = summarize(ktp_visits, target_s=15 * 60)
    assert (summary.visits, summary.served, summary.no_shows, summary.waiting_or_open) == (
        5,
        2,
        1,
        1,
    )
    # waits of the four called visits: 5, 10, 20, 30 minutes
    assert summary.wait_mean_s == pytest.approx(16.25 * 60)
    assert summary.wait_median_s == 15 * 60
    assert summary.wait_p90_s == 30 * 60
    assert (summary.service_mean_s, summary.service_median_s) == (420, 420)  # 10 and 4 minutes
    assert summary.within_target == 0.5  # 5 and 10 minutes are within 15
    assert summary.no_show_rate == pytest.approx(1 / 3)


def test_an_empty_group_has_counts_but_no_averages() -> None:
    summary = summarize([], target_s=600)
    assert (summary.visits, summary.wait_mean_s, summary.within_target, summary.no_show_rate) == (
        0,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(("share", "expected"), [(0.5, 3), (0.9, 5), (0.1, 1), (1.0, 5), (0.0, 1)])
def test_nearest_rank_percentile(share: float, expected: int) -> None:
    assert percentile([5, 1, 4, 2, 3], share) == expected


def test_events_must_start_with_the_issue() -> None:
    with pytest.raises(ValueError):
        ticket_record(steps(("called", 1, KTP, 1)))
