"""GET /api/v1/dashboard: managers and admins only; an agency's manager sees only that agency."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from server.extensions import db
from server.models import Agency, User
from server.services.context import system_clock
from server.services.staff import create_user
from tests.conftest import service_id, sign_in

PASSWORD = "sandi-rahasia"


def agency_id(code: str) -> int:
    return db.session.scalars(select(Agency.id).where(Agency.code == code)).one()


def sign_in_as(client: FlaskClient, username: str, role: str, agency: str | None = None) -> None:
    create_user(
        db.session,
        username,
        username.title(),
        PASSWORD,
        role,
        system_clock(),
        agency and agency_id(agency),
    )
    client.delete("/api/v1/session")
    sign_in(client, username, PASSWORD)


def take_tickets(client: FlaskClient) -> None:
    for code in ("ktp", "ktp", "pkb"):
        assert (
            client.post("/api/v1/tickets", json={"service_id": service_id(code)}).status_code == 201
        )


def test_anonymous_callers_must_sign_in(client: FlaskClient) -> None:
    answer = client.get("/api/v1/dashboard")
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "not_signed_in"


def test_officers_may_not_see_the_dashboard(client: FlaskClient, officer: User) -> None:
    answer = client.get("/api/v1/dashboard?lang=en")
    assert answer.status_code == 403
    assert answer.get_json()["error"] == {
        "code": "forbidden",
        "message": "Your role may not do this.",
    }


def test_the_hall_manager_sees_every_agency(client: FlaskClient) -> None:
    take_tickets(client)
    sign_in_as(client, "manajer", "manager")
    answer = client.get("/api/v1/dashboard")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["v"] == 1 and body["agency"] is None
    waiting = {service["code"]: service["waiting"] for service in body["services"]}
    assert waiting == {"ktp": 2, "kk": 0, "pkb": 1}
    assert body["totals"]["waiting"] == 3
    assert [counter["code"] for counter in body["counters"]] == ["L1", "L2", "L3", "L9"]
    assert [kiosk["kiosk"]["code"] for kiosk in body["kiosks"]] == ["K1", "K2"]


def test_an_agency_manager_sees_only_their_agency_whatever_they_ask(client: FlaskClient) -> None:
    take_tickets(client)
    sign_in_as(client, "manajer-samsat", "manager", agency="samsat")
    dukcapil = agency_id("dukcapil")
    for path in ("/api/v1/dashboard", f"/api/v1/dashboard?agency={dukcapil}"):
        body = client.get(path).get_json()
        assert body["agency"]["code"] == "samsat"
        assert [service["code"] for service in body["services"]] == ["pkb"]
        assert [counter["code"] for counter in body["counters"]] == ["L3"]
        assert body["totals"]["waiting"] == 1


def test_the_admin_may_look_at_one_agency(client: FlaskClient) -> None:
    take_tickets(client)
    sign_in_as(client, "kepala", "admin")
    dukcapil = agency_id("dukcapil")
    body = client.get(f"/api/v1/dashboard?agency={dukcapil}").get_json()
    assert [service["code"] for service in body["services"]] == ["ktp", "kk"]
    assert body["totals"]["waiting"] == 2
    assert client.get("/api/v1/dashboard?agency=999").status_code == 404
    refused = client.get("/api/v1/dashboard?agency=dukcapil")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "invalid_agency"


def test_the_page_is_for_managers_and_signs_in_the_others(client: FlaskClient) -> None:
    assert client.get("/manager").status_code == 302
    sign_in_as(client, "manajer", "manager")
    page = client.get("/manager")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/manager/static/dashboard.js" in html and "/vendor/chart.umd.min.js" in html
    assert 'href="/manager/reports"' in html
    assert "<script>" not in html and "style=" not in html  # ready for a strict CSP


def test_the_cli_adds_a_manager_of_one_agency(app: Flask) -> None:
    runner = app.test_cli_runner()
    command = ["user", "add", "manajer-samsat", "--name", "Manajer Samsat", "--role", "manager"]
    added = runner.invoke(args=[*command, "--password", PASSWORD, "--agency", "samsat"])
    assert added.exit_code == 0, added.output
    user = db.session.scalars(select(User).where(User.username == "manajer-samsat")).one()
    assert (user.role, user.agency_id) == ("manager", agency_id("samsat"))
    unknown = runner.invoke(
        args=["user", "add", "x", "--name", "X", "--password", PASSWORD, "--agency", "pajak"]
    )
    assert unknown.exit_code != 0 and "no agency with code 'pajak'" in unknown.output
