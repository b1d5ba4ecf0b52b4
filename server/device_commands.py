"""`antre device ...`: register kiosks and displays, give them one-time pairing links, revoke."""

from __future__ import annotations

import os
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from server.domain.errors import DomainError
from server.domain.pairing import DEVICE_KINDS
from server.extensions import db
from server.services import devices
from server.web.context import current_context


@click.group()
def device() -> None:
    """Kiosks and hall displays: only paired ones may issue tickets or show the hall."""


@device.command("list")
@with_appcontext
def device_list() -> None:
    """List the devices, whether each is paired, and pending pairing codes."""
    for row in devices.list_devices(db.session, current_context()):
        state = "paired" if row["paired"] else "not paired"
        pending = (
            f", code valid until {row['pairing_expires_at']}" if row["pairing_expires_at"] else ""
        )
        click.echo(f"{row['code']:<8} {row['kind']:<8} {row['name']} ({state}{pending})")


@device.command("add")
@click.argument("kind", type=click.Choice(DEVICE_KINDS))
@click.argument("code")
@click.option("--name", help="What staff call it, e.g. 'Kios Lobi Utama' (default: the code).")
@click.option("--hours", type=click.IntRange(1, 24 * 30), default=24, show_default=True)
@with_appcontext
def device_add(kind: str, code: str, name: str | None, hours: int) -> None:
    """Register a kiosk or display and print its one-time pairing link."""
    try:
        devices.add_device(db.session, kind, code, name)
    except DomainError as error:
        raise click.ClickException(error.message("en")) from error
    click.echo(f"added {kind} {code}")
    echo_pairing(code, hours)


@device.command("pair")
@click.argument("codes", nargs=-1, required=True)
@click.option("--hours", type=click.IntRange(1, 24 * 30), default=24, show_default=True)
@with_appcontext
def device_pair(codes: tuple[str, ...], hours: int) -> None:
    """Print a new one-time pairing link for each device (an unused earlier one stops working).

    Open the link on the device (or type the code at /pair there); a print agent takes the code
    with `antre-print-agent --pair CODE`. The device stays paired until it is revoked.
    """
    for code in codes:
        echo_pairing(code, hours)


@device.command("revoke")
@click.argument("code")
@with_appcontext
def device_revoke(code: str) -> None:
    """Unpair a device now: its browser and its print agent are refused from now on."""
    try:
        revoked = devices.revoke_device(db.session, code)
    except DomainError as error:
        raise click.ClickException(error.message("en")) from error
    click.echo(f"revoked {revoked.kind} {revoked.code}: pair it again with `antre device pair`")


def echo_pairing(code: str, hours: int = 24) -> None:
    """Start pairing a device and print its code and link."""
    ctx = current_context()
    try:
        pairing = devices.start_pairing(db.session, ctx, code, timedelta(hours=hours))
    except DomainError as error:
        raise click.ClickException(error.message("en")) from error
    link = f"{_server_url()}/pair?code={pairing.code}"
    until = ctx.local(pairing.expires_at).strftime("%Y-%m-%d %H:%M")
    click.echo(
        f"{pairing.device.code} ({pairing.device.kind}, {pairing.device.name}): "
        f"code {pairing.code}, link {link} (one use, until {until})"
    )


def _server_url() -> str:
    """The address devices reach the server at: ANTRE_PUBLIC_URL, else this machine's port."""
    public = current_app.config["ANTRE_PUBLIC_URL"]
    return (public or f"http://localhost:{os.environ.get('ANTRE_PORT', '5000')}").rstrip("/")
