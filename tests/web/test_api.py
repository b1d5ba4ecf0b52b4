"""The JSON API: right answers, and clear 4xx errors that write nothing for bad input."""

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from server.extensions import db
from server.models import DailySequence, Ticket, TicketEvent, User
from server.services.context import system_clock
from server.services.staff import create_user
from tests.conftest import TEST_HALL, counter_id, service_id, sign_in


def written() -> tuple[int, int, int]:
    """Tickets, events and sequence rows in the database."""
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return count(Ticket), count(TicketEvent), count(DailySequence)


def test_hall_lists_agencies_services_counters_and_zones(client: FlaskClient) -> None:
    hall = client.get("/api/v1/hall").get_json()
    services = {s["code"]: s for a in hall["agencies"] for s in a["services"]}
    assert services["ktp"]["open"] is True and services["ktp"]["prefix"] == "A"
    assert services["tutup"]["open"] is False and services["tutup"]["closed_reason"] == "disabled"
    assert {c["code"]: c["service_ids"] for c in hall["counters"]}["L1"] == [
        services["ktp"]["id"],
        services["kk"]["id"],
    ]
    assert [z["name"] for z in hall["zones"]] == ["Lantai 1", "Lantai 2"]


def test_issue_then_follow_a_ticket_by_its_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    assert response.status_code == 201
    ticket = response.get_json()
    assert ticket["number"] == "A001" and len(ticket["token"]) >= 32
    followed = client.get(f"/api/v1/tickets/{ticket['token']}").get_json()
    assert (followed["number"], followed["status"], followed["position"]) == ("A001", "waiting", 1)
    assert client.get(f"/t/{ticket['token']}/qr.svg").mimetype == "image/svg+xml"


def test_full_counter_round_trip(client: FlaskClient, officer: User) -> None:
    counter = counter_id("L1")
    client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    assert client.post(f"/api/v1/counters/{counter}/open").get_json()["status"] == "open"
    called = client.post(f"/api/v1/counters/{counter}/call-next").get_json()
    assert called["number"] == "A001"
    for action, status in (("recall", "called"), ("start", "serving"), ("complete", "done")):
        answer = client.post(
            f"/api/v1/tickets/{called['id']}/{action}", json={"counter_id": counter}
        )
        assert answer.status_code == 200 and answer.get_json()["status"] == status
    assert client.post(f"/api/v1/counters/{counter}/call-next").status_code == 204
    snapshot = client.get(f"/api/v1/counters/{counter}").get_json()
    assert snapshot["served_today"] == 1
    assert [e["kind"] for e in snapshot["today"]] == ["completed", "serving", "recalled", "called"]


def test_zone_snapshot_shows_current_calls_and_waiting(client: FlaskClient, officer: User) -> None:
    counter = counter_id("L1")
    for _ in range(2):
        client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    client.post(f"/api/v1/counters/{counter}/open")
    client.post(f"/api/v1/counters/{counter}/call-next")
    snapshot = client.get("/api/v1/zones/1/snapshot").get_json()
    current = {c["name"]: (c["current"] or {}).get("number") for c in snapshot["counters"]}
    assert current == {"Loket 1": "A001", "Loket 2": None}
    assert [(c["number"], c["counter"]) for c in snapshot["last_calls"]] == [("A001", "Loket 1")]
    assert {w["prefix"]: w["waiting"] for w in snapshot["waiting"]} == {"A": 1, "B": 0}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"service_id": 9999}, 404, "service_not_found"),
        ({}, 400, "invalid_service_id"),
        ({"service_id": "1"}, 400, "invalid_service_id"),
        ({"service_id": True}, 400, "invalid_service_id"),
        ({"service_id": -3}, 400, "invalid_service_id"),
        ({"service_id": 1, "priority": "yes"}, 400, "invalid_priority"),
        ({"service_id": 1, "lang": "fr"}, 400, "invalid_lang"),
        ([1, 2], 400, "malformed_json"),
    ],
)
def test_bad_ticket_requests_get_a_clear_error_and_write_nothing(
    client: FlaskClient, body: object, status: int, code: str
) -> None:
    response = client.post("/api/v1/tickets", json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]
    assert written() == (0, 0, 0)


def test_malformed_json_is_a_400_not_a_500(client: FlaskClient) -> None:
    for payload in ("{bad", "", "null", '"text"'):
        response = client.post("/api/v1/tickets", data=payload, content_type="application/json")
        assert response.status_code == 400, payload
        assert response.get_json()["error"]["code"] == "malformed_json"
    assert written() == (0, 0, 0)


def test_closed_service_is_refused_in_the_callers_language(client: FlaskClient) -> None:
    closed = {"service_id": service_id("tutup")}
    indonesian = client.post("/api/v1/tickets", json=closed).get_json()["error"]
    english = client.post("/api/v1/tickets?lang=en", json=closed).get_json()["error"]
    by_header = client.post(
        "/api/v1/tickets", json=closed, headers={"Accept-Language": "en-US,en;q=0.9"}
    )
    assert indonesian == {
        "code": "service_disabled",
        "message": "Layanan Ditutup: Layanan tidak tersedia.",
    }
    assert english["message"] == "Closed service: Service unavailable."
    assert by_header.get_json()["error"]["message"] == english["message"]
    assert written() == (0, 0, 0)


def test_counter_that_serves_nothing_cannot_call(client: FlaskClient, officer: User) -> None:
    counter = counter_id("L9")
    client.post(f"/api/v1/counters/{counter}/open")
    response = client.post(f"/api/v1/counters/{counter}/call-next")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "counter_serves_nothing"


def test_unknown_things_are_404_json_under_the_api(client: FlaskClient, officer: User) -> None:
    assert client.post("/api/v1/counters/999/call-next").status_code == 404
    assert (
        client.post("/api/v1/tickets/999/complete", json={}).get_json()["error"]["code"]
        == "ticket_not_found"
    )
    assert client.get("/api/v1/tickets/no-such-token").status_code == 404
    assert client.get("/api/v1/zones/99/snapshot").status_code == 404
    assert client.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"
    assert client.get("/t/no-such-token").status_code == 404


def test_wrong_method_and_unknown_actions_are_4xx(client: FlaskClient, officer: User) -> None:
    assert client.get("/api/v1/tickets").status_code == 405
    assert (
        client.post("/api/v1/tickets/1/explode", json={}).get_json()["error"]["code"]
        == "unknown_action"
    )
    assert client.post("/api/v1/counters/1/explode").status_code == 400
    bad_counter = client.post("/api/v1/tickets/1/complete", json={"counter_id": "one"})
    assert bad_counter.status_code == 400


def test_health_says_ok_when_the_database_answers(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_counter_work_needs_a_signed_in_officer(client: FlaskClient) -> None:
    counter = counter_id("L1")
    for path in (
        f"/api/v1/counters/{counter}/open",
        f"/api/v1/counters/{counter}/call-next",
        "/api/v1/tickets/1/complete",
    ):
        refused = client.post(path, json={})
        assert refused.status_code == 401, path
        assert refused.get_json()["error"] == {
            "code": "not_signed_in",
            "message": "Silakan masuk dulu.",
        }
    assert client.get(f"/api/v1/counters/{counter}").status_code == 401
    assert client.get("/counter").status_code == 302 and "/login" in client.get("/counter").location


def test_a_manager_may_watch_a_counter_but_not_work_it(client: FlaskClient) -> None:
    create_user(db.session, "manajer", "Manajer", "sandi-manajer", "manager", system_clock())
    sign_in(client, "manajer", "sandi-manajer")
    counter = counter_id("L1")
    assert client.get(f"/api/v1/counters/{counter}").status_code == 200
    refused = client.post(f"/api/v1/counters/{counter}/open")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"


def test_the_signed_in_officer_is_named_in_the_log(client: FlaskClient, officer: User) -> None:
    counter = counter_id("L1")
    client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    assert client.post(f"/api/v1/counters/{counter}/open").get_json()["officer"] == "Petugas Uji"
    client.post(f"/api/v1/counters/{counter}/call-next")
    called = db.session.scalars(select(TicketEvent).where(TicketEvent.kind == "called")).one()
    assert called.officer_id == officer.id


def test_the_hall_logo_is_installed_from_the_hall_file_and_served(
    app: Flask, client: FlaskClient, display_client: FlaskClient, tmp_path: Path
) -> None:
    assert client.get("/hall/logo").status_code == 404
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    hall = tmp_path / "hall.toml"
    hall.write_text(
        TEST_HALL.read_text().replace('name = "Aula Uji"', 'name = "Aula Uji"\nlogo = "logo.svg"')
    )
    loaded = app.test_cli_runner().invoke(args=["hall", "load", str(hall)])
    assert loaded.exit_code == 0, loaded.output
    logo = client.get("/hall/logo")
    assert logo.mimetype == "image/svg+xml" and b"<svg" in logo.data
    logo.close()
    assert display_client.get("/api/v1/zones/1/snapshot").get_json()["logo_url"] == "/hall/logo"
    (tmp_path / "logo.gif").write_bytes(b"GIF89a")
    hall.write_text(hall.read_text().replace("logo.svg", "logo.gif"))
    refused = app.test_cli_runner().invoke(args=["hall", "load", str(hall)])
    assert refused.exit_code != 0 and "PNG, SVG or JPEG" in refused.output
