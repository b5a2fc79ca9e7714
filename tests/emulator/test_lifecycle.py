"""Starting, stopping and restarting on the same port; the request log; jobs added at runtime."""

from __future__ import annotations

import http.client
import json
import threading
import time

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from pdj_cli.emulator import (
    DEMO_GROUP_ARN,
    DEMO_JOB_ARN,
    Emulator,
    ManualClock,
    Scenario,
    ScenarioError,
    ScenarioJob,
)

from .helpers import raw_call, signed_header


def emulator_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith("pdj-emu")]


def test_stop_then_start_again_on_the_same_port(emu, make_client):
    client = make_client(emu)
    port = emu.port
    assert client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)

    emu.stop()
    assert not emu.running
    with pytest.raises(EndpointConnectionError):
        client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)

    emu.start()
    assert emu.port == port
    job = client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)["dataDeletionJob"]
    assert job["status"] == "IN_PROGRESS"


def test_jobs_made_before_a_restart_survive_it(emu, client):
    arn = client.create_data_deletion_job(
        jobName="survivor",
        datasetGroupArn=DEMO_GROUP_ARN,
        roleArn="arn:aws:iam::123456789012:role/r",
        dataSource={"dataLocation": "s3://b/k"},
    )["dataDeletionJobArn"]
    emu.stop()
    emu.start()
    assert client.describe_data_deletion_job(dataDeletionJobArn=arn)


def test_start_and_stop_are_idempotent(clock):
    emu = Emulator(clock=clock)
    emu.stop()
    assert emu.start() is emu.start()
    emu.stop()
    emu.stop()


def test_stop_leaves_no_threads_and_closes_kept_alive_connections(clock):
    before = emulator_threads()
    emu = Emulator(clock=clock).start()
    connection = http.client.HTTPConnection(emu.host, emu.port, timeout=5)
    connection.request(
        "POST",
        "/",
        body=b"{}",
        headers={
            "X-Amz-Target": "AmazonPersonalize.ListDataDeletionJobs",
            "Authorization": signed_header("us-east-1"),
        },
    )
    connection.getresponse().read()
    assert len(emulator_threads()) == len(before) + 2  # the server and one connection

    emu.stop()

    assert emulator_threads() == before
    assert connection.sock is not None
    assert connection.sock.recv(1) == b""  # the server closed its end
    connection.close()


def test_stop_ends_a_request_waiting_on_latency(emu):
    emu.faults.latency = 30
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(raw_call(emu, "ListDataDeletionJobs").status)
        except (http.client.RemoteDisconnected, ConnectionResetError) as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(  # until a handler is serving the request
        t.name.startswith("pdj-emulator-connection") for t in threading.enumerate()
    ):
        time.sleep(0.005)
    emu.stop()
    caller.join(10)
    assert len(outcome) == 1
    assert isinstance(outcome[0], Exception)


def test_a_taken_port_is_an_os_error(emu, clock):
    with pytest.raises(OSError):
        Emulator(clock=clock, port=emu.port).start()


def test_request_log_file_gets_one_json_line_per_request(tmp_path, clock, make_client):
    log = tmp_path / "requests.jsonl"
    with Emulator(clock=clock, request_log=log) as emu:
        client = make_client(emu)
        client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)
        with pytest.raises(ClientError):
            client.list_data_deletion_jobs(nextToken="junk")
        emu.stop()
        emu.start()
        client.list_data_deletion_jobs(maxResults=5)

    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines == emu.requests
    assert [(e["operation"], e["status"], e["error"], e["fault"]) for e in lines] == [
        ("DescribeDataDeletionJob", 200, None, "none"),
        ("ListDataDeletionJobs", 400, "InvalidNextTokenException", "none"),
        ("ListDataDeletionJobs", 200, None, "none"),
    ]
    first = lines[0]
    assert first["region"] == "us-east-1"
    assert first["params"] == {"dataDeletionJobArn": DEMO_JOB_ARN}
    assert set(first) == {
        "time",
        "elapsed",
        "requestId",
        "operation",
        "region",
        "params",
        "status",
        "error",
        "fault",
    }


def test_requests_can_be_counted_and_cleared(emu, client):
    client.list_data_deletion_jobs()
    client.list_data_deletion_jobs()
    client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)
    assert emu.request_count("ListDataDeletionJobs") == 2
    assert emu.request_count() == 3
    emu.clear_requests()
    assert emu.requests == []


def test_add_job_while_running(emu, client, clock):
    arn = emu.add_job(
        job_name="added-later",
        dataset_group_arn=DEMO_GROUP_ARN,
        timeline=[("PENDING", 0), ("QUEUED", 1), ("COMPLETED", 2)],
        num_deleted=3,
    )
    assert (
        client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]["status"]
        == "PENDING"
    )
    clock.advance(1)
    assert (
        client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]["status"]
        == "QUEUED"
    )
    with pytest.raises(ScenarioError):
        emu.add_job(ScenarioJob("added-later", DEMO_GROUP_ARN))


def test_time_scale_speeds_up_timelines(make_client):
    clock = ManualClock()
    job = ScenarioJob("fast", DEMO_GROUP_ARN, [("PENDING", 0), ("COMPLETED", 100)])
    with Emulator(Scenario([job]), clock=clock, time_scale=100) as emu:
        clock.advance(1)
        assert emu.elapsed() == pytest.approx(100)
        described = make_client(emu).describe_data_deletion_job(dataDeletionJobArn=job.arn)
        assert described["dataDeletionJob"]["status"] == "COMPLETED"


def test_with_a_time_scale_timestamps_stay_wall_time_never_in_the_future(make_client):
    clock = ManualClock()
    past = ScenarioJob(
        "past", DEMO_GROUP_ARN, [("PENDING", 0), ("COMPLETED", 3600)], created_at=-7200
    )
    fast = ScenarioJob("fast", DEMO_GROUP_ARN, [("PENDING", 0), ("COMPLETED", 40)])
    with Emulator(Scenario([past, fast]), clock=clock, time_scale=4, epoch=1_800_000_000) as emu:
        clock.advance(10)  # ten wall seconds: forty emulated, so "fast" has just finished
        client = make_client(emu)
        job = client.describe_data_deletion_job(dataDeletionJobArn=fast.arn)["dataDeletionJob"]
        assert job["status"] == "COMPLETED"
        updated = job["lastUpdatedDateTime"].timestamp()
        assert updated == pytest.approx(1_800_000_000 + 10, abs=0.01)  # the wall clock, not +40
        old = client.describe_data_deletion_job(dataDeletionJobArn=past.arn)["dataDeletionJob"]
        assert old["lastUpdatedDateTime"].timestamp() == pytest.approx(
            1_800_000_000 - 3600, abs=0.01
        )


def test_default_clock_is_real_time():
    with Emulator(Scenario()) as emu:
        assert 0 <= emu.elapsed() < 60
        assert emu.epoch_origin > 1_700_000_000
