"""`pdj describe ARN` served without loading typer, and the body of the describe command.

Scripts run `pdj describe` more than anything else, and there start-up is most of the cost:
typer, the pydantic coercion it runs on every parameter, and the command tree it builds take
longer than the request (about 130 ms of a 0.6 s run; see benchmarks/). typer cannot start
faster, so a plain describe is parsed here by hand. Only what this parser fully understands is
served; anything else (--help, --debug, an unknown or invalid option or value) returns None and
typer parses the whole command line, so typer's messages stay pdj's only usage errors.
tests/test_fastpath.py runs both parsers over the same command lines and checks they agree.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from pdj_cli import startup_gc

if TYPE_CHECKING:
    from pdj_cli.errors import ExitCode
    from pdj_cli.formats import OutputFormat
    from pdj_cli.invocation import AwsOptions

# Every other command line comes through here on its way to typer, so this module imports
# nothing of pdj's until it knows the command is a describe (dataclasses, json, re and the
# renderers would cost `pdj --help` some 30 ms).

# The options of describe the fast path serves, by their AwsOptions/parameter names.
_VALUE_OPTIONS = {
    "--profile": "profile",
    "--region": "region",
    "--endpoint-url": "endpoint_url",
    "--output": "output",
    "-o": "output",
    "--query": "query",
}
_FLAGS = {"--no-color": "no_color", "--exit-status": "exit_status"}


def describe_job(arn: str, exit_status: bool, aws: AwsOptions) -> ExitCode:
    """The describe command itself, whichever parser read the command line."""
    from pdj_cli.arns import parse_job_arn
    from pdj_cli.errors import ExitCode
    from pdj_cli.models import exit_code_for_status

    job_arn = parse_job_arn(arn)
    renderer = aws.renderer()
    job = aws.service().describe(job_arn)
    renderer.job(job)
    return exit_code_for_status(job.status) if exit_status else ExitCode.OK


class DescribeCall(NamedTuple):
    arn: str
    exit_status: bool
    aws: AwsOptions


def parse_describe(argv: Sequence[str]) -> DescribeCall | None:
    """The describe typer would run for `argv`, or None where typer must decide."""
    if not argv or argv[0] != "describe":
        return None
    given: dict[str, Any] = {}
    positional: list[str] = []
    rest = iter(argv[1:])
    for arg in rest:
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name in _FLAGS and not equals and _FLAGS[name] not in given:
            given[_FLAGS[name]] = True
        elif name in _VALUE_OPTIONS and _VALUE_OPTIONS[name] not in given:
            if not equals:
                value = next(rest, None)
                if value is None:
                    return None  # typer's "requires an argument"
            given[_VALUE_OPTIONS[name]] = value
        else:
            return None  # --help, --debug, --, -ojson, repeats, anything unknown
    if len(positional) != 1:
        return None
    from pdj_cli.invocation import AwsOptions

    output = _output_format(given.pop("output", None) or os.environ.get("PDJ_OUTPUT") or None)
    if output is False or not _valid_query(given.get("query")):
        return None
    exit_status = bool(given.pop("exit_status", False))
    given.setdefault("profile", os.environ.get("AWS_PROFILE") or None)
    return DescribeCall(positional[0], exit_status, AwsOptions(output=output, **given))


def _output_format(value: str | None) -> OutputFormat | bool | None:
    if value is None:
        return None
    from pdj_cli.formats import OutputFormat

    try:
        return OutputFormat(value.lower())  # typer matches formats case-insensitively
    except ValueError:
        return False


def _valid_query(expression: str | None) -> bool:
    from pdj_cli.errors import InvalidInputError
    from pdj_cli.query import compile_query

    try:
        compile_query(expression)
    except InvalidInputError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> Any:
    """The console script: a plain describe here, everything else through typer."""
    startup_gc.pause()
    try:
        args = sys.argv[1:] if argv is None else list(argv)
        call = parse_describe(args)
        if call is not None:
            from pdj_cli.boundary import run_guarded

            return run_guarded(lambda: describe_job(call.arn, call.exit_status, call.aws))
        from pdj_cli.cli import app

        return app(args=args, prog_name="pdj")
    finally:
        startup_gc.resume()
