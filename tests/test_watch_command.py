"""`pdj watch` through typer's CliRunner on a fake clock: exit codes, stdout and stderr apart.

The service is patched (a scripted `describe`), except in the credential-refresh test, which
runs a real botocore client against the in-process emulator on the same fake clock.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest
from typer.testing import CliRunner

from pdj_cli import watching as watch_module
from pdj_cli.cli import app
from pdj_cli.errors import AwsError, ExitCode, JobNotFoundError
from pdj_cli.models import DeletionJob
from pdj_cli.poller import Observed, TransientFailure
from pdj_cli.render import human_duration
from pdj_cli.watch_view import (
    LineView,
    Timekeeping,
    WatchState,
    dashboard,
    summary,
    wants_live_view,
)
from tests.factories import CREATED, GROUP, deletion_job, job_arn

ARN = job_arn()
EPOCH = datetime(2026, 5, 31, 17, 0, 0, tzinfo=timezone.utc)  # wall time when the watch starts
runner = CliRunner()


class FakeTime:
    """Monotonic seconds from 0 that move only when the watch sleeps; wall time follows."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.interrupt_on_sleep: int | None = None

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        if self.interrupt_on_sleep == len(self.sleeps):
            raise KeyboardInterrupt
        self.now += seconds

    def wall(self) -> datetime:
        return EPOCH + timedelta(seconds=self.now)

    def timekeeping(self) -> Timekeeping:
        return Timekeeping(
            sleep=self.sleep, monotonic=self.monotonic, now=self.wall, random=lambda: 0.5
        )


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(watch_module, "TIMEKEEPING", fake.timekeeping())
    return fake


class Describe:
    """A scripted JobService.describe: each call answers the next job or raises the next error."""

    def __init__(self, clock: FakeTime, answers: list[Any]) -> None:
        self.clock = clock
        self.answers: Iterator[Any] = iter(answers)
        self.calls: list[float] = []

    def __call__(self, arn: Any) -> DeletionJob:
        assert arn.text == ARN
        self.calls.append(self.clock.now)
        answer = next(self.answers)
        if isinstance(answer, BaseException):
            raise answer
        return answer


@pytest.fixture
def script(mocker, clock: FakeTime) -> Callable[..., Describe]:
    def install(*answers: Any) -> Describe:
        describe = Describe(clock, list(answers))
        mocker.patch("pdj_cli.service.JobService.describe", side_effect=describe)
        return describe

    return install


def job(status: str, **overrides: Any) -> DeletionJob:
    """A job whose status began when the watch started, unless it is terminal."""
    if status not in ("COMPLETED", "FAILED"):
        overrides.setdefault("lastUpdatedDateTime", EPOCH)
    return deletion_job(status=status, **overrides)


def watch(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, ["watch", ARN, *args], env=env)


def throttled() -> AwsError:
    return AwsError(
        "throttled by AWS past every retry (ThrottlingException): Rate exceeded",
        code="ThrottlingException",
        transient=True,
    )


def unavailable() -> AwsError:
    return AwsError(
        "AWS failed (HTTP 503)", "try again later", code="ServiceUnavailable", transient=True
    )


# -- endings and their exit codes -----------------------------------------------------------------


def test_completed_exits_0_with_a_line_per_change_and_the_job_on_stdout(script, clock):
    describe = script(job("PENDING"), job("PENDING"), job("IN_PROGRESS"), job("COMPLETED"))

    result = watch()

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

    result = watch()

    assert result.exit_code == ExitCode.JOB_FAILED
    assert result.stderr.splitlines()[-1] == (
        "2026-05-31T17:00:15Z erase-42 FAILED: Access denied to s3://bucket"
    )
    assert json.loads(result.stdout)["dataDeletionJob"]["failureReason"] == (
        "Access denied to s3://bucket"
    )


def test_a_job_already_terminal_answers_at_once(script, clock):
    describe = script(job("COMPLETED"))

    result = watch("-o", "text")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0]
    assert clock.sleeps == []
    assert result.stdout.split("\t")[:2] == ["erase-42", "COMPLETED"]


def test_the_timeout_exits_3_at_the_deadline_with_the_last_status(script, clock):
    describe = script(job("PENDING"), job("IN_PROGRESS"), job("IN_PROGRESS"))

    result = watch("--timeout", "40s")

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

    result = watch("--timeout", "20s", "--interval", "5s")

    assert result.exit_code == ExitCode.NOT_TERMINAL
    assert "no status seen yet" in result.stderr.splitlines()[-1]
    assert result.stdout == ""


def test_a_job_not_found_exits_4_at_once_with_a_hint(script, clock):
    describe = script(JobNotFoundError("Could not find data deletion job"))

    result = watch()

    assert result.exit_code == ExitCode.NOT_FOUND
    assert describe.calls == [0.0]
    lines = result.stderr.splitlines()
    assert lines[0] == "pdj: error: Could not find data deletion job"
    assert lines[1].startswith("hint: check the ARN's name, region and account")
    assert "--wait-for-creation" in lines[1]
    assert result.stdout == ""


def test_a_job_that_disappears_exits_4_at_once(script, clock):
    describe = script(job("IN_PROGRESS"), JobNotFoundError("Could not find it"))

    result = watch("--wait-for-creation", "1h")

    assert result.exit_code == ExitCode.NOT_FOUND
    assert describe.calls == [0.0, 15.0]
    assert "pdj: error: the job erase-42 disappeared while IN_PROGRESS" in result.stderr


def test_wait_for_creation_rides_out_not_found_then_watches(script, clock):
    missing = JobNotFoundError("Could not find data deletion job")
    describe = script(missing, missing, job("PENDING"), job("COMPLETED"))

    result = watch("--wait-for-creation", "30s", "--interval", "10s")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 10.0, 20.0, 30.0]
    assert result.stderr.splitlines()[0] == (
        "2026-05-31T17:00:00Z erase-42 not found yet; waiting up to 30s for it to appear"
    )
    assert result.stderr.count("not found yet") == 1


def test_wait_for_creation_gives_up_with_4_when_the_window_closes(script, clock):
    missing = JobNotFoundError("Could not find data deletion job")
    describe = script(missing, missing, missing, missing, job("PENDING"))

    result = watch("--wait-for-creation", "30s", "--interval", "10s")

    assert result.exit_code == ExitCode.NOT_FOUND
    assert describe.calls == [0.0, 10.0, 20.0, 30.0]
    assert "(waited 30s for it to appear)" in result.stderr


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

    result = watch()

    assert result.exit_code == ExitCode.AWS_ERROR
    assert describe.calls == [0.0]
    assert result.stderr.splitlines()[0] == f"pdj: error: {error.message}"
    assert result.stderr.splitlines()[1] == f"hint: {error.hint}"
    assert "Traceback" not in result.stderr


def test_throttling_and_5xx_are_ridden_out_from_the_first_request(script, clock):
    describe = script(throttled(), unavailable(), job("COMPLETED"))

    result = watch("--interval", "10s")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 15.0, 45.0]


def test_access_denied_mid_watch_ends_it_with_5(script, clock):
    denied = AwsError("access denied: no", code="AccessDeniedException")
    script(job("IN_PROGRESS"), denied)

    result = watch()

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

    result = watch(*args)

    assert result.exit_code == ExitCode.USAGE
    assert complaint in " ".join(result.stderr.split())
    assert describe.calls == []


def test_durations_take_every_documented_form(script, clock):
    describe = script(job("PENDING"), job("PENDING"), job("COMPLETED"))

    result = watch("--interval", "1m30s", "--timeout", "1h")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 90.0, 180.0]


def test_exit_status_is_accepted_and_changes_nothing(script, clock):
    script(job("FAILED"))
    assert watch("--exit-status").exit_code == ExitCode.JOB_FAILED


# -- Ctrl-C ---------------------------------------------------------------------------------------


def test_ctrl_c_during_a_request_exits_130_with_the_last_status(script, clock):
    script(job("PENDING"), job("IN_PROGRESS"), KeyboardInterrupt())

    result = watch()

    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr.splitlines()[-1] == (
        "pdj: interrupted watching erase-42; its last status was IN_PROGRESS (last checked 15s ago)"
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_ctrl_c_during_a_sleep_exits_130(script, clock):
    clock.interrupt_on_sleep = 1
    script(job("PENDING"))

    result = watch()

    assert result.exit_code == ExitCode.INTERRUPTED
    assert "its last status was PENDING" in result.stderr
    assert "Traceback" not in result.stderr


# -- transient errors on stderr -------------------------------------------------------------------


def test_an_error_streak_is_reported_once_and_its_end_once(script, clock):
    describe = script(
        job("IN_PROGRESS"), throttled(), throttled(), job("IN_PROGRESS"), job("COMPLETED")
    )

    result = watch("--interval", "10s")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 10.0, 25.0, 55.0, 65.0]
    assert result.stderr.splitlines() == [
        "2026-05-31T17:00:00Z erase-42 IN_PROGRESS",
        "2026-05-31T17:00:10Z erase-42 warning: throttled by AWS past every retry "
        "(ThrottlingException): Rate exceeded; retrying in 15s, giving up after 10m 00s of errors",
        "2026-05-31T17:00:55Z erase-42 answering again after 45s of errors",
        "2026-05-31T17:01:05Z erase-42 COMPLETED (1,200 records deleted in 42m 00s)",
    ]


def test_errors_past_the_grace_exit_5_naming_the_option(script, clock):
    script(job("IN_PROGRESS"), *[unavailable() for _ in range(10)])

    result = watch("--interval", "10s", "--grace", "1m")

    assert result.exit_code == ExitCode.AWS_ERROR
    lines = result.stderr.splitlines()
    assert lines[-2] == (
        "pdj: error: gave up after 60s of errors (grace 60s); the last one: AWS failed (HTTP 503)"
    )
    assert lines[-1] == "hint: try again later; a longer --grace rides out longer outages"
    assert clock.now == 70.0


# -- heartbeat ----------------------------------------------------------------------------------


def heartbeats(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " still " in line]


def test_a_heartbeat_every_five_minutes_while_nothing_changes(script, clock):
    script(*[job("IN_PROGRESS") for _ in range(12)], job("COMPLETED"))

    result = watch("--interval", "1m")

    assert result.exit_code == ExitCode.OK
    assert heartbeats(result.stderr) == [
        "2026-05-31T17:05:00Z erase-42 still IN_PROGRESS (for 5m 00s; watching for 5m 00s)",
        "2026-05-31T17:10:00Z erase-42 still IN_PROGRESS (for 10m 00s; watching for 10m 00s)",
    ]
    assert len(result.stderr.splitlines()) == 4


def test_heartbeats_come_between_checks_rarer_than_the_heartbeat(script, clock):
    describe = script(job("IN_PROGRESS"), job("IN_PROGRESS"), job("COMPLETED"))

    result = watch("--interval", "10m", "--heartbeat", "4m")

    assert describe.calls == [0.0, 600.0, 1200.0]
    stamps = [line.split()[0] for line in heartbeats(result.stderr)]
    assert stamps == [
        "2026-05-31T17:04:00Z",
        "2026-05-31T17:08:00Z",
        "2026-05-31T17:12:00Z",
        "2026-05-31T17:16:00Z",
    ]


def test_a_status_change_resets_the_heartbeat(script, clock):
    answers = [job("PENDING")] * 4 + [job("IN_PROGRESS")] * 6 + [job("COMPLETED")]
    script(*answers)

    result = watch("--interval", "1m")

    # the change at 4m is a line; the next heartbeat is 5 minutes after it
    assert [line.split()[0] for line in heartbeats(result.stderr)] == ["2026-05-31T17:09:00Z"]


def test_heartbeat_0_turns_it_off(script, clock):
    script(*[job("IN_PROGRESS") for _ in range(30)], job("COMPLETED"))

    result = watch("--interval", "1m", "--heartbeat", "0")

    assert heartbeats(result.stderr) == []
    assert len(result.stderr.splitlines()) == 2


def test_the_heartbeat_during_an_error_streak_says_what_is_failing(script, clock):
    script(job("IN_PROGRESS"), *[throttled() for _ in range(6)], job("COMPLETED"))

    result = watch("--interval", "30s", "--heartbeat", "1m", "--grace", "1h")

    beats = [line for line in result.stderr.splitlines() if "failing for" in line]
    assert beats, result.stderr
    assert "last seen IN_PROGRESS; failing for" in beats[0]
    assert "(ThrottlingException)" in beats[0]
    assert result.exit_code == ExitCode.OK


# -- stdout formats -------------------------------------------------------------------------------


def test_jsonl_streams_one_line_per_change_with_observed_at(script, clock):
    script(job("PENDING"), job("PENDING"), job("IN_PROGRESS"), job("COMPLETED"))

    result = watch("-o", "jsonl")

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["status"] for record in records] == ["PENDING", "IN_PROGRESS", "COMPLETED"]
    assert [record["observedAt"] for record in records] == [
        "2026-05-31T17:00:00+00:00",
        "2026-05-31T17:00:30+00:00",
        "2026-05-31T17:00:45+00:00",
    ]
    assert all(record["dataDeletionJobArn"] == ARN for record in records)
    assert result.exit_code == ExitCode.OK


def test_query_applies_to_the_final_document(script, clock):
    script(job("IN_PROGRESS"), job("COMPLETED", numDeleted=77))

    result = watch("--query", "dataDeletionJob.numDeleted", "-o", "text")

    assert result.stdout == "77\n"


def test_query_applies_to_each_jsonl_line(script, clock):
    script(job("IN_PROGRESS"), job("COMPLETED"))

    result = watch("--query", "status", "-o", "jsonl")

    assert result.stdout.splitlines() == ['"IN_PROGRESS"', '"COMPLETED"']


def test_a_status_never_seen_before_is_shown_and_waited_through(script, clock):
    script(job("PENDING"), job("QUEUED_FOR_REVIEW"), job("QUEUED_FOR_REVIEW"), job("COMPLETED"))

    result = watch()

    assert result.exit_code == ExitCode.OK
    assert "erase-42 QUEUED_FOR_REVIEW (was PENDING for 15s)" in result.stderr


def test_table_output_at_the_end_is_the_describe_panel(script, clock):
    script(job("COMPLETED"))

    result = watch("-o", "table")

    assert "Records deleted" in result.stdout
    assert "1,200" in result.stdout


# -- the live view, rendered on the fake clock --------------------------------------------------


def render(renderable: Any) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=100, no_color=True, force_terminal=False).print(renderable)
    return out.getvalue()


def live_state(clock: FakeTime) -> tuple[LineView, WatchState]:
    state = WatchState(name="erase-42", started=0.0, grace=600.0)
    view = LineView(state, clock.timekeeping(), heartbeat=0, stderr=io.StringIO())
    return view, state


def test_the_dashboard_shows_status_times_and_next_check(clock):
    view, state = live_state(clock)
    clock.now = 30.0
    view.handle(Observed(value=job("IN_PROGRESS"), at=30.0, changed=True))
    clock.now = 150.0
    state.next_check = 162.0

    text = render(dashboard(view))

    assert "erase-42" in text
    assert "IN_PROGRESS  for 2m 30s" in text  # it began when the job says it was updated
    assert "Watching      2m 30s" in text
    age = (EPOCH + timedelta(seconds=150) - CREATED).total_seconds()
    assert f"Job age       {human_duration(age)}  (created " in text
    assert "Last checked  2m 00s ago" in text
    assert "Next check    in 12s" in text


def test_the_dashboard_shows_an_error_streak(clock):
    view, _ = live_state(clock)
    view.handle(Observed(value=job("PENDING"), at=0.0, changed=True))
    failure = TransientFailure(
        error=throttled(), at=20.0, streak_started=15.0, first_in_streak=True, retry_in=15.0
    )
    view.handle(failure)
    clock.now = 25.0

    text = render(dashboard(view))

    assert "Errors" in text
    assert "ThrottlingException for 10s; gives up after 10m 00s of errors" in text
    assert "Next check    checking now" in text


def test_the_final_summary_has_status_records_duration_and_reason():
    done = render(summary(deletion_job(status="COMPLETED"), watched=95.0))
    assert done.strip() == (
        "✔ erase-42 COMPLETED · 1,200 records deleted · took 42m 00s · watched 1m 35s"
    )
    failed = render(summary(deletion_job(status="FAILED"), watched=5.0))
    assert failed.strip() == "✘ erase-42 FAILED: Access denied to s3://bucket · watched 5s"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stdout", "stderr", "environ", "live"),
    [
        (FakeTerminal, FakeTerminal, {}, True),
        (io.StringIO, FakeTerminal, {}, False),  # `pdj watch | jq`
        (FakeTerminal, io.StringIO, {}, False),  # `pdj watch 2>log`
        (io.StringIO, io.StringIO, {}, False),
        (io.StringIO, io.StringIO, {"FORCE_COLOR": "1"}, True),
        (io.StringIO, io.StringIO, {"TTY_COMPATIBLE": "1"}, True),
        (FakeTerminal, FakeTerminal, {"TTY_COMPATIBLE": "0"}, False),
        (FakeTerminal, FakeTerminal, {"TTY_INTERACTIVE": "0"}, False),
        (FakeTerminal, FakeTerminal, {"TERM": "dumb"}, False),
    ],
)
def test_the_live_view_is_chosen_as_rich_decides(stdout, stderr, environ, live):
    assert wants_live_view(stdout(), stderr(), environ) is live


def test_off_a_terminal_the_watch_writes_plain_lines_without_escapes(script, clock):
    script(job("PENDING"), job("COMPLETED"))

    result = watch(env={"NO_COLOR": None, "TERM": "xterm-256color"})

    assert "\x1b[" not in result.stderr
    assert "\x1b[" not in result.stdout


def test_force_color_colours_the_lines_and_no_color_wins(script, clock):
    script(job("COMPLETED"), job("COMPLETED"))
    # TTY_INTERACTIVE=0 keeps the lines (FORCE_COLOR alone would choose the live view)
    env = {"NO_COLOR": None, "TTY_INTERACTIVE": "0", "FORCE_COLOR": "1"}

    coloured = watch(env=env)
    plain = watch("--no-color", env=env)

    assert "\x1b[" in coloured.stderr
    assert "\x1b[" not in plain.stderr
    assert "erase-42 COMPLETED" in plain.stderr


# -- credentials that refresh over a long watch ---------------------------------------------------


def test_refreshing_credentials_keep_working_over_a_day_long_watch(clock, mocker, monkeypatch):
    """One session, one client: botocore refreshes the credentials it signs with, on time."""
    import botocore.session
    from botocore.credentials import RefreshableCredentials

    from pdj_cli.emulator import Emulator, Scenario, ScenarioJob
    from pdj_cli.service import JobService

    refreshes: list[float] = []

    def fake_wall() -> datetime:
        return clock.wall()

    def refresh() -> dict[str, str]:
        refreshes.append(clock.now)
        number = len(refreshes)
        return {
            "access_key": f"AKIDREFRESHED{number:04d}",
            "secret_key": f"secret-{number}",
            "token": f"token-{number}",
            "expiry_time": (clock.wall() + timedelta(hours=1)).isoformat(),
        }

    credentials = RefreshableCredentials(
        "AKIDFIRST",
        "secret-0",
        "token-0",
        EPOCH + timedelta(hours=1),
        refresh,
        "fake-sso",
        time_fetcher=fake_wall,
    )

    class Provider:
        METHOD = "fake-sso"
        CANONICAL_NAME = "fake-sso"

        def load(self) -> RefreshableCredentials:
            return credentials

    session = botocore.session.Session()
    session.get_component("credential_provider").insert_before("env", Provider())
    create_client = mocker.spy(session, "create_client")
    keys_seen: list[str] = []

    def remember_key(request: Any, **_: Any) -> None:
        header = request.headers["Authorization"]
        header = header.decode() if isinstance(header, bytes) else header
        keys_seen.append(header.split("Credential=")[1].split("/")[0])

    session.register("before-send.personalize", remember_key)

    hours = 24
    scenario_job = ScenarioJob(
        "erase-42",
        GROUP,
        [("PENDING", 0), ("IN_PROGRESS", 600), ("COMPLETED", hours * 3600)],
    )
    with Emulator(Scenario([scenario_job]), clock=clock.monotonic) as emulator:
        service = JobService(endpoint_url=emulator.endpoint_url, session=session)
        mocker.patch("pdj_cli.options.AwsOptions.service", return_value=service)

        result = watch("--interval", "5m", "--heartbeat", "0", "-o", "jsonl")

    assert result.exit_code == ExitCode.OK, result.stderr
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["PENDING", "IN_PROGRESS", "COMPLETED"]
    assert create_client.call_count == 1
    assert len(keys_seen) == hours * 12 + 1
    # botocore refreshes in its advisory window, 10-15 minutes before each one-hour expiry:
    # never too late (an expired key) nor on every request
    issued = [0.0, *refreshes]
    assert all(2700 <= later - earlier <= 3000 for earlier, later in pairwise(issued))
    assert 86400 - refreshes[-1] <= 3000
    assert keys_seen[0] == "AKIDFIRST"
    assert keys_seen[-1] == f"AKIDREFRESHED{len(refreshes):04d}"
    assert len(set(keys_seen)) == len(refreshes) + 1
