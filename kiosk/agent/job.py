"""The `print_ticket` job the server sends to a kiosk's print agent (schema v1), and its checks."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

SCHEMA_VERSION = 1
MAX_TEXT_LENGTH = 200
MAX_NUMBER_LENGTH = 16
MAX_STATUS_URL_LENGTH = 400

Language = Literal["id", "en"]


class JobError(ValueError):
    """A `print_ticket` payload that does not follow the v1 job format."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Hall:
    """The hall printed at the top and bottom of every ticket."""

    name: str
    footer: str


@dataclass(frozen=True)
class TicketFacts:
    """What a ticket says about the visitor's place in the queue."""

    number: str
    service: str
    agency: str
    issued_at: datetime
    ahead: int
    estimated_wait_s: float | None
    priority: bool
    status_url: str


@dataclass(frozen=True)
class PrintJob:
    """One request to print one ticket; each request, a reprint too, has its own `job_id`."""

    job_id: str
    lang: Language
    reprint: bool
    hall: Hall
    ticket: TicketFacts


def parse_job(payload: object) -> PrintJob:
    """Check a `print_ticket` payload and return its job; unknown extra keys are ignored."""
    body = _section(payload, "payload")
    _check_version(body)
    hall = _section(body.get("hall"), "hall")
    return PrintJob(
        job_id=_text(body, "", "job_id"),
        lang=_language(body.get("lang")),
        reprint=_flag(body, "", "reprint"),
        hall=Hall(name=_text(hall, "hall", "name"), footer=_text(hall, "hall", "footer", "")),
        ticket=_ticket(_section(body.get("ticket"), "ticket")),
    )


def job_id_of(payload: object) -> str | None:
    """Return the payload's job_id when it has a usable one, to answer even a rejected job."""
    if isinstance(payload, Mapping) and isinstance(payload.get("job_id"), str):
        return str(payload["job_id"]) or None
    return None


def _ticket(ticket: Mapping[str, Any]) -> TicketFacts:
    """Check the `ticket` section of a job."""
    return TicketFacts(
        number=_number(ticket),
        service=_text(ticket, "ticket", "service"),
        agency=_text(ticket, "ticket", "agency", ""),
        issued_at=_issued_at(ticket),
        ahead=_ahead(ticket),
        estimated_wait_s=_estimated_wait(ticket),
        priority=_flag(ticket, "ticket", "priority"),
        status_url=_status_url(ticket),
    )


def _section(value: object, field: str) -> Mapping[str, Any]:
    """Return a JSON object of the payload, refusing anything else."""
    if value is None:
        raise JobError(field, "missing")
    if not isinstance(value, Mapping):
        raise JobError(field, "must be a JSON object")
    return value


def _check_version(body: Mapping[str, Any]) -> None:
    """Refuse a payload that is not schema v1."""
    version = body.get("v")
    if version is None:
        raise JobError("v", f"missing; this agent understands v={SCHEMA_VERSION}")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise JobError("v", f"unsupported version {version!r}; this agent understands v=1")


def _path(where: str, key: str) -> str:
    """Name a field the way the error messages show it, e.g. `ticket.number`."""
    return f"{where}.{key}" if where else key


def _text(fields: Mapping[str, Any], where: str, key: str, default: str | None = None) -> str:
    """Return a one-line printable text field; `default` makes it optional."""
    value = fields.get(key)
    if value is None and default is not None:
        return default
    if value is None:
        raise JobError(_path(where, key), "missing")
    if not isinstance(value, str):
        raise JobError(_path(where, key), "must be a string")
    text = printable(value)
    if default is None and not text:
        raise JobError(_path(where, key), "must not be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise JobError(_path(where, key), f"longer than {MAX_TEXT_LENGTH} characters")
    return text


def printable(text: str) -> str:
    """Drop control characters (they would reach the printer as commands) and extra spaces."""
    visible = "".join(" " if not char.isprintable() else char for char in text)
    return " ".join(visible.split())


def _number(ticket: Mapping[str, Any]) -> str:
    """Return the ticket number, e.g. `A007`."""
    number = _text(ticket, "ticket", "number")
    if len(number) > MAX_NUMBER_LENGTH:
        raise JobError("ticket.number", f"longer than {MAX_NUMBER_LENGTH} characters")
    return number


def _flag(fields: Mapping[str, Any], where: str, key: str) -> bool:
    """Return an optional true/false field, false when absent."""
    value = fields.get(key, False)
    if not isinstance(value, bool):
        raise JobError(_path(where, key), "must be true or false")
    return value


def _language(value: object) -> Language:
    """Return `en` for an English job and Bahasa Indonesia for anything else."""
    if isinstance(value, str) and value.lower().startswith("en"):
        return "en"
    return "id"


def _issued_at(ticket: Mapping[str, Any]) -> datetime:
    """Return the issue time with the hall's own UTC offset."""
    value = ticket.get("issued_at")
    if value is None:
        raise JobError("ticket.issued_at", "missing")
    try:
        issued_at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        issued_at = None
    if issued_at is None:
        raise JobError(
            "ticket.issued_at", "must be an ISO 8601 time, e.g. 2026-11-23T09:15:04+07:00"
        )
    if issued_at.utcoffset() is None:
        raise JobError("ticket.issued_at", "needs a UTC offset, e.g. +07:00")
    return issued_at


def _ahead(ticket: Mapping[str, Any]) -> int:
    """Return how many visitors are ahead of this ticket."""
    value = ticket.get("ahead")
    if value is None:
        raise JobError("ticket.ahead", "missing")
    if type(value) is not int or value < 0:
        raise JobError("ticket.ahead", "must be a whole number, 0 or more")
    return value


def _estimated_wait(ticket: Mapping[str, Any]) -> float | None:
    """Return the estimated wait in seconds, or None when the server cannot tell."""
    value = ticket.get("estimated_wait_s")
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise JobError("ticket.estimated_wait_s", "must be a number of seconds, 0 or more, or null")
    return float(value)


def _status_url(ticket: Mapping[str, Any]) -> str:
    """Return the absolute http(s) URL of the ticket's status page, which the QR code encodes."""
    value = ticket.get("status_url")
    if value is None:
        raise JobError("ticket.status_url", "missing")
    if not isinstance(value, str) or not _is_web_address(value):
        raise JobError("ticket.status_url", "must be an absolute http(s) URL")
    if len(value) > MAX_STATUS_URL_LENGTH:
        raise JobError("ticket.status_url", f"longer than {MAX_STATUS_URL_LENGTH} characters")
    return value


def _is_web_address(value: str) -> bool:
    """Tell whether a string is an absolute http(s) URL without spaces or control characters."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and value.isprintable()
        and (" " not in value)
    )
