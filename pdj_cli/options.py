"""typer's options shared by several commands, each declared once.

The options of every AWS command are built from pdj_cli.option_table (the fast path reads the
same table); `aws_command` appends them to a command's signature (typer reads the signature)
and hands the command one `AwsOptions` instead of seven parameters, the way sqlite-utils
shares output flags. --exit-status, --interval and --timeout, which describe, watch and batch
share with their own wording, are declared here too, and --ci and --junit-xml, which every
command that follows jobs to an end shares (watch, batch, create).
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from pdj_cli.ci.settings import CiMode
from pdj_cli.durations import parse_duration
from pdj_cli.errors import InvalidInputError
from pdj_cli.invocation import AwsOptions
from pdj_cli.option_table import SHARED_OPTIONS, SharedOption
from pdj_cli.poller import DEFAULT_INTERVAL, MIN_INTERVAL

DEBUG_META_KEY = "pdj.debug"


def _query_callback(value: str | None) -> str | None:
    # Validated here, at parse time: a bad expression is exit 2 before any other work.
    from pdj_cli.query import compile_query

    try:
        compile_query(value)
    except InvalidInputError as error:
        raise typer.BadParameter(error.message) from error  # it names the option and the value
    return value


def duration_option(value: str | None) -> float | None:
    """A typer callback: '90', '90s', '1.5', '5m', '2h', '1h30m' -> seconds."""
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


def interval_option(value: str | None) -> float | None:
    """A typer callback for --interval: a duration of at least MIN_INTERVAL."""
    seconds = duration_option(value)
    if seconds is not None and seconds < MIN_INTERVAL:
        raise typer.BadParameter(f"must be at least {MIN_INTERVAL:g}s, not {value!r}")
    return seconds


def junit_xml_option(value: str | None) -> str | None:
    """A typer callback for --junit-xml: a file pdj can create, checked before anything is sent
    (the report is written at the end, when finding out would be too late)."""
    if value is None:
        return None
    if not value.strip():
        raise typer.BadParameter("is empty: give a file name")
    if value == "-":  # not stdout, which holds the data: a file named `-` would be a surprise
        raise typer.BadParameter("'-' is not a file name (stdout holds pdj's data): give a file")
    path = Path(value)
    if path.is_dir():
        raise typer.BadParameter(f"{value!r} is a directory: give a file name")
    if path.exists() and not path.is_file():  # /dev/null, /dev/stderr, a named pipe
        if not os.access(path, os.W_OK):
            raise typer.BadParameter(f"cannot write to {value!r}")
        return value
    directory = path.parent
    if not directory.is_dir():
        raise typer.BadParameter(
            f"the directory {str(directory)!r} of {value!r} does not exist (mkdir -p it first)"
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        raise typer.BadParameter(f"cannot create files in the directory {str(directory)!r}")
    return value


# -- options of several commands, one declaration each -------------------------------------

WAIT_PANEL = "Waiting"
WAIT_FLAG_PANEL = "Waiting (--wait)"  # batch's: these apply only with --wait


def _exit_status(help: str) -> Any:
    return typer.Option("--exit-status", help=help)


def _interval(help: str, panel: str, show_default: bool = True) -> Any:
    return typer.Option(
        "--interval",
        metavar="DURATION",
        callback=interval_option,
        help=help,
        show_default=show_default,
        rich_help_panel=panel,
    )


def _timeout(help: str, panel: str) -> Any:
    return typer.Option(
        "--timeout",
        metavar="DURATION",
        callback=duration_option,
        help=help,
        show_default=False,
        rich_help_panel=panel,
    )


# describe's.
ExitStatusOption = Annotated[
    bool,
    _exit_status("Exit with the job's status: 0 COMPLETED, 1 FAILED, 3 still PENDING/IN_PROGRESS."),
]
# watch's: its exit code always follows the status; the flag is accepted for symmetry, and
# there is no --no-exit-status, which could do nothing.
WatchExitStatusOption = Annotated[
    bool,
    typer.Option(
        "--exit-status",
        help="Accepted, and always on: a watch exits with the job's status "
        "(0 COMPLETED, 1 FAILED, 3 --timeout ran out).",
        show_default=False,
    ),
]
BatchExitStatusOption = Annotated[
    bool,
    _exit_status(
        "Let the jobs' statuses set the exit code (1 a job FAILED, 3 one not terminal), "
        "as --wait does."
    ),
]
# Each is a duration string on the command line; the callback hands the command seconds.
IntervalOption = Annotated[
    Optional[str],  # noqa: UP045 - typer needs a runtime type here
    _interval(
        f"Time between checks (at least {MIN_INTERVAL}s). Durations: 90, 90s, 1.5, 5m, 2h, 1h30m.",
        WAIT_PANEL,
    ),
]
WaitIntervalOption = Annotated[
    Optional[str],  # noqa: UP045
    _interval(
        f"Time between polls: 90, 90s, 5m, 1h30m. [default: {DEFAULT_INTERVAL:g}s]",
        WAIT_FLAG_PANEL,
        show_default=False,
    ),
]
TimeoutOption = Annotated[
    Optional[str],  # noqa: UP045
    _timeout(
        "Give up after this long and exit 3. Default: wait as long as the job runs.", WAIT_PANEL
    ),
]
WaitTimeoutOption = Annotated[
    Optional[str],  # noqa: UP045
    _timeout(
        "Give up after waiting this long for the jobs to end (exit 3). [default: never]",
        WAIT_FLAG_PANEL,
    ),
]

# batch's and create's: follow the jobs to the end, and stop at the first FAILED one.
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait",
        help="Poll until every job is COMPLETED or FAILED.",
        rich_help_panel=WAIT_FLAG_PANEL,
    ),
]
FailFastOption = Annotated[
    bool,
    typer.Option(
        "--fail-fast",
        help="Stop at the first FAILED job (exit 1); the others are reported as last seen.",
        rich_help_panel=WAIT_FLAG_PANEL,
    ),
]

# watch's and batch's: how long a job's unbroken streak of transient errors may last.
GraceOption = Annotated[
    str,
    typer.Option(
        "--grace",
        metavar="DURATION",
        callback=duration_option,
        help="How long errors (throttling, 5xx, network) may go on for a job before they are "
        "its answer (exit 5).",
        rich_help_panel=WAIT_PANEL,
    ),
]


# watch's, batch's and create's: reports for CI systems.
CI_PANEL = "CI reports"
CiOption = Annotated[
    CiMode,
    typer.Option(
        "--ci",
        envvar="PDJ_CI",
        show_envvar=False,  # the help text names it
        case_sensitive=False,
        help="GitHub Actions step summary and annotations: auto (when GITHUB_ACTIONS=true), "
        "github or none (env PDJ_CI).",
        rich_help_panel=CI_PANEL,
    ),
]
JunitXmlOption = Annotated[
    Optional[str],  # noqa: UP045 - typer needs a runtime type here
    typer.Option(
        "--junit-xml",
        metavar="FILE",
        callback=junit_xml_option,
        help="Write a JUnit XML report to FILE at the end: one test case per job.",
        show_default=False,
        rich_help_panel=CI_PANEL,
    ),
]


# -- the options of every AWS command ---------------------------------------------------------


def _typer_option(option: SharedOption) -> tuple[str, Any, Any]:
    """One shared option as typer reads it: (parameter name, annotation, default)."""
    if option.choices is not None:
        hint: Any = Optional[option.choices]  # noqa: UP045 - typer needs a runtime type here
    elif option.takes_value:
        hint = Optional[str]  # noqa: UP045
    else:
        hint = bool
    info = typer.Option(
        *option.flags,
        metavar=option.metavar,
        envvar=list(option.envvars) or None,
        show_envvar=False,  # the help text names them
        case_sensitive=option.choices is None,
        callback=_query_callback if option.checks_query else None,
        help=option.help,
        rich_help_panel=option.panel,
    )
    return option.name, Annotated[hint, info], None if option.takes_value else False


_SHARED = [_typer_option(option) for option in SHARED_OPTIONS]
_SHARED_NAMES = tuple(name for name, _, _ in _SHARED)


def aws_command(function: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the shared options; it receives them as `aws: AwsOptions`."""
    signature = inspect.signature(function)
    own = [parameter for name, parameter in signature.parameters.items() if name != "aws"]
    context = inspect.Parameter(
        "pdj_context", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context
    )
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
        for name, hint, default in _SHARED
    ]

    @functools.wraps(function)
    def command(pdj_context: typer.Context, **kwargs: Any) -> Any:
        shared = {name: kwargs.pop(name) for name in _SHARED_NAMES}
        # What is no option comes from the caller's context object (a test's fake clock).
        given = pdj_context.obj or {}
        options = AwsOptions(**shared, clock=given.get("clock"))
        # The error boundary reads this to decide whether to show a traceback.
        pdj_context.meta[DEBUG_META_KEY] = options.debug
        return function(aws=options, **kwargs)

    command.__signature__ = signature.replace(parameters=[*own, *shared, context])  # type: ignore[attr-defined]
    command.__annotations__ = {
        name: hint for name, hint in function.__annotations__.items() if name != "aws"
    }
    return command
