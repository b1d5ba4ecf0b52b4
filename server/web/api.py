"""The JSON API under /api/v1: parse, call one use case, answer."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from server.domain.errors import NotFound
from server.extensions import db
from server.services import (
    calling,
    counter_screen,
    counters,
    hall,
    handling,
    issuing,
    printing,
    survey,
)
from server.services.devices import NotPaired, PairedDevice
from server.web.access import (
    ALL_DEVICES,
    WrongDevice,
    allow,
    recent_devices,
    request_device,
    staff_role,
)
from server.web.auth import COUNTER_ROLES, STAFF_ROLES, officer_id, role_required
from server.web.context import current_context
from server.web.errors import MAX_ID, invalid
from server.web.security import enforce_limit

bp = Blueprint("api", __name__, url_prefix="/api/v1")

TICKET_ACTIONS = {
    "recall": handling.recall_ticket,
    "no-show": handling.mark_no_show,
    "start": handling.start_serving,
    "complete": handling.complete_ticket,
    "resume": handling.resume_ticket,
}
COUNTER_ACTIONS = {"open": "open", "break": "break", "close": "closed"}
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # secrets.token_urlsafe(24) gives 32 of these


@bp.get("/hall")
@allow(roles=STAFF_ROLES, devices=ALL_DEVICES)
def get_hall() -> Response:
    """Agencies, services (open or not, and why), counters and zones."""
    return jsonify(hall.hall_overview(db.session, current_context()))


@bp.post("/tickets")
@allow(devices=("kiosk",))
def post_ticket() -> tuple[Response, int]:
    """Issue a ticket at a paired kiosk (printed there when `kiosk` names it); rate-limited per
    kiosk and per address."""
    device = this_kiosk()
    enforce_limit("ANTRE_ISSUE_LIMIT_KIOSK", str(device.id))
    enforce_limit("ANTRE_ISSUE_LIMIT_ADDRESS", request.remote_addr or "")
    body = json_body()
    service_id = whole_number(body.get("service_id"), "service_id")
    priority = body.get("priority", False)
    if not isinstance(priority, bool):
        raise invalid(
            "invalid_priority", "priority harus true atau false.", "priority must be true or false."
        )
    priority_class = optional_text(body, "priority_class")
    lang = body.get("lang", "id")
    kiosk = body.get("kiosk")
    if kiosk is not None and not isinstance(kiosk, str):
        raise invalid("invalid_kiosk", "kiosk harus kode kios.", "kiosk must be a kiosk code.")
    if kiosk is not None and kiosk != device.code:
        raise WrongDevice()
    token = g.antre_device_token
    try:
        ticket = issuing.issue_ticket(
            db.session, current_context(), service_id, priority, lang, kiosk, priority_class, token
        )
    except NotPaired:  # revoked since this process last checked: check afresh from now on
        recent_devices().forget(token)
        raise
    return jsonify(ticket), 201


@bp.get("/tickets/<token>")
def get_ticket(token: str) -> Response:
    """A ticket's status for its visitor's phone."""
    return jsonify(hall.public_ticket(db.session, current_context(), ticket_token(token)))


@bp.get("/tickets/<token>/survey")
def get_survey(token: str) -> Response:
    """Whether the visitor may rate the service now, and the nine elements to rate."""
    return jsonify(survey.survey_state(db.session, ticket_token(token)))


@bp.post("/tickets/<token>/survey")
def post_survey(token: str) -> tuple[Response, int]:
    """The visitor's IKM ratings (1–4 for each of the nine elements) and an optional comment."""
    body = json_body()
    comment = optional_text(body, "comment", limit=survey.MAX_COMMENT)
    channel = body.get("channel", "status_page")
    answer = survey.submit_survey(
        db.session, current_context(), ticket_token(token), body.get("ratings"), comment, channel
    )
    return jsonify(answer), 201


@bp.post("/tickets/<int:ticket_id>/reprint")
@allow(roles=COUNTER_ROLES, devices=("kiosk",))
def post_reprint(ticket_id: int) -> Response:
    """Print a ticket again at a kiosk: an officer at any kiosk, a kiosk only its own tickets."""
    kiosk = json_body().get("kiosk")
    if staff_role() in COUNTER_ROLES:
        return jsonify(printing.reprint_ticket(db.session, current_context(), ticket_id, kiosk))
    device = this_kiosk()
    if kiosk not in (None, device.code):
        raise WrongDevice()
    return jsonify(
        printing.reprint_ticket(db.session, current_context(), ticket_id, device.code, own=True)
    )


@bp.post("/tickets/<int:ticket_id>/<action>")
@role_required(*COUNTER_ROLES)
def post_ticket_action(ticket_id: int, action: str) -> Response:
    """An officer's action on a ticket at their counter."""
    body = json_body(required=False)
    counter_id = optional_number(body, "counter_id")
    ctx, officer = current_context(), officer_id()
    if action == "transfer":
        return jsonify(
            handling.transfer_ticket(
                db.session,
                ctx,
                ticket_id,
                counter_id,
                officer,
                to_service_id=optional_number(body, "to_service_id"),
                to_counter_id=optional_number(body, "to_counter_id"),
                note=optional_text(body, "note"),
            )
        )
    if action == "hold":
        note = optional_text(body, "note")
        return jsonify(
            handling.hold_ticket(db.session, ctx, ticket_id, counter_id, officer, note=note)
        )
    use_case = TICKET_ACTIONS.get(action)
    if use_case is None:
        raise invalid(
            "unknown_action", f"Aksi '{action}' tidak dikenal.", f"Unknown action '{action}'."
        )
    return jsonify(use_case(db.session, ctx, ticket_id, counter_id, officer))


@bp.get("/counters/<int:counter_id>")
@role_required(*STAFF_ROLES)
def get_counter(counter_id: int) -> Response:
    """A counter terminal's snapshot."""
    return jsonify(counter_screen.counter_snapshot(db.session, current_context(), counter_id))


@bp.post("/counters/<int:counter_id>/call-next")
@role_required(*COUNTER_ROLES)
def post_call_next(counter_id: int) -> Response | tuple[str, int]:
    """Call the next visitor to this counter; 204 when nobody waits."""
    ticket = calling.call_next(db.session, current_context(), counter_id, officer_id())
    return ("", 204) if ticket is None else jsonify(ticket)


@bp.post("/counters/<int:counter_id>/call")
@role_required(*COUNTER_ROLES)
def post_call_ticket(counter_id: int) -> Response:
    """Call one waiting ticket out of turn, with a reason."""
    body = json_body()
    ticket_id = whole_number(body.get("ticket_id"), "ticket_id")
    reason = optional_text(body, "reason") or ""
    ctx = current_context()
    return jsonify(
        calling.call_ticket(db.session, ctx, counter_id, ticket_id, reason, officer_id())
    )


@bp.post("/counters/<int:counter_id>/<action>")
@role_required(*COUNTER_ROLES)
def post_counter_action(counter_id: int, action: str) -> Response:
    """Open a counter (taking it), take a break with a reason, or close it."""
    status = COUNTER_ACTIONS.get(action)
    if status is None:
        raise invalid(
            "unknown_action", f"Aksi '{action}' tidak dikenal.", f"Unknown action '{action}'."
        )
    reason = optional_text(json_body(required=False), "reason")
    state = counters.set_counter_status(
        db.session, current_context(), counter_id, status, officer_id(), reason
    )
    return jsonify(state)


@bp.get("/kiosks/<code>")
@allow(roles=STAFF_ROLES, devices=("kiosk",))
def get_kiosk(code: str) -> Response:
    """A kiosk and the last state its printer reported (to staff, or to that kiosk)."""
    if staff_role() is None and this_kiosk().code != code:
        raise WrongDevice()
    return jsonify(
        printing.printer_json(printing.kiosk_by_code(db.session, code), current_context())
    )


@bp.get("/zones/<int:zone_id>/snapshot")
@allow(roles=STAFF_ROLES, devices=("display",))
def get_zone_snapshot(zone_id: int) -> Response:
    """A display's snapshot."""
    return jsonify(hall.zone_snapshot(db.session, current_context(), zone_id))


def this_kiosk() -> PairedDevice:
    """The paired kiosk making this request (its view is guarded by `allow`)."""
    device = request_device("kiosk")
    if device is None:
        raise WrongDevice()
    return device


def ticket_token(token: str) -> str:
    """A ticket's public token as its QR code carries it; any other text names no ticket."""
    if not TOKEN.fullmatch(token):
        raise NotFound("ticket_not_found", "Tiket tidak ditemukan.", "Ticket not found.")
    return token


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object; a clear 400 when it is missing or malformed."""
    if not request.get_data(cache=True) and not required:
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise invalid(
            "malformed_json",
            "Isi permintaan harus objek JSON yang valid.",
            "The request body must be a valid JSON object.",
        )
    return body


def whole_number(value: Any, name: str) -> int:
    """A positive whole number (an id) from JSON, or a clear 400."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise invalid(
            f"invalid_{name}",
            f"{name} harus bilangan bulat positif (maks. {MAX_ID}).",
            f"{name} must be a positive whole number (at most {MAX_ID}).",
        )
    return value


def optional_number(body: dict[str, Any], name: str) -> int | None:
    """A positive whole number if present, or None."""
    value = body.get(name)
    return None if value is None else whole_number(value, name)


def optional_text(body: dict[str, Any], name: str, limit: int = 500) -> str | None:
    """A short text if present, or None."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise invalid(
            f"invalid_{name}",
            f"{name} harus teks (maks. {limit} karakter).",
            f"{name} must be text of at most {limit} characters.",
        )
    return value
