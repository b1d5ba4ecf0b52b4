"""The `antre-print-agent` command line and its environment variables."""

from __future__ import annotations

import pytest

from kiosk.agent.__main__ import read_settings
from kiosk.agent.pairing import write_token

ENVIRONMENT = {
    "ANTRE_SERVER": "http://hall.local:5000",
    "ANTRE_KIOSK": "K1",
    "ANTRE_DEVICE_TOKEN": "secret-token",
    "ANTRE_PRINTER": "usb:0416:5011",
}


def test_the_environment_sets_up_the_agent():
    settings = read_settings([], ENVIRONMENT)

    assert settings.device.server_url == "http://hall.local:5000"
    assert settings.device.auth() == {"kiosk": "K1", "token": "secret-token"}
    assert settings.printer == "usb:0416:5011"
    assert (settings.paper.width_mm, settings.paper.profile) == (80, "default")
    assert (settings.status_interval_s, settings.print_timeout_s) == (30.0, 15.0)


def test_options_win_over_the_environment():
    argv = ["--kiosk", "K2", "--printer", "file:/dev/usb/lp0", "--paper", "58",
            "--profile", "POS-5890", "--status-interval", "5", "--print-timeout", "3",
            "--token", ""]  # fmt: skip

    settings = read_settings(argv, ENVIRONMENT)

    assert settings.device.auth() == {"kiosk": "K2", "token": ""}
    assert settings.printer == "file:/dev/usb/lp0"
    assert (settings.paper.dots, settings.paper.profile) == (384, "POS-5890")
    assert (settings.status_interval_s, settings.print_timeout_s) == (5.0, 3.0)


def test_without_an_environment_the_agent_uses_a_local_server_and_no_printer():
    settings = read_settings(["--kiosk", "K1"], {})

    assert settings.device.server_url == "http://localhost:5000"
    assert settings.device.token == ""
    assert settings.printer == "dummy:"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the kiosk code is required"),
        (["--kiosk", "K1", "--printer", "usb:lp0"], "printer URI 'usb:lp0' is not valid"),
        (["--kiosk", "K1", "--profile", "TM-X1"], "unknown printer profile 'TM-X1'"),
        (["--kiosk", "K1", "--paper", "76"], "invalid choice: 76"),
        (["--kiosk", "K1", "--print-timeout", "0"], "must be more than 0 seconds"),
    ],
)
def test_a_setup_that_cannot_work_stops_with_a_usage_message(capsys, argv, message):
    with pytest.raises(SystemExit) as stopped:
        read_settings(argv, {})

    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_the_token_may_come_from_a_file_only_its_owner_reads(tmp_path):
    token_file = tmp_path / "agent.token"
    write_token(token_file, "token-from-file")

    settings = read_settings(["--kiosk", "K1", "--token-file", str(token_file)], {})

    assert settings.device.token == "token-from-file"
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    explicit = read_settings(["--kiosk", "K1", "--token", "t", "--token-file", str(token_file)], {})
    assert explicit.device.token == "t"


def test_a_missing_token_file_stops_with_a_usage_message(capsys, tmp_path):
    with pytest.raises(SystemExit):
        read_settings(["--kiosk", "K1", "--token-file", str(tmp_path / "none")], {})
    assert "cannot read the token file" in capsys.readouterr().err


def test_pairing_needs_no_kiosk_code_yet():
    settings = read_settings(["--pair", "K7QF-M2XD"], {"ANTRE_SERVER": "http://hall.local"})

    assert (settings.pair_code, settings.device.server_url) == ("K7QF-M2XD", "http://hall.local")
