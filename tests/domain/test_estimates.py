"""How long a visitor waits."""

import pytest

from server.domain.estimates import estimate_wait_s, mean_service_seconds


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
