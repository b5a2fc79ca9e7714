"""Views that keep every value whole: a table or a panel where it fits, `key: value` lines
without borders where it does not.

A value is whole (a name, a status, an ARN, an S3 URI, a time: never broken by pdj) or words
(a failure reason, an error message: it may wrap at spaces, never inside a word, so an ARN or a
URI inside it stays whole too). A table is drawn only when it can give every whole value its
full width and every word its length at the width it is rendered at; otherwise the same rows
are printed as records, one block per row, each line whole: the terminal soft-wraps a long
value and a copy gives it back whole. A table's caption is a whole line of its own.

Print these with `crop=False` (the document writer does), or rich cuts a long line at the
console's width. rich is imported inside functions only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

Cell = Union[str, "Text"]
BOX_PADDING = 4  # a panel's two borders and its padding of one each side


@dataclass(frozen=True)
class Column:
    header: str  # a header may wrap at its spaces
    words: bool = False  # free text or a time: may wrap at spaces; else whole on one line
    aside: bool = False  # where the table is too narrow for it: a line of its own below


def width_of(value: Cell) -> int:
    from rich.cells import cell_len

    return cell_len(value if isinstance(value, str) else value.plain)


def longest_word(value: Cell) -> int:
    plain = value if isinstance(value, str) else value.plain
    return max((width_of(word) for word in plain.split()), default=0)


def needed(value: Cell, words: bool) -> int:
    """The narrowest width that shows `value` without breaking what must stay whole."""
    return longest_word(value) if words else width_of(value)


class WholeLine:
    """One line of text never wrapped or cut by rich: the terminal soft-wraps it."""

    def __init__(self, text: Cell) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment
        from rich.text import Text

        text = Text(self.text) if isinstance(self.text, str) else self.text
        yield from text.render(console)
        yield Segment.line()


def record_lines(title: Cell, pairs: Sequence[tuple[Cell, Cell]]) -> Iterator[WholeLine]:
    """A record: its title in bold, then an indented `key: value` line per value."""
    from rich.text import Text

    yield WholeLine(Text(title, style="bold") if isinstance(title, str) else title)
    for key, value in pairs:
        line = Text("  ")
        line.append(Text(key, style="bold") if isinstance(key, str) else key.copy())
        line.append(": ")
        line.append(value if isinstance(value, str) else value.copy())
        yield WholeLine(line)


class FittedTable:
    """Rows as a rich table when every value fits whole; else the table without its `aside`
    columns, each of their values a whole line below it; else records (the first column is
    each record's title; empty values are left out).

    pdj gives every column its width (rich is never left to squeeze one): a whole column its
    widest value, a words column at least its longest word; what is left goes to the columns
    with the least to add first, each up to its longest line.
    """

    def __init__(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], caption: str | None = None
    ) -> None:
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]
        self.caption = caption

    def widths(self, shown: Sequence[int], max_width: int) -> list[int] | None:
        """Each shown column's width in `max_width`, or None when they cannot all be whole."""
        least, most = [], []
        for index in shown:
            column = self.columns[index]
            cells = [row[index] for row in self.rows]
            header = longest_word(column.header)
            least.append(max([header, *(needed(cell, column.words) for cell in cells)]))
            most.append(max([width_of(column.header), *(width_of(cell) for cell in cells)]))
        spare = max_width - sum(least) - 3 * (len(shown) - 1)  # `│` and a space each side
        if spare < 0:
            return None
        widths = list(least)
        # The narrowest columns get their longest lines first; free text takes what is left.
        for index in sorted(range(len(widths)), key=lambda i: most[i] - least[i]):
            grow = min(spare, most[index] - widths[index])
            widths[index] += grow
            spare -= grow
        return widths

    def table(self, shown: Sequence[int], widths: Sequence[int]) -> Table:
        from rich.table import Table

        table = Table(show_edge=False, header_style="bold", pad_edge=False)
        for index, width in zip(shown, widths, strict=True):
            # Wide enough for each whole value: only words columns and headers wrap, at spaces.
            table.add_column(self.columns[index].header, width=width, overflow="fold")
        for row in self.rows:
            table.add_row(*(row[index] for index in shown))
        return table

    def roomy(self, shown: Sequence[int], max_width: int) -> bool:
        """Every value of the shown columns fits on one line (headers aside)."""
        values = sum(
            max([longest_word(self.columns[i].header), *(width_of(row[i]) for row in self.rows)])
            for i in shown
        )
        return values + 3 * (len(shown) - 1) <= max_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        every = list(range(len(self.columns)))
        filled = [i for i in every if i == 0 or any(width_of(row[i]) for row in self.rows)]
        if len(filled) < len(every) and not self.roomy(every, options.max_width):
            # A column empty in every row (no job has a failure reason) says nothing: where it
            # would make values wrap, its room goes to them (at 80 columns, `5 seconds ago`).
            every = filled
        kept = [index for index in every if not self.columns[index].aside]
        if (widths := self.widths(every, options.max_width)) is not None:
            yield self.table(every, widths)
        elif len(kept) < len(every) and (widths := self.widths(kept, options.max_width)):
            yield self.table(kept, widths)
            yield from self._asides(kept)
        else:
            yield from self._records()
        if self.caption:
            yield WholeLine(self.caption)

    def _asides(self, kept: Sequence[int]) -> Iterator[WholeLine]:
        from rich.text import Text

        for row in self.rows:
            for index in range(len(self.columns)):
                if index not in kept and width_of(row[index]):
                    line = Text(row[0], style="bold") if isinstance(row[0], str) else row[0].copy()
                    line.append(": ")
                    line.append(row[index])
                    yield WholeLine(line)

    def _records(self) -> Iterator[WholeLine]:
        for position, row in enumerate(self.rows):
            if position:
                yield WholeLine("")
            pairs = [
                (column.header, cell)
                for column, cell in zip(self.columns[1:], row[1:], strict=True)
                if width_of(cell)
            ]
            yield from record_lines(row[0], pairs)


@dataclass(frozen=True)
class Field:
    label: Cell
    value: Cell
    words: bool = False  # free text: may wrap at spaces


class FittedPanel:
    """Labelled values in a bordered panel when every value fits whole beside its label, else
    as a record: the title, then `label: value` lines without a border."""

    def __init__(self, title: Cell, fields: Sequence[Field], border_style: str = "") -> None:
        self.title = title
        self.fields = list(fields)
        self.border_style = border_style

    def width_needed(self) -> int:
        labels = max((width_of(field.label) for field in self.fields), default=0)
        values = max((needed(field.value, field.words) for field in self.fields), default=0)
        # The title sits in the top border: `╭─ title ─╮`.
        return max(labels + 2 + values + BOX_PADDING, width_of(self.title) + 6)

    def panel(self) -> Panel:
        from rich.panel import Panel
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for field in self.fields:
            grid.add_row(field.label, field.value)
        return Panel(
            grid,
            title=self.title,
            title_align="left",
            border_style=self.border_style,
            expand=False,
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.width_needed() <= options.max_width:
            yield self.panel()
        else:
            yield from record_lines(self.title, [(f.label, f.value) for f in self.fields])
