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

from server.services.rooms import is_zone_room

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


@dataclass(frozen=True)
class StateEvent:
    """An event that carries a whole state: whose state it is (`key`), which rooms hear it only
    once it has held for an interval (`settles`), and which facts, carrying the same key, tell
    those rooms the new state themselves (`superseded_by`)."""

    key: Callable[[dict[str, Any]], Any]
    settles: Callable[[str], bool] = lambda room: False
    superseded_by: frozenset[str] = frozenset()


STATE_EVENTS: dict[str, StateEvent] = {
    "queue_changed": StateEvent(lambda payload: payload["service_id"]),
    # A zone's displays read a counter's new ticket from the call itself, so the state a counter
    # passes through between two calls (done, idle) reaches them only if no call follows soon.
    "counter_changed": StateEvent(
        lambda payload: payload["counter"]["id"],
        settles=is_zone_room,
        superseded_by=frozenset({"ticket_called", "ticket_recalled"}),
    ),
}
SUPERSEDING = {
    fact: [name for name, state in STATE_EVENTS.items() if fact in state.superseded_by]
    for fact in set().union(*(state.superseded_by for state in STATE_EVENTS.values()))
}
Held = tuple[str, dict[str, Any], list[str], str]
Slot = tuple[tuple[str, str, Any], bool]  # (namespace, event, key), whether it is settling


class ThrottledPublisher:
    """Sends facts (a call, an issued ticket) at once, and each state (a service's waiting count,
    a counter's state) at most once per interval.

    A state event carries the whole state, so one that is superseded within the interval can be
    skipped: the first of a burst goes out at once, the newest of the rest when the interval
    ends. Screens in a busy hall then hear a few updates a second per service instead of one per
    ticket, and facts never wait behind them. Rooms where a state settles hear it one interval
    after it changed, the newest version, unless a fact that supersedes it reached them first.
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
        self.held: dict[Slot, tuple[float, Held]] = {}  # what waits, and when it is due
        self.last_sent: dict[tuple[str, str, Any], float] = {}
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def publish(
        self, event: str, payload: dict[str, Any], rooms: list[str], namespace: str = NAMESPACE
    ) -> None:
        """Send a fact now; send a state now unless one of its kind went out within the
        interval, else hold it (replacing any held one) until the interval ends; hold it for
        rooms where it settles."""
        state = STATE_EVENTS.get(event)
        if state is None:
            if event in SUPERSEDING:
                self._supersede(event, payload, rooms, namespace)
            self.inner.publish(event, payload, rooms, namespace)
            return
        key, now = (namespace, event, state.key(payload)), self.clock()
        settling = [room for room in rooms if state.settles(room)]
        at_once = [room for room in rooms if not state.settles(room)]
        send_now = False
        with self.lock:
            if settling:
                self._hold(
                    (key, True), now + self.interval_s, (event, payload, settling, namespace)
                )
            if at_once:
                last = self.last_sent.get(key)
                quiet = last is None or now - last >= self.interval_s
                if quiet and (key, False) not in self.held:
                    self.last_sent[key] = now
                    send_now = True
                else:  # due when the interval ends, or with the version already held
                    due = now if last is None else last + self.interval_s
                    self._hold((key, False), due, (event, payload, at_once, namespace))
            if self.held:
                self._start_thread()
        if send_now:
            self.inner.publish(event, payload, at_once, namespace)
        if self.held:
            self.wake.set()

    def send_due(self) -> float | None:
        """Send the held states whose time has come; seconds until the next is due."""
        now, due = self.clock(), []
        with self.lock:
            for slot, (at, held) in list(self.held.items()):
                if at <= now:
                    del self.held[slot]
                    due.append(held)
                    if not slot[1]:
                        self.last_sent[slot[0]] = now
            waits = [at - now for at, _ in self.held.values()]
        for event, payload, rooms, namespace in due:
            try:
                self.inner.publish(event, payload, rooms, namespace)
            except Exception:
                log.exception("could not publish %s", event)
        return min(waits, default=None)

    def _hold(self, slot: Slot, due: float, held: Held) -> None:
        """Hold the newest version for every room any version named, due when the first was."""
        if (earlier := self.held.get(slot)) is not None:
            due, rooms = earlier[0], list(dict.fromkeys([*earlier[1][2], *held[2]]))
            held = (held[0], held[1], rooms, held[3])
        self.held[slot] = (due, held)

    def _supersede(
        self, fact: str, payload: dict[str, Any], rooms: list[str], namespace: str
    ) -> None:
        """The rooms a fact reaches no longer wait for the settling states it replaces."""
        with self.lock:
            for name in SUPERSEDING[fact]:
                slot = ((namespace, name, STATE_EVENTS[name].key(payload)), True)
                if (waiting := self.held.get(slot)) is None:
                    continue
                due, (event, state, held_for, held_in) = waiting
                if left := [room for room in held_for if room not in rooms]:
                    self.held[slot] = (due, (event, state, left, held_in))
                else:
                    del self.held[slot]

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
