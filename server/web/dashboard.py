"""The manager's live dashboard as JSON: today's figures, limited to a manager's own agency."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from server.extensions import db
from server.services import dashboard
from server.web.auth import role_required
from server.web.context import current_context
from server.web.manager import MANAGERS, _agency_scope

bp = Blueprint("dashboard_api", __name__, url_prefix="/api/v1")


@bp.get("/dashboard")
@role_required(*MANAGERS)
def get_dashboard() -> Response:
    """Today's figures per service, counter and kiosk, with alerts and totals (`?agency=` id)."""
    return jsonify(dashboard.dashboard(db.session, current_context(), _agency_scope()))
