"""Staff sign-in: the session API, attendance, and the `antre user add` command."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from server.extensions import db
from server.models import StaffEvent, User
from server.services.context import system_clock
from server.services.staff import create_user
from server.web.auth import RECENT_STAFF


def add_officer(username: str = "budi", password: str = "rahasia-budi") -> User:
    return create_user(db.session, username, username.title(), password, "officer", system_clock())


def test_sign_in_then_out_is_logged_as_attendance(client: FlaskClient) -> None:
    officer = add_officer()
    signed_in = client.post(
        "/api/v1/session", json={"username": "budi", "password": "rahasia-budi"}
    )
    assert signed_in.status_code == 200
    answer = signed_in.get_json()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = answer.pop("csrf_token")  # for the DELETE below
    assert answer == {
        "user": {"id": officer.id, "username": "budi", "name": "Budi", "role": "officer"},
        "counter_id": None,
    }
    assert client.get("/api/v1/session").get_json()["user"]["username"] == "budi"
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/session").status_code == 401
    kinds = db.session.scalars(select(StaffEvent.kind).order_by(StaffEvent.id)).all()
    assert kinds == ["signed_in", "signed_out"]


def test_wrong_password_is_a_clear_401_and_logs_nothing(client: FlaskClient) -> None:
    add_officer()
    refused = client.post("/api/v1/session", json={"username": "budi", "password": "salah-sandi"})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == {
        "code": "wrong_credentials",
        "message": "Nama pengguna atau kata sandi salah.",
    }
    assert client.post("/api/v1/session", json={"username": "budi"}).status_code == 400
    assert db.session.scalars(select(StaffEvent)).all() == []


def test_a_deactivated_account_cannot_sign_in(client: FlaskClient) -> None:
    officer = add_officer()
    officer.active = False
    db.session.commit()
    assert (
        client.post(
            "/api/v1/session", json={"username": "budi", "password": "rahasia-budi"}
        ).status_code
        == 401
    )


def test_passwords_are_stored_hashed(app: Flask) -> None:
    officer = add_officer(password="rahasia-budi")
    assert "rahasia-budi" not in officer.password_hash
    assert officer.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_cli_adds_the_first_admin_and_refuses_weak_passwords(app: Flask) -> None:
    runner = app.test_cli_runner()
    added = runner.invoke(
        args=["user", "add", "kepala", "--name", "Kepala Aula", "--role", "admin"],
        input="sandi-kuat-1\nsandi-kuat-1\n",
    )
    assert added.exit_code == 0, added.output
    assert "added admin kepala" in added.output
    assert db.session.scalars(select(User.role).where(User.username == "kepala")).one() == "admin"
    weak = runner.invoke(args=["user", "add", "lemah", "--name", "L", "--password", "123"])
    assert weak.exit_code != 0 and "at least 8 characters" in weak.output


def test_an_account_deactivated_elsewhere_is_refused_once_it_is_read_again(
    app: Flask, client: FlaskClient
) -> None:
    """A server process keeps a signed-in account for ANTRE_RECHECK_S seconds, then reads it."""
    officer = add_officer()
    signed_in = client.post(
        "/api/v1/session", json={"username": "budi", "password": "rahasia-budi"}
    )
    assert signed_in.status_code == 200

    def who_am_i() -> int:
        with app.app_context():  # a request's own context, as when served
            return client.get("/api/v1/session").status_code

    assert who_am_i() == 200
    db.session.execute(update(User).where(User.id == officer.id).values(active=False))
    db.session.commit()  # as the command line or another process would
    assert who_am_i() == 200  # still kept
    accounts = app.extensions[RECENT_STAFF]
    later = accounts.clock() + app.config["ANTRE_RECHECK_S"]
    accounts.clock = lambda: later
    assert who_am_i() == 401
