"""`pdj describe ARN`: one job, once."""

from typing import Annotated

import typer

from pdj_cli.errors import ExitCode
from pdj_cli.options import AwsOptions, ExitStatusOption, aws_command


@aws_command
def describe(
    arn: Annotated[
        str, typer.Argument(metavar="ARN", help="The data deletion job's ARN.", show_default=False)
    ],
    exit_status: ExitStatusOption = False,
    *,
    aws: AwsOptions,
) -> ExitCode:
    """Show one data deletion job, once.

    The ARN is checked before anything is sent: a wrong one is exit 2.

    [bold]Examples[/bold]

      ARN=arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42

      pdj describe $ARN

      pdj describe $ARN | jq -r .dataDeletionJob.status

      pdj describe $ARN --query dataDeletionJob.numDeleted -o text

      pdj describe $ARN --exit-status && echo "deleted"

      pdj describe $ARN -o markdown    # a table to paste into a ticket
    """
    # The body is shared with the fast path that serves a plain describe without typer.
    from pdj_cli import describing

    return describing.describe_job(arn, exit_status, aws)
