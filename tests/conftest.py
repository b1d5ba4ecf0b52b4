"""Fixtures shared by every layer: an app on its own SQLite file, and a live server process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import create_app
from server.extensions import db
from server.models import Counter, Service, User
from server.services import devices
from server.services.context import Context, system_clock
from server.services.hall_config import load_hall, read_hall_file
from server.services.publisher import RecordingPublisher
from server.services.staff import create_user

ROOT = Path(__file__).resolve().parents[1]
TEST_HALL = Path(__file__).with_name("halls") / "test_hall.toml"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
OFFICER_PASSWORD = "sandi-petugas"
HALL_DEVICES = (("kiosk", "K1"), ("kiosk", "K2"), ("display", "D1"))  # paired in every test hall
DEVICE_HEADER = "X-Device-Token"
DEVICE_COOKIES = {"kiosk": "antre_kiosk", "display": "antre_display"}
NO_RATE_LIMITS = {  # tests issue tickets faster than a kiosk's visitors could; limits are tested
    "ANTRE_ISSUE_LIMIT_KIOSK": "100000 per minute",  # on their own (tests/web/test_devices.py)
    "ANTRE_ISSUE_LIMIT_ADDRESS": "100000 per minute",
    "ANTRE_PAIR_LIMIT": "1000 per minute",
}


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """The Playwright driver, started once for the whole run (browser tests in several folders
    share it: a second driver cannot start in the thread the first one runs in)."""
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Headless Debian Chromium (never a downloaded browser)."""
    path = shutil.which("chromium")
    require(
        path is not None, "Debian's chromium package is not installed (apt-get install chromium)"
    )
    chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def require(condition: bool, reason: str) -> None:
    """Skip with a clear reason on a developer's machine; fail in CI, where nothing may skip."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must not skip: {reason}")
    pytest.skip(reason)


@pytest.fixture
def publisher() -> RecordingPublisher:
    """Records what use cases publish."""
    return RecordingPublisher()


@pytest.fixture
def app(tmp_path: Path, publisher: RecordingPublisher) -> Iterator[Flask]:
    """An app with the test hall loaded into a fresh SQLite file."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'antre.sqlite3'}",
            "ANTRE_PUBLISHER": publisher,
            "ANTRE_PUBLIC_URL": "http://hall.test",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            **NO_RATE_LIMITS,
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, read_hall_file(TEST_HALL))
        yield app
        db.session.remove()
        db.engine.dispose()


def pair_device(code: str, label: str = "agent") -> str:
    """Pair a device of the app's hall as an admin and the device would: a one-time code, then
    the token it is exchanged for."""
    ctx = Context(RecordingPublisher())
    pairing = devices.start_pairing(db.session, ctx, code)
    return devices.redeem_pairing_code(db.session, ctx, pairing.code, label)[1]


def kiosk_client(app: Flask, code: str = "K1") -> FlaskClient:
    """A test client paired as a device of the hall (`K1`, `K2`, `D1`), its token in the
    `X-Device-Token` header as a print agent sends it (call it inside the app context)."""
    client = app.test_client()
    client.environ_base["HTTP_X_DEVICE_TOKEN"] = pair_device(code)
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app, paired as the hall's kiosk K1 (`app.test_client()` gives an
    anonymous one)."""
    return kiosk_client(app, "K1")


@pytest.fixture
def display_client(app: Flask) -> FlaskClient:
    """A test client of the app, paired as the hall's display D1."""
    return kiosk_client(app, "D1")


def sign_in(client: FlaskClient, username: str, password: str = OFFICER_PASSWORD) -> None:
    """Sign a staff account in on a test client, which then sends the session's CSRF token."""
    answer = client.post("/api/v1/session", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.get_json()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = answer.get_json()["csrf_token"]


@pytest.fixture
def officer(client: FlaskClient) -> User:
    """An officer, signed in on `client`."""
    user = create_user(
        db.session, "petugas", "Petugas Uji", OFFICER_PASSWORD, "officer", system_clock()
    )
    sign_in(client, "petugas")
    return user


def service_id(code: str) -> int:
    """The id of a test-hall service by its code."""
    return db.session.scalars(select(Service.id).where(Service.code == code)).one()


def counter_id(code: str) -> int:
    """The id of a test-hall counter by its code."""
    return db.session.scalars(select(Counter.id).where(Counter.code == code)).one()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """A real server process (gunicorn, threading Socket.IO) on 127.0.0.1."""

    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    tokens: dict[str, str] = field(default_factory=dict)  # device code → its token

    def api(
        self, method: str, path: str, device: str | None = "K1", **kwargs: Any
    ) -> requests.Response:
        """Call the server's HTTP API as a paired device (kiosk K1 unless told; `device=None`
        calls it anonymously)."""
        headers = {**kwargs.pop("headers", {}), **self.device_headers(device)}
        return requests.request(method, self.url + path, timeout=10, headers=headers, **kwargs)

    def device_headers(self, device: str | None) -> dict[str, str]:
        """The header a paired device (`K1`, `K2`, `D1`) sends: for HTTP and Socket.IO clients."""
        return {} if device is None else {DEVICE_HEADER: self.tokens[device]}

    def device(self, code: str = "K1") -> requests.Session:
        """An HTTP session of a paired device (`K1`, `K2`, `D1`), as its page or agent talks."""
        session = requests.Session()
        session.headers.update(self.device_headers(code))
        return session

    def device_cookie(self, code: str) -> dict[str, str]:
        """The cookie that makes a browser (a Playwright context) the paired device `code`."""
        kind = "display" if code.startswith("D") else "kiosk"
        return {"name": DEVICE_COOKIES[kind], "value": self.tokens[code], "url": self.url}

    def officer(self, number: int = 1) -> requests.Session:
        """An HTTP session signed in as `petugas<number>`."""
        return self.staff(f"petugas{number}")

    def staff(self, username: str) -> requests.Session:
        """An HTTP session signed in as a staff account, e.g. `manajer` (the hall's manager);
        it sends the session's CSRF token with every request."""
        session = requests.Session()
        answer = session.post(
            self.url + "/api/v1/session",
            json={"username": username, "password": OFFICER_PASSWORD},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return session

    def ids(self) -> dict[str, dict[str, int]]:
        """Service and counter ids by code, read from `/api/v1/hall`."""
        hall = self.api("GET", "/api/v1/hall").json()
        services = {s["code"]: s["id"] for a in hall["agencies"] for s in a["services"]}
        return {"services": services, "counters": {c["code"]: c["id"] for c in hall["counters"]}}

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(errors="replace")


def socket_headers(http: requests.Session) -> dict[str, str]:
    """What a Socket.IO client sends to be who `http` is: its device header, its cookies."""
    headers = {name: value for name, value in http.headers.items() if name == DEVICE_HEADER}
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in http.cookies)
    return {**headers, "Cookie": cookies} if cookies else headers


def antre_command(*args: str, env: dict[str, str]) -> None:
    """Run the `antre` CLI in a subprocess, failing loudly with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def start_live_server(
    directory: Path,
    database_url: str | None = None,
    hall: Path = TEST_HALL,
    officers: int = 2,
    **extra_env: str,
) -> LiveServer:
    """Migrate a database, load a hall and its officers, start gunicorn, wait for /healthz.

    Officers are `petugas1`, `petugas2`, ... and the hall's manager is `manajer`, all with the
    password `OFFICER_PASSWORD`.
    """
    port = free_port()
    database_url = database_url or f"sqlite:///{directory / 'live.sqlite3'}"
    env = {
        **os.environ,
        **NO_RATE_LIMITS,
        "ANTRE_DATABASE_URL": database_url,
        "ANTRE_PORT": str(port),
        "ANTRE_INSTANCE_PATH": str(directory / "instance"),
        **extra_env,
    }
    for name in ("ANTRE_MESSAGE_QUEUE", "ANTRE_LOCAL_AGENT"):
        if name not in extra_env:
            env.pop(name, None)
    antre_command("db", "upgrade", env=env)
    antre_command("hall", "load", str(hall), env=env)
    for number in range(1, officers + 1):
        antre_command(
            "user",
            "add",
            f"petugas{number}",
            "--name",
            f"Petugas {number}",
            "--password",
            OFFICER_PASSWORD,
            env=env,
        )
    antre_command(
        "user", "add", "manajer", "--name", "Manajer Mal", "--role", "manager",
        "--password", OFFICER_PASSWORD, env=env,
    )  # fmt: skip
    return launch_live_server(directory, env)


def launch_live_server(directory: Path, env: dict[str, str]) -> LiveServer:
    """Start gunicorn on a prepared database (`env`'s `ANTRE_DATABASE_URL` and `ANTRE_PORT`),
    wait for /healthz and pair the hall's devices (`HALL_DEVICES`); a second server on the same
    database starts the same way."""
    env = {**NO_RATE_LIMITS, **env}
    port = env["ANTRE_PORT"]
    log_path = directory / f"server-{port}.log"
    with log_path.open("wb") as log_file:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                port,
                "--threads",
                "64",
            ],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", env["ANTRE_DATABASE_URL"], process, log_path)
    try:
        wait_until_healthy(server)
        server.tokens = pair_hall_devices(server)
    except BaseException:
        stop_live_server(server)
        raise
    return server


def pair_hall_devices(server: LiveServer) -> dict[str, str]:
    """Register (if need be) and pair the test hall's kiosks and display, as an admin and the
    devices would: a one-time code each (services layer), exchanged over HTTP for a token."""
    engine = sqlalchemy.create_engine(server.database_url)
    ctx = Context(RecordingPublisher())
    try:
        with Session(engine) as session:
            codes = {}
            for kind, code in HALL_DEVICES:
                devices.add_device(session, kind, code)
                codes[code] = devices.start_pairing(session, ctx, code).code
    finally:
        engine.dispose()
    tokens = {}
    for device, code in codes.items():
        answer = server.api("POST", "/api/v1/devices/pair", device=None, json={"code": code})
        assert answer.status_code == 201, answer.text
        tokens[device] = answer.json()["token"]
    return tokens


def wait_until_healthy(server: LiveServer, timeout_s: float = 60) -> None:
    """Poll /healthz until 200, or fail with the server's log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server exited early:\n{server.log()}")
        try:
            if requests.get(server.url + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or the worker is still importing the app
        time.sleep(0.1)
    pytest.fail(f"server not healthy after {timeout_s} s:\n{server.log()}")


def stop_live_server(server: LiveServer) -> None:
    """Stop the server process and wait for it."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server shared by the tests of one module; each test should use its own tickets."""
    server = start_live_server(tmp_path_factory.mktemp("live"))
    yield server
    stop_live_server(server)


POSTGRES_URL = os.environ.get(
    "ANTRE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_available() -> str | None:
    """None when the test PostgreSQL answers, else why not."""
    import sqlalchemy

    try:
        engine = sqlalchemy.create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: not here
        return f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.__class__.__name__}"
    return None


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import secrets

    import sqlalchemy

    reason = postgres_available()
    require(reason is None, reason or "")
    name = f"antre_test_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield str(
            sqlalchemy.make_url(POSTGRES_URL)
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
