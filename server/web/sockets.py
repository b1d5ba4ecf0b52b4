"""Socket.IO: screens subscribe to rooms on `/live`, and receive events published after commits."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from flask_socketio import Namespace, join_room

from server.extensions import socketio
from server.services.publisher import NAMESPACE

ROOM = re.compile(r"^(zone|counter|service):\d+$|^ticket:[A-Za-z0-9_-]{16,64}$|^staff$")
MAX_ROOMS = 16


def init_app(app: Flask) -> None:
    """Bind Socket.IO in threading mode, with the message queue when one is configured."""
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["ANTRE_MESSAGE_QUEUE"],
        cors_allowed_origins=app.config.get("ANTRE_CORS_ORIGINS", []),
        ping_interval=10,
        ping_timeout=10,
    )
    if not any(handler.namespace == NAMESPACE for handler in socketio.namespace_handlers):
        socketio.on_namespace(LiveNamespace(NAMESPACE))


class LiveNamespace(Namespace):
    """Screens that follow the hall: displays, counters, status pages, the dashboard."""

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
