"""Every view at 60, 80, 120 and 200 columns, rendered through the one Console factory: every
value appears whole. An ARN, an S3 URI, a name or a status is on one line verbatim (the
terminal may soft-wrap it; pdj never breaks it); a free-text reason may wrap at its spaces; a
narrow layout has no stray box characters; no table line is wider than the terminal."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pytest

from pdj_cli.batch.events import (
    InputComplete,
    JobPending,
    RecordReady,
    WaitEnded,
    WaitReason,
    WaitStarted,
)
from pdj_cli.batch.records import BatchRecord, ErrorInfo, Tally
from pdj_cli.errors import ExitCode
from pdj_cli.formats import OutputFormat
from pdj_cli.poller import Observed
from pdj_cli.ui.batch_records import RecordWriter
from pdj_cli.ui.batch_view import ProgressView
from pdj_cli.ui.output import Output
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.watch_live import Dashboard, LiveView, summary
from pdj_cli.ui.watch_view import WatchState, line_console
from tests.factories import CREATED, deletion_job, job_arn
from tests.watch.fakes import FakeTime

WIDTHS = (60, 80, 120, 200)
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")
BOX = re.compile(r"[│┃━─╇╭╮╰╯┼┬┴]")

LONG_NAME = "gdpr-erasure-request-2026-05-31-customer-000123456789"
DATA = "s3://personalize-deletions-eu/requests/2026/05/31/customer-000123456789.csv"
REASON = (
    f"The input file {DATA} has no USER_ID column. Add the column and start a new deletion job."
)
ODD_STATUS = "QUEUED_FOR_REVIEW"  # a status pdj has never heard of: shown as it is, whole
NOT_FOUND_ARN = job_arn("erase-that-nobody-ever-created-2026-05-31")
BAD_INPUT = "s3://not-an-arn/but-a-uri-someone-pasted/customer-000123456789.csv"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal(width: int, **streams: Any) -> Terminal:
    return Terminal(no_color_flag=True, environ={"COLUMNS": str(width)}, **streams)


def lines_of(text: str) -> list[str]:
    return ESCAPES.sub("\n", text).splitlines()  # a cursor movement or a redraw ends a line


def collapsed(text: str) -> str:
    return " ".join(text.split())


def cell_texts(lines: list[str]) -> list[str]:
    """The text of each column of a bordered layout, its pieces joined across lines."""
    columns: dict[int, list[str]] = {}
    for line in lines:
        for index, part in enumerate(re.split(r"[│┃]", line)):
            columns.setdefault(index, []).append(part)
    return [collapsed(" ".join(parts)) for parts in columns.values()]


def assert_whole(
    text: str, width: int, whole: Iterable[str], words: Iterable[str] = (), narrow: bool = False
) -> None:
    lines = lines_of(text)
    for value in whole:
        assert any(value in line for line in lines), f"{value!r} not whole at {width}:\n{text}"
    readable = [collapsed("\n".join(lines)), *cell_texts(lines)]
    for value in words:
        assert any(collapsed(value) in piece for piece in readable), (
            f"{value!r} not whole at {width}:\n{text}"
        )
    for line in lines:
        if BOX.search(line):
            assert len(line.rstrip()) <= width, f"a bordered line wider than {width}: {line!r}"
            assert not narrow, f"box characters in a narrow layout at {width}:\n{text}"


def long_job(status: str = "FAILED", name: str = LONG_NAME, **overrides: Any):
    fields: dict[str, Any] = {"dataSource": {"dataLocation": DATA}}
    if status == "FAILED":
        fields["failureReason"] = REASON
    fields.update(overrides)
    return deletion_job(name, status, **fields)


def job_values(job) -> list[str]:
    return [job.name, job.status, job.arn]


# -- describe ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_describe_panel_keeps_every_value_whole(width: int) -> None:
    out = io.StringIO()
    job = long_job()
    Output(OutputFormat.table, terminal=terminal(width, out=out)).job(job)
    whole = [*job_values(job), DATA, job.dataset_group_arn, job.role_arn]
    # An ARN of 113 characters beside its label needs a terminal wider than 120 for a border.
    assert_whole(out.getvalue(), width, whole, [REASON], narrow=width <= 120)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_describe_panel_that_fits_keeps_its_border(width: int) -> None:
    out = io.StringIO()
    job = deletion_job("erase-42", ODD_STATUS)
    Output(OutputFormat.table, terminal=terminal(width, out=out)).job(job)
    assert_whole(out.getvalue(), width, [*job_values(job), job.role_arn])
    assert ("╭─ erase-42" in out.getvalue()) is (width >= 120)


# -- list --------------------------------------------------------------------------------------


def listed_jobs() -> list:
    return [
        long_job(),
        long_job("COMPLETED", "erase-1"),
        long_job("IN_PROGRESS", "erase-two-with-a-longer-name"),
        long_job(ODD_STATUS, "erase-3"),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_list_table_keeps_names_statuses_reasons_and_its_caption_whole(width: int) -> None:
    out = io.StringIO()
    jobs = listed_jobs()
    Output(OutputFormat.table, terminal=terminal(width, out=out)).jobs([jobs])
    whole = [value for job in jobs for value in (job.name, job.status)]
    caption = "4 jobs · ARN: arn:aws:personalize:us-east-1:123456789012:data-deletion-job/<Name>"
    assert_whole(out.getvalue(), width, [*whole, DATA, caption], [REASON], narrow=width == 60)


def test_the_list_table_is_a_table_where_it_fits() -> None:
    out = io.StringIO()
    Output(OutputFormat.table, terminal=terminal(200, out=out)).jobs([listed_jobs()])
    header = lines_of(out.getvalue())[0]
    assert header.split() == [
        "Name", "┃", "Status", "┃", "Dataset", "group", "┃", "Created", "┃",
        "Updated", "┃", "Failure", "reason",
    ]  # fmt: skip


# -- batch -------------------------------------------------------------------------------------


def batch_records() -> list[BatchRecord]:
    failed, running = long_job(), long_job("IN_PROGRESS", "erase-still-running")
    missing = ErrorInfo(
        "ResourceNotFoundException",
        f"Could not find data deletion job {NOT_FOUND_ARN} in us-east-1.",
        ExitCode.NOT_FOUND,
    )
    invalid = ErrorInfo(
        "InvalidArn",
        f"invalid data deletion job ARN '{BAD_INPUT}': it does not start with 'arn:'",
        ExitCode.USAGE,
    )
    return [
        BatchRecord(0, job=failed, subject=failed.arn),
        BatchRecord(1, job=running, subject=running.arn),
        BatchRecord(2, error=missing, subject=NOT_FOUND_ARN),
        BatchRecord(3, error=invalid, subject=BAD_INPUT),
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_batch_table_keeps_error_rows_and_uris_whole(width: int) -> None:
    out = io.StringIO()
    tally = Tally()  # in a batch, its progress view counts the records
    writer = RecordWriter(Output(OutputFormat.table, terminal=terminal(width, out=out)), tally)
    for record in batch_records():
        tally.add(record)
        writer.add(record)
    writer.finish()
    whole = [
        LONG_NAME, "FAILED", "IN_PROGRESS", "erase-still-running", "ResourceNotFoundException",
        "InvalidArn", NOT_FOUND_ARN, BAD_INPUT, DATA,
        "4 records: 1 IN_PROGRESS · 1 FAILED · 2 errors",
    ]  # fmt: skip
    assert_whole(out.getvalue(), width, whole, [REASON], narrow=width == 60)


# -- watch -------------------------------------------------------------------------------------


WATCH_NAME = LONG_NAME + "-v2-retry"  # 62 characters: wider than a 60-column panel border


def watch_view(width: int, name: str = WATCH_NAME) -> tuple[LiveView, io.StringIO]:
    clock, err = FakeTime(), io.StringIO()
    state = WatchState(name=name, started=0.0, grace=600.0)
    view = LiveView(state, clock.timekeeping(), terminal=terminal(width), stderr=err)
    job = long_job("IN_PROGRESS", name, lastUpdatedDateTime=CREATED + timedelta(minutes=1))
    with view:  # off a real terminal the live region itself draws nothing
        view.handle(Observed(value=job, at=0.0, changed=True))
    return view, err


@pytest.mark.parametrize("width", WIDTHS)
def test_the_watch_panel_keeps_the_name_and_status_whole(width: int) -> None:
    view, err = watch_view(width)
    view.console.print(Dashboard(view))
    assert_whole(err.getvalue(), width, [WATCH_NAME, "IN_PROGRESS"])
    if width >= len(WATCH_NAME) + 6:
        assert f"╭─ {WATCH_NAME} " in err.getvalue()
    else:  # too long for the border: a whole line above the panel, not a cut title
        assert lines_of(err.getvalue())[0] == WATCH_NAME


@pytest.mark.parametrize("width", WIDTHS)
def test_the_watch_summary_keeps_the_reason_whole(width: int) -> None:
    err = io.StringIO()
    line_console(terminal(width), err).print(summary(long_job(), watched=42.0))
    assert_whole(err.getvalue(), width, [LONG_NAME, "FAILED", DATA], [REASON], narrow=True)


# -- the batch progress bar --------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_progress_bar_keeps_counts_statuses_and_failures_whole(width: int) -> None:
    err = Tty()
    term = terminal(width, err=err)
    records = batch_records()
    running = long_job("IN_PROGRESS", "erase-still-running")
    with ProgressView(term.console(err)) as view:
        view.handle(InputComplete(4, 0))
        view.handle(JobPending(running))
        for record in (records[0], records[2], records[3]):
            view.handle(RecordReady(record))
        view.handle(WaitStarted(1, 15.0))
        view.handle(WaitEnded(WaitReason.FAIL_FAST, 1))
        view.handle(RecordReady(records[1]))
        view.finish()
    whole = [
        LONG_NAME, DATA, NOT_FOUND_ARN, BAD_INPUT, "ResourceNotFoundException", "3/4 terminal",
        "1 IN_PROGRESS", "1 FAILED", "2 errors",
        "3 of 4 terminal: --fail-fast stopped with 1 job still pending (as last seen)",
    ]  # fmt: skip
    assert_whole(err.getvalue(), width, whole, [REASON])


def jobs_without_reasons() -> list:
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc)
    return [
        deletion_job(
            name,
            status,
            creationDateTime=now - timedelta(seconds=ago),
            lastUpdatedDateTime=now - timedelta(seconds=ago / 2),
            failureReason=None,
        )
        for name, status, ago in (
            ("demo-bad-input-file", "PENDING", 0),
            ("demo-gdpr-erasure", "IN_PROGRESS", 25),
            ("demo-erasure-2026-10", "COMPLETED", 30 * 86400),
        )
    ]


@pytest.mark.parametrize("width", [80, 200])
def test_a_column_empty_in_every_row_gives_its_room_to_the_values(width: int) -> None:
    # No job has a failure reason: at 80 columns that empty column would wrap "25 seconds ago"
    # over two lines; where everything fits (200) it stays, so the table keeps its shape.
    out = io.StringIO()
    Output(OutputFormat.table, terminal=terminal(width, out=out)).jobs([jobs_without_reasons()])
    text = out.getvalue()
    assert "25 seconds ago" in text and "30 days ago" in text
    header = lines_of(text)[0]
    assert ("Failure" in header) is (width == 200)
    assert all(len(line) <= width for line in lines_of(text)[:-1])  # the caption is whole
