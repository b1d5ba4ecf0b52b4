"""The queue ticket, written once against python-escpos's abstract `Escpos` printer."""

from __future__ import annotations

import textwrap

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos

from kiosk.agent.job import PrintJob, TicketFacts
from kiosk.agent.paper import Paper
from kiosk.agent.wording import Wording, ahead_text, local_time_text, wait_text, wording_for

MAX_QR_MODULE_DOTS = 8
FONT_A_DOTS = 12


def print_ticket(printer: Escpos, job: PrintJob, paper: Paper) -> None:
    """Print one queue ticket and cut the paper."""
    wording = wording_for(job.lang)
    _start(printer)
    _print_heading(printer, job, paper, wording)
    _print_number(printer, job.ticket, paper, wording)
    _print_service(printer, job.ticket, paper)
    _print_facts(printer, job.ticket, paper, wording)
    _print_status_code(printer, job.ticket.status_url, paper)
    _print_closing(printer, job, paper, wording)
    printer.cut()


def _start(printer: Escpos) -> None:
    """Reset the printer so that every ticket starts from the same state."""
    printer.hw("INIT")
    # ESC @ also resets the printer's code page, so python-escpos must select one again.
    printer.magic.encoding = None


def _print_heading(printer: Escpos, job: PrintJob, paper: Paper, wording: Wording) -> None:
    """Print the hall name and, on a reprint, the reprint mark."""
    printer.set(align="center", bold=True)
    _print_wrapped(printer, job.hall.name, paper.columns)
    printer.set(bold=False)
    if job.reprint:
        printer.textln(f"*** {wording.reprint} ***")
    printer.textln("-" * paper.columns)


def _print_number(printer: Escpos, ticket: TicketFacts, paper: Paper, wording: Wording) -> None:
    """Print the ticket number in very large type, and the priority mark."""
    printer.textln(wording.number)
    scale = number_scale(ticket.number, paper)
    printer.set(custom_size=True, width=scale, height=scale, bold=True)
    printer.textln(ticket.number)
    printer.set(custom_size=True, width=1, height=1, bold=False)
    if ticket.priority:
        printer.set(double_width=True, double_height=True, invert=True)
        printer.textln(f" {wording.priority} ")
        printer.set(normal_textsize=True, invert=False)


def number_scale(number: str, paper: Paper) -> int:
    """Return the largest text scale (1-8) at which the number still fits on one line."""
    return max(1, min(paper.number_scale, paper.columns // max(1, len(number)), 8))


def _print_service(printer: Escpos, ticket: TicketFacts, paper: Paper) -> None:
    """Print the service in bold, double-height type, and its agency."""
    printer.ln()
    printer.set(bold=True, double_height=True)
    _print_wrapped(printer, ticket.service, paper.columns)
    printer.set(normal_textsize=True, bold=False)
    if ticket.agency:
        _print_wrapped(printer, ticket.agency, paper.columns)
    printer.textln("-" * paper.columns)


def _print_facts(printer: Escpos, ticket: TicketFacts, paper: Paper, wording: Wording) -> None:
    """Print the issue time, the people ahead and the estimated wait as label-value rows."""
    printer.set(align="left")
    facts = (
        (wording.issued, local_time_text(ticket.issued_at, wording)),
        (wording.ahead, ahead_text(ticket.ahead, wording)),
        (wording.wait, wait_text(ticket.estimated_wait_s, wording)),
    )
    for label, value in facts:
        printer.text(fact_row(label, value, paper.columns))
    printer.set(align="center")


def fact_row(label: str, value: str, columns: int) -> str:
    """Lay out `label ....... value` on one line, or on two when both do not fit."""
    if len(label) + 1 + len(value) <= columns:
        return f"{label}{value.rjust(columns - len(label))}\n"
    return f"{label}\n{value.rjust(columns)}\n"


def _print_status_code(printer: Escpos, status_url: str, paper: Paper) -> None:
    """Print the status page's QR code as a raster image, centred, as large as the paper allows."""
    module_dots = qr_module_dots(status_url, paper.qr_dots)
    printer.qr(status_url, ec=QR_ECLEVEL_M, size=module_dots, native=False, center=True)


def qr_module_dots(content: str, max_dots: int) -> int:
    """Return the dots per QR module that fit the code, as python-escpos draws it, in `max_dots`."""
    code = qrcode.QRCode(version=None, border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(content)
    code.make(fit=True)
    modules_across = int(code.modules_count) + 2
    return max(1, min(MAX_QR_MODULE_DOTS, max_dots // modules_across))


def _print_closing(printer: Escpos, job: PrintJob, paper: Paper, wording: Wording) -> None:
    """Print the scan instruction and the hall's footer."""
    _print_wrapped(printer, wording.scan, paper.columns)
    if job.hall.footer:
        printer.ln()
        _print_wrapped(printer, job.hall.footer, paper.columns)


def _print_wrapped(printer: Escpos, text: str, columns: int) -> None:
    """Print text wrapped at word boundaries to the line width."""
    for line in textwrap.wrap(text, columns) or [""]:
        printer.textln(line)
