"""The counter officer's page, and the counter-side survey tablet: only for signed-in officers."""

from flask import render_template

from server.web.auth import COUNTER_ROLES, role_required
from server.web.pages import screen_blueprint

bp = screen_blueprint("counter", __name__, roles=COUNTER_ROLES)


@bp.get("/counter/survey")
@role_required(*COUNTER_ROLES)
def survey_tablet() -> str:
    """A tablet beside the counter (`?counter=<id>`): the IKM survey for each visitor served."""
    return render_template("counter/survey.html")
