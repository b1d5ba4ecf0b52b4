"""The JSON API under /api/v1: parse, call one use case, answer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from server.extensions import db
from server.services import counters, hall, printing, tickets
from server.web.context import current_context
from server.web.errors import invalid

bp = Blueprint("api", __name__, url_prefix="/api/v1")

TICKET_ACTIONS = {
    "recall": tickets.recall_ticket,
    "no-show": tickets.mark_no_show,
    "start": tickets.start_serving,
    "complete": tickets.complete_ticket,
}
COUNTER_ACTIONS = {"open": "open", "break": "break", "close": "closed"}


@bp.get("/hall")
def get_hall() -> Response:
    """Agencies, services (open or not, and why), counters and zones."""
    return jsonify(hall.hall_overview(db.session, current_context()))


@bp.post("/tickets")
def post_ticket() -> tuple[Response, int]:
    """Issue a ticket at a kiosk."""
    body = json_body()
    service_id = whole_number(body.get("service_id"), "service_id")
    priority = body.get("priority", False)
    if not isinstance(priority, bool):
        raise invalid(
            "invalid_priority", "priority harus true atau false.", "priority must be true or false."
        )
    lang = body.get("lang", "id")
    kiosk = body.get("kiosk")
    if kiosk is not None and not isinstance(kiosk, str):
        raise invalid("invalid_kiosk", "kiosk harus kode kios.", "kiosk must be a kiosk code.")
    ticket = tickets.issue_ticket(db.session, current_context(), service_id, priority, lang, kiosk)
    return jsonify(ticket), 201


@bp.get("/tickets/<token>")
def get_ticket(token: str) -> Response:
    """A ticket's status for its visitor's phone."""
    return jsonify(hall.public_ticket(db.session, current_context(), token))


@bp.post("/tickets/<int:ticket_id>/<action>")
def post_ticket_action(ticket_id: int, action: str) -> Response:
    """An officer's action on a ticket at their counter, or a reprint at a kiosk."""
    if action == "reprint":
        kiosk = json_body().get("kiosk")
        return jsonify(printing.reprint_ticket(db.session, current_context(), ticket_id, kiosk))
    use_case = TICKET_ACTIONS.get(action)
    if use_case is None:
        raise invalid(
            "unknown_action", f"Aksi '{action}' tidak dikenal.", f"Unknown action '{action}'."
        )
    body = json_body(required=False)
    counter_id = body.get("counter_id")
    if counter_id is not None:
        counter_id = whole_number(counter_id, "counter_id")
    return jsonify(use_case(db.session, current_context(), ticket_id, counter_id))


@bp.get("/counters/<int:counter_id>")
def get_counter(counter_id: int) -> Response:
    """A counter terminal's snapshot."""
    return jsonify(hall.counter_snapshot(db.session, current_context(), counter_id))


@bp.post("/counters/<int:counter_id>/call-next")
def post_call_next(counter_id: int) -> Response | tuple[str, int]:
    """Call the next visitor to this counter; 204 when nobody waits."""
    ticket = tickets.call_next(db.session, current_context(), counter_id)
    return ("", 204) if ticket is None else jsonify(ticket)


@bp.post("/counters/<int:counter_id>/<action>")
def post_counter_action(counter_id: int, action: str) -> Response:
    """Open a counter, take a break, or close it."""
    status = COUNTER_ACTIONS.get(action)
    if status is None:
        raise invalid(
            "unknown_action", f"Aksi '{action}' tidak dikenal.", f"Unknown action '{action}'."
        )
    return jsonify(counters.set_counter_status(db.session, current_context(), counter_id, status))


@bp.get("/kiosks/<code>")
def get_kiosk(code: str) -> Response:
    """A kiosk and the last state its printer reported."""
    return jsonify(
        printing.printer_json(printing.kiosk_by_code(db.session, code), current_context())
    )


@bp.get("/zones/<int:zone_id>/snapshot")
def get_zone_snapshot(zone_id: int) -> Response:
    """A display's snapshot."""
    return jsonify(hall.zone_snapshot(db.session, current_context(), zone_id))


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
    """A positive whole number from JSON, or a clear 400."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid(
            f"invalid_{name}",
            f"{name} harus bilangan bulat positif.",
            f"{name} must be a positive whole number.",
        )
    return value
