"""The command line's plain face: typer's usage errors as one `pdj: error:` line and a `Try`
line, and help without typer's type labels (`<bool>`, `<list[str]>`, `{ARN}`).

pdj's group (pdj_cli.cli.BoundaryGroup) sends every usage error here, whichever command raised
it, so no command formats its own; CI logs get plain text, never typer's boxed panel.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import TYPE_CHECKING, Any

from typer._click.core import ParameterSource
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError
from typer.core import TyperArgument, TyperOption

if TYPE_CHECKING:
    from typer._click import Context

# Options of pdj itself, not of its commands.
TOP_LEVEL_ONLY = ("--version",)


def usage_lines(error: UsageError) -> list[str]:
    """The two lines a usage error prints: `pdj: error: ...` and `Try 'pdj COMMAND --help'`."""
    ctx = error.ctx
    path = ctx.command_path if ctx is not None else "pdj"
    return [f"pdj: error: {_message(error, ctx, path)}", f"Try '{path} --help'"]


def _message(error: UsageError, ctx: Context | None, path: str) -> str:
    if isinstance(error, NoSuchOption):
        return _no_such_option(error, ctx, path)
    if isinstance(error, MissingParameter) and error.param is not None and ctx is not None:
        usage = ctx.get_usage().removeprefix("Usage: ")
        return f"{path} needs {_param_name(error.param)}: {usage}"
    if isinstance(error, BadParameter) and error.param is not None and ctx is not None:
        return _bad_parameter(error, ctx)
    message = _sentence(error.format_message())
    if message.startswith("no such command") and ctx is not None and ctx.parent is None:
        names: list[str] = getattr(ctx.command, "list_commands", lambda ctx: [])(ctx)
        typed = re.match(r"no such command '(.*)'$", message)
        close = difflib.get_close_matches(typed.group(1), names, n=2) if typed else []
        if close:
            message += f"; did you mean {' or '.join(close)}?"
        else:
            message += f"; the commands are {', '.join(names)}"
    return message


def _no_such_option(error: NoSuchOption, ctx: Context | None, path: str) -> str:
    name = error.option_name
    if name in TOP_LEVEL_ONLY and ctx is not None and ctx.parent is not None:
        return f"{name} is an option of pdj itself, not of '{path}': run 'pdj {name}'"
    if ctx is not None and ctx.parent is None and name.startswith("-"):
        from pdj_cli.option_table import SHARED_OPTIONS

        if any(name in option.flags for option in SHARED_OPTIONS):
            return f"{name} belongs to a command: give one, e.g. 'pdj {name} ... list'"
    message = f"unknown option {name!r} for '{path}'"
    # Only a near miss is worth suggesting (--regoin), not any option sharing letters.
    close = difflib.get_close_matches(name, sorted(error.possibilities or ()), n=2, cutoff=0.8)
    if close:
        message += f"; did you mean {' or '.join(close)}?"
    return message


def _bad_parameter(error: BadParameter, ctx: Context) -> str:
    param: Any = error.param
    detail = _sentence(re.sub(r"^Value error, ", "", error.message))
    choices = _choices(param)
    if ctx.get_parameter_source(param.name) is ParameterSource.ENVIRONMENT:
        variable, value = _environment_value(param)
        if choices:
            return f"{variable} is {value!r}; choose from {', '.join(choices)}"
        return f"{variable} is {value!r}: {detail}"
    if choices:
        typed = re.match(r"^(.*) is not one of ", detail)
        shown = f" {typed.group(1)}" if typed else ""
        return f"{_param_name(param)}{shown} is not a choice; choose from {', '.join(choices)}"
    name = _param_name(param)
    return detail if detail.startswith(f"invalid {name} ") else f"invalid {name}: {detail}"


def _environment_value(param: Any) -> tuple[str, str]:
    envvars = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
    for variable in envvars:
        if os.environ.get(variable):
            return variable, os.environ[variable]
    return (envvars[0] if envvars else "the environment"), ""


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not descriptor.is_choice:
        return []
    return [str(getattr(choice, "value", choice)) for choice in descriptor.choices or ()]


def _param_name(param: Any) -> str:
    if isinstance(param, TyperOption):
        return next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])
    return str(param.metavar or param.name).upper()


def _sentence(text: str) -> str:
    """click's sentence in pdj's style: lower-case start, no final full stop, one line."""
    text = " ".join(text.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# -- help: no type labels; the metavar (or nothing, for a flag) says what to type ---------------


class PlainArgument(TyperArgument):
    """An argument as `gh` shows one: its name (ARN), with no `<str>` and no braces."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


_BY_TYPE = {"int": "N", "float": "NUMBER"}


class PlainOption(TyperOption):
    """An option with its metavar or choices (`table|json|...`); a flag shows nothing."""

    def display_type_rich(self, ctx: Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag:
            return None
        choices = _choices(self)
        if choices:
            return "|".join(choices)
        descriptor = self.type_descriptor
        if descriptor.is_path or descriptor.is_file:
            return "FILE"
        kind = _BY_TYPE.get(self.bare_type())
        return kind or (self.name or "value").upper().replace("_", "-")

    def _get_number_range_help_str(self) -> str | None:
        if self.type_descriptor.is_ranged:
            low, high = getattr(self, "min", None), getattr(self, "max", None)
            if low is not None and high is not None:
                return f"{low} to {high}"
        return super()._get_number_range_help_str()


def plain_params(params: list[Any]) -> list[Any]:
    """The same parameters, shown plainly in help (their parsing is untouched)."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = PlainArgument
        elif type(param) is TyperOption:
            param.__class__ = PlainOption
    return params
