"""The agent's Socket.IO link: `print_ticket` in; `print_result` and `printer_status` out."""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import socketio

from kiosk.agent.runner import PrintAgent
from kiosk.agent.status import PrinterStatus

log = logging.getLogger(__name__)

NAMESPACE = "/agent"
DEFAULT_STATUS_INTERVAL_S = 30.0
MAX_WAITING_JOBS = 100
MAX_CONNECT_DELAY_S = 30.0
CLOSING_PAUSE_S = 0.1  # the connection the server ended is still closing: try again this soon
CONNECTED, STILL_CLOSING, UNREACHABLE = "connected", "still closing", "unreachable"
_CHECK_PRINTER = object()
_STOP = object()


@dataclass(frozen=True)
class Device:
    """Who the agent is to the server: the kiosk's code and its device token."""

    server_url: str
    kiosk: str
    token: str = ""

    def auth(self) -> dict[str, str]:
        """Return the Socket.IO `auth` data the server checks on connect."""
        return {"kiosk": self.kiosk, "token": self.token}


class AgentLink:
    """Keeps the agent connected as its kiosk's device and feeds it the jobs the server sends.

    Jobs and status checks run one at a time on a printer thread; the printer status is
    reported on connect, after every failed job or status change, and every
    `status_interval_s` seconds. `serve(stop)` blocks until `stop` is set, then shuts down.
    """

    def __init__(
        self,
        agent: PrintAgent,
        device: Device,
        *,
        status_interval_s: float = DEFAULT_STATUS_INTERVAL_S,
        connect_timeout_s: float = 10.0,
    ) -> None:
        self._agent = agent
        self._device = device
        self._status_interval_s = status_interval_s
        self._connect_timeout_s = connect_timeout_s
        self._inbox: queue.Queue[object] = queue.Queue(MAX_WAITING_JOBS)
        self._reported: PrinterStatus | None = None
        self._must_connect = threading.Event()
        self._must_connect.set()
        self._printer_thread = threading.Thread(target=self._work, name="antre-agent-jobs")
        self._sio = _socketio_client()
        self._sio.on("connect", self._on_connect, namespace=NAMESPACE)
        self._sio.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        self._sio.on("print_ticket", self._on_print_ticket, namespace=NAMESPACE)

    def serve(self, stop: threading.Event) -> None:
        """Connect, keep connected and print jobs until `stop` is set."""
        self._printer_thread.start()
        delay_s = 1.0
        try:
            while not stop.is_set():
                if not self._must_connect.wait(1.0):  # wakes at once when the server drops us
                    continue
                outcome = self._connect()
                if outcome == CONNECTED:
                    delay_s = 1.0
                elif outcome == STILL_CLOSING:
                    stop.wait(CLOSING_PAUSE_S)
                else:
                    stop.wait(delay_s)
                    delay_s = min(delay_s * 2, MAX_CONNECT_DELAY_S)
        finally:
            self._shut_down()

    def _connect(self) -> str:
        """Try once to connect to the server's agent namespace; python-socketio reconnects later.
        Says whether it connected, found the previous connection still closing (a moment after
        the server ended it), or could not reach the server (try again with a growing pause)."""
        self._must_connect.clear()
        try:
            self._sio.connect(
                self._device.server_url,
                auth=self._device.auth(),
                namespaces=[NAMESPACE],
                wait_timeout=self._connect_timeout_s,
            )
        except ValueError:  # "Client is not in a disconnected state": still closing
            self._must_connect.set()
            return STILL_CLOSING
        except socketio.exceptions.ConnectionError as error:
            log.warning("cannot connect to %s: %s", self._device.server_url, error)
            self._must_connect.set()
            return UNREACHABLE
        return CONNECTED

    def _shut_down(self) -> None:
        """Disconnect, let the printer thread finish its job, and close the printer."""
        self._sio.shutdown()
        self._inbox.put(_STOP)
        self._printer_thread.join()
        self._agent.close()

    def _on_connect(self) -> None:
        """Report the printer status as soon as the server knows this agent."""
        log.info("connected to %s as kiosk %s", self._device.server_url, self._device.kiosk)
        self._reported = None
        with contextlib.suppress(queue.Full):  # the first waiting job reports it
            self._inbox.put_nowait(_CHECK_PRINTER)

    def _on_disconnect(self, reason: str = "") -> None:
        """Connect again later when the server itself ended the connection."""
        log.warning("disconnected from the server (%s)", reason or "unknown reason")
        if reason == socketio.Client.reason.SERVER_DISCONNECT:
            self._must_connect.set()

    def _on_print_ticket(self, payload: object) -> None:
        """Queue a job for the printer thread so that the connection stays responsive."""
        try:
            self._inbox.put_nowait(payload)
        except queue.Full:
            reply = self._agent.refuse(payload, "print agent has too many waiting jobs")
            self._emit("print_result", reply.result)

    def _work(self) -> None:
        """Run jobs and status checks one at a time until told to stop (printer thread)."""
        next_check = time.monotonic()
        while True:
            try:
                item = self._inbox.get(timeout=max(0.0, next_check - time.monotonic()))
            except queue.Empty:
                item = _CHECK_PRINTER
            if item is _STOP:
                return
            if item is _CHECK_PRINTER:
                self._check_printer()
                next_check = time.monotonic() + self._status_interval_s
            else:
                self._print(item)

    def _check_printer(self) -> None:
        """Check the printer and report its status."""
        self._agent.check_printer()
        self._report_status(force=True)

    def _print(self, payload: object) -> None:
        """Print one job and report its result, and the printer status when it matters."""
        reply = self._agent.handle(payload)
        self._emit("print_result", reply.result)
        self._report_status(force=not reply.result["ok"])

    def _report_status(self, *, force: bool) -> None:
        """Send `printer_status` when forced or when the printer's state changed."""
        status = self._agent.status
        changed = not status.same_state(self._reported)
        if (force or changed) and self._emit("printer_status", status.payload()):
            self._reported = status

    def _emit(self, event: str, payload: dict[str, Any]) -> bool:
        """Send an event to the server; a lost connection is logged, not raised."""
        try:
            self._sio.emit(event, payload, namespace=NAMESPACE)
        except socketio.exceptions.SocketIOError as error:
            log.info("%s not sent (%s): %s", event, error, payload)
            return False
        return True


def _socketio_client() -> socketio.Client:
    """Build the Socket.IO client: endless reconnection with back-off; our loggers and signals."""
    return socketio.Client(
        reconnection=True,
        reconnection_attempts=0,
        reconnection_delay=1,
        reconnection_delay_max=MAX_CONNECT_DELAY_S,
        randomization_factor=0.5,
        handle_sigint=False,
        logger=logging.getLogger("kiosk.agent.socketio"),
        engineio_logger=logging.getLogger("kiosk.agent.engineio"),
    )
