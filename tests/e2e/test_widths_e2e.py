"""At 80 columns in a real pseudo-terminal, the installed `pdj list` and `pdj batch -o table`
show every value whole against the emulator; and `--fail-fast` off a terminal ends saying how
many jobs were still pending."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pexpect
import pytest

from pdj_cli.emulator import Emulator, Scenario, ScenarioJob
from tests.e2e.conftest import PDJ

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/erasures"
LONG_NAME = "gdpr-erasure-request-2026-05-31-customer-000123456789"
DATA = "s3://personalize-deletions-eu/requests/2026/05/31/customer-000123456789.csv"
REASON = f"The input file {DATA} has no USER_ID column."
MISSING = f"arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/nobody-made-this-job"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


def job_arn(name: str) -> str:
    return f"arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/{name}"


def scenario() -> Scenario:
    return Scenario(
        [
            ScenarioJob(
                LONG_NAME,
                GROUP,
                [("IN_PROGRESS", 0), ("FAILED", 0.01)],
                created_at=-60,
                data_location=DATA,
                failure_reason=REASON,
            ),
            ScenarioJob("erase-completed", GROUP, created_at=-60),
        ]
    )


def on_a_terminal(env: dict[str, str], *args: str) -> str:
    child = pexpect.spawn(
        PDJ[0], [*PDJ[1:], *args], env=env, encoding="utf-8", timeout=20, dimensions=(40, 80)
    )
    child.logfile_read = io.StringIO()
    child.expect(pexpect.EOF)
    child.close()
    return ESCAPES.sub("\n", child.logfile_read.getvalue())


@pytest.fixture
def pty_env(start_emulator: Callable[..., Emulator], pdj_env: dict[str, str]) -> dict[str, str]:
    emulator = start_emulator(scenario())
    return {
        **pdj_env,
        "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "NO_COLOR": "1",
    }


def whole_on_a_line(screen: str, *values: str) -> None:
    lines = screen.splitlines()
    for value in values:
        assert any(value in line for line in lines), f"{value!r} cut:\n{screen}"


def test_list_at_80_columns_keeps_names_statuses_and_the_caption_whole(pty_env):
    screen = on_a_terminal(pty_env, "list", "--dataset-group-arn", GROUP)
    caption = f"2 jobs · ARN: arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/<Name>"
    whole_on_a_line(screen, LONG_NAME, "FAILED", "erase-completed", "COMPLETED", DATA, caption)
    assert "COMPLE…" not in screen and "…" not in screen


def test_batch_table_at_80_columns_keeps_error_messages_and_uris_whole(pty_env):
    screen = on_a_terminal(pty_env, "batch", job_arn(LONG_NAME), MISSING, "-o", "table")
    whole_on_a_line(screen, LONG_NAME, "FAILED", "ResourceNotFoundException", DATA, MISSING)
    assert REASON in screen
    assert "2 records: 1 FAILED · 1 error" in screen


def test_fail_fast_off_a_terminal_ends_naming_the_jobs_still_pending(start_emulator, run_pdj):
    jobs = [
        ScenarioJob("breaks", GROUP, [("IN_PROGRESS", 0), ("FAILED", 0.3)], failure_reason="no"),
        *(ScenarioJob(f"done-{n}", GROUP) for n in range(2)),
        *(ScenarioJob(f"slow-{n}", GROUP, [("IN_PROGRESS", 0)]) for n in range(3)),
    ]
    emulator = start_emulator(Scenario(jobs))
    env = {"AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}
    args = ("batch", "--dataset-group-arn", GROUP, "--wait", "--fail-fast", "--interval", "0.1")
    result = run_pdj(*args, "-o", "json", env=env)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert "pdj: a job FAILED (--fail-fast): stopped waiting with 3 jobs still pending" in lines
    assert lines[-1] == (
        "pdj: 6 records: 3 IN_PROGRESS, 2 COMPLETED, 1 FAILED; "
        "3 of 6 terminal: --fail-fast stopped with 3 jobs still pending (as last seen)"
    )
