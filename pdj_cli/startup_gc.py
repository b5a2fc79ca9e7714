"""Start-up without the cyclic garbage collector.

Start-up creates some 75,000 objects that the collector tracks, most of which live as long as
the process: modules, classes, botocore's models and its 1.2 MB of endpoint data. With the
collector on, CPython walks them again at every full collection that the allocations trigger,
and once more at exit, and finds little to free. So the console script pauses the collector as
it starts, and `started()` runs once the long-lived objects exist: when the first client is made
(service.py), or when a long-running command that makes no client begins (emulator, demo). It
freezes them, which moves them out of the collector's sight (the collection at exit included),
and turns the collector back on, so that a watch of several hours or a batch of 100,000 ARNs
collects its garbage as usual. About 70 ms of a 0.3 s `pdj describe` on the benchmark machine
(benchmarks/README.md, levers section 7). A command that never gets that far (help, version,
completion, bad input) exits before the pause could matter; while the collector is off,
reference counting still frees everything but reference cycles.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> bool:
    """Turn the collector off for start-up; True if this call turned it off."""
    global _paused
    if not gc.isenabled():
        return False
    gc.disable()
    _paused = True
    return True


def started() -> None:
    """Start-up is over: keep what it built out of the collector's way, and collect again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def resume() -> None:
    """Turn the collector back on if start-up paused it (the console script's way out)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
