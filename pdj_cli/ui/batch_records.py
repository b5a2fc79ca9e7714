"""A batch's records on stdout: jsonl, text and csv stream each record as it arrives; json,
table and markdown hold them until the end (in input order), the table and markdown with a line
of counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pdj_cli.batch.records import BatchRecord, Tally
from pdj_cli.ui import markdown
from pdj_cli.ui.document import TEXT_COLUMNS, Shape, job_text_line
from pdj_cli.ui.output import Output
from pdj_cli.ui.words import ago, counted, job_label, last_part, status_style, tally_parts
from pdj_cli.ui.words import tally_summary as tally_summary  # its old home: kept importable

if TYPE_CHECKING:
    from rich.console import RenderableType

ERROR_STATUS = "ERROR"  # the status column of an error record in text and table output
# `-o csv`: an error record's own fields after a job's (its `error` object flattened).
ERROR_COLUMNS = ("errorCode", "errorMessage", "source", "line", "inputLength")


class RecordWriter:
    """Prints records to stdout in the output's format and --query.

    The table's summary line reads `tally`: the batch's one Tally, counted by its progress
    view (pdj_cli.ui.batch_view.ProgressCounts), which sees every record before the writer.
    """

    def __init__(self, output: Output, tally: Tally) -> None:
        self.tally = tally
        self._writer = output.writer(
            Shape(
                record=BatchRecord.to_api,
                text_line=record_text_line,
                document=lambda records: batch_document(_in_input_order(records)),
                table=self._tables,
                columns=TEXT_COLUMNS + ERROR_COLUMNS,
                markdown=self._markdown,
            )
        )

    def add(self, record: BatchRecord) -> None:
        self._writer.add(record)

    def finish(self) -> None:
        self._writer.finish()

    def _markdown(self, records: list[BatchRecord]) -> Iterable[str]:
        return markdown.batch_lines(_in_input_order(records), self.tally)

    def _tables(self, records: list[BatchRecord]) -> Sequence[RenderableType]:
        return [records_table(_in_input_order(records)), summary_text(self.tally)]


def _in_input_order(records: list[BatchRecord]) -> list[BatchRecord]:
    return sorted(records, key=lambda record: record.index)


def batch_document(records: list[BatchRecord]) -> dict[str, Any]:
    return {
        "dataDeletionJobs": [record.to_api() for record in records if record.job is not None],
        "errors": [record.to_api() for record in records if record.error is not None],
    }


def record_text_line(record: BatchRecord) -> str:
    """A job as `pdj describe -o text`; an error as: input, ERROR, code, message, source."""
    if record.job is not None:
        return job_text_line(record.job.to_api())
    assert record.error is not None
    subject = record.group_arn or record.subject or ""
    where = str(record.origin) if record.origin is not None else ""
    fields = [subject, ERROR_STATUS, record.error.code, record.error.message, where]
    return "\t".join(" ".join(field.split()) for field in fields)


def records_table(records: list[BatchRecord]) -> RenderableType:
    """The records as a table; where it would not fit whole, the details go below it, or
    each record becomes `key: value` lines (pdj_cli.ui.layout)."""
    from rich.text import Text

    from pdj_cli.ui.layout import Cell, Column, FittedTable
    from pdj_cli.ui.tables import styled_status

    columns = [
        Column("Name"),
        Column("Status"),
        Column("Dataset group"),
        Column("Updated", words=True),
        Column("Detail", words=True, aside=True),  # a failure reason, an error message
    ]
    rows: list[list[Cell]] = []
    for record in records:
        if record.job is not None:
            job = record.job
            rows.append(
                [
                    job_label(job),
                    styled_status(job.status),
                    last_part(job.dataset_group_arn or ""),
                    ago(job.updated),
                    job.failure_reason or "",
                ]
            )
        elif record.error is not None:
            where = f" ({record.origin})" if record.origin and record.origin.line else ""
            rows.append(
                [
                    _short_subject(record.group_arn or record.subject or "") + where,
                    Text(record.error.code, style="bold red"),
                    "",
                    "",
                    record.error.message,
                ]
            )
    return FittedTable(columns, rows)


def summary_text(tally: Tally) -> RenderableType:
    from rich.text import Text

    text = Text(counted(tally.total, "record"), style="bold")
    for position, (label, count) in enumerate(tally_parts(tally)):
        text.append(": " if position == 0 else " · ")
        style = "bold red" if label in ("error", "errors") else status_style(label)
        text.append(f"{count} {label}", style=style)
    return text


def _short_subject(subject: str) -> str:
    """A name for the table: an ARN's last part (the message names the whole ARN); any other
    input whole, as it was given."""
    if subject.startswith("arn:") and "/" in subject:
        return last_part(subject)
    return subject


def record_ref(record: BatchRecord) -> str:
    """How a line on stderr names a record: the job's name, or the input and where it was."""
    if record.job is not None:
        return job_label(record.job)
    if record.origin is not None and record.origin.line is not None:
        return str(record.origin)  # the message names the input itself
    return record.group_arn or record.subject or "?"
