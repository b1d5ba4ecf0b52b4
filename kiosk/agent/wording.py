"""What a ticket says, in Bahasa Indonesia (the default) and English."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from kiosk.agent.job import Language


@dataclass(frozen=True)
class Wording:
    """The labels and units of one ticket language."""

    number: str
    priority: str
    reprint: str
    issued: str
    ahead: str
    wait: str
    scan: str
    next_up: str
    one_person: str
    people: str
    under_a_minute: str
    minutes: str
    hours: str
    time_separator: str
    months: tuple[str, ...]


INDONESIAN = Wording(
    number="NOMOR ANTREAN",
    priority="PRIORITAS",
    reprint="CETAK ULANG",
    issued="Waktu",
    ahead="Di depan Anda",
    wait="Perkiraan tunggu",
    scan="Pindai kode QR untuk memantau antrean Anda.",
    next_up="Anda berikutnya",
    one_person="1 orang",
    people="{count} orang",
    under_a_minute="< 1 menit",
    minutes="{count} menit",
    hours="{count} jam",
    time_separator=".",
    months=("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
)

ENGLISH = Wording(
    number="QUEUE NUMBER",
    priority="PRIORITY",
    reprint="REPRINT",
    issued="Time",
    ahead="Ahead of you",
    wait="Estimated wait",
    scan="Scan the QR code to follow your queue.",
    next_up="You are next",
    one_person="1 person",
    people="{count} people",
    under_a_minute="< 1 min",
    minutes="{count} min",
    hours="{count} h",
    time_separator=":",
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
)


def wording_for(lang: Language) -> Wording:
    """Return the wording of a job's language."""
    return ENGLISH if lang == "en" else INDONESIAN


def local_time_text(moment: datetime, wording: Wording) -> str:
    """Format a time in its own offset, e.g. `23 Nov 2026 09.15` (id) or `09:15` (en)."""
    month = wording.months[moment.month - 1]
    clock = f"{moment.hour:02d}{wording.time_separator}{moment.minute:02d}"
    return f"{moment.day} {month} {moment.year} {clock}"


def ahead_text(count: int, wording: Wording) -> str:
    """Say how many visitors are ahead, e.g. `3 orang`."""
    if count == 0:
        return wording.next_up
    if count == 1:
        return wording.one_person
    return wording.people.format(count=count)


def wait_text(seconds: float | None, wording: Wording) -> str:
    """Say the estimated wait in whole minutes, coarser when long; `-` when unknown."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return wording.under_a_minute
    minutes = rounded_wait_minutes(seconds)
    hours, rest = divmod(minutes, 60)
    parts = [wording.hours.format(count=hours)] if hours else []
    if rest:
        parts.append(wording.minutes.format(count=rest))
    return " ".join(parts)


def rounded_wait_minutes(seconds: float) -> int:
    """Round a wait up to the minute, and up to 5 minutes beyond a quarter of an hour."""
    minutes = math.ceil(seconds / 60)
    if minutes <= 15:
        return minutes
    return math.ceil(minutes / 5) * 5
