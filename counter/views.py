"""The counter page."""

from server.web.pages import screen_blueprint

bp = screen_blueprint("counter", __name__)
