"""Print jobs on one printer: deadline, no double prints, paper check, result and status."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from escpos.escpos import Escpos

from kiosk.agent.job import SCHEMA_VERSION, JobError, PrintJob, job_id_of, parse_job
from kiosk.agent.layout import print_ticket
from kiosk.agent.paper import PAPER_80, Paper
from kiosk.agent.printers import PrinterFactory, PrinterUnavailable, hands_over_on_close
from kiosk.agent.status import OFFLINE, PrinterStatus, offline_status, read_status

log = logging.getLogger(__name__)

DEFAULT_PRINT_TIMEOUT_S = 15.0
REMEMBERED_JOBS = 1000
BUSY = "printer is still busy with an earlier job that did not finish — check the printer"
NOT_CHECKED = "printer not checked yet"


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class PrintRefused(Exception):
    """The printer said it cannot print now (paper out, offline); nothing was sent."""


@dataclass(frozen=True)
class AgentReply:
    """What the agent answers to one job: the `print_result` and `printer_status` payloads."""

    result: dict[str, Any]
    status: dict[str, Any]


class RecentJobs:
    """The ids of the last jobs printed, so that a job delivered twice prints once."""

    def __init__(self, capacity: int = REMEMBERED_JOBS) -> None:
        self._capacity = capacity
        self._job_ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, job_id: object) -> bool:
        with self._lock:
            return job_id in self._job_ids

    def remember(self, job_id: str) -> None:
        """Record a printed job, forgetting the oldest beyond the capacity."""
        with self._lock:
            self._job_ids[job_id] = None
            self._job_ids.move_to_end(job_id)
            while len(self._job_ids) > self._capacity:
                self._job_ids.popitem(last=False)


class PrintAgent:
    """The print agent's logic for one printer, without any Socket.IO.

    `handle(payload)` takes a `print_ticket` payload and returns the `print_result` and
    `printer_status` payloads; `check_printer()` returns a fresh `printer_status` payload.
    The printer is opened through `open_printer` when first needed, kept open, and opened
    again after any error, so unplugging and replugging the cable recovers by itself.
    Each printer operation runs in a worker thread and is given up after `print_timeout_s`;
    while a given-up operation is still stuck, new jobs fail at once instead of queueing.
    Methods are thread-safe; jobs are printed one at a time.
    """

    def __init__(
        self,
        open_printer: PrinterFactory,
        paper: Paper = PAPER_80,
        *,
        print_timeout_s: float = DEFAULT_PRINT_TIMEOUT_S,
        remembered_jobs: int = REMEMBERED_JOBS,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._open_printer = open_printer
        self._paper = paper
        self._timeout_s = print_timeout_s
        self._clock = clock
        self._printed = RecentJobs(remembered_jobs)
        self._lock = threading.Lock()
        self._printer: Escpos | None = None
        self._pending: Future[None] | None = None
        self._given_up = threading.Event()
        self._status = offline_status(NOT_CHECKED, clock())

    @property
    def status(self) -> PrinterStatus:
        """Return the printer status last seen."""
        return self._status

    def handle(self, payload: object) -> AgentReply:
        """Print the job in a `print_ticket` payload once, and say how it went."""
        try:
            job = parse_job(payload)
        except JobError as error:
            log.warning("refused print job %s: %s", job_id_of(payload), error)
            return self._reply(job_id_of(payload), error=f"invalid print job: {error}")
        with self._lock:
            if job.job_id in self._printed:
                log.info("job %s was already printed; not printing it again", job.job_id)
                return self._reply(job.job_id, duplicate=True)
            problem = self._run(lambda: self._print(job))
        return self._reply(job.job_id, error=problem)

    def refuse(self, payload: object, reason: str) -> AgentReply:
        """Answer a job that will not be printed, e.g. because too many are waiting."""
        return self._reply(job_id_of(payload), error=reason)

    def check_printer(self) -> dict[str, Any]:
        """Ask the printer for its state and return the `printer_status` payload."""
        with self._lock:
            self._run(self._check)
        return self._status.payload()

    def close(self) -> None:
        """Close the printer unless an operation is still stuck on it."""
        with self._lock:
            if self._pending is None or self._pending.done():
                self._drop_printer()

    def _reply(
        self, job_id: str | None, *, duplicate: bool = False, error: str | None = None
    ) -> AgentReply:
        """Build the `print_result` payload, with the printer status last seen."""
        status = self._status.payload()
        result = {
            "v": SCHEMA_VERSION,
            "job_id": job_id,
            "ok": error is None,
            "duplicate": duplicate,
            "error": error,
            "printer": status,
        }
        return AgentReply(result=result, status=status)

    def _run(self, task: Callable[[], None]) -> str | None:
        """Run a printer task in a worker thread within the deadline; return why it failed."""
        if self._pending is not None and not self._pending.done():
            return self._fail(BUSY)
        self._given_up.clear()
        self._pending = in_worker_thread(lambda: self._guarded(task))
        try:
            self._pending.result(timeout=self._timeout_s)
        except PrintRefused as refusal:
            return str(refusal)
        except TimeoutError as error:
            if self._pending.done():  # the backend's own timeout, not the deadline
                return self._fail(describe(error))
            self._given_up.set()
            return self._fail(f"printer did not respond within {self._timeout_s:g} s")
        except Exception as error:  # noqa: BLE001 — a backend error is reported, never raised
            return self._fail(describe(error))
        return None

    def _fail(self, reason: str) -> str:
        """Record a failure in the printer status and return its reason."""
        log.warning("printer problem: %s", reason)
        self._status = offline_status(reason, self._clock())
        return reason

    def _guarded(self, task: Callable[[], None]) -> None:
        """Run a task in the worker; after an error the printer is opened again next time."""
        try:
            task()
        except PrintRefused:
            raise
        except BaseException:
            self._drop_printer()
            raise

    def _check(self) -> None:
        """Read the printer's status (worker thread)."""
        self._status = read_status(self._printer_in_use(), self._clock())

    def _print(self, job: PrintJob) -> None:
        """Check the paper, print the ticket and remember the job (worker thread)."""
        self._check()
        if self._given_up.is_set():
            raise PrintRefused("the status check outlasted the deadline; the job was not printed")
        if self._status.refuses_jobs:
            raise PrintRefused(self._status.error or OFFLINE)
        printer = self._printer_in_use()
        print_ticket(printer, job, self._paper)
        if hands_over_on_close(printer):
            self._drop_printer()
        self._printed.remember(job.job_id)
        log.info("printed ticket %s (job %s)", job.ticket.number, job.job_id)

    def _printer_in_use(self) -> Escpos:
        """Return the open printer, opening it if needed (worker thread)."""
        if self._printer is None:
            self._printer = self._open_printer()
        return self._printer

    def _drop_printer(self) -> None:
        """Close and forget the printer so that the next operation opens it again."""
        printer, self._printer = self._printer, None
        if printer is None:
            return
        try:
            printer.close()
        except Exception as error:  # noqa: BLE001 — a vanished printer may fail to close
            log.info("closing the printer failed: %s", describe(error))


def describe(error: BaseException) -> str:
    """Say what went wrong in one line an officer can read."""
    if isinstance(error, PrinterUnavailable):
        return str(error)
    detail = str(error) or type(error).__name__
    return f"printing failed: {detail}"


def in_worker_thread(task: Callable[[], None]) -> Future[None]:
    """Start a task in a daemon thread (a hung printer must not keep the agent from exiting)."""
    future: Future[None] = Future()

    def work() -> None:
        """Run the task and hand over its outcome."""
        future.set_running_or_notify_cancel()
        try:
            task()
            future.set_result(None)
        except BaseException as error:  # noqa: BLE001 — handed over to the waiting caller
            future.set_exception(error)

    threading.Thread(target=work, name="antre-printer", daemon=True).start()
    return future
