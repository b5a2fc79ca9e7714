"""The CreateDataDeletionJob requests `pdj create` sends: one per dataset group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pdj_cli.arns import JOB_RESOURCE, ResourceArn
from pdj_cli.creating.naming import generated_job_name, request_job_name
from pdj_cli.creating.validate import CreateInputs


@dataclass(frozen=True)
class JobRequest:
    group: ResourceArn
    job_name: str
    data_location: str
    role_arn: str
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def job_arn(self) -> str:
        """The ARN the job gets: the group's partition, region and account, and its name."""
        group = self.group
        return (
            f"arn:{group.partition}:personalize:{group.region}:{group.account}:"
            f"{JOB_RESOURCE}/{self.job_name}"
        )

    def params(self) -> dict[str, Any]:
        """The request as botocore takes it (and `aws ... --cli-input-json` reads it)."""
        params: dict[str, Any] = {
            "jobName": self.job_name,
            "datasetGroupArn": self.group.text,
            "dataSource": {"dataLocation": self.data_location},
            "roleArn": self.role_arn,
        }
        if self.tags:
            params["tags"] = [{"tagKey": key, "tagValue": value} for key, value in self.tags]
        return params


def plan(
    inputs: CreateInputs, *, now: datetime | None = None, token: str | None = None
) -> list[JobRequest]:
    """One request per group, in the order given; `now` and `token` fix a generated name."""
    requests = []
    for group in inputs.groups:
        if inputs.job_name is not None:
            name = inputs.job_name
        elif inputs.request_id is not None:
            name = request_job_name(inputs.request_id, group)
        else:
            name = generated_job_name(group, now, token)
        requests.append(JobRequest(group, name, inputs.data_location, inputs.role_arn, inputs.tags))
    return requests
