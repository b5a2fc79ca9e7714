"""Options shared by every command that calls AWS, declared once.

`aws_command` appends them to a command's signature (typer reads the signature) and hands the
command one `AwsOptions` instead of eight parameters, the way sqlite-utils shares output flags.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from pdj_cli.durations import parse_duration
from pdj_cli.errors import InvalidInputError
from pdj_cli.formats import OutputFormat
from pdj_cli.invocation import AwsOptions

AWS_PANEL = "AWS options"
OUTPUT_PANEL = "Output options"
DEBUG_META_KEY = "pdj.debug"


def _query_callback(value: str | None) -> str | None:
    # Validated here, at parse time: a bad expression is exit 2 before any other work.
    from pdj_cli.query import compile_query

    try:
        compile_query(value)
    except InvalidInputError as error:
        raise typer.BadParameter(error.message.split(": ", 1)[-1]) from error
    return value


def duration_option(value: str | None) -> float | None:
    """A typer callback: '90', '90s', '1.5', '5m', '2h', '1h30m' -> seconds."""
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error


# DESIGN: watch and batch --wait poll every --interval, at least 0.1 s.
MIN_INTERVAL = 0.1


def interval_option(value: str | None) -> float | None:
    """A typer callback for --interval: a duration of at least MIN_INTERVAL."""
    seconds = duration_option(value)
    if seconds is not None and seconds < MIN_INTERVAL:
        raise typer.BadParameter(f"must be at least {MIN_INTERVAL:g}s, not {value!r}")
    return seconds


_SHARED: list[tuple[str, Any, Any]] = [
    (
        "profile",
        Annotated[
            Optional[str],  # noqa: UP045 - typer needs a runtime type here
            typer.Option(
                "--profile",
                metavar="NAME",
                envvar="AWS_PROFILE",
                show_envvar=False,
                help="AWS profile to use (env AWS_PROFILE).",
                rich_help_panel=AWS_PANEL,
            ),
        ],
        None,
    ),
    (
        "region",
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--region",
                metavar="REGION",
                help="AWS region. Default: the ARN's, then AWS_REGION, AWS_DEFAULT_REGION, "
                "the profile's.",
                rich_help_panel=AWS_PANEL,
            ),
        ],
        None,
    ),
    (
        "endpoint_url",
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--endpoint-url",
                metavar="URL",
                help="Personalize endpoint, e.g. the emulator's "
                "(env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL).",
                rich_help_panel=AWS_PANEL,
            ),
        ],
        None,
    ),
    (
        "output",
        Annotated[
            Optional[OutputFormat],  # noqa: UP045
            typer.Option(
                "--output",
                "-o",
                envvar="PDJ_OUTPUT",
                show_envvar=False,
                case_sensitive=False,
                help="Output format (env PDJ_OUTPUT); default table on a terminal, else json.",
                rich_help_panel=OUTPUT_PANEL,
            ),
        ],
        None,
    ),
    (
        "query",
        Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--query",
                metavar="JMESPATH",
                callback=_query_callback,
                help="JMESPath expression applied to the JSON document before printing.",
                rich_help_panel=OUTPUT_PANEL,
            ),
        ],
        None,
    ),
    (
        "no_color",
        Annotated[
            bool,
            typer.Option(
                "--no-color",
                help="No colour, even on a terminal (NO_COLOR is honoured too).",
                rich_help_panel=OUTPUT_PANEL,
            ),
        ],
        False,
    ),
    (
        "debug",
        Annotated[
            bool,
            typer.Option(
                "--debug",
                help="Log the wire traffic (secrets redacted) and show tracebacks, on stderr.",
                rich_help_panel=OUTPUT_PANEL,
            ),
        ],
        False,
    ),
]
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
        options = AwsOptions(**{name: kwargs.pop(name) for name in _SHARED_NAMES})
        # The error boundary reads this to decide whether to show a traceback.
        pdj_context.meta[DEBUG_META_KEY] = options.debug
        return function(aws=options, **kwargs)

    command.__signature__ = signature.replace(parameters=[*own, *shared, context])  # type: ignore[attr-defined]
    command.__annotations__ = {
        name: hint for name, hint in function.__annotations__.items() if name != "aws"
    }
    return command
