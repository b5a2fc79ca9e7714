"""`pdj create` through typer's CliRunner with a fake service: options, the question, formats,
a run stopped by a failing group."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from pdj_cli.arns import ResourceArn
from pdj_cli.cli import app
from pdj_cli.errors import AwsError
from pdj_cli.options import AwsOptions
from pdj_cli.ui.terminal import Terminal
from tests.batch_fakes import FakeClock, arn_of
from tests.factories import ACCOUNT, GROUP
from tests.test_create_submit import FakeCreator

runner = CliRunner()
MEDIA = f"arn:aws:personalize:eu-west-1:{ACCOUNT}:dataset-group/media"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/PersonalizeDeletion"
BASE = ["create", "--data-location", "s3://erasures/R-1.csv", "--role-arn", ROLE]


@pytest.fixture
def service(mocker: Any) -> FakeCreator:
    fake = FakeCreator([], FakeClock())
    mocker.patch.object(AwsOptions, "service", return_value=fake)
    return fake


def run(*args: str, groups: tuple[str, ...] = (GROUP,), stdin: str | None = None) -> Any:
    given = [part for group in groups for part in ("--dataset-group-arn", group)]
    return runner.invoke(app, [*BASE, *given, *args], input=stdin)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--interval", "5s", "--yes"], "--interval only applies with --wait or --wait-for-slot"),
        (["--fail-fast", "--yes"], "--fail-fast only applies with --wait"),
        (["--timeout", "1h", "--fail-fast", "--yes"], "--timeout and --fail-fast only apply"),
    ],
)
def test_wait_options_without_wait_are_exit_2(service, args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert service.total == 0


def test_dry_run_is_json_in_any_format_and_sends_nothing(service):
    result = run("--request-id", "R-1", "--dry-run", "-o", "table", groups=(GROUP, MEDIA))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [request["datasetGroupArn"] for request in document["requests"]] == [GROUP, MEDIA]
    assert service.total == 0


def test_a_query_applies_to_the_dry_run(service):
    result = run("--request-id", "R-1", "--dry-run", "--query", "jobName", "-o", "json")
    assert json.loads(result.stdout).startswith("R-1-shop-")


def test_answered_no_on_a_terminal_creates_nothing(service, mocker):
    mocker.patch.object(Terminal, "isatty", return_value=True)
    result = run("--request-id", "R-1", stdin="n\n")
    assert result.exit_code == 1
    assert "Create this job? [y/N]" in result.stderr
    assert "pdj: aborted: nothing was created" in result.stderr
    assert result.stdout == ""
    assert service.total == 0


def test_answered_yes_on_a_terminal_creates(service, mocker):
    mocker.patch.object(Terminal, "isatty", return_value=True)
    result = run("--request-id", "R-1", "-o", "text", stdin="yes\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(arn_of("R-1-shop-"))
    assert len(service.created) == 1


def test_a_failing_group_stops_the_run_and_prints_what_was_submitted(service, mocker):
    create = service.create_job

    def create_or_deny(params: dict[str, Any], group: ResourceArn) -> str:
        if group.region == "eu-west-1":
            raise AwsError("access denied: no", "check the role", code="AccessDeniedException")
        return create(params, group)

    mocker.patch.object(service, "create_job", side_effect=create_or_deny)
    third = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/third"
    result = run("--request-id", "R-1", "--yes", "-o", "jsonl", groups=(GROUP, MEDIA, third))
    assert result.exit_code == 5
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["datasetGroupArn"] == GROUP
    assert [entry["datasetGroupArn"] for entry in service.created] == [GROUP]  # not the third
    assert result.stderr.splitlines()[-2:] == [
        "pdj: error: access denied: no",
        "hint: check the role",
    ]


def test_a_run_of_several_groups_stopped_after_one_job_still_prints_the_several_shape(
    service, mocker
):
    # A script reads `.dataDeletionJobs[]` for several groups: the shape follows the groups
    # asked for, not how many were submitted before the error.
    create = service.create_job

    def create_or_deny(params: dict[str, Any], group: ResourceArn) -> str:
        if group.region == "eu-west-1":
            raise AwsError("access denied: no", "check the role", code="AccessDeniedException")
        return create(params, group)

    mocker.patch.object(service, "create_job", side_effect=create_or_deny)
    result = run("--request-id", "R-1", "--yes", "-o", "json", groups=(GROUP, MEDIA))
    assert result.exit_code == 5
    document = json.loads(result.stdout)
    assert [job["datasetGroupArn"] for job in document["dataDeletionJobs"]] == [GROUP]


def test_each_jobs_stderr_line_names_its_groups_region(service):
    # The same group name in two regions (one app, two regions) is the common case of several.
    twin = GROUP.replace(":us-east-1:", ":eu-west-1:")
    result = run("--request-id", "R-1", "--yes", "-o", "text", groups=(GROUP, twin))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["(us-east-1)", "(eu-west-1)"]


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("json", lambda out: json.loads(out)["dataDeletionJobs"][1]["created"] is True),
        ("jsonl", lambda out: [json.loads(x)["created"] for x in out.splitlines()] == [True] * 2),
        ("text", lambda out: out.splitlines()[1].startswith("arn:aws:personalize:eu-west-1:")),
        ("table", lambda out: "created" in out and "media" in out),
        (
            "csv",
            lambda out: out.splitlines()[0] == "dataDeletionJobArn,jobName,datasetGroupArn,created",
        ),
        ("markdown", lambda out: out.splitlines()[2].endswith("| true |")),
    ],
)
def test_several_jobs_in_each_format(service, fmt, check):
    result = run("--request-id", "R-1", "--yes", "-o", fmt, groups=(GROUP, MEDIA))
    assert result.exit_code == 0, result.stderr
    assert check(result.stdout)


@pytest.mark.parametrize("width", [60, 80, 200])
def test_the_table_keeps_every_arn_whole_at_any_width(service, width):
    args = [*BASE, "--dataset-group-arn", GROUP, "--dataset-group-arn", MEDIA]
    args += ["--request-id", "R-1", "--yes", "-o", "table"]
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    for created in service.created:
        arn = arn_of(created["jobName"], created["datasetGroupArn"].split(":")[3])
        assert any(arn in line for line in result.stdout.splitlines()), result.stdout
    assert "created" in result.stdout


@pytest.mark.parametrize(
    ("typed", "yes"),
    [("y\n", True), ("YES\n", True), (" y \n", True), ("n\n", False), ("\n", False), ("", False)],
)
def test_only_y_or_yes_is_yes(typed, yes):
    import io

    from pdj_cli.ui.create_view import ask

    err = io.StringIO()
    terminal = Terminal(in_=io.StringIO(typed), err=err, environ={})
    assert ask(terminal, ["what will be deleted"], "Create this job?") is yes
    assert err.getvalue().startswith("what will be deleted\nCreate this job? [y/N] ")
    assert err.getvalue().endswith("] " if typed else "] \n")  # end of input: a line ended
