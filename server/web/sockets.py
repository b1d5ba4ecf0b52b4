"""Socket.IO: screens follow the hall on `/live`; kiosks' print agents work on `/agent`.

Events reach screens only through the publisher, after the database commit. The connection
is accepted before its handler runs (`always_connect`), so a handler may already send events.

Who may listen to what: anyone to `ticket:<token>` (the token is the key) and `service:<id>`
(waiting counts); a paired display or staff to `zone:<id>`; a kiosk to its own `kiosk:<id>`
(staff to any); only signed-in staff to `counter:<id>` and `staff`. Only a paired kiosk's agent
may connect to `/agent`. A connection opened with a device's token is dropped when that device
is revoked: at once by the process that revoked it, within seconds by every other process.

Websockets are not compressed. Browsers offer per-message deflate and the websocket server would
accept it; then every event is compressed once for each screen, and each screen's connection keeps
its own compressor (over 100 KiB). Events are a few hundred bytes on the hall's network, so the
offer is declined (`Uncompressed`).
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from flask import Flask, g, request
from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room

from server.domain.errors import DomainError
from server.domain.pairing import secret_hash
from server.extensions import db, socketio
from server.services import devices, printing, rooms
from server.services.publisher import AGENT_NAMESPACE, NAMESPACE
from server.web.access import request_device, staff_role
from server.web.context import current_context

log = logging.getLogger(__name__)
ROOM = re.compile(r"^(zone|counter|service|kiosk):\d+$|^ticket:[A-Za-z0-9_-]{16,64}$|^staff$")
MAX_ROOMS = 16
SWEEP_EVERY_S = 5.0
_device_sockets: dict[str, tuple[str, str]] = {}  # sid → (namespace, hash of the device's token)
_device_sockets_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Bind Socket.IO in threading mode, with the message queue when one is configured."""
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["ANTRE_MESSAGE_QUEUE"],
        channel=app.config["ANTRE_MESSAGE_QUEUE_CHANNEL"],
        cors_allowed_origins=app.config.get("ANTRE_CORS_ORIGINS"),  # None: same origin only
        always_connect=True,
        ping_interval=10,
        ping_timeout=10,
    )
    app.wsgi_app = Uncompressed(app.wsgi_app)  # type: ignore[method-assign]
    registered = {handler.namespace for handler in socketio.namespace_handlers}
    if NAMESPACE not in registered:
        socketio.on_namespace(LiveNamespace(NAMESPACE))
    if AGENT_NAMESPACE not in registered:
        socketio.on_namespace(AgentNamespace(AGENT_NAMESPACE))


class Uncompressed:
    """WSGI middleware that takes a websocket handshake's offer of extensions (per-message
    deflate) away, so the connection is opened without them."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.app(environ, start_response)


def may_join(room: str) -> bool:
    """Whether this connection may listen to `room` (a name ROOM matched)."""
    kind, _, key = room.partition(":")
    if kind in ("ticket", "service"):
        return True
    if staff_role() is not None:
        return True
    if kind == "zone":
        return request_device("display") is not None
    if kind == "kiosk":
        kiosk = request_device("kiosk")
        return kiosk is not None and str(kiosk.id) == key
    return False  # counter:<id> and staff


class LiveNamespace(Namespace):
    """Screens that follow the hall: displays, counters, kiosks, status pages, the dashboard."""

    def on_connect(self, auth: Any = None) -> None:
        """Anyone may connect (a status page follows its ticket); rooms say who may listen."""
        if request_device() is not None:
            watch(request.sid, NAMESPACE, g.antre_device_token)  # type: ignore[attr-defined]

    def on_disconnect(self, *_reason: Any) -> None:
        """Forget the connection."""
        unwatch(request.sid)  # type: ignore[attr-defined]

    def on_subscribe(self, data: Any) -> dict[str, Any]:
        """Join the named rooms, e.g. `{"rooms": ["zone:1"]}`; answer which were joined."""
        names = data.get("rooms") if isinstance(data, dict) else None
        if not isinstance(names, list) or not names or len(names) > MAX_ROOMS:
            return {"ok": False, "error": "rooms must be a list of 1 to 16 room names"}
        bad = [name for name in names if not isinstance(name, str) or not ROOM.match(name)]
        if bad:
            return {"ok": False, "error": f"unknown rooms: {bad}"}
        refused = [name for name in names if not may_join(name)]
        if refused:
            return {"ok": False, "error": f"not allowed: {refused}", "refused": refused}
        for name in names:
            join_room(name, sid=request.sid, namespace=NAMESPACE)  # type: ignore[attr-defined]
        return {"ok": True, "rooms": names}


class AgentNamespace(Namespace):
    """Print agents: one per kiosk, known by the kiosk's device token."""

    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        self.devices: dict[str, int] = {}

    def on_connect(self, auth: Any = None) -> None:
        """Accept a paired kiosk's agent, and send it the fresh jobs it missed."""
        auth = auth if isinstance(auth, dict) else {}
        token = auth.get("token") if isinstance(auth.get("token"), str) else None
        device = devices.device_for_token(db.session, token) if token else None
        if device is None or device.kind != "kiosk":
            log.warning(
                "refused a print agent without a paired kiosk's token (%r)", auth.get("kiosk")
            )
            raise ConnectionRefusedError(
                "not a paired kiosk: pair the agent (antre-print-agent --pair)"
            )
        if auth.get("kiosk") not in (None, "", device.code):
            raise ConnectionRefusedError(f"this token belongs to kiosk {device.code}")
        try:
            device, missed = printing.agent_connected(db.session, current_context(), device.code)
        except DomainError as error:
            raise ConnectionRefusedError(error.message("en")) from error
        sid = request.sid  # type: ignore[attr-defined]
        self.devices[sid] = device.id
        watch(sid, AGENT_NAMESPACE, token)
        join_room(rooms.kiosk_room(device.id), sid=sid, namespace=AGENT_NAMESPACE)
        for job in missed:
            emit("print_ticket", job, to=sid, namespace=AGENT_NAMESPACE)
        log.info(
            "print agent of kiosk %s connected (%d missed jobs sent)", device.code, len(missed)
        )

    def on_disconnect(self, *_reason: Any) -> None:
        """The agent is gone: its printer cannot be reached until it returns."""
        unwatch(request.sid)  # type: ignore[attr-defined]
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


def watch(sid: str, namespace: str, token: str) -> None:
    """Remember that a connection holds a device's token, to drop it if the device is revoked."""
    with _device_sockets_lock:
        _device_sockets[sid] = (namespace, secret_hash(token))


def unwatch(sid: str) -> None:
    """The connection is gone."""
    with _device_sockets_lock:
        _device_sockets.pop(sid, None)


def drop_revoked_sockets() -> int:
    """Disconnect this process's connections whose device token was revoked; how many."""
    with _device_sockets_lock:
        watched = dict(_device_sockets)
    if not watched:
        return 0
    live = devices.live_token_hashes(db.session, {token for _, token in watched.values()})
    dropped = 0
    for sid, (namespace, token) in watched.items():
        if token not in live:
            unwatch(sid)
            socketio.server.disconnect(sid, namespace=namespace)
            dropped += 1
    if dropped:
        log.info("dropped %d connections of revoked devices", dropped)
    return dropped


def start_revocation_sweeper(app: Flask) -> threading.Event:
    """Every few seconds, drop connections of devices revoked elsewhere (the CLI, another
    process); returns the event that stops it. Started by the served process (`server.wsgi`),
    never by `create_app`."""
    stop = threading.Event()

    def sweep() -> None:
        while not stop.wait(SWEEP_EVERY_S):
            with app.app_context():
                try:
                    drop_revoked_sockets()
                except Exception:  # the next sweep tries again
                    log.exception("could not check for revoked devices")
                finally:
                    db.session.remove()

    threading.Thread(target=sweep, name="antre-revoked-devices", daemon=True).start()
    return stop
