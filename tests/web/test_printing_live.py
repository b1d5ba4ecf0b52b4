"""Kiosk → print agent → printer → acknowledgement, with real processes and Socket.IO.

The agent is the real one (`kiosk.agent`), printing on python-escpos Dummy printers that can be
made to run out of paper (tests/fake_printers.py); the server is a real gunicorn process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy

from kiosk.agent import PrintAgent, ticket_paper
from kiosk.agent.client import AgentLink, Device
from tests.conftest import LiveServer, start_live_server, stop_live_server
from tests.fake_printers import SensingPrinter
from tests.web.test_realtime import Screen

pytestmark = pytest.mark.live
PAPER = ticket_paper(80)


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def run_agent(server: LiveServer, kiosk: str, printer: SensingPrinter) -> Iterator[None]:
    agent = PrintAgent(lambda: printer, PAPER, print_timeout_s=5)
    link = AgentLink(agent, Device(server.url, kiosk, server.tokens[kiosk]), status_interval_s=60)
    stop = threading.Event()
    thread = threading.Thread(target=link.serve, args=(stop,), daemon=True)
    thread.start()
    wait_for(
        lambda: server.api("GET", f"/api/v1/kiosks/{kiosk}").json()["agent_connected"],
        "agent to connect",
    )
    yield
    stop.set()
    thread.join(timeout=10)


def job_status(server: LiveServer, job_id: str) -> str:
    engine = sqlalchemy.create_engine(server.database_url)
    with engine.connect() as connection:
        status = connection.exec_driver_sql(
            "SELECT status FROM print_jobs WHERE id = ?", (job_id,)
        ).scalar_one()
    engine.dispose()
    return status


@pytest.fixture
def printer() -> SensingPrinter:
    return SensingPrinter(profile="TM-T88V")


@pytest.fixture
def agent_k1(live_server: LiveServer, printer: SensingPrinter) -> Iterator[None]:
    yield from run_agent(live_server, "K1", printer)


def test_a_kiosk_ticket_is_printed_once_and_acknowledged(
    live_server: LiveServer, printer: SensingPrinter, agent_k1: None
) -> None:
    kiosk = live_server.api("GET", "/api/v1/kiosks/K1").json()["kiosk"]
    screen = Screen(live_server, [f"kiosk:{kiosk['id']}"], live_server.device("K1"))
    try:
        service = live_server.ids()["services"]["ktp"]
        ticket = live_server.api(
            "POST", "/api/v1/tickets", json={"service_id": service, "kiosk": "K1"}
        ).json()
        assert ticket["print"]["status"] == "pending"
        result = screen.next("print_result", timeout_s=10)
        assert (result["job_id"], result["ok"], result["number"]) == (
            ticket["print"]["job_id"],
            True,
            ticket["number"],
        )
        assert printer.output.count(ticket["number"].encode()) == 1
        assert (
            ticket["status_url"].encode() not in printer.output
        )  # the URL is in the QR image, not text
        assert job_status(live_server, ticket["print"]["job_id"]) == "printed"
    finally:
        screen.close()


def test_paper_out_still_leaves_a_visible_ticket_and_tells_the_staff(
    live_server: LiveServer, printer: SensingPrinter, agent_k1: None
) -> None:
    kiosk = live_server.api("GET", "/api/v1/kiosks/K1").json()["kiosk"]
    screen = Screen(live_server, [f"kiosk:{kiosk['id']}", "staff"], live_server.staff("manajer"))
    try:
        printer.paper_byte = SensingPrinter.PAPER_OUT
        service = live_server.ids()["services"]["ktp"]
        ticket = live_server.api(
            "POST", "/api/v1/tickets", json={"service_id": service, "kiosk": "K1"}
        ).json()
        result = screen.next("print_result", timeout_s=10)
        assert result["ok"] is False and "paper" in result["error"].lower()
        assert screen.next("printer_status")["paper"] == "out"
        assert ticket["number"].encode() not in printer.output
        followed = live_server.api("GET", f"/api/v1/tickets/{ticket['token']}").json()
        assert followed["status"] == "waiting" and followed["number"] == ticket["number"]
        printer.paper_byte = SensingPrinter.PAPER_OK
        again = live_server.api(
            "POST", f"/api/v1/tickets/{ticket['id']}/reprint", json={"kiosk": "K1"}
        ).json()
        assert again["print"]["copy"] == 1
        reprinted = screen.next("print_result", timeout_s=10)
        assert reprinted["ok"] is True and printer.output.count(ticket["number"].encode()) == 1
    finally:
        screen.close()


def test_a_kiosk_without_its_agent_issues_and_says_so(live_server: LiveServer) -> None:
    service = live_server.ids()["services"]["kk"]
    ticket = live_server.api(
        "POST", "/api/v1/tickets", device="K2", json={"service_id": service, "kiosk": "K2"}
    ).json()
    assert ticket["number"].startswith("B") and ticket["print"]["status"] == "no_agent"
    kiosk = live_server.api("GET", "/api/v1/kiosks/K2", device="K2").json()
    assert kiosk["agent_connected"] is False


def test_the_single_box_server_prints_through_its_own_agent(tmp_path: Path) -> None:
    server = start_live_server(tmp_path, ANTRE_LOCAL_AGENT="K1 dummy:")
    try:
        wait_for(
            lambda: server.api("GET", "/api/v1/kiosks/K1").json()["agent_connected"], "local agent"
        )
        kiosk = server.api("GET", "/api/v1/kiosks/K1").json()
        screen = Screen(server, [f"kiosk:{kiosk['kiosk']['id']}"], server.device("K1"))
        try:
            service = server.ids()["services"]["ktp"]
            ticket = server.api(
                "POST", "/api/v1/tickets", json={"service_id": service, "kiosk": "K1"}
            ).json()
            result = screen.next("print_result", timeout_s=10)
            assert (result["job_id"], result["ok"]) == (ticket["print"]["job_id"], True)
        finally:
            screen.close()
    finally:
        stop_live_server(server)
