import io
import json
from datetime import timedelta

import pytest

from pdj_cli.errors import InvalidInputError
from pdj_cli.formats import OutputFormat
from pdj_cli.query import compile_query
from pdj_cli.ui.document import text_lines
from pdj_cli.ui.output import Output
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.words import ago, human_duration
from tests.factories import CREATED, deletion_job


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(fmt: OutputFormat, job=None, query: str | None = None, jobs=None) -> str:
    out = io.StringIO()
    renderer = Output(fmt, compile_query(query), Terminal(no_color_flag=True, out=out))
    if jobs is not None:
        renderer.jobs(jobs)
    else:
        renderer.job(job or deletion_job())
    return out.getvalue()


def test_default_format_is_table_on_a_terminal_and_json_in_a_pipe():
    assert Terminal(out=Tty()).default_format() is OutputFormat.table
    assert Terminal(out=io.StringIO()).default_format() is OutputFormat.json


def test_json_is_the_describe_shape_with_four_space_indent():
    text = render(OutputFormat.json)
    document = json.loads(text)
    assert list(document) == ["dataDeletionJob"]
    assert document["dataDeletionJob"]["jobName"] == "erase-42"
    assert text.startswith('{\n    "dataDeletionJob": {\n        "jobName"')


def test_jsonl_is_the_job_object_on_one_line():
    text = render(OutputFormat.jsonl)
    assert text.count("\n") == 1
    assert json.loads(text)["status"] == "COMPLETED"


def test_text_is_one_tab_separated_line_in_documented_columns():
    line = render(OutputFormat.text, deletion_job(status="FAILED")).rstrip("\n")
    fields = line.split("\t")
    assert fields[:3] == [
        "erase-42",
        "FAILED",
        "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-42",
    ]
    assert fields[4] == "1200"
    assert fields[5] == "2026-05-31T16:08:37.123000+00:00"
    assert fields[7] == "Access denied to s3://bucket"


def test_text_leaves_missing_fields_empty():
    line = render(OutputFormat.text, deletion_job(numDeleted=None)).rstrip("\n")
    assert line.split("\t")[4] == ""
    assert line.split("\t")[7] == ""


def test_query_with_a_scalar_result_prints_it_bare_in_text():
    assert render(OutputFormat.text, query="dataDeletionJob.numDeleted") == "1200\n"


def test_query_with_a_list_result_prints_one_tab_separated_line_in_text():
    query = "dataDeletionJob.[jobName, status]"
    assert render(OutputFormat.text, query=query) == "erase-42\tCOMPLETED\n"


def test_query_over_a_list_of_jobs_prints_one_line_per_job_in_text():
    jobs = [[deletion_job("a"), deletion_job("b", status="FAILED")]]
    out = render(OutputFormat.text, jobs=jobs, query="dataDeletionJobs[].[jobName, status]")
    assert out == "a\tCOMPLETED\nb\tFAILED\n"


def test_query_result_in_json_is_json():
    assert json.loads(render(OutputFormat.json, query="dataDeletionJob.status")) == "COMPLETED"


def test_query_of_a_missing_field_in_text_prints_none_as_aws_does():
    assert render(OutputFormat.text, query="dataDeletionJob.failureReason") == "None\n"


def test_an_invalid_query_is_rejected_before_anything_runs():
    with pytest.raises(InvalidInputError, match="invalid --query"):
        compile_query("dataDeletionJob.[")


def test_table_is_a_panel_with_every_field():
    out = render(OutputFormat.table, deletion_job(status="FAILED"))
    for expected in (
        "erase-42",
        "FAILED",
        "Dataset group",
        "s3://bucket/erase-42.csv",
        "PersonalizeDeletion",
        "1,200",
        "2026-05-31 16:08:37 UTC",
        "ago",
        "Access denied to s3://bucket",
    ):
        assert expected in out


def test_list_json_collects_every_page_in_order():
    pages = [[deletion_job("a"), deletion_job("b")], [deletion_job("c")]]
    document = json.loads(render(OutputFormat.json, jobs=pages))
    assert [job["jobName"] for job in document["dataDeletionJobs"]] == ["a", "b", "c"]


def test_list_jsonl_streams_each_page_before_the_next_is_fetched():
    out = io.StringIO()
    seen_before_second_page: list[str] = []

    def pages():
        yield [deletion_job("a")]
        seen_before_second_page.append(out.getvalue())
        yield [deletion_job("b")]

    count = Output(OutputFormat.jsonl, terminal=Terminal(out=out)).jobs(pages())
    assert count == 2
    assert json.loads(seen_before_second_page[0])["jobName"] == "a"
    assert [json.loads(line)["jobName"] for line in out.getvalue().splitlines()] == ["a", "b"]


def test_list_table_names_each_job_and_counts_them():
    out = render(OutputFormat.table, jobs=[[deletion_job("a"), deletion_job("b", status="FAILED")]])
    assert "a" in out and "FAILED" in out
    assert "2 jobs" in out


def test_an_empty_list_says_so_in_a_table_and_is_an_empty_array_in_json():
    assert "no data deletion jobs" in render(OutputFormat.table, jobs=[[]])
    assert json.loads(render(OutputFormat.json, jobs=[[]])) == {"dataDeletionJobs": []}


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=2), "just now"),
        (timedelta(seconds=40), "40 seconds ago"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(hours=3, minutes=5), "3 hours ago"),
        (timedelta(days=2), "2 days ago"),
        (-timedelta(minutes=5), "in 5 minutes"),
    ],
)
def test_ago_is_human(delta, expected):
    assert ago(CREATED, now=CREATED + delta) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.25, "0.2s"),
        (45, "45s"),
        (200, "3m 20s"),
        (7500, "2h 05m"),
        (3 * 86400 + 4 * 3600, "3d 4h"),
    ],
)
def test_human_duration(seconds, expected):
    assert human_duration(seconds) == expected


def test_text_lines_of_a_dict_are_its_scalars_by_key_then_its_nested_values():
    assert list(text_lines({"b": 2, "a": 1, "c": [3, 4]})) == ["1\t2", "3\t4"]


def test_a_deprecated_literal_query_compiles_even_when_warnings_are_errors():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compile_query("`x`").search({}) == "x"
