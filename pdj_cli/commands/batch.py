"""`pdj batch`: many jobs at once, concurrently; with --wait, until every one is terminal."""

import contextlib
from typing import Annotated, Any, Optional, cast

import typer

from pdj_cli.boundary import say
from pdj_cli.durations import duration_text
from pdj_cli.errors import ExitCode, InvalidInputError, interrupted_exit_code, most_severe
from pdj_cli.options import (
    WAIT_FLAG_PANEL,
    AwsOptions,
    BatchExitStatusOption,
    GraceOption,
    WaitIntervalOption,
    WaitTimeoutOption,
    aws_command,
)
from pdj_cli.poller import DEFAULT_GRACE

# pdj_cli.batch (25 dataclasses, a thread pool) is imported when the command runs, not when
# `pdj --help` or shell completion loads the app.
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 64  # a sanity bound on threads and open connections


ArnsArgument = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs a runtime type here
    typer.Argument(
        metavar="ARN|-",
        help="Data deletion job ARNs; `-` reads more, one a line, from standard input.",
        show_default=False,
    ),
]
FileOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--file",
        "-f",
        metavar="FILE",
        help="Read ARNs from FILE, one a line; blank lines and # comments are skipped "
        "(repeatable; `-f -` is standard input).",
        show_default=False,
    ),
]
GroupOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--dataset-group-arn",
        metavar="ARN",
        help="Every job of this dataset group (repeatable).",
        show_default=False,
    ),
]
ConcurrencyOption = Annotated[
    int,
    typer.Option(
        "--concurrency",
        "-c",
        min=1,
        max=MAX_CONCURRENCY,
        help="Requests in flight at once.",
    ),
]
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait",
        help="Poll until every job is COMPLETED or FAILED.",
        rich_help_panel=WAIT_FLAG_PANEL,
    ),
]
FailFastOption = Annotated[
    bool,
    typer.Option(
        "--fail-fast",
        help="Stop at the first FAILED job (exit 1); the others are reported as last seen.",
        rich_help_panel=WAIT_FLAG_PANEL,
    ),
]


@aws_command
def batch(
    arns: ArnsArgument = None,
    file: FileOption = None,
    dataset_group_arn: GroupOption = None,
    concurrency: ConcurrencyOption = DEFAULT_CONCURRENCY,
    exit_status: BatchExitStatusOption = False,
    wait: WaitOption = False,
    interval: WaitIntervalOption = None,
    timeout: WaitTimeoutOption = None,
    fail_fast: FailFastOption = False,
    grace: GraceOption = duration_text(DEFAULT_GRACE),
    *,
    aws: AwsOptions,
) -> ExitCode:
    """Describe many data deletion jobs at once, concurrently, in several regions.

    Every unique input gets exactly one record: the job, or an error (never sent if invalid).

    json prints in input order once all are answered; jsonl streams records as they arrive.

    [bold]Examples[/bold]

      pdj batch -f erasures.txt -o jsonl | jq -r 'select(.error) | .dataDeletionJobArn'

      pdj list --status PENDING -o text | cut -f3 | pdj batch - --wait --timeout 2h

      pdj batch --dataset-group-arn $DG --wait --fail-fast
    """
    arguments, files, groups = arns or [], file or [], dataset_group_arn or []
    _check_options(arguments, files, groups, wait, interval, timeout, fail_fast)
    from pdj_cli.batch.inputs import open_inputs
    from pdj_cli.batch.runner import BatchRunner

    renderer = aws.renderer()
    terminal = renderer.terminal
    if "-" in [*arguments, *files] and terminal.stdin_is_terminal:
        say("pdj: reading ARNs from the terminal, one a line; end with Ctrl-D")
    inputs = open_inputs(arguments, files, groups, terminal.stdin)
    try:
        # One client per region, shared by every worker, its connection pool sized to match;
        # adaptive retries make throttling slow the whole batch down rather than fail it.
        service = aws.service(
            retry_mode="adaptive", max_pool_connections=concurrency + 2, count_requests=aws.debug
        )
        # typer's callbacks have made the durations seconds; no --interval: the runner's default
        runner = BatchRunner(
            service,
            concurrency=concurrency,
            wait=wait,
            fail_fast=fail_fast,
            interval=cast(Optional[float], interval),  # noqa: UP045
            timeout=cast(Optional[float], timeout),  # noqa: UP045
            grace=cast(float, grace),
        )
        code = _render(runner, inputs, service, renderer, statuses_matter=wait or exit_status)
    finally:
        inputs.close()
    if aws.debug:
        say(f"pdj: debug: {service.request_counter.summary()}")
    return code


def _render(
    runner: Any, inputs: Any, service: Any, renderer: Any, *, statuses_matter: bool
) -> ExitCode:
    """Run the batch, records to stdout and progress to stderr; the batch's exit code."""
    from pdj_cli.batch.events import RecordReady
    from pdj_cli.batch.inputs import read_inputs
    from pdj_cli.ui.batch_records import RecordWriter
    from pdj_cli.ui.batch_view import make_view

    view = make_view(fmt=renderer.format, terminal=renderer.terminal)
    # The batch's one Tally: the view counts each record as it arrives; the writer's table
    # summary reads the same counts.
    writer = RecordWriter(renderer, view.counts.tally)
    codes: set[ExitCode] = set()
    interrupt: KeyboardInterrupt | None = None

    def handle(event: Any) -> None:
        view.handle(event)
        if isinstance(event, RecordReady):
            writer.add(event.record)
            codes.add(event.record.exit_code(statuses_matter))

    with view, contextlib.closing(runner.run(read_inputs(inputs, service))) as events:
        try:
            for event in events:
                handle(event)
        except KeyboardInterrupt as caught:  # Ctrl-C, or SIGTERM (Terminated)
            interrupt = caught
            events.close()  # no more requests; the workers are not waited for
            for event in runner.interrupted():  # the jobs still pending, as last seen
                handle(event)
    view.finish()
    writer.finish()
    if interrupt is not None:
        say(_interrupted_line(interrupt, runner))
        return interrupted_exit_code(interrupt)
    if view.counts.tally.total == 0:
        say("pdj: warning: the inputs name no data deletion job")
    return most_severe(codes)


def _interrupted_line(interrupt: KeyboardInterrupt, runner: Any) -> str:
    from pdj_cli.errors import Terminated
    from pdj_cli.ui.words import counted

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


def _check_options(
    arguments: list[str],
    files: list[str],
    groups: list[str],
    wait: bool,
    interval: object,
    timeout: object,
    fail_fast: bool,
) -> None:
    for position, argument in enumerate(arguments, start=1):
        if not argument.strip():
            # A line of a file may be blank; an argument is something the user typed.
            raise InvalidInputError(
                f"argument {position} is {'empty' if not argument else 'blank'}: "
                "give a data deletion job ARN",
                'an unset shell variable expands to nothing: check "$ARN"-style arguments',
            )
    if not (arguments or files or groups):
        raise InvalidInputError(
            "no input: give job ARNs, -f FILE, - (standard input) or --dataset-group-arn",
            "`pdj list -o text | cut -f3 | pdj batch -` describes every job of a region",
        )
    if not wait:
        given = [
            name
            for name, value in (("--interval", interval), ("--timeout", timeout))
            if value is not None
        ] + (["--fail-fast"] if fail_fast else [])
        if given:
            verb = "applies" if len(given) == 1 else "apply"
            raise InvalidInputError(f"{' and '.join(given)} only {verb} with --wait")
