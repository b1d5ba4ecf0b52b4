"""Real Socket.IO clients connected to a running server hear what HTTP calls change."""

from __future__ import annotations

import base64
import os
import queue
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import LiveServer, socket_headers, start_live_server, stop_live_server

pytestmark = pytest.mark.live


class Screen:
    """A python-socketio client subscribed to rooms, collecting every event it hears; it is who
    `http` is (a paired device's token, a signed-in officer's cookie), or anonymous."""

    def __init__(
        self, server: LiveServer, rooms: list[str], http: requests.Session | None = None
    ) -> None:
        self.heard: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._hear, namespace="/live")
        self.client.connect(
            server.url,
            namespaces=["/live"],
            transports=["websocket"],
            wait_timeout=10,
            headers=socket_headers(http) if http is not None else {},
        )
        answer = self.client.call("subscribe", {"rooms": rooms}, namespace="/live", timeout=5)
        assert answer == {"ok": True, "rooms": rooms}

    def _hear(self, event: str, payload: Any) -> None:
        self.heard.put((event, payload))

    def next(self, wanted: str, timeout_s: float = 5) -> dict[str, Any]:
        """The next event with this name, failing after `timeout_s`."""
        while True:
            try:
                event, payload = self.heard.get(timeout=timeout_s)
            except queue.Empty:
                pytest.fail(f"no {wanted} within {timeout_s} s")
            if event == wanted:
                return payload

    def drain(self) -> list[tuple[str, Any]]:
        """Everything heard so far and not yet taken."""
        heard = []
        while not self.heard.empty():
            heard.append(self.heard.get_nowait())
        return heard

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def screens(live_server: LiveServer) -> Iterator[list[Screen]]:
    opened: list[Screen] = []
    yield opened
    for screen in opened:
        screen.close()


def test_a_display_hears_ticket_called_after_an_http_call_next(
    live_server: LiveServer, screens: list[Screen]
) -> None:
    ids = live_server.ids()
    counter = ids["counters"]["L2"]
    display = Screen(live_server, ["zone:1"], live_server.device("D1"))
    screens.append(display)
    ticket = live_server.api(
        "POST", "/api/v1/tickets", json={"service_id": ids["services"]["ktp"]}
    ).json()
    assert display.next("queue_changed")["service_id"] == ids["services"]["ktp"]
    officer = live_server.officer(1)
    assert officer.post(f"{live_server.url}/api/v1/counters/{counter}/open").status_code == 200
    called = officer.post(f"{live_server.url}/api/v1/counters/{counter}/call-next").json()
    heard = display.next("ticket_called")
    assert heard["v"] == 1
    assert heard["ticket"]["number"] == called["number"]
    assert heard["counter"] == {"id": counter, "name": "Loket 2", "zone": 1}
    assert isinstance(heard["call_id"], int)
    assert called["number"].startswith("A") and ticket["service_id"] == called["service_id"]


def test_the_phone_of_the_called_ticket_hears_its_call_and_others_do_not(
    live_server: LiveServer, screens: list[Screen]
) -> None:
    ids = live_server.ids()
    counter = ids["counters"]["L3"]
    first = live_server.api(
        "POST", "/api/v1/tickets", json={"service_id": ids["services"]["pkb"]}
    ).json()
    second = live_server.api(
        "POST", "/api/v1/tickets", json={"service_id": ids["services"]["pkb"]}
    ).json()
    first_phone = Screen(live_server, [f"ticket:{first['token']}"])
    second_phone = Screen(
        live_server, [f"ticket:{second['token']}", f"service:{second['service_id']}"]
    )
    screens.extend([first_phone, second_phone])
    officer = live_server.officer(2)
    officer.post(f"{live_server.url}/api/v1/counters/{counter}/open")
    officer.post(f"{live_server.url}/api/v1/counters/{counter}/call-next")
    assert first_phone.next("ticket_called")["ticket"]["token"] == first["token"]
    assert second_phone.next("queue_changed")["waiting"] == 1
    with pytest.raises(pytest.fail.Exception):
        second_phone.next("ticket_called", timeout_s=1)


def test_a_screen_offering_compression_gets_an_uncompressed_websocket(
    live_server: LiveServer,
) -> None:
    """Browsers offer per-message deflate; the server opens the websocket without it, so no
    event is compressed once per screen."""
    host, port = live_server.url.removeprefix("http://").split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    handshake = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(handshake.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(4096)
    status, *headers = answer.split(b"\r\n\r\n")[0].decode().split("\r\n")
    names = {header.split(":")[0].strip().lower() for header in headers}
    assert status.startswith("HTTP/1.1 101"), status
    assert "sec-websocket-accept" in names
    assert "sec-websocket-extensions" not in names


def test_unknown_rooms_are_refused(live_server: LiveServer) -> None:
    client = socketio.Client(reconnection=False)
    client.connect(live_server.url, namespaces=["/live"], transports=["websocket"], wait_timeout=10)
    try:
        answer = client.call("subscribe", {"rooms": ["everything"]}, namespace="/live", timeout=5)
        assert answer["ok"] is False and "everything" in answer["error"]
    finally:
        client.disconnect()


def test_the_zone_hears_a_counter_go_idle_only_when_no_call_follows(
    tmp_path: Path, screens: list[Screen]
) -> None:
    """Between a completion and the counter's next call the zone's displays hear nothing of the
    counter (the call itself tells them its new ticket); its terminal hears every state. When
    no call follows, the displays hear the counter idle once that has held for the interval."""
    server = start_live_server(tmp_path, ANTRE_STATE_INTERVAL_MS="1000")
    try:
        ids = server.ids()
        counter = ids["counters"]["L1"]
        officer = server.officer(1)
        display = Screen(server, ["zone:1"], server.device("D1"))
        terminal = Screen(server, [f"counter:{counter}"], officer)
        screens.extend([display, terminal])
        for _ in range(2):
            server.api("POST", "/api/v1/tickets", json={"service_id": ids["services"]["ktp"]})
        at_counter = f"{server.url}/api/v1/counters/{counter}"
        assert officer.post(f"{at_counter}/open").status_code == 200
        first = officer.post(f"{at_counter}/call-next").json()
        assert (
            officer.post(f"{server.url}/api/v1/tickets/{first['id']}/complete").status_code == 200
        )
        second = officer.post(f"{at_counter}/call-next").json()

        time.sleep(1.5)  # past the interval: a state held for the zone would be out by now
        heard = display.drain()
        assert [p["ticket"]["number"] for e, p in heard if e == "ticket_called"] == [
            first["number"],
            second["number"],
        ]
        assert [e for e, _ in heard if e == "counter_changed"] == []
        terminal_states = [p["counter"] for e, p in terminal.drain() if e == "counter_changed"]
        assert terminal_states[0]["current"] is None  # opened
        assert terminal_states[-1]["current"]["number"] == second["number"]

        done = time.monotonic()
        assert (
            officer.post(f"{server.url}/api/v1/tickets/{second['id']}/complete").status_code == 200
        )
        idle = display.next("counter_changed", timeout_s=5)["counter"]
        assert time.monotonic() - done >= 0.5  # held, not sent with the completion
        assert idle["id"] == counter and idle["current"] is None and idle["status"] == "open"
        assert terminal.next("counter_changed")["counter"]["current"] is None
    finally:
        stop_live_server(server)
