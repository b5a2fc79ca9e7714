"""The fast path (a plain describe without typer) must agree with typer on every command line
it accepts, and leave every other command line to typer."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pdj_cli import fastpath
from pdj_cli.cli import app
from pdj_cli.errors import ExitCode
from pdj_cli.fastpath import DescribeCall, parse_describe
from tests.factories import deletion_job, job_arn

ARN = job_arn()


def typer_call(mocker, argv: list[str], env: dict[str, str] | None = None) -> DescribeCall:
    """What the typer command hands to the shared describe body for `argv`."""
    body = mocker.patch("pdj_cli.fastpath.describe_job", return_value=ExitCode.OK)
    result = CliRunner().invoke(app, argv, env=env)
    assert result.exit_code == 0, result.stderr
    arn, exit_status, aws = body.call_args.args
    return DescribeCall(arn, exit_status, aws)


@pytest.mark.parametrize(
    "argv",
    [
        ["describe", ARN],
        ["describe", ARN, "-o", "json"],
        ["describe", ARN, "--output=text"],
        ["describe", ARN, "-o", "JSONL"],
        ["describe", ARN, "-o", "table"],
        ["describe", "-o", "text", ARN],
        ["describe", ARN, "--query", "dataDeletionJob.status"],
        ["describe", ARN, "--query=dataDeletionJob.[jobName, status]", "-o", "text"],
        ["describe", ARN, "--region", "eu-west-1", "--profile=work"],
        ["describe", ARN, "--endpoint-url", "http://127.0.0.1:4599"],
        ["describe", ARN, "--no-color", "--exit-status"],
        ["describe", "not-an-arn"],  # both parsers accept it; describe_job rejects it
        ["describe", "-"],
    ],
)
def test_the_fast_path_reads_a_command_line_exactly_as_typer_does(mocker, argv):
    fast = parse_describe(argv)
    assert fast is not None
    assert fast == typer_call(mocker, argv)


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({"PDJ_OUTPUT": "text"}, ["describe", ARN]),
        ({"PDJ_OUTPUT": "text"}, ["describe", ARN, "-o", "json"]),
        ({"AWS_PROFILE": "from-env"}, ["describe", ARN]),
        ({"AWS_PROFILE": "from-env"}, ["describe", ARN, "--profile", "given"]),
    ],
)
def test_the_fast_path_reads_the_environment_as_typer_does(mocker, monkeypatch, env, argv):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert parse_describe(argv) == typer_call(mocker, argv, env=env)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["list"],
        ["describe"],
        ["describe", ARN, ARN],
        ["describe", ARN, "--help"],
        ["describe", "-h"],
        ["describe", ARN, "--debug"],
        ["describe", ARN, "-o", "yaml"],
        ["describe", ARN, "-ojson"],
        ["describe", ARN, "--query", "dataDeletionJob.["],
        ["describe", ARN, "--region"],
        ["describe", ARN, "--region", "a", "--region", "b"],
        ["describe", ARN, "--exit-status=yes"],
        ["describe", ARN, "--bogus"],
        ["describe", "--", ARN],
    ],
)
def test_anything_else_is_left_to_typer(argv):
    assert parse_describe(argv) is None


def test_an_invalid_pdj_output_is_left_to_typer(monkeypatch):
    monkeypatch.setenv("PDJ_OUTPUT", "xml")
    assert parse_describe(["describe", ARN]) is None


def test_main_serves_a_plain_describe_through_the_error_boundary(mocker, capsys):
    mocker.patch("pdj_cli.service.JobService.describe", return_value=deletion_job(status="FAILED"))
    code = fastpath.main(["describe", ARN, "-o", "text", "--exit-status"])
    out = capsys.readouterr()
    assert code == ExitCode.JOB_FAILED
    assert out.out.split("\t")[:2] == ["erase-42", "FAILED"]


def test_the_fast_path_reports_errors_exactly_as_typer_does(capsys):
    code = fastpath.main(["describe", "arn:aws:s3:::bucket"])
    fast_err = capsys.readouterr().err
    typer_result = CliRunner().invoke(app, ["describe", "arn:aws:s3:::bucket"])
    assert code == typer_result.exit_code == ExitCode.USAGE
    assert fast_err == typer_result.stderr


def test_a_plain_describe_never_imports_typer():
    code = (
        "import sys\nfrom pdj_cli.fastpath import main\n"
        "code = main(['describe', 'not-an-arn'])\n"
        "print(code, 'typer' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "False", "False"]


def test_main_hands_everything_else_to_typer(capsys):
    with pytest.raises(SystemExit) as done:
        fastpath.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("pdj ")
