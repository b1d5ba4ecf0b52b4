"""The `antre` command: the Flask CLI plus the hall's own commands."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from flask_socketio import SocketIO
from sqlalchemy import select

from server import backup as backups
from server import create_app
from server.domain.errors import DomainError
from server.extensions import db
from server.models import Agency, Service, User
from server.services import exports, privacy
from server.services.context import system_clock
from server.services.hall import announce_hall_changed
from server.services.hall_config import HallConfigError, install_logo, load_hall, read_hall_file
from server.services.publisher import Publisher, SocketIOPublisher
from server.services.staff import ROLES, create_user
from server.web.context import current_context

DEMO_HALL = Path(__file__).with_name("demo_hall.toml")
DEMO_PASSWORD = "antre-demo"  # demo only: `antre demo` is for trying Antre, never for a real hall
DEMO_STAFF = [  # username, name, role, agency code (a manager who sees only that agency)
    ("admin", "Admin Aula", "admin", None),
    ("manajer", "Manajer Mal", "manager", None),
    ("manajer-dukcapil", "Manajer Disdukcapil", "manager", "dukcapil"),
    *((f"petugas{n}", f"Petugas {n}", "officer", None) for n in range(1, 9)),
]


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Antre: the queue system of a public-service hall."""


def init_app(app: Flask) -> None:
    """Add the hall's commands to the app's CLI (`antre ...`, and `flask ...`)."""
    from server.device_commands import device

    for command in (hall, user, device, demo, serve, export, purge, backup, restore):
        app.cli.add_command(command)


@click.group()
def hall() -> None:
    """Describe the hall: agencies, services, zones, counters."""


@hall.command("load")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def hall_load(path: Path) -> None:
    """Load (or update) the hall from a TOML file."""
    try:
        data = read_hall_file(path)
        install_logo(data, path, Path(current_app.instance_path))
        report = load_hall(db.session, data)
    except HallConfigError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{path}: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.disabled)} disabled"
    )
    for label in report.disabled:
        click.echo(f"  disabled {label} (not in the file)")
    _tell_screens_hall_changed()


def _tell_screens_hall_changed() -> None:
    publisher = _screens_publisher()
    if publisher is None:
        click.echo("screens show the change when they next reload (no ANTRE_MESSAGE_QUEUE)")
        return
    try:
        announce_hall_changed(db.session, publisher)
    except Exception as error:  # noqa: BLE001 - the hall is saved; only the news did not go out
        click.echo(f"could not tell the screens through the message queue: {error!r}", err=True)
        return
    click.echo("told every screen to reload the hall")


def _screens_publisher() -> Publisher | None:
    """How a command reaches screens without a server: a write-only emitter on the message
    queue, which every server process reads (or the publisher a test gave the app)."""
    config = current_app.config
    if config.get("ANTRE_PUBLISHER") is not None:
        return config["ANTRE_PUBLISHER"]
    if not config["ANTRE_MESSAGE_QUEUE"]:
        return None
    emitter = SocketIO(
        message_queue=config["ANTRE_MESSAGE_QUEUE"],
        channel=config["ANTRE_MESSAGE_QUEUE_CHANNEL"],
    )
    return SocketIOPublisher(emitter)


@click.group()
def user() -> None:
    """Staff accounts."""


@user.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Full name, as counters and reports show it.")
@click.option("--role", type=click.Choice(ROLES), default="officer", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when not given.",
)
@click.option("--agency", "agency_code", help="An agency's code: a manager then sees only it.")
@with_appcontext
def user_add(username: str, name: str, role: str, password: str, agency_code: str | None) -> None:
    """Add a staff account (the first admin, officers, managers)."""
    agency_id = _agency_id(agency_code)
    try:
        create_user(db.session, username, name, password, role, system_clock(), agency_id)
    except DomainError as error:
        raise click.ClickException(error.message("en")) from error
    click.echo(f"added {role} {username}" + (f" of {agency_code}" if agency_code else ""))


def _agency_id(code: str | None) -> int | None:
    """The id of the agency with this code; a clear error when there is none."""
    if code is None:
        return None
    agency_id = db.session.scalars(select(Agency.id).where(Agency.code == code)).first()
    if agency_id is None:
        raise click.ClickException(f"no agency with code {code!r} (load the hall first)")
    return agency_id


@click.command("export")
@click.argument("what", type=click.Choice(["tickets", "events"]))
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First service day."
)
@click.option(
    "--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last service day."
)
@click.option(
    "--format", "kind", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--service", "service_code", help="Only this service (its code).")
@with_appcontext
def export(
    what: str, start: datetime, end: datetime, kind: str, out: Path, service_code: str | None
) -> None:
    """Export the wait-time log (one row per ticket) or the raw event log, with progress."""
    service_id = None
    if service_code:
        service_id = db.session.scalars(
            select(Service.id).where(Service.code == service_code)
        ).first()
        if service_id is None:
            raise click.ClickException(f"no service with code {service_code!r}")
    scope = exports.ExportFilter(start.date(), end.date(), service_id=service_id)
    ctx = current_context()
    columns = exports.TICKET_COLUMNS if what == "tickets" else exports.EVENT_COLUMNS
    produce = exports.ticket_rows if what == "tickets" else exports.event_rows
    with click.progressbar(
        length=exports.count_tickets(db.session, scope), label=f"{what} → {out}", file=sys.stderr
    ) as bar:
        rows = produce(db.session, ctx, scope, bar.update)
        if kind == "xlsx":
            exports.write_xlsx(rows, columns, out, what)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(exports.write_csv(rows, columns))
    click.echo(f"wrote {out}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be blanked; change nothing.")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    help="Keep personal text this many days (default: the hall file's personal_data_days, 90).",
)
@with_appcontext
def purge(dry_run: bool, days: int | None) -> None:
    """Blank personal free text older than the retention period (UU PDP); statistics stay."""
    report = privacy.purge_personal_text(db.session, current_context(), days, dry_run)
    verb = "would blank" if dry_run else "blanked"
    click.echo(
        f"{verb} {report.total} personal texts older than {report.days} days "
        f"(before {report.cutoff:%Y-%m-%d %H:%M} UTC)"
    )
    for name, count in report.blanked.items():
        click.echo(f"  {name.replace('_', ' ')}: {count}")


POSTGRES_BACKUP = (
    "this database is PostgreSQL: back it up with "
    "`pg_dump --format=custom --file=antre.dump DATABASE` and restore with "
    "`pg_restore --clean --if-exists --no-owner --dbname=DATABASE antre.dump` (see the README)"
)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH as one consistent snapshot, while the server runs."""
    database = _sqlite_database()
    try:
        info = backups.backup_sqlite(database, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {database} to {path}: {info.tickets} tickets, {info.size} bytes")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore even while a server runs on the database.")
@with_appcontext
def restore(path: Path, force: bool) -> None:
    """Replace the SQLite database with the backup at PATH (stop the server first)."""
    database = _sqlite_database()
    try:
        kept = backups.restore_sqlite(path, database, force)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    info = backups.check_backup(database)
    click.echo(f"restored {path} into {database}: {info.tickets} tickets")
    if kept is not None:
        click.echo(f"the database it replaced is kept as {kept}")
    click.echo("next: `antre db upgrade` (for a backup of an older version), then start the server")


def _sqlite_database() -> Path:
    database = backups.sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if database is None:
        raise click.ClickException(POSTGRES_BACKUP)
    return database


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Bring the database up to date and load the demo hall."""
    upgrade()
    data = read_hall_file(DEMO_HALL)
    install_logo(data, DEMO_HALL, Path(current_app.instance_path))
    report = load_hall(db.session, data)
    click.echo(f"demo hall ready: {len(report.added)} added, {len(report.updated)} updated")
    for username, name, role, agency in DEMO_STAFF:
        if db.session.scalars(select(User.id).where(User.username == username)).first() is None:
            agency_id = _agency_id(agency)
            create_user(db.session, username, name, DEMO_PASSWORD, role, system_clock(), agency_id)
            click.echo(f"demo {role}: {username} / {DEMO_PASSWORD}")
    _pair_demo_devices(data)


def _pair_demo_devices(data: dict[str, object]) -> None:
    """One-time links that pair a browser as each demo kiosk and display (new ones each run)."""
    from server.device_commands import echo_pairing

    click.echo("pair a browser as a kiosk or display by opening its link (each works once):")
    for key in ("kiosks", "displays"):
        for entry in data.get(key) or []:  # type: ignore[attr-defined]
            echo_pairing(entry["code"])


SPARE_CONNECTIONS = 1000


@click.command("serve")
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("ANTRE_PORT", "5000")),
    show_default="ANTRE_PORT or 5000",
)
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option(
    "--threads",
    type=int,
    default=lambda: int(os.environ.get("ANTRE_THREADS", "200")),
    show_default="ANTRE_THREADS or 200",
)
def serve(port: int, host: str, threads: int) -> None:
    """Serve the hall with gunicorn: one worker, a thread for every screen.

    To serve more screens than one process can, run several (same database, same
    ANTRE_MESSAGE_QUEUE and ANTRE_SECRET_KEY) behind a sticky proxy: see deploy/nginx.conf.
    """
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "1",
        "--threads",
        str(threads),
        "--worker-connections",  # every screen's socket, plus idle keep-alive HTTP ones
        str(threads + SPARE_CONNECTIONS),
        "--bind",
        f"{host}:{port}",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
        "server.wsgi:app",
    ]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
