"""describe and list: the installed pdj against the emulator over real HTTP, piped into jq."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pdj_cli.emulator import BIG_GROUP_ARN, DEMO_FAILING_JOB_ARN, MEDIA_GROUP_ARN
from tests.e2e.conftest import PDJ, shell

pytestmark = pytest.mark.e2e

OLD_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/demo-erasure-2026-10"
FAILED_JOB = (
    "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/retail-purge-access-denied"
)
MISSING_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/never-created"
UNKNOWN_STATUS_JOB = (
    "arn:aws:personalize:eu-west-1:123456789012:data-deletion-job/media-queued-unknown-status"
)
PDJ_COMMAND = " ".join(PDJ)


def operations(emulator) -> list[str]:
    return [entry["operation"] for entry in emulator.requests]


def test_describe_json_is_the_describe_shape(run_pdj):
    result = run_pdj("describe", OLD_JOB)
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)["dataDeletionJob"]
    assert job["dataDeletionJobArn"] == OLD_JOB
    assert job["status"] == "COMPLETED"
    assert job["numDeleted"] == 87
    assert job["creationDateTime"].endswith("+00:00")
    assert result.stderr == ""


def test_describe_in_jsonl_text_and_table(run_pdj):
    jsonl = run_pdj("describe", FAILED_JOB, "-o", "jsonl")
    assert json.loads(jsonl.stdout)["failureReason"].startswith("Amazon Personalize cannot read")
    text = run_pdj("describe", FAILED_JOB, "-o", "text")
    assert text.stdout.split("\t")[:2] == ["retail-purge-access-denied", "FAILED"]
    table = run_pdj("describe", FAILED_JOB, "-o", "table")
    assert "Failure reason" in table.stdout and "FAILED" in table.stdout
    assert {jsonl.returncode, text.returncode, table.returncode} == {0}


def test_describe_exit_status_of_failed_and_of_a_status_never_seen(run_pdj):
    assert run_pdj("describe", FAILED_JOB, "--exit-status").returncode == 1
    queued = run_pdj("describe", UNKNOWN_STATUS_JOB, "--exit-status", "-o", "text")
    assert queued.returncode == 3
    assert queued.stdout.split("\t")[1] in {"PENDING", "QUEUED"}


def test_describe_piped_into_jq(pdj_env):
    result = shell(f"{PDJ_COMMAND} describe {OLD_JOB} | jq -r .dataDeletionJob.status", pdj_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "COMPLETED\n"


def test_a_missing_job_is_exit_4(run_pdj):
    result = run_pdj("describe", MISSING_JOB)
    assert result.returncode == 4
    assert result.stdout == ""
    assert result.stderr.startswith("pdj: error: ")
    assert "Traceback" not in result.stderr


def test_a_job_of_another_region_is_looked_up_in_its_own_region(run_pdj):
    result = run_pdj("describe", UNKNOWN_STATUS_JOB, env={"AWS_REGION": "us-east-1"})
    assert result.returncode == 0, result.stderr


def test_an_invalid_arn_is_exit_2_and_never_reaches_the_endpoint(run_pdj, emulator):
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/demo"
    result = run_pdj("describe", group)
    assert result.returncode == 2
    assert "try `pdj list --dataset-group-arn" in result.stderr
    assert emulator.requests == []


def test_an_unreachable_endpoint_is_exit_5_within_seconds(run_pdj):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # held, never listening: once freed, anyone may serve it
        endpoint = f"http://127.0.0.1:{port}"
        result = run_pdj("describe", OLD_JOB, "--endpoint-url", endpoint, timeout=30)
    assert result.returncode == 5
    assert "could not connect" in result.stderr
    assert "hint:" in result.stderr


def test_missing_credentials_are_exit_5_with_the_dummy_keys_hint(run_pdj, emulator):
    result = run_pdj(
        "describe", OLD_JOB, env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}
    )
    assert result.returncode == 5
    assert result.stderr.splitlines() == [
        "pdj: error: no AWS credentials found",
        f"hint: the endpoint {emulator.endpoint_url} is local, where any keys do: "
        "export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing",
    ]
    assert emulator.requests == []


def test_debug_logs_the_wire_without_secrets(run_pdj):
    result = run_pdj(
        "describe",
        OLD_JOB,
        "--debug",
        env={"AWS_SECRET_ACCESS_KEY": "SUPERSECRETKEY123", "AWS_SESSION_TOKEN": "SESSIONTOKEN456"},
    )
    assert result.returncode == 0
    assert "DescribeDataDeletionJob" in result.stderr
    assert "Signature=<redacted>" in result.stderr
    assert "SUPERSECRETKEY123" not in result.stderr
    assert "SESSIONTOKEN456" not in result.stderr
    assert json.loads(result.stdout)["dataDeletionJob"]["status"] == "COMPLETED"


class _FakeSts(BaseHTTPRequestHandler):
    """AssumeRole, answered as STS does: in XML, with the secrets in the body."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expiry = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = (
            '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/"
            "eraser/pdj</Arn><AssumedRoleId>AROAEXAMPLE:pdj</AssumedRoleId></AssumedRoleUser>"
            "<Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
            "<SecretAccessKey>ROLESECRET789</SecretAccessKey>"
            f"<SessionToken>ROLETOKEN012</SessionToken><Expiration>{expiry}</Expiration>"
            "</Credentials></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId>"
            "</ResponseMetadata></AssumeRoleResponse>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def fake_sts():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeSts)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_debug_with_an_assumed_role_neither_hangs_nor_leaks(run_pdj, fake_sts, isolated_aws):
    """botocore logs the STS answer from inside a refresh of the credentials."""
    config = isolated_aws / "config"
    config.write_text(
        "[profile source]\naws_access_key_id = AKIASOURCE\naws_secret_access_key = SOURCESECRET\n"
        "[profile eraser]\nrole_arn = arn:aws:iam::123456789012:role/eraser\n"
        "source_profile = source\n"
    )
    result = run_pdj(
        "describe",
        OLD_JOB,
        "--profile",
        "eraser",
        "--debug",
        env={
            "AWS_CONFIG_FILE": str(config),
            "AWS_ENDPOINT_URL_STS": fake_sts,
            "AWS_ACCESS_KEY_ID": None,
            "AWS_SECRET_ACCESS_KEY": None,
        },
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "AssumeRole" in result.stderr
    for secret in ("SOURCESECRET", "ROLESECRET789", "ROLETOKEN012"):
        assert secret not in result.stderr
    assert json.loads(result.stdout)["dataDeletionJob"]["status"] == "COMPLETED"


def test_list_reads_every_page_of_a_big_group(run_pdj, emulator):
    result = run_pdj("list", "--dataset-group-arn", BIG_GROUP_ARN)
    assert result.returncode == 0, result.stderr
    jobs = json.loads(result.stdout)["dataDeletionJobs"]
    assert len(jobs) == 250
    assert len({job["dataDeletionJobArn"] for job in jobs}) == 250
    created = [job["creationDateTime"] for job in jobs]
    assert created == sorted(created, reverse=True)
    assert operations(emulator).count("ListDataDeletionJobs") == 3


def test_list_jsonl_into_jq_counts_the_failed(pdj_env):
    command = (
        f"{PDJ_COMMAND} list --dataset-group-arn {BIG_GROUP_ARN} -o jsonl "
        "| jq -r 'select(.status == \"FAILED\") | .jobName' | wc -l"
    )
    result = shell(command, pdj_env)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 10


def test_list_status_filter_text_and_table(run_pdj):
    text = run_pdj(
        "list", "--dataset-group-arn", MEDIA_GROUP_ARN, "--status", "FAILED", "-o", "text"
    )
    assert [line.split("\t")[0] for line in text.stdout.splitlines()] == ["media-erasure-failed"]
    table = run_pdj("list", "--dataset-group-arn", MEDIA_GROUP_ARN, "-o", "table")
    assert "media-erasure-failed" in table.stdout and "jobs" in table.stdout


def test_list_of_the_region_uses_aws_region(run_pdj):
    east = run_pdj("list", "-o", "jsonl", env={"AWS_REGION": "us-east-1"})
    west = run_pdj("list", "-o", "jsonl", env={"AWS_REGION": "eu-west-1"})
    regions = {
        json.loads(line)["dataDeletionJobArn"].split(":")[3] for line in west.stdout.splitlines()
    }
    assert regions == {"eu-west-1"}
    assert len(east.stdout.splitlines()) > 250


def test_list_into_head_ends_quietly(pdj_env):
    command = f"{PDJ_COMMAND} list --dataset-group-arn {BIG_GROUP_ARN} -o jsonl | head -1"
    result = shell(command, pdj_env)
    assert result.returncode == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["jobName"].startswith("catalog-purge")


def test_list_without_any_region_is_exit_5_with_a_hint(run_pdj):
    result = run_pdj("list")
    assert result.returncode == 5
    assert "no AWS region: no --region given and none is configured" in result.stderr
    assert "ARN" not in result.stderr  # no ARN was given: the message must not speak of one
    assert "hint:" in result.stderr


# -- the AWS CLI as a cross-check of the wire format ----------------------------------------------

needs_aws = pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")


def aws_cli(emulator, *args: str, env: dict[str, str], tmp_path) -> dict:
    # ISO timestamps as AWS CLI v2 prints them (v1's default is the raw epoch number).
    config = tmp_path / "aws-cli-config"
    config.write_text("[default]\ncli_timestamp_format = iso8601\n")
    result = shell(
        "aws personalize "
        + " ".join(args)
        + f" --endpoint-url {emulator.endpoint_url} --region us-east-1 --output json",
        {**env, "TZ": "UTC", "AWS_CONFIG_FILE": str(config)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs_aws
def test_describe_agrees_with_the_aws_cli_field_for_field(run_pdj, emulator, pdj_env, tmp_path):
    for arn in (OLD_JOB, FAILED_JOB, DEMO_FAILING_JOB_ARN):
        ours = json.loads(run_pdj("describe", arn, "-o", "json").stdout)
        theirs = aws_cli(
            emulator,
            "describe-data-deletion-job",
            f"--data-deletion-job-arn {arn}",
            env=pdj_env,
            tmp_path=tmp_path,
        )
        assert ours == theirs


@needs_aws
def test_list_agrees_with_the_aws_cli_first_page(run_pdj, emulator, pdj_env, tmp_path):
    ours = json.loads(run_pdj("list", "--dataset-group-arn", BIG_GROUP_ARN).stdout)
    theirs = aws_cli(
        emulator,
        "list-data-deletion-jobs",
        f"--dataset-group-arn {BIG_GROUP_ARN}",
        env=pdj_env,
        tmp_path=tmp_path,
    )
    # The AWS CLI stops at the first page: it is pdj's first 100 jobs exactly.
    assert "nextToken" in theirs
    assert theirs["dataDeletionJobs"] == ours["dataDeletionJobs"][: len(theirs["dataDeletionJobs"])]
    assert len(ours["dataDeletionJobs"]) > len(theirs["dataDeletionJobs"])


def test_shared_options_before_the_command_are_accepted(run_pdj, emulator, tmp_path):
    listed = run_pdj("--region", "eu-west-1", "-o", "jsonl", "list")
    assert listed.returncode == 0, listed.stderr
    regions = {
        json.loads(line)["dataDeletionJobArn"].split(":")[3] for line in listed.stdout.splitlines()
    }
    assert regions == {"eu-west-1"}
    described = run_pdj("-o", "text", "--query", "dataDeletionJob.status", "describe", OLD_JOB)
    assert (described.returncode, described.stdout) == (0, "COMPLETED\n")
    arns = tmp_path / "arns.txt"
    arns.write_text(OLD_JOB + "\n")
    batch = run_pdj("--endpoint-url", emulator.endpoint_url, "-ojsonl", "batch", "-f", str(arns))
    assert batch.returncode == 0, batch.stderr
    assert json.loads(batch.stdout)["status"] == "COMPLETED"


def test_the_command_side_wins_when_both_sides_give_an_option(run_pdj):
    result = run_pdj("-o", "json", "describe", OLD_JOB, "-o", "text")
    assert result.stdout.split("\t")[1] == "COMPLETED"
    unknown = run_pdj("--profile", "nope", "list", env={"AWS_PROFILE": None})
    assert unknown.returncode == 2 and "'nope'" in unknown.stderr
