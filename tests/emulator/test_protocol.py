"""The wire protocol: JSON 1.1 framing, auth, errors, shapes, one write per answer."""

from __future__ import annotations

import http.client
import socket

import pytest
from botocore.exceptions import ClientError

from pdj_cli.emulator import (
    BIG_GROUP_ARN,
    DEMO_GROUP_ARN,
    DEMO_JOB_ARN,
    Emulator,
    FaultConfig,
    sample_scenario,
)

from .helpers import raw_call, shape_problems, signed_header

CONTENT_TYPE = "application/x-amz-json-1.1"


def test_unsigned_request_is_refused_as_aws_does(emu):
    response = raw_call(
        emu, "DescribeDataDeletionJob", {"dataDeletionJobArn": DEMO_JOB_ARN}, signed=False
    )
    assert response.status == 403
    assert response.json == {
        "__type": "MissingAuthenticationTokenException",
        "message": "Missing Authentication Token",
    }


def test_credential_scoped_to_another_service_is_refused(emu):
    header = signed_header("us-east-1").replace("/personalize/", "/s3/")
    response = raw_call(emu, "ListDataDeletionJobs", headers={"Authorization": header})
    assert response.status == 403
    assert response.json["__type"] == "InvalidSignatureException"


def test_authorization_without_credential_scope_is_incomplete(emu):
    response = raw_call(
        emu, "ListDataDeletionJobs", headers={"Authorization": "AWS4-HMAC-SHA256 Signature=00"}
    )
    assert response.status == 403
    assert response.json["__type"] == "IncompleteSignatureException"


@pytest.mark.parametrize("operation", ["DescribeDatasetGroup", "Nonsense", None])
def test_unknown_operation(emu, operation):
    response = raw_call(emu, operation, {})
    assert response.status == 400
    assert response.json["__type"] == "UnknownOperationException"


def test_operation_botocore_knows_but_the_emulator_does_not(client):
    with pytest.raises(ClientError) as excinfo:
        client.list_dataset_groups()
    assert excinfo.value.response["Error"]["Code"] == "UnknownOperationException"


def test_malformed_json_body(emu):
    response = raw_call(emu, "ListDataDeletionJobs", body=b"{not json")
    assert response.status == 400
    assert response.json["__type"] == "SerializationException"


def test_response_headers(emu):
    response = raw_call(emu, "ListDataDeletionJobs", {"maxResults": 1})
    assert response.status == 200
    assert response.headers["Content-Type"] == CONTENT_TYPE
    assert len(response.headers["x-amzn-RequestId"]) == 36
    assert int(response.headers["Content-Length"]) == len(response.body)


def test_request_id_reaches_botocore(client, emu):
    response = client.list_data_deletion_jobs(maxResults=1)
    assert response["ResponseMetadata"]["RequestId"] == emu.requests[-1]["requestId"]


def test_keep_alive_serves_many_requests_on_one_connection(emu):
    connection = http.client.HTTPConnection(emu.host, emu.port, timeout=5)
    headers = {
        "X-Amz-Target": "AmazonPersonalize.ListDataDeletionJobs",
        "Authorization": signed_header("us-east-1"),
        "Content-Type": CONTENT_TYPE,
    }
    try:
        connection.request("POST", "/", body=b"{}", headers=headers)
        connection.getresponse().read()
        first_socket = connection.sock
        for _ in range(3):
            connection.request("POST", "/", body=b'{"maxResults": 2}', headers=headers)
            response = connection.getresponse()
            assert response.status == 200
            response.read()
        assert connection.sock is first_socket
    finally:
        connection.close()


def test_each_answer_is_one_socket_write_with_nodelay(emu, client, monkeypatch):
    writes: list[tuple[int, int]] = []
    original_sendall = socket.socket.sendall

    def spying_sendall(sock: socket.socket, data, *args):
        if sock.getsockname()[1] == emu.port:  # server side of a connection
            writes.append((len(data), sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
        return original_sendall(sock, data, *args)

    monkeypatch.setattr(socket.socket, "sendall", spying_sendall)
    client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)
    with pytest.raises(ClientError):
        client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN + "-missing")
    client.list_data_deletion_jobs(datasetGroupArn=BIG_GROUP_ARN)

    assert len(writes) == 3
    assert all(nodelay for _, nodelay in writes)
    assert writes[2][0] > 10_000  # headers and a big body went in one write


def every_raw_answer(emu: Emulator, clock) -> list[tuple[str, dict]]:
    """Raw 200 bodies of each operation, covering every status and a paged list."""
    answers = []
    for job in sample_scenario().jobs:
        if job.job_name.startswith("catalog-purge-") and not job.job_name.endswith("0025"):
            continue
        params = {"dataDeletionJobArn": job.arn}
        answers.append(
            (
                "DescribeDataDeletionJob",
                raw_call(emu, "DescribeDataDeletionJob", params, region=job.region).json,
            )
        )
    listed = raw_call(emu, "ListDataDeletionJobs", {"maxResults": 100}).json
    answers.append(("ListDataDeletionJobs", listed))
    answers.append(
        (
            "ListDataDeletionJobs",
            raw_call(emu, "ListDataDeletionJobs", {"nextToken": listed["nextToken"]}).json,
        )
    )
    answers.append(
        ("ListDataDeletionJobs", raw_call(emu, "ListDataDeletionJobs", {}, region="eu-west-1").json)
    )
    answers.append(
        (
            "CreateDataDeletionJob",
            raw_call(
                emu,
                "CreateDataDeletionJob",
                {
                    "jobName": "shape-check",
                    "datasetGroupArn": DEMO_GROUP_ARN,
                    "dataSource": {"dataLocation": "s3://bucket/file.csv"},
                    "roleArn": "arn:aws:iam::123456789012:role/Deleter",
                },
            ).json,
        )
    )
    clock.advance(30)  # the live demo jobs, now terminal
    for arn in (DEMO_JOB_ARN, DEMO_JOB_ARN.replace("demo-gdpr-erasure", "demo-bad-input-file")):
        answers.append(
            (
                "DescribeDataDeletionJob",
                raw_call(emu, "DescribeDataDeletionJob", {"dataDeletionJobArn": arn}).json,
            )
        )
    return answers


def test_every_raw_answer_matches_the_output_shape(emu, clock, service_model):
    answers = every_raw_answer(emu, clock)
    statuses = {
        body["dataDeletionJob"]["status"] for op, body in answers if "dataDeletionJob" in body
    }
    assert statuses == {"PENDING", "IN_PROGRESS", "COMPLETED", "FAILED", "QUEUED"}
    for operation, body in answers:
        output_shape = service_model.operation_model(operation).output_shape
        assert shape_problems(output_shape, body) == [], operation


def test_botocore_parses_timestamps_to_the_millisecond(client):
    job = client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)["dataDeletionJob"]
    assert job["creationDateTime"].timestamp() == pytest.approx(1_780_000_000.0 - 5)
    assert job["lastUpdatedDateTime"].timestamp() == pytest.approx(1_780_000_000.0 - 3)


def expect_code(call, code: str, status: int) -> None:
    with pytest.raises(ClientError) as excinfo:
        call()
    assert excinfo.value.response["Error"]["Code"] == code
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert excinfo.value.response["Error"]["Message"]


def test_botocore_reads_every_error_code(emu, client):
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/demo"

    def create(name: str, group_arn: str = group) -> None:
        client.create_data_deletion_job(
            jobName=name,
            datasetGroupArn=group_arn,
            roleArn="arn:aws:iam::123456789012:role/r",
            dataSource={"dataLocation": "s3://b/k"},
        )

    expect_code(
        lambda: client.describe_data_deletion_job(dataDeletionJobArn="bad"),
        "InvalidInputException",
        400,
    )
    expect_code(
        lambda: client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN + "x"),
        "ResourceNotFoundException",
        400,
    )
    expect_code(
        lambda: client.list_data_deletion_jobs(nextToken="bad"), "InvalidNextTokenException", 400
    )
    expect_code(lambda: create("demo-gdpr-erasure"), "ResourceAlreadyExistsException", 400)
    for index in range(4):  # the demo group has 1 PENDING job; the limit is 5 PENDING
        create(f"fill-{index}")
    expect_code(lambda: create("over-the-limit"), "LimitExceededException", 400)
    expect_code(
        lambda: create("no-group", "arn:aws:personalize:us-east-1:123456789012:dataset-group/x"),
        "ResourceNotFoundException",
        400,
    )
    expect_code(
        lambda: client.list_tags_for_resource(resourceArn=DEMO_JOB_ARN + "x"),
        "ResourceNotFoundException",
        400,
    )
    many = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(51)]
    expect_code(
        lambda: client.tag_resource(resourceArn=DEMO_JOB_ARN, tags=many),
        "TooManyTagsException",
        400,
    )
    expect_code(
        lambda: client.untag_resource(
            resourceArn=DEMO_JOB_ARN, tagKeys=[f"k{i}" for i in range(51)]
        ),
        "TooManyTagKeysException",
        400,
    )
    for kind, code in (
        ("resource-in-use", "ResourceInUseException"),
        ("access-denied", "AccessDeniedException"),
        ("s3-access-denied", "AccessDeniedException"),
    ):
        emu.faults = FaultConfig(create_error=kind)
        expect_code(lambda: create("switched"), code, 400)
    emu.faults = FaultConfig()
    expect_code(client.list_dataset_groups, "UnknownOperationException", 400)

    emu.faults = FaultConfig(throttle_rate=1.0)
    expect_code(client.list_data_deletion_jobs, "ThrottlingException", 400)
    emu.faults = FaultConfig(error_rate=1.0, seed=3)
    codes = set()
    for _ in range(12):
        with pytest.raises(ClientError) as excinfo:
            client.list_data_deletion_jobs()
        error = excinfo.value.response
        codes.add((error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]))
    assert codes == {("InternalFailure", 500), ("ServiceUnavailable", 503)}
