"""The use-case context for the current request, built from the app's settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request

from server.extensions import socketio
from server.services.context import Context, system_clock
from server.services.publisher import Publisher, SocketIOPublisher, ThrottledPublisher

PUBLISHER = "antre_publisher"


def init_app(app: Flask) -> None:
    """Attach the publisher (Socket.IO, its state events throttled, unless a test set its own)
    and the hall's zone."""
    if PUBLISHER not in app.extensions:
        app.extensions[PUBLISHER] = app.config.get("ANTRE_PUBLISHER") or _socketio_publisher(app)
    app.extensions["antre_zone"] = ZoneInfo(app.config["ANTRE_TIMEZONE"])


def _socketio_publisher(app: Flask) -> Publisher:
    interval_s = app.config["ANTRE_STATE_INTERVAL_MS"] / 1000
    sockets = SocketIOPublisher(socketio)
    return ThrottledPublisher(sockets, interval_s) if interval_s > 0 else sockets


def publisher() -> Publisher:
    """The app's publisher."""
    return current_app.extensions[PUBLISHER]


def current_context() -> Context:
    """A context for the request being handled (or the app, outside a request)."""
    config = current_app.config
    public_url = config["ANTRE_PUBLIC_URL"] or (
        request.host_url if has_request_context() else "http://localhost:5000"
    )
    return Context(
        publisher=publisher(),
        clock=config.get("ANTRE_CLOCK") or system_clock,
        zone=current_app.extensions["antre_zone"],
        public_url=public_url,
        recall_limit=config["ANTRE_RECALL_LIMIT"],
        default_service_s=config["ANTRE_DEFAULT_SERVICE_S"],
    )
