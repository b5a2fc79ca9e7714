"""The rich views of jobs: the describe panel, the list table, a --query result as a table.

rich is imported inside the functions: only a table that is drawn pays for it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pdj_cli.models import DeletionJob
from pdj_cli.ui.json_text import to_json
from pdj_cli.ui.words import ago, counted, job_label, last_part, status_style

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from pdj_cli.ui.layout import Cell


def styled_status(status: str) -> Text:
    from rich.text import Text

    return Text(status or "?", style=status_style(status))


def job_panel(job: DeletionJob, now: datetime | None = None) -> RenderableType:
    """The describe panel; at a width where an ARN would not fit beside its label, the same
    values as `label: value` lines without a border (an ARN is never broken across lines)."""
    from rich.text import Text

    from pdj_cli.ui.layout import Field, FittedPanel

    fields = [Field("Status", styled_status(job.status)), Field("ARN", job.arn)]
    rows: list[tuple[str, str | None]] = [
        ("Dataset group", job.dataset_group_arn),
        ("Data location", job.data_location),
        ("Role", job.role_arn),
        ("Records deleted", f"{job.num_deleted:,}" if job.num_deleted is not None else None),
        ("Created", _moment(job.created, now)),
        ("Updated", _moment(job.updated, now)),
    ]
    fields += [Field(label, value) for label, value in rows if value is not None]
    if job.failure_reason:
        label = Text("Failure reason", style="bold red")
        fields.append(Field(label, job.failure_reason, words=True))
    title = Text(job_label(job), style="bold")
    return FittedPanel(title, fields, border_style=status_style(job.status))


def jobs_table(jobs: list[DeletionJob], now: datetime | None = None) -> RenderableType:
    """The list table, or one record per job where the table would not fit whole; the caption
    (the count and the ARN every name completes) is a whole line below it."""
    from pdj_cli.ui.layout import Column, FittedTable

    columns = [
        Column("Name"),
        Column("Status"),
        Column("Dataset group"),
        Column("Created", words=True),  # `3 days ago` may wrap at its spaces
        Column("Updated", words=True),
        Column("Failure reason", words=True, aside=True),
    ]
    rows: list[list[Cell]] = [
        [
            job_label(job),
            styled_status(job.status),
            last_part(job.dataset_group_arn or ""),
            ago(job.created, now),
            ago(job.updated, now),
            job.failure_reason or "",
        ]
        for job in jobs
    ]
    caption = counted(len(jobs), "job") if jobs else "no data deletion jobs"
    if jobs:
        prefix = jobs[0].arn.rsplit("/", 1)[0]
        caption += f" · ARN: {prefix}/<Name>"
    return FittedTable(columns, rows, caption)


def generic_table(value: list[Any] | dict[str, Any]) -> RenderableType:
    """A --query result in table form: rows of dicts become columns, anything else a list.
    Each value may wrap at spaces, never inside a word; too wide for that, it is records."""
    from pdj_cli.ui.layout import Column, FittedTable

    rows = value if isinstance(value, list) else [value]
    if rows and all(isinstance(row, dict) for row in rows):
        names = list(dict.fromkeys(key for row in rows for key in row))
        columns = [Column(name, words=True) for name in names]
        cells: list[list[Cell]] = [[_cell(row.get(name)) for name in names] for row in rows]
    else:
        columns = [Column("value", words=True)]
        cells = [[_cell(row)] for row in rows]
    return FittedTable(columns, cells)


def _cell(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return to_json(value, compact=True)
    return "" if value is None else str(value)


def _moment(moment: datetime | None, now: datetime | None) -> str | None:
    if moment is None:
        return None
    utc = moment.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%d %H:%M:%S} UTC ({ago(moment, now)})"
