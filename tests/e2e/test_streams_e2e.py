"""Closed pipes and streams: the installed pdj under real shell redirections, against the emulator.

A reader that stops (`| head -1`, `| true`) is a quiet 0. Output that cannot be written (stdout
closed with `>&-`, a full disk `> /dev/full`) is exit 74 with one line on stderr, never 70 (a bug)
or 1 (a FAILED job). With stderr closed (`2>&-`) the exit code is still the documented one.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest

from tests.e2e.conftest import PDJ

pytestmark = pytest.mark.e2e

JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/demo-erasure-2026-10"
MISSING = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/never-created"
GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/retail"
PDJ_COMMAND = " ".join(shlex.quote(part) for part in PDJ)


def status_of(line: str, env: dict[str, str]) -> tuple[int, str]:
    """Run `line` (with `pdj` in it) in bash; pdj's own exit status and what stderr got."""
    command = line.replace("pdj ", f"{PDJ_COMMAND} ", 1) if line != "pdj" else PDJ_COMMAND
    result = subprocess.run(
        ["bash", "-c", f'{command}; echo "rc=${{PIPESTATUS[0]}}"'],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    last = result.stdout.splitlines()[-1]
    return int(last.removeprefix("rc=")), result.stderr


@pytest.fixture
def arn_file(tmp_path):
    path = tmp_path / "arns.txt"
    path.write_text(f"{JOB}\n{MISSING}\n# a comment\n")
    return path


@pytest.mark.parametrize(
    "line",
    [
        "pdj --help | true",
        "pdj --version | true",
        "pdj describe --help | true",
        f"pdj describe {JOB} -o table | head -1",
        f"pdj list --dataset-group-arn {GROUP} -o table | head -1",
        f"pdj list --dataset-group-arn {GROUP} -o jsonl | head -1",
        "pdj batch -f FOUND -o table | head -1",
        "pdj batch -f FOUND -o jsonl | true",
    ],
)
def test_a_reader_that_stops_is_a_quiet_success(line, pdj_env, tmp_path):
    # Only jobs that exist: whether pdj or the reader finishes first is up to the scheduler, and
    # either way the answer must be 0 with nothing on stderr.
    found = tmp_path / "found.txt"
    found.write_text(f"{JOB}\n{JOB}\n")
    code, stderr = status_of(line.replace("FOUND", str(found)), pdj_env)
    assert code == 0, stderr
    assert "Traceback" not in stderr and "pdj: error" not in stderr


@pytest.mark.parametrize("fmt", ["table", "jsonl", "json", "text"])
def test_a_reader_gone_before_pdj_writes_wins_over_an_error_record(fmt, pdj_env, arn_file):
    """The reader closes its end before pdj starts, so pdj's first write is certain to fail:
    exit 0 (the reader chose to stop), even though the batch alone would be 4."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [*PDJ, "batch", "-f", str(arn_file), "-o", fmt],
            env=pdj_env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "pdj: error" not in result.stderr


@pytest.mark.parametrize("target", [">&-", "> /dev/full"])
@pytest.mark.parametrize(
    "line",
    [
        f"pdj describe {JOB}",
        f"pdj describe {JOB} --debug",  # typer's path, not the fast path
        f"pdj list --dataset-group-arn {GROUP} -o jsonl",
        f"pdj list --dataset-group-arn {GROUP} -o table",
        "pdj batch -f ARNS",
        "pdj batch -f ARNS -o jsonl",
        "pdj --help",
        "pdj --version",
    ],
)
def test_output_that_cannot_be_written_is_exit_74_with_one_line(line, target, pdj_env, arn_file):
    code, stderr = status_of(f"{line.replace('ARNS', str(arn_file))} {target}", pdj_env)
    assert code == 74, stderr
    errors = [text for text in stderr.splitlines() if text.startswith("pdj: error:")]
    assert len(errors) == 1
    reason = "standard output is closed" if target == ">&-" else "No space left on device"
    assert reason in errors[0]
    assert "bug" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("pdj describe not-an-arn", 2),
        ("pdj describe", 2),
        (f"pdj describe {MISSING}", 4),
        (f"pdj describe {MISSING} --debug", 4),
        (f"pdj list --dataset-group-arn {GROUP} -o yaml", 2),
        (f"pdj batch {MISSING}", 4),
        (f"pdj describe {JOB}", 0),
    ],
)
def test_with_stderr_closed_the_exit_code_is_still_the_documented_one(line, code, pdj_env):
    assert status_of(f"{line} > /dev/null 2>&-", pdj_env)[0] == code


def on_a_terminal(args: list[str], env: dict[str, str], columns: int) -> tuple[int, str]:
    import io

    import pexpect

    child = pexpect.spawn(
        PDJ[0], [*PDJ[1:], *args], env=env, encoding="utf-8", timeout=20, dimensions=(50, columns)
    )
    child.logfile_read = io.StringIO()
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.logfile_read.getvalue()


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
def test_on_a_terminal_a_usage_error_is_plain_and_help_has_no_type_labels(pdj_env, columns):
    env = {**pdj_env, "TERM": "xterm-256color", "COLUMNS": str(columns)}
    code, screen = on_a_terminal(["-o", "json", "describe", JOB, "--version"], env, columns)
    assert code == 2
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines == [
        "pdj: error: --version is an option of pdj itself, not of 'pdj describe': "
        "run 'pdj --version'",
        "Try 'pdj describe --help'",
    ]
    code, screen = on_a_terminal(["watch", "--help"], env, columns)
    assert code == 0
    screen = re.sub(r"\x1b\[[0-9;]*m", "", screen)
    assert "Usage: pdj watch [OPTIONS] ARN" in screen
    for label in ("<bool>", "<str>", "{ARN}", "default: True"):
        assert label not in screen
