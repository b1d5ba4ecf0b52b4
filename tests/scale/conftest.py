"""Fixtures for scale-out tests: Redis as the Socket.IO message queue, next to PostgreSQL."""

from __future__ import annotations

import os
import secrets

import pytest

from tests.conftest import require

REDIS_URL = os.environ.get("ANTRE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_available() -> str | None:
    """None when the test Redis answers, else why not."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.close()
    except Exception as error:  # noqa: BLE001 - any failure means: not here
        return f"Redis is not reachable at {REDIS_URL}: {error.__class__.__name__}"
    return None


@pytest.fixture
def message_queue() -> dict[str, str]:
    """Server settings for Redis as the message queue, on a channel of this test's own (Redis
    channels are shared by every database number, and other test runs may use the same Redis)."""
    reason = redis_available()
    require(reason is None, reason or "")
    return {
        "ANTRE_MESSAGE_QUEUE": REDIS_URL,
        "ANTRE_MESSAGE_QUEUE_CHANNEL": f"antre-test-{secrets.token_hex(6)}",
    }
