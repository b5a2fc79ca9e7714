"""Random command lines drawn from the real option table end in a documented exit code.

Never a traceback, never exit 70: every value a user can type is either served or refused with
a `pdj: error:` line. The lines run in-process through the console script's own entry, against
an in-process emulator, so no request can leave this machine.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdj_cli.emulator import DEMO_FAILING_JOB_ARN, DEMO_JOB_ARN, Emulator
from pdj_cli.entry import main
from pdj_cli.errors import ExitCode
from pdj_cli.option_table import SHARED_OPTIONS

DOCUMENTED = {code.value for code in ExitCode} - {ExitCode.INTERNAL.value}
GROUP = DEMO_JOB_ARN.split(":data-deletion-job/")[0] + ":dataset-group/demo"

_emulator = Emulator()


@pytest.fixture(scope="module", autouse=True)
def emulator() -> Iterator[Emulator]:
    with _emulator:
        yield _emulator


texts = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
# What a user might give each shared option: good values, near misses and junk.
VALUES = {
    "profile": st.sampled_from(["no-such-profile", ""]) | texts,
    "region": st.sampled_from(["us-east-1", "eu-west-1", "us east", "x" * 70, ""]) | texts,
    "endpoint_url": st.sampled_from(
        ["EMULATOR", "notaurl", "", "ftp://x", "http://[::1", "http://127.0.0.1:99999"]
    ),
    "output": st.sampled_from(["json", "JSONL", "text", "table", "yaml", ""]) | texts,
    "query": st.sampled_from(
        ["dataDeletionJob.status", "dataDeletionJobs[].jobName", "a.", "[", "`x`", "@"]
    )
    | texts,
}
ARNS = (
    st.sampled_from(
        [DEMO_JOB_ARN, DEMO_FAILING_JOB_ARN, DEMO_JOB_ARN + "-missing", GROUP, "", " ", "arn:aws:"]
    )
    | texts
)
DURATIONS = st.sampled_from(["0.1", "1s", "1e9", "-1", "5x", "", "0"]) | texts


@st.composite
def shared_options(draw: st.DrawFn) -> list[str]:
    words: list[str] = []
    for option in draw(st.lists(st.sampled_from(SHARED_OPTIONS), max_size=4)):
        flag = draw(st.sampled_from(option.flags))
        if not option.takes_value:
            words.append(flag)
            continue
        value = draw(VALUES[option.name])
        if value == "EMULATOR":
            value = _emulator.endpoint_url
        if draw(st.booleans()) and flag.startswith("--"):
            words.append(f"{flag}={value}")
        else:
            words += [flag, value]
    return words


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[str, list[str]]:
    command = draw(st.sampled_from(["describe", "list", "watch", "batch"]))
    own: list[str] = []
    if command in ("describe", "watch"):
        own.append(draw(ARNS))
    if command == "describe" and draw(st.booleans()):
        own.append("--exit-status")
    if command == "list" and draw(st.booleans()):
        own += ["--dataset-group-arn", draw(ARNS)]
    if command == "list" and draw(st.booleans()):
        own += ["--status", draw(st.sampled_from(["failed", "QUEUED", "in progress", ""]))]
    if command == "batch":
        own += draw(st.lists(ARNS, max_size=3))
        if draw(st.booleans()):
            own += ["--wait", "--interval", draw(DURATIONS), "--timeout", "1"]
    if command == "watch":
        own += ["--interval", draw(DURATIONS)]
        own += ["--interval", "0.1", "--timeout", "1"]  # the last one wins: bounded in time
    before = draw(shared_options())
    after = draw(shared_options())
    return command, [*before, command, *own, *after]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(line=command_lines())
def test_any_command_line_ends_in_a_documented_exit_code(line, capsys, monkeypatch):
    command, argv = line
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", _emulator.endpoint_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    loggers = [logging.getLogger(name) for name in ("botocore", "urllib3")]
    saved = [(log.level, list(log.handlers), log.propagate) for log in loggers]
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:  # --debug turns the wire log on for the process: leave it as it was
        for log, (level, handlers, propagate) in zip(loggers, saved, strict=True):
            log.setLevel(level)
            log.handlers[:] = handlers
            log.propagate = propagate
    err = capsys.readouterr().err
    assert code in DOCUMENTED, (argv, code, err)
    assert "bug in pdj" not in err, (argv, err)
    if "--debug" not in argv:  # --debug shows tracebacks on purpose
        assert "Traceback" not in err, (argv, err)
    if code == ExitCode.USAGE and command != "batch":  # a batch's bad input is an error record
        assert any(line.startswith("pdj: error: ") for line in err.splitlines()), (argv, err)
