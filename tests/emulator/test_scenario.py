"""Scenarios: the JSON file format, the sample set, and generated batches."""

from __future__ import annotations

import json

import pytest

from pdj_cli.emulator import (
    BIG_GROUP_ARN,
    DEMO_FAILING_JOB_ARN,
    DEMO_GROUP_ARN,
    DEMO_JOB_ARN,
    FRESH_EU_GROUP_ARN,
    FRESH_GROUP_ARN,
    UNREADABLE_LOCATION,
    CreateSettings,
    Scenario,
    ScenarioError,
    ScenarioJob,
    StatusChange,
    generate_jobs,
    load_scenario,
    sample_scenario,
)

GROUP = "arn:aws:personalize:eu-west-1:111122223333:dataset-group/shop"


def write(tmp_path, data) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_load_a_scenario_file(tmp_path):
    path = write(
        tmp_path,
        {
            "jobs": [
                {
                    "jobName": "erase-1",
                    "datasetGroupArn": GROUP,
                    "region": "eu-west-1",
                    "createdAt": -60,
                    "timeline": [
                        {"status": "PENDING", "at": 0},
                        {"status": "IN_PROGRESS", "at": 5},
                        {"status": "COMPLETED", "at": 30},
                    ],
                    "numDeleted": 12,
                    "roleArn": "arn:aws:iam::111122223333:role/Deleter",
                    "dataLocation": "s3://shop/erase-1.csv",
                },
                {
                    "jobName": "erase-2",
                    "datasetGroupArn": GROUP,
                    "status": "FAILED",
                    "failureReason": "No such file",
                },
            ]
        },
    )

    scenario = load_scenario(path)

    first, second = scenario.jobs
    assert first.arn == "arn:aws:personalize:eu-west-1:111122223333:data-deletion-job/erase-1"
    assert first.changes[-1] == StatusChange("COMPLETED", 30.0)
    assert first.state_at(-40).status == "IN_PROGRESS"
    assert first.state_at(0).changed_at == -30
    assert first.state_at(-61) is None
    assert second.state_at(0).status == "FAILED"
    assert second.effective_role_arn == "arn:aws:iam::111122223333:role/PersonalizeDataDeletion"
    assert Scenario.from_dict(scenario.to_dict()) == scenario


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"job": []}, '"jobs" list'),
        ({"jobs": [], "extra": 1}, "unknown scenario keys"),
        ({"jobs": [{"jobName": "a"}]}, "datasetGroupArn is required"),
        ({"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "colour": "red"}]}, "unknown keys"),
        ({"jobs": [{"jobName": "-a", "datasetGroupArn": GROUP}]}, "not a valid Personalize name"),
        (
            {"jobs": [{"jobName": "a", "datasetGroupArn": "arn:aws:personalize:x"}]},
            "not a dataset group ARN",
        ),
        ({"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "timeline": []}]}, "empty"),
        (
            {
                "jobs": [
                    {
                        "jobName": "a",
                        "datasetGroupArn": GROUP,
                        "timeline": [{"status": "PENDING", "at": 5}],
                    }
                ]
            },
            "first timeline entry",
        ),
        (
            {
                "jobs": [
                    {
                        "jobName": "a",
                        "datasetGroupArn": GROUP,
                        "timeline": [
                            {"status": "PENDING", "at": 0},
                            {"status": "COMPLETED", "at": -1},
                        ],
                    }
                ]
            },
            "not decrease",
        ),
        (
            {"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "timeline": [["PENDING", 0]]}]},
            "timeline is a list",
        ),
        (
            {"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "status": "X", "timeline": []}]},
            "either timeline or status",
        ),
        ({"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "region": "us-east-1"}]}, "differs"),
        ({"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "numDeleted": "7"}]}, "numDeleted"),
        ({"jobs": [{"jobName": "a", "datasetGroupArn": GROUP, "roleArn": "role"}]}, "IAM role"),
        (
            {
                "jobs": [
                    {"jobName": "a", "datasetGroupArn": GROUP},
                    {"jobName": "a", "datasetGroupArn": GROUP},
                ]
            },
            "appears twice",
        ),
    ],
)
def test_invalid_scenarios_say_what_is_wrong(tmp_path, data, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write(tmp_path, data))


def test_the_world_around_the_jobs_round_trips(tmp_path):
    data = {
        "description": "groups, unreadable data and a timeline for created jobs",
        "datasetGroups": [GROUP, "arn:aws:personalize:us-east-1:111122223333:dataset-group/b"],
        "unreadableLocations": ["s3://locked", "s3://shared/secret/"],
        "createdJobs": {"pendingSeconds": 30, "runningSeconds": 90.5},
        "jobs": [{"jobName": "a", "datasetGroupArn": GROUP}],
    }
    scenario = load_scenario(write(tmp_path, data))

    assert scenario.dataset_groups == data["datasetGroups"]
    assert scenario.unreadable_locations == data["unreadableLocations"]
    assert scenario.created_jobs == CreateSettings(pending_seconds=30, running_seconds=90.5)
    assert scenario.known_dataset_groups == data["datasetGroups"]  # the job's group once
    again = Scenario.from_dict(json.loads(json.dumps(scenario.to_dict())))
    assert again == scenario
    written = again.to_dict()
    for key in ("datasetGroups", "unreadableLocations", "createdJobs"):
        assert written[key] == data[key]


def test_created_jobs_keys_are_optional():
    scenario = Scenario.from_dict({"jobs": [], "createdJobs": {"runningSeconds": 1}})
    assert scenario.created_jobs == CreateSettings(running_seconds=1)
    assert Scenario.from_dict({"jobs": []}).created_jobs is None
    assert "createdJobs" not in Scenario().to_dict()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"datasetGroups": GROUP}, "datasetGroups must be a list of strings"),
        ({"datasetGroups": [GROUP, 7]}, "datasetGroups must be a list of strings"),
        (
            {"datasetGroups": ["arn:aws:personalize:eu-west-1:111122223333:dataset/users"]},
            r"datasetGroups\[0\]: .* is not a dataset group ARN",
        ),
        ({"unreadableLocations": "s3://b"}, "unreadableLocations must be a list of strings"),
        ({"unreadableLocations": ["bucket/key"]}, r"unreadableLocations\[0\]: .* not an S3"),
        ({"unreadableLocations": ["s3://"]}, r"unreadableLocations\[0\]: .* not an S3"),
        ({"unreadableLocations": ["https://b/k"]}, r"unreadableLocations\[0\]: .* not an S3"),
        ({"createdJobs": 5}, "createdJobs is an object"),
        ({"createdJobs": {"pending": 5}}, "createdJobs: unknown keys: pending"),
        (
            {"createdJobs": {"pendingSeconds": -1}},
            "createdJobs: pending seconds must be a number of seconds >= 0, not -1",
        ),
        ({"createdJobs": {"runningSeconds": "5"}}, "createdJobs: running seconds must be"),
        ({"createdJobs": {"runningSeconds": True}}, "createdJobs: running seconds must be"),
    ],
)
def test_invalid_world_keys_say_what_is_wrong(tmp_path, data, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write(tmp_path, {"jobs": [], **data}))


def test_unreadable_scenario_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        load_scenario(tmp_path / "missing.json")


def test_sample_scenario_covers_what_tools_need():
    jobs = sample_scenario().jobs
    by_arn = {job.arn: job for job in jobs}

    assert {job.region for job in jobs} == {"us-east-1", "eu-west-1"}
    assert sum(job.dataset_group_arn == BIG_GROUP_ARN for job in jobs) == 250
    statuses_now = {job.state_at(0).status for job in jobs}
    assert statuses_now == {"PENDING", "IN_PROGRESS", "COMPLETED", "FAILED", "QUEUED"}

    demo = by_arn[DEMO_JOB_ARN]
    assert demo.dataset_group_arn == DEMO_GROUP_ARN
    assert demo.state_at(0).status == "IN_PROGRESS"
    assert demo.state_at(10).status == "IN_PROGRESS"
    assert demo.state_at(20).status == "COMPLETED"
    failing = by_arn[DEMO_FAILING_JOB_ARN]
    assert failing.state_at(14).status == "IN_PROGRESS"
    assert failing.state_at(15).status == "FAILED"
    pending = [job for job in jobs if job.state_at(10**9).status == "PENDING"]
    assert [job.job_name for job in pending] == ["retail-stuck-pending"]


def test_sample_scenario_has_empty_groups_to_create_in_and_an_unreadable_bucket():
    scenario = sample_scenario()
    assert scenario.dataset_groups == [FRESH_GROUP_ARN, FRESH_EU_GROUP_ARN]
    assert not any(
        job.dataset_group_arn in scenario.dataset_groups for job in scenario.jobs
    )  # empty: a list of either group shows only the jobs a test made
    assert scenario.unreadable_locations == [UNREADABLE_LOCATION]
    assert scenario.created_jobs is None
    assert set(scenario.known_dataset_groups) == {
        FRESH_GROUP_ARN,
        FRESH_EU_GROUP_ARN,
        *(job.dataset_group_arn for job in scenario.jobs),
    }


def test_generate_jobs_spreads_finishes():
    jobs = generate_jobs(5, GROUP, name_prefix="b", finish_from=2, finish_until=10, fail_every=2)

    assert [job.job_name for job in jobs] == ["b-0001", "b-0002", "b-0003", "b-0004", "b-0005"]
    assert [job.created_at for job in jobs] == [0, -1, -2, -3, -4]
    finishes = [job.created_at + job.changes[-1].at for job in jobs]
    assert finishes == [2, 4, 6, 8, 10]
    assert [job.changes[-1].status for job in jobs] == [
        "COMPLETED",
        "FAILED",
        "COMPLETED",
        "FAILED",
        "COMPLETED",
    ]
    assert all(job.state_at(1).status == "IN_PROGRESS" for job in jobs[1:])
    assert jobs[1].failure_reason


def test_generate_jobs_already_finished():
    (job,) = generate_jobs(1, GROUP, created_at=-100, finish_from=-200)
    assert job.changes == (StatusChange("COMPLETED", 0.0),)


def test_scenario_job_accepts_pairs_or_status_changes():
    pairs = ScenarioJob("a", GROUP, [("PENDING", 0), ("COMPLETED", 1)])
    changes = ScenarioJob("a", GROUP, [StatusChange("PENDING", 0), StatusChange("COMPLETED", 1)])
    assert pairs == changes
