"""Fixtures for the print agent's tests: v1 job payloads and fake printers."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.agent import Paper, printer_profile, ticket_paper
from tests.fake_printers import SensingPrinter, StuckPrinter, UnpluggedPrinter

STATUS_URL = "http://hall.local:5000/t/Zk3q9Vn2LxW8pR4tYb6sHc1uJe"

TICKET_JOB: dict[str, Any] = {
    "v": 1,
    "job_id": "j-8f3a0c2e",
    "lang": "id",
    "reprint": False,
    "hall": {
        "name": "Mal Pelayanan Publik Kota Contoh",
        "footer": "Terima kasih. Simpan struk ini.",
    },
    "ticket": {
        "number": "A007",
        "service": "Perekaman KTP-el",
        "agency": "Dukcapil",
        "issued_at": "2026-11-23T09:15:04+07:00",
        "ahead": 3,
        "estimated_wait_s": 540,
        "priority": False,
        "status_url": STATUS_URL,
    },
}

JobMaker = Callable[..., dict[str, Any]]


@pytest.fixture
def make_job() -> JobMaker:
    """Return a builder of job payloads: `make_job(job_id="j-2", number="A008", lang="en")`."""

    def build(
        job_id: str = "j-8f3a0c2e", lang: str = "id", **ticket_changes: Any
    ) -> dict[str, Any]:
        payload = copy.deepcopy(TICKET_JOB)
        payload.update(job_id=job_id, lang=lang)
        payload["ticket"].update(ticket_changes)
        return payload

    return build


@pytest.fixture
def paper() -> Paper:
    """Return 80 mm paper with python-escpos's default profile."""
    return ticket_paper(80)


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """Return a clock stopped at 23 Nov 2026 02:15:04 UTC (09:15:04 WIB)."""
    return lambda: datetime(2026, 11, 23, 2, 15, 4, tzinfo=UTC)


@pytest.fixture
def sensing_printer(paper: Paper) -> SensingPrinter:
    """Return a printer with a paper sensor, paper loaded."""
    return SensingPrinter(profile=printer_profile(paper))


@pytest.fixture
def unplugged_printer(paper: Paper) -> UnpluggedPrinter:
    """Return a printer whose cable is out."""
    return UnpluggedPrinter(profile=printer_profile(paper))


@pytest.fixture
def stuck_printer(paper: Paper) -> Iterator[StuckPrinter]:
    """Return a printer that hangs on every write until released; released after the test."""
    printer = StuckPrinter(profile=printer_profile(paper))
    yield printer
    printer.released.set()
