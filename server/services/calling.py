"""Calling visitors to a counter: the next one by the hall's fair order, or a named one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.calendar import day_bounds, service_day
from server.domain.errors import InvalidInput, NotFound, WrongState
from server.domain.routing import Choice, Policy, ServiceMode, choose_next
from server.domain.tickets import EventKind, TicketStatus, require_status
from server.models import Counter, Ticket
from server.services import queue, rooms, voice
from server.services.context import Context
from server.services.events import (
    counter_brief,
    counter_state,
    current_number,
    locked_counter,
    record_event,
)
from server.services.presenters import stamp, ticket_json
from server.services.publisher import Outbox
from server.services.settings import settings

CLAIM_ATTEMPTS = 20
OUT_OF_TURN = ("Dipanggil khusus", "Called out of turn")  # then ": " and the officer's reason
CALL_SETTINGS = {"hall_priority_ratio": 2, "hall_max_wait_minutes": 30, **voice.NUMBERS_SETTING}


def call_next(
    session: Session, ctx: Context, counter_id: int, officer_id: int | None = None
) -> dict[str, Any] | None:
    """Claim the next waiting ticket for a counter; None when nobody waits."""
    now, outbox = ctx.now(), Outbox()
    day = service_day(now, ctx.zone)
    with write_transaction(session):
        counter = ready_to_call(session, counter_id, officer_id)
        hall = settings(session, CALL_SETTINGS)
        claimed = _claim_next(session, counter, now, day, ctx, routing_policy(hall, counter))
        if claimed is None:
            return None
        ticket, choice = claimed
        digits = voice.numbers_as_digits(hall)
        view = _announce_call(session, ctx, outbox, ticket, counter, officer_id, choice, digits)
    outbox.send(ctx.publisher)
    return view


def call_ticket(
    session: Session,
    ctx: Context,
    counter_id: int,
    ticket_id: int,
    reason: str,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """Call one particular waiting ticket out of turn; the reason goes into the log."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "reason_required",
            "Tuliskan alasan memanggil nomor ini di luar urutan.",
            "Give a reason for calling this number out of turn.",
        )
    now, outbox = ctx.now(), Outbox()
    with write_transaction(session):
        counter = ready_to_call(session, counter_id, officer_id)
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
        _require_callable_here(ticket, counter)
        if _claim(session, ticket.id, counter, now) is None:
            session.refresh(ticket)
            require_status(TicketStatus(ticket.status), frozenset({TicketStatus.WAITING}), "call")
            raise WrongState("queue_busy", "Antrean sedang sibuk, coba lagi.", "Busy, try again.")
        choice = Choice(ticket.id, f"{OUT_OF_TURN[0]}: {reason}", f"{OUT_OF_TURN[1]}: {reason}")
        digits = voice.reads_digits(session)
        view = _announce_call(session, ctx, outbox, ticket, counter, officer_id, choice, digits)
    outbox.send(ctx.publisher)
    return view


def ready_to_call(session: Session, counter_id: int, officer_id: int | None) -> Counter:
    """The counter, locked, if it may call now: open, serving something, free, and the officer's."""
    counter = locked_counter(session, counter_id)
    if counter is None:
        raise NotFound("counter_not_found", "Loket tidak ditemukan.", "Counter not found.")
    require_officer(counter, officer_id)
    if not counter.service_ids:
        raise InvalidInput(
            "counter_serves_nothing",
            f"{counter.name} belum melayani layanan apa pun. Hubungi admin.",
            f"{counter.name} serves no service yet. Ask an administrator.",
        )
    if counter.status != "open":
        on_break = counter.status == "break"
        raise WrongState(
            f"counter_{counter.status}",
            f"{counter.name} sedang {'istirahat' if on_break else 'tutup'}. Buka loket dulu.",
            f"{counter.name} is {'on a break' if on_break else 'closed'}. Open it first.",
        )
    active = current_number(session, counter.id)
    if active is not None:
        raise WrongState(
            "counter_busy",
            f"Selesaikan, alihkan atau tandai tidak hadir {active} dulu.",
            f"Complete, transfer or mark {active} no-show first.",
        )
    return counter


def require_officer(counter: Counter, officer_id: int | None) -> None:
    """Refuse an officer acting at a counter someone else has opened."""
    if officer_id is None or counter.officer_id in (None, officer_id):
        return
    holder = counter.officer.name if counter.officer else "petugas lain"
    raise WrongState(
        "counter_taken",
        f"{counter.name} sedang dibuka oleh {holder}.",
        f"{counter.name} is open under {holder}.",
    )


def routing_policy(hall: Mapping[str, Any], counter: Counter) -> Policy:
    """The hall's priority rules (from settings read with `CALL_SETTINGS`) with this counter's
    service mode and weights."""
    return Policy(
        priority_ratio=int(hall["hall_priority_ratio"]),
        max_wait=timedelta(minutes=float(hall["hall_max_wait_minutes"])),
        mode=ServiceMode(counter.mode),
        weights={link.service_id: link.weight for link in counter.links},
    )


def _claim_next(
    session: Session, counter: Counter, now: datetime, day: date, ctx: Context, policy: Policy
) -> tuple[Ticket, Choice] | None:
    """Choose by the fair order and claim with one conditional UPDATE; choose again if beaten."""
    recent = queue.recent_calls(session, counter.id, day_bounds(day, ctx.zone)[0])
    for _attempt in range(CLAIM_ATTEMPTS):
        heads = queue.queue_heads(session, counter.service_ids, day, counter.id)
        choice = choose_next(heads, counter.service_ids, now, policy, recent)
        if choice is None:
            return None
        ticket = _claim(session, choice.ticket_id, counter, now)
        if ticket is not None:
            return ticket, choice
    raise WrongState(
        "queue_busy", "Antrean sedang sibuk, coba lagi.", "The queue is busy, try again."
    )


# One prepared UPDATE takes a waiting ticket for a counter and returns it as it now is.
CLAIM = (
    update(Ticket)
    .where(Ticket.id == bindparam("ticket"), Ticket.status == TicketStatus.WAITING)
    .values(
        status=TicketStatus.CALLED,
        counter_id=bindparam("counter"),
        called_at=bindparam("now"),
        recall_count=0,
        target_counter_id=None,
    )
    .returning(Ticket)
    .execution_options(synchronize_session=False, populate_existing=True)
)


def _claim(session: Session, ticket_id: int, counter: Counter, now: datetime) -> Ticket | None:
    """Take a waiting ticket for this counter, and have it as it now is; None if it is no
    longer waiting."""
    params = {"ticket": ticket_id, "counter": counter.id, "now": now}
    return session.scalars(CLAIM, params).first()


def _require_callable_here(ticket: Ticket, counter: Counter) -> None:
    if ticket.service_id not in counter.service_ids and ticket.target_counter_id != counter.id:
        raise WrongState(
            "not_this_counters_service",
            f"{ticket.number} bukan layanan {counter.name}.",
            f"{ticket.number} is not a service of {counter.name}.",
        )
    if ticket.target_counter_id not in (None, counter.id):
        raise WrongState(
            "ticket_for_other_counter",
            f"{ticket.number} dialihkan ke loket lain.",
            f"{ticket.number} was transferred to another counter.",
        )


def _announce_call(
    session: Session,
    ctx: Context,
    outbox: Outbox,
    ticket: Ticket,
    counter: Counter,
    officer_id: int | None,
    choice: Choice,
    digits: bool,
) -> dict[str, Any]:
    reason, now = {"reason": {"id": choice.reason_id, "en": choice.reason_en}}, ctx.now()
    event_id = record_event(
        session, ticket, EventKind.CALLED, now, counter, officer_id, json.dumps(reason)
    )
    view = {**ticket_json(ticket, ctx), "reason": choice.reason_id, "reason_en": choice.reason_en}
    call = {
        "ticket": view,
        "counter": counter_brief(counter),
        "call_id": event_id,
        "spoken": voice.spoken_call(ticket.number, counter.name, digits),
        "at": stamp(now, ctx),
    }
    outbox.add("ticket_called", call, rooms.for_ticket_call(ticket, counter))
    state = counter_state(counter, ticket, ctx)
    outbox.add("counter_changed", {"counter": state}, rooms.for_counter_after_call(counter))
    queue.announce_queue(session, ctx, outbox, ticket.service_id, ticket.service_day)
    return view
