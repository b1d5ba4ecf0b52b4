"""The display page."""

from server.web.pages import screen_blueprint

bp = screen_blueprint("display", __name__)
