"""Following a batch of jobs to the end: the one loop behind `batch` and `create --wait`.

Records go to stdout as the output layer writes them, progress to stderr through the batch
view; Ctrl-C and SIGTERM end it with the records known so far and the documented code. A CI
report (pdj_cli.ci.report), when one is asked for, sees every record and how the run ended,
whichever way it ended.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from pdj_cli.batch.events import RecordReady, WaitEnded, WaitReason
from pdj_cli.batch.items import Item
from pdj_cli.batch.records import ErrorInfo
from pdj_cli.batch.runner import BatchRunner
from pdj_cli.boundary import say
from pdj_cli.ci.report import CiReport, Ending, Outcome, output_closed
from pdj_cli.errors import (
    ExitCode,
    PdjError,
    Terminated,
    interrupted_exit_code,
    most_severe,
)
from pdj_cli.ui.batch_records import RecordWriter
from pdj_cli.ui.batch_view import make_view
from pdj_cli.ui.output import Output
from pdj_cli.ui.words import counted


def follow(
    runner: BatchRunner,
    items: Iterable[Item],
    renderer: Output,
    *,
    statuses_matter: bool,
    report: CiReport | None = None,
) -> ExitCode:
    """Run the batch over `items`: records to stdout, progress to stderr; its exit code.

    `statuses_matter`: the jobs' statuses set the code (--wait, --exit-status), not only errors.
    `report`: fed every record and the ending, and written last (JUnit, GitHub).
    """
    view = make_view(fmt=renderer.format, terminal=renderer.terminal)
    # The batch's one Tally: the view counts each record as it arrives; the writer's table
    # summary reads the same counts.
    writer = RecordWriter(renderer, view.counts.tally)
    codes: set[ExitCode] = set()
    interrupt: KeyboardInterrupt | None = None
    ending = Ending.DONE

    def handle(event: Any) -> None:
        nonlocal ending
        view.handle(event)
        if isinstance(event, RecordReady):
            if report is not None:  # first: a stdout that fails below still has it reported
                report.add(event.record)
            codes.add(event.record.exit_code(statuses_matter))
            writer.add(event.record)
        elif isinstance(event, WaitEnded):
            ending = _ending(event.reason)

    try:
        with view, contextlib.closing(runner.run(items)) as events:
            try:
                for event in events:
                    handle(event)
            except KeyboardInterrupt as caught:  # Ctrl-C, or SIGTERM (Terminated)
                interrupt = caught
                events.close()  # no more requests; the workers are not waited for
                for event in runner.interrupted():  # the jobs still pending, as last seen
                    handle(event)
            except OSError as closed:  # stdout closed mid-stream (`| head -1`, `>&-`) or full
                events.close()
                if report is not None:  # the reader is gone; the CI still gets what is known
                    for event in runner.interrupted():
                        if isinstance(event, RecordReady):
                            report.add(event.record)
                    report.finish(output_closed(closed))
                raise
    except PdjError as error:  # one error stopped the batch (no credentials, a wrong endpoint)
        if report is not None:
            stopped = ErrorInfo.from_exception(error)
            report.finish(Outcome(Ending.STOPPED, error.exit_code, stopped))
        raise
    view.finish()
    code = most_severe(codes)
    if interrupt is not None:
        code = interrupted_exit_code(interrupt)
        ending = Ending.TERMINATED if isinstance(interrupt, Terminated) else Ending.INTERRUPTED
    try:
        writer.finish()
        if interrupt is not None:
            say(_interrupted_line(interrupt, runner))
        elif view.counts.tally.total == 0:
            say("pdj: warning: the inputs name no data deletion job")
    finally:  # a closed stdout (exit 0 or 74) still gets its report
        if report is not None:
            code = report.finish(Outcome(ending, code))
    return code


def _ending(reason: WaitReason) -> Ending:
    return {
        WaitReason.TIMEOUT: Ending.TIMEOUT,
        WaitReason.FAIL_FAST: Ending.FAIL_FAST,
        WaitReason.ERRORS: Ending.ERRORS,
    }.get(reason, Ending.DONE)


def _interrupted_line(interrupt: KeyboardInterrupt, runner: BatchRunner) -> str:
    how = "terminated (SIGTERM)" if isinstance(interrupt, Terminated) else "interrupted"
    parts = [f"pdj: {how}"]
    left = runner.left_pending
    if left:
        names = ", ".join(job.name or job.arn for job in left[:5])
        more = f" and {len(left) - 5} more" if len(left) > 5 else ""
        parts.append(f"{counted(len(left), 'job')} not terminal, as last seen: {names}{more}")
    if runner.unanswered:
        parts.append(f"{counted(runner.unanswered, 'input')} sent and not answered yet")
    return "; ".join(parts)
