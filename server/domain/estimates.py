"""How long a visitor can expect to wait."""

from __future__ import annotations

from statistics import fmean


def mean_service_seconds(recent_durations_s: list[float], default_s: float) -> float:
    """Mean of recent service durations, or the configured default when there are none yet."""
    usable = [duration for duration in recent_durations_s if duration > 0]
    return fmean(usable) if usable else default_s


def estimate_wait_s(ahead: int, mean_service_s: float, open_counters: int) -> int | None:
    """Seconds until a visitor with `ahead` people in front is called; None when nobody serves."""
    if ahead < 0:
        raise ValueError("people ahead cannot be negative")
    if open_counters <= 0:
        return None
    return round(ahead * mean_service_s / open_counters)
