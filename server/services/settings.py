"""Hall-wide settings stored in the database (loaded from the hall file)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.models import Setting

SETTING = select(Setting.value).where(Setting.key == bindparam("key"))


def setting(session: Session, key: str, default: Any = None) -> Any:
    """One hall-wide setting, or `default` when it was never set."""
    row = session.execute(SETTING, {"key": key}).first()
    return default if row is None else row.value
