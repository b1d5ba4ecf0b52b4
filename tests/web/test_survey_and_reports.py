"""The IKM survey from the status page, the IKM report and the exports for managers."""

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from server.domain.calendar import service_day
from server.extensions import db
from server.models import Agency, SurveyResponse, User
from server.services.context import system_clock
from server.services.staff import create_user
from tests.conftest import counter_id, service_id, sign_in


def today() -> date:
    """The hall's service day now (read when a test runs: a run may cross midnight)."""
    return service_day(system_clock(), ZoneInfo("Asia/Jakarta"))


def served_ticket(client: FlaskClient) -> dict:
    """The next ticket at Loket 1 (a new KTP one if nobody waits), completed by the officer."""
    client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    counter = counter_id("L1")
    client.post(f"/api/v1/counters/{counter}/open")
    called = client.post(f"/api/v1/counters/{counter}/call-next").get_json()
    client.post(f"/api/v1/tickets/{called['id']}/complete", json={"counter_id": counter})
    return called


def sign_in_as(client: FlaskClient, role: str, agency_id: int | None = None) -> None:
    client.delete("/api/v1/session")
    create_user(db.session, role, role.title(), "sandi-rahasia", role, system_clock(), agency_id)
    sign_in(client, role, "sandi-rahasia")


def test_the_survey_opens_after_service_and_takes_one_response(
    client: FlaskClient, officer: User
) -> None:
    waiting = client.post("/api/v1/tickets", json={"service_id": service_id("pkb")}).get_json()
    assert client.get(f"/api/v1/tickets/{waiting['token']}/survey").get_json()["open"] is False
    refused = client.post(f"/api/v1/tickets/{waiting['token']}/survey", json={"ratings": [4] * 9})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "survey_not_open"
    ticket = served_ticket(client)
    state = client.get(f"/api/v1/tickets/{ticket['token']}/survey").get_json()
    assert state["open"] is True and [e["code"] for e in state["elements"]] == [
        f"u{n}" for n in range(1, 10)
    ]
    assert state["elements"][0]["name"] == "Persyaratan"
    sent = client.post(
        f"/api/v1/tickets/{ticket['token']}/survey",
        json={"ratings": [4, 3, 3, 4, 3, 4, 4, 3, 3], "comment": "Cepat"},
    )
    assert sent.status_code == 201
    again = client.post(f"/api/v1/tickets/{ticket['token']}/survey", json={"ratings": [1] * 9})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "survey_answered"
    response = db.session.scalars(select(SurveyResponse)).one()
    assert (response.ratings[0], response.comment, response.officer_id) == (4, "Cepat", officer.id)


def test_bad_ratings_are_refused_and_nothing_is_stored(client: FlaskClient, officer: User) -> None:
    ticket = served_ticket(client)
    for ratings in ([4] * 8, [5] * 9, ["4"] * 9, None):
        answer = client.post(f"/api/v1/tickets/{ticket['token']}/survey", json={"ratings": ratings})
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_ratings"
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_the_ikm_report_for_managers_only(client: FlaskClient, officer: User) -> None:
    for ratings in (
        [4, 3, 3, 4, 3, 4, 4, 3, 3],
        [3, 3, 2, 4, 3, 3, 4, 3, 3],
        [4, 4, 3, 4, 4, 4, 4, 3, 4],
        [3, 3, 3, 4, 3, 4, 3, 2, 3],
    ):
        ticket = served_ticket(client)
        client.post(f"/api/v1/tickets/{ticket['token']}/survey", json={"ratings": ratings})
    day = today().isoformat()
    assert client.get(f"/api/v1/reports/ikm?from={day}&to={day}").status_code == 403
    sign_in_as(client, "admin")
    [overall] = client.get(f"/api/v1/reports/ikm?from={day}&to={day}").get_json()
    assert (overall["respondents"], overall["ikm"], overall["grade"], overall["grade_name"]) == (
        4,
        "84.03",
        "B",
        "Baik",
    )
    [by_officer] = client.get(f"/api/v1/reports/ikm?from={day}&to={day}&group=officer").get_json()
    assert by_officer["name"] == "Petugas Uji"
    assert client.get(f"/api/v1/reports/ikm?from={day}&to={day}&group=planet").status_code == 400
    assert client.get("/api/v1/reports/ikm?from=kemarin").status_code == 400


def test_exports_stream_for_the_admin_and_an_agency_manager_sees_only_their_agency(
    client: FlaskClient, officer: User
) -> None:
    assert served_ticket(client)["number"] == "A001"
    client.post("/api/v1/tickets", json={"service_id": service_id("pkb")})
    day = today().isoformat()
    sign_in_as(client, "admin")
    text = client.get(f"/api/v1/exports/tickets.csv?from={day}&to={day}").get_data(as_text=True)
    numbers = sorted(row["Nomor"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert numbers == ["A001", "D001"]
    workbook = client.get(f"/api/v1/exports/events.xlsx?from={day}&to={day}")
    assert workbook.status_code == 200
    content = workbook.data
    workbook.close()  # the server's temporary file goes with the response
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    # the heading; A001 issued, called, completed; D001 issued
    assert sum(1 for _ in sheet.iter_rows()) == 1 + 4
    samsat = db.session.scalars(select(Agency.id).where(Agency.code == "samsat")).one()
    sign_in_as(client, "manager", agency_id=samsat)
    text = client.get(f"/api/v1/exports/tickets.csv?from={day}&to={day}").get_data(as_text=True)
    assert [row["Nomor"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))] == ["D001"]
    assert client.get(f"/api/v1/exports/secrets.csv?from={day}").status_code == 400
    assert client.get(f"/api/v1/exports/tickets.csv?from={day}&to=2020-01-01").status_code == 400


def test_dates_are_checked(client: FlaskClient) -> None:
    sign_in_as(client, "admin")
    assert (
        client.get(
            f"/api/v1/exports/tickets.csv?from={date(2026, 1, 1)}&to={date(2027, 12, 31)}"
        ).status_code
        == 400
    )
