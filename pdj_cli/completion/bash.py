"""The bash completion script: the CLI spec as the `_pdj_spec` cases templates/pdj.bash.in reads."""

from __future__ import annotations

from collections.abc import Sequence

from pdj_cli.completion.spec import CliSpec, OptionSpec, ValueKind, Values
from pdj_cli.completion.template import fill


def _bash_value(values: Values | None) -> str:
    if values is None:
        return ""
    if values.kind is ValueKind.WORDS:
        return "words:" + " ".join(values.words)
    return values.kind.value


def _bash_command_case(name: str, options: Sequence[OptionSpec], arguments: list[str]) -> str:
    entries = "\n".join(
        f"                '{' '.join(o.names)}|{_bash_value(o.values)}|{int(o.repeatable)}'"
        for o in options
    )
    argument_words = " ".join(f"'{argument}'" for argument in arguments)
    pattern = name or "''"
    return (
        f"        {pattern})\n"
        f"            _pdj_options=(\n{entries}\n            )\n"
        f"            _pdj_arguments=({argument_words})\n"
        "            ;;"
    )


def render_bash(cli: CliSpec) -> str:
    """pdj.bash: the spec as one case per command, in templates/pdj.bash.in."""
    cases = [
        _bash_command_case(
            "", cli.options, ["words:" + " ".join(command.name for command in cli.commands)]
        )
    ]
    for command in cli.commands:
        arguments = [
            _bash_value(argument.values) + ("*" if argument.variadic else "")
            for argument in command.arguments
        ]
        cases.append(_bash_command_case(command.name, command.options, arguments))
    return fill("pdj.bash.in", command_cases="\n".join(cases))
