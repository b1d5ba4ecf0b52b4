"""Sixteen officers doing random counter work at once, through the HTTP API of a real server.

Afterwards every ticket's event log must replay, step by legal step, to the status stored for it:
so no ticket was ever called while it was not waiting (never by two counters at once), and no
counter holds two visitors. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy

from server.domain.tickets import ACTIVE_AT_COUNTER, EventKind, TicketStatus, replay
from tests.conftest import LiveServer, start_live_server, stop_live_server

pytestmark = pytest.mark.live
BUSY_HALL = Path(__file__).parents[1] / "halls" / "busy_hall.toml"
OFFICERS = 16
ACTIONS_PER_OFFICER = 40
TICKETS_PER_KIOSK = 120
KIOSK_RUNS = 3  # one before the doors open, then two kiosks while the counters work
EXPECTED_REFUSALS = {
    "counter_busy",
    "wrong_ticket_state",
    "queue_busy",
    "ticket_at_other_counter",
    "grace_period_over",
    "transfer_nowhere",
    "counter_break",
    "counter_closed",
    "not_this_counters_service",
    "ticket_for_other_counter",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def busy_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    database = None if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    server = start_live_server(tmp_path, database, hall=BUSY_HALL, officers=OFFICERS)
    yield server
    stop_live_server(server)


class Officer(threading.Thread):
    """One officer at one counter, pressing random buttons that fit what the screen shows."""

    def __init__(self, server: LiveServer, number: int, services: list[int], seed: int) -> None:
        super().__init__(name=f"petugas{number}")
        self.server, self.number, self.services = server, number, services
        self.random = random.Random(seed)
        self.failures: list[str] = []
        self.counter = 0

    def run(self) -> None:
        try:
            http = self.server.officer(self.number)
            self.counter = self.server.ids()["counters"][f"L{self.number}"]
            self.post(http, f"/api/v1/counters/{self.counter}/open", {})
            for _ in range(ACTIONS_PER_OFFICER):
                self.act(http)
        except Exception as error:  # noqa: BLE001 - reported by the test, with the thread's name
            self.failures.append(f"{self.name}: {error!r}")

    def act(self, http: requests.Session) -> None:
        screen = http.get(f"{self.server.url}/api/v1/counters/{self.counter}", timeout=10).json()
        current = screen["counter"]["current"]
        if screen["counter"]["status"] == "break":
            self.post(http, f"/api/v1/counters/{self.counter}/open", {})
        elif current is None:
            self.when_free(http, screen)
        else:
            self.with_visitor(http, current)

    def when_free(self, http: requests.Session, screen: dict) -> None:
        roll = self.random.random()
        if roll < 0.75:
            self.post(http, f"/api/v1/counters/{self.counter}/call-next", {})
        elif roll < 0.85 and screen["queue"]:
            ticket = self.random.choice(screen["queue"])
            self.post(
                http,
                f"/api/v1/counters/{self.counter}/call",
                {"ticket_id": ticket["id"], "reason": "uji"},
            )
        elif roll < 0.95 and screen["held"]:
            self.post(
                http,
                f"/api/v1/tickets/{screen['held'][0]['id']}/resume",
                {"counter_id": self.counter},
            )
        else:
            self.post(
                http, f"/api/v1/counters/{self.counter}/break", {"reason": "istirahat singkat"}
            )

    def with_visitor(self, http: requests.Session, ticket: dict) -> None:
        action = self.random.choices(
            ["start", "complete", "recall", "no-show", "transfer", "hold"],
            weights=[4, 6, 2, 1, 1, 1],
        )[0]
        body: dict = {"counter_id": self.counter}
        if action == "transfer":
            body["to_service_id"] = self.random.choice(self.services)
        self.post(http, f"/api/v1/tickets/{ticket['id']}/{action}", body)

    def post(self, http: requests.Session, path: str, body: dict) -> None:
        answer = http.post(self.server.url + path, json=body, timeout=20)
        if answer.status_code >= 500:
            self.failures.append(
                f"{self.name}: {path} answered {answer.status_code}: {answer.text[:200]}"
            )
        elif answer.status_code >= 400 and answer.json()["error"]["code"] not in EXPECTED_REFUSALS:
            self.failures.append(f"{self.name}: {path} refused unexpectedly: {answer.text[:200]}")


def kiosk(server: LiveServer, services: list[int], seed: int, failures: list[str]) -> None:
    chooser = random.Random(seed)
    for _ in range(TICKETS_PER_KIOSK):
        body = {"service_id": chooser.choice(services)}
        if chooser.random() < 0.2:
            body["priority_class"] = chooser.choice(["lansia", "disabilitas", "ibu_hamil"])
        answer = server.api("POST", "/api/v1/tickets", json=body)
        if answer.status_code != 201:
            failures.append(f"kiosk: {answer.status_code} {answer.text[:200]}")


def test_sixteen_counters_at_random_leave_a_log_that_replays_exactly(
    busy_server: LiveServer,
) -> None:
    services = sorted(busy_server.ids()["services"].values())
    failures: list[str] = []
    kiosk(busy_server, services, seed=0, failures=failures)  # a queue before the doors open
    officers = [Officer(busy_server, n, services, seed=n) for n in range(1, OFFICERS + 1)]
    kiosks = [
        threading.Thread(target=kiosk, args=(busy_server, services, 100 + k, failures))
        for k in range(2)
    ]
    for worker in [*officers, *kiosks]:
        worker.start()
    for worker in [*officers, *kiosks]:
        worker.join(timeout=600)
    assert not [w.name for w in [*officers, *kiosks] if w.is_alive()], "workers still running"
    assert failures + [f for officer in officers for f in officer.failures] == []

    engine = sqlalchemy.create_engine(busy_server.database_url)
    with engine.connect() as db:
        tickets = dict(db.exec_driver_sql("SELECT id, status FROM tickets").all())
        counters_of = dict(db.exec_driver_sql("SELECT id, counter_id FROM tickets").all())
        events = db.exec_driver_sql("SELECT ticket_id, kind FROM ticket_events ORDER BY id").all()
    engine.dispose()
    history: dict[int, list[EventKind]] = defaultdict(list)
    for ticket_id, kind in events:
        history[ticket_id].append(EventKind(kind))
    assert len(tickets) == TICKETS_PER_KIOSK * KIOSK_RUNS
    assert {ticket_id: replay(history[ticket_id]) for ticket_id in tickets} == {
        ticket_id: TicketStatus(status) for ticket_id, status in tickets.items()
    }
    busy = [counters_of[t] for t, status in tickets.items() if status in ACTIVE_AT_COUNTER]
    assert len(busy) == len(set(busy)), "a counter holds two visitors"
    called = sum(kinds.count(EventKind.CALLED) for kinds in history.values())
    assert called > OFFICERS * 5, "the officers hardly called anyone: the test exercised little"
