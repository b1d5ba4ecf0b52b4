"""Database engine set-up and the one write-transaction rule every use case follows.

SQLite runs in WAL mode; a write transaction starts with `BEGIN IMMEDIATE` so that two writers
never both read and then fail to upgrade their lock. Within one process, writers also queue on a
lock so they wait in Python rather than in SQLite's sleeping busy handler. PostgreSQL needs
neither: numbering is one upsert and a call claims its ticket with one conditional UPDATE.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, scoped_session

from server.extensions import db

WRITE = "antre_write"
_sqlite_write_locks: dict[int, threading.Lock] = {}


def init_app(app: Flask) -> None:
    """Configure the engine for the chosen database."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).update(timeout=30, check_same_thread=False)
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    _sqlite_write_locks[id(engine)] = threading.Lock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """Run the block as one write transaction and commit it; roll back on any error."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.commit()  # end a read transaction so the write starts from fresh data
    with _sqlite_write_locks.get(id(session.get_bind())) or nullcontext():
        session.connection(execution_options={WRITE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
