"""Fault injection: each fault on the wire, seeds, latency, changes while running, retries."""

from __future__ import annotations

import contextlib
import http.client
import time

import pytest
from botocore.retries import standard

from pdj_cli.commands.emulator import CreateError
from pdj_cli.emulator import DEMO_JOB_ARN, FRESH_GROUP_ARN, Emulator, FaultConfig, ManualClock
from pdj_cli.emulator.faults import CREATE_ERRORS

from .helpers import raw_call


def describe_raw(emu: Emulator):
    return raw_call(emu, "DescribeDataDeletionJob", {"dataDeletionJobArn": DEMO_JOB_ARN})


def test_throttle_rate_one_answers_throttling(emu):
    emu.faults.throttle_rate = 1.0
    response = describe_raw(emu)
    assert response.status == 400
    assert response.json == {"__type": "ThrottlingException", "message": "Rate exceeded"}
    assert emu.requests[-1]["fault"] == "throttle"


def test_error_rate_one_answers_5xx(emu):
    emu.set_faults(error_rate=1.0, seed=1)
    answers = [describe_raw(emu) for _ in range(10)]
    assert {answer.status for answer in answers} == {500, 503}
    assert {answer.json["__type"] for answer in answers} == {
        "InternalFailure",
        "ServiceUnavailable",
    }
    assert all(entry["fault"] == "5xx" for entry in emu.requests)


def test_drop_rate_one_closes_the_connection_unanswered(emu):
    emu.faults.drop_rate = 1.0
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        describe_raw(emu)
    entry = emu.requests[-1]
    assert (entry["fault"], entry["status"], entry["operation"]) == (
        "drop",
        None,
        "DescribeDataDeletionJob",
    )


def test_faults_change_while_running(emu):
    assert describe_raw(emu).status == 200
    emu.faults.throttle_rate = 1.0
    assert describe_raw(emu).status == 400
    emu.faults.throttle_rate = 0.0
    assert describe_raw(emu).status == 200
    emu.faults = FaultConfig(drop_rate=1.0)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        describe_raw(emu)


def fault_sequence(seed: int, count: int = 40) -> list[str]:
    faults = FaultConfig(throttle_rate=0.2, error_rate=0.2, drop_rate=0.2, seed=seed)
    with Emulator(faults=faults, clock=ManualClock()) as emu:
        for _ in range(count):
            with contextlib.suppress(http.client.RemoteDisconnected, ConnectionResetError):
                describe_raw(emu)
        return [entry["fault"] for entry in emu.requests]


def test_a_seed_repeats_the_fault_sequence():
    first, again, other = fault_sequence(7), fault_sequence(7), fault_sequence(8)
    assert first == again
    assert first != other
    assert {"none", "throttle", "5xx", "drop"} <= set(first)


def test_setting_a_seed_while_running_restarts_the_sequence(emu):
    emu.set_faults(throttle_rate=0.5, seed=11)
    first = [describe_raw(emu).status for _ in range(12)]
    emu.set_faults(seed=11)
    assert [describe_raw(emu).status for _ in range(12)] == first


def test_latency_is_added_to_every_answer(emu):
    emu.faults.latency = 0.05
    started = time.monotonic()
    assert describe_raw(emu).status == 200
    assert time.monotonic() - started >= 0.05


@pytest.mark.parametrize(
    "changes",
    [
        {"throttle_rate": 1.5},
        {"error_rate": -0.1},
        {"drop_rate": "0.5"},
        {"latency": -1},
        {"seed": 1.5},
        {"create_error": "ResourceInUseException"},
        {"create_error": True},
    ],
)
def test_fault_config_rejects_invalid_values(changes):
    with pytest.raises(ValueError):
        FaultConfig(**changes)
    config = FaultConfig()
    with pytest.raises(ValueError):
        config.update(**changes)


@pytest.mark.parametrize("kind", ["throttle_rate", "error_rate", "drop_rate"])
def test_botocore_retries_ride_out_thirty_percent_faults(emu, make_client, monkeypatch, kind):
    # botocore's real backoff (up to seconds for throttling) would only make the test slow.
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.001)
    emu.set_faults(**{kind: 0.3}, seed=5)
    client = make_client(emu, attempts=10)

    statuses = [
        client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)["dataDeletionJob"][
            "status"
        ]
        for _ in range(30)
    ]

    assert statuses == ["IN_PROGRESS"] * 30
    assert emu.request_count("DescribeDataDeletionJob", fault="none") == 30
    assert (
        emu.request_count(
            fault={"throttle_rate": "throttle", "error_rate": "5xx", "drop_rate": "drop"}[kind]
        )
        > 0
    )


# -- the create_error switch: service errors a create must map ----------------------------------

ROLE = "arn:aws:iam::123456789012:role/PersonalizeDeleter"


def create_raw(emu: Emulator, **changes):
    params = {
        "jobName": "switched",
        "datasetGroupArn": FRESH_GROUP_ARN,
        "dataSource": {"dataLocation": "s3://bucket/users.csv"},
        "roleArn": ROLE,
        **changes,
    }
    return raw_call(emu, "CreateDataDeletionJob", params)


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        ("resource-in-use", "ResourceInUseException", [FRESH_GROUP_ARN, "in use"]),
        (
            "access-denied",
            "AccessDeniedException",
            ["is not authorized to perform: personalize:CreateDataDeletionJob", FRESH_GROUP_ARN],
        ),
        ("s3-access-denied", "AccessDeniedException", ["S3", ROLE, "s3://bucket/users.csv"]),
    ],
)
def test_create_error_answers_every_create(emu, kind, code, words):
    emu.set_faults(create_error=kind)
    for _ in range(2):
        response = create_raw(emu)
        assert response.status == 400
        assert response.json["__type"] == code
        assert all(word in response.json["message"] for word in words)
    assert emu.request_count("CreateDataDeletionJob", fault="create-error") == 2
    assert emu.requests[-1]["error"] == code

    # Other operations are untouched, and no job was made.
    assert describe_raw(emu).status == 200
    listed = raw_call(emu, "ListDataDeletionJobs", {"datasetGroupArn": FRESH_GROUP_ARN})
    assert listed.json["dataDeletionJobs"] == []

    emu.faults.create_error = None
    assert create_raw(emu).status == 200


def test_validation_and_unknown_groups_come_before_the_create_error(emu):
    emu.faults.create_error = "resource-in-use"
    assert create_raw(emu, jobName="-bad").json["__type"] == "InvalidInputException"
    unknown = "arn:aws:personalize:us-east-1:123456789012:dataset-group/never-made"
    assert create_raw(emu, datasetGroupArn=unknown).json["__type"] == "ResourceNotFoundException"
    assert [entry["fault"] for entry in emu.requests] == ["none", "none"]


def test_the_command_offers_every_create_error():
    assert tuple(choice.value for choice in CreateError) == CREATE_ERRORS
