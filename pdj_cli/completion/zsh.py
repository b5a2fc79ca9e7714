"""The zsh completion script: an `_arguments` spec per command, in templates/_pdj.zsh.in."""

from __future__ import annotations

import re

from pdj_cli.completion.spec import ArgumentSpec, CliSpec, OptionSpec, ValueKind, Values
from pdj_cli.completion.template import fill


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh_description(text: str) -> str:
    # Inside an _arguments spec's [...], brackets and backslashes are special.
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def _zsh_action(values: Values) -> str:
    label = values.label.replace(":", " ")
    if values.kind is ValueKind.WORDS:
        return f":{label}:({' '.join(values.words)})"
    if values.kind is ValueKind.FILES:
        return f":{label}:_files"
    if values.kind is ValueKind.PROFILES:
        return f":{label}:_pdj_profiles"
    if values.kind is ValueKind.JOB_ARNS:
        return f":{label}:_pdj_job_arns"
    if values.kind is ValueKind.GROUP_ARNS:
        return f":{label}:_pdj_group_arns"
    return f":{label}: "  # a message and nothing to complete


def _zsh_option(option: OptionSpec) -> str:
    """One _arguments spec; -x+ and --name= take the value in the same word or the next."""
    suffix = ("" if option.values is None else "+", "" if option.values is None else "=")
    forms = [
        name + (suffix[0] if name in option.short_names else suffix[1]) for name in option.names
    ]
    description = f"[{_zsh_description(option.help)}]"
    action = "" if option.values is None else _zsh_action(option.values)
    if len(forms) == 1:
        prefix = "*" if option.repeatable else ""
        return _zsh_quote(prefix + forms[0] + description + action)
    exclusion = "*" if option.repeatable else f"({' '.join(option.names)})"
    return _zsh_quote(exclusion) + "{" + ",".join(forms) + "}" + _zsh_quote(description + action)


def _zsh_argument(argument: ArgumentSpec) -> str:
    return _zsh_quote(("*" if argument.variadic else "") + _zsh_action(argument.values))


def _zsh_function(name: str, specs: list[str]) -> str:
    lines = " \\\n    ".join(["_arguments -S :", *specs])
    return f"_pdj_{name.replace('-', '_')}() {{\n  {lines}\n}}\n"


def render_zsh(cli: CliSpec) -> str:
    """_pdj: an `_arguments` function per command, in templates/_pdj.zsh.in."""
    functions = [
        _zsh_function(
            command.name,
            [_zsh_option(o) for o in command.options]
            + [_zsh_argument(a) for a in command.arguments],
        )
        for command in cli.commands
    ]
    descriptions = "\n".join(
        f"        {_zsh_quote(command.name + ':' + command.help)}" for command in cli.commands
    )
    dispatch = "\n".join(
        f"        {command.name}) _pdj_{command.name.replace('-', '_')} && ret=0 ;;"
        for command in cli.commands
    )
    root_specs = " \\\n    ".join(
        [
            "_arguments -C -S -A '-*' :",
            *(_zsh_option(o) for o in cli.options),
            "':command:->command'",
            "'*:: :->argument'",
        ]
    )
    return fill(
        "_pdj.zsh.in",
        command_functions="\n".join(functions),
        root_arguments=root_specs,
        command_descriptions=descriptions,
        command_dispatch=dispatch,
    )
