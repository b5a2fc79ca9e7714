"""The one terminal policy and the one rich Console factory: every view asks here.

Built from the environment and the streams (both injectable, so a test can say "stdout is not a
terminal" without tricks); rich is handed the answers (force_terminal, force_interactive,
no_color, width, color_system), so it never reads the environment on its own behalf.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from pdj_cli.formats import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console


def _environ() -> Mapping[str, str]:
    return os.environ


@dataclass(frozen=True)
class Terminal:
    """What the terminal around pdj can do, decided once for every Console and view.

    Three distinct questions, each answered as pdj always has:
    - the default format: table only when stdout really is a tty (FORCE_COLOR in CI never
      turns a pipe to jq into a table);
    - a live view (watch): both streams interactive by rich's rules (FORCE_COLOR,
      TTY_COMPATIBLE, TTY_INTERACTIVE, TERM=dumb);
    - the batch progress bar: stderr really is a tty, and stdout is not the same terminal
      unless the records are a table printed after the bar.
    Colour is off for --no-color or NO_COLOR (any non-empty value, as no-color.org says).
    """

    no_color_flag: bool = False  # --no-color
    environ: Mapping[str, str] = field(default_factory=_environ)
    # None: sys.stdin/sys.stdout/sys.stderr looked up when used (tests and rich's Live swap them)
    out: TextIO | None = None
    err: TextIO | None = None
    in_: TextIO | None = None

    @property
    def stdin(self) -> TextIO:
        return self.in_ or sys.stdin

    @property
    def stdout(self) -> TextIO:
        return self.out or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self.err or sys.stderr

    # -- the questions ---------------------------------------------------------------------------

    @property
    def color(self) -> bool:
        return not self.no_color_flag and self.environ.get("NO_COLOR", "") == ""

    @property
    def width(self) -> int | None:
        """COLUMNS when set; None lets rich measure the terminal."""
        columns = self.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() else None

    @staticmethod
    def isatty(stream: TextIO) -> bool:
        """The stream itself is a tty, whatever the environment says."""
        isatty = getattr(stream, "isatty", None)
        try:
            return bool(isatty and isatty())
        except ValueError:  # a closed stream
            return False

    def is_terminal(self, stream: TextIO) -> bool:
        """Whether escapes may be written to `stream`: rich's rule, FORCE_COLOR included."""
        compatible = self.environ.get("TTY_COMPATIBLE", "")
        if compatible in ("0", "1"):
            return compatible == "1"
        force_color = self.environ.get("FORCE_COLOR")
        if force_color is not None:
            return force_color != ""
        return self.isatty(stream)

    @property
    def is_dumb(self) -> bool:
        return self.environ.get("TERM", "").lower() in ("dumb", "unknown")

    def is_interactive(self, stream: TextIO) -> bool:
        """Whether a view may redraw itself on `stream` (rich's rule, TTY_INTERACTIVE first)."""
        interactive = self.environ.get("TTY_INTERACTIVE")
        if interactive in ("0", "1"):
            return interactive == "1"
        return self.is_terminal(stream) and not self.is_dumb

    @property
    def stdin_is_terminal(self) -> bool:
        """A person types the input (`pdj batch -` with nothing piped in): worth a prompt.
        False for a closed stdin (Python leaves sys.stdin None)."""
        return self.isatty(self.stdin)

    def default_format(self) -> OutputFormat:
        """table for a person at a terminal, json for a pipe or a file."""
        return OutputFormat.table if self.isatty(self.stdout) else OutputFormat.json

    def wants_live_view(self) -> bool:
        """The watch's live view: drawn on stderr, so both streams must be interactive
        (`2>watch.log` gets plain lines, not cursor movements)."""
        return self.is_interactive(self.stdout) and self.is_interactive(self.stderr)

    def wants_progress(self, fmt: OutputFormat) -> bool:
        """The batch's bar: a person watches stderr, and the bar cannot tangle with records
        (stdout is elsewhere, or the format is table, printed once the bar has stopped)."""
        if not self.isatty(self.stderr):
            return False
        return fmt is OutputFormat.table or not self.isatty(self.stdout)

    def color_system(self, stream: TextIO) -> str | None:
        """None (no escapes at all) when colour is off; else rich's own detection ("auto").

        No colour means plain text: not even bold (rich's no_color keeps bold and dim).
        """
        if not self.color or not self.is_terminal(stream) or self.is_dumb:
            return None
        return "auto"

    # -- the one Console factory -----------------------------------------------------------------

    def console(
        self,
        stream: TextIO | None = None,
        *,
        soft_wrap: bool = False,
        markup: bool = True,
        emoji: bool = True,
    ) -> Console:
        """A rich Console on `stream` (default stdout) configured by this policy."""
        from rich.console import Console

        file = stream or self.stdout
        return Console(
            file=file,
            force_terminal=self.is_terminal(file),
            force_interactive=self.is_interactive(file),
            color_system=self.color_system(file),  # type: ignore[arg-type]
            no_color=not self.color,
            width=self.width,
            highlight=False,
            soft_wrap=soft_wrap,
            markup=markup,
            emoji=emoji,
        )
