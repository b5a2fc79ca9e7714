"""The bad-input corpus, end to end: every bad ARN, option value and file is exit 2 with a
message naming the problem, and the emulator's request log stays empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from pdj_cli.cli import app
from pdj_cli.completion.spec import describe_cli
from pdj_cli.emulator import DEMO_JOB_ARN, Emulator

pytestmark = pytest.mark.e2e

GROUP = DEMO_JOB_ARN.split(":data-deletion-job/")[0] + ":dataset-group/demo"
JOB = DEMO_JOB_ARN

# (what is wrong, the text, a word the message must hold)
BAD_ARNS = [
    ("empty", "", "empty"),
    ("whitespace", "   ", "whitespace"),
    ("a space inside", JOB.replace("demo-", "demo "), "whitespace"),
    ("a tab inside", JOB.replace("demo-", "demo\t"), "whitespace"),
    ("a line break inside", JOB.replace("demo-", "demo\n"), "line break"),
    ("a wrong partition", JOB.replace("arn:aws:", "arn:amazon:"), "partition"),
    ("another service", JOB.replace(":personalize:", ":s3:"), "service"),
    ("another resource type", JOB.replace("data-deletion-job", "dataset-import-job"), "not a"),
    ("a dataset group", GROUP, "dataset group"),
    ("over-long", JOB + "x" * 300, "characters long"),
    ("a bad region", JOB.replace("us-east-1", "us-" + "a" * 70 + "-1"), "region"),
    ("a bad account", JOB.replace("123456789012", "12345"), "account"),
    ("non-ASCII", JOB.replace("demo", "démo"), "name"),
    ("truncated", JOB.split(":data-deletion-job")[0], "truncated"),
    ("a bare name", "erase-42", "name"),
    ("a control character", JOB + "\x07", "control character"),
]

# A bad value for every option that takes one; test_every_option_is_in_the_corpus keeps it so.
BAD_VALUES = {
    "--interval": ("soon", "soon"),
    "--timeout": ("-1", "-1"),
    "--grace": ("a while", "a while"),
    "--heartbeat": ("5 minutes", "5 minutes"),
    "--wait-for-creation": ("1e9", "1e9"),
    "--concurrency": ("0", "--concurrency"),
    "--status": ("in progress", "in progress"),
    "--output": ("yaml", "yaml"),
    "--query": ("a.", "a."),
    "--profile": ("no-such-profile", "no-such-profile"),
    "--region": ("us east", "us east"),
    "--endpoint-url": ("notaurl", "notaurl"),
    "--file": ("/nonexistent/arns.txt", "/nonexistent/arns.txt"),
    "--dataset-group-arn": ("shop", "shop"),
    "--ci": ("gitlab", "gitlab"),
    "--junit-xml": ("/nonexistent/report.xml", "/nonexistent"),
    "--data-location": ("https://erasures/x.csv", "https://erasures/x.csv"),
    "--role-arn": ("arn:aws:iam::123456789012:user/alice", "user/alice"),
    "--job-name": ("has space", "has space"),
    "--request-id": ("semi;colon", "semi;colon"),
    "--tag": ("team", "team"),
    "--wait-for-slot": ("soon", "soon"),
}
BASE = {
    "describe": ["describe", JOB],
    "list": ["list", "--region", "us-east-1"],
    "watch": ["watch", JOB, "--timeout", "1"],
    "batch": ["batch", JOB, "--wait", "--timeout", "1"],
    "create": [
        "create",
        "--dataset-group-arn",
        GROUP,
        "--data-location",
        "s3://erasures/x.csv",
        "--role-arn",
        "arn:aws:iam::123456789012:role/PersonalizeDeletion",
        "--yes",
        "--wait",
        "--timeout",
        "1",
    ],
}


def _options_taking_values() -> list[tuple[str, str]]:
    cli = describe_cli(get_command(app))
    return [
        (command.name, option.long_names[0])
        for command in cli.commands
        if command.name in BASE
        for option in command.options
        if option.values is not None
    ]


def test_every_option_is_in_the_corpus() -> None:
    assert {name for _, name in _options_taking_values()} <= set(BAD_VALUES)


def _refused(result: Any, emulator: Emulator, named: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "pdj: error: " in result.stderr, result.stderr
    assert named in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr and "bug in pdj" not in result.stderr
    assert emulator.request_count() == 0


@pytest.mark.parametrize(("command", "option"), _options_taking_values())
def test_a_bad_value_for_any_option_is_exit_2_naming_it(
    emulator: Emulator, run_pdj: Callable[..., Any], command: str, option: str
) -> None:
    value, named = BAD_VALUES[option]
    _refused(run_pdj(*BASE[command], option, value), emulator, named)


@pytest.mark.parametrize(("what", "text", "named"), BAD_ARNS, ids=[case[0] for case in BAD_ARNS])
@pytest.mark.parametrize("command", ["describe", "watch"])
def test_a_bad_arn_argument_is_exit_2_naming_the_problem(
    emulator: Emulator, run_pdj: Callable[..., Any], command: str, what: str, text: str, named: str
) -> None:
    _refused(run_pdj(command, text), emulator, named)


def test_every_bad_line_of_a_batch_is_an_invalid_arn_record_and_nothing_is_sent(
    emulator: Emulator, run_pdj: Callable[..., Any], tmp_path: Path
) -> None:
    # Blank and whitespace-only lines are skipped in files; every other bad line is a record.
    lines = [text for what, text, _ in BAD_ARNS if text.strip() and "\n" not in text]
    arns = tmp_path / "bad.txt"
    arns.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    result = run_pdj("batch", "-f", str(arns), "-o", "jsonl")
    assert result.returncode == 2
    import json

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(lines)
    assert {record["error"]["code"] for record in records} == {"InvalidArn"}
    assert [record["line"] for record in records] == list(range(1, len(lines) + 1))
    assert emulator.request_count() == 0


@pytest.mark.parametrize(
    ("what", "content", "named"),
    [
        ("binary", b"\x00\x01\x02\xff\xfe" * 20, "text"),
        ("a NUL inside a line", (JOB + "\x00x\n").encode(), "NUL"),
        ("UTF-16 without a BOM", JOB.encode("utf-16-le"), "text"),
        ("Latin-1", ("# r\xe9sum\xe9\n" + JOB + "\n").encode("latin-1"), "UTF-8"),
    ],
)
def test_a_file_that_is_not_text_is_exit_2_before_any_request(
    emulator: Emulator,
    run_pdj: Callable[..., Any],
    tmp_path: Path,
    what: str,
    content: bytes,
    named: str,
) -> None:
    path = tmp_path / "arns.txt"
    path.write_bytes(content)
    _refused(run_pdj("batch", "-f", str(path)), emulator, str(path))
    assert named in run_pdj("batch", "-f", str(path)).stderr


def test_a_directory_given_as_a_file_is_exit_2(
    emulator: Emulator, run_pdj: Callable[..., Any], tmp_path: Path
) -> None:
    _refused(run_pdj("batch", "-f", str(tmp_path)), emulator, str(tmp_path))
