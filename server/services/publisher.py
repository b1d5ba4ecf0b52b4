"""One way out for real-time events: to Socket.IO rooms, or to a list in tests.

Use cases collect their events in an `Outbox` while they write, and send them only after the
commit, so a screen never hears of a change the database does not have.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

SCHEMA_VERSION = 1
NAMESPACE = "/live"
AGENT_NAMESPACE = "/agent"
log = logging.getLogger(__name__)


class Publisher(Protocol):
    """Sends one event to a set of rooms."""

    def publish(
        self, event: str, payload: dict[str, Any], rooms: list[str], namespace: str = NAMESPACE
    ) -> None: ...


@dataclass
class Outbox:
    """Events waiting for the commit."""

    events: list[tuple[str, dict[str, Any], list[str], str]] = field(default_factory=list)

    def add(
        self, event: str, payload: dict[str, Any], rooms: list[str], namespace: str = NAMESPACE
    ) -> None:
        """Queue an event; its payload gets the schema version."""
        self.events.append((event, {"v": SCHEMA_VERSION, **payload}, rooms, namespace))

    def send(self, publisher: Publisher) -> None:
        """Publish everything queued; a failing screen link never undoes a committed change."""
        for event, payload, rooms, namespace in self.events:
            try:
                publisher.publish(event, payload, rooms, namespace)
            except Exception:
                log.exception("could not publish %s", event)
        self.events.clear()


class SocketIOPublisher:
    """Publishes to Flask-SocketIO rooms (through the message queue when one is set)."""

    def __init__(self, socketio: Any) -> None:
        self.socketio = socketio

    def publish(
        self, event: str, payload: dict[str, Any], rooms: list[str], namespace: str = NAMESPACE
    ) -> None:
        """Emit to every room at once."""
        if rooms:
            self.socketio.emit(event, payload, to=rooms, namespace=namespace)


@dataclass
class RecordingPublisher:
    """Keeps what was published, for tests and for the command line."""

    sent: list[tuple[str, dict[str, Any], list[str]]] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)

    def publish(
        self, event: str, payload: dict[str, Any], rooms: list[str], namespace: str = NAMESPACE
    ) -> None:
        """Record the event."""
        self.sent.append((event, payload, rooms))
        self.namespaces.append(namespace)

    def events(self, name: str) -> list[dict[str, Any]]:
        """Payloads of every event with this name, in order."""
        return [payload for event, payload, _ in self.sent if event == name]
