"""Every format in one writer: json, jsonl, text and table, with --query applied first.

`write_document` is the one place a --query result is printed (a null result is `null` in
json and jsonl and `None` in text and table, as the AWS CLI prints it); `DocumentWriter`
streams items (jsonl, and text without --query) or holds them for one document at the end.
Machine formats are plain `json`/`print` on stdout: nothing colours or wraps a pipe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pdj_cli import arn_cache
from pdj_cli.formats import OutputFormat
from pdj_cli.ui.json_text import to_json
from pdj_cli.ui.terminal import Terminal

if TYPE_CHECKING:
    from rich.console import RenderableType

T = TypeVar("T")

# `-o text` columns for a job, in order; a field the service did not return is empty.
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
    """jsonl, and text without --query, print each item as it comes; the rest wait for all."""
    return fmt is OutputFormat.jsonl or (fmt is OutputFormat.text and query is None)


def write_document(
    terminal: Terminal,
    fmt: OutputFormat,
    query: Any,
    document: Any,
    *,
    text: Callable[[], Iterable[str]] | None = None,
    table: Callable[[], Sequence[RenderableType]] | None = None,
) -> None:
    """Print one document in `fmt`, the compiled --query (if any) applied first.

    Without a query, `text` and `table` give the document's own text lines and rich views;
    with one (or without them), the result is printed by the AWS CLI's rules.
    """
    out = terminal.stdout
    arn_cache.note_document(document)  # for Tab: the jobs printed, written as pdj exits
    if query is not None:
        document = query.search(document)
    if fmt is OutputFormat.json:
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


@dataclass(frozen=True)
class Shape(Generic[T]):
    """How a document is made of its items (a job, a batch record), format by format."""

    record: Callable[[T], Any]  # an item's JSON object: its jsonl line
    text_line: Callable[[T], str]  # an item's `-o text` line without --query
    document: Callable[[list[T]], Any]  # the json document of every item
    table: Callable[[list[T]], Sequence[RenderableType]]  # the rich views of every item


class DocumentWriter(Generic[T]):
    """Items to stdout in one format: streamed as they come, or held for one document."""

    def __init__(self, shape: Shape[T], fmt: OutputFormat, query: Any, terminal: Terminal):
        self.shape = shape
        self.format = fmt
        self.query = query
        self.terminal = terminal
        self.streams = streams(fmt, query)
        self._held: list[T] = []

    def add(self, item: T, *, flush: bool = True) -> None:
        if not self.streams:
            self._held.append(item)
            return
        shape = self.shape
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
        )


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
