"""The baseline of `bench/load.py`: a bare Flask-SocketIO app that only emits.

Same Socket.IO settings as Antre (threading mode, simple-websocket, the `/live` namespace with a
`subscribe` event, the message queue and channel from `ANTRE_MESSAGE_QUEUE[_CHANNEL]`), served by
the same gunicorn settings; `POST /emit/<id>` emits one `ticket_called` of the same shape to
`zone:1` and answers, with no database. Antre's call-to-display latency is reported as a ratio
to this one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, request
from flask_socketio import Namespace, SocketIO, join_room

ROOM = "zone:1"


def call_payload(ticket_id: int) -> dict[str, Any]:
    """A `ticket_called` payload shaped like Antre's (same keys, similar size)."""
    called_at = datetime.now(UTC).isoformat(timespec="seconds")
    number = f"A{ticket_id:03d}"
    return {
        "v": 1,
        "ticket": {
            "id": ticket_id,
            "token": "x" * 32,
            "number": number,
            "service_id": 1,
            "service": "KTP-el",
            "status": "called",
            "priority": False,
            "priority_class": None,
            "position": 0,
            "ahead": 0,
            "estimated_wait_s": 0,
            "counter_id": 1,
            "counter": "Loket 1",
            "issued_at": called_at,
            "called_at": called_at,
            "status_url": "http://127.0.0.1/t/" + "x" * 32,
            "reason": "Kedatangan paling awal",
            "reason_en": "Earliest arrival",
        },
        "counter": {"id": 1, "name": "Loket 1", "zone": 1},
        "call_id": ticket_id,
        "spoken": {
            "id": f"Nomor antrean, {number}. Silakan menuju loket 1.",
            "en": f"Number {number}, please go to counter 1.",
        },
    }


class Live(Namespace):
    def on_subscribe(self, data: Any) -> dict[str, Any]:
        for room in data["rooms"]:
            join_room(room, sid=request.sid, namespace="/live")  # type: ignore[attr-defined]
        return {"ok": True, "rooms": data["rooms"]}


def create_app() -> Flask:
    """The bare app, for `gunicorn 'bench.bare_emit:create_app()'`."""
    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode="threading",
        message_queue=os.environ.get("ANTRE_MESSAGE_QUEUE") or None,
        channel=os.environ.get("ANTRE_MESSAGE_QUEUE_CHANNEL", "antre"),
        cors_allowed_origins=[],
        always_connect=True,
        ping_interval=10,
        ping_timeout=10,
    )
    socketio.on_namespace(Live("/live"))

    @app.post("/emit/<int:ticket_id>")
    def emit_call(ticket_id: int) -> dict[str, Any]:
        socketio.emit("ticket_called", call_payload(ticket_id), to=ROOM, namespace="/live")
        return {"id": ticket_id}

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app
