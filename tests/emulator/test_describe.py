"""DescribeDataDeletionJob through real botocore over real HTTP."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from pdj_cli.emulator import DEMO_FAILING_JOB_ARN, DEMO_JOB_ARN, Emulator, ManualClock

from .helpers import EPOCH, raw_call

ACCOUNT = "123456789012"


def job_arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:personalize:{region}:{ACCOUNT}:data-deletion-job/{name}"


def describe(client, arn: str) -> dict:
    return client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.mark.parametrize(
    ("arn", "region", "status"),
    [
        (DEMO_JOB_ARN, "us-east-1", "IN_PROGRESS"),
        (job_arn("demo-erasure-2026-10"), "us-east-1", "COMPLETED"),
        (job_arn("retail-purge-access-denied"), "us-east-1", "FAILED"),
        (job_arn("retail-stuck-pending"), "us-east-1", "PENDING"),
        (job_arn("media-queued-unknown-status", "eu-west-1"), "eu-west-1", "QUEUED"),
        (job_arn("media-long-reindex", "eu-west-1"), "eu-west-1", "IN_PROGRESS"),
    ],
)
def test_describe_shows_each_status(emu, make_client, arn, region, status):
    job = describe(make_client(emu, region), arn)

    assert job["status"] == status
    assert job["dataDeletionJobArn"] == arn
    assert job["jobName"] == arn.rsplit("/", 1)[1]
    assert job["dataSource"]["dataLocation"].startswith("s3://")
    assert job["roleArn"].startswith("arn:aws:iam::123456789012:role/")
    assert isinstance(job["creationDateTime"], datetime)
    assert job["lastUpdatedDateTime"] >= job["creationDateTime"]
    assert ("numDeleted" in job) == (status == "COMPLETED")
    assert ("failureReason" in job) == (status == "FAILED")


def test_completed_job_has_num_deleted_and_failed_job_a_reason(client):
    assert describe(client, job_arn("demo-erasure-2026-10"))["numDeleted"] == 87
    reason = describe(client, job_arn("retail-purge-access-denied"))["failureReason"]
    assert "access denied" in reason


def test_demo_job_completes_on_the_clock(client, clock: ManualClock):
    created = describe(client, DEMO_JOB_ARN)["creationDateTime"]
    assert created == datetime.fromtimestamp(EPOCH - 5, timezone.utc)

    clock.advance(14.9)
    assert describe(client, DEMO_JOB_ARN)["status"] == "IN_PROGRESS"
    clock.advance(0.2)
    job = describe(client, DEMO_JOB_ARN)

    assert job["status"] == "COMPLETED"
    assert job["numDeleted"] == 1342
    assert job["lastUpdatedDateTime"] == datetime.fromtimestamp(EPOCH + 15, timezone.utc)


def test_failing_demo_job_fails_after_about_fifteen_seconds(client, clock: ManualClock):
    assert describe(client, DEMO_FAILING_JOB_ARN)["status"] == "PENDING"
    clock.advance(1)
    assert describe(client, DEMO_FAILING_JOB_ARN)["status"] == "IN_PROGRESS"
    clock.advance(14)
    job = describe(client, DEMO_FAILING_JOB_ARN)
    assert job["status"] == "FAILED"
    assert "USER_ID" in job["failureReason"]


def test_unknown_job_is_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        describe(client, job_arn("no-such-job"))
    assert error_code(excinfo) == "ResourceNotFoundException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_job_of_another_region_is_not_found(emu, make_client):
    with pytest.raises(ClientError) as excinfo:
        describe(make_client(emu, "eu-west-1"), DEMO_JOB_ARN)
    assert error_code(excinfo) == "ResourceNotFoundException"


@pytest.mark.parametrize(
    "arn",
    [
        "not-an-arn",
        "arn:aws:s3:::bucket/key",
        "arn:aws:personalize:us-east-1:123456789012:",
        job_arn("x" * 250),  # longer than 256 characters
    ],
)
def test_malformed_arn_is_invalid_input(client, arn):
    with pytest.raises(ClientError) as excinfo:
        describe(client, arn)
    assert error_code(excinfo) == "InvalidInputException"
    assert "dataDeletionJobArn" in excinfo.value.response["Error"]["Message"]


def test_missing_arn_is_invalid_input_on_the_wire(emu):
    response = raw_call(emu, "DescribeDataDeletionJob", {})
    assert response.status == 400
    assert response.json["__type"] == "InvalidInputException"
    assert "Member must not be null" in response.json["message"]


def test_non_string_arn_is_invalid_input(emu):
    response = raw_call(emu, "DescribeDataDeletionJob", {"dataDeletionJobArn": 42})
    assert response.json["__type"] == "InvalidInputException"


def test_job_created_in_the_future_appears_at_its_time(client, emu: Emulator, clock):
    arn = emu.add_job(
        job_name="later-job",
        dataset_group_arn="arn:aws:personalize:us-east-1:123456789012:dataset-group/demo",
        created_at=10,
    )
    with pytest.raises(ClientError):
        describe(client, arn)
    clock.advance(10)
    assert describe(client, arn)["status"] == "COMPLETED"
