"""The real server process starts, answers health, and serves the hall."""

from tests.conftest import LiveServer


def test_live_server_serves_the_hall_and_health(live_server: LiveServer) -> None:
    assert live_server.api("GET", "/healthz").json() == {"status": "ok"}
    hall = live_server.api("GET", "/api/v1/hall").json()
    assert hall["name"] == "Aula Uji"
    assert [a["code"] for a in hall["agencies"]] == ["dukcapil", "samsat"]
