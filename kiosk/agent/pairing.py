"""Pairing the agent with the server: a one-time code from the admin becomes the kiosk's token.

`antre-print-agent --server URL --pair K7QF-M2XD --token-file /etc/antre/agent.token` asks the
server (`POST /api/v1/devices/pair`) once, writes the token (readable by its owner only) and exits;
from then on the agent runs with `--token-file`. Only the standard library is used here.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class PairingFailed(Exception):
    """The server refused the code, or could not be reached."""


@dataclass(frozen=True)
class Paired:
    """What the server answered: the token and the device it belongs to."""

    token: str
    kind: str
    code: str
    name: str


def redeem(server_url: str, code: str, timeout_s: float = 15.0) -> Paired:
    """Exchange a one-time pairing code for this device's token."""
    request = urllib.request.Request(
        server_url.rstrip("/") + "/api/v1/devices/pair?lang=en",
        data=json.dumps({"code": code, "label": "agent"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:
            body = json.load(answer)
    except urllib.error.HTTPError as error:
        raise PairingFailed(_message(error)) from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise PairingFailed(f"cannot reach {server_url}: {error}") from error
    device = body["device"]
    return Paired(body["token"], device["kind"], device["code"], device["name"])


def _message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.load(error)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return f"the server answered {error.code}"


def write_token(path: Path, token: str) -> None:
    """Keep the token in a file only its owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(token + "\n")


def read_token(path: Path) -> str:
    """The token kept in a file by `write_token`."""
    return path.read_text().strip()
