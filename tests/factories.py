"""Jobs as the service describes them, for tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from pdj_cli.models import DeletionJob

ACCOUNT = "123456789012"
GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/shop"
CREATED = datetime(2026, 5, 31, 16, 8, 37, 123000, tzinfo=timezone.utc)


def job_arn(name: str = "erase-42", region: str = "us-east-1") -> str:
    return f"arn:aws:personalize:{region}:{ACCOUNT}:data-deletion-job/{name}"


def api_job(name: str = "erase-42", status: str = "COMPLETED", **overrides: Any) -> dict[str, Any]:
    """A DataDeletionJob as botocore parses it (datetimes, not strings)."""
    job: dict[str, Any] = {
        "jobName": name,
        "dataDeletionJobArn": job_arn(name),
        "datasetGroupArn": GROUP,
        "dataSource": {"dataLocation": f"s3://bucket/{name}.csv"},
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/PersonalizeDeletion",
        "status": status,
        "numDeleted": 1200,
        "creationDateTime": CREATED,
        "lastUpdatedDateTime": CREATED + timedelta(minutes=42),
    }
    if status == "FAILED":
        job["failureReason"] = "Access denied to s3://bucket"
    job.update(overrides)
    return job


def summary(name: str = "erase-42", status: str = "COMPLETED", **overrides: Any) -> dict[str, Any]:
    """A DataDeletionJobSummary: no dataSource, roleArn or numDeleted."""
    job = api_job(name, status, **overrides)
    for field in ("dataSource", "roleArn", "numDeleted"):
        job.pop(field, None)
    return job


def deletion_job(
    name: str = "erase-42", status: str = "COMPLETED", **overrides: Any
) -> DeletionJob:
    return DeletionJob.from_api(api_job(name, status, **overrides))
