"""The issuing floor benchmark runs end to end: its four servers answer every ticket, once each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import issue_floor

pytestmark = pytest.mark.live

SERVERS = ("echo", "write", "session", "antre")


def test_every_server_issues_every_ticket_once(tmp_path: Path, capsys) -> None:
    report = tmp_path / "floor.json"
    issue_floor.main(["--kiosks", "2", "--tickets", "12", "--rounds", "1", "--json", str(report)])
    (results,) = json.loads(report.read_text())["rounds"]
    assert sorted(results) == sorted(SERVERS)
    for name in SERVERS:
        assert results[name]["tickets"] == 12, name
        assert results[name]["errors"] == 0, results[name]["first_errors"]
        assert results[name]["duplicate_numbers"] == 0, name
        # read from /proc in clock ticks: a dozen cheap tickets may take less than one
        assert results[name]["cpu_ms_per_ticket"] >= 0, name
    table = capsys.readouterr().out
    assert all(f"| 1 | {name} | 12 |" in table for name in SERVERS)
