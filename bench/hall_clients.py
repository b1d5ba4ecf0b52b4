"""The load benchmark's clients: kiosks and counters are threads over HTTP; displays are real
python-socketio clients (its asyncio client), in a few child processes so that hearing does not
compete with calling for this process's GIL. Times are `time.monotonic()`, one clock for every
process of the machine.

Each client is who it would be in the hall: a kiosk is a paired kiosk's browser (its device
cookie, and the CSRF token of its page on every POST), a counter an officer signed in (the
session cookie, and the `csrf_token` the sign-in answered), a display a paired display's browser
(its device cookie on the Socket.IO connection, which may then join the zone's room).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

import requests
import socketio

from bench.hall_setup import OFFICER_PASSWORD

TIMEOUT_S = 60
CONNECTING_AT_ONCE = 20
SETTLE_S = 1.0  # after the last call was heard everywhere: time for a second copy to arrive
KIOSK_COOKIE, DISPLAY_COOKIE = "antre_kiosk", "antre_display"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Kiosk:
    """A paired kiosk's browser on one server: its code and its HTTP session."""

    server: int
    code: str
    session: requests.Session


def kiosk_session(url: str, code: str, token: str) -> requests.Session:
    """A paired kiosk's browser: its device cookie, its page loaded, and the page's CSRF token
    sent with every request (as `api.js` sends it)."""
    session = requests.Session()
    session.headers["User-Agent"] = "antre-bench-kiosk"
    session.cookies.set(KIOSK_COOKIE, token)
    page = session.get(f"{url}/kiosk", params={"kiosk": code}, timeout=TIMEOUT_S)
    page.raise_for_status()
    found = CSRF_META.search(page.text)
    if found is None:
        raise RuntimeError(f"no csrf-token meta tag on the kiosk page of {code}")
    session.headers["X-CSRF-Token"] = found.group(1)
    return session


def officer_session(url: str, number: int, counter_id: int) -> requests.Session:
    """An officer signed in (sending the session's CSRF token), with their counter opened."""
    session = requests.Session()
    signed_in = session.post(
        f"{url}/api/v1/session",
        json={"username": f"bench{number}", "password": OFFICER_PASSWORD},
        timeout=TIMEOUT_S,
    )
    signed_in.raise_for_status()
    session.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
    opened = session.post(f"{url}/api/v1/counters/{counter_id}/open", json={}, timeout=TIMEOUT_S)
    if opened.status_code != 200:
        raise RuntimeError(f"bench{number} could not open counter {counter_id}: {opened.text}")
    return session


@dataclass
class Request:
    """One measured request: which server, when it was sent, how long it took, what came back."""

    server: int
    sent: float
    seconds: float
    status: int
    body: dict[str, Any] | None
    error: str | None = None


class Budget:
    """Hands out operation numbers 0 … total-1 to the threads sharing the work."""

    def __init__(self, total: int) -> None:
        self.total, self.numbers, self.lock = total, count(), threading.Lock()

    def take(self) -> int | None:
        with self.lock:
            number = next(self.numbers)
        return number if number < self.total else None


def run_threads(workers: list[Callable[[], None]]) -> float:
    """Run the workers together; the seconds from start to the last one's end."""
    threads = [threading.Thread(target=worker) for worker in workers]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - began


def measure(server: int, send: Callable[[], requests.Response]) -> Request:
    sent = time.monotonic()
    try:
        answer = send()
    except requests.RequestException as error:
        return Request(server, sent, time.monotonic() - sent, 0, None, repr(error))
    seconds = time.monotonic() - sent
    body = answer.json() if answer.content and answer.status_code < 300 else None
    error = None if answer.status_code < 300 else answer.text[:300]
    return Request(server, sent, seconds, answer.status_code, body, error)


def issue_tickets(
    urls: list[str], kiosks: list[Kiosk], total: int, services: list[int]
) -> list[Request]:
    """The kiosks (each on its server) issue `total` tickets between them, as fast as answered,
    each as the kiosk page asks: naming itself, so that the ticket is printed there."""
    budget, done = Budget(total), []

    def kiosk_loop(kiosk: Kiosk) -> None:
        url = f"{urls[kiosk.server]}/api/v1/tickets"
        while (index := budget.take()) is not None:
            service = services[index % len(services)]
            body = {"service_id": service, "lang": "id", "kiosk": kiosk.code}
            done.append(
                measure(
                    kiosk.server,
                    lambda body=body: kiosk.session.post(url, json=body, timeout=TIMEOUT_S),
                )
            )

    run_threads([lambda kiosk=kiosk: kiosk_loop(kiosk) for kiosk in kiosks])
    return done


def call_and_complete(
    url: str, session: requests.Session, counter_id: int, server: int, _index: int
) -> Request:
    """Antre: call the next visitor (measured), then complete them (not measured)."""
    call = measure(
        server,
        lambda: session.post(f"{url}/api/v1/counters/{counter_id}/call-next", timeout=TIMEOUT_S),
    )
    if call.status == 200 and call.body:
        done = session.post(
            f"{url}/api/v1/tickets/{call.body['id']}/complete",
            json={"counter_id": counter_id},
            timeout=TIMEOUT_S,
        )
        if done.status_code != 200:
            call.error = f"complete answered {done.status_code}: {done.text[:200]}"
    return call


def bare_emit(
    url: str, session: requests.Session, _counter_id: int, server: int, index: int
) -> Request:
    """The bare app: one emit of a `ticket_called` with id `index`."""
    return measure(server, lambda: session.post(f"{url}/emit/{index}", timeout=TIMEOUT_S))


@dataclass
class Desk:
    """A counter worked by one officer on one server."""

    server: int
    counter_id: int
    session: requests.Session


def work_counters(
    urls: list[str],
    desks: list[Desk],
    total: int,
    call: Callable[..., Request],
    rate: float | None = None,
    first: int = 1,
) -> list[Request]:
    """The desks make `total` calls between them: call i at i / `rate` seconds from the start,
    by whichever desk is free (as fast as answered without a rate). Ids count from `first`."""
    budget, done, began = Budget(total), [], time.monotonic()

    def desk_loop(desk: Desk) -> None:
        while (index := budget.take()) is not None:
            if rate and (wait := began + index / rate - time.monotonic()) > 0:
                time.sleep(wait)
            url = urls[desk.server]
            done.append(call(url, desk.session, desk.counter_id, desk.server, first + index))

    run_threads([lambda desk=desk: desk_loop(desk) for desk in desks])
    return done


def _display_child(
    urls: list[str], first: int, tokens: list[str | None], room: str, deflate: bool, pipe: Any
) -> None:
    """A child process's displays: python-socketio's asyncio clients on one event loop, so that
    hearing an event costs a task, not a thread (the threaded client starts one per message)."""
    for name in ("engineio.client", "socketio.client"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # no "packet queue is empty" at exit
    asyncio.run(_displays(urls, first, tokens, room, deflate, pipe))


async def _displays(
    urls: list[str], first: int, tokens: list[str | None], room: str, deflate: bool, pipe: Any
) -> None:
    receipts: list[tuple[int, int, float]] = []
    heard = {"events": 0}
    clients: list[socketio.AsyncClient] = []
    connecting = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def display(index: int, token: str | None) -> None:
        async def on_event(event: str, payload: Any) -> None:
            at = time.monotonic()
            heard["events"] += 1
            if event == "ticket_called":
                receipts.append((index, payload["ticket"]["id"], at))

        offer = {"compress": 15} if deflate else {}  # per-message deflate, as browsers offer it
        client = socketio.AsyncClient(reconnection=False, websocket_extra_options=offer)
        client.on("*", on_event, namespace="/live")
        async with connecting:
            await client.connect(
                urls[index % len(urls)],
                headers={"Cookie": f"{DISPLAY_COOKIE}={token}"} if token else {},
                namespaces=["/live"],
                transports=["websocket"],
                wait_timeout=TIMEOUT_S,
            )
            clients.append(client)
            answer = await client.call(
                "subscribe", {"rooms": [room]}, namespace="/live", timeout=TIMEOUT_S
            )
            if not (isinstance(answer, dict) and answer.get("ok")):
                raise RuntimeError(f"display {index} may not join {room}: {answer}")

    try:
        await asyncio.gather(
            *(display(first + offset, token) for offset, token in enumerate(tokens))
        )
    except Exception as error:  # noqa: BLE001 - reported to the parent, which stops the run
        pipe.send(("error", f"displays {first}…{first + len(tokens) - 1}: {error!r}"))
    else:
        pipe.send(("ready", len(clients)))
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, pipe.recv) != "stop":  # "take"
        pipe.send((list(receipts), heard["events"]))
        receipts.clear()
        heard["events"] = 0
    await asyncio.gather(*(client.disconnect() for client in clients), return_exceptions=True)
    pipe.send("stopped")


class Displays:
    """Displays in `room`, display i on server i % len(urls), in child processes; display i
    is the paired display whose token is `tokens[i]` (None: no device cookie, for the bare
    app); with `deflate`, each offers per-message deflate as a browser does."""

    def __init__(
        self,
        urls: list[str],
        tokens: list[str | None],
        room: str,
        processes: int,
        deflate: bool = False,
    ) -> None:
        self.number, self.pipes, self.children = len(tokens), [], []
        context = multiprocessing.get_context("spawn")
        share = [self.number // processes + (p < self.number % processes) for p in range(processes)]
        began, first = time.monotonic(), 0
        for size in (size for size in share if size):
            parent, child = context.Pipe()
            process = context.Process(
                target=_display_child,
                args=(urls, first, tokens[first : first + size], room, deflate, child),
                daemon=True,
            )
            process.start()
            self.pipes.append(parent)
            self.children.append(process)
            first += size
        failures = [detail for status, detail in (pipe.recv() for pipe in self.pipes)
                    if status != "ready"]  # fmt: skip
        if failures:
            self.close()
            raise RuntimeError("; ".join(failures))
        self.connect_s = time.monotonic() - began

    def take(self) -> tuple[list[tuple[int, int, float]], int]:
        """Every `ticket_called` heard since the last take (display, ticket id, time), and how
        many events of any kind were heard."""
        receipts, events = [], 0
        for pipe in self.pipes:
            pipe.send("take")
            heard, heard_events = pipe.recv()
            receipts.extend(heard)
            events += heard_events
        return receipts, events

    def wait_for(
        self, ticket_ids: set[int], timeout_s: float = 15
    ) -> tuple[list[tuple[int, int, float]], int]:
        """Receipts until every display heard every one of `ticket_ids` (or the time is up),
        then for `SETTLE_S` more, so that a call heard twice is counted twice; and how many
        events of any kind were heard meanwhile."""
        receipts: list[tuple[int, int, float]] = []
        events, deadline = 0, time.monotonic() + timeout_s
        while True:
            taken, heard_events = self.take()
            receipts.extend(taken)
            events += heard_events
            heard = {(display, ticket) for display, ticket, _ in receipts if ticket in ticket_ids}
            if len(heard) >= self.number * len(ticket_ids) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        time.sleep(SETTLE_S)
        taken, heard_events = self.take()
        receipts.extend(taken)
        return receipts, events + heard_events

    def close(self) -> None:
        for pipe in self.pipes:
            try:
                pipe.send("stop")
                while pipe.recv() != "stopped":
                    pass
            except (EOFError, OSError):
                pass  # the child is gone already
        for process in self.children:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
