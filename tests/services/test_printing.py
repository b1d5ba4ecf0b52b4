"""Printing at kiosks, from the server's side: jobs, results, printer states, reprints."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kiosk.agent import parse_job
from server.domain.errors import InvalidInput, WrongState
from server.extensions import db
from server.models import Device, PrintJob, Ticket
from server.services.context import Context
from server.services.issuing import issue_ticket
from server.services.printing import (
    agent_connected,
    agent_disconnected,
    record_print_result,
    record_printer_status,
    reprint_ticket,
)
from server.services.publisher import RecordingPublisher
from tests.conftest import service_id
from tests.services.conftest import Clock


def kiosk(code: str = "K1") -> Device:
    return db.session.scalars(select(Device).where(Device.code == code)).one()


def jobs_sent(publisher: RecordingPublisher) -> list[dict]:
    return publisher.events("print_ticket")


def test_a_ticket_from_a_kiosk_with_its_agent_online_is_sent_to_that_agent(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    agent_connected(db.session, ctx, "K1")
    ticket = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    assert ticket["print"]["status"] == "pending"
    [(event, job, rooms)] = [sent for sent in publisher.sent if sent[0] == "print_ticket"]
    namespace = publisher.namespaces[publisher.sent.index((event, job, rooms))]
    assert (rooms, namespace) == ([f"kiosk:{kiosk().id}"], "/agent")
    assert job["job_id"] == ticket["print"]["job_id"] and job["reprint"] is False


def test_the_servers_job_is_what_the_agent_parses(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    agent_connected(db.session, ctx, "K1")
    issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1", lang="en")
    indonesian, english = (parse_job(job) for job in jobs_sent(publisher))
    assert (indonesian.ticket.number, indonesian.ticket.service, indonesian.ticket.agency) == (
        "A001",
        "Perekaman KTP-el",
        "Disdukcapil",
    )
    assert (english.lang, english.ticket.service, english.ticket.ahead) == (
        "en",
        "ID card recording",
        1,
    )
    assert english.ticket.agency == "Disdukcapil"  # no English name: the agency's own
    assert (indonesian.hall.footer, english.hall.footer) == ("Terima kasih.", "Thank you.")
    assert english.ticket.status_url.startswith("http://hall.test/t/")
    assert indonesian.ticket.issued_at.isoformat() == "2026-11-23T09:00:00+07:00"


def test_without_an_agent_the_ticket_is_issued_and_says_it_was_not_printed(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    ticket = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    assert ticket["number"] == "A001" and ticket["print"]["status"] == "no_agent"
    assert jobs_sent(publisher) == []
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_an_unknown_kiosk_gets_no_ticket(ctx: Context) -> None:
    with pytest.raises(InvalidInput, match="Unknown kiosk"):
        issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K404")
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_a_print_result_is_stored_and_told_to_the_kiosk_screen(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    device, _ = agent_connected(db.session, ctx, "K1")
    ticket = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    job_id = ticket["print"]["job_id"]
    record_print_result(
        db.session, ctx, device.id, {"v": 1, "job_id": job_id, "ok": True, "error": None}
    )
    assert db.session.get(PrintJob, job_id).status == "printed"
    told = publisher.events("print_result")[-1]
    assert (told["job_id"], told["ok"], told["number"]) == (job_id, True, "A001")


def test_a_failed_print_keeps_the_ticket_and_reports_the_printer(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    device, _ = agent_connected(db.session, ctx, "K1")
    ticket = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    printer = {"v": 1, "online": True, "paper": "out", "error": "paper out", "checked_at": "x"}
    result = {
        "v": 1,
        "job_id": ticket["print"]["job_id"],
        "ok": False,
        "error": "paper out",
        "printer": printer,
    }
    record_print_result(db.session, ctx, device.id, result)
    job = db.session.get(PrintJob, ticket["print"]["job_id"])
    assert (job.status, job.error) == ("failed", "paper out")
    assert db.session.get(Ticket, ticket["id"]).status == "waiting"
    status = publisher.events("printer_status")[-1]
    assert (status["paper"], status["kiosk"]["code"]) == ("out", "K1")


def test_a_repeated_result_never_unprints_a_printed_job(ctx: Context) -> None:
    device, _ = agent_connected(db.session, ctx, "K1")
    job_id = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")["print"]["job_id"]
    record_print_result(db.session, ctx, device.id, {"job_id": job_id, "ok": True})
    record_print_result(
        db.session, ctx, device.id, {"job_id": job_id, "ok": False, "error": "late"}
    )
    assert db.session.get(PrintJob, job_id).status == "printed"


def test_results_for_another_kiosks_job_or_nonsense_are_refused(ctx: Context) -> None:
    k1, _ = agent_connected(db.session, ctx, "K1")
    k2, _ = agent_connected(db.session, ctx, "K2")
    job_id = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")["print"]["job_id"]
    with pytest.raises(Exception, match="Unknown print job"):
        record_print_result(db.session, ctx, k2.id, {"job_id": job_id, "ok": True})
    with pytest.raises(InvalidInput):
        record_print_result(db.session, ctx, k1.id, {"job_id": job_id, "ok": "yes"})
    with pytest.raises(InvalidInput):
        record_printer_status(db.session, ctx, k1.id, {"online": True, "paper": "lots"})
    assert db.session.get(PrintJob, job_id).status == "pending"


def test_a_reconnecting_agent_gets_only_fresh_missed_jobs(ctx: Context, clock: Clock) -> None:
    agent_connected(db.session, ctx, "K1")
    stale = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")["print"]["job_id"]
    clock.now += timedelta(seconds=40)
    fresh = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")["print"]["job_id"]
    clock.now += timedelta(seconds=5)
    _, missed = agent_connected(db.session, ctx, "K1")
    assert [job["job_id"] for job in missed] == [fresh]
    assert (missed[0]["ticket"]["number"], missed[0]["ticket"]["agency"]) == ("A002", "Disdukcapil")
    assert (
        db.session.get(PrintJob, stale).status == "expired"
    )  # the visitor left with the number on screen


def test_an_agent_that_leaves_is_reported_offline(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    device, _ = agent_connected(db.session, ctx, "K1")
    agent_disconnected(db.session, ctx, device.id)
    status = publisher.events("printer_status")[-1]
    assert (status["online"], status["error"], status["agent_connected"]) == (
        False,
        "agent_offline",
        False,
    )
    assert (
        issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")["print"]["status"]
        == "no_agent"
    )


def test_a_waiting_ticket_can_be_reprinted_with_its_current_place(
    ctx: Context, publisher: RecordingPublisher
) -> None:
    agent_connected(db.session, ctx, "K1")
    issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    second = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    again = reprint_ticket(db.session, ctx, second["id"], "K1")
    assert again["print"]["copy"] == 1 and again["print"]["job_id"] != second["print"]["job_id"]
    reprint = jobs_sent(publisher)[-1]
    assert (reprint["reprint"], reprint["ticket"]["number"], reprint["ticket"]["ahead"]) == (
        True,
        "A002",
        1,
    )
    assert (reprint["ticket"]["service"], reprint["ticket"]["agency"]) == (
        "Perekaman KTP-el",
        "Disdukcapil",
    )


def test_a_finished_ticket_is_not_reprinted(ctx: Context) -> None:
    ticket = issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K1")
    db.session.get(Ticket, ticket["id"]).status = "done"
    db.session.commit()
    with pytest.raises(WrongState):
        reprint_ticket(db.session, ctx, ticket["id"], "K1")
