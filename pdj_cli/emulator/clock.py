"""Clocks: the emulator reads monotonic seconds from a callable so tests can drive time."""

from __future__ import annotations

import threading


class ManualClock:
    """A clock that moves only when told to: `clock.advance(30)`.

    Pass it as `Emulator(clock=clock)`; job timelines then advance without real sleeping.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        with self._lock:
            self._now += seconds
            return self._now
