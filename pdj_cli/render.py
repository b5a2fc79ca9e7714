"""Output: json, jsonl and text with the standard library; table with rich.

Machine formats are written with plain `json`/`print` to stdout so nothing colours or wraps a
pipe. The stdout stream is looked up when printing, never at import (tests swap it).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TextIO

from pdj_cli.formats import OutputFormat
from pdj_cli.models import DeletionJob, Status

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


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

STATUS_STYLES = {
    Status.COMPLETED.value: "bold green",
    Status.FAILED.value: "bold red",
    Status.IN_PROGRESS.value: "bold yellow",
    Status.PENDING.value: "bold cyan",
}
UNKNOWN_STATUS_STYLE = "bold magenta"


def to_json(document: Any, *, compact: bool = False) -> str:
    """JSON as `aws` prints it: 4-space indent, non-ASCII kept; jsonl is one compact line."""
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(document, indent=4, ensure_ascii=False)


def status_style(status: str) -> str:
    return STATUS_STYLES.get(status, UNKNOWN_STATUS_STYLE)


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'3 hours ago', 'in 5 minutes' (a clock skew), 'just now'."""
    if moment is None:
        return ""
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    if abs(seconds) < 5:
        return "just now"
    text = human_duration(abs(seconds), coarse=True)
    return f"{text} ago" if seconds > 0 else f"in {text}"


def human_duration(seconds: float, *, coarse: bool = False) -> str:
    """'45s', '3m 20s', '2h 05m', '3d 4h'; coarse: '3 hours', '2 days'."""
    seconds = max(0.0, seconds)
    if coarse:
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                count = int(seconds // size)
                return f"{count} {unit}{'s' if count != 1 else ''}"
        count = int(seconds)
        return f"{count} second{'s' if count != 1 else ''}"
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{seconds:.0f}s" if seconds >= 1 else f"{seconds:.1f}s"


def text_lines(value: Any) -> Iterator[str]:
    """`aws --output text` for a --query result: scalars bare, lists tab-joined."""
    if isinstance(value, dict):
        scalars = [_text_scalar(value[key]) for key in sorted(value) if not _nested(value[key])]
        if scalars:
            yield "\t".join(scalars)
        for key in sorted(value):
            if _nested(value[key]):
                yield from text_lines(value[key])
    elif isinstance(value, list):
        if all(not _nested(item) for item in value):
            if value:
                yield "\t".join(_text_scalar(item) for item in value)
        else:
            for item in value:
                yield from text_lines(item)
    else:
        yield _text_scalar(value)


def _nested(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _text_scalar(value: Any) -> str:
    if value is None:
        return "None"  # as `aws --output text` prints a missing value
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def job_text_line(job: dict[str, Any]) -> str:
    return "\t".join(str(job.get(column, "")) for column in TEXT_COLUMNS)


@dataclass
class Renderer:
    """Turns jobs into the chosen format on stdout."""

    format: OutputFormat
    query: Any = None  # a compiled JMESPath expression
    color: bool = True
    stdout: TextIO | None = None

    @property
    def out(self) -> TextIO:
        return self.stdout or sys.stdout

    # -- one job ---------------------------------------------------------------------------

    def job(self, job: DeletionJob) -> None:
        if self.format is OutputFormat.jsonl:
            self._jsonl(job.to_api())
        elif self.query is not None:
            self._queried({"dataDeletionJob": job.to_api()})
        elif self.format is OutputFormat.json:
            self._write(to_json({"dataDeletionJob": job.to_api()}))
        elif self.format is OutputFormat.text:
            self._write(job_text_line(job.to_api()))
        else:
            self.console().print(job_panel(job))

    # -- many jobs -------------------------------------------------------------------------

    def jobs(self, pages: Iterable[list[DeletionJob]]) -> int:
        """Print every job of every page; jsonl (and unqueried text) stream page by page."""
        count = 0
        streams = self.format is OutputFormat.jsonl or (
            self.format is OutputFormat.text and self.query is None
        )
        if streams:
            for page in pages:
                for job in page:
                    if self.format is OutputFormat.jsonl:
                        self._jsonl(job.to_api())
                    else:
                        self._write(job_text_line(job.to_api()))
                    count += 1
                self.out.flush()
            return count
        collected = [job for page in pages for job in page]
        document = {"dataDeletionJobs": [job.to_api() for job in collected]}
        if self.query is not None:
            self._queried(document)
        elif self.format is OutputFormat.json:
            self._write(to_json(document))
        else:
            self.console().print(jobs_table(collected))
        return len(collected)

    # -- plumbing --------------------------------------------------------------------------

    def console(self) -> Console:
        from rich.console import Console

        return Console(file=self.out, no_color=not self.color, highlight=False, soft_wrap=False)

    def _jsonl(self, record: dict[str, Any]) -> None:
        if self.query is not None:
            record = self.query.search(record)
        self._write(to_json(record, compact=True))

    def _queried(self, document: Any) -> None:
        result = self.query.search(document)
        if self.format is OutputFormat.text:
            for line in text_lines(result):
                self._write(line)
        elif self.format is OutputFormat.table and isinstance(result, (list, dict)):
            self.console().print(generic_table(result))
        elif self.format is OutputFormat.table:
            self._write(_text_scalar(result))
        else:
            self._write(to_json(result))

    def _write(self, line: str) -> None:
        self.out.write(line + "\n")


# -- rich views -------------------------------------------------------------------------------


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
    title = Text(job.name or job.arn.rsplit("/", 1)[-1], style="bold")
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
            job.name or job.arn.rsplit("/", 1)[-1],
            styled_status(job.status),
            (job.dataset_group_arn or "").rsplit("/", 1)[-1],
            ago(job.created, now),
            ago(job.updated, now),
            job.failure_reason or "",
        )
    noun = "job" if len(jobs) == 1 else "jobs"
    table.caption = f"{len(jobs)} {noun}" if jobs else "no data deletion jobs"
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
