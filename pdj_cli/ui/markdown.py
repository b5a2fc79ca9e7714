"""GitHub-flavoured Markdown tables of jobs and batch records.

`-o markdown` and the CI step summary print this one table, so a ticket and a workflow run show
the same columns. Cells are escaped here: a failure reason or an input line is text someone
else wrote, and a `|`, a newline or an HTML tag in it must not break the table or add markup.
No library writes GFM tables with this escaping, and the rules are a few lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from pdj_cli.models import DeletionJob
from pdj_cli.ui.words import counted, human_duration, job_duration, job_label, tally_parts

if TYPE_CHECKING:
    from pdj_cli.batch.records import BatchRecord, Tally

JOB_COLUMNS = (
    "Job",
    "Status",
    "Records deleted",
    "Duration",
    "Failure reason",
    "Dataset group",
)
# A batch error record takes the same columns; its code and message go under Failure reason.
ERROR_STATUS = "error"

# Markdown's own punctuation that could start markup inside a cell (`_` emphasis and GFM's `~`
# strikethrough too), and HTML's.
_BACKSLASHED = "\\`*_~[]|"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def cell(value: object) -> str:
    """One value as a table cell: one line, nothing in it read as markup or a column break."""
    text = ("" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")
    escaped = []
    for index, char in enumerate(text):
        if char in _ENTITIES:
            escaped.append(_ENTITIES[char])
        elif char == "_" and _inside_a_word(text, index):
            escaped.append(char)  # IN_PROGRESS, erase_user_42: GFM never reads these as emphasis
        elif char in _BACKSLASHED:
            escaped.append("\\" + char)
        elif char == "\n":
            escaped.append("<br>")
        elif char < " " or char == "\x7f":
            escaped.append(" ")  # a tab or another control character would read as nothing
        elif "\ud800" <= char <= "\udfff":
            # a byte of an argument that was not UTF-8: shown as its error message shows it,
            # since UTF-8 (a step summary, a ticket) cannot hold it
            escaped.append(repr(char)[1:-1])
        else:
            escaped.append(char)
    return "".join(escaped)


def _inside_a_word(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The lines of a GFM table: header, delimiter, one line a row (cells escaped)."""
    yield "| " + " | ".join(cell(header) for header in headers) + " |"
    yield "|" + "|".join(" --- " for _ in headers) + "|"
    for row in rows:
        yield "| " + " | ".join(cell(value) for value in row) + " |"


def duration_cell(job: DeletionJob) -> str:
    """How long the job ran, creation to its last update ('' when either is unknown)."""
    seconds = job_duration(job)
    return "" if seconds is None else human_duration(seconds)


def job_row(job: DeletionJob) -> tuple[object, ...]:
    """A job under JOB_COLUMNS: records deleted is blank where the service gave no count."""
    return (
        job_label(job),
        job.status,
        "" if job.num_deleted is None else job.num_deleted,
        duration_cell(job),
        job.failure_reason or "",
        job.dataset_group_arn or "",
    )


def error_row(subject: str, code: str, message: str, where: str | None) -> tuple[object, ...]:
    """An error record under JOB_COLUMNS: what was asked for, `error`, the code and message,
    and where the input came from (`file:line`) in place of the dataset group."""
    return (subject, ERROR_STATUS, "", "", f"{code}: {message}", where or "")


def record_row(record: BatchRecord) -> tuple[object, ...]:
    """A batch record under JOB_COLUMNS: a job's row, or an error's."""
    if record.job is not None:
        return job_row(record.job)
    assert record.error is not None
    subject = record.group_arn or record.subject or ""
    where = str(record.origin) if record.origin is not None else None
    return error_row(subject, record.error.code, record.error.message, where)


def jobs_table(jobs: Iterable[DeletionJob]) -> Iterator[str]:
    """`-o markdown` of describe, watch and list: the job table."""
    return table(JOB_COLUMNS, (job_row(job) for job in jobs))


def counts_line(tally: Tally) -> str:
    """'**4 records**: 2 COMPLETED, 1 FAILED, 1 error', the table format's summary line."""
    counts = ", ".join(f"{count} {cell(label)}" for label, count in tally_parts(tally))
    return f"**{counted(tally.total, 'record')}**" + (f": {counts}" if counts else "")


def batch_lines(records: Iterable[BatchRecord], tally: Tally) -> Iterator[str]:
    """`-o markdown` of a batch: the counts line, a blank line, the table of records."""
    yield counts_line(tally)
    yield ""
    yield from table(JOB_COLUMNS, (record_row(record) for record in records))
