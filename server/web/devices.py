"""Pairing kiosks and displays: the admin's device API, the `/pair` page a device's browser
opens from its one-time link, and the exchange of a code for a token by a print agent."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request

from server.extensions import csrf, db
from server.services import devices
from server.web.access import DEVICE_COOKIES, allow, recent_devices, request_device
from server.web.api import json_body, optional_text
from server.web.context import current_context
from server.web.errors import invalid
from server.web.security import enforce_limit
from server.web.sockets import drop_revoked_sockets

bp = Blueprint("devices", __name__)
ADMIN = ("admin",)
COOKIE_MAX_AGE_S = 10 * 365 * 24 * 3600  # a kiosk stays paired until it is revoked


@bp.get("/pair")
def pair_page() -> str:
    """The page a pairing link opens: the code filled in, one button to pair this browser."""
    return render_template(
        "pair.html", code=request.args.get("code", "")[:20], refused=False,
        paired_as=request_device(),
    )  # fmt: skip


@bp.post("/pair")
def pair_browser() -> Response | tuple[str, int]:
    """Redeem the code for this browser: a long-lived device cookie, then the device's screen."""
    csrf.protect()
    enforce_limit("ANTRE_PAIR_LIMIT", request.remote_addr or "")
    code = request.form.get("code", "")
    try:
        device, token = devices.redeem_pairing_code(db.session, current_context(), code)
    except devices.PairingRefused as error:
        page = render_template(
            "pair.html", code=code[:20], refused=False, paired_as=None, error=error.message()
        )
        return page, 403
    response = redirect(screen_of(device), code=303)
    response.set_cookie(
        DEVICE_COOKIES[device.kind],
        token,
        max_age=COOKIE_MAX_AGE_S,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def screen_of(device: devices.PairedDevice) -> str:
    """Where a paired device's browser goes: its kiosk page (printing at it) or the display."""
    return f"/kiosk?kiosk={device.code}" if device.kind == "kiosk" else "/display"


@bp.post("/api/v1/devices/pair")
def post_pairing_code() -> tuple[Response, int]:
    """Exchange a one-time code for a device token (print agents; shown once, stored hashed)."""
    enforce_limit("ANTRE_PAIR_LIMIT", request.remote_addr or "")
    body = json_body()
    label = body.get("label", "agent")
    if label not in ("agent", "browser"):
        raise invalid("invalid_label", "label: agent atau browser.", "label: agent or browser.")
    device, token = devices.redeem_pairing_code(
        db.session, current_context(), body.get("code"), label
    )
    return jsonify({"token": token, "device": devices.device_json(device, current_context())}), 201


@bp.get("/api/v1/devices")
@allow(roles=ADMIN)
def get_devices() -> Response:
    """Every kiosk and display, whether it is paired, and whether a code waits to be used."""
    return jsonify(devices.list_devices(db.session, current_context()))


@bp.post("/api/v1/devices")
@allow(roles=ADMIN)
def post_device() -> tuple[Response, int]:
    """Register a kiosk or display (`{"kind", "code", "name"?}`) and get its pairing code."""
    body = json_body()
    kind, code = body.get("kind"), body.get("code")
    if not isinstance(kind, str) or not isinstance(code, str):
        raise invalid("invalid_device", "Isi kind dan code.", "Give kind and code.")
    device = devices.add_device(db.session, kind, code, optional_text(body, "name", 120))
    return _pairing(device.code)


@bp.post("/api/v1/devices/<code>/pairing")
@allow(roles=ADMIN)
def post_device_pairing(code: str) -> tuple[Response, int]:
    """A new one-time pairing code and link for a device (the earlier unused one stops working)."""
    return _pairing(code)


@bp.post("/api/v1/devices/<code>/revoke")
@allow(roles=ADMIN)
def post_device_revoke(code: str) -> Response:
    """Unpair a device at once: its pages, API calls and open connections are refused."""
    device = devices.revoke_device(db.session, code)
    recent_devices().forget()
    drop_revoked_sockets()
    return jsonify(devices.device_json(device, current_context(), 0))


def _pairing(code: str) -> tuple[Response, int]:
    ctx = current_context()
    pairing = devices.start_pairing(db.session, ctx, code)
    answer: dict[str, Any] = devices.pairing_json(pairing, ctx)
    return jsonify(answer), 201
