"""Every format in one writer: json, jsonl, text, table, csv and markdown, --query applied first.

`write_document` is the one place a --query result is printed (a null result is `null` in
json and jsonl and `None` in text and table, as the AWS CLI prints it); `DocumentWriter`
streams items (jsonl, and text and csv without --query) or holds them for one document at the
end (json, table, markdown, and every format with --query, which reads the whole document).
Machine formats are plain `json`/`print`/`csv` on stdout: nothing colours or wraps a pipe.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

from pdj_cli import arn_cache
from pdj_cli.formats import OutputFormat
from pdj_cli.ui.json_text import to_json
from pdj_cli.ui.tabular import Rows, query_rows, record_row
from pdj_cli.ui.terminal import Terminal

if TYPE_CHECKING:
    from rich.console import RenderableType

T = TypeVar("T")

# `-o text` and `-o csv` columns for a job, in order; a field the service did not return is empty.
TEXT_COLUMNS = (
    "jobName",
    "status",
    "dataDeletionJobArn",
    "datasetGroupArn",
    "numDeleted",
    "creationDateTime",
    "lastUpdatedDateTime",
    "failureReason",
)


def streams(fmt: OutputFormat, query: Any) -> bool:
    """jsonl, and text and csv without --query, print each item as it comes; the rest wait."""
    return fmt is OutputFormat.jsonl or (
        fmt in (OutputFormat.text, OutputFormat.csv) and query is None
    )


def write_document(
    terminal: Terminal,
    fmt: OutputFormat,
    query: Any,
    document: Any,
    *,
    text: Callable[[], Iterable[str]] | None = None,
    table: Callable[[], Sequence[RenderableType]] | None = None,
    rows: Callable[[], Rows] | None = None,
    markdown: Callable[[], Iterable[str]] | None = None,
) -> None:
    """Print one document in `fmt`, the compiled --query (if any) applied first.

    Without a query, `text`, `table`, `rows` (csv) and `markdown` give the document's own
    lines, views and rows; with one (or without them), the result is printed by the AWS CLI's
    rules (text, table), or as a table where it has the shape of one (csv, markdown:
    pdj_cli.ui.tabular), else exit 2.
    """
    out = terminal.stdout
    arn_cache.note_document(document)  # for Tab: the jobs printed, written as pdj exits
    expression = query
    if query is not None:
        document = query.search(document)
    if fmt is OutputFormat.csv:
        if rows is not None and expression is None:
            write_csv(out, rows())
        else:
            write_csv(out, _query_rows(document, expression, fmt))
    elif fmt is OutputFormat.markdown:
        if markdown is not None and expression is None:
            lines = markdown()
        else:
            lines = markdown_table(_query_rows(document, expression, fmt))
        for line in lines:
            out.write(line + "\n")
    elif fmt is OutputFormat.json:
        out.write(to_json(document) + "\n")
    elif fmt is OutputFormat.jsonl:
        out.write(to_json(document, compact=True) + "\n")
    elif fmt is OutputFormat.text:
        lines = text() if text is not None and query is None else text_lines(document)
        for line in lines:
            out.write(line + "\n")
    elif table is not None and query is None:
        console = terminal.console()
        for renderable in table():
            console.print(renderable, crop=False)  # a whole line is never cut: see ui/layout.py
    elif isinstance(document, (list, dict)):
        from pdj_cli.ui.tables import generic_table

        terminal.console().print(generic_table(document), crop=False)
    else:
        out.write(text_scalar(document) + "\n")


class CsvRows:
    """RFC 4180 rows (the csv module's excel dialect: CRLF, quoted where needed) on `out`,
    the header first, exactly once, even before no row at all."""

    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._writer = csv.writer(out)
        self._columns = columns
        self._started = False

    def add(self, row: Sequence[Any]) -> None:
        if not self._started:
            self.finish()
        self._writer.writerow(row)

    def finish(self) -> None:
        """The header, if no row has written it yet."""
        if not self._started and self._columns:
            self._writer.writerow(self._columns)
        self._started = True


def _query_rows(document: Any, query: Any, fmt: OutputFormat) -> Rows:
    return query_rows(document, query, fmt.value)  # exit 2 before a line is written


def write_csv(out: TextIO, rows: Rows) -> None:
    csv_rows = CsvRows(out, rows.columns)
    for row in rows.rows:
        csv_rows.add(row)
    csv_rows.finish()


def markdown_table(rows: Rows) -> Iterable[str]:
    """A --query result's rows as a GFM table; an empty result naming no columns: nothing."""
    from pdj_cli.ui import markdown

    return markdown.table(rows.columns, rows.rows) if rows.columns else []


@dataclass(frozen=True)
class Shape(Generic[T]):
    """How a document is made of its items (a job, a batch record), format by format."""

    record: Callable[[T], Any]  # an item's JSON object: its jsonl line
    text_line: Callable[[T], str]  # an item's `-o text` line without --query
    document: Callable[[list[T]], Any]  # the json document of every item
    table: Callable[[list[T]], Sequence[RenderableType]]  # the rich views of every item
    # `-o csv`: the header; each row is the item's record flattened (pdj_cli.ui.tabular)
    columns: Sequence[str] = TEXT_COLUMNS
    # `-o markdown` lines of every item; None: their records under `columns`, as a GFM table
    markdown: Callable[[list[T]], Iterable[str]] | None = None


class DocumentWriter(Generic[T]):
    """Items to stdout in one format: streamed as they come, or held for one document."""

    def __init__(self, shape: Shape[T], fmt: OutputFormat, query: Any, terminal: Terminal):
        self.shape = shape
        self.format = fmt
        self.query = query
        self.terminal = terminal
        self.streams = streams(fmt, query)
        self._held: list[T] = []
        self._csv: CsvRows | None = None
        if self.streams and fmt is OutputFormat.csv:
            self._csv = CsvRows(terminal.stdout, shape.columns)

    def add(self, item: T, *, flush: bool = True) -> None:
        if not self.streams:
            self._held.append(item)
            return
        shape = self.shape
        if self._csv is not None:
            record = shape.record(item)
            arn_cache.note_document(record)
            self._csv.add(self._row(record))
        else:
            write_document(
                self.terminal,
                self.format,
                self.query,
                shape.record(item),
                text=lambda: [shape.text_line(item)],
            )
        if flush:
            self.flush()  # a reader (jq, a tail) sees each item as it arrives

    def flush(self) -> None:
        self.terminal.stdout.flush()

    def finish(self) -> None:
        if self._csv is not None:
            self._csv.finish()  # no item at all: still the header, for a spreadsheet
        if self.streams:
            return
        items, self._held = self._held, []
        shape = self.shape
        write_document(
            self.terminal,
            self.format,
            self.query,
            shape.document(items),
            text=lambda: [shape.text_line(item) for item in items],
            table=lambda: shape.table(items),
            rows=lambda: self._rows(items),
            markdown=lambda: self._markdown(items),
        )

    def _row(self, record: Any) -> list[str]:
        return record_row(record, self.shape.columns)

    def _rows(self, items: list[T]) -> Rows:
        return Rows(self.shape.columns, [self._row(self.shape.record(item)) for item in items])

    def _markdown(self, items: list[T]) -> Iterable[str]:
        if self.shape.markdown is not None:
            return self.shape.markdown(items)
        from pdj_cli.ui import markdown

        return markdown.table(self.shape.columns, self._rows(items).rows)


# -- text, as `aws --output text` prints it ----------------------------------------------------


def text_lines(value: Any) -> Iterator[str]:
    """`aws --output text` for a --query result: scalars bare, lists tab-joined."""
    if isinstance(value, dict):
        scalars = [text_scalar(value[key]) for key in sorted(value) if not _nested(value[key])]
        if scalars:
            yield "\t".join(scalars)
        for key in sorted(value):
            if _nested(value[key]):
                yield from text_lines(value[key])
    elif isinstance(value, list):
        if all(not _nested(item) for item in value):
            if value:
                yield "\t".join(text_scalar(item) for item in value)
        else:
            for item in value:
                yield from text_lines(item)
    else:
        yield text_scalar(value)


def _nested(value: Any) -> bool:
    return isinstance(value, (dict, list))


def text_scalar(value: Any) -> str:
    if value is None:
        return "None"  # as `aws --output text` prints a missing value
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def job_text_line(job: dict[str, Any]) -> str:
    return "\t".join(str(job.get(column, "")) for column in TEXT_COLUMNS)
