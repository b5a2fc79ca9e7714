"""-o csv and -o markdown end to end: the installed pdj against the emulator over HTTP.

csv is read back with Python's csv module and compared with the JSON the same command prints;
markdown tables are read line by line. The jobs stand still (a ManualClock that never moves),
so the json run and the csv run see the same jobs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pdj_cli.emulator import DEMO_GROUP_ARN, Emulator, ManualClock, Scenario, ScenarioJob

from .conftest import PDJ, shell

pytestmark = pytest.mark.e2e

TEXT_COLUMNS = [
    "jobName",
    "status",
    "dataDeletionJobArn",
    "datasetGroupArn",
    "numDeleted",
    "creationDateTime",
    "lastUpdatedDateTime",
    "failureReason",
]
ERROR_COLUMNS = ["errorCode", "errorMessage", "source", "line", "inputLength"]
# A failure reason a spreadsheet and a table must survive: a comma, quotes, a pipe, two lines.
AWKWARD = 'Access denied, "s3://bucket/a|b"\nsecond line'


@pytest.fixture
def still(start_emulator) -> Emulator:
    """Three jobs that never move on: completed, failed (an awkward reason), in progress."""
    jobs = [
        ScenarioJob("csv-done", DEMO_GROUP_ARN, [("COMPLETED", 0.0)], num_deleted=12),
        ScenarioJob("csv-failed", DEMO_GROUP_ARN, [("FAILED", 0.0)], failure_reason=AWKWARD),
        ScenarioJob("csv-running", DEMO_GROUP_ARN, [("IN_PROGRESS", 0.0)]),
    ]
    return start_emulator(Scenario(jobs), clock=ManualClock())


def arn(name: str) -> str:
    return f"arn:aws:personalize:us-east-1:123456789012:data-deletion-job/{name}"


def run(
    emulator: Emulator, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env["AWS_ENDPOINT_URL_PERSONALIZE"] = emulator.endpoint_url
    # bytes, decoded without newline translation: pdj's CRLF reaches csv.reader as written
    process = subprocess.run([*PDJ, *args], env=full_env, capture_output=True, timeout=60)
    return subprocess.CompletedProcess(
        process.args,
        process.returncode,
        process.stdout.decode(),
        process.stderr.decode(),
    )


def csv_records(text: str) -> tuple[list[str], list[dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows, "no header"
    header = rows[0]
    assert all(row != header for row in rows[1:]), "the header came twice"
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def as_row(record: dict[str, Any], columns: list[str]) -> dict[str, str]:
    """What a JSON record is as a csv row: nested objects joined in camelCase, null empty."""
    flat = dict(record)
    for key, value in record.items():
        if isinstance(value, dict):
            del flat[key]
            flat.update({key + inner[0].upper() + inner[1:]: leaf for inner, leaf in value.items()})
    return {column: "" if flat.get(column) is None else str(flat[column]) for column in columns}


def cells(line: str) -> list[str]:
    """A markdown table row's cells (split at pipes not escaped with a backslash)."""
    out, current, escaped = [], "", False
    for char in line:
        if char == "|" and not escaped:
            out.append(current.strip())
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    return out[1:]


# -- csv read back equals the json ------------------------------------------------------------


def test_describe_csv_is_the_json_job_as_one_row(still):
    as_json = run(still, "describe", arn("csv-failed"), "-o", "json")
    as_csv = run(still, "describe", arn("csv-failed"), "-o", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    assert as_csv.stdout.endswith("\r\n")
    header, records = csv_records(as_csv.stdout)
    assert header == TEXT_COLUMNS
    assert records == [as_row(json.loads(as_json.stdout)["dataDeletionJob"], TEXT_COLUMNS)]
    assert records[0]["failureReason"] == AWKWARD


def test_list_csv_is_the_json_list_one_job_a_row_in_its_order(still):
    args = ("list", "--dataset-group-arn", DEMO_GROUP_ARN)
    jobs = json.loads(run(still, *args, "-o", "json").stdout)["dataDeletionJobs"]
    result = run(still, *args, "-o", "csv")
    assert result.returncode == 0, result.stderr
    header, records = csv_records(result.stdout)
    assert header == TEXT_COLUMNS
    assert records == [as_row(job, TEXT_COLUMNS) for job in jobs]
    assert len(records) == 3


def test_batch_csv_is_every_json_record_errors_with_their_columns(still, tmp_path: Path):
    inputs = tmp_path / "erasures.txt"
    inputs.write_text(
        "\n".join(
            [arn("csv-done"), "not-an-arn", arn("csv-failed"), arn("never-made"), "# done", ""]
        )
    )
    document = json.loads(run(still, "batch", "-f", str(inputs), "-o", "json").stdout)
    result = run(still, "batch", "-f", str(inputs), "-o", "csv")
    assert result.returncode == 2, result.stderr  # the most severe: an invalid input
    header, records = csv_records(result.stdout)
    columns = TEXT_COLUMNS + ERROR_COLUMNS
    assert header == columns
    expected = [as_row(record, columns) for record in document["dataDeletionJobs"]]
    expected += [as_row(record, columns) for record in document["errors"]]
    # streamed as the answers come: the same records, in any order
    key = lambda record: record["dataDeletionJobArn"]  # noqa: E731
    assert sorted(records, key=key) == sorted(expected, key=key)
    errors = {record["dataDeletionJobArn"]: record for record in records if record["errorCode"]}
    assert (errors["not-an-arn"]["errorCode"], errors["not-an-arn"]["line"]) == ("InvalidArn", "2")
    assert errors[arn("never-made")]["errorCode"] == "ResourceNotFoundException"
    assert errors[arn("never-made")]["source"] == str(inputs)


def test_watch_csv_is_the_final_job_as_json_prints_it(still):
    as_json = run(still, "watch", arn("csv-failed"), "--interval", "0.1", "-o", "json")
    as_csv = run(still, "watch", arn("csv-failed"), "--interval", "0.1", "-o", "csv")
    assert as_csv.returncode == as_json.returncode == 1, as_csv.stderr  # FAILED
    header, records = csv_records(as_csv.stdout)
    assert records == [as_row(json.loads(as_json.stdout)["dataDeletionJob"], header)]
    assert "csv-failed FAILED" in as_csv.stderr  # the status lines stay on stderr


def test_pdj_output_csv_is_the_default_of_every_command(still):
    env = {"PDJ_OUTPUT": "csv"}
    described = run(still, "describe", arn("csv-done"), env=env)  # the fast path
    listed = run(still, "list", "--dataset-group-arn", DEMO_GROUP_ARN, env=env)
    assert described.returncode == listed.returncode == 0, described.stderr + listed.stderr
    assert csv_records(described.stdout)[1][0]["jobName"] == "csv-done"
    header, jobs = csv_records(listed.stdout)
    assert header == TEXT_COLUMNS
    assert sorted(job["jobName"] for job in jobs) == ["csv-done", "csv-failed", "csv-running"]


def test_csv_into_head_gets_the_header_and_the_first_rows(emulator):
    env = {**os.environ, "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}
    result = shell(f"{' '.join(PDJ)} list --region us-east-1 -o csv | head -n 3", env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()  # text mode: the CRLFs read as line ends
    assert lines[0] == ",".join(TEXT_COLUMNS)
    assert [len(row) for row in csv.reader(lines)] == [8, 8, 8]


# -- markdown ---------------------------------------------------------------------------------

JOB_HEADER = "| Job | Status | Records deleted | Duration | Failure reason | Dataset group |"


def test_list_markdown_is_a_table_one_job_a_line(still):
    result = run(still, "list", "--dataset-group-arn", DEMO_GROUP_ARN, "-o", "markdown")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [JOB_HEADER, "| --- | --- | --- | --- | --- | --- |"]
    rows = {row[0]: row for row in map(cells, lines[2:])}
    assert set(rows) == {"csv-done", "csv-failed", "csv-running"}
    assert all(len(row) == 6 for row in rows.values())
    assert rows["csv-done"][1:3] == ["COMPLETED", ""]  # a list summary has no count
    assert rows["csv-failed"][4] == 'Access denied, "s3://bucket/a\\|b"<br>second line'
    assert rows["csv-failed"][5] == DEMO_GROUP_ARN


def test_batch_markdown_is_its_counts_then_its_records_in_input_order(still):
    args = [arn("csv-failed"), "not-an-arn", arn("csv-done"), arn("never-made")]
    result = run(still, "batch", *args, "-o", "markdown")
    assert result.returncode == 2, result.stderr  # an invalid input
    lines = result.stdout.splitlines()
    assert lines[0] == "**4 records**: 1 COMPLETED, 1 FAILED, 2 errors"
    assert lines[1:3] == ["", JOB_HEADER]
    rows = [cells(line) for line in lines[4:]]
    assert [row[0] for row in rows] == ["csv-failed", "not-an-arn", "csv-done", arn("never-made")]
    assert [row[1] for row in rows] == ["FAILED", "error", "COMPLETED", "error"]
    assert rows[1][4].startswith("InvalidArn: ") and rows[1][5] == "argument"
    assert rows[3][4].startswith("ResourceNotFoundException: ")


def test_describe_markdown_through_the_fast_path(still):
    result = run(still, "describe", arn("csv-done"), env={"PDJ_OUTPUT": "markdown"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == JOB_HEADER and len(lines) == 3
    assert cells(lines[2])[:3] == ["csv-done", "COMPLETED", "12"]


# -- --query ----------------------------------------------------------------------------------

QUERY = "dataDeletionJobs[].{name: jobName, status: status, reason: failureReason}"


def test_a_query_in_csv_is_its_json_result_as_rows(still):
    args = ("list", "--dataset-group-arn", DEMO_GROUP_ARN, "--query", QUERY)
    selected = json.loads(run(still, *args, "-o", "json").stdout)
    result = run(still, *args, "-o", "csv")
    assert result.returncode == 0, result.stderr
    header, records = csv_records(result.stdout)
    assert header == ["name", "status", "reason"]
    assert records == [as_row(item, header) for item in selected]


def test_a_query_in_markdown_is_a_table_of_its_columns(still):
    args = ("batch", arn("csv-done"), arn("csv-failed"), "--query", "dataDeletionJobs[].jobName")
    result = run(still, *args, "-o", "markdown")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "| jobName |",
        "| --- |",
        "| csv-done |",
        "| csv-failed |",
    ]


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_a_query_with_no_table_shape_is_exit_2_saying_to_use_json(still, fmt):
    # the whole document: its jobs are a list inside an object, which no row can hold
    result = run(still, "list", "--dataset-group-arn", DEMO_GROUP_ARN, "--query", "@", "-o", fmt)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"pdj: error: -o {fmt} cannot show the --query result: "
        "it has a list in its field 'dataDeletionJobs'"
    )
    assert lines[1].startswith("hint: ") and "-o json" in lines[1]
    assert len(lines) == 2
