"""Benchmark: the streamed wait-time export's time and peak memory as the log grows.

    .venv/bin/python bench/export_memory.py --tickets 10000 100000 1000000 [--json out.json]

For each size it builds a SQLite hall with that many tickets (each issued, called, started and
completed: four events, spread over a year), then exports them as CSV and as XLSX in a fresh
process, and reports rows, seconds, rows per second and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HALL = ROOT / "tests" / "halls" / "test_hall.toml"


def build(database: Path, tickets: int) -> None:
    """A hall with `tickets` served tickets, inserted in bulk."""
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.services.hall_config import load_hall, read_hall_file

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "INSTANCE_PATH": str(database.parent)}
    )
    with app.app_context():
        upgrade()
        load_hall(db.session, read_hall_file(HALL))
        chooser = random.Random(1)
        start = datetime(2025, 11, 24, 1, 0, tzinfo=UTC)
        ticket_rows, event_rows = [], []
        with db.engine.begin() as connection:
            for ticket_id in range(1, tickets + 1):
                issued = start + timedelta(seconds=ticket_id * 365 * 86400 // max(tickets, 1))
                called = issued + timedelta(seconds=chooser.randint(60, 3600))
                serving = called + timedelta(seconds=30)
                done = serving + timedelta(seconds=chooser.randint(120, 900))
                day = (issued + timedelta(hours=7)).date()
                naive = [t.replace(tzinfo=None) for t in (issued, called, serving, done)]
                ticket_rows.append(
                    (
                        ticket_id,
                        f"t{ticket_id:011d}",
                        1,
                        1,
                        day,
                        ticket_id,
                        f"A{ticket_id:03d}",
                        "done",
                        False,
                        "id",
                        1,
                        0,
                        *naive,
                    )
                )
                for offset, (kind, status, at) in enumerate(
                    [
                        ("issued", "waiting", naive[0]),
                        ("called", "called", naive[1]),
                        ("serving", "serving", naive[2]),
                        ("completed", "done", naive[3]),
                    ]
                ):
                    event_rows.append(
                        (
                            ticket_id * 4 + offset,
                            ticket_id,
                            kind,
                            at,
                            status,
                            1,
                            None if kind == "issued" else 1,
                        )
                    )
                if len(ticket_rows) >= 20000:
                    _flush(connection, ticket_rows, event_rows)
            _flush(connection, ticket_rows, event_rows)
        db.engine.dispose()


def _flush(connection, ticket_rows: list, event_rows: list) -> None:
    if not ticket_rows:
        return
    connection.exec_driver_sql(
        "INSERT INTO tickets (id, token, service_id, issued_service_id, service_day, sequence,"
        " number, status, priority, lang, counter_id, recall_count, issued_at, called_at,"
        " served_at, finished_at, arrived_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row, row[12]) for row in ticket_rows],
    )
    connection.exec_driver_sql(
        "INSERT INTO ticket_events (id, ticket_id, kind, at, status, service_id, counter_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        event_rows,
    )
    ticket_rows.clear()
    event_rows.clear()


def export_once(database: Path, kind: str, out: Path) -> dict[str, float]:
    """Run one export in this process (called in a child): rows, seconds, peak memory."""
    from server import create_app
    from server.extensions import db
    from server.services import exports
    from server.web.context import current_context

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "INSTANCE_PATH": str(database.parent)}
    )
    with app.app_context():
        scope = exports.ExportFilter(date(2025, 1, 1), date(2026, 12, 31))
        began = time.perf_counter()
        rows = exports.ticket_rows(db.session, current_context(), scope)
        if kind == "xlsx":
            count = exports.write_xlsx(rows, exports.TICKET_COLUMNS, out, "tiket")
        else:
            count = 0
            with out.open("w", encoding="utf-8", newline="") as handle:
                for line in exports.write_csv(rows, exports.TICKET_COLUMNS):
                    handle.write(line)
                    count += 1
            count -= 1
        seconds = time.perf_counter() - began
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": count,
        "seconds": round(seconds, 2),
        "rows_per_s": round(count / seconds),
        "peak_rss_mib": round(peak_mib, 1),
        "file_mib": round(out.stat().st_size / 2**20, 1),
    }


def measure(tickets: int, workdir: Path) -> list[dict[str, float]]:
    database = workdir / f"hall-{tickets}.sqlite3"
    began = time.perf_counter()
    build(database, tickets)
    built = round(time.perf_counter() - began, 1)
    results = []
    for kind in ("csv", "xlsx"):
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(database),
                kind,
                str(workdir / f"export-{tickets}.{kind}"),
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        results.append(
            {
                "tickets": tickets,
                "format": kind,
                "build_s": built,
                **json.loads(child.stdout.strip().splitlines()[-1]),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        database, kind, out = options.child
        print(json.dumps(export_once(Path(database), kind, Path(out))))
        return
    with tempfile.TemporaryDirectory() as workdir:
        results = [row for tickets in options.tickets for row in measure(tickets, Path(workdir))]
    columns = ("tickets", "format", "rows", "seconds", "rows_per_s", "peak_rss_mib", "file_mib")
    headers = ("tickets", "format", "rows", "seconds", "rows/s", "peak MiB", "file MiB")
    print(" ".join(f"{header:>9}" for header in headers))
    for row in results:
        print(" ".join(f"{row[column]!s:>9}" for column in columns))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
