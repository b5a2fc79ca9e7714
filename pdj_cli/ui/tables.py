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


def styled_status(status: str) -> RenderableType:
    from rich.text import Text

    return Text(status or "?", style=status_style(status))


def job_panel(job: DeletionJob, now: datetime | None = None) -> RenderableType:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Status", styled_status(job.status))
    grid.add_row("ARN", job.arn)
    rows: list[tuple[str, str | None]] = [
        ("Dataset group", job.dataset_group_arn),
        ("Data location", job.data_location),
        ("Role", job.role_arn),
        ("Records deleted", f"{job.num_deleted:,}" if job.num_deleted is not None else None),
        ("Created", _moment(job.created, now)),
        ("Updated", _moment(job.updated, now)),
    ]
    for label, value in rows:
        if value is not None:
            grid.add_row(label, value)
    if job.failure_reason:
        grid.add_row(Text("Failure reason", style="bold red"), job.failure_reason)
    title = Text(job_label(job), style="bold")
    return Panel(
        grid, title=title, title_align="left", border_style=status_style(job.status), expand=False
    )


def jobs_table(jobs: list[DeletionJob], now: datetime | None = None) -> RenderableType:
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("Name", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Dataset group", no_wrap=True)
    table.add_column("Created", no_wrap=True)
    table.add_column("Updated", no_wrap=True)
    table.add_column("Failure reason", overflow="fold", ratio=1)
    for job in jobs:
        table.add_row(
            job_label(job),
            styled_status(job.status),
            last_part(job.dataset_group_arn or ""),
            ago(job.created, now),
            ago(job.updated, now),
            job.failure_reason or "",
        )
    table.caption = counted(len(jobs), "job") if jobs else "no data deletion jobs"
    if jobs:
        prefix = jobs[0].arn.rsplit("/", 1)[0]
        table.caption += f" · ARN: {prefix}/<Name>"
    return table


def generic_table(value: list[Any] | dict[str, Any]) -> RenderableType:
    """A --query result in table form: rows of dicts become columns, anything else a list."""
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    rows = value if isinstance(value, list) else [value]
    if rows and all(isinstance(row, dict) for row in rows):
        columns = list(dict.fromkeys(key for row in rows for key in row))
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(column)) for column in columns))
    else:
        table.add_column("value", overflow="fold")
        for row in rows:
            table.add_row(_cell(row))
    return table


def _cell(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return to_json(value, compact=True)
    return "" if value is None else str(value)


def _moment(moment: datetime | None, now: datetime | None) -> str | None:
    if moment is None:
        return None
    utc = moment.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%d %H:%M:%S} UTC ({ago(moment, now)})"
