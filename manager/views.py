"""The manager's pages: `/manager`, the live dashboard, and `/manager/reports`."""

from flask import render_template

from server.domain.calendar import service_day
from server.web.auth import role_required
from server.web.context import current_context
from server.web.pages import screen_blueprint

MANAGER_ROLES = ("manager", "admin")

bp = screen_blueprint("manager", __name__, roles=MANAGER_ROLES)


@bp.get("/manager/reports")
@role_required(*MANAGER_ROLES)
def reports() -> str:
    """Reports by agency, service, counter and officer; arrivals by hour and weekday."""
    ctx = current_context()
    return render_template("manager/reports.html", today=service_day(ctx.now(), ctx.zone))
