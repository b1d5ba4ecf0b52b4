"""Hall-wide settings stored in the database (loaded from the hall file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.models import Setting

SETTINGS = select(Setting.key, Setting.value).where(
    Setting.key.in_(bindparam("keys", expanding=True))
)


def setting(session: Session, key: str, default: Any = None) -> Any:
    """One hall-wide setting, or `default` when it was never set."""
    return settings(session, {key: default})[key]


def settings(session: Session, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Several hall-wide settings in one read: each key's value, or its default when never set."""
    rows = session.execute(SETTINGS, {"keys": list(defaults)})
    found = {key: value for key, value in rows}
    return {key: found.get(key, default) for key, default in defaults.items()}
