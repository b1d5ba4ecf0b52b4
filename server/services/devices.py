"""Paired devices: an admin registers a kiosk or display and hands it a one-time pairing code;
the device redeems it for a token it keeps (a cookie in its browser, a header for its print
agent). Revoking a device deletes its tokens and its code at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, bindparam, delete, func, select
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.errors import DomainError, InvalidInput, NotFound
from server.domain.pairing import DEVICE_KINDS, new_pairing_code, normalize_code, secret_hash
from server.models import Device, DeviceToken
from server.services.context import Context
from server.services.presenters import iso

PAIRING_VALID = timedelta(hours=24)
TOKEN_LABELS = ("browser", "agent", "local_agent")
MAX_CODE = 32


class NotPaired(DomainError):
    """Only a paired device may do this."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            "not_paired",
            "Perangkat ini belum dipasangkan. Minta tautan pemasangan ke admin.",
            "This device is not paired. Ask the admin for a pairing link.",
        )


class PairingRefused(DomainError):
    """The pairing code is wrong, used or expired."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "pairing_refused",
            "Kode pemasangan salah, sudah dipakai atau kedaluwarsa. Minta kode baru ke admin.",
            "The pairing code is wrong, already used or expired. Ask the admin for a new one.",
        )


@dataclass(frozen=True)
class Pairing:
    """A one-time code, shown once to the admin, and when it stops working."""

    device: Device
    code: str
    expires_at: datetime


def add_device(session: Session, kind: str, code: str, name: str | None = None) -> Device:
    """Register a kiosk or display (or rename one); its code is how the hall file names it."""
    if kind not in DEVICE_KINDS:
        raise InvalidInput(
            "invalid_kind", "Jenis perangkat: kiosk atau display.", "kind: kiosk or display."
        )
    code = code.strip()
    if not code or len(code) > MAX_CODE or not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(
            "invalid_code",
            "Kode perangkat: huruf, angka, - atau _ (maks. 32).",
            "Device code: letters, digits, - or _ (at most 32).",
        )
    with write_transaction(session):
        device = session.scalars(select(Device).where(Device.code == code)).first()
        if device is not None and device.kind != kind:
            raise InvalidInput(
                "device_exists",
                f"Kode {code} sudah dipakai perangkat jenis {device.kind}.",
                f"Code {code} already names a {device.kind}.",
            )
        device = device or Device(code=code, kind=kind, name=name or code)
        if name:
            device.name = name
        session.add(device)
    return device


def start_pairing(
    session: Session, ctx: Context, code: str, valid_for: timedelta = PAIRING_VALID
) -> Pairing:
    """A new one-time code for a device; an earlier unused code stops working."""
    pairing_code = new_pairing_code(secrets.choice)
    with write_transaction(session):
        device = device_by_code(session, code)
        device.pairing_code_hash = secret_hash(pairing_code)
        device.pairing_expires_at = ctx.now() + valid_for
    return Pairing(device, pairing_code, device.pairing_expires_at)


def redeem_pairing_code(
    session: Session, ctx: Context, typed: Any, label: str = "browser"
) -> tuple[Device, str]:
    """Exchange a valid one-time code for a new device token (returned once, stored hashed)."""
    code = normalize_code(typed) if isinstance(typed, str) else None
    if code is None:
        raise PairingRefused()
    with write_transaction(session):
        device = session.scalars(
            select(Device).where(Device.pairing_code_hash == secret_hash(code))
        ).first()
        expires = device.pairing_expires_at if device else None
        if device is None or expires is None or expires <= ctx.now():
            raise PairingRefused()
        device.pairing_code_hash = device.pairing_expires_at = None
        token = _add_token(session, ctx, device, label)
    return device, token


def issue_token(session: Session, ctx: Context, code: str, label: str) -> str:
    """A token for a device without a pairing code, for the server's own in-process agent;
    that agent's earlier tokens are dropped."""
    with write_transaction(session):
        device = device_by_code(session, code)
        session.execute(
            delete(DeviceToken).where(
                DeviceToken.device_id == device.id, DeviceToken.label == label
            )
        )
        return _add_token(session, ctx, device, label)


def revoke_device(session: Session, code: str) -> Device:
    """Unpair a device now: its tokens and any pending code stop working."""
    with write_transaction(session):
        device = device_by_code(session, code)
        session.execute(delete(DeviceToken).where(DeviceToken.device_id == device.id))
        device.pairing_code_hash = device.pairing_expires_at = None
    return device


@dataclass(frozen=True)
class PairedDevice:
    """A paired device as its requests show it: which one it is, from the token it holds."""

    id: int
    kind: str
    code: str
    name: str


def _holding_token(*columns: Any) -> Select[Any]:
    """A statement prepared once: columns of the device holding the token `token_hash`."""
    return (
        select(*columns)
        .join(DeviceToken, DeviceToken.device_id == Device.id)
        .where(DeviceToken.token_hash == bindparam("token_hash"))
    )


DEVICE_BY_TOKEN = _holding_token(Device.id, Device.kind, Device.code, Device.name)
KIOSK_BY_TOKEN = _holding_token(Device.id, Device.kind, Device.code, Device.agent_connected_at)


def device_for_token(session: Session, token: str | None) -> PairedDevice | None:
    """The paired device holding this token, or None (its columns only: no ORM object)."""
    if not token or len(token) > 128:
        return None
    params = {"token_hash": secret_hash(token)}
    row = session.connection().execute(DEVICE_BY_TOKEN, params).first()
    return None if row is None else PairedDevice(*row)


def kiosk_for_token(session: Session, token: str) -> Row[Any]:
    """The kiosk holding this token as a ticket's print job needs it (`id`, `code`,
    `agent_connected_at`), read in the caller's transaction; `NotPaired` when it holds none."""
    params = {"token_hash": secret_hash(token)}
    kiosk = session.connection().execute(KIOSK_BY_TOKEN, params).first()
    if kiosk is None or kiosk.kind != "kiosk":
        raise NotPaired()
    return kiosk


def live_token_hashes(session: Session, hashes: set[str]) -> set[str]:
    """Which of these token hashes still belong to a paired device."""
    if not hashes:
        return set()
    rows = session.scalars(select(DeviceToken.token_hash).where(DeviceToken.token_hash.in_(hashes)))
    return set(rows)


def device_by_code(session: Session, code: Any) -> Device:
    """The device with this code, or a clear 404."""
    device = session.scalars(select(Device).where(Device.code == str(code))).first()
    if device is None:
        raise NotFound(
            "device_not_found", f"Perangkat '{code}' tidak dikenal.", f"Unknown device '{code}'."
        )
    return device


def list_devices(session: Session, ctx: Context) -> list[dict[str, Any]]:
    """Every device with whether it is paired and whether a code waits to be used."""
    tokens = dict(
        session.execute(
            select(DeviceToken.device_id, func.count()).group_by(DeviceToken.device_id)
        ).all()
    )
    devices = session.scalars(select(Device).order_by(Device.kind, Device.code))
    return [device_json(device, ctx, tokens.get(device.id, 0)) for device in devices]


def device_json(device: Device, ctx: Context, tokens: int | None = None) -> dict[str, Any]:
    """A device as the admin sees it (never a code or token)."""
    waiting = device.pairing_expires_at is not None and device.pairing_expires_at > ctx.now()
    return {
        "id": device.id,
        "code": device.code,
        "kind": device.kind,
        "name": device.name,
        "paired": None if tokens is None else tokens > 0,
        "tokens": tokens,
        "pairing_expires_at": iso(device.pairing_expires_at, ctx) if waiting else None,
    }


def pairing_json(pairing: Pairing, ctx: Context) -> dict[str, Any]:
    """A new pairing code with its link, shown once to the admin."""
    return {
        "device": device_json(pairing.device, ctx),
        "code": pairing.code,
        "url": pairing_url(ctx, pairing.code),
        "expires_at": iso(pairing.expires_at, ctx),
    }


def pairing_url(ctx: Context, code: str) -> str:
    """The link that pairs the browser that opens it."""
    return f"{ctx.public_url.rstrip('/')}/pair?code={code}"


def _add_token(session: Session, ctx: Context, device: Device, label: str) -> str:
    if label not in TOKEN_LABELS:
        raise InvalidInput("invalid_label", "Label token tidak dikenal.", "Unknown token label.")
    token = secrets.token_urlsafe(32)
    session.add(
        DeviceToken(
            device_id=device.id, token_hash=secret_hash(token), label=label, created_at=ctx.now()
        )
    )
    return token
