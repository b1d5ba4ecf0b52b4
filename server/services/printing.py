"""Printed tickets: jobs go to the kiosk's print agent; results and printer states come back.

A ticket is committed before it is printed, so a print failure never loses it: the kiosk screen
shows the number and QR code and tells the visitor to photograph it. A job is sent to an agent
only while the visitor is still likely at the kiosk, and each job prints at most once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.errors import InvalidInput, NotFound, WrongState
from server.domain.tickets import TicketStatus
from server.models import Device, PrintJob, Ticket
from server.services import queue, rooms
from server.services.context import Context
from server.services.presenters import Named, iso
from server.services.publisher import AGENT_NAMESPACE, Outbox
from server.services.settings import settings

FRESH_JOB = timedelta(seconds=30)
PAPER_STATES = ("ok", "near_end", "out", "unknown")
DEVICE_BY_CODE = select(Device).where(Device.code == bindparam("code"))
INSERT_JOB = insert(PrintJob)
REPRINTABLE = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.HELD})


class KioskToPrint(Protocol):
    """What a print job needs of its kiosk: which one, and whether its agent is connected."""

    id: int
    agent_connected_at: datetime | None


def kiosk_by_code(session: Session, code: Any) -> Device:
    """The kiosk with this code, or a clear 400."""
    device = session.scalars(DEVICE_BY_CODE, {"code": str(code)}).first()
    if device is None or device.kind != "kiosk":
        raise unknown_kiosk(code)
    return device


def unknown_kiosk(code: Any) -> InvalidInput:
    """The 400 for a kiosk code that names no kiosk."""
    return InvalidInput(
        "unknown_kiosk", f"Kios '{code}' tidak dikenal.", f"Unknown kiosk '{code}'."
    )


def queue_print(
    session: Session,
    ctx: Context,
    outbox: Outbox,
    ticket: Ticket,
    device: KioskToPrint,
    view: dict[str, Any],
    agency: Named,
    first: bool = False,
) -> dict[str, Any]:
    """Create a print job in the caller's transaction; it goes out after the commit. `view` is
    the ticket as presented, `agency` its service's agency; `first` says the ticket was issued in
    this transaction, so no copy was printed before."""
    copy = 0 if first else _copies(session, ticket.id)
    status = "pending" if device.agent_connected_at else "no_agent"
    values = {
        "id": f"j-{secrets.token_hex(10)}",
        "ticket_id": ticket.id,
        "device_id": device.id,
        "copy": copy,
        "status": status,
        "created_at": ctx.now(),
        "finished_at": None,
        "error": None,
    }
    session.connection().execute(INSERT_JOB, values)  # one prepared insert, as the ticket's
    if status == "pending":
        payload = job_payload(session, values["id"], copy, ticket, view, agency)
        outbox.add("print_ticket", payload, [rooms.kiosk_room(device.id)], AGENT_NAMESPACE)
    return {"job_id": values["id"], "status": status, "copy": copy}


def _copies(session: Session, ticket_id: int) -> int:
    return session.scalar(select(func.count()).where(PrintJob.ticket_id == ticket_id)) or 0


def job_payload(
    session: Session,
    job_id: str,
    copy: int,
    ticket: Ticket,
    view: dict[str, Any],
    agency: Named,
) -> dict[str, Any]:
    """The `print_ticket` job for the agent (format v1, see kiosk/agent/README.md): copy `copy`
    of the ticket presented as `view`, whose service is `agency`'s."""
    english = ticket.lang == "en"
    footer_key = "hall_footer_en" if english else "hall_footer"
    hall = settings(session, {"hall_name": "Antre", footer_key: ""})
    return {
        "job_id": job_id,
        "lang": ticket.lang,
        "reprint": copy > 0,
        "hall": {"name": hall["hall_name"], "footer": hall[footer_key]},
        "ticket": {
            "number": ticket.number,
            "service": view["service_en"] if english else view["service"],
            "agency": (agency.name_en or agency.name) if english else agency.name,
            "issued_at": view["issued_at"],
            "ahead": view["ahead"] or 0,
            "estimated_wait_s": view["estimated_wait_s"],
            "priority": ticket.priority,
            "status_url": view["status_url"],
        },
    }


def reprint_ticket(
    session: Session, ctx: Context, ticket_id: int, kiosk_code: Any, own: bool = False
) -> dict[str, Any]:
    """Print a ticket again at a kiosk, with its current place in line; with `own`, only a
    ticket first printed at that kiosk (a kiosk may not print other visitors' QR codes)."""
    outbox = Outbox()
    with write_transaction(session):
        device = kiosk_by_code(session, kiosk_code)
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or (own and not _printed_at(session, ticket_id, device.id)):
            raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
        if ticket.status not in REPRINTABLE:
            raise WrongState(
                "not_reprintable",
                f"{ticket.number} sudah tidak dalam antrean; tidak perlu dicetak ulang.",
                f"{ticket.number} is no longer in the queue; there is nothing to reprint.",
            )
        view = queue.ticket_with_place(session, ctx, ticket)
        agency = ticket.service.agency
        view["print"] = queue_print(session, ctx, outbox, ticket, device, view, agency)
    outbox.send(ctx.publisher)
    return view


def _printed_at(session: Session, ticket_id: int, device_id: int) -> bool:
    return (
        session.scalar(
            select(PrintJob.id).where(
                PrintJob.ticket_id == ticket_id, PrintJob.device_id == device_id
            )
        )
        is not None
    )


def agent_connected(
    session: Session, ctx: Context, code: Any
) -> tuple[Device, list[dict[str, Any]]]:
    """Mark a kiosk's agent connected; return the fresh jobs it has not printed yet."""
    now = ctx.now()
    with write_transaction(session):
        device = kiosk_by_code(session, code)
        device.agent_connected_at = now
        jobs = session.scalars(
            select(PrintJob).where(PrintJob.device_id == device.id, PrintJob.status == "pending")
        ).all()
        resend = []
        for job in jobs:
            if now - job.created_at > FRESH_JOB:
                job.status, job.finished_at, job.error = "expired", now, "agent offline too long"
            else:
                ticket = job.ticket
                view = queue.ticket_with_place(session, ctx, ticket)
                agency = ticket.service.agency
                resend.append(job_payload(session, job.id, job.copy, ticket, view, agency))
    return device, [{"v": 1, **payload} for payload in resend]


def agent_disconnected(session: Session, ctx: Context, device_id: int) -> None:
    """Mark a kiosk's agent gone and tell the staff its printer cannot be reached."""
    outbox = Outbox()
    with write_transaction(session):
        device = session.get(Device, device_id)
        if device is None:
            return
        device.agent_connected_at = None
        device.printer_online, device.printer_error = False, "agent_offline"
        outbox.add(
            "printer_status", printer_json(device, ctx), [rooms.kiosk_room(device.id), rooms.STAFF]
        )
    outbox.send(ctx.publisher)


def record_print_result(session: Session, ctx: Context, device_id: int, result: Any) -> None:
    """Store what the agent reports for a job and tell the kiosk screen and the staff."""
    job_id, ok = _field(result, "job_id", str), _field(result, "ok", bool)
    outbox = Outbox()
    with write_transaction(session):
        job = session.get(PrintJob, job_id)
        if job is None or job.device_id != device_id:
            raise NotFound(
                "job_not_found", "Tugas cetak tidak dikenal.", f"Unknown print job {job_id}."
            )
        if job.status != "printed":
            job.status = "printed" if ok else "failed"
            job.error = None if ok else str(result.get("error") or "print failed")[:500]
            job.finished_at = ctx.now()
        payload = {
            "job_id": job.id,
            "ticket_id": job.ticket_id,
            "number": job.ticket.number,
            "ok": job.status == "printed",
            "error": job.error,
            "copy": job.copy,
        }
        outbox.add("print_result", payload, [rooms.kiosk_room(device_id), rooms.STAFF])
        if isinstance(result.get("printer"), dict):
            _store_printer_status(session.get(Device, device_id), result["printer"], ctx, outbox)
    outbox.send(ctx.publisher)


def record_printer_status(session: Session, ctx: Context, device_id: int, status: Any) -> None:
    """Store a printer status report and tell the kiosk screen and the staff."""
    outbox = Outbox()
    with write_transaction(session):
        _store_printer_status(session.get(Device, device_id), status, ctx, outbox)
    outbox.send(ctx.publisher)


def printer_json(device: Device, ctx: Context) -> dict[str, Any]:
    """A kiosk and its printer as the kiosk screen and the dashboard show them."""
    return {
        "kiosk": {"id": device.id, "code": device.code, "name": device.name},
        "agent_connected": device.agent_connected_at is not None,
        "online": device.printer_online,
        "paper": device.printer_paper or "unknown",
        "error": device.printer_error,
        "checked_at": iso(device.printer_checked_at, ctx),
    }


def _store_printer_status(device: Device | None, status: Any, ctx: Context, outbox: Outbox) -> None:
    if device is None:
        return
    online, paper = _field(status, "online", bool), status.get("paper", "unknown")
    if paper not in PAPER_STATES:
        raise InvalidInput(
            "invalid_paper", "Status kertas tidak dikenal.", f"Unknown paper state {paper!r}."
        )
    error = status.get("error")
    device.printer_online, device.printer_paper = online, paper
    device.printer_error = None if error is None else str(error)[:500]
    device.printer_checked_at = ctx.now()
    outbox.add(
        "printer_status", printer_json(device, ctx), [rooms.kiosk_room(device.id), rooms.STAFF]
    )


def _field(data: Any, name: str, kind: type) -> Any:
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, kind):
        raise InvalidInput(
            f"invalid_{name}", f"{name} tidak valid.", f"{name} must be a {kind.__name__}."
        )
    return value
