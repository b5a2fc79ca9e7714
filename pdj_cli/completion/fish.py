"""The fish completion script: `complete` lines for the CLI spec, after templates/pdj.fish.in."""

from __future__ import annotations

from pdj_cli.completion.spec import (
    PROG,
    ArgumentSpec,
    CliSpec,
    CommandSpec,
    OptionSpec,
    ValueKind,
    Values,
    value_option_names,
)
from pdj_cli.completion.template import fill


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_values(values: Values) -> str:
    if values.kind is ValueKind.WORDS:
        return f"-x -a {_fish_quote(' '.join(values.words))}"
    if values.kind is ValueKind.FILES:
        return "-r -F"
    if values.kind is ValueKind.PROFILES:
        return "-x -a '(__pdj_profiles)'"
    if values.kind is ValueKind.JOB_ARNS:
        return "-x -a '(__pdj_cached_arns job)'"
    if values.kind is ValueKind.GROUP_ARNS:
        return "-x -a '(__pdj_cached_arns group)'"
    return "-x"


def _fish_option(condition: str, option: OptionSpec) -> str:
    names = [f"-l {name[2:]}" for name in option.long_names]
    names += [f"-s {name[1:]}" for name in option.short_names]
    if not option.repeatable:
        condition += " " + " ".join(option.names)  # __pdj_using: only while none is used
    parts = [f"complete -c {PROG} -n {_fish_quote(condition)}", *names]
    if option.values is not None:
        parts.append(_fish_values(option.values))
    parts.append(f"-d {_fish_quote(option.help)}")
    return " ".join(parts)


def _fish_argument(command: CommandSpec, argument: ArgumentSpec) -> str | None:
    if argument.values.kind is ValueKind.TEXT:
        return None  # free text: nothing to offer
    condition = f"__pdj_using {command.name}"
    if argument.values.kind is ValueKind.WORDS and not argument.variadic:
        condition += "; and not __pdj_has_word " + " ".join(argument.values.words)
    # -F: files for a file argument; otherwise just the words (-f is the default above).
    values = "-F" if argument.values.kind is ValueKind.FILES else _fish_values(argument.values)
    label = _fish_quote(argument.values.label)
    return f"complete -c {PROG} -n {_fish_quote(condition)} {values} -d {label}"


def render_fish(cli: CliSpec) -> str:
    """pdj.fish: a `complete` line per command, option and argument, in templates/pdj.fish.in."""
    lines = []
    for command in cli.commands:
        lines.append(
            f"complete -c {PROG} -n 'not __pdj_command' -a {command.name} "
            f"-d {_fish_quote(command.help)}"
        )
    lines += [_fish_option("__pdj_using ''", o) for o in cli.options]
    for command in cli.commands:
        lines += ["", f"# pdj {command.name}"]
        lines += [_fish_option(f"__pdj_using {command.name}", o) for o in command.options]
        lines += filter(None, (_fish_argument(command, a) for a in command.arguments))
    return fill(
        "pdj.fish.in",
        root_value_options=" ".join(_fish_quote(name) for name in value_option_names(cli.options)),
        completions="\n".join(lines),
    )
