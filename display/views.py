"""The display page."""

from flask import Blueprint, render_template

bp = Blueprint(
    "display",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/display/static",
)


@bp.get("/display")
def page() -> str:
    """The display screen: it loads a snapshot over HTTP, then follows events over Socket.IO."""
    return render_template("display/index.html")
