"""What pdj's command line accepts, read from the typer app, in the terms the scripts need.

The renderers (bash.py, zsh.py, fish.py) turn a CliSpec into a script; nothing here knows a shell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import typer

PROG = "pdj"
DURATION_EXAMPLES = ("15s", "30s", "1m", "5m", "15m", "1h", "2h")
# Words the scripts may carry unquoted in any of the three shells.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_.,:/@+-]+")
_OPTION_NAME = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*")


class ValueKind(str, Enum):
    WORDS = "words"  # a fixed set: choices, statuses, duration examples
    FILES = "files"
    PROFILES = "profiles"  # read from the AWS config and credentials files by the shell
    JOB_ARNS = "job-arns"  # read from pdj's ARN cache by the shell (pdj_cli/arn_cache.py)
    GROUP_ARNS = "group-arns"  # the same file's dataset-group ARNs
    TEXT = "text"  # free text such as an ARN or a URL: nothing to offer


@dataclass(frozen=True)
class Values:
    kind: ValueKind
    label: str  # what a value is, for zsh's message line
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionSpec:
    names: tuple[str, ...]  # long names first, as the help shows them
    help: str
    values: Values | None  # None: a flag
    repeatable: bool

    @property
    def long_names(self) -> tuple[str, ...]:
        return tuple(name for name in self.names if name.startswith("--"))

    @property
    def short_names(self) -> tuple[str, ...]:
        return tuple(name for name in self.names if not name.startswith("--"))


@dataclass(frozen=True)
class ArgumentSpec:
    values: Values
    variadic: bool


@dataclass(frozen=True)
class CommandSpec:
    name: str
    help: str
    options: tuple[OptionSpec, ...]
    arguments: tuple[ArgumentSpec, ...]


@dataclass(frozen=True)
class CliSpec:
    options: tuple[OptionSpec, ...]
    commands: tuple[CommandSpec, ...]


def describe_cli(group: Any) -> CliSpec:
    """What `typer.main.get_command(app)` accepts, in the terms the scripts need."""
    root = typer.Context(group, info_name=PROG, **group.context_settings)
    own = _options(group.get_params(root))
    if any(option.values for option in own):
        # The scripts skip the values of the shared options only, on the way to the subcommand.
        raise ValueError("pdj's own options must all be flags for the completion scripts")
    commands = []
    for name in group.list_commands(root):
        command = group.get_command(root, name)  # pdj's group builds its commands on demand
        if command.hidden:
            continue
        context = typer.Context(command, info_name=name, parent=root)
        params = command.get_params(context)
        commands.append(
            CommandSpec(
                name=_plain(name),
                help=summary(command.help or ""),
                options=_options(params),
                arguments=tuple(
                    ArgumentSpec(_values(param), variadic=param.nargs == -1)
                    for param in params
                    if param.param_type_name == "argument" and not param.hidden
                ),
            )
        )
    return CliSpec(options=own + _shared_before_a_command(commands), commands=tuple(commands))


def _shared_before_a_command(commands: Sequence[CommandSpec]) -> tuple[OptionSpec, ...]:
    """The shared options (pdj_cli.option_table), as the commands declare them: pdj accepts them
    before the command's name too (pdj_cli.option_table.command_first)."""
    from pdj_cli.option_table import SHARED_OPTIONS

    declared = {option.names: option for command in commands for option in command.options}
    return tuple(declared[shared.flags] for shared in SHARED_OPTIONS if shared.flags in declared)


def value_option_names(options: Iterable[OptionSpec]) -> tuple[str, ...]:
    """The names of the options that take a value: the scripts skip that value to find the
    subcommand."""
    return tuple(name for option in options if option.values is not None for name in option.names)


def _options(params: Iterable[Any]) -> tuple[OptionSpec, ...]:
    specs = []
    for param in params:
        if param.param_type_name != "option" or param.hidden:
            continue
        if param.secondary_opts or param.nargs != 1:
            raise NotImplementedError(f"completion for {param.opts} is not written yet")
        names = sorted(param.opts, key=lambda name: not name.startswith("--"))
        for name in names:
            if not _OPTION_NAME.fullmatch(name):
                raise ValueError(f"option name {name!r} is not safe to put in a script")
        specs.append(
            OptionSpec(
                names=tuple(names),
                help=summary(param.help or ""),
                values=None if param.is_flag else _values(param),
                repeatable=bool(param.multiple),
            )
        )
    return tuple(specs)


def _values(param: Any) -> Values:
    """What a value of this parameter completes to; options are recognised by what they mean."""
    from pdj_cli.models import KNOWN_STATUSES
    from pdj_cli.options import duration_option

    descriptor = param.type_descriptor
    metavar = (param.metavar or "").upper()
    label = param.metavar or param.name.replace("_", "-")
    if descriptor.choices:
        words = tuple(str(getattr(choice, "value", choice)) for choice in descriptor.choices)
        return Values(ValueKind.WORDS, label, _plain_words(words))
    if "--profile" in param.opts:
        return Values(ValueKind.PROFILES, "profile")
    if "--dataset-group-arn" in param.opts:
        return Values(ValueKind.GROUP_ARNS, label)
    if param.param_type_name == "argument" and metavar.split("|")[0] == "ARN":
        return Values(ValueKind.JOB_ARNS, label)  # describe, watch and batch take job ARNs
    if metavar == "STATUS" or "--status" in param.opts:
        return Values(ValueKind.WORDS, "status", _plain_words(KNOWN_STATUSES))
    if metavar == "DURATION" or param.callback is duration_option:
        return Values(ValueKind.WORDS, "duration", DURATION_EXAMPLES)
    if descriptor.is_path or descriptor.is_file or metavar == "FILE":
        return Values(ValueKind.FILES, "file")
    return Values(ValueKind.TEXT, label)


def _plain(word: str) -> str:
    if not _PLAIN_WORD.fullmatch(word):
        raise ValueError(f"{word!r} is not safe to put unquoted in a completion script")
    return word


def _plain_words(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(_plain(word) for word in words)


def summary(text: str) -> str:
    """A help text's first sentence, without rich markup or a [default: ...] note."""
    line = text.strip().split("\n\n")[0]
    line = re.sub(r"\[(?:/?(?:bold|dim|italic|b|i)|default: [^\]]*)\]", "", line)
    line = " ".join(line.split())
    line = re.split(r"(?<=\.) (?=[A-Z])", line)[0]
    return line.rstrip(".")
