"""Backup and restore of the SQLite database, safe while the server runs.

A backup is taken with SQLite's online backup API in one step: the copy is a single consistent
snapshot even while the server writes (WAL readers never block the writer). It is written next to
its target and renamed into place, so a half-written backup never carries the target's name.

A restore checks the backup first, keeps the current database aside, then copies the backup into
the database file through SQLite as well, so no connection ever sees a half-copied file. Each
server process holds a shared lock on `<database>.serving` for its lifetime (`hold_serving_lock`);
a restore takes that lock exclusively and refuses while a server holds it, unless forced.

PostgreSQL is backed up with `pg_dump` and restored with `pg_restore` (see the README).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

REQUIRED_TABLES = ("tickets", "ticket_events", "daily_sequences")
_serving_locks: list[IO[Any]] = []  # held open for the life of the server process


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    """What a database file holds."""

    path: Path
    revision: str
    tickets: int
    size: int


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite database URL; None for other databases (or an in-memory one)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def lock_path(database: Path) -> Path:
    """The file servers hold a shared lock on while they serve `database`."""
    return database.with_name(database.name + ".serving")


def hold_serving_lock(database: Path) -> None:
    """Mark this process as serving `database` until it exits (waits while a restore runs)."""
    handle = lock_path(database).open("a")
    fcntl.flock(handle, fcntl.LOCK_SH)
    _serving_locks.append(handle)


def backup_sqlite(database: Path, target: Path) -> BackupInfo:
    """Copy `database` to `target` as one consistent snapshot; the server may keep running."""
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new name")
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent} to write the backup into")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect(database)) as source, closing(_connect(partial)) as copy:
            source.backup(copy)  # all pages in one step: one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # the backup is one self-contained file
        info = check_backup(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(target, info.revision, info.tickets, target.stat().st_size)


def check_backup(path: Path) -> BackupInfo:
    """Open a backup read-only and check it is a whole, uncorrupted Antre database."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            missing = [table for table in REQUIRED_TABLES if table not in tables]
            if verdict != "ok" or missing:
                raise BackupError(
                    f"{path} is not a usable Antre backup: check says {verdict!r}, "
                    f"missing tables {missing}"
                )
            revision = ""
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else ""
            tickets = connection.execute("SELECT count(*) FROM tickets").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database: {error}") from error
    return BackupInfo(path, revision, tickets, path.stat().st_size)


def restore_sqlite(backup: Path, database: Path, force: bool = False) -> Path | None:
    """Replace `database` with `backup`; return where the previous database was kept."""
    check_backup(backup)
    with _no_server_running(database, force):
        kept = _keep_aside(database)
        with closing(_connect(backup)) as source, closing(_connect(database)) as live:
            source.backup(live)
            live.execute("PRAGMA journal_mode=WAL")
            verdict = live.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"the restored database fails its check: {verdict}; {kept} is kept")
    return kept


def _keep_aside(database: Path) -> Path | None:
    """Copy the current database next to itself before it is replaced; None when there is none.

    A database too damaged to copy through SQLite has its files moved aside whole instead, and
    the backup is restored into a fresh file.
    """
    if not database.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    try:
        backup_sqlite(database, kept)
    except (BackupError, sqlite3.DatabaseError):
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{database}{suffix}")
            if part.exists():
                os.replace(part, Path(f"{kept}{suffix}"))
    return kept


@contextmanager
def _no_server_running(database: Path, force: bool) -> Any:
    """Hold the serving lock exclusively: no server may start while the database is replaced."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with lock_path(database).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not force:
                raise BackupError(
                    f"a server is running on {database}: stop it first (or pass --force to "
                    "restore under it; its screens then show the restored data)"
                ) from None
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection
