"""Staff accounts and sign-in, with every sign-in and sign-out in the attendance log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from server.db import write_transaction
from server.domain.errors import InvalidInput
from server.models import StaffEvent, User

ROLES = ("officer", "manager", "admin")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class SignedIn:
    """A signed-in staff member as their requests need them (Flask-Login's user): no ORM object."""

    id: int
    username: str
    name: str
    role: str
    agency_id: int | None
    is_authenticated: ClassVar[bool] = True
    is_active: ClassVar[bool] = True  # only active accounts are read
    is_anonymous: ClassVar[bool] = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session cookie."""
        return str(self.id)


ACTIVE_USER = select(User.id, User.username, User.name, User.role, User.agency_id).where(
    User.id == bindparam("user_id"), User.active
)


def signed_in(session: Session, user_id: int) -> SignedIn | None:
    """The active account with this id, as a request signed in as it needs it; else None."""
    row = session.connection().execute(ACTIVE_USER, {"user_id": user_id}).first()
    return None if row is None else SignedIn(*row)


def create_user(
    session: Session,
    username: str,
    name: str,
    password: str,
    role: str,
    now: datetime,
    agency_id: int | None = None,
) -> User:
    """Add a staff account with a hashed password."""
    username = username.strip().lower()
    if role not in ROLES:
        raise InvalidInput(
            "invalid_role",
            f"Peran harus salah satu dari {', '.join(ROLES)}.",
            f"role must be one of {', '.join(ROLES)}.",
        )
    if not username or not name.strip():
        raise InvalidInput(
            "invalid_user", "Nama pengguna dan nama wajib diisi.", "Username and name are required."
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "weak_password",
            f"Kata sandi minimal {MIN_PASSWORD} karakter.",
            f"The password needs at least {MIN_PASSWORD} characters.",
        )
    with write_transaction(session):
        if session.scalars(select(User.id).where(User.username == username)).first() is not None:
            raise InvalidInput(
                "user_exists",
                f"Pengguna '{username}' sudah ada.",
                f"User '{username}' already exists.",
            )
        user = User(
            username=username,
            name=name.strip(),
            password_hash=generate_password_hash(password),
            role=role,
            agency_id=agency_id,
            active=True,
            created_at=now,
        )
        session.add(user)
    return user


def authenticate(session: Session, username: str, password: str, now: datetime) -> User | None:
    """The active user with these credentials, with the sign-in logged; None otherwise."""
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    log_attendance(session, user.id, "signed_in", now)
    return user


def log_attendance(
    session: Session, user_id: int, kind: str, now: datetime, counter_id: int | None = None
) -> None:
    """Write one attendance entry in its own transaction."""
    with write_transaction(session):
        session.add(StaffEvent(at=now, kind=kind, user_id=user_id, counter_id=counter_id))
