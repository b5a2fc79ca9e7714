"""`pdj watch ARN`: one job, polled until COMPLETED or FAILED; its exit code says which.

This module declares the command; its body (pdj_cli.watching) is imported when it runs, so
`pdj --help` and the other commands never load the poller and the live view.
"""

from typing import Annotated, Optional, cast

import typer

from pdj_cli.ci.settings import CiMode
from pdj_cli.durations import duration_text
from pdj_cli.errors import ExitCode
from pdj_cli.options import (
    WAIT_PANEL,
    AwsOptions,
    CiOption,
    GraceOption,
    IntervalOption,
    JunitXmlOption,
    TimeoutOption,
    WatchExitStatusOption,
    aws_command,
    duration_option,
)
from pdj_cli.poller import DEFAULT_GRACE, DEFAULT_HEARTBEAT, DEFAULT_INTERVAL

HeartbeatOption = Annotated[
    str,
    typer.Option(
        "--heartbeat",
        metavar="DURATION",
        callback=duration_option,
        help="Off a terminal, a 'still ...' line on stderr after this long without one; 0: none.",
        rich_help_panel=WAIT_PANEL,
    ),
]
WaitForCreationOption = Annotated[
    str,
    typer.Option(
        "--wait-for-creation",
        metavar="DURATION",
        callback=duration_option,
        help="Treat 'not found' as 'not created yet' for this long after the watch starts "
        "(for a job created a moment ago). Default 0: a wrong ARN fails at once (exit 4).",
        rich_help_panel=WAIT_PANEL,
    ),
]


@aws_command
def watch(
    arn: Annotated[
        str,
        typer.Argument(metavar="ARN", help="The data deletion job's ARN.", show_default=False),
    ],
    interval: IntervalOption = duration_text(DEFAULT_INTERVAL),
    timeout: TimeoutOption = None,
    grace: GraceOption = duration_text(DEFAULT_GRACE),
    heartbeat: HeartbeatOption = duration_text(DEFAULT_HEARTBEAT),
    wait_for_creation: WaitForCreationOption = "0",
    exit_status: WatchExitStatusOption = False,  # accepted; a watch always exits with the status
    ci: CiOption = CiMode.auto,
    junit_xml: JunitXmlOption = None,
    *,
    aws: AwsOptions,
) -> ExitCode:
    """Watch one data deletion job until it is COMPLETED or FAILED.

    Exit codes: 0 COMPLETED, 1 FAILED, 3 --timeout ran out, 4 not found
    (or gone), 5 AWS failing for longer than --grace, 130 Ctrl-C.

    Throttling, 5xx and network errors are retried with backoff, noted on stderr.
    A terminal gets a live view; off one, stderr gets a line per status change
    and a heartbeat while nothing changes. stdout gets the final job
    (-o jsonl: one line per status change, the last one terminal).

    [bold]Examples[/bold]

      pdj watch $ARN && ./next-step.sh

      pdj watch $ARN --timeout 2h --interval 1m | jq .dataDeletionJob.numDeleted

      pdj watch $ARN -o jsonl | jq -r '.observedAt + " " + .status'

      pdj watch "$NEW_JOB_ARN" --wait-for-creation 30s   # created a moment ago

      pdj watch $ARN --junit-xml report.xml   # a test case for GitLab, Jenkins
    """
    from pdj_cli.watching import WatchSettings, run_watch

    # typer's callbacks have already turned the duration strings into seconds
    settings = WatchSettings(
        interval=cast(float, interval),
        timeout=cast(Optional[float], timeout),  # noqa: UP045
        grace=cast(float, grace),
        heartbeat=cast(float, heartbeat),
        wait_for_creation=cast(float, wait_for_creation),
    )
    return run_watch(arn, settings, True, aws, ci, junit_xml)
