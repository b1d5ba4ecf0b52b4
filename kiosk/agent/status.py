"""The printer's state as the agent reports it in `printer_status` (schema v1)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from escpos.escpos import Escpos
from escpos.printer import CupsPrinter

from kiosk.agent.job import SCHEMA_VERSION

PaperLevel = Literal["ok", "near_end", "out", "unknown"]
PAPER_LEVELS: dict[int, PaperLevel] = {2: "ok", 1: "near_end", 0: "out"}
PAPER_OUT = "printer is out of paper — load a new roll"
OFFLINE = "printer is offline — check that the cover is closed and paper is loaded"


@dataclass(frozen=True)
class PrinterStatus:
    """Whether the printer can print, its paper level and the last problem, when checked."""

    online: bool
    paper: PaperLevel
    error: str | None
    checked_at: datetime

    @property
    def refuses_jobs(self) -> bool:
        """Tell whether the printer said, itself, that it cannot print now."""
        return self.paper == "out" or not self.online

    def payload(self) -> dict[str, Any]:
        """Return the `printer_status` event payload."""
        return {
            "v": SCHEMA_VERSION,
            "online": self.online,
            "paper": self.paper,
            "error": self.error,
            "checked_at": utc_text(self.checked_at),
        }

    def same_state(self, other: PrinterStatus | None) -> bool:
        """Tell whether another status says the same, whenever it was checked."""
        return other is not None and replace(other, checked_at=self.checked_at) == self


def utc_text(moment: datetime) -> str:
    """Format a time as ISO 8601 in UTC, e.g. `2026-11-23T02:15:04Z`."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def offline_status(reason: str, checked_at: datetime) -> PrinterStatus:
    """Return the status of a printer that cannot be used, and why."""
    return PrinterStatus(online=False, paper="unknown", error=reason, checked_at=checked_at)


def answers_status_queries(printer: Escpos) -> bool:
    """Tell whether the backend can read the printer's real-time status (USB, network, serial)."""
    reads = type(printer)._read is not Escpos._read
    # CupsPrinter's _read reports the CUPS queue's state, not the paper sensor.
    return reads and not isinstance(printer, CupsPrinter)


def read_status(printer: Escpos, checked_at: datetime) -> PrinterStatus:
    """Ask the printer for its online and paper state; `unknown` when the backend cannot tell."""
    if not answers_status_queries(printer):
        return PrinterStatus(online=True, paper="unknown", error=None, checked_at=checked_at)
    try:
        online = printer.is_online()
        paper = PAPER_LEVELS.get(printer.paper_status(), "unknown")
    except Exception as error:  # noqa: BLE001 — cheap printers often ignore DLE EOT yet print
        reason = f"printer did not answer the status query ({error or type(error).__name__})"
        return PrinterStatus(online=True, paper="unknown", error=reason, checked_at=checked_at)
    problem = PAPER_OUT if paper == "out" else None if online else OFFLINE
    return PrinterStatus(online=online, paper=paper, error=problem, checked_at=checked_at)
