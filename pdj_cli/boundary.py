"""The one error boundary: pdj's errors, botocore's, Ctrl-C, a closed pipe and bugs become
exit codes and one `pdj: error:` line. typer-free, so the fast path uses it too."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from pdj_cli.errors import ExitCode, PdjError, Terminated, interrupted_exit_code

REPORT_REQUEST = (
    "this is a bug in pdj; please report it with the output of the same command run with --debug"
)


def run_guarded(
    action: Callable[[], Any],
    *,
    debug: Callable[[], bool] = lambda: False,
    passthrough: tuple[type[BaseException], ...] = (),
) -> int:
    """Run a command; its ExitCode, or the code of what it raised (reported on stderr).

    `passthrough` exceptions are re-raised untouched (typer's own exits and usage errors).
    `debug` is asked only when something went wrong: --debug adds the traceback.
    """
    try:
        result = action()
        sys.stdout.flush()  # a closed pipe surfaces here, inside the boundary
    except passthrough:
        raise
    except KeyboardInterrupt as interrupt:  # Ctrl-C 130; SIGTERM (Terminated) 143
        say("pdj: terminated" if isinstance(interrupt, Terminated) else "pdj: interrupted")
        return interrupted_exit_code(interrupt)
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.OK
    except PdjError as error:
        return _report(error, debug())
    except Exception as error:
        translated = _translated(error)
        if translated is not None:
            return _report(translated, debug())
        if debug():
            import traceback

            traceback.print_exc()
        say(f"pdj: error: internal error: {type(error).__name__}: {_one_line(error)}")
        say(f"pdj: {REPORT_REQUEST}")
        return ExitCode.INTERNAL
    return int(result) if isinstance(result, int) else ExitCode.OK


def _translated(error: Exception) -> PdjError | None:
    # A botocore exception that escaped the service; botocore is loaded if one was raised.
    if "botocore" not in sys.modules:
        return None
    from pdj_cli.aws_errors import translate_error

    return translate_error(error)


def _report(error: PdjError, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exception(error)
    say(f"pdj: error: {_one_line(error.message)}")
    if error.hint:
        say(f"hint: {error.hint}")
    return error.exit_code


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def say(line: str) -> None:
    """One line on stderr; a closed or broken stderr is not worth an error of its own."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at devnull so that flush cannot fail loudly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
