"""Durations as people type them: 90, 90s, 1.5, 5m, 2h, 1h30m, 1d."""

from __future__ import annotations

import re

_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"
# A bare number is seconds. float() alone would also take '1e9', '1_000', 'inf' and '٣'
# (any Unicode digit), which are not in the documented grammar.
_BARE = re.compile(_NUMBER, re.ASCII)
_PART = re.compile(rf"({_NUMBER})(ms|d|h|m|s)", re.ASCII)
_FORMS = "try 90, 90s, 1.5, 5m, 2h or 1h30m"


def parse_duration(text: str) -> float:
    """Seconds in `text`; a bare number is seconds. ValueError with a readable reason."""
    value = text.strip().lower()
    if not value:
        raise ValueError(f"empty duration ({_FORMS})")
    if value.startswith("-") and _is_duration(value[1:]):
        raise ValueError(f"{text!r} is negative")
    seconds = float(value) if _BARE.fullmatch(value) else _parse_units(text, value)
    if seconds == float("inf"):
        raise ValueError(f"{text!r} is too long a duration")
    return seconds


def _is_duration(value: str) -> bool:
    try:
        parse_duration(value)
    except ValueError:
        return False
    return True


def _parse_units(text: str, value: str) -> float:
    position, total = 0, 0.0
    for match in _PART.finditer(value):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(value) or position == 0:
        raise ValueError(f"{text!r} is not a duration ({_FORMS})")
    return total


def duration_text(seconds: float) -> str:
    """The shortest text parse_duration reads back as `seconds`: 600 -> '10m', 5400 -> '1h30m',
    15 -> '15s', 0 -> '0', 0.5 -> '0.5s' (an option's default, as its help shows it)."""
    if seconds == 0:
        return "0"
    whole = int(seconds)
    if whole != seconds:
        return f"{seconds:g}s"
    parts = []
    for unit in ("d", "h", "m", "s"):
        count, whole = divmod(whole, int(_UNITS[unit]))
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
