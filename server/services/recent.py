"""Who was recently checked: what a process read of a device or a signed-in officer, kept for a
few seconds so that their every request does not read it again.

A change made through the same process forgets at once (`forget`); one made elsewhere (the
command line, another server process) is seen within `fresh_s`. Only what was found is kept, so
a token or an account that appears is seen at once, and unknown keys take no memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class Recent(Generic[Key, Value]):
    """Values read within the last `fresh_s` seconds (0 keeps nothing), at most `limit` of them."""

    def __init__(
        self, fresh_s: float, clock: Callable[[], float] = time.monotonic, limit: int = 10_000
    ) -> None:
        self.fresh_s, self.clock, self.limit = fresh_s, clock, limit
        self.seen: dict[Key, tuple[float, Value]] = {}

    def get(self, key: Key, read: Callable[[], Value | None]) -> Value | None:
        """The value kept for `key` while fresh, else what `read()` finds now."""
        now = self.clock()
        known = self.seen.get(key)
        if known is not None and now - known[0] < self.fresh_s:
            return known[1]
        value = read()
        if value is None or self.fresh_s <= 0:
            self.seen.pop(key, None)
            return value
        if len(self.seen) >= self.limit:
            self.seen.clear()  # a bound that a hall's own devices and staff never reach
        self.seen[key] = (now, value)
        return value

    def forget(self, key: Key | None = None) -> None:
        """Read `key` (or every key) again next time."""
        if key is None:
            self.seen.clear()
        else:
            self.seen.pop(key, None)
