"""Who is next at a counter, and how long a visitor waits."""

from datetime import UTC, datetime, timedelta

import pytest

from server.domain.estimates import estimate_wait_s, mean_service_seconds
from server.domain.routing import Candidate, choose_next

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def candidate(ticket_id: int, service_id: int, minutes: float) -> Candidate:
    return Candidate(ticket_id, service_id, T0 + timedelta(minutes=minutes))


def test_nobody_waiting_means_no_choice() -> None:
    assert choose_next([], [1, 2]) is None


def test_earliest_arrival_across_the_counters_services_is_next() -> None:
    choice = choose_next([candidate(10, 1, 5), candidate(11, 2, 3)], [1, 2])
    assert choice is not None and choice.ticket_id == 11
    assert choice.reason_id == "Kedatangan paling awal"


def test_a_tie_goes_to_the_service_listed_first_for_the_counter() -> None:
    tied = [candidate(20, 1, 5), candidate(21, 2, 5)]
    assert choose_next(tied, [2, 1]).ticket_id == 21  # type: ignore[union-attr]
    assert choose_next(tied, [1, 2]).ticket_id == 20  # type: ignore[union-attr]


def test_estimate_divides_the_work_ahead_among_serving_counters() -> None:
    assert estimate_wait_s(0, 300, 2) == 0
    assert estimate_wait_s(4, 300, 2) == 600
    assert estimate_wait_s(3, 250, 1) == 750


def test_no_estimate_when_no_counter_serves() -> None:
    assert estimate_wait_s(3, 300, 0) is None


def test_negative_people_ahead_is_a_bug() -> None:
    with pytest.raises(ValueError):
        estimate_wait_s(-1, 300, 1)


def test_mean_service_time_uses_recent_services_or_the_default() -> None:
    assert mean_service_seconds([], 300) == 300
    assert mean_service_seconds([120, 240], 300) == 180
    assert mean_service_seconds([0, 0], 300) == 300  # instant completions carry no information
