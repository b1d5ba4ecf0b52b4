"""Who is asking: signed-in staff (the session cookie) and paired devices (a device cookie in a
kiosk's or display's browser, the `X-Device-Token` header for print agents and scripts).

`allow(roles=..., devices=...)` guards a view: staff with one of the roles, or a paired device of
one of the kinds, get through; anyone else is refused with 401 (not signed in, not paired) or 403
(wrong role, wrong kind of device). A device page refused shows how to pair the device.
A server process keeps each device it has checked for `ANTRE_RECHECK_S` seconds
(`Recent`), so that a kiosk's or display's requests do not each read its token again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, render_template, request
from flask_login import current_user

from server.domain.errors import DomainError
from server.extensions import db
from server.services.devices import NotPaired, PairedDevice, device_for_token
from server.services.recent import Recent
from server.web.auth import Forbidden, NotSignedIn, sign_in_first

DEVICE_HEADER = "X-Device-Token"
DEVICE_COOKIES = {"kiosk": "antre_kiosk", "display": "antre_display"}
ALL_DEVICES = tuple(DEVICE_COOKIES)
RECENT_DEVICES = "antre_recent_devices"
View = TypeVar("View", bound=Callable[..., Any])


class WrongDevice(DomainError):
    """A paired device of another kind, or another kiosk."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "wrong_device",
            "Perangkat ini tidak boleh melakukan ini.",
            "This device may not do this.",
        )


def init_app(app: Flask) -> None:
    """Keep the devices whose tokens were checked for `ANTRE_RECHECK_S` seconds."""
    app.extensions[RECENT_DEVICES] = Recent(app.config["ANTRE_RECHECK_S"])


def recent_devices() -> Recent[str, PairedDevice]:
    """This process's recently checked device tokens."""
    return cast(Recent[str, PairedDevice], current_app.extensions[RECENT_DEVICES])


def request_device(*kinds: str) -> PairedDevice | None:
    """The paired device making this request, of one of `kinds` (of any kind when none given);
    `g.antre_device_token` is then the token it showed."""
    wanted = kinds or ALL_DEVICES
    offered = [(request.headers.get(DEVICE_HEADER), wanted)]
    offered += [(request.cookies.get(DEVICE_COOKIES[kind]), (kind,)) for kind in wanted]
    for token, kinds_here in offered:
        device = _device(token)
        if device is not None and device.kind in kinds_here:
            g.antre_device_token = token
            return device
    return None


def _device(token: str | None) -> PairedDevice | None:
    if not token:
        return None
    known: dict[str, PairedDevice | None] = g.setdefault("antre_devices", {})
    if token not in known:
        known[token] = recent_devices().get(token, lambda: device_for_token(db.session, token))
    return known[token]


def staff_role() -> str | None:
    """The signed-in staff member's role, or None."""
    return current_user.role if current_user.is_authenticated else None


def has_cookie_credentials() -> bool:
    """Whether a browser could have sent this request's authority on its own: a cookie."""
    names = (current_app.config["SESSION_COOKIE_NAME"], *DEVICE_COOKIES.values())
    return any(name in request.cookies for name in names)


def allow(*, roles: tuple[str, ...] = (), devices: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Let through staff with one of `roles` and paired devices of one of the `devices` kinds."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if staff_role() in roles or (devices and request_device(*devices)):
                return view(*args, **kwargs)
            return refuse(roles, devices)

        return cast(View, guarded)

    return decorate


def refuse(roles: tuple[str, ...], kinds: tuple[str, ...]) -> Any:
    """Refuse the request, saying why: sign in, pair, or not for this role or device."""
    page = not request.path.startswith("/api/")
    if page and kinds:
        return unpaired_page()
    if staff_role() is not None:
        raise Forbidden(
            "forbidden", "Peran Anda tidak diizinkan untuk ini.", "Your role may not do this."
        )
    if page:
        return sign_in_first()
    if kinds and request_device() is not None:
        raise WrongDevice()
    if kinds:
        raise NotPaired()
    raise NotSignedIn("not_signed_in", "Silakan masuk dulu.", "Please sign in first.")


def unpaired_page() -> tuple[str, int]:
    """A kiosk or display page for a browser that is not paired as one: how to pair it."""
    return render_template("pair.html", code="", refused=True, paired_as=request_device()), 403
