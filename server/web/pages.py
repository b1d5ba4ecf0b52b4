"""Pages that belong to no single screen: the start page, health, a ticket's status page."""

from __future__ import annotations

import io
import os
from pathlib import Path

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from sqlalchemy import select, text

from server.extensions import db
from server.models import Ticket
from server.web.access import ALL_DEVICES, allow, request_device, staff_role
from server.web.auth import STAFF_ROLES, sign_in_first
from server.web.context import current_context

bp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

VENDOR_FILES = {
    "socket.io.esm.min.js": "socket.io-client/dist/socket.io.esm.min.js",
    "socket.io.esm.min.js.map": "socket.io-client/dist/socket.io.esm.min.js.map",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "chart.umd.min.js.map": "chart.js/dist/chart.umd.min.js.map",
}


@bp.get("/")
def index() -> str | Response:
    """The start page: staff see links to every screen; a paired device goes to its screen."""
    if staff_role() is not None:
        return render_template("index.html")
    device = request_device()
    if device is not None:
        from server.web.devices import screen_of

        return redirect(screen_of(device))
    return sign_in_first()


@bp.get("/login")
def login() -> str:
    """The staff sign-in page; afterwards the officer goes on to `next`."""
    return render_template("login.html", next_url=request.args.get("next", "/counter"))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the server and its database answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any database failure means not ready
        return jsonify({"status": "unavailable", "database": str(error.__class__.__name__)}), 503
    return jsonify({"status": "ok"}), 200


@bp.get("/hall/logo")
@allow(roles=STAFF_ROLES, devices=ALL_DEVICES)
def hall_logo() -> Response:
    """The hall's logo from the hall file, for the display and the kiosk; 404 when none."""
    logos = sorted(Path(current_app.instance_path).glob("hall-logo.*"))
    if not logos:
        abort(404)
    return send_from_directory(current_app.instance_path, logos[0].name, max_age=3600)


@bp.get("/t/<token>")
def ticket_status(token: str) -> str:
    """The status page a ticket's QR code opens."""
    if db.session.scalar(select(Ticket.id).where(Ticket.token == token)) is None:
        abort(404)
    return render_template("status.html", token=token)


@bp.get("/t/<token>/qr.svg")
def ticket_qr(token: str) -> Response:
    """The ticket's QR code, for the kiosk screen."""
    if db.session.scalar(select(Ticket.id).where(Ticket.token == token)) is None:
        abort(404)
    image = qrcode.make(
        current_context().status_url(token), image_factory=qrcode.image.svg.SvgPathImage, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    return response


@bp.get("/vendor/<name>")
def vendor(name: str) -> Response:
    """Front-end libraries from npm, served by this server: halls often run on closed LANs."""
    relative = VENDOR_FILES.get(name) or abort(404)
    folder = Path(current_app.config.get("ANTRE_NODE_MODULES") or _node_modules())
    return send_from_directory(
        folder / os.path.dirname(relative), os.path.basename(relative), max_age=86400
    )


def _node_modules() -> Path:
    return Path(__file__).resolve().parents[2] / "node_modules"


def screen_blueprint(
    name: str, import_name: str, roles: tuple[str, ...], devices: tuple[str, ...] = ()
) -> Blueprint:
    """A screen's blueprint: `/<name>` renders `<name>/index.html`; assets at `/<name>/static`.

    Only signed-in staff with one of `roles` and paired devices of one of the `devices` kinds
    see the page; other staff are refused, other browsers go to sign in (or, for a device's
    screen, are told how to pair).
    """
    blueprint = Blueprint(
        name,
        import_name,
        template_folder="templates",
        static_folder="static",
        static_url_path=f"/{name}/static",
    )

    def page() -> str:
        return render_template(f"{name}/index.html")

    page.__doc__ = f"The {name} screen: a snapshot over HTTP, then events over Socket.IO."
    blueprint.add_url_rule(f"/{name}", "page", allow(roles=roles, devices=devices)(page))
    return blueprint
