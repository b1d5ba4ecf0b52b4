"""Antre's print agent: prints queue tickets on an ESC/POS thermal printer.

On a kiosk PC it runs as ``python -m kiosk.agent`` (or ``antre-print-agent``) and talks to the
server over Socket.IO (see ``README.md`` next to this file). In a single-box setup the server
can run the same logic in-process, without Socket.IO::

    from kiosk.agent import PrintAgent, printer_factory, ticket_paper

    paper = ticket_paper(80, profile="default")  # or 58; any python-escpos profile
    agent = PrintAgent(printer_factory("usb:0416:5011", paper), paper, print_timeout_s=15)

    reply = agent.handle(print_ticket_payload)  # the v1 job dict; never raises for bad input
    reply.result  # `print_result`: {"v", "job_id", "ok", "duplicate", "error", "printer"}
    reply.status  # `printer_status`: {"v", "online", "paper", "error", "checked_at"}

    agent.check_printer()  # a fresh `printer_status` payload
    agent.close()  # on shutdown

``printer_factory`` checks the URI at once (raising ``PrinterUnavailable`` for a malformed one)
and opens the printer only when a job needs it. Any other ``Callable[[], Escpos]`` works as the
factory, e.g. ``lambda: Dummy(profile=printer_profile(paper))`` in tests. ``handle`` blocks
for at most ``print_timeout_s``, prints each ``job_id`` at most once (a repeat answers
``ok: true, duplicate: true``) and is safe to call from several threads: jobs print one at a
time. ``parse_job`` alone checks a payload against the v1 job format.

This package imports neither Flask nor the server.
"""

from kiosk.agent.job import JobError, PrintJob, parse_job
from kiosk.agent.layout import print_ticket
from kiosk.agent.paper import PAPER_58, PAPER_80, Paper, printer_profile, ticket_paper
from kiosk.agent.printers import PrinterUnavailable, open_printer, printer_factory
from kiosk.agent.runner import AgentReply, PrintAgent
from kiosk.agent.status import PrinterStatus

__all__ = [
    "PAPER_58",
    "PAPER_80",
    "AgentReply",
    "JobError",
    "Paper",
    "PrintAgent",
    "PrintJob",
    "PrinterStatus",
    "PrinterUnavailable",
    "open_printer",
    "parse_job",
    "print_ticket",
    "printer_factory",
    "printer_profile",
    "ticket_paper",
]
