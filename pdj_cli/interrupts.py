"""Ctrl-C and SIGTERM: the first ends pdj cleanly, a repeat never interrupts that ending.

The first SIGINT raises KeyboardInterrupt and the first SIGTERM raises `Terminated` (a
KeyboardInterrupt that exits 143) in the main thread, so every command ends either way as it
ends on Ctrl-C: the last status, the records so far. A second signal while pdj is ending is
ignored (a traceback from the middle of the cleanup helps nobody); a third ends the process at
once, for a shutdown that hangs. Only handlers still at Python's defaults are replaced: a
signal ignored by the parent (`nohup`, a background job) stays ignored.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from pdj_cli.errors import ExitCode, Terminated

_HARD_EXIT_AFTER = 3  # signals received: the third one does not wait for the cleanup


class _Handler:
    def __init__(self) -> None:
        self.received = 0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.received += 1
        terminated = signum == signal.SIGTERM
        if self.received >= _HARD_EXIT_AFTER:
            os._exit(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)
        if self.received == 1:
            raise Terminated() if terminated else KeyboardInterrupt()


def install() -> Callable[[], None]:
    """Install the handlers; the function that puts the previous ones back (for in-process
    callers, such as tests). Once a signal has arrived, both are ignored from then on: pdj has
    printed what it had and is ending (the interpreter would put back the defaults for its
    last moments, where a repeated Ctrl-C would kill it instead of letting it end)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    handler = _Handler()
    previous: dict[int, object] = {}
    for signum, default in (
        (signal.SIGINT, signal.default_int_handler),
        (signal.SIGTERM, signal.SIG_DFL),
    ):
        current = signal.getsignal(signum)
        if current is default:
            previous[signum] = signal.signal(signum, handler)

    def restore() -> None:
        for signum, old in previous.items():
            if handler.received:
                old = signal.SIG_IGN
            signal.signal(signum, old)  # type: ignore[arg-type]

    return restore
