"""What a data deletion job is, independent of boto3 and of the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from pdj_cli.errors import ExitCode


class Status(str, Enum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"

    @staticmethod
    def is_terminal(status: str) -> bool:
        """COMPLETED and FAILED end a job; any other value, a future one included, does not."""
        return status in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({Status.COMPLETED.value, Status.FAILED.value})
KNOWN_STATUSES = tuple(status.value for status in Status)


def in_status_order(statuses: Iterable[str]) -> list[str]:
    """The known statuses in their lifecycle order, then any others sorted."""
    present = set(statuses)
    return [s for s in KNOWN_STATUSES if s in present] + sorted(present - set(KNOWN_STATUSES))


def exit_code_for_status(status: str) -> ExitCode:
    """The exit code a job's status sets (--exit-status, watch, batch --wait): 0 COMPLETED,
    1 FAILED, 3 anything else, a status never seen before included (not terminal yet)."""
    if status == Status.COMPLETED.value:
        return ExitCode.OK
    if status == Status.FAILED.value:
        return ExitCode.JOB_FAILED
    return ExitCode.NOT_TERMINAL


@dataclass(frozen=True)
class DeletionJob:
    """One job as DescribeDataDeletionJob or ListDataDeletionJobs returned it.

    `status` stays a plain string so a status this version has never heard of is kept as the
    service sent it. Fields the service left out are None (a list summary has no numDeleted).
    """

    arn: str
    status: str
    name: str | None = None
    dataset_group_arn: str | None = None
    data_location: str | None = None
    role_arn: str | None = None
    num_deleted: int | None = None
    created: datetime | None = None
    updated: datetime | None = None
    failure_reason: str | None = None

    @property
    def is_terminal(self) -> bool:
        return Status.is_terminal(self.status)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> DeletionJob:
        """From botocore's parsed DataDeletionJob or DataDeletionJobSummary."""
        source = data.get("dataSource") or {}
        return cls(
            arn=data["dataDeletionJobArn"],
            status=data.get("status", ""),
            name=data.get("jobName"),
            dataset_group_arn=data.get("datasetGroupArn"),
            data_location=source.get("dataLocation"),
            role_arn=data.get("roleArn"),
            num_deleted=data.get("numDeleted"),
            created=data.get("creationDateTime"),
            updated=data.get("lastUpdatedDateTime"),
            failure_reason=data.get("failureReason"),
        )

    def to_api(self) -> dict[str, Any]:
        """The service's own shape and member order, as `aws` prints it; absent fields omitted.

        Timestamps are converted to UTC here so output never depends on the machine's zone.
        """
        fields: list[tuple[str, Any]] = [
            ("jobName", self.name),
            ("dataDeletionJobArn", self.arn),
            ("datasetGroupArn", self.dataset_group_arn),
            ("dataSource", {"dataLocation": self.data_location} if self.data_location else None),
            ("roleArn", self.role_arn),
            ("status", self.status),
            ("numDeleted", self.num_deleted),
            ("creationDateTime", iso_utc(self.created)),
            ("lastUpdatedDateTime", iso_utc(self.updated)),
            ("failureReason", self.failure_reason),
        ]
        return {key: value for key, value in fields if value is not None}


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, `+00:00`, microseconds kept as the service sent them."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()
