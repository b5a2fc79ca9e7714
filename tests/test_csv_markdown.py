"""-o csv and -o markdown: the writers of the output layer, for describe, list and batch, and
--query results turned into tables (or refused with exit 2)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.batch.items import Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo, Tally
from pdj_cli.errors import ExitCode, InvalidInputError
from pdj_cli.formats import OutputFormat
from pdj_cli.models import DeletionJob
from pdj_cli.query import compile_query
from pdj_cli.ui.batch_records import ERROR_COLUMNS, RecordWriter
from pdj_cli.ui.document import TEXT_COLUMNS
from pdj_cli.ui.markdown import JOB_COLUMNS
from pdj_cli.ui.output import Output
from pdj_cli.ui.tabular import column_names, flat_fields, query_rows
from pdj_cli.ui.terminal import Terminal
from tests.factories import deletion_job, job_arn


def output(fmt: str, query: str | None = None) -> tuple[Output, io.StringIO]:
    out = io.StringIO()
    return Output(OutputFormat(fmt), compile_query(query), Terminal(out=out)), out


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def unescaped_cells(line: str) -> list[str]:
    """A GFM table row split at its unescaped pipes (the outer two included)."""
    cells, current, escaped = [], "", False
    for char in line:
        if char == "|" and not escaped:
            cells.append(current)
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    cells.append(current)
    return cells[1:-1]


def batch(fmt: str, records: list[BatchRecord], query: str | None = None) -> str:
    renderer, out = output(fmt, query)
    tally = Tally()  # the progress view counts, in a batch
    writer = RecordWriter(renderer, tally)
    for record in records:
        tally.add(record)
        writer.add(record)
    writer.finish()
    return out.getvalue()


NOT_FOUND = ErrorInfo("ResourceNotFoundException", "no such job, sorry", ExitCode.NOT_FOUND)
INVALID = ErrorInfo("InvalidArn", 'not an ARN: "x, y"', ExitCode.USAGE)


def mixed_records() -> list[BatchRecord]:
    """Three records, answered out of input order: a job, a not-found ARN, an invalid line."""
    return [
        BatchRecord(2, error=INVALID, subject="x, y", origin=Origin("jobs.txt", 7)),
        BatchRecord(0, job=deletion_job("a", status="FAILED"), subject=job_arn("a")),
        BatchRecord(1, error=NOT_FOUND, subject=job_arn("gone"), origin=Origin("argument")),
    ]


# -- csv --------------------------------------------------------------------------------------

ANY_TEXT = st.text(min_size=0, max_size=40)


@given(name=ANY_TEXT, reason=ANY_TEXT)
def test_any_text_in_a_name_or_failure_reason_reads_back_through_csv_reader(name, reason):
    job = deletion_job(status="FAILED", jobName=name or None, failureReason=reason or None)
    renderer, out = output("csv")
    renderer.job(job)
    text = out.getvalue()
    assert text.endswith("\r\n")  # RFC 4180: CRLF after every record
    rows = read_csv(text)
    assert rows[0] == list(TEXT_COLUMNS)
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["jobName"] == name and record["failureReason"] == reason
    assert record["dataDeletionJobArn"] == job.arn


def test_a_job_row_is_its_json_fields_a_missing_one_empty():
    renderer, out = output("csv")
    renderer.job(deletion_job(status="COMPLETED", numDeleted=None))
    header, row = read_csv(out.getvalue())
    record = dict(zip(header, row, strict=True))
    expected = deletion_job(status="COMPLETED", numDeleted=None).to_api()
    assert record == {column: str(expected.get(column, "")) for column in TEXT_COLUMNS}
    assert record["numDeleted"] == "" and record["failureReason"] == ""


def test_a_list_has_the_header_once_and_one_job_a_row_over_every_page():
    renderer, out = output("csv")
    pages = [[deletion_job("a"), deletion_job("b")], [deletion_job("c", status="FAILED")]]
    assert renderer.jobs(pages) == 3
    rows = read_csv(out.getvalue())
    assert rows[0] == list(TEXT_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["a", "b", "c"]
    assert rows.count(list(TEXT_COLUMNS)) == 1


def test_an_empty_list_is_the_header_alone():
    renderer, out = output("csv")
    assert renderer.jobs([[]]) == 0
    assert out.getvalue() == ",".join(TEXT_COLUMNS) + "\r\n"


def test_csv_streams_each_page_as_it_comes():
    renderer, out = output("csv")
    seen: list[str] = []

    def pages() -> Iterator[list[DeletionJob]]:
        yield [deletion_job("a")]
        seen.append(out.getvalue())  # what a `| head` has read while page two is fetched
        yield [deletion_job("b")]

    renderer.jobs(pages())
    assert [row[0] for row in read_csv(seen[0])] == ["jobName", "a"]


def test_a_batch_row_is_a_job_or_an_error_with_its_error_columns():
    rows = read_csv(batch("csv", mixed_records()))
    header = rows[0]
    assert header == [*TEXT_COLUMNS, *ERROR_COLUMNS]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    # streamed: as the records came, not in input order
    assert [record["dataDeletionJobArn"] for record in records] == [
        "x, y",
        job_arn("a"),
        job_arn("gone"),
    ]
    invalid, job, missing = records
    assert invalid["errorCode"] == "InvalidArn" and invalid["errorMessage"] == 'not an ARN: "x, y"'
    assert (invalid["source"], invalid["line"], invalid["status"]) == ("jobs.txt", "7", "")
    assert job["status"] == "FAILED" and job["errorCode"] == ""
    assert (missing["errorCode"], missing["source"], missing["line"]) == (
        "ResourceNotFoundException",
        "argument",
        "",
    )


def test_a_batch_of_nothing_is_still_a_header():
    assert read_csv(batch("csv", [])) == [[*TEXT_COLUMNS, *ERROR_COLUMNS]]


def test_a_group_that_could_not_be_listed_names_its_group():
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"
    record = BatchRecord(0, error=NOT_FOUND, group_arn=group, origin=Origin(group))
    header, row = read_csv(batch("csv", [record]))
    fields = dict(zip(header, row, strict=True))
    assert fields["datasetGroupArn"] == group and fields["dataDeletionJobArn"] == ""


def test_an_input_cut_short_gives_its_length():
    record = BatchRecord(0, error=INVALID, subject="x" * 256 + "…", input_length=9000)
    header, row = read_csv(batch("csv", [record]))
    assert dict(zip(header, row, strict=True))["inputLength"] == "9000"


# -- markdown ---------------------------------------------------------------------------------


@given(name=ANY_TEXT, reason=ANY_TEXT)
def test_no_text_in_a_name_or_failure_reason_breaks_a_markdown_row(name, reason):
    jobs = [
        deletion_job(status="FAILED", jobName=name or None, failureReason=reason or None),
        deletion_job("other"),
    ]
    renderer, out = output("markdown")
    renderer.jobs([jobs])
    lines = out.getvalue().split("\n")
    assert lines[-1] == ""  # one newline at the end, none inside a row
    lines = lines[:-1]
    assert len(lines) == 2 + len(jobs)
    for line in lines:
        assert line.startswith("|") and line.endswith("|")
        assert len(unescaped_cells(line)) == len(JOB_COLUMNS), line


def test_describe_in_markdown_is_the_job_table_with_one_row():
    renderer, out = output("markdown")
    renderer.job(deletion_job(status="FAILED"))
    lines = out.getvalue().splitlines()
    assert lines[0] == "| " + " | ".join(JOB_COLUMNS) + " |"
    assert len(lines) == 3
    cells = [cell.strip() for cell in unescaped_cells(lines[2])]
    assert cells[:2] == ["erase-42", "FAILED"]
    assert cells[3] == "42m 00s"


def test_a_batch_in_markdown_is_its_counts_then_its_records_in_input_order():
    lines = batch("markdown", mixed_records()).splitlines()
    assert lines[0] == "**3 records**: 1 FAILED, 2 errors"
    assert lines[1] == ""
    assert lines[2] == "| " + " | ".join(JOB_COLUMNS) + " |"
    rows = [[cell.strip() for cell in unescaped_cells(line)] for line in lines[4:]]
    assert [row[0] for row in rows] == ["a", job_arn("gone"), "x, y"]
    assert rows[1][1:] == [
        "error",
        "",
        "",
        "ResourceNotFoundException: no such job, sorry",
        "argument",
    ]
    assert rows[2][4:] == ['InvalidArn: not an ARN: "x, y"', "jobs.txt:7"]


def test_an_empty_batch_in_markdown_says_so_above_an_empty_table():
    assert batch("markdown", []).splitlines()[:3] == [
        "**0 records**",
        "",
        "| " + " | ".join(JOB_COLUMNS) + " |",
    ]


# -- --query ----------------------------------------------------------------------------------

DOCUMENT = {
    "dataDeletionJobs": [
        {"jobName": "a", "status": "FAILED", "numDeleted": 3, "dataSource": {"dataLocation": "s3"}},
        {"jobName": "b", "status": "COMPLETED", "done": True},
    ]
}


def rows_of(query: str, document: Any = DOCUMENT) -> tuple[list[str], list[list[str]]]:
    compiled = compile_query(query)
    table = query_rows(compiled.search(document), compiled, "csv")
    return list(table.columns), [list(row) for row in table.rows]


@pytest.mark.parametrize(
    ("query", "columns", "rows"),
    [
        (
            "dataDeletionJobs",  # objects: keys as columns, first seen first; nested joined
            ["jobName", "status", "numDeleted", "dataSourceDataLocation", "done"],
            [["a", "FAILED", "3", "s3", ""], ["b", "COMPLETED", "", "", "true"]],
        ),
        ("dataDeletionJobs[].jobName", ["jobName"], [["a"], ["b"]]),  # plain values: a column
        ("dataDeletionJobs[0].status", ["status"], [["FAILED"]]),  # one value
        ("dataDeletionJobs[0].failureReason", ["failureReason"], [[""]]),  # null: empty
        ("length(dataDeletionJobs)", ["value"], [["2"]]),  # nothing to name it after
        ("dataDeletionJobs[1]", ["jobName", "status", "done"], [["b", "COMPLETED", "true"]]),
        (
            "dataDeletionJobs[].[jobName, status]",
            ["jobName", "status"],
            [["a", "FAILED"], ["b", "COMPLETED"]],
        ),
        ("dataDeletionJobs[0].[jobName, status]", ["jobName", "status"], [["a", "FAILED"]]),
        ("dataDeletionJobs[?status=='X'].{n: jobName, s: status}", ["n", "s"], []),
        ("`{}`", [], []),  # an empty object: nothing at all, not a blank line
        ("dataDeletionJobs[?status=='X'].jobName", ["jobName"], []),
        ("dataDeletionJobs[?status=='X']", [], []),  # names nothing: no header at all
    ],
)
def test_a_query_result_with_a_table_shape_is_a_table(query, columns, rows):
    assert rows_of(query) == (columns, rows)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("@", "has a list in its field 'dataDeletionJobs'"),
        ("{names: dataDeletionJobs[].jobName}", "has a list in its field 'names'"),
        ("[dataDeletionJobs[0], dataDeletionJobs[0].jobName]", "mixes objects"),
        ("dataDeletionJobs[].[jobName, dataSource]", "list of lists holding objects"),
        ("[[`1`, `2`], [`3`]]", "needs named columns"),
    ],
)
def test_a_query_result_with_no_table_shape_is_exit_2_pointing_at_json(query, says):
    with pytest.raises(InvalidInputError) as raised:
        rows_of(query)
    assert raised.value.exit_code == ExitCode.USAGE
    assert says in raised.value.message
    assert raised.value.message.startswith("-o csv ")
    assert "-o json" in (raised.value.hint or "")


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_a_refused_query_result_prints_nothing(fmt):
    renderer, out = output(fmt, "@")  # the whole document: its jobs are a list in a field
    with pytest.raises(InvalidInputError, match=f"-o {fmt} cannot show"):
        renderer.jobs([[deletion_job()]])
    assert out.getvalue() == ""


def test_a_query_on_a_list_in_csv_holds_the_rows_for_one_table():
    renderer, out = output("csv", "dataDeletionJobs[].{name: jobName, status: status}")
    renderer.jobs([[deletion_job("a")], [deletion_job("b", status="FAILED")]])
    assert out.getvalue() == "name,status\r\na,COMPLETED\r\nb,FAILED\r\n"


def test_a_query_in_markdown_is_a_table_of_its_columns():
    renderer, out = output("markdown", "dataDeletionJobs[].{name: jobName, why: failureReason}")
    renderer.jobs([[deletion_job("a", status="FAILED", failureReason="bad | worse")]])
    assert out.getvalue().splitlines() == [
        "| name | why |",
        "| --- | --- |",
        "| a | bad \\| worse |",
    ]


def test_a_query_in_a_batch_reads_the_whole_document():
    text = batch("csv", mixed_records(), "errors[].{code: error.code, line: line}")
    assert read_csv(text) == [
        ["code", "line"],
        ["ResourceNotFoundException", ""],
        ["InvalidArn", "7"],
    ]


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ("a.b", ["b"]),
        ("a | b", ["b"]),
        ("a[*].b", ["b"]),
        ("*.b", ["b"]),
        ("a[?x].{p: q, r: s}", ["p", "r"]),
        ("a[].[b, c.d]", ["b", "d"]),
        ("a[].[b, length(c)]", None),
        ("a[0]", None),
        ("@", None),
    ],
)
def test_columns_are_named_after_the_expression_where_it_names_them(expression, names):
    assert column_names(compile_query(expression).parsed) == names


def test_nested_objects_are_flattened_in_camel_case():
    assert flat_fields({"error": {"code": "X", "detail": {"line": 3}}, "source": "-"}) == {
        "errorCode": "X",
        "errorDetailLine": 3,
        "source": "-",
    }
