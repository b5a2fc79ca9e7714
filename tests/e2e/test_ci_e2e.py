"""pdj in CI, end to end: the installed pdj against the emulator, in GitHub mode (the step
summary, the workflow commands) and writing JUnit XML, including when SIGTERM ends it."""

from __future__ import annotations

import os
import signal
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from pdj_cli.emulator import Emulator, ManualClock, Scenario, ScenarioJob
from tests.junit_structure import problems
from tests.test_ci_github import parse

from .conftest import PDJ

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/shop"
# A failure reason holding everything that could break or inject a workflow command.
NASTY_REASON = "100% denied: s3://b/k, retry\n::error title=x::injected"


def job_arn(name: str) -> str:
    return f"arn:aws:personalize:us-east-1:{ACCOUNT}:data-deletion-job/{name}"


def scenario() -> Scenario:
    jobs = [
        ScenarioJob("done-1", GROUP, [("COMPLETED", 0.0)], num_deleted=42, created_at=-600),
        ScenarioJob("nasty-1", GROUP, [("FAILED", 0.0)], failure_reason=NASTY_REASON),
        *(ScenarioJob(f"broke-{n}", GROUP, [("FAILED", 0.0)]) for n in range(8)),
        ScenarioJob("done-2", GROUP, [("COMPLETED", 0.0)]),
    ]
    return Scenario(jobs)


def input_file(tmp_path: Path) -> Path:
    lines = [
        job_arn("done-1"),
        job_arn("nasty-1"),
        *(job_arn(f"broke-{n}") for n in range(8)),
        job_arn("never-1"),
        job_arn("never-2"),
        "not-an-arn",
        job_arn("done-2"),
    ]
    path = tmp_path / "erasures.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(
    emulator: Emulator, args: list[str], cwd: Path, **env: str | None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}
    for name, value in env.items():
        if value is None:
            full.pop(name, None)
        else:
            full[name] = value
    return subprocess.run(
        [*PDJ, *args], env=full, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def commands(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("::")]


def plain(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("::")]


# One request at a time: the jobs are answered in input order (an invalid line, never sent, may
# still be answered before the describe in flight).
BATCH = ["batch", "-f", "erasures.txt", "--wait", "--interval", "0.2", "-o", "json", "-c", "1"]


def test_a_batch_in_github_actions(start_emulator: Callable[..., Emulator], tmp_path: Path):
    emulator = start_emulator(scenario())
    input_file(tmp_path)
    summary = tmp_path / "summary.md"
    report = tmp_path / "report.xml"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}

    result = run(emulator, [*BATCH, "--junit-xml", str(report)], tmp_path, **actions)
    without = run(emulator, BATCH, tmp_path)

    assert result.returncode == 2, result.stderr  # an invalid input outranks the rest
    assert "Traceback" not in result.stderr
    # stdout, the plain stderr lines: byte for byte as without GitHub mode. The lines are
    # compared as a multiset: an invalid line is answered when the reader reaches it, which may
    # be before or after the describe in flight, so their order is not the same run to run.
    assert result.stdout == without.stdout
    assert sorted(plain(result.stderr)) == sorted(plain(without.stderr))
    assert plain(result.stderr)[-1] == plain(without.stderr)[-1]
    assert commands(without.stderr) == []
    # the plain line of the FAILED job is one line, so it cannot start a command of its own
    assert "pdj: nasty-1: FAILED: 100% denied: s3://b/k, retry ::error title=x::injected" in (
        plain(result.stderr)
    )

    # -- workflow commands: 12 errors (9 FAILED, 3 error records), 10 annotated in input order,
    # then the count of the rest; the totals
    lines = commands(result.stderr)
    parsed = [parse(line) for line in lines]
    assert [name for name, _, _ in parsed] == ["error"] * 10 + ["warning", "notice"]
    nasty = lines[0]
    assert nasty == (
        "::error title=nasty-1::nasty-1 FAILED: 100%25 denied: s3://b/k, retry%0A"
        "::error title=x::injected"
    )
    assert parsed[0][1] == {"title": "nasty-1"}
    assert parsed[0][2] == f"nasty-1 FAILED: {NASTY_REASON}"  # read back as it was written
    assert [props["title"] for _, props, _ in parsed[1:9]] == [f"broke-{n}" for n in range(8)]
    assert parsed[9][1] == {
        "title": "never-1: ResourceNotFoundException",
        "file": "erasures.txt",
        "line": "11",
    }
    assert parsed[10][2].startswith("2 more errors are not annotated")
    assert parsed[11] == (
        "notice",
        {"title": "pdj batch"},
        "14 records: 2 COMPLETED, 9 FAILED, 3 errors; exit 2",
    )

    # -- the step summary: heading, counts, the table (ui/markdown's), in input order
    text = summary.read_text()
    assert text.startswith(
        "### pdj batch\n\n**14 records**: 2 COMPLETED, 9 FAILED, 3 errors · exit 2\n\n"
        "| Job | Status | Records deleted | Duration | Failure reason | Dataset group |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
    )
    rows = [line for line in text.splitlines() if line.startswith("| ")][2:]
    assert len(rows) == 14
    cells = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]
    assert cells[0][:3] == ["done-1", "COMPLETED", "42"]
    assert cells[1][:2] == ["nasty-1", "FAILED"]
    assert cells[1][4] == "100% denied: s3://b/k, retry<br>::error title=x::injected"
    assert cells[10] == [
        job_arn("never-1"),
        "error",
        "",
        "",
        f"ResourceNotFoundException: Could not find data deletion job {job_arn('never-1')} "
        "in us-east-1.",
        "erasures.txt:11",
    ]
    assert cells[12][:2] == ["not-an-arn", "error"]
    assert cells[12][4].startswith("InvalidArn: ")
    assert cells[12][5] == "erasures.txt:13"
    assert cells[13][:2] == ["done-2", "COMPLETED"]

    # -- the JUnit file of the same run
    root = ET.parse(report).getroot()
    assert problems(root) == []
    suite = root[0]
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "14", "failures": "9", "errors": "3", "skipped": "0",
    }  # fmt: skip
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["done-1"].get("classname") == GROUP
    assert list(cases["done-1"]) == []
    assert cases["nasty-1"].find("failure").get("message") == NASTY_REASON
    error = cases["not-an-arn"].find("error")
    assert (cases["not-an-arn"].get("classname"), error.get("type")) == (
        "erasures.txt",
        "InvalidArn",
    )
    assert "source: erasures.txt:13" in (error.text or "")
    assert cases[job_arn("never-2")].find("error").get("type") == "ResourceNotFoundException"


def test_ci_none_and_pdj_ci_none_turn_github_mode_off(
    start_emulator: Callable[..., Emulator], tmp_path: Path
):
    emulator = start_emulator(scenario())
    input_file(tmp_path)
    summary = tmp_path / "summary.md"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    for args, env in (([*BATCH, "--ci", "none"], actions), (BATCH, {**actions, "PDJ_CI": "none"})):
        result = run(emulator, args, tmp_path, **env)
        assert result.returncode == 2
        assert commands(result.stderr) == []
    assert not summary.exists()


def test_a_plain_batch_reports_to_github_only_when_told_to_wait_or_gate(
    start_emulator: Callable[..., Emulator], tmp_path: Path
):
    emulator = start_emulator(scenario())
    summary = tmp_path / "summary.md"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    report = tmp_path / "report.xml"
    failed = job_arn("broke-0")

    plain_batch = run(emulator, ["batch", failed, "--junit-xml", str(report)], tmp_path, **actions)
    assert plain_batch.returncode == 0
    assert commands(plain_batch.stderr) == [] and not summary.exists()
    assert ET.parse(report).getroot()[0].get("failures") == "1"  # asked for by name: written

    gate = run(emulator, ["batch", failed, "--exit-status"], tmp_path, **actions)
    assert gate.returncode == 1
    assert commands(gate.stderr)[0] == "::error title=broke-0::broke-0 FAILED: " + (
        "The data deletion job failed."
    )
    assert summary.read_text().startswith("### pdj batch\n\n**1 record**: 1 FAILED · exit 1")


def test_a_watch_that_times_out(start_emulator: Callable[..., Emulator], tmp_path: Path):
    emulator = start_emulator(Scenario([ScenarioJob("slow-1", GROUP, [("IN_PROGRESS", 0.0)])]))
    summary = tmp_path / "summary.md"
    report = tmp_path / "report.xml"
    args = ["watch", job_arn("slow-1"), "--timeout", "0.6", "--interval", "0.2"]

    result = run(
        emulator,
        [*args, "--junit-xml", str(report)],
        tmp_path,
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    without = run(emulator, args, tmp_path)

    assert result.returncode == 3, result.stderr
    assert result.stdout == without.stdout
    assert plain(result.stderr)[-1].startswith("pdj: timed out after 0.6s watching slow-1")
    assert commands(result.stderr) == [
        "::warning title=pdj watch slow-1::"
        "--timeout ran out with 1 job not terminal: slow-1 (IN_PROGRESS)",
        "::notice title=pdj watch slow-1::1 job: 1 IN_PROGRESS; exit 3",
    ]
    assert "| slow-1 | IN_PROGRESS |" in summary.read_text()
    root = ET.parse(report).getroot()
    assert problems(root) == []
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "not terminal when --timeout ran out: its last status was IN_PROGRESS"
    )


def test_sigterm_during_a_wait_leaves_a_whole_junit_file(
    start_emulator: Callable[..., Emulator], tmp_path: Path
):
    clock = ManualClock()
    jobs = [
        ScenarioJob("sig-done", GROUP, [("COMPLETED", 0.0)]),
        ScenarioJob("sig-busy", GROUP, [("IN_PROGRESS", 0.0)]),
    ]
    emulator = start_emulator(Scenario(jobs), clock=clock)
    report = tmp_path / "report.xml"
    env = {**os.environ, "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}
    batch = subprocess.Popen(
        [*PDJ, "batch", *(job.arn for job in jobs), "--wait", "--interval", "0.2",
         "--junit-xml", str(report)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert batch.stderr is not None
    seen = []
    while not any("waiting for" in line for line in seen):
        line = batch.stderr.readline()
        assert line, seen
        seen.append(line)
    assert not report.exists()  # written at the end, not before
    batch.send_signal(signal.SIGTERM)
    _, err = batch.communicate(timeout=30)

    assert batch.returncode == 143
    assert "Traceback" not in err
    root = ET.parse(report).getroot()  # whole: it parses
    assert problems(root) == []
    cases = root.findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == ["sig-done", "sig-busy"]
    assert list(cases[0]) == []
    skipped = cases[1].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "not terminal when pdj was terminated (SIGTERM): its last status was IN_PROGRESS"
    )
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["pdj.exitCode"] == "143"
    assert sorted(os.listdir(tmp_path)) == ["report.xml"]  # no temporary file left behind


def test_a_junit_path_that_cannot_be_written_sends_nothing(
    start_emulator: Callable[..., Emulator], tmp_path: Path
):
    emulator = start_emulator(scenario())
    result = run(
        emulator, ["batch", job_arn("done-1"), "--junit-xml", "no/such/dir/r.xml"], tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("pdj: error: invalid --junit-xml: the directory 'no/such/dir'")
    assert emulator.requests == []


@pytest.mark.parametrize(
    "args",
    [
        ["watch", job_arn("done-1"), "-o", "jsonl"],
        ["batch", "-f", "erasures.txt", "--wait", "-o", "csv", "-c", "1"],
    ],
)
def test_a_closed_stdout_still_leaves_the_junit_file_and_the_summary(
    start_emulator: Callable[..., Emulator], tmp_path: Path, args: list[str]
):
    # A streaming format whose stdout is closed (`>&-`, or a reader gone): exit 74 as always,
    # and the CI still gets the report of what was known when pdj stopped.
    emulator = start_emulator(scenario())
    input_file(tmp_path)
    summary, report = tmp_path / "summary.md", tmp_path / "report.xml"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    result = subprocess.run(
        [*PDJ, *args, "--junit-xml", str(report)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 74, result.stderr
    root = ET.parse(report).getroot()
    assert problems(root) == []
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["pdj.ending"] == "output-closed"
    assert summary.read_text().startswith(f"### pdj {args[0]}")
    assert commands(result.stderr)[-1].startswith(f"::notice title=pdj {args[0]}")
