"""Every request the emulator answers: in memory for tests, and as JSON lines in a file."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import IO, Any


class RequestLog:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []
        self._file: IO[str] | None = None

    def open(self) -> None:
        """Opens the file for appending, so a restarted emulator keeps adding to it."""
        with self._lock:
            if self.path is not None and self._file is None:
                self._file = self.path.open("a", encoding="utf-8")

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)
            if self._file is not None:
                self._file.write(json.dumps(entry, separators=(",", ":")) + "\n")
                self._file.flush()  # readers (tests, tail -f) see each request at once

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
