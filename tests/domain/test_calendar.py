"""Service day and opening hours, in the hall's time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from server.domain.calendar import (
    availability,
    day_bounds,
    hours_to_json,
    is_within_hours,
    next_opening,
    parse_hours,
    service_day,
)

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
OFFICE = parse_hours({"mon-thu": "08:00-15:00", "fri": ["08:00-11:30", "13:00-15:00"]})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in the week of Monday 23 November 2026 (WIB)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def test_service_day_is_the_local_date_not_the_utc_date() -> None:
    late_utc = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 01:30 on the 24th in Jakarta
    assert service_day(late_utc, WIB) == date(2026, 11, 24)
    assert service_day(datetime(2026, 11, 23, 14, 59, tzinfo=UTC), WIT) == date(2026, 11, 23)
    assert service_day(datetime(2026, 11, 23, 15, 0, tzinfo=UTC), WIT) == date(2026, 11, 24)


def test_day_bounds_cover_the_local_day() -> None:
    start, end = day_bounds(date(2026, 11, 23), WIB)
    assert start.astimezone(UTC) == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == 24 * 3600


def test_day_ranges_expand_and_friday_has_a_prayer_break() -> None:
    assert OFFICE["mon"] == OFFICE["thu"] == [(time(8), time(15))]
    assert OFFICE["fri"] == [(time(8), time(11, 30)), (time(13), time(15))]
    assert OFFICE["sat"] == OFFICE["sun"] == []


@pytest.mark.parametrize(
    ("local", "inside"),
    [
        (at(23, 7, 59), False),
        (at(23, 8, 0), True),
        (at(23, 15, 0), True),
        (at(23, 15, 1), False),
        (at(27, 12, 0), False),  # Friday prayer
        (at(27, 13, 0), True),
        (at(28, 9, 0), False),  # Saturday
    ],
)
def test_within_hours(local: datetime, inside: bool) -> None:
    assert is_within_hours(OFFICE, local) is inside


def test_closed_service_says_when_it_opens_again() -> None:
    evening = availability(OFFICE, None, 0, at(23, 16))
    assert not evening.open and evening.reason == "outside_hours"
    assert evening.message_id == "Tutup. Buka kembali besok pukul 08.00"
    assert evening.message_en == "Closed. Opens again tomorrow at 08:00"
    friday_noon = availability(OFFICE, None, 0, at(27, 12))
    assert friday_noon.message_id == "Tutup. Buka kembali hari ini pukul 13.00"
    saturday = availability(OFFICE, None, 0, at(28, 9))
    assert saturday.message_id == "Tutup. Buka kembali hari Senin pukul 08.00"


def test_quota_closes_a_service_that_is_within_hours() -> None:
    assert availability(OFFICE, 2, 1, at(23, 9)).open
    full = availability(OFFICE, 2, 2, at(23, 9))
    assert (full.open, full.reason) == (False, "quota_reached")


def test_disabled_service_is_closed_whatever_the_hour() -> None:
    assert availability(OFFICE, None, 0, at(23, 9), enabled=False).reason == "disabled"


def test_hours_without_any_range_never_open() -> None:
    assert next_opening(parse_hours({}), at(23, 9)) is None
    assert availability(parse_hours({}), None, 0, at(23, 9)).message_id == "Layanan tutup"


def test_around_the_clock_and_round_trip_to_json() -> None:
    always = parse_hours({"daily": "00:00-24:00"})
    assert is_within_hours(always, at(23, 23, 59))
    assert hours_to_json(always)["sun"] == ["00:00-24:00"]
    assert parse_hours(hours_to_json(OFFICE)) == OFFICE


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"mon": "8-15"}, "must look like"),
        ({"funday": "08:00-15:00"}, "unknown day"),
        ({"fri-mon": "08:00-15:00"}, "runs backwards"),
        ({"mon": "15:00-08:00"}, "close before they open"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(spec: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_hours(spec)
