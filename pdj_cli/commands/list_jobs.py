"""`pdj list`: every job of a dataset group, or of the region, across all pages."""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from pdj_cli.errors import ExitCode
from pdj_cli.options import AwsOptions, aws_command

if TYPE_CHECKING:
    from pdj_cli.models import DeletionJob

# Imports of pdj's own modules happen inside the functions: `pdj --help` needs none of them.


def _status_callback(values: list[str] | None) -> list[str]:
    import re

    from pdj_cli.boundary import say
    from pdj_cli.models import KNOWN_STATUSES

    # Any status word is accepted: the service may add statuses (pdj shows them as they are),
    # and a filter for one must not need a new pdj. A word pdj does not know gets a warning.
    wanted = [value.strip().upper() for value in values or []]
    for value, typed in zip(wanted, values or [], strict=True):
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", value, re.ASCII):
            raise typer.BadParameter(
                f"{typed!r} is not a status word; "
                f"statuses are words such as {', '.join(KNOWN_STATUSES)}"
            )
    for value in dict.fromkeys(wanted):
        if value not in KNOWN_STATUSES:
            say(
                f"pdj: warning: {value} is not one of the statuses pdj knows "
                f"({', '.join(KNOWN_STATUSES)}); listing the jobs whose status is {value}"
            )
    return wanted


DatasetGroupOption = Annotated[
    Optional[str],  # noqa: UP045 - typer needs a runtime type here
    typer.Option(
        "--dataset-group-arn",
        metavar="ARN",
        help="Only the jobs of this dataset group (its region is used unless --region is given).",
    ),
]
StatusOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--status",
        metavar="STATUS",
        callback=_status_callback,
        help="Only jobs with this status (repeatable, any case): PENDING, IN_PROGRESS, COMPLETED, "
        "FAILED, or any status the service reports.",
    ),
]


@aws_command
def list_jobs(
    dataset_group_arn: DatasetGroupOption = None,
    status: StatusOption = None,
    *,
    aws: AwsOptions,
) -> ExitCode:
    """List every deletion job of a dataset group, or of the region, newest first.

    Reads every page (the AWS CLI stops at the first); jsonl, text and csv stream
    them.

    [bold]Examples[/bold]

      DG=arn:aws:personalize:us-east-1:123456789012:dataset-group/shop

      pdj list --dataset-group-arn $DG

      pdj list --status FAILED -o jsonl | jq -r .dataDeletionJobArn

      pdj list --region eu-west-1 --query 'dataDeletionJobs[].jobName' -o text

      pdj list --dataset-group-arn $DG -o csv > jobs.csv    # for a spreadsheet
    """
    from pdj_cli.arns import parse_dataset_group_arn

    group = parse_dataset_group_arn(dataset_group_arn) if dataset_group_arn else None
    renderer = aws.renderer()
    pages = aws.service().iter_job_pages(group)
    if status:
        pages = (_with_status(page, status) for page in pages)
    renderer.jobs(pages)
    return ExitCode.OK


def _with_status(page: "list[DeletionJob]", statuses: list[str]) -> "list[DeletionJob]":
    # ListDataDeletionJobs has no status filter, so it is applied here, page by page.
    return [job for job in page if job.status in statuses]
