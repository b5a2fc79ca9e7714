"""Counting a service's HTTP requests by operation, for the last line of `--debug`."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class RequestCounter:
    """Counts HTTP requests by operation, retries included, through botocore's events.

    Registered on the session before any client exists, every client inherits the handler.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_operation: Counter[str] = Counter()

    def attach(self, session: Any) -> None:
        session.register("before-send.personalize", self._on_send)

    def _on_send(self, event_name: str = "", **_: Any) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        with self._lock:
            self.by_operation[operation] += 1

    def summary(self) -> str:
        with self._lock:
            parts = ", ".join(f"{op} {count}" for op, count in sorted(self.by_operation.items()))
            total = sum(self.by_operation.values())
        return f"{total} requests" + (f" ({parts})" if parts else "")
