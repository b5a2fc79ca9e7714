"""The body of `pdj watch`: the poller's events turned into the live view or stderr lines
(pdj_cli.ui.watch_view, pdj_cli.ui.watch_live), JSONL on stdout, and an exit code.

Kept apart from the command's declaration (pdj_cli.commands.watch) so that `pdj --help` and
the other commands never import the poller and the views.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pdj_cli.arns import ResourceArn, parse_job_arn
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.boundary import say
from pdj_cli.ci.report import CiReport, Ending, Outcome, make_report, output_closed
from pdj_cli.ci.settings import CiMode
from pdj_cli.durations import duration_text
from pdj_cli.errors import (
    AwsError,
    ExitCode,
    JobNotFoundError,
    PdjError,
    Terminated,
    interrupted_exit_code,
)
from pdj_cli.formats import OutputFormat
from pdj_cli.invocation import AwsOptions
from pdj_cli.models import DeletionJob, exit_code_for_status, iso_utc
from pdj_cli.poller import (
    DEFAULT_GRACE,
    DEFAULT_HEARTBEAT,
    DEFAULT_INTERVAL,
    ErrorsPersisted,
    Observed,
    TimedOut,
    never_connected,
    poll_until_done,
)
from pdj_cli.ui.document import write_document
from pdj_cli.ui.output import Output
from pdj_cli.ui.watch_view import (
    LineView,
    Timekeeping,
    WatchEvent,
    WatchState,
    WatchView,
)
from pdj_cli.ui.words import human_duration

REAL_TIME = Timekeeping()


@dataclass(frozen=True)
class WatchSettings:
    interval: float = DEFAULT_INTERVAL
    timeout: float | None = None
    grace: float = DEFAULT_GRACE
    heartbeat: float = DEFAULT_HEARTBEAT
    wait_for_creation: float = 0.0


@dataclass(frozen=True)
class WatchResult:
    job: DeletionJob | None  # the last job seen
    timed_out: bool


def run_watch(
    arn: str,
    settings: WatchSettings,
    exit_status: bool,
    aws: AwsOptions,
    ci: CiMode = CiMode.none,
    junit_xml: str | None = None,
) -> ExitCode:
    """Watch one job to its end; the exit code says how it ended. Every source of time the
    watch uses is `aws.clock` (real time unless a test passes a fake one). `ci` and
    `junit_xml`: the CI reports written at the end, however it comes (pdj_cli.ci)."""
    clock = aws.clock or REAL_TIME
    job_arn = parse_job_arn(arn)
    renderer = aws.renderer()
    service = aws.service()
    report = make_report(
        f"pdj watch {job_arn.name}",
        ci,
        junit_xml,
        environ=renderer.terminal.environ,
        noun="job",
        now=clock.now,
        monotonic=clock.monotonic,
    )
    state = WatchState(
        name=job_arn.name,
        started=clock.monotonic(),
        grace=settings.grace,
        wait_for_creation=settings.wait_for_creation,
    )
    view = _make_view(state, clock, settings, renderer)
    stream = _jsonl_stream(renderer, clock) if renderer.format is OutputFormat.jsonl else None
    try:
        with view:
            events = _poll(lambda: service.describe(job_arn), settings, view, clock)
            result = follow(events, view, stream)
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or SIGTERM (Terminated)
        code = interrupted_exit_code(interrupt)
        ending = Ending.TERMINATED if isinstance(interrupt, Terminated) else Ending.INTERRUPTED
        try:
            say(_interrupted_line(state, clock, interrupt))
            if state.job is not None and renderer.format is not OutputFormat.jsonl:
                renderer.job(state.job)  # the last status, as on --timeout (jsonl streamed it)
        finally:
            code = _reported(report, job_arn, state.job, Outcome(ending, code))
        return code
    except OSError as closed:  # stdout closed or full while the jsonl changes stream
        if report is not None:  # the CI still gets the job as last seen
            _reported(report, job_arn, state.job, output_closed(closed))
        raise
    except PdjError as error:
        failure = _watch_error(error, job_arn, state, settings)
        if report is not None:
            info = ErrorInfo.from_exception(failure)
            report.add(BatchRecord(0, error=info, subject=job_arn.text))
            ending = Ending.ERRORS if isinstance(error, ErrorsPersisted) else Ending.DONE
            report.finish(Outcome(ending, failure.exit_code))
        if failure is error:
            raise
        raise failure from error
    code = _exit_code(result, exit_status)
    try:
        _finish(result, renderer, view, settings)
    finally:  # a closed stdout still gets its report
        ending = Ending.TIMEOUT if result.timed_out else Ending.DONE
        code = _reported(report, job_arn, result.job, Outcome(ending, code))
    return code


def _watch_error(
    error: PdjError, arn: ResourceArn, state: WatchState, settings: WatchSettings
) -> PdjError:
    """The error a watch ends with: not found and errors past the grace said for a watch."""
    if isinstance(error, JobNotFoundError):
        return _not_found(error, arn, state, settings)
    if isinstance(error, ErrorsPersisted):
        return AwsError(
            error.message,
            f"{error.hint + '; ' if error.hint else ''}a longer --grace rides out longer outages",
            code=error.code,
        )
    return error


def _reported(
    report: CiReport | None, arn: ResourceArn, job: DeletionJob | None, outcome: Outcome
) -> ExitCode:
    """The CI report of the watch's end (its exit code, as the report may change it)."""
    if report is None:
        return outcome.exit_code
    # A job never seen (Ctrl-C before the first answer) is still its test case, not terminal.
    seen = job or DeletionJob(arn=arn.text, status="", name=arn.name)
    report.add(BatchRecord(0, job=seen, subject=seen.arn))
    return report.finish(outcome)


def _poll(
    describe: Callable[[], DeletionJob],
    settings: WatchSettings,
    view: WatchView,
    clock: Timekeeping,
) -> Iterator[WatchEvent]:
    """The poller, set up for one job: keyed on its status, sleeping through the view."""
    return poll_until_done(
        CreationWindow(describe, settings.wait_for_creation, clock),
        lambda job: job is not None and job.is_terminal,
        interval=settings.interval,
        timeout=settings.timeout,
        grace=settings.grace,
        key=lambda job: job.status if job is not None else None,
        sleep=view.sleep,
        clock=clock.monotonic,
        random=clock.random,
        # a refused first connection is a wrong endpoint, not an outage: exit 5 at once
        fatal_before_first=never_connected,
    )


def follow(
    events: Iterable[WatchEvent],
    view: WatchView,
    stream: Callable[[DeletionJob], None] | None = None,
) -> WatchResult:
    """Feed every event to the view (and status changes to the JSONL stream) until the end."""
    for event in events:
        view.handle(event)
        if isinstance(event, TimedOut):
            return WatchResult(event.last, timed_out=True)
        if isinstance(event, Observed) and event.value is not None:
            if event.changed and stream is not None:
                stream(event.value)
            if event.value.is_terminal:
                return WatchResult(event.value, timed_out=False)
    return WatchResult(view.state.job, timed_out=False)  # not reached: the poller ends above


class CreationWindow:
    """The poller's fetch: None (not created yet) for a not-found job inside --wait-for-creation.

    Only before the job was first seen: a job that disappears later ends the watch at once.
    """

    def __init__(
        self, describe: Callable[[], DeletionJob], window: float, clock: Timekeeping
    ) -> None:
        self._describe = describe
        self._clock = clock
        self._deadline = clock.monotonic() + window
        self._seen = False

    def __call__(self) -> DeletionJob | None:
        try:
            job = self._describe()
        except JobNotFoundError:
            if self._seen or self._clock.monotonic() >= self._deadline:
                raise
            return None
        self._seen = True
        return job


def _make_view(
    state: WatchState, clock: Timekeeping, settings: WatchSettings, output: Output
) -> WatchView:
    terminal = output.terminal
    if terminal.wants_live_view():
        from pdj_cli.ui.watch_live import LiveView

        return LiveView(state, clock, terminal=terminal)
    return LineView(state, clock, heartbeat=settings.heartbeat, terminal=terminal)


def _jsonl_stream(output: Output, clock: Timekeeping) -> Callable[[DeletionJob], None]:
    def write(job: DeletionJob) -> None:
        record = {**job.to_api(), "observedAt": iso_utc(clock.now())}
        write_document(output.terminal, OutputFormat.jsonl, output.query, record)
        output.out.flush()  # a consumer (jq, a script) sees each change as it happens

    return write


def _exit_code(result: WatchResult, exit_status: bool) -> ExitCode:
    if result.timed_out:
        return ExitCode.NOT_TERMINAL
    assert result.job is not None  # the poller ends only on a terminal job or a timeout
    # --exit-status is what watch always does; accepted so scripts can say it explicitly
    return exit_code_for_status(result.job.status) if exit_status else ExitCode.OK


def _finish(
    result: WatchResult,
    renderer: Output,
    view: WatchView,
    settings: WatchSettings,
) -> None:
    job = result.job
    if result.timed_out:
        say(_timed_out_line(view.state, settings, view.clock))
        if job is not None and renderer.format is not OutputFormat.jsonl:
            renderer.job(job)  # the last status, as `describe` would show it
        return
    assert job is not None
    view.finished(job)
    if renderer.format is not OutputFormat.jsonl:
        renderer.job(job)


def _last_seen(state: WatchState, clock: Timekeeping) -> str:
    if state.job is None:
        return "no status seen yet"
    checked = ""
    if state.last_checked is not None:
        ago = clock.monotonic() - state.last_checked
        checked = f" (last checked {human_duration(ago)} ago)"
    return f"its last status was {state.job.status}{checked}"


def _timed_out_line(state: WatchState, settings: WatchSettings, clock: Timekeeping) -> str:
    timeout = settings.timeout or 0.0
    # "1.5s", not human_duration's rounded "2s": it echoes what the user asked for
    waited = f"{timeout:g}s" if timeout < 60 else human_duration(timeout)
    return f"pdj: timed out after {waited} watching {state.name}; {_last_seen(state, clock)}"


def _interrupted_line(state: WatchState, clock: Timekeeping, interrupt: BaseException) -> str:
    how = "terminated (SIGTERM)" if isinstance(interrupt, Terminated) else "interrupted"
    return f"pdj: {how} watching {state.name}; {_last_seen(state, clock)}"


def _not_found(
    error: JobNotFoundError, arn: ResourceArn, state: WatchState, settings: WatchSettings
) -> JobNotFoundError:
    if state.job is not None:
        return JobNotFoundError(
            f"the job {arn.name} disappeared while {state.job.status}: {error.message}",
            code=error.code,
        )
    waited, longer = "", "add --wait-for-creation 30s"
    if settings.wait_for_creation > 0:
        waited = f" (waited {human_duration(settings.wait_for_creation)} for it to appear)"
        # Suggest more than was given: the same again would end the same way.
        longer = f"give --wait-for-creation longer than {duration_text(settings.wait_for_creation)}"
    return JobNotFoundError(
        f"{error.message}{waited}",
        "check the ARN's name, region and account (`pdj list` shows the jobs); for a job "
        f"created a moment ago, {longer}",
        code=error.code,
    )
