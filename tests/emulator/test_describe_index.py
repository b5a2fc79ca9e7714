"""DescribeDataDeletionJob looks a job up by ARN: the same answers as a scan of every job."""

from __future__ import annotations

from typing import Any

import pytest

from pdj_cli.emulator import Emulator, ManualClock, Scenario, generate_jobs
from pdj_cli.emulator.errors import ApiError
from pdj_cli.emulator.operations import CreateSettings, create_data_deletion_job
from pdj_cli.emulator.operations import describe_data_deletion_job as describe_op
from pdj_cli.emulator.scenario import ScenarioJob
from pdj_cli.emulator.store import JobStore

from .helpers import EPOCH, raw_call

ACCOUNT = "123456789012"
EAST_GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/many"
WEST_GROUP = f"arn:aws:personalize:eu-west-1:{ACCOUNT}:dataset-group/many"
OTHER_GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/other"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/deleter"


def scanned(store: JobStore, region: str, arn: str) -> dict[str, Any] | None:
    """What describe answered before the index: the first live view with that ARN and region."""
    for view in store.views():
        if view.job.arn == arn and view.job.region == region:
            return {"dataDeletionJob": store.describe(view)}
    return None


def all_scanned(store: JobStore) -> dict[tuple[str, str], dict[str, Any]]:
    """The scan's answer for every (ARN, region) at once (ARNs are unique in a store)."""
    return {
        (view.job.arn, view.job.region): {"dataDeletionJob": store.describe(view)}
        for view in store.views()
    }


def indexed(store: JobStore, region: str, arn: str) -> dict[str, Any] | None:
    try:
        return describe_op(store, region, {"dataDeletionJobArn": arn})
    except ApiError as error:
        assert error.code == "ResourceNotFoundException"
        return None


@pytest.fixture
def many_jobs() -> list[ScenarioJob]:
    # Created from t=+20 back to t=-1,180: some exist only later; some fail; two regions share
    # job names, so the same name resolves per region.
    east = generate_jobs(1200, EAST_GROUP, name_prefix="job", created_at=20, fail_every=7)
    west = generate_jobs(300, WEST_GROUP, name_prefix="job", created_at=5, finish_until=30)
    return [*east, *west]


def test_describe_among_many_jobs_answers_as_the_scan_did(many_jobs):
    now = [0.0]
    store = JobStore(many_jobs, elapsed=lambda: now[0], epoch_origin=EPOCH)
    arns = [job.arn for job in many_jobs]
    unknown = f"arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/no-such-job"

    for moment in (0.0, 4.0, 12.5, 40.0):  # before and after some jobs exist and finish
        now[0] = moment
        before = all_scanned(store)
        for arn in [*arns, unknown]:
            for region in ("us-east-1", "eu-west-1"):
                assert indexed(store, region, arn) == before.get((arn, region)), (arn, moment)
    assert len(all_scanned(store)) == len(many_jobs)  # at t=40 every job exists
    now[0] = 0.0
    assert indexed(store, "us-east-1", arns[0]) is None  # created at t=20: not there yet
    assert indexed(store, "eu-west-1", arns[5]) is None  # an east job asked for in the west
    now[0] = 40.0
    assert indexed(store, "us-east-1", arns[27])["dataDeletionJob"]["status"] == "FAILED"


def test_jobs_added_while_running_are_found_by_describe(many_jobs):
    now = [0.0]
    store = JobStore(
        many_jobs, elapsed=lambda: now[0], epoch_origin=EPOCH, dataset_groups=[OTHER_GROUP]
    )
    created = create_data_deletion_job(
        store,
        CreateSettings(),
        "us-east-1",
        {
            "jobName": "made-by-create",
            "datasetGroupArn": OTHER_GROUP,  # a group of its own, known to the store
            "roleArn": ROLE,
            "dataSource": {"dataLocation": "s3://bucket/users.csv"},
        },
    )["dataDeletionJobArn"]
    now[0] = 3.0
    answer = indexed(store, "us-east-1", created)
    assert answer == scanned(store, "us-east-1", created)
    assert answer is not None and answer["dataDeletionJob"]["status"] == "IN_PROGRESS"


def test_describe_on_the_wire_among_many_jobs(many_jobs):
    with Emulator(Scenario(many_jobs), clock=ManualClock(), epoch=EPOCH) as emu:
        added = emu.add_job(job_name="added-later", dataset_group_arn=EAST_GROUP)
        for arn in (many_jobs[600].arn, many_jobs[1100].arn, added):
            response = raw_call(emu, "DescribeDataDeletionJob", {"dataDeletionJobArn": arn})
            assert response.status == 200
            assert response.json == scanned(emu._store, "us-east-1", arn)
