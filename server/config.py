"""Settings read from the environment; `create_app(test_config)` may override any of them."""

from __future__ import annotations

import os
from pathlib import Path


def from_environment(instance_path: str) -> dict[str, object]:
    """Return the app settings named by `ANTRE_*` environment variables, with their defaults."""
    default_db = "sqlite:///" + str(Path(instance_path) / "antre.sqlite3")
    return {
        "SECRET_KEY": os.environ.get("ANTRE_SECRET_KEY", "dev-only-change-me"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("ANTRE_DATABASE_URL", default_db),
        "ANTRE_MESSAGE_QUEUE": os.environ.get("ANTRE_MESSAGE_QUEUE") or None,
        "ANTRE_MESSAGE_QUEUE_CHANNEL": os.environ.get("ANTRE_MESSAGE_QUEUE_CHANNEL", "antre"),
        "ANTRE_TIMEZONE": os.environ.get("ANTRE_TIMEZONE", "Asia/Jakarta"),
        "ANTRE_PUBLIC_URL": os.environ.get("ANTRE_PUBLIC_URL") or None,
        "ANTRE_DEFAULT_SERVICE_S": int(os.environ.get("ANTRE_DEFAULT_SERVICE_S", "300")),
        "ANTRE_RECALL_LIMIT": int(os.environ.get("ANTRE_RECALL_LIMIT", "3")),
        "ANTRE_STATE_INTERVAL_MS": int(os.environ.get("ANTRE_STATE_INTERVAL_MS", "1000")),
        "ANTRE_RECHECK_S": float(os.environ.get("ANTRE_RECHECK_S", "5")),
        "ANTRE_VOICE_PACK": os.environ.get("ANTRE_VOICE_PACK") or None,
        "ANTRE_SECURE_COOKIES": os.environ.get("ANTRE_SECURE_COOKIES", "").lower()
        in ("1", "true", "yes"),
        "ANTRE_PROXIES": int(os.environ.get("ANTRE_PROXIES", "0")),
        "ANTRE_ISSUE_LIMIT_KIOSK": os.environ.get("ANTRE_ISSUE_LIMIT_KIOSK", "30 per minute"),
        "ANTRE_ISSUE_LIMIT_ADDRESS": os.environ.get("ANTRE_ISSUE_LIMIT_ADDRESS", "60 per minute"),
        "ANTRE_PAIR_LIMIT": os.environ.get("ANTRE_PAIR_LIMIT", "10 per minute"),
        "ANTRE_RATELIMIT_STORAGE": os.environ.get("ANTRE_RATELIMIT_STORAGE") or None,
    }
