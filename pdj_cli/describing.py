"""The body of `pdj describe`, typer-free: the typer command and the fast path both call it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pdj_cli.arns import parse_job_arn
from pdj_cli.errors import ExitCode
from pdj_cli.models import exit_code_for_status

if TYPE_CHECKING:
    from pdj_cli.invocation import AwsOptions


def describe_job(arn: str, exit_status: bool, aws: AwsOptions) -> ExitCode:
    """Describe the job `arn` and render it; its status sets the exit code with --exit-status."""
    job_arn = parse_job_arn(arn)
    renderer = aws.renderer()
    job = aws.service().describe(job_arn)
    renderer.job(job)
    return exit_code_for_status(job.status) if exit_status else ExitCode.OK
