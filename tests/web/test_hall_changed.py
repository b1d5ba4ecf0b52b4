"""Loading the hall file tells every screen to reload its snapshot (`hall_changed`)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from server import create_app
from server.extensions import db
from server.services.publisher import RecordingPublisher
from tests.conftest import TEST_HALL, counter_id, service_id


def test_loading_the_hall_tells_every_screen_to_reload(
    app: Flask, publisher: RecordingPublisher
) -> None:
    loaded = app.test_cli_runner().invoke(args=["hall", "load", str(TEST_HALL)])
    assert loaded.exit_code == 0, loaded.output
    assert "told every screen to reload the hall" in loaded.output
    assert publisher.events("hall_changed") == [{"v": 1}]
    [(_, _, rooms)] = [sent for sent in publisher.sent if sent[0] == "hall_changed"]
    for room in ("zone:1", f"counter:{counter_id('L1')}", f"service:{service_id('ktp')}", "staff"):
        assert room in rooms


def test_without_a_message_queue_a_command_cannot_reach_the_screens_and_says_so(
    tmp_path: Path,
) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'antre.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ANTRE_MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        db.create_all()
    loaded = app.test_cli_runner().invoke(args=["hall", "load", str(TEST_HALL)])
    assert loaded.exit_code == 0, loaded.output
    assert "when they next reload (no ANTRE_MESSAGE_QUEUE)" in loaded.output
    with app.app_context():
        db.engine.dispose()
