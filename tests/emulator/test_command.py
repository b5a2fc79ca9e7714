"""`pdj emulator`: option validation, the printed lines, Ctrl-C, and the aws CLI against it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pdj_cli.cli import app as pdj_app
from pdj_cli.emulator import DEMO_JOB_ARN, FRESH_GROUP_ARN

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_COMMAND = (
    "import sys; from pdj_cli.entry import main; sys.exit(main(['emulator', *sys.argv[1:]]))"
)


@pytest.fixture
def app() -> typer.Typer:
    """pdj's own app, so the emulator's errors meet the one error boundary as a user's do."""
    return pdj_app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--throttle-rate", "1.5"], "throttle rate must be between 0 and 1"),
        (["--error-rate", "-0.1"], "error rate must be between 0 and 1"),
        (["--drop-rate", "2"], "drop rate must be between 0 and 1"),
        (["--latency", "-1"], "latency must be"),
        (["--port", "70000"], "port must be between 0 and 65535"),
        (["--time-scale", "0"], "time scale must be greater than 0"),
        (["--scenario", "/nonexistent/scenario.json"], "cannot read scenario file"),
        (["--request-log", "/nonexistent/dir/log.jsonl"], "cannot write the request log"),
    ],
)
def test_invalid_options_are_one_error_line_and_exit_2(app, args, message):
    result = CliRunner().invoke(app, ["emulator", "--port", "0", *args])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("pdj: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unknown_create_error_is_a_usage_error(app):
    result = CliRunner().invoke(app, ["emulator", "--port", "0", "--create-error", "InUse"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "pdj: error: --create-error 'InUse' is not a choice; choose from resource-in-use, "
        "access-denied, s3-access-denied\n"
    )


def test_invalid_scenario_file(app, tmp_path):
    scenario = tmp_path / "bad.json"
    scenario.write_text('{"jobs": [{"jobName": "x"}]}')
    result = CliRunner().invoke(app, ["emulator", "--port", "0", "--scenario", str(scenario)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pdj: error: scenario file {scenario}: jobs[0]")


def test_every_option_has_one_line_help(app):
    result = CliRunner().invoke(
        app, ["emulator", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}
    )
    assert result.exit_code == 0
    for option in (
        "--port",
        "--scenario",
        "--latency",
        "--throttle-rate",
        "--error-rate",
        "--drop-rate",
        "--seed",
        "--time-scale",
        "--request-log",
        "--create-error",
    ):
        assert option in result.stdout
    assert "pdj emulator --port 0" in result.stdout
    group = typer.main.get_command(app)
    with typer.Context(group) as context:
        command = group.get_command(context, "emulator")
    assert all(param.help and "\n" not in param.help for param in command.params)


def subprocess_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return env


def run_command(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    """`pdj emulator --port 0 ARGS` in a subprocess of its own, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-c", RUN_COMMAND, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(tmp_path),
        cwd=tmp_path,
    )


def test_serves_until_ctrl_c_then_exits_130_quietly(tmp_path, botocore_session):
    log = tmp_path / "requests.jsonl"
    process = run_command(tmp_path, "--request-log", str(log))
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        lines = []
        while not lines or not lines[-1].startswith("# Ctrl-C"):
            lines.append(process.stdout.readline().strip())
        exports = lines[:5]
        assert exports[0] == f"export AWS_ENDPOINT_URL_PERSONALIZE={url}"
        assert "export AWS_ACCESS_KEY_ID=testing" in exports
        assert "export AWS_SECRET_ACCESS_KEY=testing" in exports
        assert "export AWS_REGION=us-east-1" in exports

        client = botocore_session.create_client(
            "personalize",
            region_name="us-east-1",
            endpoint_url=url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        job = client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)
        assert job["dataDeletionJob"]["jobName"] == "demo-gdpr-erasure"
        client.close()

        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert stderr == ""
    assert stdout == ""
    assert f"# try: pdj watch {DEMO_JOB_ARN}" in lines
    assert json.loads(log.read_text().splitlines()[0])["operation"] == "DescribeDataDeletionJob"


@pytest.mark.skipif(shutil.which("aws") is None, reason="the aws CLI is not on PATH")
def test_aws_cli_describes_a_job(emu, tmp_path):
    result = run_aws(
        emu, tmp_path, "describe-data-deletion-job", "--data-deletion-job-arn", DEMO_JOB_ARN
    )
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)["dataDeletionJob"]
    assert job["dataDeletionJobArn"] == DEMO_JOB_ARN
    assert job["status"] == "IN_PROGRESS"
    assert emu.requests[-1]["operation"] == "DescribeDataDeletionJob"


@pytest.mark.skipif(shutil.which("aws") is None, reason="the aws CLI is not on PATH")
def test_aws_cli_sees_not_found(emu, tmp_path):
    result = run_aws(
        emu,
        tmp_path,
        "describe-data-deletion-job",
        "--data-deletion-job-arn",
        DEMO_JOB_ARN + "-nope",
    )
    assert result.returncode != 0
    assert "ResourceNotFoundException" in result.stderr


def test_create_error_option_reaches_the_emulator(tmp_path, botocore_session):
    process = run_command(tmp_path, "--create-error", "s3-access-denied")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        client = botocore_session.create_client(
            "personalize",
            region_name="us-east-1",
            endpoint_url=url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        with pytest.raises(client.exceptions.ClientError) as excinfo:
            client.create_data_deletion_job(
                jobName="denied",
                datasetGroupArn=FRESH_GROUP_ARN,
                dataSource={"dataLocation": "s3://bucket/users.csv"},
                roleArn="arn:aws:iam::123456789012:role/Deleter",
            )
        client.close()
        assert excinfo.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "S3" in excinfo.value.response["Error"]["Message"]
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130


def run_aws(emu, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "aws",
            "personalize",
            *args,
            "--endpoint-url",
            emu.endpoint_url,
            "--region",
            "us-east-1",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(tmp_path),
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("aws") is None, reason="the aws CLI is not on PATH")
def test_aws_cli_creates_tags_and_lists_tags(emu, tmp_path):
    created = run_aws(
        emu,
        tmp_path,
        "create-data-deletion-job",
        "--job-name",
        "cli-made",
        "--dataset-group-arn",
        FRESH_GROUP_ARN,
        "--data-source",
        "dataLocation=s3://bucket/users.csv",
        "--role-arn",
        "arn:aws:iam::123456789012:role/Deleter",
        "--tags",
        "tagKey=request,tagValue=PRIV-1",
    )
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["dataDeletionJobArn"]
    tagged = run_aws(
        emu, tmp_path, "tag-resource", "--resource-arn", arn, "--tags", "tagKey=b,tagValue=2"
    )
    assert tagged.returncode == 0, tagged.stderr
    untagged = run_aws(
        emu, tmp_path, "untag-resource", "--resource-arn", arn, "--tag-keys", "request"
    )
    assert untagged.returncode == 0, untagged.stderr
    listed = run_aws(emu, tmp_path, "list-tags-for-resource", "--resource-arn", arn)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == {"tags": [{"tagKey": "b", "tagValue": "2"}]}
    missing = run_aws(emu, tmp_path, "list-tags-for-resource", "--resource-arn", arn + "-nope")
    assert missing.returncode != 0
    assert "ResourceNotFoundException" in missing.stderr
    assert [entry["operation"] for entry in emu.requests] == [
        "CreateDataDeletionJob",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
        "ListTagsForResource",
    ]


def test_exports_name_the_region_of_a_scenario_of_empty_groups():
    from pdj_cli.commands.emulator import _shell_exports
    from pdj_cli.emulator import FRESH_EU_GROUP_ARN, Scenario

    exports = _shell_exports("http://127.0.0.1:1", Scenario(dataset_groups=[FRESH_EU_GROUP_ARN]))
    assert "export AWS_REGION=eu-west-1" in exports
    assert "export AWS_REGION=us-east-1" in _shell_exports("http://127.0.0.1:1", Scenario())
