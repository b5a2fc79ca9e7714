"""`CiReport`, the observer of a run's end: what it writes for each outcome, what it does when a
file cannot be written, and how watch's and batch's follow loops feed it."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from pdj_cli.batch.events import RecordReady, WaitEnded, WaitReason
from pdj_cli.batch.items import Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.ci.report import CiReport, Ending, Outcome, make_report
from pdj_cli.ci.settings import CiMode, github_mode
from pdj_cli.errors import AwsError, ExitCode, Terminated
from pdj_cli.following import follow
from pdj_cli.formats import OutputFormat
from pdj_cli.models import DeletionJob
from pdj_cli.ui.output import Output
from pdj_cli.ui.terminal import Terminal
from tests.factories import deletion_job, job_arn
from tests.junit_structure import problems

NOT_FOUND = ErrorInfo("ResourceNotFoundException", "no such job", ExitCode.NOT_FOUND)


def record(index: int, job: DeletionJob) -> BatchRecord:
    return BatchRecord(index, job=job, subject=job.arn)


class Said(list[str]):
    def __call__(self, line: str) -> None:
        self.append(line)

    def commands(self, level: str) -> list[str]:
        return [line for line in self if line.startswith(f"::{level}")]


def report(tmp_path: Path, *, github: bool = True, junit: bool = True, **environ: str) -> CiReport:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), **environ}
    ticks = iter(range(0, 1000, 3))
    return CiReport(
        "pdj batch",
        github=github,
        junit_xml=tmp_path / "report.xml" if junit else None,
        environ={key: value for key, value in env.items() if value},
        write_line=Said(),
        now=lambda: datetime(2026, 12, 2, 4, 30, tzinfo=timezone.utc),
        monotonic=lambda: float(next(ticks)),
        hostname=lambda: "runner-7",
    )


def said(ci: CiReport) -> Said:
    return ci._say  # type: ignore[return-value]


def a_run(ci: CiReport) -> None:
    ci.add(record(2, deletion_job("busy", "IN_PROGRESS")))
    ci.add(record(0, deletion_job("done")))
    ci.add(record(1, deletion_job("broke", "FAILED", failureReason="bad: a,b\n::x")))
    ci.add(BatchRecord(3, error=NOT_FOUND, subject=job_arn("gone"), origin=Origin("in.txt", 4)))


def test_a_timed_out_run_writes_every_report(tmp_path: Path):
    ci = report(tmp_path)
    a_run(ci)
    assert ci.finish(Outcome(Ending.TIMEOUT, ExitCode.NOT_FOUND)) == ExitCode.NOT_FOUND
    lines = said(ci)
    assert lines == [
        "::error title=broke::broke FAILED: bad: a,b%0A::x",
        "::error title=gone%3A ResourceNotFoundException,file=in.txt,line=4::"
        f"{job_arn('gone')} (in.txt:4): ResourceNotFoundException: no such job",
        "::warning title=pdj batch::--timeout ran out with 1 job not terminal: busy (IN_PROGRESS)",
        "::notice title=pdj batch::"
        "4 records: 1 IN_PROGRESS, 1 COMPLETED, 1 FAILED, 1 error; exit 4",
    ]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith(
        "### pdj batch\n\n**4 records**: 1 IN_PROGRESS, 1 COMPLETED, 1 FAILED"
    )
    assert "--timeout ran out with 1 job not terminal: busy (IN_PROGRESS)" in summary
    rows = [line for line in summary.splitlines() if line.startswith("| ")][2:]
    assert [row.split(" | ")[0] for row in rows] == [
        "| done",
        "| broke",
        "| busy",
        f"| {job_arn('gone')}",
    ]  # input order, whatever order the records came in
    root = ET.parse(tmp_path / "report.xml").getroot()
    assert problems(root) == []
    assert {k: root[0].get(k) for k in ("tests", "failures", "errors", "skipped", "time")} == {
        "tests": "4", "failures": "1", "errors": "1", "skipped": "1", "time": "3.000",
    }  # fmt: skip
    assert root[0].get("timestamp") == "2026-12-02T04:30:00"


def test_a_second_summary_in_the_same_step_is_appended(tmp_path: Path):
    (tmp_path / "summary.md").write_text("## earlier step output")
    ci = report(tmp_path, junit=False)
    a_run(ci)
    ci.finish(Outcome(Ending.DONE, ExitCode.JOB_FAILED))
    text = (tmp_path / "summary.md").read_text()
    assert text.startswith("## earlier step output\n### pdj batch\n")


def test_without_github_mode_only_the_junit_file_is_written(tmp_path: Path):
    ci = report(tmp_path, github=False)
    a_run(ci)
    assert ci.finish(Outcome(Ending.DONE, ExitCode.JOB_FAILED)) == ExitCode.JOB_FAILED
    assert said(ci) == []
    assert not (tmp_path / "summary.md").exists()
    assert (tmp_path / "report.xml").exists()


def test_no_step_summary_file_is_one_warning_and_the_same_exit_code(tmp_path: Path):
    ci = report(tmp_path, junit=False, GITHUB_STEP_SUMMARY="")
    a_run(ci)
    assert ci.finish(Outcome(Ending.DONE, ExitCode.OK)) == ExitCode.OK
    warnings = [line for line in said(ci) if line.startswith("pdj: warning")]
    assert warnings == ["pdj: warning: GITHUB_STEP_SUMMARY is not set: no step summary written"]
    assert said(ci).commands("notice")  # the annotations are written all the same


def test_an_unwritable_step_summary_is_one_warning_and_the_same_exit_code(tmp_path: Path):
    ci = report(tmp_path, junit=False, GITHUB_STEP_SUMMARY=str(tmp_path))  # a directory
    a_run(ci)
    assert ci.finish(Outcome(Ending.DONE, ExitCode.JOB_FAILED)) == ExitCode.JOB_FAILED
    (warning,) = [line for line in said(ci) if line.startswith("pdj: warning")]
    assert warning.startswith(f"pdj: warning: could not write the step summary {tmp_path}: ")


def test_a_full_step_summary_is_left_alone_with_a_warning(tmp_path: Path):
    full = tmp_path / "summary.md"
    full.write_bytes(b"x" * (1024 * 1024 - 10))
    ci = report(tmp_path, junit=False)
    a_run(ci)
    ci.finish(Outcome(Ending.DONE, ExitCode.OK))
    assert full.stat().st_size == 1024 * 1024 - 10
    assert any("is full" in line for line in said(ci))


@pytest.mark.parametrize(
    ("code", "ends"),
    [(ExitCode.OK, ExitCode.OUTPUT_FAILED), (ExitCode.JOB_FAILED, ExitCode.JOB_FAILED)],
)
def test_a_junit_file_that_cannot_be_written_is_an_error_line(tmp_path: Path, mocker, code, ends):
    mocker.patch("os.replace", side_effect=OSError(28, "No space left on device"))
    ci = report(tmp_path, github=False)
    a_run(ci)
    assert ci.finish(Outcome(Ending.DONE, code)) == ends
    assert said(ci) == [
        f"pdj: error: could not write the JUnit report {tmp_path / 'report.xml'}: "
        "No space left on device"
    ]


def test_a_run_stopped_by_an_error_has_it_as_a_test_case_and_an_error(tmp_path: Path):
    ci = report(tmp_path)
    ci.add(record(0, deletion_job("done")))
    stopped = ErrorInfo("EndpointConnectionError", "could not connect", ExitCode.AWS_ERROR)
    ci.finish(Outcome(Ending.STOPPED, ExitCode.AWS_ERROR, stopped))
    cases = ET.parse(tmp_path / "report.xml").getroot().findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (deletion_job().dataset_group_arn, "done"),
        ("pdj", "pdj batch"),
    ]
    assert cases[1].find("error").get("type") == "EndpointConnectionError"
    assert (
        "::error title=pdj batch::pdj batch stopped: EndpointConnectionError: could not connect"
        in said(ci)
    )


def test_annotations_of_a_long_batch_are_capped(tmp_path: Path):
    ci = report(tmp_path, junit=False)
    for index in range(25):
        ci.add(record(index, deletion_job(f"broke-{index}", "FAILED")))
    ci.finish(Outcome(Ending.DONE, ExitCode.JOB_FAILED))
    assert len(said(ci).commands("error")) == 10
    (more,) = said(ci).commands("warning")
    assert "15 more errors are not annotated" in more


def test_an_input_with_control_characters_is_annotated_as_its_error_message_shows_it(
    tmp_path: Path,
):
    # A line of the input file holding a terminal escape: the annotation (in the CI log) shows
    # it as the plain line does, `\x1b`, never the raw character that would colour the log.
    ci = report(tmp_path, junit=False)
    invalid = ErrorInfo("InvalidArn", "invalid data deletion job ARN 'x\\x1b[31m'", ExitCode.USAGE)
    ci.add(BatchRecord(0, error=invalid, subject="x\x1b[31m", origin=Origin("in.txt", 1)))
    ci.finish(Outcome(Ending.DONE, ExitCode.USAGE))
    (error,) = said(ci).commands("error")
    assert "\x1b" not in error
    assert error == (
        "::error title=x\\x1b[31m%3A InvalidArn,file=in.txt,line=1::"
        "x\\x1b[31m (in.txt:1): InvalidArn: invalid data deletion job ARN 'x\\x1b[31m'"
    )


# -- GitHub mode: when -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "environ", "on"),
    [
        (CiMode.auto, {"GITHUB_ACTIONS": "true"}, True),
        (CiMode.auto, {}, False),
        (CiMode.auto, {"GITHUB_ACTIONS": "false"}, False),
        (CiMode.github, {}, True),
        (CiMode.none, {"GITHUB_ACTIONS": "true"}, False),
    ],
)
def test_github_mode_follows_the_option_then_the_runner(mode, environ, on):
    assert github_mode(mode, environ) is on


def test_a_report_is_made_only_when_something_is_asked_for(tmp_path: Path):
    actions = {"GITHUB_ACTIONS": "true"}
    assert make_report("pdj batch", CiMode.none, None, environ=actions) is None
    assert make_report("pdj batch", CiMode.auto, None, environ={}) is None
    # a plain batch (no --wait, no --exit-status) never reports to GitHub; JUnit asked by name
    assert make_report("pdj batch", CiMode.github, None, environ={}, waits=False) is None
    plain = make_report("pdj batch", CiMode.github, "r.xml", environ={}, waits=False)
    assert plain is not None and not plain.github and plain.junit_xml == Path("r.xml")
    waiting = make_report("pdj batch", CiMode.auto, None, environ=actions)
    assert waiting is not None and waiting.github and waiting.junit_xml is None


# -- fed by the batch's follow loop --------------------------------------------------------


class ScriptedRunner:
    """A runner whose run yields `events` and then raises `stop` (a signal, an error)."""

    def __init__(self, events: list[Any], stop: BaseException | None, pending: list[Any]):
        self.events, self.stop, self.pending = events, stop, pending
        self.left_pending: list[DeletionJob] = []
        self.unanswered = 0

    def run(self, items: object) -> Iterator[Any]:
        yield from self.events
        if self.stop is not None:
            raise self.stop

    def interrupted(self) -> Iterator[Any]:
        for event in self.pending:
            self.left_pending.append(event.record.job)
            yield event


def follow_with(tmp_path: Path, runner: ScriptedRunner) -> tuple[int, CiReport, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    renderer = Output(OutputFormat.json, terminal=Terminal(out=out, err=err, environ={}))
    ci = report(tmp_path)
    code = follow(runner, [], renderer, statuses_matter=True, report=ci)  # type: ignore[arg-type]
    return code, ci, out


def test_sigterm_during_a_wait_reports_the_pending_jobs_skipped(tmp_path: Path):
    done = RecordReady(record(0, deletion_job("done")))
    busy = RecordReady(record(1, deletion_job("busy", "IN_PROGRESS")))
    code, ci, out = follow_with(tmp_path, ScriptedRunner([done], Terminated(), [busy]))
    assert code == ExitCode.TERMINATED
    assert out.getvalue()  # the records still went to stdout
    cases = ET.parse(tmp_path / "report.xml").getroot().findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["done", "busy"]
    skipped = cases[1].find("skipped")
    assert skipped is not None and "terminated (SIGTERM)" in skipped.get("message")
    assert said(ci).commands("warning") == [
        "::warning title=pdj batch::"
        "terminated (SIGTERM) with 1 job not terminal: busy (IN_PROGRESS)"
    ]


def test_the_wait_ending_reaches_the_report(tmp_path: Path):
    busy = RecordReady(record(0, deletion_job("busy", "IN_PROGRESS")))
    events = [WaitEnded(WaitReason.TIMEOUT, 1), busy]
    code, ci, _ = follow_with(tmp_path, ScriptedRunner(events, None, []))
    assert code == ExitCode.NOT_TERMINAL
    assert said(ci).commands("warning") == [
        "::warning title=pdj batch::--timeout ran out with 1 job not terminal: busy (IN_PROGRESS)"
    ]


def test_an_error_that_stops_the_batch_is_reported_and_still_raised(tmp_path: Path):
    failure = AwsError("could not connect", code="EndpointConnectionError", configuration=True)
    with pytest.raises(AwsError):
        follow_with(tmp_path, ScriptedRunner([], failure, []))
    root = ET.parse(tmp_path / "report.xml").getroot()
    assert root.find("testsuite/testcase/error").get("type") == "EndpointConnectionError"


class ClosedOut(io.StringIO):
    """A stdout whose reader stopped (`| head -1`) or that is full: every write fails."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


@pytest.mark.parametrize(
    ("error", "code"),
    [(BrokenPipeError(32, "Broken pipe"), ExitCode.OK), (OSError(28, "No space"), 74)],
)
def test_a_stdout_closed_mid_stream_still_gets_the_report_of_what_is_known(
    tmp_path: Path, error: OSError, code: int
):
    # `pdj batch --wait -o csv | head -1` in CI: the reader stops, pdj ends quietly (0), and
    # the JUnit file and step summary still say what was known, the jobs not terminal skipped.
    done = RecordReady(record(0, deletion_job("done")))
    busy = RecordReady(record(1, deletion_job("busy", "IN_PROGRESS")))
    renderer = Output(
        OutputFormat.jsonl, terminal=Terminal(out=ClosedOut(error), err=io.StringIO(), environ={})
    )
    ci = report(tmp_path)
    runner = ScriptedRunner([done], None, [busy])
    with pytest.raises(type(error)):
        follow(runner, [], renderer, statuses_matter=True, report=ci)  # type: ignore[arg-type]
    root = ET.parse(tmp_path / "report.xml").getroot()
    assert problems(root) == []
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["done", "busy"]
    assert "output was closed" in cases[1].find("skipped").get("message")
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["pdj.exitCode"] == str(code)
    assert (tmp_path / "summary.md").read_text().startswith("### pdj batch\n")
    assert said(ci).commands("warning") == [
        "::warning title=pdj batch::"
        "stopped when its output was closed with 1 job not terminal: busy (IN_PROGRESS)"
    ]


def test_an_argument_that_is_not_utf8_is_summarised_not_a_crash(tmp_path: Path):
    # `pdj batch $'bad\xff' --wait` in Actions: Python hands the byte on as a lone surrogate,
    # which UTF-8 cannot encode; the summary shows it as its error message does.
    ci = report(tmp_path)
    message = "invalid data deletion job ARN 'bad\\\\udcff'"
    invalid = ErrorInfo("InvalidArn", message, ExitCode.USAGE)
    ci.add(BatchRecord(0, error=invalid, subject="bad\udcff", origin=Origin("argument")))
    assert ci.finish(Outcome(Ending.DONE, ExitCode.USAGE)) == ExitCode.USAGE
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| bad\\udcff | error |" in summary
    assert problems(ET.parse(tmp_path / "report.xml").getroot()) == []
    assert "::error title=bad\\udcff%3A InvalidArn::" in said(ci).commands("error")[0]
