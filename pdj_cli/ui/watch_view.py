"""How a watch looks off a terminal: plain stderr lines with heartbeats; and what both of its
views share (the state, the clock, the events turned into moments). The live view is in
pdj_cli.ui.watch_live.

Both views are driven by the poller's events (`handle`) and do the poller's sleeping (`sleep`),
so the line view can write heartbeats during a long sleep and both know when the next check is.
rich is imported inside functions only: `pdj --help` never pays for it.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from pdj_cli.models import DeletionJob, Status
from pdj_cli.poller import DEFAULT_HEARTBEAT, Observed, TimedOut, TransientFailure
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.words import (
    failure_reason,
    human_duration,
    iso_seconds,
    job_duration,
    status_style,
)

if TYPE_CHECKING:
    from rich.console import Console

# What the watch's poller yields: a None job is one not created yet (--wait-for-creation).
WatchEvent = Observed[DeletionJob | None] | TransientFailure | TimedOut[DeletionJob | None]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Timekeeping:
    """Every source of time a watch uses, in one place so tests can replace them all."""

    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now
    random: Callable[[], float] = _random.random


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


def completion_detail(job: DeletionJob) -> str:
    """'1,200 records deleted in 42m 00s', as far as the job says."""
    parts = []
    if job.num_deleted is not None:
        parts.append(f"{job.num_deleted:,} records deleted")
    took = job_duration(job)
    if took is not None:
        parts.append(f"in {human_duration(took)}")
    return " ".join(parts)


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
        terminal: Terminal | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        super().__init__(state, clock)
        self.heartbeat = heartbeat
        self._console = line_console(terminal or Terminal(), stderr)
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


def line_console(terminal: Terminal, stderr: TextIO | None = None) -> Console:
    """The watch's stderr Console: text as given (no markup, emoji or highlighting), and a
    log line never wrapped at 80 columns off a terminal."""
    stream = stderr or terminal.stderr
    return terminal.console(stream, soft_wrap=True, markup=False, emoji=False)
