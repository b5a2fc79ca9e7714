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
        "Output format (env PDJ_OUTPUT); default table on a terminal, else json.",
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
