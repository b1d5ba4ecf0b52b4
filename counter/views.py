"""The counter page."""

from flask import Blueprint, render_template

bp = Blueprint(
    "counter",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/counter/static",
)


@bp.get("/counter")
def page() -> str:
    """The counter screen: it loads a snapshot over HTTP, then follows events over Socket.IO."""
    return render_template("counter/index.html")
