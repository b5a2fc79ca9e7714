"""describe and list through typer's CliRunner, with the service patched: exit codes, stdout
and stderr asserted separately."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pdj_cli.cli import app
from pdj_cli.errors import AwsError, ExitCode, JobNotFoundError
from tests.factories import GROUP, deletion_job, job_arn

ARN = job_arn()
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def describe(mocker):
    return mocker.patch("pdj_cli.service.JobService.describe", return_value=deletion_job())


@pytest.fixture
def pages(mocker):
    return mocker.patch(
        "pdj_cli.service.JobService.iter_job_pages",
        return_value=iter(
            [
                [deletion_job("c", status="IN_PROGRESS"), deletion_job("b", status="FAILED")],
                [deletion_job("a")],
            ]
        ),
    )


# -- describe ----------------------------------------------------------------------------------


def test_describe_prints_json_when_stdout_is_not_a_terminal(describe):
    result = run("describe", ARN)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["dataDeletionJob"]["dataDeletionJobArn"] == ARN
    assert result.stderr == ""
    assert describe.call_args.args[0].text == ARN


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("json", lambda out: json.loads(out)["dataDeletionJob"]["status"] == "COMPLETED"),
        ("jsonl", lambda out: json.loads(out)["status"] == "COMPLETED" and out.count("\n") == 1),
        ("text", lambda out: out.split("\t")[1] == "COMPLETED"),
        ("table", lambda out: "COMPLETED" in out and "Records deleted" in out),
    ],
)
def test_describe_in_every_format(describe, fmt, check):
    result = run("describe", ARN, "-o", fmt)
    assert result.exit_code == 0
    assert check(result.stdout)
    assert result.stderr == ""


def test_output_format_comes_from_pdj_output(describe):
    result = run("describe", ARN, env={"PDJ_OUTPUT": "text"})
    assert result.stdout.split("\t")[0] == "erase-42"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("COMPLETED", ExitCode.OK),
        ("FAILED", ExitCode.JOB_FAILED),
        ("IN_PROGRESS", ExitCode.NOT_TERMINAL),
        ("PENDING", ExitCode.NOT_TERMINAL),
        ("SOMETHING_NEW", ExitCode.NOT_TERMINAL),
    ],
)
def test_exit_status_maps_the_job_status_to_the_exit_code(mocker, status, code):
    mocker.patch("pdj_cli.service.JobService.describe", return_value=deletion_job(status=status))
    assert run("describe", ARN, "--exit-status").exit_code == code
    assert run("describe", ARN).exit_code == ExitCode.OK


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "erase-42",
        " " + ARN,
        ARN + "\nsecond-line",
        ARN[:40],
        GROUP,
        "arn:aws:s3:::bucket",
        ARN + "x" * 300,
    ],
)
def test_an_invalid_arn_is_exit_2_with_one_line_and_nothing_sent(describe, mocker, bad):
    create = mocker.patch("pdj_cli.service.JobService.client_for")
    result = run("describe", bad)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.startswith("pdj: error: invalid data deletion job ARN")
    assert len(result.stderr.splitlines()) <= 2  # the error and at most one hint
    assert "Traceback" not in result.stderr
    describe.assert_not_called()
    create.assert_not_called()


def test_a_dataset_group_arn_hints_at_list(describe):
    result = run("describe", GROUP)
    assert (
        result.stderr.splitlines()[1]
        == f"hint: that is a dataset group: try `pdj list --dataset-group-arn {GROUP}`"
    )


def test_not_found_is_exit_4(mocker):
    mocker.patch(
        "pdj_cli.service.JobService.describe",
        side_effect=JobNotFoundError("Could not find the data deletion job"),
    )
    result = run("describe", ARN)
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stdout == ""
    assert result.stderr == "pdj: error: Could not find the data deletion job\n"


def test_aws_errors_are_exit_5_with_a_hint(mocker):
    error = AwsError("no AWS credentials found", "run `aws configure` or set AWS_PROFILE")
    mocker.patch("pdj_cli.service.JobService.describe", side_effect=error)
    result = run("describe", ARN)
    assert result.exit_code == ExitCode.AWS_ERROR
    assert result.stderr.splitlines() == [
        "pdj: error: no AWS credentials found",
        "hint: run `aws configure` or set AWS_PROFILE",
    ]


def test_a_bug_is_exit_70_with_one_line_asking_for_a_report(mocker):
    mocker.patch("pdj_cli.service.JobService.describe", side_effect=ValueError("boom"))
    result = run("describe", ARN)
    assert result.exit_code == ExitCode.INTERNAL
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == "pdj: error: internal error: ValueError: boom"
    assert "please report it" in result.stderr


def test_debug_shows_the_traceback_of_a_bug(mocker):
    mocker.patch("pdj_cli.service.JobService.describe", side_effect=ValueError("boom"))
    mocker.patch("pdj_cli.debuglog.enable_wire_log")
    result = run("describe", ARN, "--debug")
    assert result.exit_code == ExitCode.INTERNAL
    assert "Traceback" in result.stderr


def test_ctrl_c_is_exit_130_without_a_traceback(mocker):
    mocker.patch("pdj_cli.service.JobService.describe", side_effect=KeyboardInterrupt)
    result = run("describe", ARN)
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "Traceback" not in result.stderr
    assert result.stderr == "pdj: interrupted\n"


@pytest.mark.parametrize(
    "args",
    [
        ("-o", "yaml"),
        ("--query", "dataDeletionJob.["),
        ("--unknown-option",),
    ],
)
def test_bad_options_are_exit_2_before_any_work(describe, mocker, args):
    resolve = mocker.patch("pdj_cli.service.JobService.resolve_region")
    result = run("describe", ARN, *args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    first, second = result.stderr.splitlines()
    assert first.startswith("pdj: error: ") and args[0] in first
    assert second == "Try 'pdj describe --help'"
    describe.assert_not_called()
    resolve.assert_not_called()


def test_a_bad_pdj_output_is_exit_2(describe):
    result = run("describe", ARN, env={"PDJ_OUTPUT": "xml"})
    assert result.exit_code == ExitCode.USAGE
    describe.assert_not_called()


def test_query_with_a_scalar_result_in_text(describe):
    result = run("describe", ARN, "--query", "dataDeletionJob.numDeleted", "-o", "text")
    assert result.stdout == "1200\n"


def test_query_with_a_list_result_in_text(describe):
    query = "dataDeletionJob.[status, numDeleted]"
    assert run("describe", ARN, "--query", query, "-o", "text").stdout == "COMPLETED\t1200\n"


def test_the_options_are_passed_to_the_service(mocker, describe):
    service = mocker.spy(
        __import__("pdj_cli.service", fromlist=["JobService"]).JobService, "__init__"
    )
    run("describe", ARN, "--region", "eu-west-1", "--profile", "p", "--endpoint-url", "http://x")
    kwargs = service.call_args.kwargs
    assert (kwargs["region"], kwargs["profile"], kwargs["endpoint_url"]) == (
        "eu-west-1",
        "p",
        "http://x",
    )


# -- list --------------------------------------------------------------------------------------


def test_list_prints_every_page_as_one_json_document(pages):
    result = run("list", "--dataset-group-arn", GROUP)
    assert result.exit_code == 0
    names = [job["jobName"] for job in json.loads(result.stdout)["dataDeletionJobs"]]
    assert names == ["c", "b", "a"]
    assert pages.call_args.args[0].text == GROUP


def test_list_jsonl_is_one_job_a_line(pages):
    result = run("list", "-o", "jsonl")
    assert [json.loads(line)["jobName"] for line in result.stdout.splitlines()] == ["c", "b", "a"]
    assert pages.call_args.args[0] is None


def test_list_text_is_one_job_a_line(pages):
    lines = run("list", "-o", "text").stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["c", "IN_PROGRESS"],
        ["b", "FAILED"],
        ["a", "COMPLETED"],
    ]


def test_list_table(pages):
    result = run("list", "-o", "table")
    assert "3 jobs" in result.stdout
    assert "IN_PROGRESS" in result.stdout


def test_list_filters_by_status_case_insensitively(pages):
    result = run("list", "--status", "failed", "--status", "COMPLETED", "-o", "text")
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["b", "a"]


def test_list_query_in_text(pages):
    result = run("list", "--query", "dataDeletionJobs[].jobName", "-o", "text")
    assert result.stdout == "c\tb\ta\n"


def test_list_accepts_a_status_word_it_does_not_know_and_says_so(mocker):
    queued = [deletion_job("q", status="QUEUED"), deletion_job("c", status="COMPLETED")]
    mocker.patch("pdj_cli.service.JobService.iter_job_pages", return_value=iter([queued]))
    result = run("list", "--status", "queued", "-o", "text")
    assert result.exit_code == ExitCode.OK
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [["q", "QUEUED"]]
    assert "QUEUED is not one of the statuses pdj knows" in result.stderr


def test_a_known_status_gets_no_warning(pages):
    assert run("list", "--status", "failed", "-o", "text").stderr == ""


@pytest.mark.parametrize("typed", ["", "IN PROGRESS", "FAILED,COMPLETED", "DONE!", "-"])
def test_list_rejects_what_is_not_a_status_word_before_any_request(pages, typed):
    result = run("list", "--status", typed)
    assert result.exit_code == ExitCode.USAGE
    assert f"{typed!r} is not a status word" in " ".join(result.stderr.split())
    pages.assert_not_called()


def test_list_rejects_a_job_arn_as_dataset_group(pages):
    result = run("list", "--dataset-group-arn", ARN)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("pdj: error: invalid dataset group ARN")
    assert "try `pdj describe" in result.stderr
    pages.assert_not_called()


# -- the app -----------------------------------------------------------------------------------


def test_version():
    from pdj_cli import __version__

    result = run("--version")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"pdj {__version__}"  # scripts parse the first line
    assert [line.split()[0] for line in lines[1:]] == [
        "Python",
        "botocore",
        "typer",
        "rich",
        "platform",
    ]
    import platform
    from importlib.metadata import version

    assert lines[1].startswith(f"Python {platform.python_version()} ")
    assert lines[2:5] == [f"{name} {version(name)}" for name in ("botocore", "typer", "rich")]
    assert lines[5] == f"platform {platform.system()} {platform.release()} {platform.machine()}"


def test_no_arguments_shows_help():
    result = run()
    assert "Usage: pdj" in result.stdout + result.stderr
