"""The console script, `pdj`: a plain describe through the fast path, everything else through
the typer app; the garbage collector paused for start-up and frozen on the way out."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from pdj_cli import interrupts, startup_gc

# Every command line comes through here, so this module imports nothing of pdj's (beyond the
# collector's switch and the signal handlers) until it knows the command is a describe: the
# fast path's parser and the typer app are each imported only on their own way.


def main(argv: Sequence[str] | None = None) -> Any:
    """Run pdj on `argv` (default: the process's arguments); the exit code, or typer exits."""
    startup_gc.pause()
    from pdj_cli.boundary import hold_closed_streams  # typer-free, cheap: ExitCode and errors

    hold_closed_streams()
    # SIGTERM ends pdj as Ctrl-C does (exit 143); a repeated signal never interrupts the ending.
    restore_signals = interrupts.install()
    try:
        from pdj_cli.option_table import command_first  # typer-free, cheap

        args = command_first(sys.argv[1:] if argv is None else list(argv))
        if args[:1] == ["describe"]:
            from pdj_cli.fast_describe import run_fast_describe

            code = run_fast_describe(args)
            if code is not None:
                return code
        from pdj_cli.cli import app

        return app(args=args, prog_name="pdj")
    finally:
        # A short command ends with the collector still paused: freezing start-up's objects
        # spares them the interpreter's collection at exit (startup_gc's docstring).
        startup_gc.resume()
        restore_signals()
