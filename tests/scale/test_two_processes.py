"""Two server processes on one PostgreSQL database and one Redis message queue.

What a kiosk, a counter or a command does through one process reaches the screens connected to
either process, exactly once; kiosks and counters working both processes at once never share a
number or a ticket.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
import sqlalchemy
from playwright.sync_api import Browser, expect

from tests.browser.conftest import watch_page
from tests.browser.screens import TV, pair_browser, wait_until_live
from tests.conftest import (
    ROOT,
    LiveServer,
    free_port,
    launch_live_server,
    socket_headers,
    start_live_server,
    stop_live_server,
)

pytestmark = [pytest.mark.live, pytest.mark.postgres, pytest.mark.redis]
BUSY_HALL = Path(__file__).parents[1] / "halls" / "busy_hall.toml"
KIOSKS_PER_PROCESS = 4
TICKETS_PER_KIOSK = 20
OFFICERS_PER_PROCESS = 2


class Display:
    """A Socket.IO client on one server process, in some rooms, keeping every event it hears;
    the paired display D1 unless `http` says who it is (e.g. a signed-in officer)."""

    def __init__(
        self, server: LiveServer, rooms: list[str], http: requests.Session | None = None
    ) -> None:
        self.heard: list[tuple[str, Any]] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._hear, namespace="/live")
        self.client.connect(
            server.url,
            namespaces=["/live"],
            transports=["websocket"],
            wait_timeout=10,
            headers=socket_headers(http or server.device("D1")),
        )
        answer = self.client.call("subscribe", {"rooms": rooms}, namespace="/live", timeout=5)
        assert answer == {"ok": True, "rooms": rooms}

    def _hear(self, event: str, payload: Any) -> None:
        with self.arrived:
            self.heard.append((event, payload))
            self.arrived.notify_all()

    def events(self, name: str) -> list[Any]:
        """Payloads of every `name` event heard so far."""
        with self.arrived:
            return [payload for event, payload in self.heard if event == name]

    def wait_for(self, name: str, count: int = 1, timeout_s: float = 15) -> list[Any]:
        """Wait until `count` events `name` were heard; their payloads."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.events(name)) >= count, timeout=timeout_s)
        heard = self.events(name)
        assert len(heard) >= count, f"heard {len(heard)} {name} of {count} within {timeout_s} s"
        return heard

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def queue_settings(message_queue: dict[str, str]) -> dict[str, str]:
    """What both processes share besides the database: the queue, its channel, the secret."""
    return {**message_queue, "ANTRE_SECRET_KEY": "scale-test-secret"}


@pytest.fixture
def two_processes(
    tmp_path: Path, postgres_url: str, queue_settings: dict[str, str]
) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Process A prepares the hall and serves it; process B serves the same database."""
    officers = 2 * OFFICERS_PER_PROCESS
    first = start_live_server(
        tmp_path, postgres_url, hall=BUSY_HALL, officers=officers, **queue_settings
    )
    try:
        second = launch_live_server(tmp_path, serving_env(tmp_path, postgres_url, queue_settings))
    except BaseException:
        stop_live_server(first)
        raise
    yield first, second
    for server in (second, first):
        stop_live_server(server)


def serving_env(directory: Path, database_url: str, settings: dict[str, str]) -> dict[str, str]:
    """The environment of one more server process, or command, on the same hall."""
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": database_url,
        "ANTRE_PORT": str(free_port()),
        "ANTRE_INSTANCE_PATH": str(directory / "instance"),
        **settings,
    }
    env.pop("ANTRE_LOCAL_AGENT", None)
    return env


@pytest.fixture
def displays() -> Iterator[list[Display]]:
    opened: list[Display] = []
    yield opened
    for display in opened:
        display.close()


def zone_room(server: LiveServer) -> str:
    return f"zone:{server.api('GET', '/api/v1/hall').json()['zones'][0]['id']}"


def test_a_call_on_process_a_reaches_a_display_on_process_b_once(
    two_processes: tuple[LiveServer, LiveServer], displays: list[Display]
) -> None:
    first, second = two_processes
    ids = first.ids()
    on_first, on_second = Display(first, [zone_room(first)]), Display(second, [zone_room(first)])
    displays.extend([on_first, on_second])
    issued = second.api("POST", "/api/v1/tickets", json={"service_id": ids["services"]["ktp"]})
    assert issued.status_code == 201, issued.text
    for display in (on_first, on_second):
        assert display.wait_for("queue_changed")[0]["waiting"] == 1
    officer, counter = first.officer(1), ids["counters"]["L1"]
    assert officer.post(f"{first.url}/api/v1/counters/{counter}/open").status_code == 200
    called = officer.post(f"{first.url}/api/v1/counters/{counter}/call-next")
    assert called.status_code == 200, called.text
    for display in (on_first, on_second):
        heard = display.wait_for("ticket_called")
        assert heard[0]["v"] == 1
        assert heard[0]["ticket"]["number"] == issued.json()["number"] == called.json()["number"]
        assert heard[0]["counter"]["id"] == counter
    time.sleep(1)  # time enough for a second copy through the queue, if one were coming
    assert [len(display.events("ticket_called")) for display in (on_first, on_second)] == [1, 1]


@pytest.mark.browser
def test_a_display_keeps_a_counter_serving_when_news_of_its_last_visitor_arrives_late(
    two_processes: tuple[LiveServer, LiveServer], displays: list[Display], browser: Browser
) -> None:
    """Process A holds a counter's "done" state for the zone for an interval; the officer's next
    call goes through process B and reaches the zone at once. A's state then arrives after the
    call, and the TV must not take it for the newest."""
    first, second = two_processes
    ids, zone = first.ids(), zone_room(first)
    counter = ids["counters"]["L1"]
    for _ in range(2):
        issued = first.api("POST", "/api/v1/tickets", json={"service_id": ids["services"]["ktp"]})
        assert issued.status_code == 201, issued.text
    context, errors, blocked = browser.new_context(viewport=TV, locale="id-ID"), [], []
    try:
        pair_browser(context, first, "D1")
        tv = context.new_page()
        watch_page(tv, errors, blocked)
        tv.goto(f"{first.url}/display?zone={zone.split(':')[1]}")
        wait_until_live(tv)
        listener = Display(first, [zone])  # hears what the TV hears, in the same order
        displays.append(listener)
        officer = first.officer(1)  # its session cookie is good on both processes
        assert officer.post(f"{first.url}/api/v1/counters/{counter}/open").status_code == 200
        called = officer.post(f"{first.url}/api/v1/counters/{counter}/call-next").json()
        done = officer.post(
            f"{first.url}/api/v1/tickets/{called['id']}/complete", json={"counter_id": counter}
        )
        assert done.status_code == 200, done.text
        next_call = officer.post(f"{second.url}/api/v1/counters/{counter}/call-next")
        assert next_call.status_code == 200, next_call.text
        number = next_call.json()["number"]

        second_call = listener.wait_for("ticket_called", 2)[1]
        late = wait_for_state(listener, counter, after_calls=2)
        assert [state["current"] for state in late] == [None]  # A's "done", after B's call
        assert late[0]["as_of"] < second_call["at"]
        card = tv.locator(f'.counter-card[data-counter-id="{counter}"]')
        tv.wait_for_timeout(500)  # the TV heard the late state too: it arrived at the same time
        expect(card.locator(".counter-number")).to_have_text(number)
        expect(tv.locator("#now-number")).to_have_text(number, timeout=20_000)  # after the first
        assert (errors, blocked) == ([], [])
    finally:
        context.close()


def wait_for_state(display: Display, counter: int, after_calls: int) -> list[dict[str, Any]]:
    """The states of `counter` the display heard after its `after_calls`-th call, waiting up to
    5 s for the first."""

    def states() -> list[dict[str, Any]]:
        calls, found = 0, []
        for event, payload in list(display.heard):
            calls += event == "ticket_called"
            if event == "counter_changed" and calls >= after_calls:
                found += [payload["counter"]] if payload["counter"]["id"] == counter else []
        return found

    with display.arrived:
        display.arrived.wait_for(states, timeout=5)
    assert states(), "no counter state reached the zone after the call"
    return states()


def take_tickets(server: LiveServer, services: list[int], out: list[Any], seed: int) -> None:
    """One kiosk: tickets for the services in turn, keeping every answer."""
    for index in range(TICKETS_PER_KIOSK):
        service = services[(seed + index) % len(services)]
        answer = server.api("POST", "/api/v1/tickets", json={"service_id": service})
        out.append((answer.status_code, answer.json()))


def work_counter(server: LiveServer, officer: int, counter: int, out: list[Any]) -> None:
    """One officer: call the next visitor and complete, until nobody waits."""
    http = server.officer(officer)
    answer = http.post(f"{server.url}/api/v1/counters/{counter}/open", timeout=20)
    out.append((answer.status_code, {"opened": counter}))
    while True:
        answer = http.post(f"{server.url}/api/v1/counters/{counter}/call-next", timeout=20)
        if answer.status_code != 200:
            out.append((answer.status_code, answer.text))
            return
        ticket = answer.json()
        out.append((200, ticket))
        done = http.post(
            f"{server.url}/api/v1/tickets/{ticket['id']}/complete",
            json={"counter_id": counter},
            timeout=20,
        )
        if done.status_code != 200:
            out.append((done.status_code, done.text))
            return


def run_all(workers: list[threading.Thread]) -> None:
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert not [worker.name for worker in workers if worker.is_alive()], "workers still running"


def test_kiosks_and_counters_on_both_processes_never_share_a_number_or_a_ticket(
    two_processes: tuple[LiveServer, LiveServer], displays: list[Display]
) -> None:
    first, second = two_processes
    ids = first.ids()
    services = sorted(ids["services"].values())
    room = zone_room(first)
    displays.extend([Display(first, [room]), Display(second, [room])])
    issued: list[Any] = []
    run_all(
        [
            threading.Thread(target=take_tickets, args=(server, services, issued, seed))
            for seed in range(KIOSKS_PER_PROCESS)
            for server in (first, second)
        ]
    )
    total = 2 * KIOSKS_PER_PROCESS * TICKETS_PER_KIOSK
    assert [status for status, _ in issued] == [201] * total
    numbers = Counter((ticket["service_id"], ticket["number"]) for _, ticket in issued)
    assert [number for number, times in numbers.items() if times > 1] == []
    for service in services:
        taken = sorted(int(n[1:]) for s, n in numbers if s == service)
        assert taken == list(range(1, len(taken) + 1)), f"gaps in the numbers of {service}"

    worked: list[Any] = []
    run_all(
        [
            threading.Thread(
                target=work_counter,
                args=(server, officer, ids["counters"][f"L{officer}"], worked),
            )
            for officer in range(1, 2 * OFFICERS_PER_PROCESS + 1)
            for server in [(first, second)[officer % 2]]
        ]
    )
    called = [ticket["id"] for status, ticket in worked if status == 200 and "id" in ticket]
    refusals = [(status, body) for status, body in worked if status not in (200, 204)]
    assert refusals == []
    assert len(called) == len(set(called)) == total, "a ticket was called twice, or not at all"
    for display in displays:
        heard = [call["ticket"]["id"] for call in display.wait_for("ticket_called", total)]
        assert sorted(heard) == sorted(called), "a display missed a call or heard one twice"

    engine = sqlalchemy.create_engine(first.database_url)
    with engine.connect() as db:
        calls_per_ticket = db.exec_driver_sql(
            "SELECT count(*) FROM ticket_events WHERE kind = 'called' GROUP BY ticket_id"
        ).scalars()
        assert set(calls_per_ticket) == {1}
    engine.dispose()


def test_a_command_without_a_server_tells_screens_on_both_processes_the_hall_changed(
    two_processes: tuple[LiveServer, LiveServer],
    displays: list[Display],
    queue_settings: dict[str, str],
    tmp_path: Path,
) -> None:
    first, second = two_processes
    counter = first.ids()["counters"]["L5"]
    screens = [
        Display(first, [zone_room(first)]),
        Display(second, [zone_room(first)]),
        Display(second, [f"counter:{counter}"], second.officer(1)),
    ]
    displays.extend(screens)
    loaded = subprocess.run(
        [sys.executable, "-m", "server.cli", "hall", "load", str(BUSY_HALL)],
        env=serving_env(tmp_path, first.database_url, queue_settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "told every screen to reload the hall" in loaded.stdout
    for screen in screens:
        assert screen.wait_for("hall_changed") == [{"v": 1}]
