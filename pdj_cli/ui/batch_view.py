"""A batch's progress on stderr: a rich bar on a terminal, plain lines (for CI logs) off one.

Both views are built from the same pieces: `BatchProgress` (what the events have told so far)
and `notice` (the words for batch-wide events); each only decides how a moment is shown.
rich is imported only when the bar is drawn.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from pdj_cli.batch.events import (
    BatchEvent,
    GroupExpanded,
    InputComplete,
    JobPending,
    Polled,
    PollTrouble,
    RecordReady,
    StatusChanged,
    WaitEnded,
    WaitReason,
    WaitStarted,
)
from pdj_cli.batch.records import BatchRecord, Tally
from pdj_cli.formats import OutputFormat
from pdj_cli.models import DeletionJob, Status
from pdj_cli.ui.batch_records import record_ref
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.words import counted, human_duration, job_label, tally_parts, tally_summary

if TYPE_CHECKING:
    from rich.console import Console

HEARTBEAT_SECONDS = 60.0  # off a terminal, a line at least this often while nothing changes


class ProgressCounts:
    """Jobs by their latest status and errors: the records so far in a Tally (the batch's one:
    the record writer's summary reads it too), plus the jobs still being waited for at their
    latest status."""

    def __init__(self) -> None:
        self.tally = Tally()
        self.pending: dict[str, str] = {}  # job ARN -> its latest status

    @property
    def statuses(self) -> Counter[str]:
        return self.tally.statuses + Counter(self.pending.values())

    @property
    def errors(self) -> int:
        return sum(self.tally.errors.values())

    def pending_job(self, job: DeletionJob) -> None:
        self.pending[job.arn] = job.status

    def changed(self, job: DeletionJob) -> None:
        if job.arn in self.pending:
            self.pending[job.arn] = job.status

    def record(self, record: BatchRecord) -> None:
        self.pending.pop(record.subject or "", None)
        self.tally.add(record)

    def text(self) -> str:
        """'1 IN_PROGRESS, 2 COMPLETED, 1 error', in the Tally's order."""
        now = Tally(statuses=self.statuses, errors=self.tally.errors)
        return ", ".join(f"{count} {label}" for label, count in tally_parts(now))


class BatchProgress:
    """What both views know as events arrive: counts, duplicates, failures already named."""

    def __init__(self) -> None:
        self.counts = ProgressCounts()
        self.duplicates = 0
        self.gave_up = False  # the wait ended on errors: one line says it for every job left
        self.waiting = False  # --wait has begun: the bar counts terminal jobs, not answers
        self.stopped: WaitEnded | None = None  # --fail-fast or --timeout ended it early
        self.total: int | None = None
        self.done = 0  # records that are final: a terminal job, an error, any answer without --wait
        self._named_failures: set[str] = set()

    def note(self, event: BatchEvent) -> None:
        if isinstance(event, RecordReady):
            self.counts.record(event.record)
            if self.is_final(event.record):
                self.done += 1
        elif isinstance(event, JobPending):
            self.counts.pending_job(event.job)
        elif isinstance(event, StatusChanged):
            self.counts.changed(event.job)
        elif isinstance(event, InputComplete):
            self.duplicates = event.duplicates
            self.total = event.total
        elif isinstance(event, WaitStarted):
            self.waiting = True
        elif isinstance(event, WaitEnded):
            if event.reason is WaitReason.ERRORS:
                self.gave_up = True
            elif event.reason in (WaitReason.FAIL_FAST, WaitReason.TIMEOUT) and event.pending:
                self.stopped = event

    def is_final(self, record: BatchRecord) -> bool:
        """Whether a record is a final answer: not a job still pending, reported as last seen
        because --fail-fast or --timeout stopped the wait."""
        return record.job is None or record.job.is_terminal or not self.waiting

    def done_text(self) -> str:
        """'7/21 terminal' while waiting (or '7/? answered' before the inputs are all read)."""
        total = "?" if self.total is None else str(self.total)
        return f"{self.done}/{total} {'terminal' if self.waiting else 'answered'}"

    def stop_line(self) -> str | None:
        """How many jobs were still pending when --fail-fast or --timeout stopped the wait."""
        if self.stopped is None:
            return None
        why = (
            "--fail-fast stopped"
            if self.stopped.reason is WaitReason.FAIL_FAST
            else "--timeout ran out"
        )
        still = counted(self.stopped.pending, "job")
        total = "?" if self.total is None else str(self.total)
        return f"{self.done} of {total} terminal: {why} with {still} still pending (as last seen)"

    def error_to_name(self, record: BatchRecord) -> bool:
        return record.error is not None and not self.gave_up

    def failure_to_name(self, job: DeletionJob | None) -> bool:
        """A FAILED job not named yet (it is named once, by its change or its record)."""
        if job is None or job.status != Status.FAILED.value or job.arn in self._named_failures:
            return False
        self._named_failures.add(job.arn)
        return True

    def duplicates_line(self) -> str:
        return f"{counted(self.duplicates, 'duplicate input')} answered once"


def notice(event: BatchEvent) -> str | None:
    """The words for an event about the whole batch, or None."""
    if isinstance(event, GroupExpanded) and event.jobs == 0:
        return f"warning: dataset group {event.group} has no data deletion jobs"
    if isinstance(event, WaitStarted):
        every = human_duration(event.interval)
        return f"waiting for {counted(event.pending, 'job')} to finish (polling every {every})"
    if isinstance(event, PollTrouble) and event.failure.first_in_streak:
        retry = human_duration(event.failure.retry_in)
        return f"warning: {event.failure.error.message}; retrying in {retry}"
    if isinstance(event, WaitEnded):
        if event.reason is WaitReason.ERRORS:
            return f"error: {event.error}; {event.pending} jobs reported as errors"
        if event.reason is WaitReason.TIMEOUT:
            return f"timed out with {event.pending} not terminal"
        if event.reason is WaitReason.FAIL_FAST and event.pending:
            pending = counted(event.pending, "job")
            return f"a job FAILED (--fail-fast): stopped waiting with {pending} still pending"
    return None


def _reason(job: DeletionJob) -> str:
    return f": {job.failure_reason}" if job.failure_reason else ""


class LinesView:
    """Off a terminal: one line per status change or failure on stderr, and a summary."""

    def __init__(
        self,
        terminal: Terminal,
        *,
        clock: Callable[[], float] = time.monotonic,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.terminal = terminal
        self.clock = clock
        self.heartbeat = heartbeat
        self.progress = BatchProgress()
        self._started = clock()
        self._last_line = self._started

    @property
    def counts(self) -> ProgressCounts:
        return self.progress.counts

    def __enter__(self) -> LinesView:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    @property
    def stream(self) -> TextIO:
        return self.terminal.stderr

    def write(self, line: str) -> None:
        self.stream.write(f"pdj: {line}\n")
        self.stream.flush()
        self._last_line = self.clock()

    def handle(self, event: BatchEvent) -> None:
        progress = self.progress
        progress.note(event)
        if isinstance(event, RecordReady):
            record = event.record
            if progress.error_to_name(record):
                assert record.error is not None
                self.write(f"{record_ref(record)}: {record.error.code}: {record.error.message}")
            elif record.error is None and progress.failure_to_name(record.job):
                assert record.job is not None
                self.write(f"{job_label(record.job)}: FAILED{_reason(record.job)}")
        elif isinstance(event, StatusChanged):
            job = event.job
            progress.failure_to_name(job)  # named here, by its change: not again by its record
            reason = _reason(job) if job.status == Status.FAILED.value else ""
            self.write(f"{job_label(job)}: {event.previous} -> {job.status}{reason}")
        elif isinstance(event, Polled):
            if event.pending and self.clock() - self._last_line >= self.heartbeat:
                elapsed = human_duration(self.clock() - self._started)
                self.write(
                    f"still waiting for {event.pending} after {elapsed}: {self.counts.text()}"
                )
        elif (words := notice(event)) is not None:
            self.write(words)

    def finish(self) -> None:
        duplicates = f" ({self.progress.duplicates_line()})" if self.progress.duplicates else ""
        stopped = self.progress.stop_line()
        self.write(
            f"{tally_summary(self.counts.tally)}{duplicates}" + (f"; {stopped}" if stopped else "")
        )


class ProgressView:
    """On a terminal: a live bar (terminal jobs of total, counts by status, elapsed time);
    failures and warnings are printed above it as they happen."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = BatchProgress()
        self._bar: Any = None
        self._task: Any = None

    @property
    def counts(self) -> ProgressCounts:
        return self.progress.counts

    def __enter__(self) -> ProgressView:
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = _bar_and_counts()(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=None),
            TextColumn("{task.fields[done]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("answering", total=None, done="", counts="")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc_info)

    def write(self, line: str) -> None:
        # Printed above the bar (the live display redraws itself below), whole: the terminal
        # soft-wraps a long line, so an ARN in it is never broken by pdj.
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def handle(self, event: BatchEvent) -> None:
        if isinstance(event, Polled):
            return  # the bar itself is the heartbeat
        progress = self.progress
        progress.note(event)
        if isinstance(event, RecordReady):
            record = event.record
            if progress.error_to_name(record):
                assert record.error is not None
                self.console.print(
                    f"[bold red]✗[/] {_escape(record_ref(record))}: "
                    f"[red]{_escape(record.error.code)}[/] {_escape(record.error.message)}",
                    highlight=False,
                    soft_wrap=True,
                )
            elif record.error is None and progress.failure_to_name(record.job):
                assert record.job is not None
                self._failed_line(record.job)
        elif isinstance(event, StatusChanged):
            if event.job.status == Status.FAILED.value:
                progress.failure_to_name(event.job)
                self._failed_line(event.job)
        elif isinstance(event, InputComplete):
            self._bar.update(self._task, total=event.total)
        elif (words := notice(event)) is not None:
            self.write(words)
        if isinstance(event, WaitStarted):
            self._bar.update(self._task, description="waiting")
        if isinstance(event, WaitEnded) and progress.stopped is not None:
            self._bar.update(self._task, description="stopped")
        # The bar counts final records only: a job reported as last seen is not done.
        self._bar.update(
            self._task,
            completed=progress.done,
            done=progress.done_text(),
            counts=self.counts.text(),
        )

    def _failed_line(self, job: DeletionJob) -> None:
        self.console.print(
            f"[bold red]✗[/] {_escape(job_label(job))} [bold red]FAILED[/]{_escape(_reason(job))}",
            highlight=False,
            soft_wrap=True,
        )

    def finish(self) -> None:
        if self.progress.duplicates:
            self.write(self.progress.duplicates_line())
        if (stopped := self.progress.stop_line()) is not None:
            self.write(stopped)


def _bar_and_counts() -> type:
    from rich.progress import Progress
    from rich.text import Text

    class BarAndCounts(Progress):
        """The bar on one line, the counts by status on the next: at 60 columns neither is cut
        (the counts wrap at their spaces, a status never inside itself)."""

        def get_renderables(self) -> Any:
            yield self.make_tasks_table(self.tasks)
            for task in self.tasks:
                if task.fields.get("counts"):
                    yield Text("  " + task.fields["counts"])

    return BarAndCounts


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


BatchView = LinesView | ProgressView


def make_view(*, fmt: OutputFormat, terminal: Terminal) -> BatchView:
    """A progress bar when a person watches stderr (and it cannot tangle with the records),
    else lines."""
    if terminal.wants_progress(fmt):
        return ProgressView(terminal.console(terminal.stderr))
    return LinesView(terminal)
