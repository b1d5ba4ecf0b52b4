"""Pairing kiosks and displays, revoking them, rate limits, CSRF and the security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from server import create_app
from server.domain.pairing import normalize_code, secret_hash
from server.extensions import db, socketio
from server.models import Device, DeviceToken, Ticket, User
from server.services import devices
from server.services.context import Context, system_clock
from server.services.hall_config import load_hall, read_hall_file
from server.services.publisher import RecordingPublisher
from server.services.staff import create_user
from tests.conftest import OFFICER_PASSWORD, TEST_HALL, counter_id, pair_device, service_id, sign_in

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    """A test client signed in as the hall's admin."""
    create_user(db.session, "kepala", "Kepala Aula", OFFICER_PASSWORD, "admin", system_clock())
    client = app.test_client()
    with app.app_context():
        sign_in(client, "kepala")
    return client


def pair_in_browser(app: Flask, link: str) -> FlaskClient:
    """Open a pairing link in a fresh browser and press "Pasangkan", as a kiosk's staff would."""
    browser = app.test_client()
    with app.app_context():
        page = browser.get(link.removeprefix("http://hall.test"))
    assert page.status_code == 200
    code = re.search(r'id="pair-code" name="code" value="([^"]*)"', page.get_data(as_text=True))
    form = {"code": code[1], "csrf_token": CSRF_FIELD.search(page.get_data(as_text=True))[1]}
    with app.app_context():
        paired = browser.post("/pair", data=form)
    assert paired.status_code == 303, paired.get_data(as_text=True)
    return browser


def test_an_admin_registers_a_display_and_its_browser_pairs_with_the_one_time_link(
    app: Flask, admin: FlaskClient
) -> None:
    answer = admin.post("/api/v1/devices", json={"kind": "display", "code": "D9", "name": "TV"})
    assert answer.status_code == 201, answer.get_json()
    pairing = answer.get_json()
    assert normalize_code(pairing["code"]) == pairing["code"]
    assert pairing["url"] == f"http://hall.test/pair?code={pairing['code']}"

    tv = pair_in_browser(app, pairing["url"])
    cookie = tv.get_cookie("antre_display")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert cookie.max_age is not None and cookie.max_age > 365 * 24 * 3600
    with app.app_context():
        assert tv.get("/display").status_code == 200
        assert tv.get("/api/v1/zones/1/snapshot").status_code == 200
        assert tv.get("/kiosk").status_code == 403  # a display is not a kiosk
    listed = {row["code"]: row for row in admin.get("/api/v1/devices").get_json()}
    assert listed["D9"]["paired"] is True and listed["D9"]["pairing_expires_at"] is None

    again = app.test_client().post("/api/v1/devices/pair", json={"code": pairing["code"]})
    assert again.status_code == 403 and again.get_json()["error"]["code"] == "pairing_refused"


def test_only_hashes_of_codes_and_tokens_are_stored(app: Flask) -> None:
    ctx = Context(RecordingPublisher())
    pairing = devices.start_pairing(db.session, ctx, "K1")
    device = db.session.scalars(select(Device).where(Device.code == "K1")).one()
    assert device.pairing_code_hash == secret_hash(pairing.code)
    _, token = devices.redeem_pairing_code(db.session, ctx, pairing.code.lower().replace("-", ""))
    stored = db.session.scalars(select(DeviceToken.token_hash)).all()
    assert stored == [secret_hash(token)] and len(token) >= 43
    assert device.pairing_code_hash is None


def test_an_expired_or_replaced_code_pairs_nothing(app: Flask) -> None:
    ctx = Context(RecordingPublisher())
    expired = devices.start_pairing(db.session, ctx, "K1", timedelta(seconds=-1))
    with pytest.raises(devices.PairingRefused):
        devices.redeem_pairing_code(db.session, ctx, expired.code)
    replaced = devices.start_pairing(db.session, ctx, "K2")
    devices.start_pairing(db.session, ctx, "K2")
    with pytest.raises(devices.PairingRefused):
        devices.redeem_pairing_code(db.session, ctx, replaced.code)


def test_an_unpaired_browser_is_shown_how_to_pair_and_cannot_take_a_ticket(app: Flask) -> None:
    browser = app.test_client()
    kiosk_page = browser.get("/kiosk")
    assert kiosk_page.status_code == 403
    assert "Pasangkan perangkat" in kiosk_page.get_data(as_text=True)
    token = CSRF_META.search(kiosk_page.get_data(as_text=True))[1]
    ticket = {"service_id": service_id("ktp")}
    refused = browser.post("/api/v1/tickets", json=ticket, headers={"X-CSRF-Token": token})
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "not_paired"
    assert browser.get("/api/v1/hall").status_code == 401
    assert browser.get("/").headers["Location"].startswith("/login")


def test_a_revoked_kiosk_is_refused_at_once_and_its_connections_dropped(
    app: Flask, client: FlaskClient, admin: FlaskClient
) -> None:
    kiosk = db.session.scalars(select(Device).where(Device.code == "K1")).one()
    with app.app_context():
        screen = socketio.test_client(
            app,
            namespace="/live",
            headers={"X-Device-Token": client.environ_base["HTTP_X_DEVICE_TOKEN"]},
        )
        joined = screen.emit(
            "subscribe", {"rooms": [f"kiosk:{kiosk.id}"]}, namespace="/live", callback=True
        )
    assert joined["ok"] is True
    with app.app_context():
        agent = socketio.test_client(
            app, namespace="/agent", auth={"kiosk": "K1", "token": pair_device("K1")}
        )
    assert agent.is_connected("/agent")
    with app.app_context():
        assert client.get("/api/v1/hall").status_code == 200  # known in this process now

    with app.app_context():
        revoked = admin.post("/api/v1/devices/K1/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["paired"] is False
    with app.app_context():
        refused = client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "not_paired"
    assert not screen.is_connected("/live") and not agent.is_connected("/agent")


@pytest.mark.parametrize("body", [{}, {"kiosk": "K1"}], ids=["no-print", "print-here"])
def test_a_kiosk_revoked_behind_the_servers_back_takes_no_ticket_then_is_refused(
    app: Flask, client: FlaskClient, body: dict
) -> None:
    """As `antre device revoke` or another server process revokes it: this process may know the
    kiosk for a few more seconds, but its next ticket is refused, and from then on everything."""

    def hall() -> int:
        with app.app_context():  # a request's own context, as when served
            return client.get("/api/v1/hall").status_code

    assert hall() == 200  # the kiosk's token is known in this process now
    devices.revoke_device(db.session, "K1")
    assert hall() == 200  # for up to ANTRE_RECHECK_S

    with app.app_context():
        refused = client.post("/api/v1/tickets", json={"service_id": service_id("ktp"), **body})
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "not_paired"
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
    assert hall() == 401


def test_a_kiosk_prints_and_reprints_only_at_itself(app: Flask, client: FlaskClient) -> None:
    ktp = service_id("ktp")
    elsewhere = client.post("/api/v1/tickets", json={"service_id": ktp, "kiosk": "K2"})
    assert elsewhere.status_code == 403 and elsewhere.get_json()["error"]["code"] == "wrong_device"
    assert client.get("/api/v1/kiosks/K2").status_code == 403
    mine = client.post("/api/v1/tickets", json={"service_id": ktp, "kiosk": "K1"}).get_json()
    assert client.post(f"/api/v1/tickets/{mine['id']}/reprint", json={}).status_code == 200
    other_kiosk = app.test_client()
    other_kiosk.environ_base["HTTP_X_DEVICE_TOKEN"] = pair_device("K2")
    stolen = other_kiosk.post(f"/api/v1/tickets/{mine['id']}/reprint", json={"kiosk": "K2"})
    assert stolen.status_code == 404  # another visitor's QR code is not printed elsewhere


@pytest.fixture
def limited_app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'antre.sqlite3'}",
            "ANTRE_PUBLISHER": RecordingPublisher(),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ANTRE_ISSUE_LIMIT_KIOSK": "4 per minute",
            "ANTRE_ISSUE_LIMIT_ADDRESS": "6 per minute",
            "ANTRE_PAIR_LIMIT": "2 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, read_hall_file(TEST_HALL))
        yield app
        db.session.remove()
        db.engine.dispose()


def test_issuing_is_rate_limited_per_kiosk_and_per_address(limited_app: Flask) -> None:
    k1, k2 = limited_app.test_client(), limited_app.test_client()
    k1.environ_base["HTTP_X_DEVICE_TOKEN"] = pair_device("K1")
    k2.environ_base["HTTP_X_DEVICE_TOKEN"] = pair_device("K2")
    ticket = {"service_id": service_id("ktp")}
    assert [k1.post("/api/v1/tickets", json=ticket).status_code for _ in range(4)] == [201] * 4
    too_many = k1.post("/api/v1/tickets", json=ticket)
    assert too_many.status_code == 429 and too_many.get_json()["error"] == {
        "code": "too_many_tickets",
        "message": "Terlalu banyak nomor diambil di kios ini. Tunggu sebentar lalu coba lagi.",
    }
    assert 1 <= int(too_many.headers["Retry-After"]) <= 60
    assert [k2.post("/api/v1/tickets", json=ticket).status_code for _ in range(2)] == [201] * 2
    same_address = k2.post("/api/v1/tickets?lang=en", json=ticket)
    assert same_address.status_code == 429
    assert same_address.get_json()["error"]["message"].startswith("Too many tickets taken from")
    elsewhere = k2.post("/api/v1/tickets", json=ticket, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 201


def test_guessing_pairing_codes_is_rate_limited(limited_app: Flask) -> None:
    guesser = limited_app.test_client()
    answers = [
        guesser.post("/api/v1/devices/pair", json={"code": f"AAAA-AAA{n}"}).status_code
        for n in (2, 3, 4)
    ]
    assert answers == [403, 403, 429]


def test_a_request_with_a_cookie_needs_the_pages_csrf_token(app: Flask, admin: FlaskClient) -> None:
    create_user(db.session, "budi", "Budi", OFFICER_PASSWORD, "officer", system_clock())
    officer = app.test_client()
    with app.app_context():
        officer.post("/api/v1/session", json={"username": "budi", "password": OFFICER_PASSWORD})
        forged = officer.post(f"/api/v1/counters/{counter_id('L1')}/open")
    assert forged.status_code == 403 and forged.get_json()["error"]["code"] == "csrf_failed"
    with app.app_context():
        page = officer.get("/counter").get_data(as_text=True)
        token = CSRF_META.search(page)[1]
        opened = officer.post(
            f"/api/v1/counters/{counter_id('L1')}/open", headers={"X-CSRF-Token": token}
        )
    assert opened.status_code == 200

    kiosk = pair_in_browser(app, admin.post("/api/v1/devices/K2/pairing").get_json()["url"])
    ticket = {"service_id": service_id("ktp")}
    with app.app_context():
        assert kiosk.post("/api/v1/tickets", json=ticket).status_code == 403
        token = CSRF_META.search(kiosk.get("/kiosk").get_data(as_text=True))[1]
        taken = kiosk.post("/api/v1/tickets", json=ticket, headers={"X-CSRF-Token": token})
    assert taken.status_code == 201


def test_every_answer_carries_the_security_headers(app: Flask, client: FlaskClient) -> None:
    for path in ("/kiosk", "/login", "/api/v1/hall", "/static/api.js", "/healthz"):
        answer = client.get(path)
        headers = answer.headers
        answer.close()
        policy = dict(
            part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
        )
        assert (
            policy["script-src"] == "'self'" and "unsafe" not in headers["Content-Security-Policy"]
        )
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert policy["base-uri"] == "'self'"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookies_are_http_only_lax_and_secure_when_asked(tmp_path: Path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'antre.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ANTRE_SECURE_COOKIES": True,
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, read_hall_file(TEST_HALL))
        create_user(db.session, "budi", "Budi", OFFICER_PASSWORD, "officer", system_clock())
        answer = app.test_client().post(
            "/api/v1/session", json={"username": "budi", "password": OFFICER_PASSWORD}
        )
        cookie = answer.headers["Set-Cookie"]
        db.engine.dispose()
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


TEMPLATES = Path(__file__).resolve().parents[2]


def test_no_page_has_inline_script_style_or_event_handler() -> None:
    """The CSP forbids them: every script is a file, every style is in a stylesheet."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    pages = [
        path
        for folder in ("server", "kiosk", "counter", "display", "manager")
        for path in (TEMPLATES / folder).rglob("templates/**/*.html")
    ]
    assert len(pages) >= 8
    offending = [str(page) for page in pages if inline.search(page.read_text())]
    assert not offending, offending


def test_the_cli_registers_pairs_lists_and_revokes_devices(app: Flask) -> None:
    runner = app.test_cli_runner()
    added = runner.invoke(args=["device", "add", "display", "D7", "--name", "TV Lantai 3"])
    assert added.exit_code == 0, added.output
    link = re.search(r"code (\S{4}-\S{4}), link (\S+)", added.output)
    assert link and link[2].endswith(f"/pair?code={link[1]}")
    paired = runner.invoke(args=["device", "pair", "K1", "K2"])
    assert paired.exit_code == 0 and paired.output.count("/pair?code=") == 2
    devices.redeem_pairing_code(db.session, Context(RecordingPublisher()), link[1])
    listing = runner.invoke(args=["device", "list"]).output
    assert re.search(r"D7\s+display\s+TV Lantai 3 \(paired\)", listing)
    revoked = runner.invoke(args=["device", "revoke", "D7"])
    assert revoked.exit_code == 0 and "revoked display D7" in revoked.output
    assert (
        "D7       display  TV Lantai 3 (not paired)"
        in runner.invoke(args=["device", "list"]).output
    )
    unknown = runner.invoke(args=["device", "pair", "K9"])
    assert unknown.exit_code != 0 and "Unknown device 'K9'" in unknown.output


def test_the_demo_prints_a_pairing_link_for_each_kiosk_and_display(tmp_path: Path) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "ANTRE_PUBLIC_URL": None,
        }
    )
    demo = app.test_cli_runner().invoke(args=["demo"])
    assert demo.exit_code == 0, demo.output
    for code in ("K1", "K2", "D1", "D2"):
        assert re.search(rf"^{code} \(.*link http://localhost:\d+/pair\?code=", demo.output, re.M)
    with app.app_context():
        assert db.session.scalars(select(User).where(User.username == "admin")).one()
        db.engine.dispose()
