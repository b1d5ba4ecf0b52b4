"""The service day and opening hours, in the hall's own time zone."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

Hours = dict[str, list[tuple[time, time]]]


def service_day(instant: datetime, zone: tzinfo) -> date:
    """The local calendar day of an aware instant in the hall's time zone."""
    return instant.astimezone(zone).date()


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The aware start and end instants of a local day."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def parse_hours(spec: Mapping[str, str | list[str]]) -> Hours:
    """Parse `{"mon-thu": "08:00-15:00", "fri": ["08:00-11:30", "13:00-15:00"]}`."""
    hours: Hours = {day: [] for day in WEEKDAYS}
    for days, ranges in spec.items():
        for day in _expand_days(days):
            for text in [ranges] if isinstance(ranges, str) else ranges:
                hours[day].append(_parse_range(text))
    for day_ranges in hours.values():
        day_ranges.sort()
    return hours


def _expand_days(days: str) -> list[str]:
    if days in ("daily", "every day"):
        return list(WEEKDAYS)
    first, _, last = days.strip().lower().partition("-")
    if first not in WEEKDAYS or (last and last not in WEEKDAYS):
        raise ValueError(f"unknown day range {days!r}; use mon..sun, e.g. 'mon-fri'")
    start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
    if end < start:
        raise ValueError(f"day range {days!r} runs backwards")
    return list(WEEKDAYS[start : end + 1])


def _parse_range(text: str) -> tuple[time, time]:
    match = _RANGE.match(text.strip())
    if not match:
        raise ValueError(f"opening hours {text!r} must look like '08:00-15:00'")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    opens = time(h1, m1)
    closes = time(23, 59, 59, 999999) if (h2, m2) == (24, 0) else time(h2, m2)
    if closes <= opens:
        raise ValueError(f"opening hours {text!r} close before they open")
    return opens, closes


def hours_to_json(hours: Hours) -> dict[str, list[str]]:
    """Hours as plain strings, for storage."""
    return {
        day: [
            f"{o:%H:%M}-{'24:00' if c.hour == 23 and c.minute == 59 else f'{c:%H:%M}'}"
            for o, c in r
        ]
        for day, r in hours.items()
        if r
    }


@dataclass(frozen=True)
class Availability:
    """Whether a service takes tickets now, and why not."""

    open: bool
    reason: str | None = None
    message_id: str | None = None
    message_en: str | None = None


OPEN = Availability(True)


def availability(
    hours: Hours, quota: int | None, issued_today: int, now_local: datetime, enabled: bool = True
) -> Availability:
    """Decide whether a service can issue a ticket at `now_local`."""
    if not enabled:
        return Availability(False, "disabled", "Layanan tidak tersedia", "Service unavailable")
    if not is_within_hours(hours, now_local):
        return _outside_hours(hours, now_local)
    if quota is not None and issued_today >= quota:
        return Availability(
            False, "quota_reached", "Kuota hari ini habis", "Today's quota has been reached"
        )
    return OPEN


def is_within_hours(hours: Hours, now_local: datetime) -> bool:
    """True when `now_local` falls inside one of the day's opening ranges."""
    clock = now_local.time().replace(tzinfo=None)
    ranges = hours.get(WEEKDAYS[now_local.weekday()], [])
    return any(opens <= clock <= closes for opens, closes in ranges)


def _outside_hours(hours: Hours, now_local: datetime) -> Availability:
    reopening = next_opening(hours, now_local)
    if reopening is None:
        return Availability(False, "outside_hours", "Layanan tutup", "Service closed")
    day_id, day_en = _day_words(reopening, now_local)
    at = f"{reopening:%H.%M}"
    return Availability(
        False,
        "outside_hours",
        f"Tutup. Buka kembali {day_id} pukul {at}",
        f"Closed. Opens again {day_en} at {reopening:%H:%M}",
    )


def next_opening(hours: Hours, now_local: datetime) -> datetime | None:
    """The next local instant, within a week, at which the service opens."""
    for offset in range(8):
        day = now_local.date() + timedelta(days=offset)
        for opens, _closes in hours.get(WEEKDAYS[day.weekday()], []):
            candidate = datetime.combine(day, opens, tzinfo=now_local.tzinfo)
            if candidate > now_local:
                return candidate
    return None


def _day_words(reopening: datetime, now_local: datetime) -> tuple[str, str]:
    days_ahead = (reopening.date() - now_local.date()).days
    if days_ahead == 0:
        return "hari ini", "today"
    if days_ahead == 1:
        return "besok", "tomorrow"
    weekday = reopening.weekday()
    return f"hari {HARI[weekday]}", f"on {reopening:%A}"
