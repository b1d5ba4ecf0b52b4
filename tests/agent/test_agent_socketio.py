"""The agent against a real Socket.IO server on 127.0.0.1: connect, status, jobs, results.

The server here is a minimal stand-in for Antre's `/agent` namespace (python-socketio in
threading mode served by Werkzeug in a background thread), not the real server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
from escpos.printer import Dummy
from werkzeug.serving import make_server

from kiosk.agent import PrintAgent, printer_profile
from kiosk.agent.client import AgentLink, Device

WAIT_S = 10.0


class AgentNamespace:
    """The server side of `/agent`, recording what agents send."""

    def __init__(self) -> None:
        self.sio = socketio.Server(async_mode="threading")
        self.received: list[tuple[str, str, Any]] = []
        self._changed = threading.Condition()
        self.sio.on("connect", self._on_connect, namespace="/agent")
        for event in ("printer_status", "print_result"):
            self.sio.on(event, self._recorder(event), namespace="/agent")

    def _on_connect(self, sid: str, environ: dict, auth: Any) -> bool:
        """Accept the agent and record its auth."""
        self._record("connect", sid, auth)
        return True

    def _recorder(self, event: str):
        """Return a handler that records one event."""
        return lambda sid, data: self._record(event, sid, data)

    def _record(self, event: str, sid: str, data: Any) -> None:
        """Keep an event and wake up whoever waits for it."""
        with self._changed:
            self.received.append((event, sid, data))
            self._changed.notify_all()

    def wait_for(self, event: str, count: int = 1) -> list[tuple[str, Any]]:
        """Wait (bounded) until `count` events of a kind arrived; return their (sid, data)."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.of(event)) >= count, timeout=WAIT_S)
            found = self.of(event)
        assert len(found) >= count, f"expected {count} {event}, got {self.received}"
        return found

    def of(self, event: str) -> list[tuple[str, Any]]:
        """Return the (sid, data) of the events of a kind received so far."""
        return [(sid, data) for name, sid, data in self.received if name == event]


@pytest.fixture
def hall() -> Iterator[tuple[AgentNamespace, str]]:
    """Serve the stand-in namespace on a free port; stop it after the test."""
    namespace = AgentNamespace()
    server = make_server("127.0.0.1", 0, socketio.WSGIApp(namespace.sio), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="test-socketio-server")
    thread.start()
    yield namespace, f"http://127.0.0.1:{server.server_port}"
    namespace.sio.shutdown()
    server.shutdown()
    server.server_close()
    thread.join(WAIT_S)


@pytest.fixture
def run_agent(paper):
    """Start agents on a Dummy printer in background threads; stop them after the test."""
    started: list[tuple[threading.Event, threading.Thread]] = []

    def start(server_url: str, printer: Dummy, status_interval_s: float = 60.0) -> None:
        agent = PrintAgent(lambda: printer, paper)
        device = Device(server_url=server_url, kiosk="K1", token="device-token")
        link = AgentLink(agent, device, status_interval_s=status_interval_s)
        stop = threading.Event()
        thread = threading.Thread(target=link.serve, args=(stop,), name="test-agent")
        thread.start()
        started.append((stop, thread))

    yield start
    for stop, thread in started:
        stop.set()
        thread.join(WAIT_S)
        assert not thread.is_alive(), "the agent did not shut down"


def test_the_agent_connects_as_its_kiosk_and_reports_its_printer(hall, run_agent, paper):
    namespace, url = hall
    run_agent(url, Dummy(profile=printer_profile(paper)))

    [(sid, auth)] = namespace.wait_for("connect")
    [(status_sid, status)] = namespace.wait_for("printer_status")

    assert auth == {"kiosk": "K1", "token": "device-token"}
    assert status_sid == sid
    assert (status["v"], status["online"], status["paper"]) == (1, True, "unknown")


def test_a_job_prints_once_and_a_second_delivery_is_a_duplicate(hall, run_agent, paper, make_job):
    namespace, url = hall
    printer = Dummy(profile=printer_profile(paper))
    run_agent(url, printer)
    [(sid, _)] = namespace.wait_for("connect")
    namespace.wait_for("printer_status")

    namespace.sio.emit("print_ticket", make_job(), to=sid, namespace="/agent")
    [(_, first)] = namespace.wait_for("print_result")
    printed = printer.output
    namespace.sio.emit("print_ticket", make_job(), to=sid, namespace="/agent")
    second = namespace.wait_for("print_result", count=2)[1][1]

    assert (first["job_id"], first["ok"], first["duplicate"], first["error"]) == (
        "j-8f3a0c2e",
        True,
        False,
        None,
    )
    assert (second["ok"], second["duplicate"]) == (True, True)
    assert printed.count(b"A007") == 1
    assert printer.output == printed


def test_a_rejected_job_is_answered_with_the_reason(hall, run_agent, paper, make_job):
    namespace, url = hall
    run_agent(url, Dummy(profile=printer_profile(paper)))
    [(sid, _)] = namespace.wait_for("connect")
    payload = make_job(job_id="j-9")
    del payload["ticket"]["status_url"]

    namespace.sio.emit("print_ticket", payload, to=sid, namespace="/agent")
    [(_, result)] = namespace.wait_for("print_result")

    assert (result["job_id"], result["ok"]) == ("j-9", False)
    assert result["error"] == "invalid print job: ticket.status_url: missing"


def test_the_agent_reports_its_printer_periodically(hall, run_agent, paper):
    namespace, url = hall
    run_agent(url, Dummy(profile=printer_profile(paper)), status_interval_s=0.1)

    statuses = namespace.wait_for("printer_status", count=3)

    assert all(status["online"] for _, status in statuses)


def test_the_agent_comes_back_after_the_server_disconnects_it(hall, run_agent, paper):
    namespace, url = hall
    run_agent(url, Dummy(profile=printer_profile(paper)))
    [(sid, _)] = namespace.wait_for("connect")
    namespace.wait_for("printer_status")

    namespace.sio.disconnect(sid, namespace="/agent")
    reconnected = namespace.wait_for("connect", count=2)

    assert reconnected[1][0] != sid
