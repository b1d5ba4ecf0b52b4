"""A generated day of tickets whose report figures are known exactly, made with the use cases.

Tuesday 24 November 2026 in the test hall (every target 15 minutes), Budi at Loket 1, Siti at
Loket 3 (times WIB, UTC+7):

- A001 KTP issued 06:30 (23:30 UTC the day before), called 07:10 (waited 40 min, past the
  target), served 6 min; rated [4, 3, 3, 4, 3, 4, 4, 3, 3].
- B001 KK issued 07:16, called 07:18 (2 min), recalled, no-show at 07:19.
- A002 KTP issued 07:19, called 07:22 (3 min), transferred to Samsat's PKB; called there at 07:27
  by Siti (5 min), served 4 min; rated [3, 3, 2, 4, 3, 3, 4, 3, 3].
- A003 KTP issued 07:31, still waiting.

Around it, days that must not count on the 24th: Monday the 23rd at 15:00, a KTP ticket called
after 5 min and served 5 min by Budi (rated [4, 4, 3, 4, 4, 4, 4, 3, 4]); Wednesday the 25th at
06:00 (23:00 UTC on the 24th), a KTP ticket still waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Counter, Service
from server.services.calling import call_next
from server.services.context import Context
from server.services.counters import set_counter_status
from server.services.handling import (
    complete_ticket,
    mark_no_show,
    recall_ticket,
    start_serving,
    transfer_ticket,
)
from server.services.issuing import issue_ticket
from server.services.publisher import RecordingPublisher
from server.services.staff import create_user
from server.services.survey import submit_survey

WIB = ZoneInfo("Asia/Jakarta")
MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)
RATINGS = {
    "A001": [4, 3, 3, 4, 3, 4, 4, 3, 3],
    "A002": [3, 3, 2, 4, 3, 3, 4, 3, 3],
    "monday": [4, 4, 3, 4, 4, 4, 4, 3, 4],
}


class HandClock:
    """A clock set to local times of the hall by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, clock: str) -> None:
        hour, minute = (int(part) for part in clock.split(":"))
        self.now = datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB).astimezone(UTC)


@dataclass(frozen=True)
class Hall:
    """The ids the day's tickets use."""

    ktp: int
    kk: int
    pkb: int
    l1: int
    l3: int


def hall_ids(session: Session) -> Hall:
    services = dict(session.execute(select(Service.code, Service.id)).all())
    counters = dict(session.execute(select(Counter.code, Counter.id)).all())
    return Hall(services["ktp"], services["kk"], services["pkb"], counters["L1"], counters["L3"])


def make_report_day(session: Session) -> dict[str, dict]:
    """Build the three days in `session`'s database; the tickets by name."""
    clock = HandClock()
    ctx = Context(RecordingPublisher(), clock=clock, zone=WIB, public_url="http://hall.test")
    hall = hall_ids(session)
    budi = create_user(session, "budi", "Budi Santoso", "sandi-rahasia", "officer", clock())
    siti = create_user(session, "siti", "Siti Aminah", "sandi-rahasia", "officer", clock())
    tickets = {"monday": _monday(session, ctx, clock, hall, budi.id)}
    set_counter_status(session, ctx, hall.l3, "open", officer_id=siti.id)
    tickets |= _tuesday(session, ctx, clock, hall, budi.id, siti.id)
    clock.at(WEDNESDAY, "06:00")  # 23:00 UTC on Tuesday
    tickets["wednesday"] = issue_ticket(session, ctx, hall.ktp)
    for name in ("monday", "A001", "A002"):
        submit_survey(session, ctx, tickets[name]["token"], RATINGS[name], None)
    return tickets


def _monday(session: Session, ctx: Context, clock: HandClock, hall: Hall, budi: int) -> dict:
    clock.at(MONDAY, "15:00")
    set_counter_status(session, ctx, hall.l1, "open", officer_id=budi)
    ticket = issue_ticket(session, ctx, hall.ktp)
    clock.at(MONDAY, "15:05")
    call_next(session, ctx, hall.l1, budi)
    clock.at(MONDAY, "15:10")
    complete_ticket(session, ctx, ticket["id"], hall.l1, budi)
    return ticket


def _tuesday(
    session: Session, ctx: Context, clock: HandClock, hall: Hall, budi: int, siti: int
) -> dict[str, dict]:
    clock.at(TUESDAY, "06:30")
    early = issue_ticket(session, ctx, hall.ktp)
    clock.at(TUESDAY, "07:10")
    assert call_next(session, ctx, hall.l1, budi)["number"] == "A001"
    start_serving(session, ctx, early["id"], hall.l1, budi)
    clock.at(TUESDAY, "07:16")
    complete_ticket(session, ctx, early["id"], hall.l1, budi)
    recalled = issue_ticket(session, ctx, hall.kk)
    clock.at(TUESDAY, "07:18")
    assert call_next(session, ctx, hall.l1, budi)["number"] == "B001"
    recall_ticket(session, ctx, recalled["id"], hall.l1, budi)
    clock.at(TUESDAY, "07:19")
    mark_no_show(session, ctx, recalled["id"], hall.l1, budi)
    moved = issue_ticket(session, ctx, hall.ktp)
    clock.at(TUESDAY, "07:22")
    assert call_next(session, ctx, hall.l1, budi)["number"] == "A002"
    transfer_ticket(session, ctx, moved["id"], hall.l1, budi, to_service_id=hall.pkb)
    clock.at(TUESDAY, "07:27")
    assert call_next(session, ctx, hall.l3, siti)["id"] == moved["id"]
    clock.at(TUESDAY, "07:31")
    complete_ticket(session, ctx, moved["id"], hall.l3, siti)
    waiting = issue_ticket(session, ctx, hall.ktp)
    return {"A001": early, "B001": recalled, "A002": moved, "A003": waiting}
