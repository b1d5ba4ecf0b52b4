"""Personal data (UU PDP): a ticket needs none; free text typed later is purged after retention."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import String, Text, select

from server.extensions import db
from server.models import StaffEvent, SurveyResponse, Ticket, TicketEvent, User
from server.services import privacy
from server.services.calling import call_next, call_ticket
from server.services.context import Context
from server.services.counters import set_counter_status
from server.services.hall_config import load_hall, read_hall_file
from server.services.handling import complete_ticket, hold_ticket, resume_ticket, transfer_ticket
from server.services.issuing import issue_ticket
from server.services.settings import setting
from server.services.staff import create_user
from server.services.survey import submit_survey
from server.web.openapi import description
from tests.conftest import TEST_HALL, counter_id, service_id
from tests.services.conftest import Clock

# Every text column of the models, and why it is not personal data. A new text column must be
# added here or to `privacy.PLAIN_TEXTS` (purged after the retention period) — decide which.
NOT_PERSONAL = {
    "settings.key": "setting names",
    "agencies.code": "hall configuration",
    "agencies.name": "hall configuration",
    "agencies.name_en": "hall configuration",
    "zones.code": "hall configuration",
    "zones.name": "hall configuration",
    "services.code": "hall configuration",
    "services.prefix": "hall configuration",
    "services.name": "hall configuration",
    "services.name_en": "hall configuration",
    "users.username": "a staff account, kept while the account exists",
    "users.name": "a staff account, kept while the account exists",
    "users.password_hash": "a staff account, kept while the account exists",
    "users.role": "a staff account, kept while the account exists",
    "staff_events.kind": "attendance facts",
    "counters.code": "hall configuration",
    "counters.name": "hall configuration",
    "counters.status": "state",
    "counters.break_reason": "the current break only; kept in staff_events.detail, purged there",
    "counters.mode": "hall configuration",
    "tickets.token": "a random token",
    "tickets.number": "the queue number",
    "tickets.status": "state",
    "tickets.priority_class": "one of three classes the visitor may choose, no identity",
    "tickets.lang": "screen language",
    "ticket_events.kind": "event facts",
    "ticket_events.status": "event facts",
    "devices.code": "hall configuration",
    "devices.kind": "hall configuration",
    "devices.name": "hall configuration",
    "devices.printer_paper": "printer state",
    "devices.printer_error": "printer state",
    "devices.pairing_code_hash": "the hash of a random one-time code",
    "device_tokens.token_hash": "the hash of a random token",
    "device_tokens.label": "which of a device's programs holds the token",
    "print_jobs.id": "a random id",
    "print_jobs.status": "state",
    "print_jobs.error": "printer state",
    "survey_responses.channel": "where the survey was answered",
}
PURGED = {
    f"{column.class_.__tablename__}.{column.key}" for _name, column, _at in privacy.PLAIN_TEXTS
} | {"ticket_events.detail"}


def test_every_text_column_is_either_purged_or_known_not_to_be_personal() -> None:
    text_columns = {
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text)
    }
    unreviewed = sorted(text_columns - NOT_PERSONAL.keys() - PURGED)
    assert not unreviewed, (
        f"new text columns {unreviewed}: if people can type personal data into them, add them to "
        "server/services/privacy.py PLAIN_TEXTS (purged after personal_data_days); otherwise "
        "add them to NOT_PERSONAL in this test with the reason"
    )
    assert not (PURGED & NOT_PERSONAL.keys())


def test_taking_a_ticket_asks_for_no_personal_data() -> None:
    body = description()["components"]["schemas"]["IssueTicket"]
    assert set(body["properties"]) == {"service_id", "priority", "priority_class", "lang", "kiosk"}
    assert body["required"] == ["service_id"]


@pytest.fixture
def budi(ctx: Context) -> User:
    return create_user(db.session, "budi", "Budi Santoso", "rahasia-budi", "officer", ctx.now())


def a_day_of_personal_notes(ctx: Context, budi: User) -> dict[str, int]:
    """A day at counter L1 where an officer and a visitor typed things about people."""
    l1, l2 = counter_id("L1"), counter_id("L2")
    set_counter_status(db.session, ctx, l1, "open", budi.id)
    tickets = [issue_ticket(db.session, ctx, service_id("ktp"))["id"] for _ in range(4)]
    held = call_next(db.session, ctx, l1, budi.id)["id"]
    hold_ticket(db.session, ctx, held, l1, budi.id, note="Bu Siti ambil fotokopi KK")
    moved = call_next(db.session, ctx, l1, budi.id)["id"]
    transfer_ticket(
        db.session, ctx, moved, l1, budi.id, to_counter_id=l2, note="Pak Joko, NIK salah"
    )
    named = call_ticket(db.session, ctx, l1, tickets[3], "Pak Ahmad pakai kursi roda", budi.id)
    served = named["id"]
    complete_ticket(db.session, ctx, served, l1, budi.id)
    token = db.session.get(Ticket, served).token
    submit_survey(db.session, ctx, token, [4] * 9, "Petugas Budi ramah, terima kasih")
    set_counter_status(db.session, ctx, l1, "break", budi.id, "periksa ke dokter")
    resume_ticket(db.session, ctx, held, None, budi.id)
    return {"held": held, "moved": moved, "served": served}


def test_purge_blanks_personal_text_older_than_the_retention_and_keeps_the_statistics(
    app: Flask, ctx: Context, clock: Clock, budi: User
) -> None:
    ids = a_day_of_personal_notes(ctx, budi)
    events_before = db.session.scalars(select(TicketEvent.kind).order_by(TicketEvent.id)).all()

    clock.advance(days=89)
    assert privacy.purge_personal_text(db.session, ctx).total == 0  # still within 90 days
    clock.advance(days=2)
    dry = privacy.purge_personal_text(db.session, ctx, dry_run=True)
    assert dry.blanked == {
        "ticket_notes": 2,
        "survey_comments": 1,
        "break_reasons": 1,
        "ticket_event_notes": 3,
    }
    assert db.session.get(Ticket, ids["moved"]).note == "Pak Joko, NIK salah"  # dry run
    done = privacy.purge_personal_text(db.session, ctx)
    assert done.blanked == dry.blanked
    assert privacy.purge_personal_text(db.session, ctx).total == 0  # nothing left to blank

    db.session.expire_all()
    everything = json.dumps(
        [
            [t.note for t in db.session.scalars(select(Ticket))],
            [e.detail for e in db.session.scalars(select(TicketEvent))],
            [s.comment for s in db.session.scalars(select(SurveyResponse))],
            [s.detail for s in db.session.scalars(select(StaffEvent))],
        ]
    )
    for typed in ("Siti", "Joko", "Ahmad", "Budi ramah", "dokter"):
        assert typed not in everything
    # the statistics stay: every event, its facts, the ratings
    assert db.session.scalars(select(TicketEvent.kind).order_by(TicketEvent.id)).all() == (
        events_before
    )
    transfer = db.session.scalars(
        select(TicketEvent.detail).where(TicketEvent.kind == "transferred")
    ).one()
    assert json.loads(transfer) | {"note": None} == json.loads(transfer)
    assert json.loads(transfer)["to_counter_id"] == counter_id("L2")
    called = db.session.scalars(
        select(TicketEvent.detail).where(
            TicketEvent.kind == "called", TicketEvent.ticket_id == ids["served"]
        )
    ).one()
    assert json.loads(called)["reason"] == {"id": "Dipanggil khusus", "en": "Called out of turn"}
    assert db.session.scalars(select(SurveyResponse)).one().ratings == [4] * 9


def test_the_retention_comes_from_the_hall_file_and_the_command_reports_it(
    app: Flask, ctx: Context, clock: Clock, budi: User
) -> None:
    hall = read_hall_file(TEST_HALL)
    hall["hall"]["personal_data_days"] = 7
    load_hall(db.session, hall)
    assert setting(db.session, "hall_personal_data_days") == 7
    a_day_of_personal_notes(ctx, budi)
    clock.advance(days=8)
    app.config["ANTRE_CLOCK"] = clock
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would blank 7 personal texts older than 7 days" in dry.output
    assert "survey comments: 1" in dry.output
    kept = runner.invoke(args=["purge", "--days", "30"])
    assert "blanked 0 personal texts older than 30 days" in kept.output
    done = runner.invoke(args=["purge"])
    assert "blanked 7 personal texts" in done.output
