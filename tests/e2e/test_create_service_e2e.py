"""`pdj create` against the emulator's create rules: groups that do not exist, S3 locations the
role cannot read (the job FAILS), tags stored on the job, the service's own refusals (the
create_error switch) and an input only the service rejects."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.loaders import Loader

from pdj_cli.arns import parse_dataset_group_arn
from pdj_cli.creating.naming import request_job_name
from pdj_cli.emulator import (
    FRESH_GROUP_ARN,
    UNREADABLE_LOCATION,
    CreateSettings,
    Emulator,
)

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/PersonalizeDeletion"
LOCATION = "s3://erasures/PRIV-1234.csv"
CREATE = "CreateDataDeletionJob"


@pytest.fixture
def emulator(start_emulator: Callable[..., Emulator]) -> Emulator:
    """The sample scenario, its created jobs quick: 0.5 s PENDING, 0.5 s IN_PROGRESS."""
    return start_emulator(create_settings=CreateSettings(pending_seconds=0.5, running_seconds=0.5))


def create(
    run_pdj: Callable[..., Any],
    *extra: str,
    group: str = FRESH_GROUP_ARN,
    location: str = LOCATION,
    env: dict[str, str | None] | None = None,
) -> Any:
    args = ["create", "--dataset-group-arn", group, "--data-location", location]
    return run_pdj(*args, "--role-arn", ROLE, "--yes", *extra, env=env)


def creates(emulator: Emulator) -> list[dict[str, Any]]:
    return [entry for entry in emulator.requests if entry["operation"] == CREATE]


def test_a_group_that_does_not_exist_is_exit_4(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    missing = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/never-made"
    result = create(run_pdj, "--request-id", "R-1", group=missing)
    assert result.returncode == 4, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"pdj: error: the dataset group {missing} was not found: ")
    assert lines[1].startswith("hint: check the ARN's account and region")
    assert result.stdout == ""
    assert [entry["error"] for entry in creates(emulator)] == ["ResourceNotFoundException"]


def test_an_unreadable_data_location_fails_the_job_and_wait_exits_1(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    location = f"{UNREADABLE_LOCATION}/PRIV-1234.csv"
    result = create(
        run_pdj, "--request-id", "R-2", "--wait", "--interval", "0.2", "-o", "json",
        location=location,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    (job,) = json.loads(result.stdout)["dataDeletionJobs"]
    assert job["status"] == "FAILED"
    assert "Insufficient privileges for accessing data in S3" in job["failureReason"]
    assert job["dataSource"]["dataLocation"] == location
    assert "FAILED" in result.stderr.splitlines()[-1]


def test_wait_follows_a_new_job_to_completed(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    result = create(run_pdj, "--request-id", "R-3", "--wait", "--interval", "0.2", "-o", "text")
    assert result.returncode == 0, result.stderr
    name = request_job_name("R-3", parse_dataset_group_arn(FRESH_GROUP_ARN))
    fields = result.stdout.rstrip("\n").split("\t")
    assert (fields[0], fields[1]) == (name, "COMPLETED")


def test_the_request_and_the_tags_are_stored_on_the_job(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    result = create(run_pdj, "--request-id", "PRIV-1234", "--tag", "team=privacy", "-o", "json")
    assert result.returncode == 0, result.stderr
    arn = json.loads(result.stdout)["dataDeletionJobArn"]
    client = botocore.session.Session().create_client(
        "personalize", region_name="us-east-1", endpoint_url=emulator.endpoint_url
    )
    tags = client.list_tags_for_resource(resourceArn=arn)["tags"]
    assert {tag["tagKey"]: tag["tagValue"] for tag in tags} == {
        "team": "privacy",
        "pdj:request-id": "PRIV-1234",
    }


@pytest.mark.parametrize(
    ("kind", "says", "hint_says"),
    [
        ("resource-in-use", f"the dataset group {FRESH_GROUP_ARN} is busy: ", "another operation"),
        ("access-denied", "access denied: User: ", "iam:PassRole on " + ROLE),
        ("s3-access-denied", "access denied: Insufficient privileges", f"the role {ROLE} must"),
    ],
)
def test_the_services_refusals_are_exit_5_with_a_hint(
    emulator: Emulator, run_pdj: Callable[..., Any], kind: str, says: str, hint_says: str
) -> None:
    emulator.set_faults(create_error=kind)
    result = create(run_pdj, "--request-id", "R-4")
    assert result.returncode == 5, result.stderr
    error, hint = result.stderr.splitlines()
    assert error.startswith(f"pdj: error: {says}")
    assert hint.startswith("hint: ") and hint_says in hint
    assert result.stdout == ""
    assert len(creates(emulator)) == 1  # not retried


def test_an_input_only_the_service_rejects_is_exit_2(
    emulator: Emulator, run_pdj: Callable[..., Any], tmp_path: Path
) -> None:
    """pdj reads its rules from botocore's model: with a model allowing 100-character names
    (an sdk-extras file) pdj sends a 70-character one, and the service's refusal is exit 2."""
    version = Loader().determine_latest_version("personalize", "service-2")
    folder = tmp_path / "personalize" / version
    folder.mkdir(parents=True)
    extras = {"merge": {"shapes": {"Name": {"max": 100}}}}
    (folder / "service-2.sdk-extras.json").write_text(json.dumps(extras))
    env = {"AWS_DATA_PATH": str(tmp_path)}
    result = create(run_pdj, "--job-name", "n" * 70, env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("pdj: error: the service rejected the input: ")
    assert [entry["error"] for entry in creates(emulator)] == ["InvalidInputException"]
    local = create(run_pdj, "--job-name", "n" * 70)  # botocore's own model: refused locally
    assert local.returncode == 2 and "at most 63" in local.stderr
    assert len(creates(emulator)) == 1
    assert os.environ.get("AWS_DATA_PATH") is None
