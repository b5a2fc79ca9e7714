"""CreateDataDeletionJob: validation, conflicts, limits, and the new job's timeline."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pdj_cli.emulator import DEMO_GROUP_ARN

from .helpers import raw_call

ROLE = "arn:aws:iam::123456789012:role/PersonalizeDeleter"
FRESH_GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/fresh"


def create(client, name: str, group: str = FRESH_GROUP, **extra) -> str:
    return client.create_data_deletion_job(
        jobName=name,
        datasetGroupArn=group,
        dataSource={"dataLocation": f"s3://bucket/{name}.csv"},
        roleArn=ROLE,
        **extra,
    )["dataDeletionJobArn"]


def valid_params(**changes) -> dict:
    params = {
        "jobName": "raw-job",
        "datasetGroupArn": FRESH_GROUP,
        "dataSource": {"dataLocation": "s3://bucket/users.csv"},
        "roleArn": ROLE,
    }
    params.update(changes)
    return {key: value for key, value in params.items() if value is not None}


def test_created_job_advances_pending_in_progress_completed(emu, client, clock):
    arn = create(client, "erase-user-42", tags=[{"tagKey": "team", "tagValue": "privacy"}])
    assert arn == "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-user-42"

    job = client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert job["status"] == "PENDING"
    assert job["roleArn"] == ROLE
    assert job["dataSource"] == {"dataLocation": "s3://bucket/erase-user-42.csv"}
    assert "numDeleted" not in job

    settings = emu.create_settings
    clock.advance(settings.pending_seconds)
    job = client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert job["status"] == "IN_PROGRESS"
    assert job["lastUpdatedDateTime"] > job["creationDateTime"]

    clock.advance(settings.running_seconds)
    job = client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
    assert job["status"] == "COMPLETED"
    assert job["numDeleted"] > 0

    listed = client.list_data_deletion_jobs(datasetGroupArn=FRESH_GROUP)["dataDeletionJobs"]
    assert [item["dataDeletionJobArn"] for item in listed] == [arn]


def test_duplicate_name_in_the_same_region_already_exists(emu, client, make_client):
    create(client, "twice")
    with pytest.raises(ClientError) as excinfo:
        create(client, "twice", group=DEMO_GROUP_ARN)
    assert excinfo.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"

    eu_group = "arn:aws:personalize:eu-west-1:123456789012:dataset-group/fresh"
    assert ":eu-west-1:" in create(make_client(emu, "eu-west-1"), "twice", group=eu_group)


def test_limit_of_unfinished_jobs_per_group(emu, client, clock):
    limit = emu.create_settings.max_active_jobs_per_group
    for index in range(limit):
        create(client, f"busy-{index}")
    with pytest.raises(ClientError) as excinfo:
        create(client, "one-too-many")
    assert excinfo.value.response["Error"]["Code"] == "LimitExceededException"

    create(client, "other-group-is-fine", group=DEMO_GROUP_ARN)
    clock.advance(emu.create_settings.pending_seconds + emu.create_settings.running_seconds)
    create(client, "after-the-others-finished")


def test_dataset_group_of_another_region_is_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", group="arn:aws:personalize:eu-west-1:123456789012:dataset-group/media")
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_arn_that_is_not_a_dataset_group_is_not_found(client):
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", group="arn:aws:personalize:us-east-1:123456789012:dataset/users")
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"jobName": "-starts-with-dash"}, "jobName"),
        ({"jobName": "has space"}, "jobName"),
        ({"jobName": "x" * 64}, "jobName"),
        ({"jobName": ""}, "jobName"),
        ({"jobName": None}, "jobName"),
        ({"datasetGroupArn": "group"}, "datasetGroupArn"),
        ({"datasetGroupArn": None}, "datasetGroupArn"),
        ({"roleArn": "arn:aws:iam::123:role/short-account"}, "roleArn"),
        ({"roleArn": "arn:aws:iam::123456789012:user/not-a-role"}, "roleArn"),
        ({"dataSource": {"dataLocation": "ftp://bucket/file.csv"}}, "dataSource.dataLocation"),
        ({"dataSource": {}}, "dataSource.dataLocation"),
        ({"dataSource": None}, "dataSource"),
        ({"tags": [{"tagKey": "", "tagValue": "v"}]}, "tags.1.member.tagKey"),
        ({"tags": [{"tagKey": "k"}]}, "tags.1.member.tagValue"),
        ({"tags": [{"tagKey": "bad*key", "tagValue": "v"}]}, "tags.1.member.tagKey"),
        ({"tags": [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)]}, "tags"),
    ],
)
def test_invalid_create_input(emu, changes, where):
    response = raw_call(emu, "CreateDataDeletionJob", valid_params(**changes))
    assert response.status == 400
    assert response.json["__type"] == "InvalidInputException"
    assert f"at '{where}'" in response.json["message"]


def test_every_violation_is_reported_at_once(emu):
    response = raw_call(emu, "CreateDataDeletionJob", {"jobName": "ok"})
    assert response.json["message"].startswith("3 validation errors detected:")


def test_valid_raw_create_succeeds(emu):
    response = raw_call(emu, "CreateDataDeletionJob", valid_params(tags=[]))
    assert response.status == 200
    assert response.json == {
        "dataDeletionJobArn": "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/raw-job"
    }
