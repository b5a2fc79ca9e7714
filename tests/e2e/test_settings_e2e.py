"""Malformed AWS settings end to end: exit 2, one `pdj: error:` line naming the source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pdj_cli.emulator import DEMO_JOB_ARN, Emulator

pytestmark = pytest.mark.e2e

GROUP = DEMO_JOB_ARN.split(":data-deletion-job/")[0] + ":dataset-group/demo"
ARNS = "".join(f"{DEMO_JOB_ARN}-{n}\n" for n in range(50))

# (options, environment, what the message names)
BAD_SETTINGS = [
    (["--endpoint-url", "notaurl"], {}, "(--endpoint-url)"),
    (["--endpoint-url", ""], {}, "(--endpoint-url)"),
    (["--endpoint-url", "http://127.0.0.1:99999"], {}, "(--endpoint-url)"),
    (["--endpoint-url", "ftp://x"], {}, "(--endpoint-url)"),
    (["--endpoint-url", "http://[::1"], {}, "(--endpoint-url)"),
    ([], {"AWS_ENDPOINT_URL_PERSONALIZE": "notaurl"}, "(AWS_ENDPOINT_URL_PERSONALIZE)"),
    (
        [],
        {"AWS_ENDPOINT_URL_PERSONALIZE": None, "AWS_ENDPOINT_URL": "notaurl"},
        "(AWS_ENDPOINT_URL)",
    ),
    (["--region", "us east"], {}, "(--region)"),
    (["--region", "x y"], {}, "(--region)"),
    ([], {"AWS_MAX_ATTEMPTS": "abc"}, "AWS_MAX_ATTEMPTS"),
    ([], {"AWS_MAX_ATTEMPTS": "1.5"}, "AWS_MAX_ATTEMPTS"),
    ([], {"AWS_RETRY_MODE": "bogus"}, "AWS_RETRY_MODE"),
]
# Every setting against describe and batch; a few against list and watch, which share the path.
CASES = [
    *(
        (command, *setting)
        for command in (["describe", DEMO_JOB_ARN], ["batch", "-", "-o", "jsonl"])
        for setting in BAD_SETTINGS
    ),
    *(
        (command, *setting)
        for command in (
            ["list", "--dataset-group-arn", GROUP],
            ["watch", DEMO_JOB_ARN, "--interval", "0.1"],
        )
        for setting in BAD_SETTINGS[::4]
    ),
]


def _ids(value: Any) -> str:
    return " ".join(str(part) for part in value) if isinstance(value, list) else str(value)


@pytest.mark.parametrize(("command", "options", "env", "named"), CASES, ids=_ids)
def test_a_malformed_setting_is_exit_2_with_one_line_and_no_request(
    emulator: Emulator,
    run_pdj: Callable[..., Any],
    command: list[str],
    options: list[str],
    env: dict[str, str | None],
    named: str,
) -> None:
    result = run_pdj(*command, *options, env=env, input=ARNS)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("pdj: error: ") and named in lines[0]
    assert len(lines) <= 2 and all(not line.startswith("pdj: error") for line in lines[1:])
    assert "bug in pdj" not in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""  # a batch writes no record per input
    assert emulator.request_count() == 0


def test_an_arn_whose_region_botocore_would_refuse_is_exit_2(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    arn = DEMO_JOB_ARN.replace("us-east-1", "us-" + "a" * 70 + "-1")
    result = run_pdj("describe", arn)
    assert result.returncode == 2
    assert result.stderr.startswith("pdj: error: invalid data deletion job ARN")
    assert emulator.request_count() == 0
