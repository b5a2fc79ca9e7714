"""The options every AWS command shares, as data: typer's options (pdj_cli.options) and the
describe fast path's parser (pdj_cli.fast_describe) are both built from this one table."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from pdj_cli.formats import OutputFormat

# typer-free and cheap to import: the fast path reads it before deciding to serve a describe.

AWS_PANEL = "AWS options"
OUTPUT_PANEL = "Output options"


class SharedOption(NamedTuple):
    name: str  # the AwsOptions field, and the command parameter typer fills
    flags: tuple[str, ...]  # the long name first: "--output", "-o"
    help: str
    panel: str
    takes_value: bool = True  # False: a flag, present or absent
    metavar: str | None = None
    envvars: tuple[str, ...] = ()  # read, in order, when the option is not given
    choices: type[Enum] | None = None  # matched case-insensitively, as typer does
    checks_query: bool = False  # a JMESPath expression, compiled at parse time


SHARED_OPTIONS: tuple[SharedOption, ...] = (
    SharedOption(
        "profile",
        ("--profile",),
        "AWS profile to use (env AWS_PROFILE).",
        AWS_PANEL,
        metavar="NAME",
        envvars=("AWS_PROFILE",),
    ),
    SharedOption(
        "region",
        ("--region",),
        "AWS region. Default: the ARN's, then AWS_REGION, AWS_DEFAULT_REGION, the profile's.",
        AWS_PANEL,
        metavar="REGION",
    ),
    SharedOption(
        "endpoint_url",
        ("--endpoint-url",),
        "Personalize endpoint, e.g. the emulator's "
        "(env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL).",
        AWS_PANEL,
        metavar="URL",
    ),
    SharedOption(
        "output",
        ("--output", "-o"),
        "Output format (env PDJ_OUTPUT); default table on a terminal, else json. "
        "csv and markdown: tables for spreadsheets and tickets.",
        OUTPUT_PANEL,
        envvars=("PDJ_OUTPUT",),
        choices=OutputFormat,
    ),
    SharedOption(
        "query",
        ("--query",),
        "JMESPath expression applied to the JSON document before printing.",
        OUTPUT_PANEL,
        metavar="JMESPATH",
        checks_query=True,
    ),
    SharedOption(
        "no_color",
        ("--no-color",),
        "No colour, even on a terminal (NO_COLOR is honoured too).",
        OUTPUT_PANEL,
        takes_value=False,
    ),
    SharedOption(
        "debug",
        ("--debug",),
        "Log the wire traffic (secrets redacted) and show tracebacks, on stderr.",
        OUTPUT_PANEL,
        takes_value=False,
    ),
)


def command_first(argv: list[str]) -> list[str]:
    """`argv` with the shared options given before the command moved to just after its name.

    `pdj --region R list` and `pdj -o json describe ARN` are what AWS CLI and kubectl users
    type; both parsers then see the options where they expect them. Moved right after the
    name, they come before the command's own occurrence, which wins (click and the fast path
    take the last). Each option keeps its tokens exactly as typed (`--opt value`, `--opt=value`,
    `-ovalue`), so its meaning cannot change. Anything else before the command (--version,
    --help, an unknown option, `--`) leaves `argv` as it is, for typer to answer.
    """
    leading: list[str] = []
    index = 0
    while index < len(argv):
        width = _shared_width(argv, index)
        if width == 0:
            break
        leading += argv[index : index + width]
        index += width
    if not leading or index >= len(argv) or argv[index].startswith("-"):
        return argv
    return [argv[index], *leading, *argv[index + 1 :]]


_VALUE_FLAGS = frozenset(
    flag for option in SHARED_OPTIONS if option.takes_value for flag in option.flags
)
_PLAIN_FLAGS = frozenset(
    flag for option in SHARED_OPTIONS if not option.takes_value for flag in option.flags
)


def _shared_width(argv: list[str], index: int) -> int:
    """How many tokens the shared option at argv[index] takes (0: not a shared option)."""
    arg = argv[index]
    if arg in _PLAIN_FLAGS:
        return 1
    if arg in _VALUE_FLAGS:
        return 2 if index + 1 < len(argv) else 0  # a missing value: typer's to report
    name = arg.partition("=")[0]
    if arg.startswith("--") and "=" in arg and name in _VALUE_FLAGS | _PLAIN_FLAGS:
        return 1
    short = arg[:2]
    if not arg.startswith("--") and len(arg) > 2 and short in _VALUE_FLAGS:
        return 1  # -ojson
    return 0
