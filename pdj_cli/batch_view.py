"""How a batch looks: its records on stdout, and its progress on stderr.

`RecordWriter` prints records in the chosen format: jsonl and text stream each record as it
arrives; json (input order) and table hold them until the end. `ProgressView` (stderr is a
terminal) draws a rich progress bar with counts by status and names each failure as it
happens; `LinesView` (otherwise) writes one line per status change or failure, for CI logs.
rich is imported only when a table or a progress bar is drawn.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from pdj_cli.batch import (
    BatchEvent,
    BatchRecord,
    GroupExpanded,
    InputComplete,
    JobPending,
    Polled,
    PollTrouble,
    RecordReady,
    StatusChanged,
    Tally,
    WaitEnded,
    WaitReason,
    WaitStarted,
    plural,
)
from pdj_cli.models import DeletionJob, Status
from pdj_cli.render import (
    OutputFormat,
    Renderer,
    ago,
    generic_table,
    human_duration,
    status_style,
    styled_status,
    text_lines,
    to_json,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

ERROR_STATUS = "ERROR"  # the status column of an error record in text and table output
HEARTBEAT_SECONDS = 60.0  # off a terminal, a line at least this often while nothing changes


# -- stdout ------------------------------------------------------------------------------------


class RecordWriter:
    """Prints records to stdout in the renderer's format and --query."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.tally = Tally()
        self._held: list[BatchRecord] = []

    @property
    def streams(self) -> bool:
        """jsonl, and text without --query, print each record as it arrives."""
        fmt = self.renderer.format
        return fmt is OutputFormat.jsonl or (
            fmt is OutputFormat.text and self.renderer.query is None
        )

    def add(self, record: BatchRecord) -> None:
        self.tally.add(record)
        if not self.streams:
            self._held.append(record)  # json must print in input order: it holds every record
            return
        out = self.renderer.out
        if self.renderer.format is OutputFormat.jsonl:
            document = record.to_api()
            if self.renderer.query is not None:
                document = self.renderer.query.search(document)
            out.write(to_json(document, compact=True) + "\n")
        else:
            out.write(record_text_line(record) + "\n")
        out.flush()  # a reader (jq, a tail) sees each answer as it arrives

    def finish(self) -> None:
        if self.streams:
            return
        records = sorted(self._held, key=lambda record: record.index)
        self._held = []
        renderer = self.renderer
        document = batch_document(records)
        if renderer.query is not None:
            result = renderer.query.search(document)
            if renderer.format is OutputFormat.text:
                for line in text_lines(result):
                    renderer.out.write(line + "\n")
            elif renderer.format is OutputFormat.table and isinstance(result, (list, dict)):
                renderer.console().print(generic_table(result))
            elif renderer.format is OutputFormat.table:
                renderer.out.write(("" if result is None else str(result)) + "\n")
            else:
                renderer.out.write(to_json(result) + "\n")
        elif renderer.format is OutputFormat.json:
            renderer.out.write(to_json(document) + "\n")
        else:
            console = renderer.console()
            console.print(records_table(records))
            console.print(summary_text(self.tally))


def batch_document(records: list[BatchRecord]) -> dict[str, Any]:
    return {
        "dataDeletionJobs": [record.to_api() for record in records if record.job is not None],
        "errors": [record.to_api() for record in records if record.error is not None],
    }


def record_text_line(record: BatchRecord) -> str:
    """A job as `pdj describe -o text`; an error as: input, ERROR, code, message, source."""
    from pdj_cli.render import job_text_line

    if record.job is not None:
        return job_text_line(record.job.to_api())
    assert record.error is not None
    subject = record.group_arn or record.subject or ""
    where = str(record.origin) if record.origin is not None else ""
    fields = [subject, ERROR_STATUS, record.error.code, record.error.message, where]
    return "\t".join(" ".join(field.split()) for field in fields)


def records_table(records: list[BatchRecord]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    # Names whole where they fit; the detail (a failure reason, an error message) wraps.
    table.add_column("Name", overflow="fold", min_width=20)
    table.add_column("Status", no_wrap=True)
    table.add_column("Dataset group", overflow="fold")
    table.add_column("Updated", no_wrap=True)
    table.add_column("Detail", overflow="fold", min_width=16, ratio=1)
    for record in records:
        if record.job is not None:
            job = record.job
            table.add_row(
                job_name(job),
                styled_status(job.status),
                (job.dataset_group_arn or "").rsplit("/", 1)[-1],
                ago(job.updated),
                job.failure_reason or "",
            )
        elif record.error is not None:
            where = f" ({record.origin})" if record.origin and record.origin.line else ""
            table.add_row(
                _short_subject(record.group_arn or record.subject or "") + where,
                Text(record.error.code, style="bold red"),
                "",
                "",
                record.error.message,
            )
    return table


def summary_text(tally: Tally) -> RenderableType:
    from rich.text import Text

    text = Text(f"{tally.total} {'record' if tally.total == 1 else 'records'}", style="bold")
    for position, (label, count) in enumerate(tally.parts()):
        text.append(": " if position == 0 else " · ")
        style = "bold red" if label in ("error", "errors") else status_style(label)
        text.append(f"{count} {label}", style=style)
    return text


def _short_subject(subject: str) -> str:
    """A name for the table: an ARN's last part (the message names the whole ARN)."""
    if subject.startswith("arn:") and "/" in subject:
        return subject.rsplit("/", 1)[-1]
    return subject if len(subject) <= 40 else subject[:39] + "…"


def job_name(job: DeletionJob) -> str:
    return job.name or job.arn.rsplit("/", 1)[-1]


def record_ref(record: BatchRecord) -> str:
    """How a line on stderr names a record: the job's name, or the input and where it was."""
    if record.job is not None:
        return job_name(record.job)
    if record.origin is not None and record.origin.line is not None:
        return str(record.origin)  # the message names the input itself
    return record.group_arn or record.subject or "?"


# -- stderr ------------------------------------------------------------------------------------


class _Counts:
    """Jobs by their latest status, pending ones included, and errors, for the progress."""

    def __init__(self) -> None:
        self.statuses: Counter[str] = Counter()
        self.errors = 0
        self.pending: dict[str, str] = {}

    def pending_job(self, job: DeletionJob) -> None:
        self.pending[job.arn] = job.status
        self.statuses[job.status] += 1

    def changed(self, job: DeletionJob, previous: str) -> None:
        if job.arn in self.pending:
            self.statuses[previous] -= 1
            self.statuses[job.status] += 1
            self.pending[job.arn] = job.status

    def record(self, record: BatchRecord) -> None:
        arn = record.subject or ""
        if arn in self.pending:
            self.statuses[self.pending.pop(arn)] -= 1
        if record.error is not None:
            self.errors += 1
        elif record.job is not None:
            self.statuses[record.job.status] += 1

    def text(self) -> str:
        order = [s.value for s in Status] + sorted(set(self.statuses) - {s.value for s in Status})
        parts = [f"{self.statuses[status]} {status}" for status in order if self.statuses[status]]
        if self.errors:
            parts.append(f"{self.errors} {plural(self.errors, 'error')}")
        return ", ".join(parts)


class LinesView:
    """Off a terminal: one line per status change or failure on stderr, and a summary."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        self._stream = stream
        self.clock = clock
        self.heartbeat = heartbeat
        self.counts = _Counts()
        self.duplicates = 0
        self._announced_failed: set[str] = set()
        self._started = clock()
        self._last_line = self._started
        self._gave_up = False

    def __enter__(self) -> LinesView:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr

    def write(self, line: str) -> None:
        self.stream.write(f"pdj: {line}\n")
        self.stream.flush()
        self._last_line = self.clock()

    def handle(self, event: BatchEvent) -> None:
        if isinstance(event, RecordReady):
            self._record(event.record)
        elif isinstance(event, JobPending):
            self.counts.pending_job(event.job)
        elif isinstance(event, StatusChanged):
            self.counts.changed(event.job, event.previous)
            self._status_changed(event)
        elif isinstance(event, InputComplete):
            self.duplicates = event.duplicates
        elif isinstance(event, GroupExpanded) and event.jobs == 0:
            self.write(f"warning: dataset group {event.group} has no data deletion jobs")
        elif isinstance(event, WaitStarted):
            noun = "job" if event.pending == 1 else "jobs"
            every = human_duration(event.interval)
            self.write(f"waiting for {event.pending} {noun} to finish (polling every {every})")
        elif isinstance(event, PollTrouble) and event.failure.first_in_streak:
            retry = human_duration(event.failure.retry_in)
            self.write(f"warning: {event.failure.error.message}; retrying in {retry}")
        elif isinstance(event, Polled):
            if event.pending and self.clock() - self._last_line >= self.heartbeat:
                elapsed = human_duration(self.clock() - self._started)
                self.write(
                    f"still waiting for {event.pending} after {elapsed}: {self.counts.text()}"
                )
        elif isinstance(event, WaitEnded):
            self._wait_ended(event)

    def _record(self, record: BatchRecord) -> None:
        self.counts.record(record)
        if record.error is not None and self._gave_up:
            return  # one line said why every job still pending ends as an error
        if record.error is not None:
            self.write(f"{record_ref(record)}: {record.error.code}: {record.error.message}")
        elif (
            record.job is not None
            and record.job.status == Status.FAILED.value
            and record.job.arn not in self._announced_failed
        ):
            self._announced_failed.add(record.job.arn)
            self.write(f"{job_name(record.job)}: FAILED{_reason(record.job)}")

    def _status_changed(self, event: StatusChanged) -> None:
        job = event.job
        reason = ""
        if job.status == Status.FAILED.value:
            self._announced_failed.add(job.arn)
            reason = _reason(job)
        self.write(f"{job_name(job)}: {event.previous} -> {job.status}{reason}")

    def _wait_ended(self, event: WaitEnded) -> None:
        if event.reason == WaitReason.ERRORS:
            self._gave_up = True
            self.write(f"error: {event.error}; {event.pending} jobs reported as errors")
        elif event.reason == WaitReason.TIMEOUT:
            self.write(f"timed out with {event.pending} not terminal")
        elif event.reason == WaitReason.FAIL_FAST and event.pending:
            self.write(f"a job FAILED (--fail-fast): {event.pending} reported as last seen")

    def finish(self, tally: Tally) -> None:
        duplicates = (
            f" ({self.duplicates} duplicate inputs answered once)" if self.duplicates else ""
        )
        self.write(f"{tally.summary()}{duplicates}")


def _reason(job: DeletionJob) -> str:
    return f": {job.failure_reason}" if job.failure_reason else ""


class ProgressView(LinesView):
    """On a terminal: a live bar (terminal jobs of total, counts by status, elapsed time);
    failures and warnings are printed above it as they happen."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressView:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[counts]}"),
            console=self.console,
            transient=False,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task("answering", total=None, counts="")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc_info)

    def write(self, line: str) -> None:
        # Printed above the bar; the live display redraws itself below.
        self.console.print(line, markup=False, highlight=False)

    def handle(self, event: BatchEvent) -> None:
        if isinstance(event, Polled):
            return  # the bar itself is the heartbeat
        super().handle(event)
        if isinstance(event, RecordReady):
            self._progress.advance(self._task)
        elif isinstance(event, InputComplete):
            self._progress.update(self._task, total=event.total)
        elif isinstance(event, WaitStarted):
            self._progress.update(self._task, description="waiting")
        self._progress.update(self._task, counts=self.counts.text())

    def _record(self, record: BatchRecord) -> None:
        self.counts.record(record)
        if record.error is not None and self._gave_up:
            return
        if record.error is not None:
            self.console.print(
                f"[bold red]✗[/] {_escape(record_ref(record))}: "
                f"[red]{_escape(record.error.code)}[/] {_escape(record.error.message)}",
                highlight=False,
            )
        elif (
            record.job is not None
            and record.job.status == Status.FAILED.value
            and record.job.arn not in self._announced_failed
        ):
            self._announced_failed.add(record.job.arn)
            self._failed_line(record.job)

    def _status_changed(self, event: StatusChanged) -> None:
        if event.job.status == Status.FAILED.value:
            self._announced_failed.add(event.job.arn)
            self._failed_line(event.job)

    def _failed_line(self, job: DeletionJob) -> None:
        self.console.print(
            f"[bold red]✗[/] {_escape(job_name(job))} [bold red]FAILED[/]{_escape(_reason(job))}",
            highlight=False,
        )

    def finish(self, tally: Tally) -> None:
        if self.duplicates:
            self.write(f"{self.duplicates} duplicate inputs answered once")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def make_view(
    *,
    fmt: OutputFormat,
    color: bool,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> LinesView:
    """A progress bar when a person watches stderr, else lines.

    The bar is drawn only when it cannot tangle with the records: stdout is not the same
    terminal, or the format is table (printed once, after the bar has stopped).
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if _isatty(err) and (fmt is OutputFormat.table or not _isatty(out)):
        from rich.console import Console

        console = Console(file=err, no_color=not color, highlight=False)
        return ProgressView(console)
    return LinesView(err)


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
