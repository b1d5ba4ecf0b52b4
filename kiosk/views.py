"""The kiosk page."""

from flask import Blueprint, render_template

bp = Blueprint(
    "kiosk",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/kiosk/static",
)


@bp.get("/kiosk")
def page() -> str:
    """The kiosk screen: it loads a snapshot over HTTP, then follows events over Socket.IO."""
    return render_template("kiosk/index.html")
