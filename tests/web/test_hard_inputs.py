"""Inputs the fuzzer found or could find: each is a clear 4xx in both languages, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from server.extensions import db
from server.models import User
from server.services.context import system_clock
from server.services.staff import create_user
from tests.conftest import OFFICER_PASSWORD, service_id


def error_of(answer: object) -> dict[str, str]:
    return answer.get_json()["error"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/zones/99999999999999999999/snapshot",
        "/api/v1/counters/2147483648",
        "/api/v1/calls/9223372036854775808/audio.wav",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(
    client: FlaskClient, officer: User, path: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 404 and error_of(answer)["code"] == "not_found"


def test_an_id_too_large_in_a_body_is_refused_in_both_languages(client: FlaskClient) -> None:
    body = {"service_id": 2**63}
    answer = client.post("/api/v1/tickets", json=body)
    english = client.post("/api/v1/tickets?lang=en", json=body)
    assert answer.status_code == english.status_code == 400
    assert error_of(answer) == {
        "code": "invalid_service_id",
        "message": "service_id harus bilangan bulat positif (maks. 2147483647).",
    }
    assert error_of(english)["message"] == (
        "service_id must be a positive whole number (at most 2147483647)."
    )


def test_text_with_a_nul_character_is_refused(client: FlaskClient, officer: User) -> None:
    ticket = client.post("/api/v1/tickets", json={"service_id": service_id("ktp")}).get_json()
    answer = client.post(f"/api/v1/tickets/{ticket['id']}/hold", json={"note": "a\x00b"})
    assert answer.status_code == 400 and error_of(answer)["code"] == "invalid_note"


def test_a_token_that_cannot_exist_is_not_found(client: FlaskClient) -> None:
    for token in ("a" * 65, "bad token with spaces", "%00" * 20):
        assert client.get(f"/api/v1/tickets/{token}").status_code == 404
        assert client.get(f"/api/v1/tickets/{token}/survey").status_code == 404


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=0001-01-01", "invalid_dates"),
        ("from=9999-12-31", "invalid_dates"),
        ("from=20261123", "invalid_dates"),
        ("from=2026-11-23&service=%C2%B2", "invalid_service"),
        ("from=2026-11-23&counter=0", "invalid_counter"),
        ("from=2026-11-23&officer=" + "9" * 5000, "invalid_officer"),
    ],
)
def test_report_filters_out_of_range_are_refused(
    client: FlaskClient, query: str, code: str
) -> None:
    create_user(db.session, "kepala", "Kepala Aula", OFFICER_PASSWORD, "admin", system_clock())
    client.post("/api/v1/session", json={"username": "kepala", "password": OFFICER_PASSWORD})
    answer = client.get(f"/api/v1/exports/tickets.csv?{query}")
    assert answer.status_code == 400 and error_of(answer)["code"] == code
