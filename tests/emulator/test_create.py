"""CreateDataDeletionJob: validation, conflicts, limits, groups, unreadable data, timelines."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pdj_cli.emulator import (
    DEMO_GROUP_ARN,
    DEMO_JOB_ARN,
    FRESH_GROUP_ARN,
    RETAIL_GROUP_ARN,
    UNREADABLE_LOCATION,
    CreateSettings,
    Emulator,
    Scenario,
    ScenarioError,
    ScenarioJob,
)

from .helpers import EPOCH, raw_call

ROLE = "arn:aws:iam::123456789012:role/PersonalizeDeleter"
FRESH_GROUP = FRESH_GROUP_ARN


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


def error_of(call) -> dict:
    with pytest.raises(ClientError) as excinfo:
        call()
    return excinfo.value.response["Error"]


def test_at_most_five_pending_jobs_per_group(emu, client, clock):
    assert emu.create_settings.max_pending_jobs_per_group == 5
    for index in range(5):
        create(client, f"busy-{index}")
    error = error_of(lambda: create(client, "one-too-many"))
    assert error["Code"] == "LimitExceededException"
    assert error["Message"] == (
        f"The dataset group {FRESH_GROUP} already has 5 data deletion jobs with status "
        "PENDING; at most 5 may be PENDING at once."
    )
    create(client, "other-group-is-fine", group=DEMO_GROUP_ARN)


def test_jobs_in_progress_do_not_count_towards_the_limit(emu, client, clock):
    for index in range(5):
        create(client, f"first-{index}")
    clock.advance(emu.create_settings.pending_seconds)  # all five are IN_PROGRESS now
    for index in range(5):
        create(client, f"second-{index}")
    assert error_of(lambda: create(client, "eleventh"))["Code"] == "LimitExceededException"
    statuses = [
        job["status"]
        for job in client.list_data_deletion_jobs(datasetGroupArn=FRESH_GROUP)["dataDeletionJobs"]
    ]
    assert sorted(statuses) == ["IN_PROGRESS"] * 5 + ["PENDING"] * 5


def test_scenario_jobs_pending_count_towards_the_limit(client):
    # retail-stuck-pending is PENDING forever: four more fit, a fifth does not.
    for index in range(4):
        create(client, f"retail-{index}", group=RETAIL_GROUP_ARN)
    error = error_of(lambda: create(client, "retail-4", group=RETAIL_GROUP_ARN))
    assert error["Code"] == "LimitExceededException"


def test_a_lower_limit_from_create_settings(clock, make_client):
    settings = CreateSettings(max_pending_jobs_per_group=1)
    with Emulator(clock=clock, epoch=EPOCH, create_settings=settings) as emu:
        client = make_client(emu)
        create(client, "only-one")
        assert error_of(lambda: create(client, "second"))["Code"] == "LimitExceededException"


def test_scenario_job_names_are_taken_in_their_account_and_region(emu, client, make_client):
    taken = DEMO_JOB_ARN.rsplit("/", 1)[1]
    error = error_of(lambda: create(client, taken, group=FRESH_GROUP))  # another group
    assert error["Code"] == "ResourceAlreadyExistsException"
    assert taken in error["Message"]

    other_account_group = "arn:aws:personalize:us-east-1:111122223333:dataset-group/shop"
    emu.add_dataset_group(other_account_group)
    arn = create(client, taken, group=other_account_group)
    assert arn == f"arn:aws:personalize:us-east-1:111122223333:data-deletion-job/{taken}"


def test_dataset_group_of_another_region_is_not_found(client):
    group = "arn:aws:personalize:eu-west-1:123456789012:dataset-group/media"
    error = error_of(lambda: create(client, "x", group=group))
    assert error["Code"] == "ResourceNotFoundException"
    assert error["Message"] == f"Resource Arn {group} does not exist."


def test_dataset_group_that_does_not_exist_is_not_found(emu, client):
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/never-made"
    error = error_of(lambda: create(client, "x", group=group))
    assert error["Code"] == "ResourceNotFoundException"
    assert error["Message"] == f"Resource Arn {group} does not exist."
    assert client.list_data_deletion_jobs(datasetGroupArn=group)["dataDeletionJobs"] == []

    emu.add_dataset_group(group)
    assert create(client, "x", group=group).endswith("/x")


def test_groups_a_scenario_declares_exist(clock, make_client):
    declared = "arn:aws:personalize:us-east-1:123456789012:dataset-group/declared"
    with_job = "arn:aws:personalize:us-east-1:123456789012:dataset-group/with-job"
    scenario = Scenario([ScenarioJob("old", with_job)], dataset_groups=[declared])
    with Emulator(scenario, clock=clock, epoch=EPOCH) as emu:
        client = make_client(emu)
        create(client, "in-declared", group=declared)
        create(client, "in-with-job", group=with_job)
        error = error_of(lambda: create(client, "in-sample", group=DEMO_GROUP_ARN))
        assert error["Code"] == "ResourceNotFoundException"  # not this scenario's group


def test_add_dataset_group_rejects_what_is_not_a_group_arn(emu):
    with pytest.raises(ScenarioError, match="not a dataset group ARN"):
        emu.add_dataset_group("arn:aws:personalize:us-east-1:123456789012:dataset/users")


def test_unreadable_location_fails_the_job_with_the_reason(emu, client, clock):
    location = f"{UNREADABLE_LOCATION}/erase/users.csv"
    arn = client.create_data_deletion_job(
        jobName="cannot-read",
        datasetGroupArn=FRESH_GROUP,
        dataSource={"dataLocation": location},
        roleArn=ROLE,
    )["dataDeletionJobArn"]

    def job() -> dict:
        return client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]

    settings = emu.create_settings
    assert job()["status"] == "PENDING"
    clock.advance(settings.pending_seconds)
    assert job()["status"] == "IN_PROGRESS"
    clock.advance(settings.running_seconds)
    failed = job()
    assert failed["status"] == "FAILED"
    assert failed["failureReason"].startswith("Insufficient privileges for accessing data in S3")
    assert location in failed["failureReason"]
    assert "numDeleted" not in failed
    (summary,) = [
        item
        for item in client.list_data_deletion_jobs(datasetGroupArn=FRESH_GROUP)["dataDeletionJobs"]
        if item["dataDeletionJobArn"] == arn
    ]
    assert summary["failureReason"] == failed["failureReason"]


def test_unreadable_prefixes_end_on_path_boundaries(emu, client, clock):
    emu.add_unreadable_location("s3://shared/secret")
    names = {
        "bucket-itself": f"{UNREADABLE_LOCATION}",
        "similar-bucket": f"{UNREADABLE_LOCATION}-2/users.csv",
        "under-prefix": "s3://shared/secret/users.csv",
        "similar-prefix": "s3://shared/secret-not/users.csv",
    }
    arns = {
        name: client.create_data_deletion_job(
            jobName=name,
            datasetGroupArn=DEMO_GROUP_ARN if "similar" in name else FRESH_GROUP,
            dataSource={"dataLocation": location},
            roleArn=ROLE,
        )["dataDeletionJobArn"]
        for name, location in names.items()
    }
    clock.advance(emu.create_settings.pending_seconds + emu.create_settings.running_seconds)
    statuses = {
        name: client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]["status"]
        for name, arn in arns.items()
    }
    assert statuses == {
        "bucket-itself": "FAILED",
        "similar-bucket": "COMPLETED",
        "under-prefix": "FAILED",
        "similar-prefix": "COMPLETED",
    }


def test_created_jobs_follow_the_scenario_timeline(clock, make_client):
    scenario = Scenario(
        dataset_groups=[FRESH_GROUP],
        created_jobs=CreateSettings(pending_seconds=30, running_seconds=60),
    )
    with Emulator(scenario, clock=clock, epoch=EPOCH) as emu:
        client = make_client(emu)
        arn = create(client, "slow")

        def status() -> str:
            return client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"][
                "status"
            ]

        clock.advance(29)
        assert status() == "PENDING"
        clock.advance(1)
        assert status() == "IN_PROGRESS"
        clock.advance(59)
        assert status() == "IN_PROGRESS"
        clock.advance(1)
        assert status() == "COMPLETED"
        emu.create_settings.pending_seconds = 1  # the emulator's copy, not the scenario's
        assert scenario.created_jobs.pending_seconds == 30


def test_create_settings_given_to_the_emulator_win_over_the_scenario(clock):
    scenario = Scenario(created_jobs=CreateSettings(pending_seconds=30))
    emu = Emulator(scenario, clock=clock, create_settings=CreateSettings(pending_seconds=3))
    assert emu.create_settings.pending_seconds == 3
    assert Emulator(scenario, clock=clock).create_settings.pending_seconds == 30
    assert Emulator(Scenario(), clock=clock).create_settings == CreateSettings()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pending_seconds": -1}, "pending seconds must be a number of seconds >= 0"),
        ({"running_seconds": "5"}, "running seconds must be a number"),
        ({"max_pending_jobs_per_group": 0}, "max pending jobs per group must be an integer"),
    ],
)
def test_create_settings_reject_bad_values(changes, message):
    with pytest.raises(ScenarioError, match=message):
        CreateSettings(**changes)


def test_tags_given_at_create_are_stored(emu, client):
    tags = [{"tagKey": "request", "tagValue": "PRIV-1"}, {"tagKey": "team", "tagValue": "privacy"}]
    arn = create(client, "tagged", tags=tags)
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == tags
    assert emu.tags(arn) == {"request": "PRIV-1", "team": "privacy"}


def test_more_than_fifty_tags_at_create_are_too_many(emu, client):
    tags = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(51)]
    error = error_of(lambda: create(client, "too-many-tags", tags=tags))
    assert error["Code"] == "TooManyTagsException"
    assert "51" in error["Message"] and "50" in error["Message"]
    assert emu.request_count("CreateDataDeletionJob") == 1
    assert client.list_data_deletion_jobs(datasetGroupArn=FRESH_GROUP)["dataDeletionJobs"] == []
    assert create(client, "fifty-tags", tags=tags[:50])


def test_failed_create_stores_no_tags(emu, client):
    create(client, "first")
    tags = [{"tagKey": "k", "tagValue": "v"}]
    assert error_of(lambda: create(client, "first", tags=tags))["Code"] == (
        "ResourceAlreadyExistsException"
    )
    arn = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/first"
    assert emu.tags(arn) == {}


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
        ({"tags": [{"tagKey": "aws:owner", "tagValue": "v"}]}, "tags.1.member.tagKey"),
        ({"tags": [{"tagKey": "k", "tagValue": "AWS:x"}]}, "tags.1.member.tagValue"),
        (
            {"tags": [{"tagKey": "k", "tagValue": "1"}, {"tagKey": "k", "tagValue": "2"}]},
            "tags.2.member.tagKey",
        ),
        ({"tags": [{"tagKey": "k" * 129, "tagValue": "v"}]}, "tags.1.member.tagKey"),
        ({"tags": [{"tagKey": "k", "tagValue": "v" * 257}]}, "tags.1.member.tagValue"),
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
