"""A SQLite database locked by another process is waited for and retried, never a 500."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from server import create_app
from server.extensions import db
from server.services.hall_config import load_hall, read_hall_file
from server.services.publisher import RecordingPublisher
from tests.conftest import TEST_HALL, kiosk_client, service_id


def app_with_budget(tmp_path: Path, budget_s: float) -> Flask:
    """The test hall on a SQLite file; SQLite itself waits only 100 ms before we retry."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'antre.sqlite3'}",
            "ANTRE_PUBLISHER": RecordingPublisher(),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ANTRE_SQLITE_BUSY_MS": 100,
            "ANTRE_BUSY_BUDGET_S": budget_s,
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, read_hall_file(TEST_HALL))
    return app


class WriteLock:
    """Another process's connection holding the database's write lock for `hold_s` seconds."""

    def __init__(self, path: Path, hold_s: float) -> None:
        self.path, self.hold_s = path, hold_s
        self.taken = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE settings SET value = value WHERE key = 'hall_name'")
        self.taken.set()
        time.sleep(self.hold_s)
        connection.execute("COMMIT")
        connection.close()

    def __enter__(self) -> WriteLock:
        self.thread.start()
        assert self.taken.wait(5)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.thread.join()


@pytest.fixture
def patient_app(tmp_path: Path) -> Iterator[Flask]:
    app = app_with_budget(tmp_path, budget_s=5)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def impatient_app(tmp_path: Path) -> Iterator[Flask]:
    app = app_with_budget(tmp_path, budget_s=0.4)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_ticket_taken_while_another_process_writes_waits_and_is_issued(
    patient_app: Flask, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = kiosk_client(patient_app)
    ktp = service_id("ktp")
    with (
        caplog.at_level(logging.WARNING, logger="server.db"),
        WriteLock(tmp_path / "antre.sqlite3", hold_s=1.0),
    ):
        started = time.monotonic()
        assert client.get("/api/v1/hall").status_code == 200  # readers are never blocked
        assert time.monotonic() - started < 0.5
        answer = client.post("/api/v1/tickets", json={"service_id": ktp})
        waited = time.monotonic() - started
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["number"] == "A001"
    assert waited >= 0.8
    retries = [r for r in caplog.records if "database locked (attempt" in r.getMessage()]
    assert len(retries) >= 2  # SQLite waited 100 ms each time; we retried until the lock went


def test_a_lock_held_past_the_budget_is_a_clear_503_and_costs_no_number(
    impatient_app: Flask, tmp_path: Path
) -> None:
    client = kiosk_client(impatient_app)
    ktp = service_id("ktp")
    with WriteLock(tmp_path / "antre.sqlite3", hold_s=1.5):
        answer = client.post("/api/v1/tickets", json={"service_id": ktp})
        english = client.post("/api/v1/tickets?lang=en", json={"service_id": ktp})
    assert answer.status_code == 503
    assert answer.get_json() == {
        "error": {
            "code": "database_busy",
            "message": "Sistem sedang sibuk. Coba lagi sebentar lagi.",
        }
    }
    assert english.get_json()["error"]["message"] == "The system is busy. Try again in a moment."
    after = client.post("/api/v1/tickets", json={"service_id": ktp})
    assert after.status_code == 201 and after.get_json()["number"] == "A001"
