"""`pdj emulator --background`: the README's one-line recipe returns at once, the endpoint
serves, `kill "$PDJ_EMULATOR_PID"` stops it and nothing is left behind; the --help example
works as printed on a machine with no AWS setup; suggestions name only jobs that exist."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import PDJ

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"
BIN = str(Path(PDJ[0]).parent) if len(PDJ) == 1 else str(Path(sys.executable).parent)


def bare_env(tmp_path: Path) -> dict[str, str]:
    """No AWS keys, config, region or endpoint at all: a machine that never ran `aws configure`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_") and name != "PDJ_EMULATOR_PID"
    }
    env.update(
        PATH=f"{BIN}:{env.get('PATH', '')}",
        HOME=str(tmp_path),
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def gone(pid: int) -> bool:
    """The process has exited (a zombie whose parent has not reaped it yet counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def wait_gone(pid: int, seconds: float = 30) -> bool:
    # the deadline only bounds a hang: a loaded machine may take seconds to end a process
    deadline = time.monotonic() + seconds
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def readme_recipe_line() -> str:
    lines = [line for line in README.read_text().splitlines() if "--background" in line]
    evals = [line for line in lines if line.startswith('eval "$(pdj emulator --background')]
    assert evals, "the README shows the --background recipe"
    return evals[0]


def run_bash(script: str, env: dict[str, str], timeout: float = 30):
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_background(
    env: dict[str, str], *args: str
) -> tuple[subprocess.CompletedProcess[str], int]:
    """`pdj emulator --background --port 0 ARGS`: what it printed, and the pid it exported."""
    result = subprocess.run(
        [*PDJ, "emulator", "--background", "--port", "0", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    pid = int(re.search(r"^export PDJ_EMULATOR_PID=(\d+)$", result.stdout, re.M).group(1))
    return result, pid


def test_the_readme_recipe_returns_at_once_serves_and_stops(tmp_path: Path):
    line = readme_recipe_line()
    script = f"""
started=$(date +%s%N)
{line}
echo "took_ms=$(( ($(date +%s%N) - started) / 1000000 ))"
echo "pid=$PDJ_EMULATOR_PID"
echo "endpoint=$AWS_ENDPOINT_URL_PERSONALIZE"
pdj list --dataset-group-arn arn:aws:personalize:us-east-1:123456789012:dataset-group/demo -o jsonl
"""
    result = run_bash(script, bare_env(tmp_path), timeout=20)  # a hang fails here
    assert result.returncode == 0, result.stderr
    values = dict(
        line.split("=", 1) for line in result.stdout.splitlines() if re.match(r"\w+=", line)
    )
    pid = int(values["pid"])
    try:
        assert int(values["took_ms"]) < 5000
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", values["endpoint"])
        jobs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert {job["jobName"] for job in jobs} >= {"demo-gdpr-erasure", "demo-bad-input-file"}
        # detached: its own session, so the shell's Ctrl-C and hang-up never reach it
        assert os.getsid(pid) == pid
    finally:
        stop = run_bash(f'PDJ_EMULATOR_PID={pid}; kill "$PDJ_EMULATOR_PID"', bare_env(tmp_path))
    assert stop.returncode == 0, stop.stderr
    assert wait_gone(pid)  # the port itself may be anyone's again at once: not checked


def test_the_emulator_help_example_works_as_printed_without_aws_setup(tmp_path: Path):
    env = bare_env(tmp_path)
    help_text = subprocess.run(
        [*PDJ, "emulator", "--help"], env={**env, "COLUMNS": "200"}, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in help_text.splitlines()]
    examples = [text for text in lines[lines.index("Examples") + 1 :] if text]
    examples = examples[: next(i for i, text in enumerate(examples) if "─" in text)]
    start = next(i for i, text in enumerate(examples) if "--background" in text)
    script = "\n".join(examples[start:])
    assert "kill" in script and "pdj list" in script
    result = run_bash(script + '\necho "pid=$PDJ_EMULATOR_PID"', env, timeout=20)
    assert result.returncode == 0, result.stderr
    assert "demo-gdpr-erasure" in result.stdout
    pid = int(result.stdout.rsplit("pid=", 1)[1])
    assert wait_gone(pid)


def test_background_prints_only_lines_a_shell_can_eval(tmp_path: Path):
    result, pid = start_background(bare_env(tmp_path))
    try:
        for line in result.stdout.splitlines():
            assert line.startswith(("export ", "# ")), line
        assert "export AWS_ACCESS_KEY_ID=testing" in result.stdout
        assert result.stderr == ""
    finally:
        os.kill(pid, 15)
    assert wait_gone(pid)


def test_background_reports_a_port_in_use_and_leaves_nothing(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*PDJ, "emulator", "--background", "--port", str(port)],
            env=bare_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"pdj: error: cannot serve on 127.0.0.1:{port}: ")


def test_suggestions_name_only_jobs_that_exist_when_printed(tmp_path: Path):
    group = "arn:aws:personalize:eu-west-1:111122223333:dataset-group/shop"
    scenario = tmp_path / "jobs.json"
    scenario.write_text(
        json.dumps(
            {
                "jobs": [
                    {"jobName": "old", "datasetGroupArn": group, "createdAt": -60},
                    {"jobName": "now", "datasetGroupArn": group},
                    {"jobName": "later", "datasetGroupArn": group, "createdAt": 3600},
                ]
            }
        )
    )
    env = bare_env(tmp_path)
    result, pid = start_background(env, "--scenario", str(scenario))
    try:
        suggested = re.findall(r"^# try: (.*)$", result.stdout, re.M)
        assert [command.rsplit("/", 1)[1] for command in suggested] == ["now", "old"]
        ran = run_bash(result.stdout + "\n" + "\n".join(suggested), env)
        assert ran.returncode == 0, ran.stderr  # each suggestion describes a job that exists
    finally:
        os.kill(pid, 15)
    assert wait_gone(pid)


# -- how it ends: Ctrl-C 130, SIGTERM 143, quietly, in the foreground and in the background ------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_the_emulator_ends_quietly_on_ctrl_c_with_130_and_on_sigterm_with_143(
    tmp_path: Path, signum: int, code: int
):
    log = tmp_path / "requests.jsonl"
    process = subprocess.Popen(
        [*PDJ, "emulator", "--port", "0", "--request-log", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bare_env(tmp_path),
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        lines = [process.stdout.readline()]
        while not lines[-1].startswith("# Ctrl-C"):
            assert lines[-1], lines  # EOF: the emulator ended (readline would spin forever)
            lines.append(process.stdout.readline())
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == code
    assert (stdout, stderr) == ("", "")  # no "pdj: interrupted": ending is what it is for
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1).close()


# A subreaper adopts the detached child once `pdj emulator --background` has returned, so its
# exit status can be read (Linux; elsewhere the child goes to init and its status is lost).
SUBREAPER = """
import ctypes, os, subprocess, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
out = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout
pid = int(out.split("PDJ_EMULATOR_PID=")[1].split()[0])
os.kill(pid, int(os.environ["SIGNAL"]))
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs prctl's subreaper")
def test_the_background_child_ends_on_sigterm_with_143(tmp_path: Path):
    env = {**bare_env(tmp_path), "SIGNAL": str(int(signal.SIGTERM))}
    command = [sys.executable, "-c", SUBREAPER, *PDJ, "emulator", "--background", "--port", "0"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "143"
