"""Running jobs on printers that misbehave: unplugged, out of paper, hung; and never twice."""

from __future__ import annotations

import time

from escpos.printer import Dummy

from kiosk.agent import PrintAgent, printer_profile
from kiosk.agent.runner import BUSY, RecentJobs


def opened(printer):
    """Return a printer factory that opens the given printer, as printer_factory's do."""

    def open_printer():
        printer.open()
        return printer

    return open_printer


def wait_until(condition, timeout_s=5.0):
    """Poll a condition until it holds or the timeout passes; return whether it held."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_a_job_prints_and_reports_ok(make_job, paper, fixed_clock):
    printer = Dummy(profile=printer_profile(paper))
    agent = PrintAgent(lambda: printer, paper, clock=fixed_clock)

    reply = agent.handle(make_job())

    assert reply.result == {
        "v": 1,
        "job_id": "j-8f3a0c2e",
        "ok": True,
        "duplicate": False,
        "error": None,
        "printer": reply.status,
    }
    assert reply.status == {
        "v": 1,
        "online": True,
        "paper": "unknown",
        "error": None,
        "checked_at": "2026-11-23T02:15:04Z",
    }
    assert printer.output.count(b"A007") == 1


def test_a_job_delivered_twice_prints_once(make_job, paper):
    printer = Dummy(profile=printer_profile(paper))
    agent = PrintAgent(lambda: printer, paper)

    first = agent.handle(make_job())
    printed = printer.output
    second = agent.handle(make_job())

    assert (first.result["ok"], first.result["duplicate"]) == (True, False)
    assert (second.result["ok"], second.result["duplicate"]) == (True, True)
    assert printer.output == printed


def test_a_reprint_with_a_new_job_id_prints_again(make_job, paper):
    printer = Dummy(profile=printer_profile(paper))
    agent = PrintAgent(lambda: printer, paper)

    agent.handle(make_job(job_id="j-1"))
    reprint = agent.handle(make_job(job_id="j-2"))

    assert reprint.result["duplicate"] is False
    assert printer.output.count(b"A007") == 2


def test_recent_jobs_forget_the_oldest_beyond_their_capacity():
    recent = RecentJobs(capacity=2)
    for job_id in ("j-1", "j-2", "j-3"):
        recent.remember(job_id)

    assert "j-1" not in recent
    assert "j-2" in recent and "j-3" in recent


def test_an_invalid_job_is_answered_not_raised_and_not_printed(make_job, paper):
    printer = Dummy(profile=printer_profile(paper))
    agent = PrintAgent(lambda: printer, paper)
    payload = make_job(job_id="j-bad")
    payload["v"] = 2

    reply = agent.handle(payload)

    assert reply.result["job_id"] == "j-bad"
    assert reply.result["ok"] is False
    assert reply.result["error"].startswith("invalid print job: v: unsupported version 2")
    assert printer.output == b""


def test_an_unplugged_printer_fails_the_job_and_reports_offline(make_job, paper, unplugged_printer):
    agent = PrintAgent(opened(unplugged_printer), paper)

    reply = agent.handle(make_job())

    assert reply.result["ok"] is False
    assert "not found" in reply.result["error"]
    assert reply.status["online"] is False
    assert reply.status["error"] == reply.result["error"]
    assert unplugged_printer.output == b""


def test_a_job_prints_once_the_printer_is_plugged_back(make_job, paper, unplugged_printer):
    agent = PrintAgent(opened(unplugged_printer), paper)
    agent.handle(make_job())

    unplugged_printer.plugged = True
    retry = agent.handle(make_job())

    assert (retry.result["ok"], retry.result["duplicate"]) == (True, False)
    assert retry.status["online"] is True
    assert unplugged_printer.output.count(b"A007") == 1


def test_paper_out_fails_fast_without_printing(make_job, paper, sensing_printer):
    sensing_printer.paper_byte = sensing_printer.PAPER_OUT
    agent = PrintAgent(lambda: sensing_printer, paper)

    reply = agent.handle(make_job())

    assert reply.result["ok"] is False
    assert reply.result["error"] == "printer is out of paper — load a new roll"
    assert (reply.status["paper"], reply.status["error"]) == ("out", reply.result["error"])
    assert sensing_printer.output == b""


def test_a_job_refused_for_paper_prints_once_after_a_new_roll(make_job, paper, sensing_printer):
    sensing_printer.paper_byte = sensing_printer.PAPER_OUT
    agent = PrintAgent(lambda: sensing_printer, paper)
    agent.handle(make_job())

    sensing_printer.paper_byte = sensing_printer.PAPER_NEAR_END
    retry = agent.handle(make_job())
    again = agent.handle(make_job())

    assert (retry.result["ok"], retry.status["paper"], retry.status["error"]) == (
        True,
        "near_end",
        None,
    )
    assert again.result["duplicate"] is True
    assert sensing_printer.output.count(b"A007") == 1


def test_a_hung_printer_fails_the_job_within_the_deadline(make_job, paper, stuck_printer):
    agent = PrintAgent(lambda: stuck_printer, paper, print_timeout_s=0.2)

    started = time.monotonic()
    reply = agent.handle(make_job())

    assert time.monotonic() - started < 2
    assert reply.result["ok"] is False
    assert reply.result["error"] == "printer did not respond within 0.2 s"
    assert (reply.status["online"], reply.status["error"]) == (False, reply.result["error"])


def test_no_job_starts_while_a_hung_one_is_stuck_on_the_printer(make_job, paper, stuck_printer):
    agent = PrintAgent(lambda: stuck_printer, paper, print_timeout_s=0.2)
    agent.handle(make_job(job_id="j-1", number="A007"))

    second = agent.handle(make_job(job_id="j-2", number="A008"))

    assert (second.result["ok"], second.result["error"]) == (False, BUSY)
    assert agent.check_printer()["error"] == BUSY


def test_after_a_hang_clears_each_ticket_is_printed_exactly_once(make_job, paper, stuck_printer):
    agent = PrintAgent(lambda: stuck_printer, paper, print_timeout_s=0.2)
    agent.handle(make_job(job_id="j-1", number="A007"))
    agent.handle(make_job(job_id="j-2", number="A008"))

    stuck_printer.released.set()
    assert wait_until(lambda: agent.check_printer()["online"])
    first_again = agent.handle(make_job(job_id="j-1", number="A007"))
    second_again = agent.handle(make_job(job_id="j-2", number="A008"))

    assert (first_again.result["ok"], first_again.result["duplicate"]) == (True, True)
    assert (second_again.result["ok"], second_again.result["duplicate"]) == (True, False)
    assert stuck_printer.output.count(b"A007") == 1
    assert stuck_printer.output.count(b"A008") == 1


def test_a_printer_error_while_printing_is_reported_and_the_printer_reopened(make_job, paper):
    opened_printers = []

    class CableCut(Dummy):
        def _raw(self, msg):
            raise OSError(19, "No such device")

    def open_printer():
        profile = printer_profile(paper)
        opened_printers.append(
            Dummy(profile=profile) if opened_printers else CableCut(profile=profile)
        )
        return opened_printers[-1]

    agent = PrintAgent(open_printer, paper)
    failed = agent.handle(make_job(job_id="j-1"))
    printed = agent.handle(make_job(job_id="j-2"))

    assert failed.result["error"] == "printing failed: [Errno 19] No such device"
    assert printed.result["ok"] is True
    assert len(opened_printers) == 2
