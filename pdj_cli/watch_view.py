"""How a watch looks: a live view on a terminal, plain stderr lines with heartbeats off one.

Both views are driven by the poller's events (`handle`) and do the poller's sleeping (`sleep`),
so the line view can write heartbeats during a long sleep and both know when the next check is.
rich is imported inside functions only: `pdj --help` never pays for it.
"""

from __future__ import annotations

import os
import random as _random
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from pdj_cli.models import DeletionJob, Status
from pdj_cli.poller import Observed, TimedOut, TransientFailure
from pdj_cli.render import human_duration, status_style

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.live import Live

# What the watch's poller yields: a None job is one not created yet (--wait-for-creation).
WatchEvent = Observed[DeletionJob | None] | TransientFailure | TimedOut[DeletionJob | None]

DEFAULT_HEARTBEAT = 300.0  # CI systems commonly kill a step silent for 10 minutes
LIVE_REFRESHES_PER_SECOND = 2  # enough for a seconds countdown, cheap over SSH


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Timekeeping:
    """Every source of time a watch uses, in one place so tests can replace them all."""

    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now
    random: Callable[[], float] = _random.random


def iso_seconds(moment: datetime) -> str:
    """`2026-05-31T16:08:37Z`: short, sortable, unambiguous in a CI log."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def wants_live_view(
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """The live view when both stdout and stderr are interactive terminals, as rich decides.

    rich's rules, FORCE_COLOR, TTY_COMPATIBLE and TTY_INTERACTIVE included. The view is drawn
    on stderr, so a redirected stderr (`2>watch.log`) gets plain lines, not cursor movements.
    """
    from rich.console import Console

    env = dict(os.environ if environ is None else environ)
    return all(
        Console(file=stream, _environ=env).is_interactive
        for stream in (stdout or sys.stdout, stderr or sys.stderr)
    )


@dataclass
class WatchState:
    """What a watch knows right now. O(1): only the latest job and the current error streak."""

    name: str
    started: float  # monotonic
    grace: float
    wait_for_creation: float = 0.0
    job: DeletionJob | None = None
    status_since: datetime | None = None
    last_checked: float | None = None  # monotonic
    next_check: float | None = None  # monotonic; None while a check is under way
    failure: TransientFailure | None = None
    missing_since: float | None = None  # monotonic: not found yet, inside --wait-for-creation

    @property
    def status(self) -> str | None:
        return self.job.status if self.job else None


class WatchView:
    """Turns events into state; subclasses decide how each moment is shown."""

    def __init__(self, state: WatchState, clock: Timekeeping) -> None:
        self.state = state
        self.clock = clock

    # -- context: a live view needs setting up and tearing down; lines do not -------------------

    def __enter__(self) -> WatchView:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

    # -- events --------------------------------------------------------------------------------

    def handle(self, event: WatchEvent) -> None:
        if isinstance(event, Observed):
            self._observed(event)
        elif isinstance(event, TransientFailure):
            self._transient(event)

    def _observed(self, event: Observed[DeletionJob | None]) -> None:
        state = self.state
        state.last_checked = event.at
        if state.failure is not None:
            streak = event.at - state.failure.streak_started
            state.failure = None
            self.recovered(streak)
        job = event.value
        if job is None:  # --wait-for-creation: not visible yet
            if state.missing_since is None:
                state.missing_since = event.at
                self.missing()
            return
        state.missing_since = None
        previous = state.job
        state.job = job
        if event.changed:
            previous_span = self.time_in_status()
            # The first time, the job's own last update is the best guess of when its status began.
            first = job.updated if previous is None else None
            state.status_since = first or self.clock.now()
            self.changed(previous, job, previous_span)

    def _transient(self, event: TransientFailure) -> None:
        self.state.failure = event
        if event.first_in_streak:
            self.trouble(event)

    def sleep(self, seconds: float) -> None:
        """The poller's sleep: remembers when the next check is."""
        self.state.next_check = self.clock.monotonic() + seconds
        try:
            self._wait(seconds)
        finally:
            self.state.next_check = None

    def _wait(self, seconds: float) -> None:
        self.clock.sleep(seconds)

    # -- what subclasses show ----------------------------------------------------------------------

    def changed(self, previous: DeletionJob | None, job: DeletionJob, previous_span: float) -> None:
        raise NotImplementedError

    def missing(self) -> None:
        raise NotImplementedError

    def trouble(self, event: TransientFailure) -> None:
        raise NotImplementedError

    def recovered(self, streak: float) -> None:
        raise NotImplementedError

    def finished(self, job: DeletionJob) -> None:
        """The final summary; the lines have already said it all."""

    # -- shared wording ----------------------------------------------------------------------------

    def time_in_status(self) -> float:
        since = self.state.status_since
        return (self.clock.now() - since).total_seconds() if since else 0.0

    def watching_for(self) -> float:
        return self.clock.monotonic() - self.state.started


def failure_reason(job: DeletionJob) -> str:
    return " ".join((job.failure_reason or "no failure reason given").split())


def completion_detail(job: DeletionJob) -> str:
    """'1,200 records deleted in 42m 00s', as far as the job says."""
    parts = []
    if job.num_deleted is not None:
        parts.append(f"{job.num_deleted:,} records deleted")
    took = job_duration(job)
    if took is not None:
        parts.append(f"in {human_duration(took)}")
    return " ".join(parts)


def job_duration(job: DeletionJob) -> float | None:
    if job.created is None or job.updated is None:
        return None
    return max(0.0, (job.updated - job.created).total_seconds())


def failure_words(event: TransientFailure) -> str:
    return " ".join(event.error.message.split())


class LineView(WatchView):
    """Off a terminal: one line per status change on stderr, plus a heartbeat, nothing else.

    Every line starts with an ISO timestamp and the job's name. A transient-error streak gets
    one line when it starts and one when answers come back.
    """

    def __init__(
        self,
        state: WatchState,
        clock: Timekeeping,
        *,
        heartbeat: float = DEFAULT_HEARTBEAT,
        color: bool = True,
        stderr: TextIO | None = None,
    ) -> None:
        super().__init__(state, clock)
        self.heartbeat = heartbeat
        # No colour means plain text in a log: not even bold (rich keeps bold under NO_COLOR).
        plain = not color or bool(os.environ.get("NO_COLOR"))
        self._console = _console(stderr or sys.stderr, color=color, plain=plain)
        self._last_line = clock.monotonic()

    def changed(self, previous: DeletionJob | None, job: DeletionJob, previous_span: float) -> None:
        words: list[tuple[str, str]] = [(job.status, status_style(job.status))]
        if job.status == Status.FAILED.value:
            words.append((f": {failure_reason(job)}", ""))
        elif job.is_terminal and completion_detail(job):
            words.append((f" ({completion_detail(job)})", ""))
        elif previous is not None and not job.is_terminal:
            words.append((f" (was {previous.status} for {human_duration(previous_span)})", ""))
        self._line(*words)

    def missing(self) -> None:
        wait = human_duration(self.state.wait_for_creation)
        self._line((f"not found yet; waiting up to {wait} for it to appear", ""))

    def trouble(self, event: TransientFailure) -> None:
        self._line(
            ("warning: ", "yellow"),
            (
                f"{failure_words(event)}; retrying in {human_duration(event.retry_in)}, "
                f"giving up after {human_duration(self.state.grace)} of errors",
                "",
            ),
        )

    def recovered(self, streak: float) -> None:
        self._line((f"answering again after {human_duration(streak)} of errors", ""))

    def _wait(self, seconds: float) -> None:
        """Sleep, breaking off for a heartbeat whenever nothing has been said for a while."""
        end = self.clock.monotonic() + seconds
        while (remaining := end - self.clock.monotonic()) > 0:
            if self.heartbeat <= 0:
                self.clock.sleep(remaining)
                return
            due = self._last_line + self.heartbeat - self.clock.monotonic()
            if due <= 0:
                self._beat()
            else:
                self.clock.sleep(min(due, remaining))

    def _beat(self) -> None:
        state = self.state
        watching = f"watching for {human_duration(self.watching_for())}"
        if state.failure is not None:
            streak = self.clock.monotonic() - state.failure.streak_started
            seen = f"last seen {state.status}" if state.status else "no answer yet"
            code = state.failure.error.code
            self._line((f"{seen}; failing for {human_duration(streak)} ({code}); {watching}", ""))
        elif state.job is None:
            self._line((f"not found yet; {watching}", ""))
        else:
            status = state.job.status
            self._line(
                ("still ", ""),
                (status, status_style(status)),
                (f" (for {human_duration(self.time_in_status())}; {watching})", ""),
            )

    def _line(self, *words: tuple[str, str]) -> None:
        from rich.text import Text

        text = Text(f"{iso_seconds(self.clock.now())} {self.state.name} ")
        for content, style in words:
            text.append(content, style=style or None)
        self._console.print(text)
        self._last_line = self.clock.monotonic()


class LiveView(WatchView):
    """On a terminal: a panel redrawn in place, status changes printed above it as they happen."""

    def __init__(
        self,
        state: WatchState,
        clock: Timekeeping,
        *,
        color: bool = True,
        stderr: TextIO | None = None,
    ) -> None:
        super().__init__(state, clock)
        self.console = _console(stderr or sys.stderr, color=color)
        self._live: Live | None = None

    def __enter__(self) -> LiveView:
        from rich.live import Live

        self._live = Live(
            Dashboard(self),
            console=self.console,
            refresh_per_second=LIVE_REFRESHES_PER_SECOND,
            transient=True,  # the final summary replaces it
            # stdout is this same terminal: -o jsonl lines are printed above the panel, not into it
            redirect_stdout=True,
            redirect_stderr=False,
        )
        self._live.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def changed(self, previous: DeletionJob | None, job: DeletionJob, previous_span: float) -> None:
        from rich.text import Text

        line = Text(f"{self._clock_time()} ", style="dim")
        line.append(job.status, style=status_style(job.status))
        if previous is not None and not job.is_terminal:
            line.append(f"  after {previous.status}", style="dim")
        self._print(line)

    def missing(self) -> None:
        from rich.text import Text

        self._print(Text(f"{self._clock_time()} not found yet; waiting for it", style="dim"))

    def trouble(self, event: TransientFailure) -> None:
        from rich.text import Text

        line = Text(f"{self._clock_time()} ", style="dim")
        line.append(f"{failure_words(event)}; retrying", style="yellow")
        self._print(line)

    def recovered(self, streak: float) -> None:
        from rich.text import Text

        text = f"{self._clock_time()} answering again after {human_duration(streak)} of errors"
        self._print(Text(text, style="dim"))

    def refresh(self) -> None:
        if self._live is not None:
            self._live.refresh()

    def finished(self, job: DeletionJob) -> None:
        self.console.print(summary(job, self.watching_for()))

    def _print(self, renderable: RenderableType) -> None:
        self.console.print(renderable)
        self.refresh()

    def _clock_time(self) -> str:
        return self.clock.now().astimezone().strftime("%H:%M:%S")


class Dashboard:
    """The live panel; rich renders it afresh at every refresh, so the clocks tick."""

    def __init__(self, view: WatchView) -> None:
        self.view = view

    def __rich__(self) -> RenderableType:
        return dashboard(self.view)


def dashboard(view: WatchView) -> RenderableType:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    state, clock = view.state, view.clock
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Status", _status_cell(view))
    grid.add_row("Watching", human_duration(view.watching_for()))
    job = state.job
    if job is not None and job.created is not None:
        age = (clock.now() - job.created).total_seconds()
        created = job.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        grid.add_row("Job age", f"{human_duration(age)}  (created {created})")
    now = clock.monotonic()
    if state.last_checked is not None:
        grid.add_row("Last checked", f"{human_duration(now - state.last_checked)} ago")
    if state.next_check is None:
        grid.add_row("Next check", "checking now…")
    else:
        grid.add_row("Next check", f"in {human_duration(max(0.0, state.next_check - now))}")
    if state.failure is not None:
        streak = now - state.failure.streak_started
        trouble = Text(
            f"{state.failure.error.code} for {human_duration(streak)}; "
            f"gives up after {human_duration(state.grace)} of errors",
            style="yellow",
        )
        grid.add_row(Text("Errors", style="bold yellow"), trouble)
    title = Text(state.name, style="bold")
    border = status_style(job.status) if job else "dim"
    return Panel(grid, title=title, title_align="left", border_style=border, expand=False)


def _status_cell(view: WatchView) -> RenderableType:
    from rich.spinner import Spinner
    from rich.text import Text

    state = view.state
    if state.job is None:
        words = "not found yet" if state.missing_since is not None else "asking…"
        return Spinner("dots", text=Text(words, style="dim"), style="dim")
    status = state.job.status
    text = Text(status, style=status_style(status))
    text.append(f"  for {human_duration(view.time_in_status())}", style="dim")
    return Spinner("dots", text=text, style=status_style(status))


def summary(job: DeletionJob, watched: float) -> RenderableType:
    """The line that replaces the live view: status, records deleted, duration, failure reason."""
    from rich.text import Text

    failed = job.status == Status.FAILED.value
    mark = "✘" if failed else "✔" if job.status == Status.COMPLETED.value else "•"
    line = Text(f"{mark} ", style=status_style(job.status))
    line.append(job.name or job.arn.rsplit("/", 1)[-1], style="bold")
    line.append(" ")
    line.append(job.status, style=status_style(job.status))
    if failed:
        line.append(f": {failure_reason(job)}", style="red")
    else:
        if job.num_deleted is not None:
            line.append(f" · {job.num_deleted:,} records deleted")
        took = job_duration(job)
        if took is not None:
            line.append(f" · took {human_duration(took)}")
    line.append(f" · watched {human_duration(watched)}", style="dim")
    return line


def _console(stream: TextIO, *, color: bool, plain: bool = False) -> Console:
    from rich.console import Console

    return Console(
        file=stream,
        color_system=None if plain else "auto",
        no_color=True if not color else None,  # None: rich reads NO_COLOR itself
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,  # a log line is never wrapped at 80 columns off a terminal
    )
