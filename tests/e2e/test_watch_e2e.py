"""`pdj watch`: the installed pdj against the emulator over real HTTP, with faults and restarts.

Most tests drive the job's time by hand (the emulator's ManualClock): the job moves on only once
pdj has reported its current status, so every status change is seen however slowly pdj starts,
and nothing waits for a timeline to play out.
"""

from __future__ import annotations

import io
import json
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pexpect
import pytest

from pdj_cli.emulator import DEMO_GROUP_ARN, Emulator, ManualClock, Scenario, ScenarioJob
from tests.e2e.conftest import PDJ, shell

pytestmark = pytest.mark.e2e

OLD_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/demo-erasure-2026-10"
MISSING_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/never-created"
FAST = ("--interval", "0.1")
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (?P<name>\S+) (?P<rest>.*)$")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
STEP = 10.0  # emulated seconds between the statuses of a driven job
OUTAGE = 3.0  # seconds the emulator is down in the restart test


class Driven:
    """An emulator whose clock moves only when the test says so, with one job on a timeline."""

    def __init__(self, start_emulator: Any, name: str, terminal: str = "COMPLETED", **fields):
        self.clock = ManualClock()
        timeline = [("PENDING", 0.0), ("IN_PROGRESS", STEP), (terminal, 2 * STEP)]
        job = ScenarioJob(name, DEMO_GROUP_ARN, timeline, **fields)
        self.emulator: Emulator = start_emulator(Scenario([job]), clock=self.clock)
        self.arn = job.arn

    def args(self, *extra: str) -> list[str]:
        return [*PDJ, "watch", self.arn, "--endpoint-url", self.emulator.endpoint_url, *extra]

    def next_status(self) -> None:
        self.clock.advance(STEP)


class Watching:
    """pdj watch as a running subprocess whose stderr lines the test reads as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.stderr_lines: list[str] = []

    def wait_for(self, text: str) -> str:
        assert self.process.stderr is not None
        while True:
            line = self.process.stderr.readline()
            assert line, f"pdj ended before saying {text!r}: {self.stderr_lines}"
            self.stderr_lines.append(line.rstrip("\n"))
            if text in line:
                return line

    def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        try:
            stdout, rest = self.process.communicate(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        self.stderr_lines.extend(rest.splitlines())
        return self.process.returncode, stdout, "\n".join(self.stderr_lines)


def status_words(stderr: str) -> list[str]:
    """The word after the job's name on each watch line of stderr."""
    words = []
    for line in stderr.splitlines():
        match = LINE.match(line)
        assert match, f"not a watch line: {line!r}"
        words.append(match["rest"].split()[0].rstrip(":"))
    return words


def watch_through(driven: Driven, env: dict[str, str], *extra: str) -> tuple[int, str, str]:
    """Watch a driven job from PENDING to its end, moving it on as pdj reports each status."""
    watching = Watching(driven.args(*FAST, *extra), env)
    watching.wait_for("PENDING")
    driven.next_status()
    watching.wait_for("IN_PROGRESS")
    driven.next_status()
    return watching.finish()


def describes(emulator: Emulator) -> int:
    return emulator.request_count("DescribeDataDeletionJob")


def until(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Wait for something pdj does; the deadline only bounds a hang."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {seconds}s"
        time.sleep(0.02)


# -- endings ----------------------------------------------------------------------------------


def test_completed_exits_0_with_each_change_on_stderr_and_the_job_on_stdout(
    start_emulator, pdj_env
):
    driven = Driven(start_emulator, "e2e-completes", num_deleted=321)

    code, stdout, stderr = watch_through(driven, pdj_env)

    assert code == 0, stderr
    assert status_words(stderr) == ["PENDING", "IN_PROGRESS", "COMPLETED"]
    assert "e2e-completes IN_PROGRESS (was PENDING for " in stderr
    assert stderr.endswith("e2e-completes COMPLETED (321 records deleted in 20s)")
    job = json.loads(stdout)["dataDeletionJob"]
    assert (job["dataDeletionJobArn"], job["status"], job["numDeleted"]) == (
        driven.arn,
        "COMPLETED",
        321,
    )


def test_failed_exits_1_with_the_failure_reason(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-fails", "FAILED", failure_reason="Bad input file format.")

    code, stdout, stderr = watch_through(driven, pdj_env)

    assert code == 1, stderr
    assert stderr.endswith("e2e-fails FAILED: Bad input file format.")
    assert json.loads(stdout)["dataDeletionJob"]["status"] == "FAILED"


def test_a_job_already_terminal_answers_with_one_request_piped_into_jq(pdj_env, emulator):
    command = f"{' '.join(PDJ)} watch {OLD_JOB} --interval 0.1 | jq -r .dataDeletionJob.status"

    result = shell(command, pdj_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "COMPLETED\n"  # json by default off a terminal: the describe shape
    assert status_words(result.stderr) == ["COMPLETED"]
    assert describes(emulator) == 1


def test_the_timeout_exits_3_on_time_with_the_last_status(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-slow")
    driven.next_status()  # IN_PROGRESS, and the clock stays there

    started = time.monotonic()
    watching = Watching(driven.args("--interval", "0.3", "--timeout", "1"), pdj_env)
    code, stdout, stderr = watching.finish()
    took = time.monotonic() - started

    assert code == 3, stderr
    assert stderr.splitlines()[-1].startswith(
        "pdj: timed out after 1s watching e2e-slow; its last status was IN_PROGRESS"
    )
    assert json.loads(stdout)["dataDeletionJob"]["status"] == "IN_PROGRESS"
    assert took >= 1  # never before the timeout
    # On time: no poll after the deadline (polls at 0, 0.3, 0.6 and 0.9 s at most); the hang is
    # bounded by finish(). A wall-clock bound (took < 6) was one a loaded machine could miss:
    # pdj's start alone took 1-3 s there.
    assert describes(driven.emulator) <= 4


def test_a_missing_job_exits_4_at_once(run_pdj, emulator):
    result = run_pdj("watch", MISSING_JOB, *FAST)

    assert result.returncode == 4
    assert result.stderr.startswith("pdj: error: ")
    assert "--wait-for-creation" in result.stderr
    assert describes(emulator) == 1


def test_wait_for_creation_waits_for_a_job_created_a_moment_later(start_emulator, pdj_env):
    clock = ManualClock()
    late = ScenarioJob("e2e-late", DEMO_GROUP_ARN, [("COMPLETED", 0.0)], created_at=STEP)
    emulator = start_emulator(Scenario([late]), clock=clock)  # invisible until STEP
    args = [*PDJ, "watch", late.arn, "--endpoint-url", emulator.endpoint_url]
    watching = Watching([*args, *FAST, "--wait-for-creation", "1m"], pdj_env)
    watching.wait_for("not found yet; waiting up to 1m 00s for it to appear")
    # one more poll that finds nothing, answered before the job appears (a fixed sleep let a
    # loaded machine advance the clock before pdj had polled again)
    until(lambda: describes(emulator) >= 2, "a second describe")
    clock.advance(STEP)

    code, _, stderr = watching.finish()

    assert code == 0, stderr
    assert status_words(stderr) == ["not", "COMPLETED"]
    assert describes(emulator) >= 3


def test_an_endpoint_refusing_the_first_connection_exits_5_quickly(run_pdj):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # bound, never listening: connections are refused

        started = time.monotonic()
        result = run_pdj(
            "watch", OLD_JOB, *FAST, "--endpoint-url", f"http://127.0.0.1:{closed_port}"
        )

    assert result.returncode == 5
    assert result.stderr.startswith("pdj: error: could not connect to the endpoint")
    assert time.monotonic() - started < 15
    assert "Traceback" not in result.stderr


def test_sigint_exits_130_with_the_last_status_and_no_traceback(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-interrupted")
    watching = Watching(driven.args("--interval", "0.2"), pdj_env)
    watching.wait_for("PENDING")
    driven.next_status()
    watching.wait_for("IN_PROGRESS")

    watching.process.send_signal(signal.SIGINT)
    code, stdout, stderr = watching.finish()

    assert code == 130
    assert stderr.splitlines()[-1].startswith(
        "pdj: interrupted watching e2e-interrupted; its last status was IN_PROGRESS"
    )
    assert "Traceback" not in stderr
    assert json.loads(stdout)["dataDeletionJob"]["status"] == "IN_PROGRESS"  # the last job seen


def test_sigterm_ends_a_watch_like_ctrl_c_with_143(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-terminated")
    watching = Watching(driven.args("--interval", "0.2", "-o", "text"), pdj_env)
    watching.wait_for("PENDING")

    watching.process.send_signal(signal.SIGTERM)
    code, stdout, stderr = watching.finish()

    assert code == 143
    assert stderr.splitlines()[-1].startswith(
        "pdj: terminated (SIGTERM) watching e2e-terminated; its last status was PENDING"
    )
    assert stdout.split("\t")[:2] == ["e2e-terminated", "PENDING"]
    assert "Traceback" not in stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_live_view_restores_the_terminal(start_emulator, pdj_env, signum):
    driven = Driven(start_emulator, "e2e-live-signal")
    env = {**pdj_env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    args = driven.args("--interval", "0.2")
    child = pexpect.spawn(
        args[0], args[1:], env=env, encoding="utf-8", timeout=20, dimensions=(40, 100)
    )
    child.logfile_read = io.StringIO()
    child.expect("PENDING")
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    screen = child.logfile_read.getvalue()
    assert child.exitstatus == (130 if signum == signal.SIGINT else 143)
    assert "\x1b[?25l" in screen  # the live view hid the cursor...
    assert screen.rindex("\x1b[?25h") > screen.rindex("\x1b[?25l")  # ...and showed it again
    assert "its last status was PENDING" in ANSI.sub("", screen)
    assert "Traceback" not in screen


# -- faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terminal", "code"), [("COMPLETED", 0), ("FAILED", 1)], ids=["completed", "failed"]
)
def test_heavy_throttling_5xx_and_drops_still_end_with_the_right_code(
    start_emulator, pdj_env, terminal, code
):
    driven = Driven(start_emulator, f"e2e-faulty-{terminal.lower()}", terminal)
    driven.emulator.set_faults(throttle_rate=0.25, error_rate=0.25, drop_rate=0.2, seed=1)
    # one attempt per poll: every fault reaches the poller, which must ride it out
    env = {**pdj_env, "AWS_MAX_ATTEMPTS": "1"}

    result, stdout, stderr = watch_through(driven, env)

    assert result == code, stderr
    assert json.loads(stdout)["dataDeletionJob"]["status"] == terminal
    emulator = driven.emulator
    assert emulator.request_count(fault="throttle") > 0
    assert emulator.request_count(fault="5xx") > 0
    assert emulator.request_count(fault="drop") > 0
    assert "Traceback" not in stderr


def test_errors_past_the_grace_exit_5(run_pdj, emulator):
    emulator.set_faults(error_rate=1.0)

    started = time.monotonic()
    result = run_pdj("watch", OLD_JOB, *FAST, "--grace", "3s", env={"AWS_MAX_ATTEMPTS": "1"})

    assert result.returncode == 5
    assert time.monotonic() - started >= 3
    lines = result.stderr.splitlines()
    assert re.match(r"pdj: error: gave up after \d+s of errors \(grace 3s\); the last", lines[-2])
    assert "--grace" in lines[-1]
    assert result.stderr.count(" warning: AWS failed past every retry") == 1
    assert describes(emulator) >= 3


def test_the_endpoint_stopped_for_seconds_and_restarted_on_the_same_port(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-outage")
    emulator, port = driven.emulator, driven.emulator.port
    watching = Watching(driven.args(*FAST), pdj_env)
    watching.wait_for("PENDING")
    driven.next_status()
    watching.wait_for("IN_PROGRESS")

    emulator.stop()
    stopped = time.monotonic()
    watching.wait_for(" warning: ")
    time.sleep(max(0.0, OUTAGE - (time.monotonic() - stopped)))
    emulator.start()
    watching.wait_for("answering again after")
    driven.next_status()
    code, stdout, stderr = watching.finish()

    assert emulator.port == port
    assert code == 0, stderr
    assert json.loads(stdout)["dataDeletionJob"]["status"] == "COMPLETED"
    assert stderr.count(" warning: ") == 1  # once per streak, however many polls failed
    assert status_words(stderr)[-1] == "COMPLETED"


# -- output ------------------------------------------------------------------------------------


def test_jsonl_piped_into_jq(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-jsonl", "FAILED")
    jq = "jq -r '.status + \" \" + .observedAt'"
    command = " ".join(driven.args(*FAST, "-o", "jsonl")) + f" | {jq}"
    shell_args = ["bash", "-o", "pipefail", "-c", command]

    code, stdout, stderr = _through(driven, shell_args, pdj_env)

    assert code == 1, stderr  # pipefail: pdj's own code
    lines = stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["PENDING", "IN_PROGRESS", "FAILED"]
    assert all(line.split()[1].endswith("+00:00") for line in lines)


def _through(driven: Driven, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    watching = Watching(args, env)
    watching.wait_for("PENDING")
    driven.next_status()
    watching.wait_for("IN_PROGRESS")
    driven.next_status()
    return watching.finish()


def test_query_on_the_final_document_as_text(run_pdj, emulator):
    query = ("--query", "dataDeletionJob.numDeleted", "-o", "text")

    result = run_pdj("watch", OLD_JOB, *FAST, *query)

    assert result.returncode == 0
    assert result.stdout == "87\n"


def test_heartbeats_while_nothing_changes(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-heartbeat")
    watching = Watching(driven.args(*FAST, "--heartbeat", "0.3"), pdj_env)
    watching.wait_for("PENDING")
    watching.wait_for(" still PENDING (for ")
    watching.wait_for(" still PENDING (for ")
    driven.next_status()
    driven.next_status()

    code, _, stderr = watching.finish()

    assert code == 0
    assert status_words(stderr)[:3] == ["PENDING", "still", "still"]


def test_the_live_view_redraws_in_a_pseudo_terminal(start_emulator, pdj_env):
    driven = Driven(start_emulator, "e2e-live", num_deleted=1234)
    env = {**pdj_env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    args = driven.args("--interval", "0.2")
    child = pexpect.spawn(
        args[0], args[1:], env=env, encoding="utf-8", timeout=20, dimensions=(40, 100)
    )
    child.logfile_read = io.StringIO()
    child.expect("Next check")  # the panel is up
    child.expect("PENDING")
    driven.next_status()
    child.expect("IN_PROGRESS")  # the same panel, redrawn with the new status
    driven.next_status()
    child.expect("COMPLETED")
    child.expect(pexpect.EOF)
    child.close()
    screen = child.logfile_read.getvalue()
    text = ANSI.sub("", screen)

    assert child.exitstatus == 0
    assert "\x1b[1A" in screen and "\x1b[2K" in screen  # cursor up, erase line: redrawn in place
    for label in ("Status", "Watching", "Job age", "Last checked", "Next check"):
        assert label in text
    assert "✔ e2e-live COMPLETED · 1,234 records deleted · took 20s" in text  # the summary
    assert "Records deleted" in text  # the final panel on stdout
    assert "Traceback" not in text
