import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from pdj_cli.models import DeletionJob, Status, iso_utc
from tests.factories import api_job, summary


@pytest.mark.parametrize(
    ("status", "terminal"),
    [("PENDING", False), ("IN_PROGRESS", False), ("COMPLETED", True), ("FAILED", True)],
)
def test_only_completed_and_failed_are_terminal(status, terminal):
    assert Status.is_terminal(status) is terminal
    assert DeletionJob(arn="a", status=status).is_terminal is terminal


def test_a_status_never_seen_before_is_kept_and_not_terminal():
    job = DeletionJob.from_api(api_job(status="QUEUED_FOR_REVIEW"))
    assert job.status == "QUEUED_FOR_REVIEW"
    assert not job.is_terminal
    assert job.to_api()["status"] == "QUEUED_FOR_REVIEW"


def test_to_api_keeps_the_service_member_order_and_every_field():
    document = DeletionJob.from_api(api_job(status="FAILED")).to_api()
    assert list(document) == [
        "jobName",
        "dataDeletionJobArn",
        "datasetGroupArn",
        "dataSource",
        "roleArn",
        "status",
        "numDeleted",
        "creationDateTime",
        "lastUpdatedDateTime",
        "failureReason",
    ]
    assert document["creationDateTime"] == "2026-05-31T16:08:37.123000+00:00"
    assert document["dataSource"] == {"dataLocation": "s3://bucket/erase-42.csv"}


def test_a_summary_omits_what_the_service_did_not_send():
    document = DeletionJob.from_api(summary()).to_api()
    assert "numDeleted" not in document
    assert "roleArn" not in document
    assert "dataSource" not in document
    assert "failureReason" not in document


def test_zero_records_deleted_is_kept():
    assert DeletionJob.from_api(api_job(numDeleted=0)).to_api()["numDeleted"] == 0


def test_timestamps_are_the_same_instant_in_utc_whatever_their_zone():
    india = timezone(timedelta(hours=5, minutes=30))
    moment = datetime(2026, 5, 31, 21, 38, 37, 123000, tzinfo=india)
    assert iso_utc(moment) == "2026-05-31T16:08:37.123000+00:00"


def test_output_does_not_depend_on_the_machine_time_zone():
    code = (
        "from datetime import datetime;from dateutil.tz import tzlocal;"
        "from pdj_cli.models import iso_utc;"
        "print(iso_utc(datetime.fromtimestamp(1780243717.123, tzlocal())))"
    )
    env = {**os.environ, "TZ": "Asia/Kolkata"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "2026-05-31T16:08:37.123000+00:00", out.stderr
