"""A real server on a database prepared once, which tests may kill and start again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import sqlalchemy

from tests.conftest import (
    DEVICE_HEADER,
    NO_RATE_LIMITS,
    OFFICER_PASSWORD,
    ROOT,
    TEST_HALL,
    LiveServer,
    antre_command,
    free_port,
    pair_hall_devices,
    wait_until_healthy,
)


@dataclass
class Hall:
    """A prepared database and the environment to serve it; the server can be restarted."""

    directory: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    starts: int = 0
    tokens: dict[str, str] = field(default_factory=dict)  # the paired devices' tokens

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self) -> LiveServer:
        """Start gunicorn in its own process group (so all of it can be killed) and wait."""
        self.starts += 1
        log_path = self.directory / f"server-{self.starts}.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1"),
                    *("--port", str(self.port), "--threads", "32"),
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = LiveServer(self.url, self.env["ANTRE_DATABASE_URL"], process, log_path)
        wait_until_healthy(server)
        server.tokens = self.tokens = pair_hall_devices(server)
        return server

    def device_headers(self, code: str = "K1") -> dict[str, str]:
        """The header of a paired device (`K1`, `K2`, `D1`) of the hall being served."""
        return {DEVICE_HEADER: self.tokens[code]}

    def device(self, code: str = "K1") -> requests.Session:
        """An HTTP session of that device."""
        session = requests.Session()
        session.headers.update(self.device_headers(code))
        return session


def prepare_hall(directory: Path, database_url: str) -> Hall:
    """Migrate the database, load the test hall and an officer."""
    env = {
        **os.environ,
        **NO_RATE_LIMITS,
        "ANTRE_DATABASE_URL": database_url,
        "ANTRE_INSTANCE_PATH": str(directory / "instance"),
        "ANTRE_SECRET_KEY": "crash-test-secret",  # the officer's cookie outlives the crash
    }
    for name in ("ANTRE_MESSAGE_QUEUE", "ANTRE_LOCAL_AGENT", "ANTRE_PORT"):
        env.pop(name, None)
    antre_command("db", "upgrade", env=env)
    antre_command("hall", "load", str(TEST_HALL), env=env)
    antre_command(
        "user", "add", "petugas1", "--name", "Petugas 1", "--password", OFFICER_PASSWORD, env=env
    )
    return Hall(directory, env)


def group_alive(group: int) -> list[int]:
    """Processes of this process group that still run (zombies excluded)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended while we looked
        state, _parent, process_group = text.rsplit(")", 1)[1].split()[:3]
        if int(process_group) == group and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def kill_hard(server: LiveServer) -> None:
    """SIGKILL gunicorn's master and worker at once, as a power cut or the OOM killer would."""
    group = server.process.pid
    os.killpg(group, signal.SIGKILL)
    server.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while group_alive(group):
        assert time.monotonic() < deadline, f"still running after SIGKILL: {group_alive(group)}"
        time.sleep(0.05)


class Kiosks:
    """Threads that take tickets as fast as the server answers, keeping what it acknowledged."""

    def __init__(
        self,
        url: str,
        service_ids: list[int],
        kiosks: int = 4,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.url, self.service_ids, self.headers = url, service_ids, headers or {}
        self.acknowledged: list[dict[str, Any]] = []
        self.failed = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(kiosks)]

    def _run(self, kiosk: int) -> None:
        session, turn = requests.Session(), 0
        session.headers.update(self.headers)  # a paired kiosk's token
        while not self.stop.is_set():
            service_id = self.service_ids[(kiosk + turn) % len(self.service_ids)]
            turn += 1
            try:
                answer = session.post(
                    self.url + "/api/v1/tickets", json={"service_id": service_id}, timeout=5
                )
            except requests.RequestException:
                with self.lock:
                    self.failed += 1
                time.sleep(0.05)
                continue
            if answer.status_code == 201:
                with self.lock:
                    self.acknowledged.append({**answer.json(), "acknowledged_at": time.time()})

    def __enter__(self) -> Kiosks:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def wait_for(self, count: int, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.acknowledged) < count:
            assert time.monotonic() < deadline, f"only {len(self.acknowledged)} tickets issued"
            time.sleep(0.01)


def stored_tickets(database_url: str) -> list[Any]:
    """Every ticket row, read straight from the database."""
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sqlalchemy.text(
                        "SELECT id, token, number, issued_service_id, service_day, sequence "
                        "FROM tickets"
                    )
                )
            )
    finally:
        engine.dispose()


def last_numbers(database_url: str) -> dict[int, int]:
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text("SELECT service_id, last_number FROM daily_sequences")
            )
            return {service_id: last for service_id, last in rows}
    finally:
        engine.dispose()
