"""Benchmark: what issuing a ticket costs in Antre against the least it can cost on the same stack.

    .venv/bin/python bench/issue_floor.py [--kiosks 8] [--tickets 3000] [--rounds 2] \
        [--json out.json]

Four servers, each under the gunicorn settings of `antre serve` (one worker, threads, an access
log), each driven by the same `--kiosks` threads posting tickets as fast as answered (the kiosk
loop of `bench/load.py`), one after another and `--rounds` times over:

* **echo**: a bare Flask app (`bench/floor_app.py`) that reads the posted JSON and answers JSON,
  with no database: what gunicorn, Flask and the benchmark's own clients cost a request here;
* **write**: the same app also taking the next daily number and writing the ticket and its event in
  one `BEGIN IMMEDIATE` transaction on SQLite with Antre's settings (WAL, `synchronous=FULL`), by
  the driver's own `sqlite3` calls: the least a durable ticket can cost on this stack;
* **session**: the same writes through a SQLAlchemy engine and session, as Antre's requests run
  their statements (a session per request, a pooled connection, `BEGIN IMMEDIATE` from the
  engine's `begin` event);
* **antre**: `antre serve` on a fresh hall with 100 waiting, its kiosks paired and sending their
  device cookie and CSRF token, each ticket printed at its kiosk (a print job recorded).

For each it reports tickets per second, the request's p50 / p95 / p99, and the CPU time the
server's worker used per ticket (from /proc). The worker is one process under one GIL, so its CPU
per ticket bounds what one process can issue: about 1,000 ms ÷ (CPU ms per ticket) on a free
core, less when the clients share the machine's cores, as they do here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.hall_clients import Kiosk, issue_tickets
from bench.hall_report import issue_summary
from bench.hall_setup import (
    SPARE_THREADS,
    ServerProcess,
    Serving,
    prepare_hall,
    start_antre,
    start_floor,
)
from bench.load import hall_ids, machine, open_kiosks

WAITING = 100


def floor_kiosks(url: str, kiosks: int) -> list[Kiosk]:
    return [Kiosk(0, f"K{n}", requests.Session()) for n in range(1, kiosks + 1)]


def measure(server: ServerProcess, kiosks: list[Kiosk], services: list[int], tickets: int, options):
    """Warm up, then issue `tickets` and read the worker's CPU around it."""
    issue_tickets([server.url], kiosks, len(kiosks) * 4, services)
    before = server.cpu_s()
    issues = issue_tickets([server.url], kiosks, tickets, services)
    after = server.cpu_s()
    summary = issue_summary(issues, 0, options)
    summary["cpu_ms_per_ticket"] = cpu_per_ticket(before, after, summary["tickets"])
    return summary


def cpu_per_ticket(before: float | None, after: float | None, tickets: int) -> float | None:
    """The worker's CPU milliseconds per ticket, or None when /proc could not be read.

    The kernel counts CPU time in clock ticks (10 ms here), so a short run can read 0."""
    if before is None or after is None:
        return None
    return round(1000 * (after - before) / max(tickets, 1), 2)


def run_floor(mode: str, workdir: Path, label: str, options: argparse.Namespace) -> dict[str, Any]:
    serving = Serving(
        f"sqlite:///{workdir / 'unused.sqlite'}", workdir, options.kiosks + SPARE_THREADS
    )
    server = start_floor(serving, label, mode)
    try:
        return measure(
            server, floor_kiosks(server.url, options.kiosks), [1, 2, 3], options.tickets, options
        )
    finally:
        server.stop()


def run_antre(workdir: Path, label: str, options: argparse.Namespace) -> dict[str, Any]:
    database_url = f"sqlite:///{workdir / f'antre-{label}.sqlite'}"
    paired = prepare_hall(database_url, workdir, 4, WAITING, options.kiosks, 0)
    server = start_antre(Serving(database_url, workdir, options.kiosks + SPARE_THREADS), label)
    try:
        kiosks = open_kiosks([server.url], paired)
        services = hall_ids(server.url, kiosks[0].session)["services"]
        return measure(server, kiosks, services, options.tickets, options)
    finally:
        server.stop()


def table(rounds: list[dict[str, dict[str, Any]]]) -> str:
    lines = [
        "| round | server | tickets | tickets/s | req p50 | p95 | p99 | errors | dups"
        " | cpu ms/ticket |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for number, results in enumerate(rounds, start=1):
        for name, r in results.items():
            q = r["request"]
            lines.append(
                f"| {number} | {name} | {r['tickets']:,} | {r['tickets_per_s']:.1f} | {q['p50_ms']}"
                f" | {q['p95_ms']} | {q['p99_ms']} | {r['errors']} | {r['duplicate_numbers']}"
                f" | {cpu_cell(r['cpu_ms_per_ticket'])} |"
            )
    return "\n".join(lines)


def cpu_cell(cpu_ms: float | None) -> str:
    return "–" if cpu_ms is None else f"{cpu_ms:.2f}"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="antre-floor-") as folder:
        workdir = Path(folder)
        (workdir / "instance").mkdir()
        for number in range(options.rounds):
            rounds.append(
                {
                    "echo": run_floor("echo", workdir, f"echo{number}", options),
                    "write": run_floor("write", workdir, f"write{number}", options),
                    "session": run_floor("session", workdir, f"session{number}", options),
                    "antre": run_antre(workdir, f"r{number}", options),
                }
            )
    print(table(rounds))
    if options.json:
        report = {"machine": machine(), "options": vars(options) | {"json": str(options.json)}}
        options.json.write_text(json.dumps(report | {"rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
