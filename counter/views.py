"""The counter officer's page: only for signed-in officers."""

from server.web.auth import COUNTER_ROLES
from server.web.pages import screen_blueprint

bp = screen_blueprint("counter", __name__, roles=COUNTER_ROLES)
