"""Dates, waits and people ahead, as a visitor reads them on the ticket."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.agent.wording import (
    ENGLISH,
    INDONESIAN,
    ahead_text,
    local_time_text,
    rounded_wait_minutes,
    wait_text,
)

WIB = timezone(timedelta(hours=7))


def test_indonesian_time_uses_indonesian_months_and_a_dot():
    assert local_time_text(datetime(2026, 11, 23, 9, 15, 4, tzinfo=WIB), INDONESIAN) == (
        "23 Nov 2026 09.15"
    )
    assert (
        local_time_text(datetime(2026, 8, 17, 7, 5, tzinfo=WIB), INDONESIAN) == "17 Agu 2026 07.05"
    )


def test_english_time_uses_english_months_and_a_colon():
    assert local_time_text(datetime(2026, 5, 1, 14, 30, tzinfo=WIB), ENGLISH) == "1 May 2026 14:30"


def test_the_time_is_the_halls_own_local_time():
    issued_at = datetime.fromisoformat("2026-11-23T23:50:00+09:00")

    assert local_time_text(issued_at, INDONESIAN) == "23 Nov 2026 23.50"
    assert local_time_text(issued_at.astimezone(WIB), INDONESIAN) == "23 Nov 2026 21.50"


@pytest.mark.parametrize(
    ("seconds", "indonesian", "english"),
    [
        (None, "-", "-"),
        (0, "< 1 menit", "< 1 min"),
        (59, "< 1 menit", "< 1 min"),
        (60, "1 menit", "1 min"),
        (61, "2 menit", "2 min"),
        (540, "9 menit", "9 min"),
        (900, "15 menit", "15 min"),
        (901, "20 menit", "20 min"),
        (3600, "1 jam", "1 h"),
        (3700, "1 jam 5 menit", "1 h 5 min"),
    ],
)
def test_the_wait_is_said_in_rounded_minutes(seconds, indonesian, english):
    assert wait_text(seconds, INDONESIAN) == indonesian
    assert wait_text(seconds, ENGLISH) == english


@given(st.floats(min_value=60, max_value=86_400), st.floats(min_value=0, max_value=3_600))
def test_a_rounded_wait_never_promises_less_and_grows_with_the_wait(seconds, more):
    minutes = rounded_wait_minutes(seconds)

    assert minutes * 60 >= seconds
    assert rounded_wait_minutes(seconds + more) >= minutes


@pytest.mark.parametrize(
    ("count", "indonesian", "english"),
    [
        (0, "Anda berikutnya", "You are next"),
        (1, "1 orang", "1 person"),
        (3, "3 orang", "3 people"),
    ],
)
def test_people_ahead_are_counted_in_words_a_visitor_expects(count, indonesian, english):
    assert ahead_text(count, INDONESIAN) == indonesian
    assert ahead_text(count, ENGLISH) == english
