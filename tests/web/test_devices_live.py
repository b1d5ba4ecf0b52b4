"""A print agent pairs with a one-time code; revoking its kiosk from the command line, in another
process, drops its open connection and refuses its token."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.orm import Session

from kiosk.agent import PrintAgent, ticket_paper
from kiosk.agent.__main__ import main as agent_main
from kiosk.agent.client import AgentLink, Device
from kiosk.agent.pairing import read_token
from server.services import devices
from server.services.context import Context
from server.services.publisher import RecordingPublisher
from tests.conftest import DEVICE_HEADER, LiveServer, antre_command
from tests.fake_printers import SensingPrinter

pytestmark = pytest.mark.live


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def pairing_code(server: LiveServer, code: str) -> str:
    """What `antre device pair` gives the admin, made through the services layer."""
    engine = sqlalchemy.create_engine(server.database_url)
    try:
        with Session(engine) as session:
            return devices.start_pairing(session, Context(RecordingPublisher()), code).code
    finally:
        engine.dispose()


def test_an_agent_paired_with_a_code_is_dropped_when_the_cli_revokes_its_kiosk(
    live_server: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token_file = tmp_path / "agent.token"
    code = pairing_code(live_server, "K2")
    argv = ["--server", live_server.url, "--pair", code.lower(), "--token-file", str(token_file)]
    assert agent_main(argv) == 0
    assert "paired as kiosk K2" in capsys.readouterr().out
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    token = read_token(token_file)
    assert agent_main(["--server", live_server.url, "--pair", code]) == 1  # one use only

    manager = live_server.staff("manajer")
    state = lambda: manager.get(f"{live_server.url}/api/v1/kiosks/K2").json()  # noqa: E731
    agent = PrintAgent(lambda: SensingPrinter(), ticket_paper(58), print_timeout_s=5)
    link = AgentLink(agent, Device(live_server.url, "K2", token), status_interval_s=60)
    stop = threading.Event()
    thread = threading.Thread(target=link.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: state()["agent_connected"], "the agent to connect")
        database = {"ANTRE_DATABASE_URL": live_server.database_url}
        env = {**os.environ, **database, "ANTRE_INSTANCE_PATH": str(tmp_path / "cli")}
        antre_command("device", "revoke", "K2", env=env)
        wait_for(lambda: not state()["agent_connected"], "the revoked agent to be dropped")
        refused = live_server.api(
            "GET", "/api/v1/hall", device=None, headers={DEVICE_HEADER: token}
        )
        assert refused.status_code == 401
    finally:
        stop.set()
        thread.join(timeout=10)
