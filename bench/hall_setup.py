"""The load benchmark's hall: a scratch database with a waiting queue, and the servers on it.

Used by `bench/load.py`. A run never touches a database it did not create: on SQLite it works in
a temporary folder, on PostgreSQL it creates `antre_bench_<random>` next to the database named by
`--database-url` and drops it afterwards.

The hall's kiosks and displays are paired as an admin and the device would pair them (a one-time
code, redeemed for the device's token) on the scratch database before the servers start; officers
are staff accounts that sign in over HTTP. The servers take tickets under a raised issuing limit
(`BENCH_LIMITS`): the limit is still counted on every ticket, it is only set far above what the
benchmark's kiosks issue.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import sqlalchemy
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
SERVICES = [("ktp", "A", "KTP-el"), ("kk", "B", "Kartu Keluarga"), ("pkb", "D", "Pajak Kendaraan")]
OFFICER_PASSWORD = "bench-petugas"
SECRET_KEY = "bench-only-" + secrets.token_hex(16)
SPARE_THREADS = 32  # beyond one per websocket and one per kiosk or counter in flight
BENCH_LIMITS = {  # a kiosk's visitors take a few tickets a minute; the benchmark's take hundreds
    "ANTRE_ISSUE_LIMIT_KIOSK": "1000000 per minute",  # a second
    "ANTRE_ISSUE_LIMIT_ADDRESS": "1000000 per minute",  # every kiosk here is 127.0.0.1
}
UNSET_SETTINGS = (  # the developer's environment must not change what is measured
    "ANTRE_LOCAL_AGENT", "ANTRE_MESSAGE_QUEUE", "ANTRE_PROXIES", "ANTRE_RATELIMIT_STORAGE",
    "ANTRE_PUBLIC_URL", "ANTRE_THREADS",
)  # fmt: skip


@dataclass(frozen=True)
class PairedDevices:
    """The tokens of the hall's paired kiosks (`K1`, …) and displays (`D1`, …), in order."""

    kiosks: list[tuple[str, str]]  # (code, token)
    displays: list[str]


def hall_file(counters: int, kiosks: int = 0, displays: int = 0) -> dict:
    """A hall with one zone, three services, `counters` counters that serve all three, and
    `kiosks` kiosks `K1`, … and `displays` displays `D1`, … (registered, not yet paired)."""
    return {
        "hall": {"name": "Aula Uji Beban"},
        "zones": [{"code": "aula", "name": "Aula"}],
        "agencies": [
            {
                "code": "mpp",
                "name": "Mal Pelayanan Publik",
                "services": [
                    {"code": code, "prefix": prefix, "name": name}
                    for code, prefix, name in SERVICES
                ],
            }
        ],
        "counters": [
            {
                "code": f"L{number}",
                "name": f"Loket {number}",
                "zone": "aula",
                "services": [code for code, _, _ in SERVICES],
            }
            for number in range(1, counters + 1)
        ],
        "kiosks": [{"code": f"K{n}", "name": f"Kios {n}"} for n in range(1, kiosks + 1)],
        "displays": [{"code": f"D{n}", "name": f"Layar {n}"} for n in range(1, displays + 1)],
    }


@contextmanager
def scratch_database(base_url: str | None, workdir: Path, label: str) -> Iterator[str]:
    """A new empty database for one phase: a SQLite file, or a PostgreSQL database dropped after."""
    if base_url is None or base_url.startswith("sqlite"):
        yield f"sqlite:///{workdir / f'bench-{label}.sqlite3'}"
        return
    name = f"antre_bench_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sqlalchemy.make_url(base_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def prepare_hall(
    database_url: str, workdir: Path, counters: int, waiting: int, kiosks: int, displays: int
) -> PairedDevices:
    """Migrate, load the hall, add one officer per counter, pair the kiosks and displays, and
    put `waiting` tickets in line."""
    from flask_migrate import upgrade

    from server import create_app
    from server.extensions import db
    from server.services.context import system_clock
    from server.services.hall_config import load_hall
    from server.services.staff import create_user

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(workdir / "instance"),
            "ANTRE_MESSAGE_QUEUE": None,
        }
    )
    with app.app_context():
        upgrade()
        load_hall(db.session, hall_file(counters, kiosks, displays))
        for number in range(1, counters + 1):
            create_user(
                db.session, f"bench{number}", f"Petugas {number}", OFFICER_PASSWORD,
                "officer", system_clock(),
            )  # fmt: skip
        paired = PairedDevices(
            kiosks=[(f"K{n}", pair_device(db.session, f"K{n}")) for n in range(1, kiosks + 1)],
            displays=[pair_device(db.session, f"D{n}") for n in range(1, displays + 1)],
        )
        seed_waiting(db.engine, waiting, app.config["ANTRE_TIMEZONE"])
        db.session.remove()
        db.engine.dispose()
    return paired


def pair_device(session: Session, code: str) -> str:
    """Pair a device as the admin and its browser would: a one-time code, redeemed for the
    token the browser keeps as its device cookie."""
    from server.services import devices
    from server.services.context import Context
    from server.services.publisher import RecordingPublisher

    ctx = Context(RecordingPublisher())
    pairing = devices.start_pairing(session, ctx, code)
    return devices.redeem_pairing_code(session, ctx, pairing.code, "browser")[1]


def seed_waiting(engine: sqlalchemy.Engine, waiting: int, timezone: str) -> None:
    """Insert `waiting` tickets of today, in line for the three services, in bulk: one insert
    for the tickets, one for their `issued` events, one for the daily numbers."""
    from zoneinfo import ZoneInfo

    from server.domain.calendar import service_day
    from server.domain.tickets import format_number
    from server.models import DailySequence, Service, Ticket

    now = datetime.now(UTC)
    day = service_day(now, ZoneInfo(timezone))
    with engine.begin() as connection:
        services = dict(connection.execute(sqlalchemy.select(Service.code, Service.id)).all())
        rows, last = [], {}
        for index in range(waiting):
            code, prefix, _ = SERVICES[index % len(SERVICES)]
            sequence = last[code] = last.get(code, 0) + 1
            arrived = now - timedelta(seconds=(waiting - index) * 0.1)
            rows.append(
                {
                    "token": secrets.token_urlsafe(24),
                    "service_id": services[code],
                    "issued_service_id": services[code],
                    "service_day": day,
                    "sequence": sequence,
                    "number": format_number(prefix, sequence),
                    "status": "waiting",
                    "priority": index % 10 == 0,
                    "priority_class": "lansia" if index % 10 == 0 else None,
                    "lang": "id",
                    "recall_count": 0,
                    "issued_at": arrived,
                    "arrived_at": arrived,
                }
            )
        if rows:
            connection.execute(sqlalchemy.insert(Ticket), rows)
            connection.exec_driver_sql(
                "INSERT INTO ticket_events (ticket_id, kind, at, status, service_id)"
                " SELECT id, 'issued', issued_at, 'waiting', service_id FROM tickets"
            )
            connection.execute(
                sqlalchemy.insert(DailySequence),
                [
                    {"service_id": services[code], "service_day": day, "last_number": number}
                    for code, number in last.items()
                ],
            )


@dataclass
class ServerProcess:
    """One gunicorn process serving the hall (or the bare-emit app)."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def worker_pid(self) -> int | None:
        """The gunicorn worker: the master's child (it holds the app and every socket)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            pids = children.read_text().split()
        except OSError:
            return None
        return int(pids[0]) if pids else None

    def rss_mib(self) -> dict[str, float | None]:
        """Resident memory of the worker (now and at its peak) and of the master, from /proc."""
        worker = self.worker_pid()
        return {
            "worker_rss_mib": memory_of(worker, "VmRSS"),
            "worker_peak_mib": memory_of(worker, "VmHWM"),
            "master_rss_mib": memory_of(self.process.pid, "VmRSS"),
        }

    def cpu_s(self) -> float | None:
        """CPU seconds (user and system) the worker has used so far, from /proc."""
        worker = self.worker_pid()
        try:
            fields = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, TypeError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def memory_of(pid: int | None, field: str) -> float | None:
    """A process's memory figure from /proc (VmRSS: resident now, VmHWM: its peak) in MiB, or
    None when it is gone."""
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field))
    return round(kib / 1024, 1)


@dataclass
class Serving:
    """How the servers of a phase run: database, message queue, threads, where logs go."""

    database_url: str
    workdir: Path
    threads: int
    message_queue: str | None = None
    channel: str = field(default_factory=lambda: f"antre-bench-{secrets.token_hex(4)}")

    def env(self, port: int) -> dict[str, str]:
        env = {
            **os.environ,
            "ANTRE_DATABASE_URL": self.database_url,
            "ANTRE_INSTANCE_PATH": str(self.workdir / "instance"),
            "ANTRE_SECRET_KEY": SECRET_KEY,
            "ANTRE_PORT": str(port),
            "ANTRE_MESSAGE_QUEUE_CHANNEL": self.channel,
            "PYTHONWARNINGS": "ignore",
            **BENCH_LIMITS,
        }
        for name in UNSET_SETTINGS:
            env.pop(name, None)
        if self.message_queue:
            env["ANTRE_MESSAGE_QUEUE"] = self.message_queue
        return env


def start_antre(serving: Serving, label: str) -> ServerProcess:
    """`antre serve` (gunicorn, one worker, threads), as in production."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1"),
        *("--port", str(port), "--threads", str(serving.threads)),
    ]
    return _start(command, serving.env(port), serving.workdir / f"antre-{label}.log", port)


def start_bare(serving: Serving, label: str) -> ServerProcess:
    """The bare Flask-SocketIO app (`bench/bare_emit.py`) under the same gunicorn settings."""
    from server.cli import SPARE_CONNECTIONS

    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", str(serving.threads)),
        *("--worker-connections", str(serving.threads + SPARE_CONNECTIONS)),
        *("--bind", f"127.0.0.1:{port}", "--access-logfile", "-", "--graceful-timeout", "5"),
        *("--no-control-socket", "bench.bare_emit:create_app()"),
    ]
    return _start(command, serving.env(port), serving.workdir / f"bare-{label}.log", port)


def start_floor(serving: Serving, label: str, mode: str) -> ServerProcess:
    """The least a ticket can cost (`bench/floor_app.py`) under the same gunicorn settings."""
    from server.cli import SPARE_CONNECTIONS

    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", str(serving.threads)),
        *("--worker-connections", str(serving.threads + SPARE_CONNECTIONS)),
        *("--bind", f"127.0.0.1:{port}", "--access-logfile", "-", "--graceful-timeout", "5"),
        *("--no-control-socket", "bench.floor_app:app"),
    ]
    env = {
        **serving.env(port),
        "FLOOR_MODE": mode,
        "FLOOR_DATABASE": str(serving.workdir / f"floor-{label}.sqlite"),
    }
    return _start(command, env, serving.workdir / f"floor-{label}.log", port)


def _start(command: list[str], env: dict[str, str], log_path: Path, port: int) -> ServerProcess:
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early, see {log_path}:\n{log_path.read_text()}")
        try:
            if requests.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass  # not listening yet
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server not healthy after 60 s, see {log_path}")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
