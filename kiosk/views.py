"""The kiosk page."""

from server.web.pages import screen_blueprint

bp = screen_blueprint("kiosk", __name__)
