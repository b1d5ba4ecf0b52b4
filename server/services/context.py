"""What a use case needs besides its database session: a clock, a publisher, the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from server.services.publisher import Publisher


def system_clock() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """The clock, publisher and settings a use case runs with."""

    publisher: Publisher
    clock: Callable[[], datetime] = system_clock
    zone: tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    public_url: str = "http://localhost:5000"
    recall_limit: int = 3
    default_service_s: int = 300
    no_show_grace: timedelta = timedelta(minutes=30)

    def now(self) -> datetime:
        """The current instant from this context's clock."""
        return self.clock()

    def local(self, instant: datetime) -> datetime:
        """An instant in the hall's time zone."""
        return instant.astimezone(self.zone)

    def status_url(self, token: str) -> str:
        """The absolute URL of a ticket's public status page."""
        return f"{self.public_url.rstrip('/')}/t/{token}"
