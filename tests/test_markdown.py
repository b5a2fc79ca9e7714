"""The Markdown table -o markdown and the CI step summary share: escaping and the job row."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.models import DeletionJob
from pdj_cli.ui.markdown import JOB_COLUMNS, cell, error_row, job_row, table

START = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


def test_a_cell_cannot_break_the_table_or_add_markup():
    assert cell("a|b") == "a\\|b"
    assert cell("one\ntwo\r\nthree\rfour") == "one<br>two<br>three<br>four"
    assert cell("<script>&") == "&lt;script&gt;&amp;"
    assert cell("*x* `y` [z]") == "\\*x\\* \\`y\\` \\[z\\]"
    assert cell("tab\there") == "tab here"
    assert cell(None) == ""
    assert cell(42) == "42"


@given(st.text())
def test_any_text_is_one_line_with_no_bare_pipe(text):
    escaped = cell(text)
    assert "\n" not in escaped and "\r" not in escaped
    # every | is escaped: an odd run of backslashes before it
    for index, char in enumerate(escaped):
        if char == "|":
            run = len(escaped[:index]) - len(escaped[:index].rstrip("\\"))
            assert run % 2 == 1


def test_a_table_has_a_header_a_delimiter_and_one_line_a_row():
    job = DeletionJob(
        arn="arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-7",
        status="FAILED",
        name="erase-7",
        dataset_group_arn="arn:aws:personalize:us-east-1:123456789012:dataset-group/shop",
        created=START,
        updated=START + timedelta(minutes=3, seconds=20),
        failure_reason="Access denied | s3://bucket",
    )
    rows = [job_row(job), error_row("not-an-arn", "InvalidArn", "not an ARN", "jobs.txt:3")]
    lines = list(table(JOB_COLUMNS, rows))
    assert lines[0] == (
        "| Job | Status | Records deleted | Duration | Failure reason | Dataset group |"
    )
    assert lines[1] == "| --- | --- | --- | --- | --- | --- |"
    assert lines[2] == (
        "| erase-7 | FAILED |  | 3m 20s | Access denied \\| s3://bucket | "
        "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop |"
    )
    assert lines[3] == "| not-an-arn | error |  |  | InvalidArn: not an ARN | jobs.txt:3 |"


def _rendered_cell(text: str) -> str:
    """What a GFM renderer shows in the one cell holding `text`: its text, `<br>` as a line end."""
    import html
    import re

    from markdown_it import MarkdownIt

    page = MarkdownIt("gfm-like", {"linkify": False}).render("\n".join(table(["A"], [[text]])))
    (inner,) = re.findall(r"<td>(.*?)</td>", page, re.S)
    assert not re.search(r"<(?!br>)", inner), f"{text!r} became markup: {inner!r}"
    return html.unescape(inner.replace("<br>", "\n"))


@given(st.text(alphabet=st.sampled_from(list("ab _*~`|\\[]()<>&!#:-=.\n\t"))))
def test_a_renderer_shows_any_cell_as_its_text(text):
    # emphasis (`_x_`, `*x*`), strikethrough (`~~x~~`), code, links and HTML all stay text
    shown = text.replace("\t", " ")
    assert _rendered_cell(text) == shown.strip(" ")


def test_underscores_and_tildes_are_not_emphasis_or_strikethrough():
    assert _rendered_cell("field _USER_ID_ missing, ~~gone~~") == (
        "field _USER_ID_ missing, ~~gone~~"
    )
