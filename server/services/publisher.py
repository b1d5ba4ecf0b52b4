"""One way out for real-time events: to Socket.IO rooms, or to a list in tests.

Use cases collect their events in an `Outbox` while they write, and send them only after the
commit, so a screen never hears of a change the database does not have.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
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


STATE_EVENTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "queue_changed": lambda payload: payload["service_id"],
    "counter_changed": lambda payload: payload["counter"]["id"],
}
Held = tuple[str, dict[str, Any], list[str], str]


class ThrottledPublisher:
    """Sends facts (a call, an issued ticket) at once, and each state (a service's waiting count,
    a counter's state) at most once per interval.

    A state event carries the whole state, so one that is superseded within the interval can be
    skipped: the first of a burst goes out at once, the newest of the rest when the interval
    ends. Screens in a busy hall then hear a few updates a second per service instead of one per
    ticket, and facts never wait behind them.
    """

    def __init__(
        self,
        inner: Publisher,
        interval_s: float,
        clock: Callable[[], float] = time.monotonic,
        background: bool = True,
    ) -> None:
        self.inner, self.interval_s, self.clock = inner, interval_s, clock
        self.background = background  # a thread sends what is held; tests call `send_due`
        self.lock = threading.Lock()
        self.held: dict[tuple[str, str, Any], Held] = {}
        self.last_sent: dict[tuple[str, str, Any], float] = {}
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def publish(
        self, event: str, payload: dict[str, Any], rooms: list[str], namespace: str = NAMESPACE
    ) -> None:
        """Send a fact now; send a state now unless one of its kind went out within the
        interval, else hold it (replacing any held one) until the interval ends."""
        key_of = STATE_EVENTS.get(event)
        if key_of is None:
            self.inner.publish(event, payload, rooms, namespace)
            return
        key, now = (namespace, event, key_of(payload)), self.clock()
        with self.lock:
            held = self.held.get(key)
            if held is None and now - self.last_sent.get(key, -self.interval_s) >= self.interval_s:
                self.last_sent[key] = now
                send_now = True
            else:
                rooms = rooms if held is None else list(dict.fromkeys([*held[2], *rooms]))
                self.held[key] = (event, payload, rooms, namespace)
                send_now = False
                self._start_thread()
        if send_now:
            self.inner.publish(event, payload, rooms, namespace)
        else:
            self.wake.set()

    def send_due(self) -> float | None:
        """Send the held states whose interval has ended; seconds until the next is due."""
        now, due = self.clock(), []
        with self.lock:
            for key in list(self.held):
                if now - self.last_sent[key] >= self.interval_s:
                    due.append(self.held.pop(key))
                    self.last_sent[key] = now
            waits = [self.last_sent[key] + self.interval_s - now for key in self.held]
        for event, payload, rooms, namespace in due:
            try:
                self.inner.publish(event, payload, rooms, namespace)
            except Exception:
                log.exception("could not publish %s", event)
        return min(waits, default=None)

    def _start_thread(self) -> None:
        if self.background and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="antre-states", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            while (wait_s := self.send_due()) is not None:
                time.sleep(max(wait_s, 0.001))


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
