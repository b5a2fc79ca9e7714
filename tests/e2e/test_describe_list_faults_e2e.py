"""The fault matrix for the one-shot commands: describe and list (across the sample big-catalog
group's three pages of 100) under throttling, 5xx and dropped connections at 20, 35 and 50%, an
outage between two pages, and faults that outlast every attempt: the installed pdj, into jq."""

from __future__ import annotations

import json
import os
import shlex
import threading
from collections.abc import Callable
from typing import Any

import pytest

from pdj_cli.emulator import BIG_GROUP_ARN, Emulator

from .conftest import PDJ, shell

pytestmark = pytest.mark.e2e

JQ = "/usr/bin/jq"
BIG_JOBS = {
    f"arn:aws:personalize:us-east-1:123456789012:data-deletion-job/catalog-purge-{i:04d}"
    for i in range(1, 251)
}
JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/catalog-purge-0137"
FAULTS = {"throttle": "throttle_rate", "5xx": "error_rate", "drop": "drop_rate"}
# Seeds whose sequences, at each rate, fault once before describe's answer and once before each
# of list's three pages, never twice in a row: every case meets its fault, and botocore's backoff
# (its jitter is not seeded) stays short. Longer runs: the cases past every attempt below.
SEEDS = {"throttle": 1571, "5xx": 211, "drop": 267}
LIST = "ListDataDeletionJobs"


def pdj(*args: str) -> str:
    return " ".join(shlex.quote(part) for part in [*PDJ, *args])


def env_for(emulator: Emulator, **extra: str) -> dict[str, str]:
    # standard mode, pdj's own ten attempts: adaptive mode's client-side rate limiter makes
    # heavy throttling slow, which is botocore's business, not pdj's
    return {
        **os.environ,
        "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url,
        "AWS_RETRY_MODE": "standard",
        **extra,
    }


def list_command(*extra: str) -> str:
    return pdj("list", "--dataset-group-arn", BIG_GROUP_ARN, "-o", "jsonl", *extra)


def when_page_answered(emulator: Emulator, page: int, action: Callable[[], None]) -> None:
    """Run `action` once the emulator has the list's `page`-th page ready, before it is sent:
    the next page's request, which cannot leave pdj before this answer arrives, sees it."""
    log = emulator._log
    record = log.record
    answered = 0

    def record_then_act(entry: dict[str, Any]) -> None:
        nonlocal answered
        record(entry)
        if entry["operation"] == LIST and entry["status"] == 200:
            answered += 1
            if answered == page:
                action()

    log.record = record_then_act  # type: ignore[method-assign]


def one_error_line(stderr: str) -> None:
    assert [line for line in stderr.splitlines() if line.startswith("pdj: error:")], stderr
    assert len([line for line in stderr.splitlines() if line.startswith("pdj: ")]) == 1, stderr
    assert "Traceback" not in stderr


# -- 20, 35 and 50% of the requests failing: ridden out inside botocore's ten attempts ----------


@pytest.mark.parametrize("rate", [0.2, 0.35, 0.5])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_describe_under_faults_gives_the_job(
    start_emulator: Callable[..., Emulator], fault: str, rate: float
) -> None:
    emulator = start_emulator()
    emulator.set_faults(**{FAULTS[fault]: rate, "seed": SEEDS[fault]})
    result = shell(
        f"{pdj('describe', JOB)} | {JQ} -c '.dataDeletionJob | [.dataDeletionJobArn, .status]'",
        env_for(emulator),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0] == JOB
    assert result.stderr == ""
    assert emulator.request_count(fault=fault) == 1  # the fault did happen


@pytest.mark.parametrize("rate", [0.2, 0.35, 0.5])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_list_under_faults_gives_every_job_once(
    start_emulator: Callable[..., Emulator], fault: str, rate: float
) -> None:
    emulator = start_emulator()
    emulator.set_faults(**{FAULTS[fault]: rate, "seed": SEEDS[fault]})
    result = shell(f"{list_command()} | {JQ} -r .dataDeletionJobArn", env_for(emulator))
    assert result.returncode == 0, result.stderr
    arns = result.stdout.splitlines()
    assert len(arns) == 250 and set(arns) == BIG_JOBS  # no page lost, none repeated
    assert result.stderr == ""
    assert emulator.request_count(LIST, fault="none") == 3
    assert emulator.request_count(LIST, fault=fault) == 3  # one before each page


# -- an outage between two pages ----------------------------------------------------------------


def test_an_emulator_restarted_between_two_pages_costs_only_time(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator()
    held = threading.Event()

    def slow_down() -> None:  # page 2's request is then held in the emulator until the stop
        emulator.set_faults(latency=60.0)
        injector = emulator._injector
        decide = injector.decide

        def decide_then_tell() -> Any:  # the request has arrived: its wait starts now
            decision = decide()
            held.set()
            return decision

        injector.decide = decide_then_tell  # type: ignore[method-assign]

    when_page_answered(emulator, 1, slow_down)
    env = env_for(emulator)
    outcome: list[Any] = []
    listing = threading.Thread(
        target=lambda: outcome.append(shell(f"{list_command()} | {JQ} -r .dataDeletionJobArn", env))
    )
    listing.start()
    # Page 2's request has arrived and is held: in flight. (A 0.3 s sleep guessed it, and a
    # 1 s hold could end before a loaded test thread stopped the emulator.)
    assert held.wait(30)
    emulator.stop()  # page 2's connection closed unanswered, then refused
    emulator.set_faults(latency=0.0)
    emulator.start()  # the same port; the next-page token is still good
    listing.join(60)
    result = outcome[0]
    assert result.returncode == 0, result.stderr
    arns = result.stdout.splitlines()
    assert len(arns) == 250 and set(arns) == BIG_JOBS
    assert result.stderr == ""
    statuses = [entry["status"] for entry in emulator.requests if entry["operation"] == LIST]
    assert statuses == [200, None, 200, 200]  # page 2 cut unanswered by the stop, then asked again


# -- faults that outlast every attempt: exit 5, one line, never a partial listing with 0 -------


def test_describe_past_every_attempt_is_exit_5_with_one_line(
    start_emulator: Callable[..., Emulator],
) -> None:
    emulator = start_emulator()
    emulator.set_faults(error_rate=1.0, seed=1)
    result = shell(pdj("describe", JOB), env_for(emulator, AWS_MAX_ATTEMPTS="3"))
    assert result.returncode == 5
    assert result.stdout == ""
    one_error_line(result.stderr)
    assert emulator.request_count("DescribeDataDeletionJob") == 3


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("output", ["json", "jsonl"])
def test_list_failing_after_the_first_page_is_exit_5_never_a_short_list_with_0(
    start_emulator: Callable[..., Emulator], fault: str, output: str
) -> None:
    emulator = start_emulator()
    when_page_answered(emulator, 1, lambda: emulator.set_faults(**{FAULTS[fault]: 1.0}))
    command = pdj("list", "--dataset-group-arn", BIG_GROUP_ARN, "-o", output)
    result = shell(command, env_for(emulator, AWS_MAX_ATTEMPTS="3"))
    assert result.returncode == 5, result.stderr
    one_error_line(result.stderr)
    if output == "json":  # one document: all of it or nothing
        assert result.stdout == ""
    else:  # jsonl streams: the first page went out as it came, the failure is the exit code
        lines = [json.loads(line)["dataDeletionJobArn"] for line in result.stdout.splitlines()]
        assert len(lines) == 100 and set(lines) < BIG_JOBS
