"""Fixtures for use-case tests: a clock moved by hand and the context that uses it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from server.services.context import Context
from server.services.publisher import RecordingPublisher


class Clock:
    """A clock the test moves by hand; it starts on Monday 23 November 2026, 09:00 WIB."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(app: Flask, publisher: RecordingPublisher, clock: Clock) -> Context:
    return Context(
        publisher=publisher,
        clock=clock,
        zone=ZoneInfo("Asia/Jakarta"),
        public_url="http://hall.test",
    )
