"""The one error boundary: pdj's errors, botocore's, Ctrl-C, a closed pipe, output that cannot
be written and bugs become exit codes and one `pdj: error:` line. typer-free, so the fast path
uses it too."""

from __future__ import annotations

import errno
import io
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
    except SystemExit as exit:
        # rich's Console answers a broken pipe with SystemExit(1) (Console.on_broken_pipe),
        # raised while the BrokenPipeError is handled: it is the same closed pipe, so 0.
        if isinstance(exit.__context__, BrokenPipeError):
            _silence_stdout()
            return ExitCode.OK
        raise
    except KeyboardInterrupt as interrupt:  # Ctrl-C 130; SIGTERM (Terminated) 143
        say("pdj: terminated" if isinstance(interrupt, Terminated) else "pdj: interrupted")
        return interrupted_exit_code(interrupt)
    except BrokenPipeError:
        # The reader chose to stop reading (`| head -1`): a quiet success, as the README says.
        _silence_stdout()
        return ExitCode.OK
    except PdjError as error:
        return _report(error, debug())
    except Exception as error:
        if isinstance(error, OSError) and error.errno in _OUTPUT_ERRNOS:
            _silence_stdout()  # what is still buffered must not fail again at exit
            return _report(_output_failed(error), debug())
        translated = _translated(error)
        if translated is not None:
            return _report(translated, debug())
        return _bug(error, debug())
    return int(result) if isinstance(result, int) else ExitCode.OK


def _bug(error: BaseException, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exception(error)
    say(f"pdj: error: internal error: {type(error).__name__}: {_one_line(error)}")
    say(f"pdj: {REPORT_REQUEST}")
    return ExitCode.INTERNAL


# A write that cannot be done: a closed descriptor, a full disk or quota, an I/O error.
_OUTPUT_ERRNOS = frozenset(
    code
    for code in (
        errno.EBADF,
        errno.ENOSPC,
        getattr(errno, "EDQUOT", None),
        errno.EFBIG,
        errno.EIO,
    )
    if code is not None
)


class OutputFailedError(PdjError):
    exit_code = ExitCode.OUTPUT_FAILED
    code = "OutputFailed"


def _output_failed(error: OSError) -> PdjError:
    where = f"to {error.filename}" if error.filename else "to standard output"
    if error.errno == errno.EBADF and not error.filename:
        return OutputFailedError("nothing could be written: standard output is closed")
    return OutputFailedError(f"could not write {where}: {error.strerror or error}")


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
    except (OSError, ValueError, AttributeError):
        pass


def hold_closed_streams() -> None:
    """Give a closed stdout or stderr (`>&-`, `2>&-`) a placeholder on its descriptor.

    Python leaves sys.stdout None when descriptor 1 is closed, so the first print was an
    AttributeError (exit 70), and the next file pdj opened would take descriptor 1. stderr
    gets /dev/null: messages vanish, exit codes stay exact. stdout gets /dev/null opened
    read-only: every write fails with EBADF, which the boundary reports as exit 74, so a
    script never reads success from output that went nowhere.
    """
    if sys.stderr is None:
        sys.stderr = _placeholder(2, os.O_WRONLY)
    if sys.stdout is None:
        sys.stdout = _placeholder(1, os.O_RDONLY)


def _placeholder(fd: int, flags: int) -> io.TextIOWrapper:
    devnull = os.open(os.devnull, flags)
    if devnull != fd:
        os.dup2(devnull, fd)
        os.close(devnull)
    return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8")


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at devnull so that flush cannot fail loudly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
