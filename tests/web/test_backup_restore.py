"""`antre backup` while the server writes, then `antre restore`: exactly the backed-up tickets."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from flask import Flask
from sqlalchemy import make_url

from server import create_app
from server.backup import BackupError, backup_sqlite, check_backup, restore_sqlite
from server.extensions import db
from server.services.hall_config import load_hall, read_hall_file
from server.services.publisher import RecordingPublisher
from tests.conftest import ROOT, TEST_HALL, antre_command, kiosk_client, require, service_id
from tests.live_hall import Hall, Kiosks, prepare_hall, stored_tickets


def antre(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the `antre` CLI and return what happened, whatever its exit code."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def take(hall: Hall, service_id: int, count: int) -> list[dict[str, str]]:
    tickets, kiosk = [], hall.device("K1")
    for _ in range(count):
        answer = kiosk.post(
            hall.url + "/api/v1/tickets", json={"service_id": service_id}, timeout=5
        )
        assert answer.status_code == 201, answer.text
        tickets.append(answer.json())
    return tickets


@pytest.mark.live
def test_a_backup_taken_under_load_restores_exactly_its_tickets(tmp_path: Path) -> None:
    hall = prepare_hall(tmp_path, f"sqlite:///{tmp_path / 'hall.sqlite3'}")
    backup = tmp_path / "backups" / "hall-backup.sqlite3"
    backup.parent.mkdir()
    server = hall.serve()
    try:
        hall_json = hall.device().get(hall.url + "/api/v1/hall", timeout=5).json()
        ktp = hall_json["agencies"][0]["services"][0]["id"]
        early = take(hall, ktp, 5)
        with Kiosks(hall.url, [ktp], kiosks=2, headers=hall.device_headers()) as writer:
            writer.wait_for(20)
            started = time.time()
            antre_command("backup", str(backup), env=hall.env)  # while the kiosks write
            writer.wait_for(len(writer.acknowledged) + 10)
        later = take(hall, ktp, 3)

        refused = antre("restore", str(backup), env=hall.env)
        assert refused.returncode != 0
        assert "a server is running" in refused.stderr
        server.process.terminate()
        server.process.wait(timeout=15)
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()

    # the backup is one consistent snapshot taken during the load
    in_backup = {row.token: row for row in stored_tickets(f"sqlite:///{backup}")}
    before = early + [t for t in writer.acknowledged if t["acknowledged_at"] < started]
    assert all(t["token"] in in_backup for t in before)
    assert not any(t["token"] in in_backup for t in later)
    assert len(in_backup) < len(early) + len(writer.acknowledged)  # the writer went on after it
    sequences = sorted(row.sequence for row in in_backup.values())
    assert sequences == list(range(1, len(sequences) + 1))
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT last_number FROM daily_sequences").fetchone()[0] == len(
            sequences
        )
        issued = copy.execute("SELECT count(*) FROM ticket_events WHERE kind = 'issued'")
        assert issued.fetchone()[0] == len(sequences)

    restored = antre("restore", str(backup), env=hall.env)
    assert restored.returncode == 0, restored.stderr
    assert "is kept as" in restored.stdout
    live = {row.token for row in stored_tickets(hall.env["ANTRE_DATABASE_URL"])}
    assert live == set(in_backup)
    kept = next(tmp_path.glob("hall.sqlite3.before-restore-*"))
    everything = {row.token for row in stored_tickets(f"sqlite:///{kept}")}
    assert {t["token"] for t in early + writer.acknowledged + later} <= everything

    server = hall.serve()  # the server starts on the restored database
    try:
        assert requests.get(f"{hall.url}/api/v1/tickets/{early[0]['token']}").status_code == 200
        assert requests.get(f"{hall.url}/api/v1/tickets/{later[0]['token']}").status_code == 404
        next_ticket = take(hall, ktp, 1)[0]
        assert next_ticket["number"] == f"A{len(sequences) + 1:03d}"
    finally:
        server.process.terminate()
        server.process.wait(timeout=15)


def test_backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup(
    app: Flask, tmp_path: Path
) -> None:
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    copy = tmp_path / "copy.sqlite3"
    assert backup_sqlite(database, copy).tickets == 0
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(database, copy)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(BackupError, match="not a SQLite database"):
        restore_sqlite(not_a_backup, database)
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with pytest.raises(BackupError, match="missing tables"):
        check_backup(empty)


def test_backup_of_a_postgresql_hall_points_to_pg_dump(tmp_path: Path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://antre@127.0.0.1/antre",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    answer = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.sqlite3")])
    assert answer.exit_code != 0
    assert "pg_dump --format=custom" in answer.output and "pg_restore" in answer.output


@pytest.mark.postgres
def test_the_documented_pg_dump_and_pg_restore_bring_back_a_postgresql_hall(
    postgres_url: str, tmp_path: Path
) -> None:
    tools = [shutil.which("pg_dump"), shutil.which("pg_restore")]
    require(all(tools), "pg_dump and pg_restore (Debian's postgresql-client) are not installed")
    libpq_url = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": postgres_url,
            "ANTRE_PUBLISHER": RecordingPublisher(),
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, read_hall_file(TEST_HALL))
        ktp = service_id("ktp")
        client = kiosk_client(app)
        db.session.remove()
    issue = lambda: client.post("/api/v1/tickets", json={"service_id": ktp}).get_json()  # noqa: E731
    kept = [issue()["token"] for _ in range(3)]
    dump = tmp_path / "antre.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", libpq_url], check=True, timeout=60
    )
    lost = issue()["token"]
    with app.app_context():
        db.engine.dispose()  # the servers are stopped before a restore
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={libpq_url}", str(dump)],
        check=True,
        timeout=60,
    )
    assert {row.token for row in stored_tickets(postgres_url)} == set(kept)
    assert lost not in {row.token for row in stored_tickets(postgres_url)}
    assert issue()["number"] == "A004"
    with app.app_context():
        db.engine.dispose()
