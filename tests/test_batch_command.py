"""`pdj batch` through typer's CliRunner with a fake service: formats, exit codes, stderr."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pdj_cli.batch.events import (
    InputComplete,
    JobPending,
    Polled,
    RecordReady,
    StatusChanged,
    WaitEnded,
    WaitReason,
    WaitStarted,
)
from pdj_cli.batch.items import Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.cli import app
from pdj_cli.errors import ExitCode, Terminated
from pdj_cli.formats import OutputFormat
from pdj_cli.options import AwsOptions
from pdj_cli.ui.batch_records import record_text_line
from pdj_cli.ui.batch_view import LinesView, ProgressView, make_view
from pdj_cli.ui.terminal import Terminal
from tests.batch_fakes import FakeJob, FakeService, arn_of, big_group, group_arn

runner = CliRunner()
DONE = FakeJob("done-1")
FAILED = FakeJob("broke-2", timeline=(("FAILED", 0.0),))
RUNNING = FakeJob("busy-3", timeline=(("IN_PROGRESS", 0.0),))
MISSING = arn_of("missing-4")
STDIN = f"{DONE.arn}\n# comment\n\nnot-an-arn\n{FAILED.arn}\n{MISSING}\n{RUNNING.arn}\n{DONE.arn}\n"


@pytest.fixture
def service(mocker: Any) -> FakeService:
    fake = FakeService([DONE, FAILED, RUNNING])
    mocker.patch.object(AwsOptions, "service", return_value=fake)
    return fake


def run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["batch", *args], input=stdin)


# -- usage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "no input: give job ARNs, -f FILE"),
        (("-", "--fail-fast"), "--fail-fast only applies with --wait"),
        (("-", "--timeout", "5m"), "--timeout only applies with --wait"),
        (("-", "--timeout", "5m", "--fail-fast"), "--timeout and --fail-fast only apply with"),
        (("",), "argument 1 is empty: give a data deletion job ARN"),
        ((DONE.arn, "  "), "argument 2 is blank: give a data deletion job ARN"),
    ],
)
def test_usage_errors_exit_2_before_any_request(
    service: FakeService, args: tuple[str, ...], says: str
) -> None:
    result = run(*args, stdin=STDIN)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0].startswith(f"pdj: error: {says}")
    assert result.stdout == ""
    assert service.total == 0


@pytest.mark.parametrize("option", [("--concurrency", "0"), ("--interval", "0.01")])
def test_out_of_range_options_are_typer_usage_errors(
    service: FakeService, option: tuple[str, str]
) -> None:
    result = run("-", "--wait", *option, stdin=STDIN)
    assert result.exit_code == 2
    assert result.stderr.startswith("pdj: error: invalid ")
    assert result.stderr.endswith("Try 'pdj batch --help'\n")
    assert service.total == 0


def test_an_unreadable_file_is_exit_2_and_nothing_is_sent(
    service: FakeService, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(f"{DONE.arn}\n")
    result = run(DONE.arn, "-f", str(good), "-f", str(tmp_path / "absent.txt"))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("pdj: error: cannot read ")
    assert "Traceback" not in result.stderr
    assert service.total == 0


# -- formats -------------------------------------------------------------------------------------


def test_json_lists_jobs_and_errors_in_input_order(service: FakeService) -> None:
    result = run("-", "-o", "json", stdin=STDIN)
    document = json.loads(result.stdout)
    assert list(document) == ["dataDeletionJobs", "errors"]
    assert [job["jobName"] for job in document["dataDeletionJobs"]] == [
        "done-1",
        "broke-2",
        "busy-3",
    ]
    assert [
        (e["dataDeletionJobArn"], e["error"]["code"], e["line"]) for e in document["errors"]
    ] == [
        ("not-an-arn", "InvalidArn", 4),
        (MISSING, "ResourceNotFoundException", 6),
    ]
    # Without --exit-status a FAILED job does not set the code; errors do: 2 beats 4.
    assert result.exit_code == ExitCode.USAGE
    assert service.described[DONE.arn] == 1  # the duplicate is answered once


def test_jsonl_prints_one_record_a_line(service: FakeService) -> None:
    result = run("-", "-o", "jsonl", stdin=STDIN)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 5
    assert sum(1 for r in records if "error" in r) == 2
    assert {r["status"] for r in records if "status" in r} == {"COMPLETED", "FAILED", "IN_PROGRESS"}


def test_jsonl_applies_the_query_to_each_record(service: FakeService) -> None:
    result = run(DONE.arn, FAILED.arn, "-o", "jsonl", "--query", "status")
    assert sorted(result.stdout.split()) == ['"COMPLETED"', '"FAILED"']


def test_text_prints_one_line_a_record_errors_marked(service: FakeService) -> None:
    result = run("-", "-o", "text", stdin=STDIN)
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(lines) == 5
    errors = [line for line in lines if line[1] == "ERROR"]
    assert sorted(line[2] for line in errors) == ["InvalidArn", "ResourceNotFoundException"]
    invalid = next(line for line in errors if line[0] == "not-an-arn")
    assert invalid == ["not-an-arn", "ERROR", "InvalidArn", invalid[3], "-:4"]
    assert invalid[3].startswith("invalid data deletion job ARN 'not-an-arn'")


def test_json_query_sees_the_whole_document(service: FakeService) -> None:
    result = run("-", "--query", "errors[].error.code", "-o", "text", stdin=STDIN)
    assert result.stdout.split() == ["InvalidArn", "ResourceNotFoundException"]


def test_table_ends_with_a_summary_of_counts(service: FakeService) -> None:
    result = run("-", "-o", "table", stdin=STDIN)
    assert "done-1" in result.stdout and "ResourceNotFoundException" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == "5 records: 1 IN_PROGRESS · 1 COMPLETED · 1 FAILED · 2 errors"


def test_table_names_an_error_by_its_job_name_not_the_whole_arn(service: FakeService) -> None:
    from pdj_cli.ui.batch_records import records_table

    missing = arn_of("a-job-whose-name-is-rather-long-for-a-table")
    error = ErrorInfo("ResourceNotFoundException", "gone", ExitCode.NOT_FOUND)
    record = BatchRecord(0, error=error, subject=missing)
    console = Console(width=100, record=True, no_color=True)
    console.print(records_table([record]))
    lines = console.export_text().splitlines()
    assert any(line.startswith("a-job-whose") for line in lines)
    assert not any(line.startswith("arn:") for line in lines)


# -- exit codes and stderr -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((DONE.arn, FAILED.arn), ExitCode.OK),  # statuses do not count without --exit-status
        ((DONE.arn, FAILED.arn, "--exit-status"), ExitCode.JOB_FAILED),
        ((DONE.arn, RUNNING.arn, "--exit-status"), ExitCode.NOT_TERMINAL),
        ((DONE.arn, "--exit-status"), ExitCode.OK),
        ((DONE.arn, MISSING, FAILED.arn, "--exit-status"), ExitCode.NOT_FOUND),
    ],
)
def test_exit_code(service: FakeService, args: tuple[str, ...], code: ExitCode) -> None:
    assert run(*args).exit_code == code


def test_stderr_names_each_failure_and_ends_with_a_summary(service: FakeService) -> None:
    result = run("-", stdin=STDIN)
    lines = result.stderr.splitlines()
    assert any(line.startswith("pdj: -:4: InvalidArn: ") for line in lines)
    assert "pdj: broke-2: FAILED: The input file is empty." in lines
    assert lines[-1] == (
        "pdj: 5 records: 1 IN_PROGRESS, 1 COMPLETED, 1 FAILED, 2 errors "
        "(1 duplicate input answered once)"
    )
    assert "Traceback" not in result.stderr


def test_no_credentials_is_one_error_line_not_one_per_input(service: FakeService) -> None:
    from pdj_cli.errors import AwsError

    failure = AwsError(
        "no AWS credentials found", "run `aws configure`", code="NoCredentials", configuration=True
    )
    service.failures = {job.arn: [failure] for job in (DONE, FAILED, RUNNING)}
    result = run(DONE.arn, FAILED.arn, RUNNING.arn, "-c", "1", "-o", "jsonl")
    assert result.exit_code == ExitCode.AWS_ERROR
    assert result.stderr == "pdj: error: no AWS credentials found\nhint: run `aws configure`\n"
    assert result.stdout == ""


def test_debug_reports_the_request_count(service: FakeService) -> None:
    result = run(DONE.arn, FAILED.arn, "--debug")
    assert "pdj: debug: 2 requests (DescribeDataDeletionJob 2)" in result.stderr


def test_wait_polls_until_every_job_is_terminal(mocker: Any) -> None:
    jobs = big_group(5, finish=lambda i: 0.15)
    # Time moves with the requests, not the wall clock: the first listing always sees them
    # pending, however slow the machine, and the second request sees them finished.
    served: list[FakeService] = []
    fake = FakeService(jobs, clock=lambda: 0.1 * sum(served[0].requests.values()) if served else 0)
    served.append(fake)
    mocker.patch.object(AwsOptions, "service", return_value=fake)
    result = run("--dataset-group-arn", group_arn(), "--wait", "--interval", "0.1", "-o", "jsonl")
    assert result.exit_code == ExitCode.OK
    assert [json.loads(line)["status"] for line in result.stdout.splitlines()] == ["COMPLETED"] * 5
    assert "waiting for 5 jobs to finish" in result.stderr
    assert fake.requests["describe"] == 5  # one final describe each; the polls list the group


# -- views ---------------------------------------------------------------------------------------


def test_a_text_error_line_keeps_its_fields_on_one_line() -> None:
    record = BatchRecord(
        0,
        error=ErrorInfo("InvalidArn", "bad\tline\nbreak", ExitCode.USAGE),
        subject="x y",
        origin=Origin("f.txt", 3),
    )
    assert record_text_line(record) == "x y\tERROR\tInvalidArn\tbad line break\tf.txt:3"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("fmt", "out_tty", "err_tty", "kind"),
    [
        (OutputFormat.table, True, True, ProgressView),
        (OutputFormat.json, False, True, ProgressView),  # records go to a file or a pipe
        (OutputFormat.jsonl, True, True, LinesView),  # a live bar would tangle with the records
        (OutputFormat.table, True, False, LinesView),
    ],
)
def test_the_progress_bar_is_drawn_only_where_it_helps(
    fmt: OutputFormat, out_tty: bool, err_tty: bool, kind: type
) -> None:
    out = _Tty() if out_tty else io.StringIO()
    err = _Tty() if err_tty else io.StringIO()
    view = make_view(fmt=fmt, terminal=Terminal(no_color_flag=True, out=out, err=err))
    assert type(view) is kind


def test_the_lines_view_writes_status_changes_for_ci_logs() -> None:
    stream = io.StringIO()
    view = LinesView(Terminal(err=stream))
    running = RUNNING.described(0)
    view.handle(JobPending(running))
    view.handle(WaitStarted(1, 15.0))
    failed = FakeJob("busy-3", timeline=(("FAILED", 0.0),)).described(0)
    view.handle(StatusChanged(failed, "IN_PROGRESS"))
    view.handle(RecordReady(BatchRecord(0, job=failed, subject=failed.arn)))
    assert stream.getvalue().splitlines() == [
        "pdj: waiting for 1 job to finish (polling every 15s)",
        "pdj: busy-3: IN_PROGRESS -> FAILED: The input file is empty.",
    ]
    assert view.counts.text() == "1 FAILED"


def test_a_quiet_wait_writes_a_heartbeat_line_for_ci() -> None:
    stream, now = io.StringIO(), [0.0]
    view = LinesView(Terminal(err=stream), clock=lambda: now[0], heartbeat=60.0)
    view.handle(JobPending(RUNNING.described(0)))
    for moment in (30.0, 61.0, 90.0, 125.0):
        now[0] = moment
        view.handle(Polled(1, moment))
    assert stream.getvalue().splitlines() == [
        "pdj: still waiting for 1 after 1m 01s: 1 IN_PROGRESS",
        "pdj: still waiting for 1 after 2m 05s: 1 IN_PROGRESS",
    ]


def test_errors_that_persist_are_one_line_not_one_per_job() -> None:
    stream = io.StringIO()
    view = LinesView(Terminal(err=stream))
    view.handle(WaitEnded(WaitReason.ERRORS, 2, "gave up after 600s of errors (grace 600s)"))
    for n in range(2):
        error = ErrorInfo("ThrottlingException", "gave up", ExitCode.AWS_ERROR)
        view.handle(RecordReady(BatchRecord(n, error=error, subject=arn_of(f"j{n}"))))
    assert stream.getvalue() == (
        "pdj: error: gave up after 600s of errors (grace 600s); 2 jobs reported as errors\n"
    )
    assert view.counts.errors == 2


def test_the_progress_view_shows_counts_and_names_failures() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, no_color=True)
    with ProgressView(console) as view:
        view.handle(InputComplete(3, 0))
        view.handle(RecordReady(BatchRecord(0, job=DONE.described(0), subject=DONE.arn)))
        view.handle(RecordReady(BatchRecord(1, job=FAILED.described(0), subject=FAILED.arn)))
        view.handle(JobPending(RUNNING.described(0)))
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "✗ broke-2 FAILED: The input file is empty." in drawn
    assert "2/3" in drawn
    assert "1 IN_PROGRESS, 1 COMPLETED, 1 FAILED" in drawn
    assert Counter(view.counts.statuses) == Counter({"IN_PROGRESS": 1, "COMPLETED": 1, "FAILED": 1})


# -- --fail-fast: the progress says what is true --------------------------------------------------


def _fail_fast_batch(view: LinesView | ProgressView) -> None:
    """21 inputs: 6 COMPLETED and 1 FAILED answered, 14 still IN_PROGRESS when --fail-fast stops
    the wait, their records then reported as last seen (the runner's order of events)."""
    running = [FakeJob(f"busy-{n}", timeline=(("IN_PROGRESS", 0.0),)) for n in range(14)]
    done = [FakeJob(f"done-{n}") for n in range(6)]
    view.handle(InputComplete(21, 0))
    for n, job in enumerate(done):
        view.handle(RecordReady(BatchRecord(n, job=job.described(0), subject=job.arn)))
    for job in running:
        view.handle(JobPending(job.described(0)))
    view.handle(WaitStarted(14, 15.0))
    view.handle(RecordReady(BatchRecord(6, job=FAILED.described(0), subject=FAILED.arn)))
    view.handle(WaitEnded(WaitReason.FAIL_FAST, 14))
    for n, job in enumerate(running, start=7):
        view.handle(RecordReady(BatchRecord(n, job=job.described(0), subject=job.arn)))
    view.finish()


def test_fail_fast_progress_counts_only_terminal_jobs_and_names_those_still_pending() -> None:
    screen = _Tty()
    console = Console(file=screen, force_terminal=True, width=100, no_color=True)
    with ProgressView(console) as view:
        _fail_fast_batch(view)
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", screen.getvalue())
    assert "21/21" not in drawn
    assert "stopped" in drawn and "7/21 terminal" in drawn
    end = "7 of 21 terminal: --fail-fast stopped with 14 jobs still pending (as last seen)"
    assert end in drawn
    assert "14 IN_PROGRESS, 6 COMPLETED, 1 FAILED" in drawn


def test_fail_fast_lines_end_naming_the_jobs_still_pending() -> None:
    stream = io.StringIO()
    _fail_fast_batch(LinesView(Terminal(err=stream)))
    lines = stream.getvalue().splitlines()
    assert "pdj: a job FAILED (--fail-fast): stopped waiting with 14 jobs still pending" in lines
    assert lines[-1] == (
        "pdj: 21 records: 14 IN_PROGRESS, 6 COMPLETED, 1 FAILED; "
        "7 of 21 terminal: --fail-fast stopped with 14 jobs still pending (as last seen)"
    )


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "1 duplicate input answered once"), (3, "3 duplicate inputs answered once")],
)
def test_the_duplicates_line_agrees_with_its_count(count: int, words: str) -> None:
    from pdj_cli.ui.batch_view import BatchProgress

    progress = BatchProgress()
    progress.duplicates = count
    assert progress.duplicates_line() == words


# -- inputs that name nothing, inputs too long to echo ---------------------------------------


def test_inputs_that_name_no_job_say_so_on_stderr(service: FakeService, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# nothing here\n")
    result = run("-f", str(empty), "-o", "jsonl")
    assert result.exit_code == ExitCode.OK
    assert result.stderr.splitlines()[-1] == "pdj: warning: the inputs name no data deletion job"


def test_a_huge_line_is_echoed_cut_with_its_length(service: FakeService, tmp_path: Path) -> None:
    line = DONE.arn + "x" * 5_000_000
    big = tmp_path / "big.txt"
    big.write_text(line + "\n")
    result = run("-f", str(big), "-o", "jsonl")
    assert result.exit_code == ExitCode.USAGE
    record = json.loads(result.stdout)
    assert record["dataDeletionJobArn"] == line[:256] + "…"
    assert record["inputLength"] == len(line)
    assert f"it is {len(line)} characters long" in record["error"]["message"]
    assert len(result.stdout) < 1000 and len(result.stderr) < 1000


# -- Ctrl-C and SIGTERM during --wait --------------------------------------------------------


@pytest.mark.parametrize(
    ("interrupt", "code", "says"),
    [
        (KeyboardInterrupt(), 130, "pdj: interrupted"),
        (Terminated(), 143, "pdj: terminated (SIGTERM)"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_an_interrupted_wait_prints_every_record_it_has_and_exits_130_or_143(
    mocker: Any, interrupt: KeyboardInterrupt, code: int, says: str, fmt: str
) -> None:
    fake = FakeService([DONE, RUNNING, FakeJob("busy-5", timeline=(("PENDING", 0.0),))])
    mocker.patch.object(AwsOptions, "service", return_value=fake)
    listings = 0
    list_pages = fake.iter_job_pages

    def iter_job_pages(group: Any = None) -> Any:
        nonlocal listings
        listings += 1
        if listings > 2:  # two polls of the wait have listed the group: interrupted now
            raise interrupt  # in a worker; the future hands it to the main thread
        return list_pages(group)

    fake.iter_job_pages = iter_job_pages  # type: ignore[method-assign]
    arns = [DONE.arn, RUNNING.arn, arn_of("busy-5")]
    result = run(*arns, "--wait", "--interval", "0.1", "-o", fmt)
    assert result.exit_code == code
    if fmt == "json":
        document = json.loads(result.stdout)
        assert [job["status"] for job in document["dataDeletionJobs"]] == [
            "COMPLETED",
            "IN_PROGRESS",
            "PENDING",
        ]
    else:
        assert "busy-3" in result.stdout and "busy-5" in result.stdout
        assert "3 records: 1 PENDING · 1 IN_PROGRESS · 1 COMPLETED" in result.stdout
    assert result.stderr.splitlines()[-1] == (
        f"{says}; 2 jobs not terminal, as last seen: busy-3, busy-5"
    )
    assert "Traceback" not in result.stderr
