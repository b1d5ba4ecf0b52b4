"""Socket.IO: screens follow the hall on `/live`; kiosks' print agents work on `/agent`.

Events reach screens only through the publisher, after the database commit. The connection
is accepted before its handler runs (`always_connect`), so a handler may already send events.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, request
from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room

from server.domain.errors import DomainError
from server.extensions import db, socketio
from server.services import printing, rooms
from server.services.publisher import AGENT_NAMESPACE, NAMESPACE
from server.web.context import current_context

log = logging.getLogger(__name__)
ROOM = re.compile(r"^(zone|counter|service|kiosk):\d+$|^ticket:[A-Za-z0-9_-]{16,64}$|^staff$")
MAX_ROOMS = 16


def init_app(app: Flask) -> None:
    """Bind Socket.IO in threading mode, with the message queue when one is configured."""
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["ANTRE_MESSAGE_QUEUE"],
        cors_allowed_origins=app.config.get("ANTRE_CORS_ORIGINS", []),
        always_connect=True,
        ping_interval=10,
        ping_timeout=10,
    )
    registered = {handler.namespace for handler in socketio.namespace_handlers}
    if NAMESPACE not in registered:
        socketio.on_namespace(LiveNamespace(NAMESPACE))
    if AGENT_NAMESPACE not in registered:
        socketio.on_namespace(AgentNamespace(AGENT_NAMESPACE))


class LiveNamespace(Namespace):
    """Screens that follow the hall: displays, counters, kiosks, status pages, the dashboard."""

    def on_connect(self, auth: Any = None) -> None:
        """Anyone may listen for now; rooms say what they hear."""

    def on_subscribe(self, data: Any) -> dict[str, Any]:
        """Join the named rooms, e.g. `{"rooms": ["zone:1"]}`; answer which were joined."""
        names = data.get("rooms") if isinstance(data, dict) else None
        if not isinstance(names, list) or not names or len(names) > MAX_ROOMS:
            return {"ok": False, "error": "rooms must be a list of 1 to 16 room names"}
        bad = [name for name in names if not isinstance(name, str) or not ROOM.match(name)]
        if bad:
            return {"ok": False, "error": f"unknown rooms: {bad}"}
        for name in names:
            join_room(name, sid=request.sid, namespace=NAMESPACE)  # type: ignore[attr-defined]
        return {"ok": True, "rooms": names}


class AgentNamespace(Namespace):
    """Print agents: one per kiosk, known by the kiosk's code."""

    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        self.devices: dict[str, int] = {}

    def on_connect(self, auth: Any = None) -> None:
        """Accept a known kiosk's agent, and send it the fresh jobs it missed."""
        code = auth.get("kiosk") if isinstance(auth, dict) else None
        try:
            device, missed = printing.agent_connected(db.session, current_context(), code)
        except DomainError as error:
            raise ConnectionRefusedError(error.message("en")) from error
        sid = request.sid  # type: ignore[attr-defined]
        self.devices[sid] = device.id
        join_room(rooms.kiosk_room(device.id), sid=sid, namespace=AGENT_NAMESPACE)
        for job in missed:
            emit("print_ticket", job, to=sid, namespace=AGENT_NAMESPACE)
        log.info(
            "print agent of kiosk %s connected (%d missed jobs sent)", device.code, len(missed)
        )

    def on_disconnect(self, *_reason: Any) -> None:
        """The agent is gone: its printer cannot be reached until it returns."""
        device_id = self.devices.pop(request.sid, None)  # type: ignore[attr-defined]
        if device_id is not None and device_id not in self.devices.values():
            printing.agent_disconnected(db.session, current_context(), device_id)

    def on_print_result(self, result: Any) -> dict[str, Any]:
        """The agent printed a job, or could not."""
        return self._report(printing.record_print_result, result)

    def on_printer_status(self, status: Any) -> dict[str, Any]:
        """The agent's periodic or on-error printer report."""
        return self._report(printing.record_printer_status, status)

    def _report(self, use_case: Any, data: Any) -> dict[str, Any]:
        device_id = self.devices.get(request.sid)  # type: ignore[attr-defined]
        if device_id is None:
            return {"ok": False, "error": "not connected as a kiosk"}
        try:
            use_case(db.session, current_context(), device_id, data)
        except DomainError as error:
            return {"ok": False, "error": error.message("en")}
        return {"ok": True}
