"""The real server process starts, answers health, and serves the hall."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, LiveServer


def test_live_server_serves_the_hall_and_health(live_server: LiveServer) -> None:
    assert live_server.api("GET", "/healthz").json() == {"status": "ok"}
    hall = live_server.api("GET", "/api/v1/hall").json()
    assert hall["name"] == "Aula Uji"
    assert [a["code"] for a in hall["agencies"]] == ["dukcapil", "samsat"]


def test_the_served_app_keeps_its_start_up_objects_out_of_full_collections(
    tmp_path: Path,
) -> None:
    """Start-up's objects are frozen, so a full garbage collection stays short under load."""
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": f"sqlite:///{tmp_path / 'antre.sqlite3'}",
        "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    for name in ("ANTRE_LOCAL_AGENT", "ANTRE_MESSAGE_QUEUE"):
        env.pop(name, None)
    probe = "import gc, server.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    frozen, tracked = map(int, result.stdout.split())
    assert frozen > 50_000 and tracked < frozen // 10
