"""Staff sign-in (Flask-Login): a session cookie for the pages and the API they call."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, Response, current_app, jsonify, redirect, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from server.domain.errors import DomainError, InvalidInput
from server.extensions import db
from server.models import User
from server.services import staff
from server.services.counters import counter_of
from server.services.recent import Recent
from server.web.context import current_context

login_manager = LoginManager()
RECENT_STAFF = "antre_recent_staff"
STAFF_ROLES = ("officer", "manager", "admin")
COUNTER_ROLES = ("officer", "admin")  # who may work a counter: call, serve, transfer
View = TypeVar("View", bound=Callable[..., Any])


class NotSignedIn(DomainError):
    """The caller must sign in first."""

    status = 401


class Forbidden(DomainError):
    """The caller's role may not do this."""

    status = 403


def init_app(app: Flask) -> None:
    """Attach Flask-Login (the session cookie's settings are in `server.web.security`)."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    app.extensions[RECENT_STAFF] = Recent(app.config["ANTRE_RECHECK_S"])
    login_manager.unauthorized_handler(sign_in_first)


def _load_user(user_id: str) -> staff.SignedIn | None:
    """The signed-in account of the session cookie: kept for `ANTRE_RECHECK_S` seconds, like a
    device (an account deactivated elsewhere is refused within that time)."""
    if not user_id.isdigit():
        return None
    accounts: Recent[int, staff.SignedIn] = current_app.extensions[RECENT_STAFF]
    return accounts.get(int(user_id), lambda: staff.signed_in(db.session, int(user_id)))


def sign_in_first() -> Response:
    """401 under the API; elsewhere the sign-in page, coming back here afterwards."""
    if request.path.startswith("/api/"):
        raise NotSignedIn("not_signed_in", "Silakan masuk dulu.", "Please sign in first.")
    return cast(Response, redirect(url_for("pages.login", next=request.full_path)))


def role_required(*roles: str) -> Callable[[View], View]:
    """Let only signed-in staff with one of `roles` through; 401 or 403 otherwise."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return sign_in_first()
            if current_user.role not in roles:
                raise Forbidden(
                    "forbidden",
                    "Peran Anda tidak diizinkan untuk ini.",
                    "Your role may not do this.",
                )
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate


def officer_id() -> int | None:
    """The signed-in user's id, for the event log."""
    return current_user.id if current_user.is_authenticated else None


bp = Blueprint("session", __name__, url_prefix="/api/v1")


@bp.post("/session")
def sign_in() -> Response:
    """Sign in with username and password; answers who is signed in and their open counter."""
    from server.web.api import json_body

    body = json_body()
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidInput(
            "invalid_credentials",
            "Isi nama pengguna dan kata sandi.",
            "Enter a username and password.",
        )
    user = staff.authenticate(db.session, username, password, current_context().now())
    if user is None:
        raise NotSignedIn(
            "wrong_credentials",
            "Nama pengguna atau kata sandi salah.",
            "Wrong username or password.",
        )
    login_user(user)
    return jsonify(session_json(user))


@bp.get("/session")
@role_required(*STAFF_ROLES)
def who_am_i() -> Response:
    """The signed-in user and their open counter."""
    return jsonify(session_json(current_user))


@bp.delete("/session")
def sign_out() -> tuple[str, int]:
    """Sign out; logged in attendance."""
    if current_user.is_authenticated:
        staff.log_attendance(db.session, current_user.id, "signed_out", current_context().now())
        logout_user()
    return "", 204


def session_json(user: User | staff.SignedIn) -> dict[str, Any]:
    """A signed-in user as the pages see them, with the token for the `X-CSRF-Token` header
    (pages read it from their `csrf-token` meta tag; other clients from here)."""
    counter = counter_of(db.session, user.id)
    return {
        "user": {"id": user.id, "username": user.username, "name": user.name, "role": user.role},
        "counter_id": counter.id if counter else None,
        "csrf_token": generate_csrf(),
    }
