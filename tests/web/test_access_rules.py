"""Every route and every Socket.IO handler has an access rule, and refuses everyone else.

`RULES` maps each endpoint of the app's URL map to who may use it; a route missing from it
fails `test_every_route_has_a_rule` (add the new route here, with its rule). Then each route is
called, with every method it has, by each kind of caller: anonymous, an officer, a manager, an
admin (signed in), a paired kiosk and a paired display. Those outside the rule must be refused
by the access rules themselves (401 or 403 with an access error code, a redirect to sign in, or
the page that says how to pair); those inside must not be. Socket.IO: `SOCKET_RULES` names each
handler of each namespace, and the room rules are walked the same way.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from server.extensions import db, socketio
from server.models import Device
from server.services.context import system_clock
from server.services.staff import create_user
from tests.conftest import OFFICER_PASSWORD, counter_id, pair_device, service_id, sign_in

STAFF = ("officer", "manager", "admin")
DEVICES = ("kiosk", "display")
CALLERS = ("anonymous", *STAFF, *DEVICES)
ACCESS_ERRORS = {"not_signed_in", "not_paired", "forbidden", "wrong_device"}


@dataclass(frozen=True)
class Rule:
    """Who may use a route; `why` says why a route is open to more than staff and devices."""

    allowed: frozenset[str]
    why: str = ""


def staff(*roles: str, devices: tuple[str, ...] = ()) -> Rule:
    """Signed-in staff with one of `roles`, and paired devices of the `devices` kinds."""
    return Rule(frozenset((*roles, *devices)))


def device(*kinds: str, roles: tuple[str, ...] = ()) -> Rule:
    """Paired devices of the `kinds`, and staff with one of `roles`."""
    return Rule(frozenset((*kinds, *roles)))


def public(why: str) -> Rule:
    """Anyone: only for what a visitor's phone, a sign-in or a pairing needs."""
    return Rule(frozenset(CALLERS), why)


TOKEN = public("by the ticket's unguessable token (its QR code)")
ASSETS = public("scripts, styles and icons of the pages")
COUNTER = ("officer", "admin")
MANAGERS = ("manager", "admin")

RULES: dict[str, Rule] = {
    # pages
    "pages.index": staff(*STAFF, devices=DEVICES),  # a device is sent on to its own screen
    "pages.login": public("the staff sign-in page"),
    "pages.healthz": public("health, for the load balancer and monitoring"),
    "pages.hall_logo": staff(*STAFF, devices=DEVICES),
    "pages.ticket_status": TOKEN,
    "pages.ticket_qr": TOKEN,
    "pages.vendor": ASSETS,
    "pages.static": ASSETS,
    "kiosk.static": ASSETS,
    "counter.static": ASSETS,
    "display.static": ASSETS,
    "manager.static": ASSETS,
    "kiosk.page": device("kiosk", roles=STAFF),
    "display.page": device("display", roles=STAFF),
    "counter.page": staff(*COUNTER),
    "counter.survey_tablet": staff(*COUNTER),
    "manager.page": staff(*MANAGERS),
    "manager.reports": staff(*MANAGERS),
    "devices.pair_page": public("a device's browser pairs itself with a one-time code"),
    "devices.pair_browser": public("a device's browser pairs itself with a one-time code"),
    # the API
    "api.get_hall": device(*DEVICES, roles=STAFF),
    "api.post_ticket": device("kiosk"),
    "api.get_ticket": TOKEN,
    "api.get_survey": TOKEN,
    "api.post_survey": TOKEN,
    "api.post_reprint": device("kiosk", roles=COUNTER),
    "api.post_ticket_action": staff(*COUNTER),
    "api.get_counter": staff(*STAFF),
    "api.post_call_next": staff(*COUNTER),
    "api.post_call_ticket": staff(*COUNTER),
    "api.post_counter_action": staff(*COUNTER),
    "api.get_kiosk": device("kiosk", roles=STAFF),
    "api.get_zone_snapshot": device("display", roles=STAFF),
    "audio.get_chime": device("display", roles=STAFF),
    "audio.get_call_audio": device("display", roles=STAFF),
    "session.sign_in": public("signing in"),
    "session.who_am_i": staff(*STAFF),
    "session.sign_out": public("signing out (of nothing, when not signed in)"),
    "dashboard_api.get_dashboard": staff(*MANAGERS),
    "manager_api.get_ikm_report": staff(*MANAGERS),
    "manager_api.get_export": staff(*MANAGERS),
    "manager_api.get_ikm_workbook": staff(*MANAGERS),
    "manager_api.get_performance_report": staff(*MANAGERS),
    "manager_api.get_performance_workbook": staff(*MANAGERS),
    "openapi.get_openapi": public("the API's description, which holds no hall data"),
    "devices.post_pairing_code": public("a print agent pairs itself with a one-time code"),
    "devices.get_devices": staff("admin"),
    "devices.post_device": staff("admin"),
    "devices.post_device_pairing": staff("admin"),
    "devices.post_device_revoke": staff("admin"),
}

PATH_VALUES = {  # a value for each path part, so that each route can be called
    "ticket_id": "1",
    "counter_id": "1",
    "zone_id": "1",
    "call_id": "1",
    "code": "K1",
    "what": "tickets",
    "kind": "csv",
    "name": "socket.io.esm.min.js",
    "filename": "api.js",
}
ENDPOINT_VALUES = {  # where one route needs other values
    "api.post_ticket_action": {"action": "recall"},
    "api.post_counter_action": {"action": "break"},
    "devices.post_device_pairing": {"code": "K2"},  # K1 is the caller kiosk: keep it paired
    "devices.post_device_revoke": {"code": "K2"},
    "kiosk.static": {"filename": "kiosk.js"},
    "counter.static": {"filename": "counter.js"},
    "display.static": {"filename": "display.js"},
    "manager.static": {"filename": "text.js"},
}
QUERY = {
    "manager_api.get_export": "?from=2026-11-23",
    "manager_api.get_ikm_report": "?from=2026-11-23",
    "manager_api.get_ikm_workbook": "?from=2026-11-23",
    "manager_api.get_performance_report": "?from=2026-11-23",
    "manager_api.get_performance_workbook": "?from=2026-11-23",
}


@pytest.fixture
def callers(app: Flask) -> dict[str, dict[str, Any]]:
    """How each kind of caller makes a request: its cookies and headers."""
    made: dict[str, dict[str, Any]] = {"anonymous": {}}
    for role in STAFF:
        create_user(db.session, role, role.title(), OFFICER_PASSWORD, role, system_clock())
        client = app.test_client()
        with app.app_context():  # its own `g`: Flask-WTF keeps the CSRF token there
            sign_in(client, role)
        made[role] = {
            "cookie": client.get_cookie("session").value,
            "headers": {"X-CSRF-Token": client.environ_base["HTTP_X_CSRF_TOKEN"]},
        }
    for kind, code in (("kiosk", "K1"), ("display", "D1")):
        made[kind] = {"headers": {"X-Device-Token": pair_device(code)}}
    return made


def client_of(app: Flask, caller: dict[str, Any]) -> FlaskClient:
    """A fresh test client that is `caller` (a signed-in session is copied, not signed in again)."""
    client = app.test_client()
    if "cookie" in caller:
        client.set_cookie("session", caller["cookie"])
    return client


def ticket_token(app: Flask, callers: dict[str, dict[str, Any]]) -> str:
    """A real ticket's token, for the routes that take one."""
    kiosk = client_of(app, callers["kiosk"])
    answer = kiosk.post(
        "/api/v1/tickets",
        json={"service_id": service_id("ktp")},
        headers=callers["kiosk"]["headers"],
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["token"]


def routes(app: Flask, token: str) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every route and method of the app; `token` is a ticket's."""
    adapter = app.url_map.bind("hall.test")
    known = {**PATH_VALUES, "token": token}
    found = []
    for rule in app.url_map.iter_rules():
        values = {name: known.get(name, "x") for name in rule.arguments}
        values.update(ENDPOINT_VALUES.get(rule.endpoint, {}))
        path = adapter.build(rule.endpoint, values) + QUERY.get(rule.endpoint, "")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path))
    return found


def refused_by_access_rules(answer: TestResponse) -> bool:
    """Whether the access rules (not the route's own checks) turned the caller away."""
    if answer.status_code in (302, 303):
        return "/login" in answer.headers["Location"]
    if answer.status_code not in (401, 403):
        return False
    if answer.is_json:
        return answer.get_json()["error"]["code"] in ACCESS_ERRORS
    return 'id="pair-refused"' in answer.get_data(as_text=True)


def test_every_route_has_a_rule(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - RULES.keys())
    assert not missing, f"routes without an access rule: {missing} — add each to RULES here"
    assert not sorted(RULES.keys() - endpoints), "RULES names routes that no longer exist"


def test_every_route_refuses_callers_outside_its_rule_and_lets_its_callers_in(
    app: Flask, callers: dict[str, dict[str, Any]]
) -> None:
    token = ticket_token(app, callers)
    wrongly: list[str] = []
    for endpoint, method, path in routes(app, token):
        rule = RULES[endpoint]
        for caller in CALLERS:
            if endpoint == "session.sign_out" and caller in STAFF:
                continue  # signing out works for anyone; it would end the copied session
            with app.app_context():  # a request's own `g`, as in a served app
                answer = client_of(app, callers[caller]).open(
                    path,
                    method=method,
                    json={} if method != "GET" else None,
                    headers=callers[caller].get("headers", {}),
                )
                refused = refused_by_access_rules(answer)
                answer.close()
            if refused == (caller in rule.allowed):
                verb = "refused" if refused else "let in"
                wrongly.append(f"{method} {path} {verb} {caller} ({answer.status_code})")
    assert not wrongly, "\n".join(wrongly)


def test_a_public_route_says_why_it_is_public() -> None:
    for endpoint, rule in RULES.items():
        if rule.allowed >= {"anonymous"}:
            assert rule.why, f"{endpoint} lets anyone in: say why in RULES"


# --- Socket.IO ---------------------------------------------------------------------------

SOCKET_RULES = {  # (namespace, event): who may use it
    ("/live", "connect"): "anyone: a status page follows its ticket; the rooms decide the rest",
    ("/live", "disconnect"): "anyone",
    ("/live", "subscribe"): "per room, see ROOMS",
    ("/agent", "connect"): "a paired kiosk's token only",
    ("/agent", "disconnect"): "a connected agent",
    ("/agent", "print_result"): "a connected agent (its connect checked the kiosk's token)",
    ("/agent", "printer_status"): "a connected agent (its connect checked the kiosk's token)",
}


def socket_handlers() -> set[tuple[str, str]]:
    """(namespace, event) of every Socket.IO handler the app registered."""
    found = {
        (namespace, event)
        for namespace, events in socketio.server.handlers.items()
        for event in events
    }
    for namespace, handler in socketio.server.namespace_handlers.items():
        for name, _method in inspect.getmembers(handler, inspect.ismethod):
            if name.startswith("on_"):
                found.add((namespace, name[3:]))
    return found


def test_every_socket_handler_has_a_rule(app: Flask) -> None:
    handlers = socket_handlers()
    missing = sorted(handlers - SOCKET_RULES.keys())
    assert not missing, f"Socket.IO handlers without a rule: {missing} — add them to SOCKET_RULES"
    assert not sorted(SOCKET_RULES.keys() - handlers), "SOCKET_RULES names gone handlers"


def live_socket(app: Flask, caller: dict[str, Any]) -> SocketIOTestClient:
    """A `/live` connection as `caller` (its session cookie, its device header)."""
    return socketio.test_client(
        app,
        namespace="/live",
        flask_test_client=client_of(app, caller),
        headers=caller.get("headers", {}),
    )


def rooms_and_callers(app: Flask, token: str) -> dict[str, set[str]]:
    """Each kind of room, and who may listen to it."""
    kiosks = dict(db.session.execute(select(Device.code, Device.id)).all())
    return {
        f"ticket:{token}": set(CALLERS),
        f"service:{service_id('ktp')}": set(CALLERS),
        "zone:1": {*STAFF, "display"},
        f"kiosk:{kiosks['K1']}": {*STAFF, "kiosk"},  # the kiosk K1 itself
        f"kiosk:{kiosks['K2']}": set(STAFF),  # not another kiosk's
        f"counter:{counter_id('L1')}": set(STAFF),
        "staff": set(STAFF),
    }


def test_each_room_refuses_listeners_outside_its_rule(
    app: Flask, callers: dict[str, dict[str, Any]]
) -> None:
    token = ticket_token(app, callers)
    wrongly = []
    for room, allowed in rooms_and_callers(app, token).items():
        for caller in CALLERS:
            with app.app_context():  # each event its own `g`, as when served
                socket = live_socket(app, callers[caller])
                answer = socket.emit(
                    "subscribe", {"rooms": [room]}, namespace="/live", callback=True
                )
                socket.disconnect(namespace="/live")
            if answer["ok"] != (caller in allowed):
                wrongly.append(f"{room}: {caller} {'joined' if answer['ok'] else 'refused'}")
    assert not wrongly, "\n".join(wrongly)


def test_a_subscription_with_one_forbidden_room_joins_none(
    app: Flask, callers: dict[str, dict[str, Any]]
) -> None:
    with app.app_context():
        socket = live_socket(app, callers["display"])
        answer = socket.emit(
            "subscribe", {"rooms": ["zone:1", "staff"]}, namespace="/live", callback=True
        )
    assert answer == {"ok": False, "error": "not allowed: ['staff']", "refused": ["staff"]}


@pytest.mark.parametrize(
    ("who", "auth", "connects"),
    [
        ("nobody", None, False),
        ("a kiosk code without a token", {"kiosk": "K1"}, False),
        ("a made-up token", {"kiosk": "K1", "token": "not-a-token"}, False),
        ("the display's token", {"kiosk": "K1", "token": "D1"}, False),
        ("K1's token claiming K2", {"kiosk": "K2", "token": "K1"}, False),
        ("K1's token", {"kiosk": "K1", "token": "K1"}, True),
    ],
)
def test_only_a_paired_kiosk_connects_a_print_agent(
    app: Flask, who: str, auth: dict[str, str] | None, connects: bool
) -> None:
    if auth is not None and auth.get("token") in ("K1", "D1"):
        auth = {**auth, "token": pair_device(auth["token"])}
    with app.app_context():
        agent = socketio.test_client(app, namespace="/agent", auth=auth)
        assert agent.is_connected("/agent") is connects, who
        if connects:
            agent.disconnect(namespace="/agent")
