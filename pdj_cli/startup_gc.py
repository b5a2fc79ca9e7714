"""Start-up without the cyclic garbage collector.

Start-up creates some 75,000 objects that the collector tracks, most of which live as long as
the process: modules, classes, botocore's models and its 1.2 MB of endpoint data. With the
collector on, CPython walks them again at every full collection that the allocations trigger,
and once more at exit, and finds little to free. So the console script (pdj_cli.entry) pauses
the collector as it starts. A command marked long-running in the command table (pdj_cli.cli's
COMMANDS: watch, batch, emulator, demo) calls `started()` as its body begins; a short one
(describe, list, completion, help, bad input) runs to the end with it off, and the console
script's way out, `resume()`, does the same. Both freeze what exists, which moves it out of the
collector's sight (the collection at exit included), and turn the collector back on, so that a
watch of several hours or a batch of 100,000 ARNs collects its garbage as usual. About 70 ms
of a 0.3 s `pdj describe` on the benchmark machine (benchmarks/README.md, levers section 7).
While the collector is off, reference counting still frees everything but reference cycles.
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
    """The console script's way out: as `started()`, if the collector is still paused."""
    # Frozen, the objects the short command built are spared the collection at exit.
    started()
