"""`pdj watch`'s endings and their exit codes, Ctrl-C included, on a fake clock."""

from __future__ import annotations

import json

import pytest

from pdj_cli.cli import app
from pdj_cli.errors import AwsError, ExitCode, JobNotFoundError, Terminated
from tests.watch.fakes import ARN, job, runner, throttled, unavailable, watch

# -- endings and their exit codes -----------------------------------------------------------------


def test_completed_exits_0_with_a_line_per_change_and_the_job_on_stdout(script, clock):
    describe = script(job("PENDING"), job("PENDING"), job("IN_PROGRESS"), job("COMPLETED"))

    result = watch(clock)

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 15.0, 30.0, 45.0]
    assert result.stderr.splitlines() == [
        "2026-05-31T17:00:00Z erase-42 PENDING",
        "2026-05-31T17:00:30Z erase-42 IN_PROGRESS (was PENDING for 30s)",
        "2026-05-31T17:00:45Z erase-42 COMPLETED (1,200 records deleted in 42m 00s)",
    ]
    final = json.loads(result.stdout)["dataDeletionJob"]
    assert final["status"] == "COMPLETED"
    assert final["dataDeletionJobArn"] == ARN


def test_failed_exits_1_with_the_failure_reason_on_stderr(script, clock):
    script(job("IN_PROGRESS"), job("FAILED"))

    result = watch(clock)

    assert result.exit_code == ExitCode.JOB_FAILED
    assert result.stderr.splitlines()[-1] == (
        "2026-05-31T17:00:15Z erase-42 FAILED: Access denied to s3://bucket"
    )
    assert json.loads(result.stdout)["dataDeletionJob"]["failureReason"] == (
        "Access denied to s3://bucket"
    )


def test_a_job_already_terminal_answers_at_once(script, clock):
    describe = script(job("COMPLETED"))

    result = watch(clock, "-o", "text")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0]
    assert clock.sleeps == []
    assert result.stdout.split("\t")[:2] == ["erase-42", "COMPLETED"]


def test_the_timeout_exits_3_at_the_deadline_with_the_last_status(script, clock):
    describe = script(job("PENDING"), job("IN_PROGRESS"), job("IN_PROGRESS"))

    result = watch(clock, "--timeout", "40s")

    assert result.exit_code == ExitCode.NOT_TERMINAL
    assert describe.calls == [0.0, 15.0, 30.0]
    assert sum(clock.sleeps) == 40.0
    assert result.stderr.splitlines()[-1] == (
        "pdj: timed out after 40s watching erase-42; its last status was IN_PROGRESS "
        "(last checked 10s ago)"
    )
    assert json.loads(result.stdout)["dataDeletionJob"]["status"] == "IN_PROGRESS"


def test_a_timeout_before_any_answer_says_so_and_prints_nothing(script, clock):
    script(throttled(), throttled(), throttled())

    result = watch(clock, "--timeout", "20s", "--interval", "5s")

    assert result.exit_code == ExitCode.NOT_TERMINAL
    assert "no status seen yet" in result.stderr.splitlines()[-1]
    assert result.stdout == ""


def test_a_job_not_found_exits_4_at_once_with_a_hint(script, clock):
    describe = script(JobNotFoundError("Could not find data deletion job"))

    result = watch(clock)

    assert result.exit_code == ExitCode.NOT_FOUND
    assert describe.calls == [0.0]
    lines = result.stderr.splitlines()
    assert lines[0] == "pdj: error: Could not find data deletion job"
    assert lines[1].startswith("hint: check the ARN's name, region and account")
    assert "--wait-for-creation" in lines[1]
    assert result.stdout == ""


def test_a_job_that_disappears_exits_4_at_once(script, clock):
    describe = script(job("IN_PROGRESS"), JobNotFoundError("Could not find it"))

    result = watch(clock, "--wait-for-creation", "1h")

    assert result.exit_code == ExitCode.NOT_FOUND
    assert describe.calls == [0.0, 15.0]
    assert "pdj: error: the job erase-42 disappeared while IN_PROGRESS" in result.stderr


def test_wait_for_creation_rides_out_not_found_then_watches(script, clock):
    missing = JobNotFoundError("Could not find data deletion job")
    describe = script(missing, missing, job("PENDING"), job("COMPLETED"))

    result = watch(clock, "--wait-for-creation", "30s", "--interval", "10s")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 10.0, 20.0, 30.0]
    assert result.stderr.splitlines()[0] == (
        "2026-05-31T17:00:00Z erase-42 not found yet; waiting up to 30s for it to appear"
    )
    assert result.stderr.count("not found yet") == 1


def test_wait_for_creation_gives_up_with_4_when_the_window_closes(script, clock):
    missing = JobNotFoundError("Could not find data deletion job")
    describe = script(missing, missing, missing, missing, job("PENDING"))

    result = watch(clock, "--wait-for-creation", "30s", "--interval", "10s")

    assert result.exit_code == ExitCode.NOT_FOUND
    assert describe.calls == [0.0, 10.0, 20.0, 30.0]
    assert "(waited 30s for it to appear)" in result.stderr
    # the hint asks for more than was given: the same again would end the same way
    assert "give --wait-for-creation longer than 30s" in result.stderr
    assert "add --wait-for-creation 30s" not in result.stderr


@pytest.mark.parametrize(
    "error",
    [
        AwsError("no AWS credentials found", "run `aws configure`", code="NoCredentials"),
        AwsError("access denied: no", "needs personalize:Describe", code="AccessDeniedException"),
        AwsError(
            "could not connect to the endpoint http://127.0.0.1:9",
            "check --endpoint-url",
            code="EndpointConnectionError",
            transient=True,
        ),
    ],
    ids=["no credentials", "access denied", "refused first connection"],
)
def test_errors_that_show_the_watch_cannot_work_exit_5_at_once(script, clock, error):
    describe = script(error, job("COMPLETED"))

    result = watch(clock)

    assert result.exit_code == ExitCode.AWS_ERROR
    assert describe.calls == [0.0]
    assert result.stderr.splitlines()[0] == f"pdj: error: {error.message}"
    assert result.stderr.splitlines()[1] == f"hint: {error.hint}"
    assert "Traceback" not in result.stderr


def test_throttling_and_5xx_are_ridden_out_from_the_first_request(script, clock):
    describe = script(throttled(), unavailable(), job("COMPLETED"))

    result = watch(clock, "--interval", "10s")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 15.0, 45.0]


def test_access_denied_mid_watch_ends_it_with_5(script, clock):
    denied = AwsError("access denied: no", code="AccessDeniedException")
    script(job("IN_PROGRESS"), denied)

    result = watch(clock)

    assert result.exit_code == ExitCode.AWS_ERROR
    assert "pdj: error: access denied: no" in result.stderr


def test_an_invalid_arn_is_exit_2_and_nothing_is_sent(script, clock):
    describe = script(job("COMPLETED"))

    result = runner.invoke(app, ["watch", "erase-42"])

    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("pdj: error: invalid data deletion job ARN")
    assert describe.calls == []


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--interval", "0.05"], "at least 0.1s"),
        (["--interval", "soon"], "is not a duration"),
        (["--timeout", "-5"], "is negative"),
        (["--grace", "a while"], "is not a duration"),
        (["--heartbeat", "5 minutes"], "is not a duration"),
    ],
)
def test_bad_durations_are_usage_errors(script, clock, args, complaint):
    describe = script(job("COMPLETED"))

    result = watch(clock, *args)

    assert result.exit_code == ExitCode.USAGE
    assert complaint in " ".join(result.stderr.split())
    assert describe.calls == []


def test_durations_take_every_documented_form(script, clock):
    describe = script(job("PENDING"), job("PENDING"), job("COMPLETED"))

    result = watch(clock, "--interval", "1m30s", "--timeout", "1h")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 90.0, 180.0]


def test_exit_status_is_accepted_and_changes_nothing(script, clock):
    script(job("FAILED"))
    assert watch(clock, "--exit-status").exit_code == ExitCode.JOB_FAILED


# -- Ctrl-C ---------------------------------------------------------------------------------------


def test_ctrl_c_during_a_request_exits_130_with_the_last_status(script, clock):
    script(job("PENDING"), job("IN_PROGRESS"), KeyboardInterrupt())

    result = watch(clock)

    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr.splitlines()[-1] == (
        "pdj: interrupted watching erase-42; its last status was IN_PROGRESS (last checked 15s ago)"
    )
    assert "Traceback" not in result.stderr
    # the last job seen, in the chosen format, as on --timeout
    assert json.loads(result.stdout)["dataDeletionJob"]["status"] == "IN_PROGRESS"


def test_sigterm_ends_like_ctrl_c_but_exits_143(script, clock):
    script(job("PENDING"), Terminated())

    result = watch(clock, "-o", "text")

    assert result.exit_code == ExitCode.TERMINATED == 143
    assert result.stderr.splitlines()[-1] == (
        "pdj: terminated (SIGTERM) watching erase-42; its last status was PENDING "
        "(last checked 15s ago)"
    )
    assert result.stdout.split("\t")[:2] == ["erase-42", "PENDING"]
    assert "Traceback" not in result.stderr


def test_ctrl_c_during_a_sleep_exits_130(script, clock):
    clock.interrupt_on_sleep = 1
    script(job("PENDING"))

    result = watch(clock)

    assert result.exit_code == ExitCode.INTERRUPTED
    assert "its last status was PENDING" in result.stderr
    assert "Traceback" not in result.stderr
