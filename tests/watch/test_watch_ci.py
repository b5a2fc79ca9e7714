"""`pdj watch` in CI: the GitHub annotations and summary, and the JUnit file, for each ending, on
a fake clock (the report's times are the watch's own)."""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

from pdj_cli.errors import ExitCode, JobNotFoundError
from tests.junit_structure import problems
from tests.watch.fakes import ARN, job, watch


def github(tmp_path: Path) -> dict[str, str]:
    return {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}


def commands(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("::")]


def test_a_failed_job_is_an_error_annotation_a_summary_row_and_a_failure(script, clock, tmp_path):
    script(job("IN_PROGRESS"), job("FAILED", failureReason="Access denied:\ns3://b, key"))
    report = tmp_path / "r.xml"

    result = watch(clock, "--junit-xml", str(report), env=github(tmp_path))

    assert result.exit_code == ExitCode.JOB_FAILED
    plain = [line for line in result.stderr.splitlines() if not line.startswith("::")]
    assert plain[-1] == "2026-05-31T17:00:15Z erase-42 FAILED: Access denied: s3://b, key"
    assert commands(result.stderr) == [
        "::error title=erase-42::erase-42 FAILED: Access denied:%0As3://b, key",
        "::notice title=pdj watch erase-42::1 job: 1 FAILED; exit 1",
    ]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("### pdj watch erase-42\n\n**1 job**: 1 FAILED · exit 1\n")
    assert "| erase-42 | FAILED | 1200 | 42m 00s | Access denied:<br>s3://b, key |" in summary
    root = ET.parse(report).getroot()
    assert problems(root) == []
    case = root.find("testsuite/testcase")
    assert case is not None
    assert (case.get("name"), case.get("time")) == ("erase-42", "2520.000")
    assert case.find("failure").get("message") == "Access denied:\ns3://b, key"
    # the report's time is the watch's own: 15 s on the fake clock
    assert root.find("testsuite").get("time") == "15.000"
    assert root.find("testsuite").get("timestamp") == "2026-05-31T17:00:00"


def test_a_timeout_is_a_warning_and_a_skipped_case(script, clock, tmp_path):
    script(job("PENDING"), job("IN_PROGRESS"), job("IN_PROGRESS"))
    report = tmp_path / "r.xml"

    result = watch(
        clock, "--timeout", "30s", "--junit-xml", str(report), "--ci", "github",
        env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")},
    )  # fmt: skip

    assert result.exit_code == ExitCode.NOT_TERMINAL
    assert commands(result.stderr) == [
        "::warning title=pdj watch erase-42::"
        "--timeout ran out with 1 job not terminal: erase-42 (IN_PROGRESS)",
        "::notice title=pdj watch erase-42::1 job: 1 IN_PROGRESS; exit 3",
    ]
    skipped = ET.parse(report).getroot().find("testsuite/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "not terminal when --timeout ran out: its last status was IN_PROGRESS"
    )


def test_ctrl_c_before_any_answer_still_writes_the_report(script, clock, tmp_path):
    script(JobNotFoundError("not yet"), job("PENDING"))
    clock.interrupt_on_sleep = 1
    report = tmp_path / "r.xml"

    result = watch(clock, "--wait-for-creation", "1m", "--junit-xml", str(report))

    assert result.exit_code == ExitCode.INTERRUPTED
    case = ET.parse(report).getroot().find("testsuite/testcase")
    assert case is not None and case.get("name") == "erase-42"
    assert case.find("skipped").get("message") == (
        "not terminal when pdj was interrupted (Ctrl-C): no status seen yet"
    )


def test_not_found_is_an_error_case_and_annotation_and_still_exit_4(script, clock, tmp_path):
    script(JobNotFoundError("no such job", code="ResourceNotFoundException"))
    report = tmp_path / "r.xml"

    result = watch(clock, "--junit-xml", str(report), env=github(tmp_path))

    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr.splitlines()[-2] == "pdj: error: no such job"
    (error,) = [line for line in commands(result.stderr) if line.startswith("::error")]
    assert error.startswith(f"::error title=erase-42%3A ResourceNotFoundException::{ARN}: ")
    case = ET.parse(report).getroot().find("testsuite/testcase/error")
    assert case is not None and case.get("type") == "ResourceNotFoundException"


def test_ci_none_and_pdj_ci_none_turn_github_mode_off(script, clock, tmp_path):
    for args, env in (
        (["--ci", "none"], github(tmp_path)),
        ([], {**github(tmp_path), "PDJ_CI": "none"}),
        ([], {"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}),  # not in Actions
    ):
        script(job("FAILED"))
        result = watch(clock, *args, env=env)
        assert result.exit_code == ExitCode.JOB_FAILED
        assert commands(result.stderr) == []
        assert not (tmp_path / "summary.md").exists()


def test_a_bad_ci_value_is_exit_2_naming_it(script, clock):
    script()
    result = watch(clock, env={"PDJ_CI": "gitlab"})
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == (
        "pdj: error: PDJ_CI is 'gitlab'; choose from auto, github, none"
    )
    result = watch(clock, "--ci", "gitlab")
    assert result.stderr.splitlines()[0] == (
        "pdj: error: --ci 'gitlab' is not a choice; choose from auto, github, none"
    )


def test_a_junit_file_that_cannot_be_created_is_exit_2_before_any_request(script, clock, tmp_path):
    describe = script(job("COMPLETED"))
    for path, says in (
        (tmp_path / "missing" / "r.xml", "does not exist"),
        (tmp_path, "is a directory"),
        (Path("/etc/hostname/r.xml"), "does not exist"),
        (Path("-"), "'-' is not a file name (stdout holds pdj's data)"),
    ):
        result = watch(clock, "--junit-xml", str(path))
        assert result.exit_code == ExitCode.USAGE
        assert result.stderr.startswith("pdj: error: invalid --junit-xml: ")
        assert says in result.stderr.splitlines()[0]
    assert describe.calls == []


def test_a_junit_report_into_a_pipe_goes_through_it(script, clock, tmp_path):
    # A target that is not a regular file (a named pipe, /dev/null, /dev/stderr) is written
    # into, not replaced by a regular file: as root, `--junit-xml /dev/null` must not.
    script(job("COMPLETED"))
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = watch(clock, "--junit-xml", str(fifo))
        assert result.exit_code == ExitCode.OK, result.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        root = ET.fromstring(os.read(reader, 65536))
    finally:
        os.close(reader)
    assert problems(root) == []
    assert root.find("testsuite/testcase").get("name") == "erase-42"


def test_errors_past_the_grace_end_the_report_as_errors(script, clock, tmp_path):
    from tests.watch.fakes import unavailable

    script(job("IN_PROGRESS"), *[unavailable() for _ in range(10)])
    report = tmp_path / "r.xml"
    result = watch(clock, "--interval", "10s", "--grace", "1m", "--junit-xml", str(report))
    assert result.exit_code == ExitCode.AWS_ERROR
    root = ET.parse(report).getroot()
    assert problems(root) == []
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["pdj.ending"] == "errors"  # as batch's wait says it: not "done"
    assert root.find("testsuite/testcase/error") is not None
