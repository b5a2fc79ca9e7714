"""Durations as people type them: 90, 90s, 1.5, 5m, 2h, 1h30m, 1d."""

from __future__ import annotations

import re

_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)(ms|d|h|m|s)")


def parse_duration(text: str) -> float:
    """Seconds in `text`; a bare number is seconds. ValueError with a readable reason."""
    value = text.strip().lower()
    if not value:
        raise ValueError("empty duration")
    try:
        seconds = float(value)
    except ValueError:
        seconds = _parse_units(text, value)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a duration")
    if seconds < 0:
        raise ValueError(f"{text!r} is negative")
    return seconds


def _parse_units(text: str, value: str) -> float:
    position, total = 0, 0.0
    for match in _PART.finditer(value):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(value) or position == 0:
        raise ValueError(f"{text!r} is not a duration (try 90, 90s, 5m, 2h or 1h30m)")
    return total
