"""Personalize ARNs as the emulator needs them: split, and build a job's ARN."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARN = re.compile(
    r"arn:(?P<partition>[a-z\d-]+):personalize:(?P<region>[a-z\d-]+):(?P<account>\d{12})"
    r":(?P<kind>[a-z-]+)/(?P<name>[^/]+)"
)


@dataclass(frozen=True)
class PersonalizeArn:
    partition: str
    region: str
    account: str
    kind: str
    name: str


def parse_arn(arn: str) -> PersonalizeArn | None:
    """Splits a well-formed Personalize resource ARN; None for anything else."""
    match = _ARN.fullmatch(arn)
    if match is None:
        return None
    return PersonalizeArn(**match.groupdict())


def job_arn(dataset_group: PersonalizeArn, job_name: str) -> str:
    return (
        f"arn:{dataset_group.partition}:personalize:{dataset_group.region}:"
        f"{dataset_group.account}:data-deletion-job/{job_name}"
    )


def dataset_group_arn(region: str, name: str, account: str = "123456789012") -> str:
    return f"arn:aws:personalize:{region}:{account}:dataset-group/{name}"
