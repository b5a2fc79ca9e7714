"""How a watch looks on a terminal: a panel redrawn in place on stderr, status changes printed
above it, and a summary line that replaces it at the end. rich is imported inside functions."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from pdj_cli.models import DeletionJob, Status
from pdj_cli.poller import TransientFailure
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.watch_view import Timekeeping, WatchState, WatchView, failure_words, line_console
from pdj_cli.ui.words import failure_reason, human_duration, job_duration, job_label, status_style

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.live import Live

LIVE_REFRESHES_PER_SECOND = 2  # enough for a seconds countdown, cheap over SSH


class LiveView(WatchView):
    """On a terminal: a panel redrawn in place, status changes printed above it as they happen."""

    def __init__(
        self,
        state: WatchState,
        clock: Timekeeping,
        *,
        terminal: Terminal | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        super().__init__(state, clock)
        self.console = line_console(terminal or Terminal(), stderr)
        self._live: Live | None = None

    def __enter__(self) -> LiveView:
        from rich.live import Live
        from rich.text import Text

        if not name_fits_title(self.state.name, self.console.width):
            # Too long for the panel's border: a whole line above it (the terminal wraps it).
            self.console.print(Text(self.state.name, style="bold"))

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

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield dashboard(self.view, titled=name_fits_title(self.view.state.name, options.max_width))


def name_fits_title(name: str, width: int) -> bool:
    """Whether the job's name fits whole in the panel's top border: `╭─ name ─╮`."""
    from rich.cells import cell_len

    return cell_len(name) + 6 <= width


def dashboard(view: WatchView, *, titled: bool = True) -> RenderableType:
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
    title = Text(state.name, style="bold") if titled else None
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
    line.append(job_label(job), style="bold")
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
