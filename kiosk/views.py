"""The kiosk page: for a paired kiosk (and staff, to look at it)."""

from server.web.auth import STAFF_ROLES
from server.web.pages import screen_blueprint

bp = screen_blueprint("kiosk", __name__, roles=STAFF_ROLES, devices=("kiosk",))
