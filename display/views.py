"""The display page: for a paired hall display (and staff, to look at it)."""

from server.web.auth import STAFF_ROLES
from server.web.pages import screen_blueprint

bp = screen_blueprint("display", __name__, roles=STAFF_ROLES, devices=("display",))
