"""The dashboard's live figures: who still waits uncalled, for how long, and what counters do."""

from datetime import UTC, datetime, timedelta

import pytest

from server.domain.dashboard import (
    activity_counts,
    counter_activity,
    served_at_counters,
    service_today,
    waiting_since,
    within_targets,
)
from server.domain.stats import Step, ticket_record

OPEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 WIB
KTP, PKB = 1, 2


def at(minutes: float) -> datetime:
    return OPEN + timedelta(minutes=minutes)


def record(*events: tuple):
    """(kind, minute, service, counter) tuples → the ticket's record."""
    return ticket_record(
        [Step(kind, at(minute), service, counter) for kind, minute, service, counter in events]
    )


def test_a_visitor_waits_uncalled_from_the_issue_or_from_a_transfer() -> None:
    assert waiting_since(record(("issued", 0, KTP, None))) == at(0)
    moved = record(("issued", 0, KTP, None), ("called", 4, KTP, 1), ("transferred", 6, PKB, 1))
    assert waiting_since(moved) == at(6)


@pytest.mark.parametrize(
    "events",
    [
        (("called", 4, KTP, 1),),
        (("called", 4, KTP, 1), ("held", 5, KTP, 1), ("resumed", 7, KTP, 1)),
        (("called", 4, KTP, 1), ("no_show", 8, KTP, 1), ("resumed", 9, KTP, None)),
        (("called", 4, KTP, 1), ("completed", 9, KTP, 1)),
        (("cancelled", 2, KTP, None),),
    ],
)
def test_a_visitor_already_called_or_gone_is_not_waiting_uncalled(events: tuple) -> None:
    assert waiting_since(record(("issued", 0, KTP, None), *events)) is None


def test_the_longest_wait_is_the_oldest_uncalled_visitor_and_an_alert_past_the_target() -> None:
    today = service_today([], 3, [at(10), at(2), at(7)], target_s=900, now=at(17))
    assert (today.waiting, today.waiting_since, today.longest_wait_s) == (3, at(2), 900.0)
    assert today.over_target is False  # exactly at the target is still within it
    later = service_today([], 3, [at(2)], target_s=900, now=at(17.5))
    assert (later.longest_wait_s, later.over_target) == (930.0, True)
    empty = service_today([], 0, [], target_s=900, now=at(17))
    assert (empty.waiting_since, empty.longest_wait_s, empty.over_target) == (None, None, False)


def test_within_target_judges_each_wait_by_its_own_service() -> None:
    visits = [
        *record(("issued", 0, KTP, None), ("called", 10, KTP, 1)).visits,  # 10 min ≤ 15
        *record(("issued", 0, PKB, None), ("called", 10, PKB, 3)).visits,  # 10 min > 5
        *record(("issued", 0, PKB, None)).visits,  # not called yet: not judged
    ]
    assert within_targets(visits, {KTP: 900, PKB: 300}) == 0.5
    assert within_targets([], {KTP: 900}) is None


def test_counters_are_open_serving_on_a_break_or_closed() -> None:
    assert [
        counter_activity("open", False),
        counter_activity("open", True),
        counter_activity("break", False),
        counter_activity("closed", False),
    ] == ["open", "serving", "break", "closed"]
    assert activity_counts(["open", "open", "break"]) == {
        "open": 2,
        "serving": 0,
        "break": 1,
        "closed": 0,
    }


def test_served_counts_completed_visits_where_they_were_completed() -> None:
    visits = [
        *record(("issued", 0, KTP, None), ("called", 1, KTP, 1), ("completed", 5, KTP, 1)).visits,
        *record(
            ("issued", 0, KTP, None),
            ("called", 1, KTP, 1),
            ("transferred", 2, PKB, 1),
            ("called", 3, PKB, 3),
            ("completed", 6, PKB, 3),
        ).visits,
        *record(("issued", 0, KTP, None), ("called", 1, KTP, 2), ("no_show", 3, KTP, 2)).visits,
    ]
    assert served_at_counters(visits) == {1: 1, 3: 1}
