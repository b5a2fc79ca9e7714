"""`pdj emulator --background`: serve from a detached child process and return at once.

`eval "$(pdj emulator --background)"` returns only when every writer of the command
substitution's pipe is gone, so the child lets go of stdin, stdout and stderr before it serves,
and runs in a session of its own (no terminal, no Ctrl-C or hang-up from the shell). The parent
learns the port, or why the child could not serve, through a pipe of its own, so it prints the
exports and exits only once the endpoint is listening. The child serves until SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

_TERMINATED = 143  # as pdj ends on SIGTERM everywhere (128 + 15)


class _Terminated(BaseException):
    pass


def serve_detached(start: Callable[[], Any]) -> tuple[str, int]:
    """Fork; the child calls `start()` (an Emulator, started) and serves until killed.

    Returns the endpoint URL and the child's pid once it listens; raises the child's OSError
    if it could not start, NotImplementedError where there is no fork.
    """
    if not hasattr(os, "fork"):
        raise NotImplementedError("this system has no fork()")
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _serve_in_child(start, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read().decode("utf-8", "replace")
    kind, _, rest = answer.partition("\t")
    if kind == "ok":
        return rest.strip(), pid
    os.waitpid(pid, 0)  # the child has exited: no zombie left behind
    number, _, message = rest.partition("\t")
    raise OSError(int(number) if number.isdigit() else 0, message or "the emulator did not start")


def _serve_in_child(start: Callable[[], Any], report_fd: int) -> None:
    code = 0
    try:
        os.setsid()
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _terminate)  # whatever the parent had: SIGTERM ends it
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        try:
            server = start()
        except OSError as error:
            _report(report_fd, f"error\t{error.errno or 0}\t{error.strerror or error}")
            code = 2
            return
        _report(report_fd, f"ok\t{server.endpoint_url}")
        try:
            threading.Event().wait()  # the server runs in its own thread; SIGTERM ends it all
        except _Terminated:
            server.stop()  # the request log closed, then 143, as pdj ends on SIGTERM
            code = _TERMINATED
    except _Terminated:  # before it served
        code = _TERMINATED
    except BaseException:
        code = 70
    finally:
        os._exit(code)  # never the parent's atexit handlers, nor its pending output


def _report(fd: int, message: str) -> None:
    try:
        os.write(fd, message.encode("utf-8"))
    finally:
        os.close(fd)


def _terminate(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one never interrupts the ending
    raise _Terminated()
