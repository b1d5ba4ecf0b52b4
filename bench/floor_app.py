"""The least a ticket can cost on this stack: a bare Flask app under Antre's gunicorn settings.

`FLOOR_MODE=echo` answers a posted JSON body with a JSON answer and no database; `FLOOR_MODE=write`
also does what issuing must do at the least, on the same SQLite settings as Antre (WAL,
`synchronous=FULL`, `BEGIN IMMEDIATE`): take the next daily number with one upsert, insert the
ticket and its event, commit, through Python's `sqlite3` itself; `FLOOR_MODE=session` does the same
three statements through a SQLAlchemy engine and ORM session, as Antre's requests hold them.
Served by `bench/issue_floor.py`; not part of the product.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from datetime import UTC, datetime
from itertools import count

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

app = Flask(__name__)
MODE = os.environ.get("FLOOR_MODE", "write")
DATABASE = os.environ.get("FLOOR_DATABASE", "floor.sqlite")
SCHEMA = """
CREATE TABLE IF NOT EXISTS sequences (service_id INTEGER, day TEXT, last INTEGER,
    PRIMARY KEY (service_id, day));
CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY, token TEXT UNIQUE, service_id INTEGER,
    day TEXT, sequence INTEGER, number TEXT, status TEXT, issued_at TEXT,
    UNIQUE (service_id, day, sequence));
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, ticket_id INTEGER, kind TEXT, at TEXT);
"""
UPSERT = (
    "INSERT INTO sequences (service_id, day, last) VALUES (:service_id, :day, 1)"
    " ON CONFLICT (service_id, day) DO UPDATE SET last = last + 1 RETURNING last"
)
INSERT_TICKET = (
    "INSERT INTO tickets (token, service_id, day, sequence, number, status, issued_at)"
    " VALUES (:token, :service_id, :day, :sequence, :number, 'waiting', :at) RETURNING id"
)
INSERT_EVENT = "INSERT INTO events (ticket_id, kind, at) VALUES (:ticket_id, 'issued', :at)"
local = threading.local()
echoed = count(1)


def connection() -> sqlite3.Connection:
    if not hasattr(local, "connection"):
        db = sqlite3.connect(DATABASE, isolation_level=None, check_same_thread=False, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(SCHEMA)
        local.connection = db
    return local.connection


def session_engine():
    engine = create_engine(f"sqlite:///{DATABASE}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=FULL")
        dbapi_connection.executescript(SCHEMA)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


engine = session_engine() if MODE == "session" else None
STATEMENTS = [text(UPSERT), text(INSERT_TICKET), text(INSERT_EVENT)]


def write_with_session(values: dict) -> tuple[int, str]:
    upsert, insert_ticket, insert_event = STATEMENTS
    with Session(engine) as session, session.begin():
        values["sequence"] = session.execute(upsert, values).scalar_one()
        values["number"] = f"A{values['sequence']:03d}"
        values["ticket_id"] = session.execute(insert_ticket, values).scalar_one()
        session.execute(insert_event, values)
    return values["ticket_id"], values["number"]


def write_with_sqlite(values: dict) -> tuple[int, str]:
    db = connection()
    db.execute("BEGIN IMMEDIATE")
    try:
        values["sequence"] = db.execute(UPSERT, values).fetchone()[0]
        values["number"] = f"A{values['sequence']:03d}"
        values["ticket_id"] = db.execute(INSERT_TICKET, values).fetchone()[0]
        db.execute(INSERT_EVENT, values)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return values["ticket_id"], values["number"]


@app.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@app.post("/api/v1/tickets")
def post_ticket():
    body = request.get_json()
    service_id = int(body["service_id"])
    if MODE == "echo":
        return jsonify({"service_id": service_id, "number": f"E{next(echoed)}"}), 201
    now = datetime.now(UTC).isoformat()
    values = {"service_id": service_id, "day": now[:10], "at": now}
    values["token"] = secrets.token_urlsafe(24)
    write = write_with_session if MODE == "session" else write_with_sqlite
    ticket_id, number = write(values)
    return jsonify({"id": ticket_id, "service_id": service_id, "number": number}), 201
