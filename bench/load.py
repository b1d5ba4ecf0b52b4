"""Benchmark: the hall under load — kiosks issuing, counters calling, displays hearing the calls.

    .venv/bin/python bench/load.py [--kiosks 8] [--counters 16] [--displays 50]
        [--operations 2000] [--waiting 100 10000] [--call-rate 20] [--connections 1000]
        [--database-url URL] [--message-queue URL] [--processes 1|2] [--deflate]
        [--json out.json] [--compare single-process.json]

For each queue length in `--waiting`, on a fresh database with that many tickets already in line,
it starts Antre as in production (`antre serve`: gunicorn, one worker, a thread per socket; with
`--processes 2`, two of them on one PostgreSQL database and one Redis message queue), connects
`--displays` real Socket.IO clients to the zone's room (spread over the processes), then

* **issue**: `--kiosks` threads issue `--operations` tickets over HTTP, as fast as answered, each
  as the kiosk page asks for one (naming its kiosk: a print job is recorded, with no print agent
  connected, so nothing is sent to print);
* **call**: `--counters` signed-in officers (spread over the processes) call the next visitor and
  complete them, `--operations` times in all, paced at `--call-rate` calls per second together
  (far more than a hall's counters make, but below what a process can take, so that latency shows
  the work of one call and not a queue of calls). A call's latency to a display runs from the
  moment the counter sends `call-next` to the moment that display's client receives
  `ticket_called` (one monotonic clock on this machine): it includes the call's transaction.

Every client is who it would be in a hall: the kiosks and displays are paired (one-time codes,
redeemed on the scratch database before the servers start) and send their device cookies, the
kiosks the CSRF token of their page; the officers sign in and send their session's CSRF token.
Issuing is rate-limited per kiosk and per address; the servers run with both limits raised to a
million a minute (`bench/hall_setup.py`), so the limits are counted but never reached.

The queue is the given length before issuing, that plus `--operations` after, and back to the
given length after calling. Then the same displays and counters drive a bare Flask-SocketIO app
(`bench/bare_emit.py`: one emit per request, no database) under the same gunicorn settings; our
latency is printed as a ratio to its. Last, `--connections` displays connect to one process, for
its memory, and hear a few calls. Duplicates are counted in the answers (a number issued twice, a
ticket called twice), at the displays (a call heard twice) and in the database.
The displays do not offer websocket compression unless given `--deflate`; then each offers
per-message deflate as a browser does. Antre declines the offer (`server/web/sockets.py`); the
bare app, as Flask-SocketIO's defaults have it, accepts it and compresses each event once per
display, so under `--deflate` the ratio also holds what compression costs the bare app.
With `--processes 2`, latency is also split by whether the display is on the process that made
the call, and `--compare` sets the other-process p99 against a single-process run's.
Output: tables, and the same as JSON with `--json`; the exit status is 1 if anything was
duplicated.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import hall_report  # noqa: E402 - after the path is set
from bench.hall_clients import (  # noqa: E402
    Desk,
    Displays,
    Kiosk,
    bare_emit,
    call_and_complete,
    issue_tickets,
    kiosk_session,
    officer_session,
    work_counters,
)
from bench.hall_setup import (  # noqa: E402
    BENCH_LIMITS,
    SPARE_THREADS,
    PairedDevices,
    ServerProcess,
    Serving,
    prepare_hall,
    scratch_database,
    start_antre,
    start_bare,
)

CONNECTION_CALLS = 10
CONNECTION_CALL_RATE = 1.0


def hall_ids(url: str, kiosk: requests.Session) -> dict[str, Any]:
    """Service and counter ids and the zone's room, as a paired kiosk reads them."""
    hall = kiosk.get(f"{url}/api/v1/hall", timeout=30).json()
    return {
        "services": [s["id"] for agency in hall["agencies"] for s in agency["services"]],
        "counters": [counter["id"] for counter in hall["counters"]],
        "room": f"zone:{hall['zones'][0]['id']}",
    }


def open_desks(urls: list[str], counters: list[int]) -> list[Desk]:
    """Officer n signs in on server n % processes and opens counter n."""
    return [
        Desk(
            number % len(urls), counter, officer_session(urls[number % len(urls)], number, counter)
        )
        for number, counter in enumerate(counters, start=1)
    ]


def open_kiosks(urls: list[str], paired: PairedDevices) -> list[Kiosk]:
    """Kiosk n's browser on server n % processes, its page loaded."""
    return [
        Kiosk(number % len(urls), code, kiosk_session(urls[number % len(urls)], code, token))
        for number, (code, token) in enumerate(paired.kiosks)
    ]


def threads_for(options: argparse.Namespace, displays: int) -> int:
    per_process = -(-displays // options.processes)
    return per_process + options.kiosks + options.counters + SPARE_THREADS


def run_hall(options: argparse.Namespace, waiting: int, workdir: Path) -> dict[str, Any]:
    """One queue length: issue, then call, with the displays listening."""
    with scratch_database(options.database_url, workdir, f"w{waiting}") as database_url:
        paired = prepare_hall(
            database_url, workdir, options.counters, waiting, options.kiosks, options.displays
        )
        serving = Serving(
            database_url, workdir, threads_for(options, options.displays), options.message_queue
        )
        servers = [start_antre(serving, f"w{waiting}-{p}") for p in range(options.processes)]
        try:
            urls = [server.url for server in servers]
            kiosks = open_kiosks(urls, paired)
            ids = hall_ids(urls[0], kiosks[0].session)
            displays = Displays(
                urls, paired.displays, ids["room"], options.client_processes, options.deflate
            )
            try:
                desks = open_desks(urls, ids["counters"])
                issue_tickets(urls, kiosks, len(kiosks), ids["services"])  # warm-up
                work_counters(urls, desks, len(desks), call_and_complete)  # warm-up
                displays.take()
                before = server_cpu(servers)
                issues = issue_tickets(urls, kiosks, options.operations, ids["services"])
                issued = server_cpu(servers)
                _, issue_events = displays.take()
                calls = work_counters(
                    urls, desks, options.operations, call_and_complete, options.call_rate
                )
                issue_cpu, call_cpu = issued - before, server_cpu(servers) - issued
                called = {call.body["id"] for call in calls if call.status == 200 and call.body}
                receipts, call_events = displays.wait_for(called)
                memory = [server.rss_mib() for server in servers]
            finally:
                displays.close()
        finally:
            for server in servers:
                server.stop()
        in_database = hall_report.database_duplicates(database_url)
    return {
        "waiting": waiting,
        "issue": {
            **hall_report.issue_summary(issues, issue_events, options),
            "server_cpu_ms_per_op": round(1000 * issue_cpu / options.operations, 2),
        },
        "call": {
            **hall_report.call_summary(calls, receipts, options),
            "events_heard_by_displays": call_events,
            "server_cpu_ms_per_op": round(1000 * call_cpu / options.operations, 2),
        },
        "database_duplicates": in_database,
        "memory": memory,
        "displays_connect_s": round(displays.connect_s, 2),
    }


def server_cpu(servers: list[ServerProcess]) -> float:
    """CPU seconds the servers' workers have used so far, all together."""
    return sum(server.cpu_s() or 0.0 for server in servers)


def run_bare(options: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The bare Flask-SocketIO emit, with the same displays and concurrency."""
    serving = Serving(
        "sqlite://", workdir, threads_for(options, options.displays), options.message_queue
    )
    servers = [start_bare(serving, str(p)) for p in range(options.processes)]
    try:
        urls = [server.url for server in servers]
        displays = Displays(
            urls, [None] * options.displays, "zone:1", options.client_processes, options.deflate
        )
        try:
            desks = [
                Desk(number % len(urls), 0, requests.Session())
                for number in range(options.counters)
            ]
            work_counters(urls, desks, len(desks), bare_emit, first=10**6)  # warm-up
            displays.take()
            cpu = server_cpu(servers)
            calls = work_counters(urls, desks, options.operations, bare_emit, options.call_rate)
            cpu = server_cpu(servers) - cpu
            receipts, _ = displays.wait_for({call.body["id"] for call in calls if call.body})
            memory = [server.rss_mib() for server in servers]
        finally:
            displays.close()
    finally:
        for server in servers:
            server.stop()
    call = hall_report.call_summary(calls, receipts, options)
    call["server_cpu_ms_per_op"] = round(1000 * cpu / options.operations, 2)
    return {"call": call, "memory": memory}


def run_connections(options: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """`--connections` displays on one process: its memory, and a few calls heard by all."""
    with scratch_database(options.database_url, workdir, "connections") as database_url:
        paired = prepare_hall(database_url, workdir, 1, 100, 1, options.connections)
        serving = Serving(database_url, workdir, options.connections + SPARE_THREADS + 2)
        server = start_antre(serving, "connections")
        try:
            kiosk = open_kiosks([server.url], paired)[0]
            ids = hall_ids(server.url, kiosk.session)
            idle = server.rss_mib()
            displays = Displays(
                [server.url],
                paired.displays,
                ids["room"],
                options.client_processes,
                options.deflate,
            )
            try:
                connected = server.rss_mib()
                desks = open_desks([server.url], ids["counters"][:1])
                calls = work_counters(
                    [server.url], desks, CONNECTION_CALLS, call_and_complete, CONNECTION_CALL_RATE
                )
                called = {call.body["id"] for call in calls if call.status == 200 and call.body}
                receipts, _ = displays.wait_for(called, timeout_s=60)
                after_calls = server.rss_mib()
            finally:
                displays.close()
        finally:
            server.stop()
    one_process = argparse.Namespace(**{**vars(options), "processes": 1, "counters": 1})
    per_display = (connected["worker_rss_mib"] - idle["worker_rss_mib"]) / options.connections
    return {
        "connections": options.connections,
        "connect_s": round(displays.connect_s, 1),
        "idle": idle,
        "connected": connected,
        "after_calls": after_calls,
        "kib_per_display": round(per_display * 1024, 1),
        "call": hall_report.call_summary(
            calls, receipts, one_process, displays=options.connections
        ),
    }


def machine() -> dict[str, Any]:
    import os

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", platform.system()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def software(options: argparse.Namespace) -> dict[str, str | None]:
    """Versions of what serves the hall: SQLite, and PostgreSQL and Redis when used."""
    import sqlite3

    versions: dict[str, str | None] = {"sqlite": sqlite3.sqlite_version}
    if (options.database_url or "").startswith("postgresql"):
        engine = sqlalchemy.create_engine(options.database_url)
        with engine.connect() as connection:
            versions["postgresql"] = connection.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
    if options.message_queue:
        import redis

        client = redis.Redis.from_url(options.message_queue)
        versions["redis"] = client.info("server")["redis_version"]
        client.close()
    return versions


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--counters", type=int, default=16)
    parser.add_argument("--displays", type=int, default=50)
    parser.add_argument("--operations", type=int, default=2000, help="issues, and calls")
    parser.add_argument("--waiting", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument(
        "--call-rate", type=float, default=20.0, help="calls per second, all counters together"
    )
    parser.add_argument("--connections", type=int, default=1000, help="0 skips the phase")
    parser.add_argument("--database-url", help="PostgreSQL server to create scratch databases on")
    parser.add_argument("--message-queue", help="e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1)
    parser.add_argument("--client-processes", type=int, default=4, help="for the displays")
    parser.add_argument(
        "--deflate",
        action="store_true",
        help="displays offer per-message deflate, as browsers do (Antre declines it)",
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--compare", type=Path, help="the JSON of a single-process run, to compare p99 with"
    )
    options = parser.parse_args(argv)
    if options.processes > 1 and not (
        options.message_queue and (options.database_url or "").startswith("postgresql")
    ):
        parser.error(
            "--processes 2 needs --database-url postgresql+psycopg://… and --message-queue"
        )
    return options


def main() -> None:
    options = parse()
    compared = json.loads(options.compare.read_text()) if options.compare else None  # read first
    began, load_before = datetime.now(UTC), machine()["load_average"]
    with tempfile.TemporaryDirectory(prefix="antre-bench-") as workdir:
        halls = [run_hall(options, waiting, Path(workdir)) for waiting in options.waiting]
        bare = run_bare(options, Path(workdir))
        connections = run_connections(options, Path(workdir)) if options.connections else None
    results = {
        "started": began.isoformat(timespec="seconds"),
        "machine": {
            **machine(),
            "load_average": {"before": load_before, "after": machine()["load_average"]},
        },
        "software": software(options),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()},
        "server_settings": BENCH_LIMITS,
        "halls": halls,
        "bare": bare,
        "connections": connections,
    }
    results["targets"] = hall_report.targets(results, compared)
    print(hall_report.tables(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    duplicated = sum(count for _, count in hall_report.duplicates(results))
    sys.exit(1 if duplicated else 0)


if __name__ == "__main__":
    main()
