"""`pdj create`: start data deletion jobs, one per dataset group: validated, confirmed,
idempotent by request, within the five-PENDING limit; with --wait, followed as `batch --wait`."""

from typing import TYPE_CHECKING, Annotated, Optional, cast

import typer

from pdj_cli.boundary import say
from pdj_cli.ci.settings import CiMode
from pdj_cli.durations import duration_text
from pdj_cli.errors import ExitCode, InvalidInputError, PdjError
from pdj_cli.options import (
    AwsOptions,
    CiOption,
    FailFastOption,
    GraceOption,
    JunitXmlOption,
    WaitIntervalOption,
    WaitOption,
    WaitTimeoutOption,
    aws_command,
    duration_option,
)
from pdj_cli.poller import DEFAULT_GRACE

if TYPE_CHECKING:
    from pdj_cli.arns import ResourceArn
    from pdj_cli.ci.report import CiReport
    from pdj_cli.creating.plan import JobRequest
    from pdj_cli.creating.submit import Submitted
    from pdj_cli.service import JobService
    from pdj_cli.ui.output import Output

JOB_PANEL = "The job"
SAFETY_PANEL = "Safety"
MAX_CONCURRENCY = 8  # --wait's describes in flight, as batch's default

GroupsOption = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs a runtime type here
    typer.Option(
        "--dataset-group-arn",
        metavar="ARN",
        help="The dataset group to delete from; repeatable: one job per group, each in its "
        "group's region.",
        show_default=False,
        rich_help_panel=JOB_PANEL,
    ),
]
DataLocationOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--data-location",
        metavar="S3URI",
        help="The CSV of USER_IDs to delete (s3://bucket/users.csv), or a folder of them.",
        show_default=False,
        rich_help_panel=JOB_PANEL,
    ),
]
RoleOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--role-arn",
        metavar="ARN",
        help="The IAM role Personalize assumes to read the data location.",
        show_default=False,
        rich_help_panel=JOB_PANEL,
    ),
]
JobNameOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--job-name",
        metavar="NAME",
        help="The job's name (one group only). Default: derived from --request-id, else "
        "pdj-GROUP-TIME-XXXX.",
        show_default=False,
        rich_help_panel=JOB_PANEL,
    ),
]
RequestIdOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--request-id",
        metavar="ID",
        help="The erasure request (a ticket number): names each job REQUEST-GROUP-HASH and "
        "tags it pdj:request-id=ID, so a re-run creates nothing twice.",
        show_default=False,
        rich_help_panel=JOB_PANEL,
    ),
]
TagOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--tag",
        metavar="KEY=VALUE",
        help="A tag for every job (repeatable, at most 50).",
        show_default=False,
        rich_help_panel=JOB_PANEL,
    ),
]
WaitForSlotOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--wait-for-slot",
        metavar="DURATION",
        callback=duration_option,
        help="When a group has too many pending deletion jobs, look again every --interval "
        "for up to DURATION until it has room, then create.",
        show_default=False,
        rich_help_panel=SAFETY_PANEL,
    ),
]
YesOption = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Do not ask: needed off a terminal (scripts, CI).",
        rich_help_panel=SAFETY_PANEL,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Print the exact request(s) as JSON and send nothing.",
        rich_help_panel=SAFETY_PANEL,
    ),
]


@aws_command
def create(
    dataset_group_arn: GroupsOption = None,
    data_location: DataLocationOption = None,
    role_arn: RoleOption = None,
    job_name: JobNameOption = None,
    request_id: RequestIdOption = None,
    tag: TagOption = None,
    yes: YesOption = False,
    dry_run: DryRunOption = False,
    wait_for_slot: WaitForSlotOption = None,
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
    """Start deletion jobs: one per dataset group, confirmed, idempotent by request.

    Every input is checked against the service's rules before anything is sent.
    On a terminal it shows what will be deleted from where and asks; --yes skips
    the question (and is needed off a terminal); --dry-run prints the requests
    instead. With --request-id a re-run finds the jobs it made: "already
    submitted", nothing new.

    Output: the jobs' ARNs (text: one a line; json: {"dataDeletionJobArn": ...}
    for one group, {"dataDeletionJobs": [...]} for several). With --wait, as
    `pdj batch --wait`.

    [bold]Examples[/bold]

      pdj create --dataset-group-arn $DG --data-location $CSV \\
        --role-arn $ROLE --request-id R-12

      pdj create --dataset-group-arn $DG1 --dataset-group-arn $DG2 \\
        --data-location $CSV --role-arn $ROLE --request-id R-12 \\
        --yes --wait --timeout 6h

      pdj create --dataset-group-arn $DG --data-location $CSV \\
        --role-arn $ROLE --dry-run | jq .
    """
    from pdj_cli.creating.plan import plan
    from pdj_cli.creating.validate import validate

    _check_options(wait, wait_for_slot, interval, timeout, fail_fast, junit_xml)
    inputs = validate(
        groups=dataset_group_arn or [],
        data_location=data_location,
        role_arn=role_arn,
        job_name=job_name,
        request_id=request_id,
        tags=tag or [],
    )
    _check_region(aws.region, inputs.groups)
    requests = plan(inputs)
    renderer = aws.renderer()
    if dry_run:
        from pdj_cli.ui.create_view import write_requests

        write_requests(renderer, requests)
        return ExitCode.OK
    if not yes and not _confirmed(renderer, requests):
        say("pdj: aborted: nothing was created")
        return ExitCode.JOB_FAILED
    report = None
    if wait:
        from pdj_cli.ci.report import make_report

        report = make_report("pdj create", ci, junit_xml, environ=renderer.terminal.environ)
    service = aws.service(count_requests=aws.debug)
    try:
        try:
            submitted = _submit_all(
                service,
                requests,
                renderer,
                wait=wait,
                wait_for_slot=cast(Optional[float], wait_for_slot),  # noqa: UP045 - seconds
                interval=cast(Optional[float], interval),  # noqa: UP045
            )
        except (PdjError, KeyboardInterrupt) as error:
            if report is not None:  # a CI waiting on the jobs learns why there are none
                from pdj_cli.ci.report import stopped_by

                report.finish(stopped_by(error))
            raise
        if not wait:
            return ExitCode.OK
        return _follow(service, submitted, renderer, timeout, fail_fast, grace, interval, report)
    finally:
        if aws.debug:
            say(f"pdj: debug: {service.request_counter.summary()}")


def _check_options(
    wait: bool,
    wait_for_slot: object,
    interval: object,
    timeout: object,
    fail_fast: bool,
    junit_xml: str | None,
) -> None:
    given = [
        name
        for name, value in (("--timeout", timeout), ("--junit-xml", junit_xml))
        if value is not None
    ]
    given += ["--fail-fast"] if fail_fast else []
    if not wait and given:
        verb = "applies" if len(given) == 1 else "apply"
        raise InvalidInputError(f"{' and '.join(given)} only {verb} with --wait")
    if interval is not None and not (wait or wait_for_slot is not None):
        raise InvalidInputError("--interval only applies with --wait or --wait-for-slot")


def _check_region(region: str | None, groups: tuple["ResourceArn", ...]) -> None:
    # A job lives in its group's region: --region elsewhere would only be told "not found".
    for group in groups:
        if region and group.region != region:
            raise InvalidInputError(
                f"--region {region} is not the region of the dataset group "
                f"{group.text} ({group.region})",
                "each job is created in its group's region: leave --region out",
            )


def _confirmed(renderer: "Output", requests: list["JobRequest"]) -> bool:
    terminal = renderer.terminal
    if not (terminal.stdin_is_terminal and terminal.isatty(terminal.stderr)):
        raise InvalidInputError(
            "refusing to create data deletion jobs without confirmation: not on a terminal",
            "pass --yes to confirm (scripts, CI), or --dry-run to see the requests",
        )
    from pdj_cli.ui.create_view import ask, confirmation_lines

    noun = "this job" if len(requests) == 1 else f"these {len(requests)} jobs"
    return ask(terminal, confirmation_lines(requests), f"Create {noun}?")


def _submit_all(
    service: "JobService",
    requests: list["JobRequest"],
    renderer: "Output",
    *,
    wait: bool,
    wait_for_slot: float | None,
    interval: float | None,
) -> list["Submitted"]:
    """Each request in turn; stops at the first that fails (what was submitted is printed,
    and a re-run with the same --request-id carries on from there)."""
    from pdj_cli.creating.submit import DEFAULT_SLOT_INTERVAL, submit
    from pdj_cli.ui.create_view import submitted_line

    submitted: list[Submitted] = []
    try:
        for request in requests:
            outcome = submit(
                service,
                request,
                wait_for_slot=wait_for_slot,
                interval=interval or DEFAULT_SLOT_INTERVAL,
                say=say,
            )
            say(submitted_line(outcome))
            submitted.append(outcome)
    except BaseException:  # an error, Ctrl-C, SIGTERM: the jobs made so far still go to stdout
        if submitted:
            _write_submitted(renderer, submitted, len(requests))
        raise
    if not wait:
        _write_submitted(renderer, submitted, len(requests))
    return submitted


def _write_submitted(renderer: "Output", submitted: list["Submitted"], jobs: int) -> None:
    from pdj_cli.ui.create_view import submitted_writer

    writer = submitted_writer(renderer, jobs)
    for item in submitted:
        writer.add(item)
    writer.finish()


def _follow(
    service: "JobService",
    submitted: list["Submitted"],
    renderer: "Output",
    timeout: object,
    fail_fast: bool,
    grace: object,
    interval: object,
    report: "CiReport | None",
) -> ExitCode:
    """Exactly `batch --wait` over the jobs: the same runner, view, records and exit codes."""
    from pdj_cli.arns import parse_job_arn
    from pdj_cli.batch.items import JobInput, Origin
    from pdj_cli.batch.runner import BatchRunner
    from pdj_cli.creating.submit import UNSEEN_GRACE
    from pdj_cli.following import follow

    runner = BatchRunner(
        service,
        concurrency=min(MAX_CONCURRENCY, len(submitted)),
        wait=True,
        fail_fast=fail_fast,
        interval=cast(Optional[float], interval),  # noqa: UP045
        timeout=cast(Optional[float], timeout),  # noqa: UP045
        grace=cast(float, grace),
        unseen_grace=UNSEEN_GRACE,
    )
    items = [
        JobInput(parse_job_arn(item.arn), Origin(item.request.group.text)) for item in submitted
    ]
    return follow(runner, items, renderer, statuses_matter=True, report=report)
