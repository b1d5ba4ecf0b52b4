"""Hall-wide settings stored in the database (loaded from the hall file)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.models import Setting


def setting(session: Session, key: str, default: Any = None) -> Any:
    """One hall-wide setting, or `default` when it was never set."""
    row = session.get(Setting, key)
    return default if row is None else row.value
