"""The Markdown step summary: a heading, the counts by status, then the table `-o markdown`
prints (pdj_cli.ui.markdown), kept within GitHub's 1 MiB a step.

A batch too long for that keeps its most telling rows (errors, FAILED jobs, jobs not terminal,
then COMPLETED ones), in input order, and says how many rows it left out and of which status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from pdj_cli.batch.records import BatchRecord
from pdj_cli.models import Status, in_status_order
from pdj_cli.ui.markdown import JOB_COLUMNS, cell, record_row, table
from pdj_cli.ui.words import counted, plural

# GitHub refuses a step summary over 1 MiB (and shows none of it); what the step's earlier
# commands wrote counts too.
SUMMARY_LIMIT = 1024 * 1024
# Room kept for the line that counts the rows left out.
_FOOTER_ROOM = 512
NOT_SEEN = "not seen"  # the status label of a watched job never seen (Ctrl-C before any answer)


def status_label(record: BatchRecord) -> str:
    """What a record counts as: its job's status, or `error`."""
    if record.job is None:
        return "error"
    return record.job.status or NOT_SEEN


def counts_text(records: Sequence[BatchRecord], noun: str = "record") -> str:
    """'5 records: 2 COMPLETED, 1 FAILED, 2 errors', statuses in their lifecycle order."""
    parts = status_parts(records)
    return counted(len(records), noun) + (f": {', '.join(parts)}" if parts else "")


def status_parts(records: Iterable[BatchRecord]) -> list[str]:
    """['2 COMPLETED', '1 FAILED', '2 errors']: statuses in their lifecycle order, then errors."""
    labels = Counter(status_label(record) for record in records)
    errors = labels.pop("error", 0)
    parts = [f"{labels[label]} {label}" for label in in_status_order(labels)]
    if errors:
        parts.append(counted(errors, "error"))
    return parts


def severity(record: BatchRecord) -> int:
    """Which rows a summary too long for GitHub keeps first (lower first)."""
    if record.job is None:
        return 0
    if record.job.status == Status.FAILED.value:
        return 1
    return 3 if record.job.status == Status.COMPLETED.value else 2


def counts_line(records: Sequence[BatchRecord], noun: str, exit_code: int | None) -> str:
    """'**5 records**: 2 COMPLETED, 1 FAILED, 2 errors · exit 4', as `-o markdown`'s counts."""
    parts = ", ".join(cell(part) for part in status_parts(records))
    line = f"**{counted(len(records), noun)}**" + (f": {parts}" if parts else "")
    return line + (f" · exit {exit_code}" if exit_code is not None else "")


def step_summary(
    heading: str,
    records: Sequence[BatchRecord],
    budget: int,
    *,
    noun: str = "record",
    exit_code: int | None = None,
    notes: Iterable[str] = (),
) -> str | None:
    """The summary's Markdown in at most `budget` UTF-8 bytes; None when not even its head fits.

    `notes` are plain text (escaped here) printed under the counts: how the run ended.
    """
    head = [f"### {cell(heading)}", "", counts_line(records, noun, exit_code), ""]
    for note in notes:
        head += [cell(note), ""]
    header, delimiter, *rows = table(JOB_COLUMNS, (record_row(record) for record in records))
    head += [header, delimiter]
    used = _size(head) + 1  # and the blank line that ends the summary
    if used > budget:
        return None
    kept = _fitting(records, rows, budget - used)
    body = [rows[index] for index in sorted(kept)]
    left_out = [records[index] for index in range(len(records)) if index not in kept]
    text = head + body
    if left_out:
        text += ["", _left_out_line(left_out)]
    return "\n".join(text) + "\n\n"


def _fitting(records: Sequence[BatchRecord], rows: Sequence[str], budget: int) -> set[int]:
    """The positions of the rows shown: all of them if they fit, else the most telling first."""
    sizes = [len(row.encode()) + 1 for row in rows]
    if sum(sizes) <= budget:
        return set(range(len(rows)))
    room = budget - _FOOTER_ROOM
    kept: set[int] = set()
    for index in sorted(range(len(rows)), key=lambda i: (severity(records[i]), i)):
        if sizes[index] > room:
            break  # keep the order of importance: no less telling row jumps ahead
        room -= sizes[index]
        kept.add(index)
    return kept


def _left_out_line(records: Sequence[BatchRecord]) -> str:
    parts = status_parts(records)
    rows = f"{len(records)} more {plural(len(records), 'row')}"
    return (
        f"*…and {rows} not shown ({cell(', '.join(parts))}): "
        "a step summary holds at most 1 MiB; pdj's output has every record.*"
    )


def _size(lines: Sequence[str]) -> int:
    return sum(len(line.encode()) + 1 for line in lines)
