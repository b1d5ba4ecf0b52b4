"""The single-box setup: the kiosk's print agent runs inside the server process.

`ANTRE_LOCAL_AGENT="K1 usb:0416:5011 80"` (kiosk code, printer URI, optional paper width in mm)
starts the very same agent a kiosk PC runs, in a background thread, connected to this server over
the loopback interface with a device token the server gives it (no pairing code needed). It is
started by the gunicorn entry point, never by `create_app`.
"""

from __future__ import annotations

import logging
import os
import threading

from flask import Flask

log = logging.getLogger(__name__)


def parse_spec(spec: str) -> tuple[str, str, int]:
    """Split `"K1 dummy: 58"` into kiosk code, printer URI and paper width."""
    parts = spec.split()
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("58", "80")):
        raise ValueError(f"ANTRE_LOCAL_AGENT={spec!r}: expected 'KIOSK PRINTER_URI [58|80]'")
    return parts[0], parts[1], int(parts[2]) if len(parts) == 3 else 80


def start_local_agent(app: Flask) -> threading.Event | None:
    """Start the in-process print agent when configured; returns the event that stops it."""
    spec = app.config.get("ANTRE_LOCAL_AGENT") or os.environ.get("ANTRE_LOCAL_AGENT")
    if not spec:
        return None
    from kiosk.agent import PrintAgent, printer_factory, ticket_paper
    from kiosk.agent.client import AgentLink, Device

    kiosk, uri, width_mm = parse_spec(spec)
    token = _own_token(app, kiosk)
    if token is None:
        return None
    paper = ticket_paper(width_mm)
    agent = PrintAgent(printer_factory(uri, paper), paper)
    port = os.environ.get("ANTRE_PORT", "5000")
    link = AgentLink(agent, Device(f"http://127.0.0.1:{port}", kiosk, token))
    stop = threading.Event()
    threading.Thread(target=link.serve, args=(stop,), name="antre-local-agent", daemon=True).start()
    log.info("in-process print agent for kiosk %s on %s (%d mm)", kiosk, uri, width_mm)
    return stop


def _own_token(app: Flask, kiosk: str) -> str | None:
    """The server pairs its own agent: a fresh token for the kiosk (the last one is dropped)."""
    from server.domain.errors import DomainError
    from server.extensions import db
    from server.services.devices import issue_token
    from server.web.context import current_context

    with app.app_context():
        try:
            return issue_token(db.session, current_context(), kiosk, "local_agent")
        except DomainError as error:
            log.error("ANTRE_LOCAL_AGENT: %s; the in-process agent is not started", error)
            return None
        finally:
            db.session.remove()
