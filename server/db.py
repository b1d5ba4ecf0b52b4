"""Database engine set-up and the one write-transaction rule every use case follows.

SQLite runs in WAL mode; a write transaction starts with `BEGIN IMMEDIATE` so that two writers
never both read and then fail to upgrade their lock. Within one process, writers also queue on a
lock so they wait in Python rather than in SQLite's sleeping busy handler. When another process
holds the write lock (a backup, a purge, a second server by mistake), `BEGIN IMMEDIATE` is retried
with a growing pause until a budget runs out; only then does the caller get `DatabaseBusy` (503).
Commits are synchronous (`synchronous=FULL`): a ticket the server acknowledged survives a crash
and a power cut. PostgreSQL needs none of this: numbering is one upsert and a call claims its
ticket with one conditional UPDATE.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

from server.domain.errors import DomainError
from server.extensions import db

log = logging.getLogger(__name__)
WRITE = "antre_write"
BUSY_WAIT_MS = 1000  # SQLite's own busy handler, per attempt
BUSY_BUDGET_S = 10.0  # all attempts together, before the caller hears 503
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.05, 1.0


class DatabaseBusy(DomainError):
    """Another process held the database's write lock for longer than the retry budget."""

    status = 503

    def __init__(self) -> None:
        super().__init__(
            "database_busy",
            "Sistem sedang sibuk. Coba lagi sebentar lagi.",
            "The system is busy. Try again in a moment.",
        )


@dataclass
class SqliteWriters:
    """How one SQLite engine's writers take turns: a lock in this process, a retry budget."""

    budget_s: float
    lock: threading.Lock = field(default_factory=threading.Lock)


_sqlite_writers: dict[int, SqliteWriters] = {}


def init_app(app: Flask) -> None:
    """Configure the engine for the chosen database."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    busy_wait_ms = int(app.config.get("ANTRE_SQLITE_BUSY_MS", BUSY_WAIT_MS))
    if uri.startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {}).update(
            timeout=busy_wait_ms / 1000, check_same_thread=False
        )
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            budget_s = float(app.config.get("ANTRE_BUSY_BUDGET_S", BUSY_BUDGET_S))
            _configure_sqlite(engine, busy_wait_ms, budget_s)


def _configure_sqlite(engine: Engine, busy_wait_ms: int, budget_s: float) -> None:
    _sqlite_writers[id(engine)] = SqliteWriters(budget_s)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_wait_ms:d}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_busy(error: BaseException) -> bool:
    """Whether a database error means "locked by someone else, try again"."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text


@contextmanager
def write_transaction(session: Session) -> Iterator[Session]:
    """Run the block as one write transaction and commit it; roll back on any error."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.commit()  # end a read transaction so the write starts from fresh data
    writers = _sqlite_writers.get(id(session.get_bind()))
    if writers is None:
        session.connection(execution_options={WRITE: True})
        yield from _commit_or_roll_back(session)
        return
    deadline = time.monotonic() + writers.budget_s
    if not writers.lock.acquire(timeout=writers.budget_s):
        raise DatabaseBusy()
    try:
        _begin_immediate(session, deadline)
        yield from _commit_or_roll_back(session)
    finally:
        writers.lock.release()


def _commit_or_roll_back(session: Session) -> Iterator[Session]:
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _begin_immediate(session: Session, deadline: float) -> None:
    """Take SQLite's write lock, retrying with a growing, jittered pause until `deadline`."""
    pause, attempt = FIRST_PAUSE_S, 1
    while True:
        try:
            session.connection(execution_options={WRITE: True})
            return
        except OperationalError as error:
            session.rollback()
            if not is_busy(error):
                raise
            if time.monotonic() + pause > deadline:
                log.error("database still locked after %d attempts; answering 503", attempt)
                raise DatabaseBusy() from error
            log.warning("database locked (attempt %d); retrying in %.2f s", attempt, pause)
            time.sleep(pause * random.uniform(0.5, 1.0))
            pause, attempt = min(pause * 2, LONGEST_PAUSE_S), attempt + 1
