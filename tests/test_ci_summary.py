"""The step summary: heading, counts, ui/markdown's table, and GitHub's 1 MiB limit."""

from __future__ import annotations

import re

import pytest

from pdj_cli.batch.items import Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.ci.summary import SUMMARY_LIMIT, counts_line, counts_text, step_summary
from pdj_cli.errors import ExitCode
from pdj_cli.ui.markdown import JOB_COLUMNS, record_row, table
from tests.factories import deletion_job, job_arn

NOT_FOUND = ErrorInfo("ResourceNotFoundException", "no such job", ExitCode.NOT_FOUND)


def job_record(index: int, name: str, status: str = "COMPLETED", **overrides) -> BatchRecord:
    job = deletion_job(name, status, **overrides)
    return BatchRecord(index, job=job, subject=job.arn)


def error_record(index: int, subject: str, line: int = 3) -> BatchRecord:
    return BatchRecord(index, error=NOT_FOUND, subject=subject, origin=Origin("arns.txt", line))


def mixed() -> list[BatchRecord]:
    return [
        job_record(0, "done-1"),
        job_record(1, "broke-1", "FAILED", failureReason="a | b\nc"),
        error_record(2, job_arn("gone")),
        job_record(3, "busy-1", "IN_PROGRESS"),
    ]


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def test_the_summary_is_a_heading_the_counts_and_the_markdown_table():
    records = mixed()
    text = step_summary("pdj batch", records, SUMMARY_LIMIT, exit_code=4)
    assert text is not None
    assert text.startswith(
        "### pdj batch\n\n**4 records**: 1 IN_PROGRESS, 1 COMPLETED, 1 FAILED, 1 error · exit 4\n"
    )
    # exactly the table `-o markdown` prints (pdj_cli.ui.markdown), rows in input order
    expected = list(table(JOB_COLUMNS, [record_row(record) for record in records]))
    assert table_lines(text) == expected
    assert "not shown" not in text


def test_error_rows_carry_their_code_and_input_line():
    text = step_summary("pdj batch", [error_record(0, job_arn("gone"), line=17)], SUMMARY_LIMIT)
    assert text is not None
    row = table_lines(text)[-1]
    cells = [cell.strip() for cell in row.strip("|").split(" | ")]
    assert cells[0] == job_arn("gone")
    assert cells[1] == "error"
    assert cells[4] == "ResourceNotFoundException: no such job"
    assert cells[5] == "arns.txt:17"


def test_a_failure_reason_with_a_pipe_and_a_newline_stays_one_row():
    text = step_summary("pdj batch", mixed(), SUMMARY_LIMIT)
    assert text is not None
    failed = [line for line in table_lines(text) if "broke-1" in line]
    assert len(failed) == 1
    assert "a \\| b<br>c" in failed[0]
    assert len(failed[0].split(" | ")) == len(JOB_COLUMNS)


def test_lines_under_the_heading_are_escaped():
    text = step_summary("pdj *watch*", [], SUMMARY_LIMIT, notes=["<b>x</b>"])
    assert text is not None
    assert "### pdj \\*watch\\*" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text


def long_batch(count: int) -> list[BatchRecord]:
    records = []
    for index in range(count):
        if index % 500 == 7:
            records.append(job_record(index, f"broke-{index}", "FAILED"))
        elif index % 700 == 3:
            records.append(error_record(index, job_arn(f"gone-{index}"), line=index + 1))
        else:
            records.append(job_record(index, f"done-{index}", failureReason="x" * 200))
    return records


@pytest.mark.parametrize("budget", [SUMMARY_LIMIT, 40_000, 5_000])
def test_a_long_batch_is_summarised_within_the_budget(budget):
    records = long_batch(6_000)  # about 2 MB of rows in all
    text = step_summary("pdj batch", records, budget, exit_code=1)
    assert text is not None
    assert len(text.encode()) <= budget
    rows = table_lines(text)[2:]
    match = re.search(r"and (\d+) more rows not shown \(([^)]*)\)", text)
    assert match, text[-500:]
    assert int(match.group(1)) == len(records) - len(rows)
    # the telling rows come first: every error and FAILED job is shown, then COMPLETED ones
    shown = " ".join(rows)
    failed = [r for r in records if r.job is not None and r.job.status == "FAILED"]
    errors = [r for r in records if r.error is not None]
    assert all(f"| {r.job.name} | FAILED |" in shown for r in failed if r.job)
    assert all(f"| {r.subject} | error |" in shown for r in errors)
    assert "COMPLETED" in match.group(2) and "FAILED" not in match.group(2)
    # and the rows shown keep their input order
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    order = {(r.job.name if r.job else r.subject): r.index for r in records}
    assert [order[name] for name in names] == sorted(order[name] for name in names)


def test_rows_that_fit_are_all_shown_however_many():
    records = long_batch(300)
    text = step_summary("pdj batch", records, SUMMARY_LIMIT)
    assert text is not None
    assert len(table_lines(text)) == 2 + 300
    assert "not shown" not in text


def test_a_summary_whose_head_does_not_fit_is_not_written():
    assert step_summary("pdj batch", mixed(), 50) is None


def test_the_counts_say_statuses_in_their_order_then_errors():
    assert counts_text(mixed()) == "4 records: 1 IN_PROGRESS, 1 COMPLETED, 1 FAILED, 1 error"
    assert counts_text([job_record(0, "a")], "job") == "1 job: 1 COMPLETED"
    assert counts_text([]) == "0 records"


def test_the_summary_counts_read_as_the_markdown_formats_counts():
    assert counts_line(mixed(), "record", 4) == (
        "**4 records**: 1 IN_PROGRESS, 1 COMPLETED, 1 FAILED, 1 error · exit 4"
    )
    assert counts_line([], "job", None) == "**0 jobs**"


@pytest.mark.parametrize("short_by", [0, 1, 2, 600])
def test_a_summary_never_takes_more_than_its_budget(short_by):
    records = mixed()
    whole = step_summary("pdj batch", records, SUMMARY_LIMIT)
    assert whole is not None
    budget = len(whole.encode()) - short_by
    text = step_summary("pdj batch", records, budget)
    if text is not None:
        assert len(text.encode()) <= budget
    assert (text == whole) == (short_by == 0)
