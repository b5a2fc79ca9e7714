"""GitHub Actions workflow commands: `::error title=T::message` lines that the runner turns into
annotations.

Values are escaped as GitHub's own toolkit escapes them (actions/toolkit,
packages/core/src/command.ts) and as the runner unescapes them (actions/runner,
ActionCommand.cs): in the message `%`, CR and LF; in a property also `:` and `,`, which would
otherwise end the property list or the command. So a failure reason holding a newline, `::`
or `title=` stays one command, shown as it was written. No library pdj depends on writes them,
and the rules are these few lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# GitHub shows at most 10 annotations of each level a step; past that they are dropped.
ERROR_CAP = 10

_DATA = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))  # `%` first: it starts every escape
_PROPERTY = (*_DATA, (":", "%3A"), (",", "%2C"))


def escape_data(text: str) -> str:
    """A command's message: one line, read back by the runner as `text`."""
    for char, escape in _DATA:
        text = text.replace(char, escape)
    return text


def escape_property(text: str) -> str:
    """A property's value: one line with no `:` or `,` that could end it early."""
    for char, escape in _PROPERTY:
        text = text.replace(char, escape)
    return text


def workflow_command(name: str, message: str, **properties: object) -> str:
    """`::name key=value,key=value::message`, every value escaped; empty properties left out
    (as the toolkit does)."""
    given = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


@dataclass(frozen=True)
class Annotation:
    """One annotation: its message, and where GitHub should pin it (a file and line of the
    repository, for an input line of a committed file)."""

    message: str
    title: str | None = None
    file: str | None = None
    line: int | None = None

    def command(self, level: str) -> str:
        return workflow_command(
            level, self.message, title=self.title, file=self.file, line=self.line
        )


def error_commands(errors: Sequence[Annotation], cap: int = ERROR_CAP) -> Iterator[str]:
    """An `::error` for each of the first `cap`, then one line with the count of the rest.

    The count is a `::warning`: an eleventh `::error` would be past GitHub's own cap and
    never shown, and the warnings have a cap of their own.
    """
    for annotation in errors[:cap]:
        yield annotation.command("error")
    rest = len(errors) - cap
    if rest > 0:
        noun = "error is" if rest == 1 else "errors are"
        yield Annotation(
            f"{rest} more {noun} not annotated (GitHub shows {cap} a step); "
            "the step summary and pdj's output list every one",
            title="pdj",
        ).command("warning")
