"""The manager's pages: `/manager`, the live dashboard, and `/manager/reports`."""

from flask import render_template

from server.web.auth import role_required
from server.web.pages import screen_blueprint

MANAGER_ROLES = ("manager", "admin")

bp = screen_blueprint("manager", __name__, roles=MANAGER_ROLES)


@bp.get("/manager/reports")
@role_required(*MANAGER_ROLES)
def reports() -> str:
    """Reports by agency, service, counter and officer; arrivals by hour and weekday."""
    return render_template("manager/reports.html")
