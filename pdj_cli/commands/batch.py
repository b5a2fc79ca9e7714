"""`pdj batch`: many jobs at once, concurrently; with --wait, until every one is terminal."""

from typing import Annotated, Optional, cast

import typer

from pdj_cli.boundary import say
from pdj_cli.ci.settings import CiMode
from pdj_cli.durations import duration_text
from pdj_cli.errors import ExitCode, InvalidInputError
from pdj_cli.options import (
    AwsOptions,
    BatchExitStatusOption,
    CiOption,
    FailFastOption,
    GraceOption,
    JunitXmlOption,
    WaitIntervalOption,
    WaitOption,
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
    ci: CiOption = CiMode.auto,
    junit_xml: JunitXmlOption = None,
    *,
    aws: AwsOptions,
) -> ExitCode:
    """Describe many data deletion jobs at once, concurrently, in several regions.

    Every unique input gets exactly one record: the job, or an error (an invalid
    input is never sent).

    json and markdown print in input order once all are answered; jsonl, text and
    csv stream records as they arrive.

    [bold]Examples[/bold]

      pdj batch -f in.txt -o jsonl | jq -r 'select(.error) | .dataDeletionJobArn'

      pdj list --status PENDING -o text | cut -f3 | pdj batch - --wait

      pdj batch --dataset-group-arn $DG --wait --fail-fast

      pdj batch -f erasures.txt --wait -o markdown > evidence.md   # for a ticket

      pdj batch -f erasures.txt --wait --junit-xml report.xml   # GitLab, Jenkins
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
        from pdj_cli.batch.inputs import read_inputs
        from pdj_cli.ci.report import make_report
        from pdj_cli.following import follow

        # GitHub mode only where the jobs' ends matter; a plain batch describes, it does not gate
        report = make_report(
            "pdj batch", ci, junit_xml, environ=terminal.environ, waits=wait or exit_status
        )
        items = read_inputs(inputs, service)
        code = follow(runner, items, renderer, statuses_matter=wait or exit_status, report=report)
    finally:
        inputs.close()
    if aws.debug:
        say(f"pdj: debug: {service.request_counter.summary()}")
    return code


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
