"""A server killed with SIGKILL under load keeps every ticket it acknowledged.

Kiosks issue tickets from several threads and count every 201. The whole server (gunicorn's
master and its worker, one process group) is killed mid-load, then started again on the same
database and port. Every acknowledged ticket is there, numbers have no duplicates and no gaps,
numbering continues after the highest, and a display and a counter screen reconnect by
themselves, reload their snapshots and hear the next call.
"""

from __future__ import annotations

import queue
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import OFFICER_PASSWORD, socket_headers
from tests.live_hall import Hall, Kiosks, kill_hard, last_numbers, prepare_hall, stored_tickets

pytestmark = pytest.mark.live
ACKNOWLEDGED_BEFORE_KILL = 60


class Screen:
    """A Socket.IO screen that, on every (re)connect, subscribes and reloads its snapshot."""

    def __init__(self, url: str, rooms: list[str], snapshot: str, http: requests.Session) -> None:
        self.url, self.rooms, self.snapshot_path, self.http = url, rooms, snapshot, http
        self.snapshots: queue.Queue[dict[str, Any]] = queue.Queue()
        self.heard: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.connects = 0
        self.client = socketio.Client(
            reconnection=True,
            reconnection_delay=0.2,
            reconnection_delay_max=1,
            randomization_factor=0,
        )
        self.client.on("connect", self._connected, namespace="/live")
        self.client.on("*", self._hear, namespace="/live")
        self.client.connect(
            url,
            namespaces=["/live"],
            transports=["websocket"],
            wait_timeout=10,
            headers=socket_headers(http),  # a display's token, an officer's session cookie
        )

    def _connected(self) -> None:
        self.connects += 1
        self.client.emit("subscribe", {"rooms": self.rooms}, namespace="/live")
        answer = self.http.get(self.url + self.snapshot_path, timeout=5)
        answer.raise_for_status()
        self.snapshots.put(answer.json())

    def _hear(self, event: str, payload: Any) -> None:
        self.heard.put((event, payload))

    def snapshot(self, timeout_s: float = 20) -> dict[str, Any]:
        """The next snapshot this screen loads."""
        try:
            return self.snapshots.get(timeout=timeout_s)
        except queue.Empty:
            pytest.fail(f"{self.snapshot_path}: no snapshot within {timeout_s} s")

    def next(self, wanted: str, timeout_s: float = 10) -> dict[str, Any]:
        """The next event with this name."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                event, payload = self.heard.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no {wanted} within {timeout_s} s")
            if event == wanted:
                return payload

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def hall(tmp_path: Path, database_url: str) -> Hall:
    return prepare_hall(tmp_path, database_url)


def test_a_server_killed_under_load_keeps_every_acknowledged_ticket_and_screens_resync(
    hall: Hall,
) -> None:
    server = hall.serve()
    screens: list[Screen] = []
    try:
        hall_json = hall.device().get(hall.url + "/api/v1/hall", timeout=5).json()
        services = {s["code"]: s["id"] for a in hall_json["agencies"] for s in a["services"]}
        counter = {c["code"]: c["id"] for c in hall_json["counters"]}["L1"]
        officer = requests.Session()
        signed_in = officer.post(
            hall.url + "/api/v1/session",
            json={"username": "petugas1", "password": OFFICER_PASSWORD},
            timeout=5,
        )
        assert signed_in.status_code == 200, signed_in.text
        officer.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]

        kiosk_token = hall.device_headers("K1")
        with Kiosks(hall.url, [services["ktp"], services["kk"]], headers=kiosk_token) as kiosks:
            kiosks.wait_for(10)
            assert officer.post(f"{hall.url}/api/v1/counters/{counter}/open").status_code == 200
            before = officer.post(f"{hall.url}/api/v1/counters/{counter}/call-next").json()
            display = Screen(hall.url, ["zone:1"], "/api/v1/zones/1/snapshot", hall.device("D1"))
            terminal = Screen(
                hall.url, [f"counter:{counter}"], f"/api/v1/counters/{counter}", officer
            )
            screens += [display, terminal]
            display.snapshot(), terminal.snapshot()
            kiosks.wait_for(ACKNOWLEDGED_BEFORE_KILL)
            kill_hard(server)  # mid-load: the kiosks are still sending
            acknowledged = list(kiosks.acknowledged)
        assert kiosks.failed > 0, "the kill should have cut requests in flight"

        server = hall.serve()

        # every acknowledged ticket survived, with its number; no duplicates, no gaps
        stored = stored_tickets(hall.env["ANTRE_DATABASE_URL"])
        by_token = {row.token: row for row in stored}
        lost = [t["number"] for t in acknowledged if t["token"] not in by_token]
        assert not lost, f"acknowledged but lost after the crash: {lost}"
        assert all(by_token[t["token"]].number == t["number"] for t in acknowledged)
        assert len({(r.issued_service_id, r.service_day, r.sequence) for r in stored}) == len(
            stored
        )
        highest = {}
        for service_id in {r.issued_service_id for r in stored}:
            sequences = sorted(r.sequence for r in stored if r.issued_service_id == service_id)
            assert sequences == list(range(1, len(sequences) + 1)), "numbers have a gap"
            highest[service_id] = sequences[-1]
        assert last_numbers(hall.env["ANTRE_DATABASE_URL"]) == highest

        # numbering continues after the highest number, on the restarted server
        after = (
            hall.device("K1")
            .post(hall.url + "/api/v1/tickets", json={"service_id": services["ktp"]}, timeout=5)
            .json()
        )
        assert after["number"] == f"A{highest[services['ktp']] + 1:03d}"

        # the screens reconnected by themselves and reloaded their snapshots
        display_view, terminal_view = display.snapshot(), terminal.snapshot()
        assert display.connects == 2 and terminal.connects == 2
        at_counter = {c["id"]: (c["current"] or {}).get("number") for c in display_view["counters"]}
        assert at_counter[counter] == before["number"]
        assert display_view["last_calls"][0]["number"] == before["number"]
        assert terminal_view["counter"]["current"]["number"] == before["number"]

        # and they hear what happens after the restart
        for action in ("start", "complete"):
            done = officer.post(
                f"{hall.url}/api/v1/tickets/{before['id']}/{action}", json={"counter_id": counter}
            )
            assert done.status_code == 200, done.text
        called = officer.post(f"{hall.url}/api/v1/counters/{counter}/call-next").json()
        assert display.next("ticket_called")["ticket"]["number"] == called["number"]
        changed = terminal.next("counter_changed")["counter"]
        while (changed["current"] or {}).get("number") != called["number"]:
            changed = terminal.next("counter_changed")["counter"]
    finally:
        for screen in screens:
            screen.close()
        if server.process.poll() is None:
            kill_hard(server)
