"""`pdj describe ARN` parsed by hand, without loading typer: the fast path of the console script.

Scripts run `pdj describe` more than anything else, and there start-up is most of the cost:
typer, the pydantic coercion it runs on every parameter, and the command tree it builds take
longer than the request (about 130 ms of a 0.6 s run; see benchmarks/). typer cannot start
faster, so a plain describe is parsed here by hand, from the same option table typer's options
are built from (pdj_cli.option_table). Only what this parser fully understands is served;
anything else (--help, --debug, an unknown or invalid option or value) returns None and typer
parses the whole command line, so the typer app (pdj_cli.usage) words every usage error.
tests/test_fast_describe.py runs both parsers over command lines made from the table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from pdj_cli.option_table import SHARED_OPTIONS, SharedOption

if TYPE_CHECKING:
    from pdj_cli.invocation import AwsOptions

# describe's own flag, beside the shared options (pdj_cli.options.DescribeExitStatusOption).
EXIT_STATUS_FLAG = "--exit-status"
# Left to typer: tracebacks and the wire log are rare, and typer's path serves them.
_LEFT_TO_TYPER = frozenset({"debug"})
_SERVED = {option.name: option for option in SHARED_OPTIONS if option.name not in _LEFT_TO_TYPER}
_VALUE_OPTIONS = {
    flag: option.name for option in _SERVED.values() if option.takes_value for flag in option.flags
}
_FLAGS = {
    **{
        flag: option.name
        for option in _SERVED.values()
        if not option.takes_value
        for flag in option.flags
    },
    EXIT_STATUS_FLAG: "exit_status",
}


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
        # `--name=value`, as click splits it; `-o=json` is -o with the value "=json" to click,
        # and `-ojson` is -o with "json". A repeated option is the last one, as with click:
        # `pdj -o json describe ARN -o text` (the entry moves the first after the name) is text.
        if arg.startswith("--"):
            name, equals, value = arg.partition("=")
        elif len(arg) > 2 and arg[:2] in _VALUE_OPTIONS:
            name, equals, value = arg[:2], "=", arg[2:]
        else:
            name, equals, value = arg, "", ""
        if name in _FLAGS and not equals:
            given[_FLAGS[name]] = True
        elif name in _VALUE_OPTIONS:
            following = value if equals else next(rest, None)
            if following is None:
                return None  # typer's "requires an argument"
            given[_VALUE_OPTIONS[name]] = following
        else:
            return None  # --help, --debug, --, unknown options
    if len(positional) != 1:
        return None
    exit_status = bool(given.pop("exit_status", False))
    options: dict[str, Any] = {}
    for option in _SERVED.values():
        raw = given.get(option.name)
        if raw is None:
            raw = _from_environment(option)
            if raw is False:
                return None
        value = _converted(option, raw)
        if value is _INVALID:
            return None
        options[option.name] = value
    from pdj_cli.invocation import AwsOptions

    return DescribeCall(positional[0], exit_status, AwsOptions(**options))


_INVALID = object()


def _from_environment(option: SharedOption) -> Any:
    """The option's value from its environment variables: None if unset, False for typer."""
    for variable in option.envvars:
        value = os.environ.get(variable)
        if value:  # click skips empty variables too
            # A flag read from the environment is parsed as a boolean: typer's to do.
            return value if option.takes_value else False
    return None


def _converted(option: SharedOption, raw: Any) -> Any:
    """What typer would hand the command for `raw`, or _INVALID where typer would reject it."""
    if not option.takes_value:
        return bool(raw)
    if raw is None:
        return None
    if option.choices is not None:
        try:
            return option.choices(raw.lower())  # typer matches choices case-insensitively
        except ValueError:
            return _INVALID
    if option.checks_query and not _valid_query(raw):
        return _INVALID
    return raw


def _valid_query(expression: str) -> bool:
    from pdj_cli.errors import InvalidInputError
    from pdj_cli.query import compile_query

    try:
        compile_query(expression)
    except InvalidInputError:
        return False
    return True


def run_fast_describe(argv: Sequence[str]) -> int | None:
    """Serve `argv` if it is a plain describe: its exit code; None to hand it to typer."""
    call = parse_describe(argv)
    if call is None:
        return None
    from pdj_cli import describing
    from pdj_cli.boundary import run_guarded

    return run_guarded(lambda: describing.describe_job(call.arn, call.exit_status, call.aws))
