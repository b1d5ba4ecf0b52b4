"""Schemathesis fuzzes /api/v1 from its OpenAPI description: no 5xx, every answer as described.

The app runs in-process (WSGI) on a real SQLite file holding the test hall, a few tickets in
several states and a signed-in admin, who may do everything, on a browser paired as kiosk K1
(which alone may take tickets). The run is bounded: a fixed number
of examples per operation and a fixed seed (`ANTRE_FUZZ_SEED` to explore others), so CI stays
fast and a failure is reproducible. Schemathesis sends valid requests and invalid ones
(wrong types, missing fields, values out of range) and checks each answer.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from server import create_app
from server.extensions import db
from server.services.context import system_clock
from server.services.hall_config import load_hall, read_hall_file
from server.services.publisher import RecordingPublisher
from server.services.staff import create_user
from server.web.openapi import description
from tests.conftest import NO_RATE_LIMITS, OFFICER_PASSWORD, TEST_HALL, pair_device, require

EXAMPLES_PER_OPERATION = int(os.environ.get("ANTRE_FUZZ_EXAMPLES", "30"))
SEED = int(os.environ.get("ANTRE_FUZZ_SEED", "20261123"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
examples_run: Counter[str] = Counter()
answers: Counter[tuple[str, int]] = Counter()


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on its own SQLite file, with tickets waiting, called and done."""
    folder = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'antre.sqlite3'}",
            "ANTRE_PUBLISHER": RecordingPublisher(),
            "ANTRE_PUBLIC_URL": "http://hall.test",
            "INSTANCE_PATH": str(folder / "instance"),
            **NO_RATE_LIMITS,
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, read_hall_file(TEST_HALL))
        create_user(db.session, "kepala", "Kepala Aula", OFFICER_PASSWORD, "admin", system_clock())
        app.config["TEST_KIOSK_TOKEN"] = pair_device("K1")
        db.session.remove()
    seed_the_hall(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def seed_the_hall(app: Flask) -> None:
    """Tickets in several states, through the API as a kiosk and an officer would."""
    client = app.test_client()
    client.environ_base["HTTP_X_DEVICE_TOKEN"] = app.config["TEST_KIOSK_TOKEN"]
    sign_in(client)
    for service in (1, 1, 1, 2):
        assert client.post("/api/v1/tickets", json={"service_id": service}).status_code == 201
    assert client.post("/api/v1/counters/1/open").status_code == 200
    called = client.post("/api/v1/counters/1/call-next").get_json()
    for action in ("start", "complete"):
        client.post(f"/api/v1/tickets/{called['id']}/{action}", json={"counter_id": 1})
    client.post("/api/v1/counters/1/call-next")


def sign_in(client: object) -> tuple[str, str]:
    """Sign the admin in on a test client, which then sends the CSRF token; return the session
    cookie and the token."""
    answer = client.post(  # type: ignore[attr-defined]
        "/api/v1/session", json={"username": "kepala", "password": OFFICER_PASSWORD}
    )
    assert answer.status_code == 200, answer.get_json()
    token = answer.get_json()["csrf_token"]
    client.environ_base["HTTP_X_CSRF_TOKEN"] = token  # type: ignore[attr-defined]
    return client.get_cookie("session").value, token  # type: ignore[attr-defined]


CONFIG = schemathesis.Config.from_dict(
    {"seed": SEED, "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION}}
)
schema = schemathesis.openapi.from_dict(description(), config=CONFIG)


@pytest.fixture(scope="module")
def staff_cookies(fuzzed_app: Flask) -> dict[str, str]:
    """What every fuzzed request carries: the signed-in admin's session cookie."""
    return {"session": sign_in(fuzzed_app.test_client())[0]}


@pytest.fixture(scope="module")
def staff_headers(fuzzed_app: Flask, staff_cookies: dict[str, str]) -> dict[str, str]:
    """And the headers: the session's CSRF token, the paired kiosk's device token."""
    client = fuzzed_app.test_client()
    client.set_cookie("session", staff_cookies["session"])
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    return {"X-CSRF-Token": csrf, "X-Device-Token": fuzzed_app.config["TEST_KIOSK_TOKEN"]}


class ClosesAnswers:
    """WSGI wrapper that reads each answer whole and closes it, as gunicorn does.

    Schemathesis reads a body without closing it, which would leave a sent file open.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        answer = self.app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            getattr(answer, "close", lambda: None)()


@schema.parametrize()
def test_the_api_answers_every_input_as_described(
    case: schemathesis.Case,
    fuzzed_app: Flask,
    staff_cookies: dict[str, str],
    staff_headers: dict[str, str],
) -> None:
    examples_run[case.operation.label] += 1
    response = case.call_and_validate(
        app=ClosesAnswers(fuzzed_app), cookies=staff_cookies, headers=staff_headers, checks=CHECKS
    )
    answers[case.operation.label, response.status_code] += 1


def test_the_fuzz_run_covered_every_operation() -> None:
    """Runs after the fuzz test (same module): every operation got examples, boundedly."""
    operations = {result.ok().label for result in schema.get_all_operations()}
    require(bool(examples_run), "run together with the fuzz test above")
    assert set(examples_run) == operations
    accepted = sorted({label for (label, status), _count in answers.items() if status < 300})
    print(  # the numbers of the run, shown with `pytest -s`
        f"\nschemathesis: {sum(examples_run.values())} examples over {len(operations)} "
        f"operations; accepted by {len(accepted)}: {accepted}\n{sorted(answers.items())}"
    )
    assert answers["GET /api/v1/session", 200], "the admin's session cookie did not reach the app"
    assert all(count >= 2 for count in examples_run.values()), examples_run
