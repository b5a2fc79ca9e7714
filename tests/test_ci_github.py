"""GitHub workflow commands: escaped as the toolkit does, read back as the runner reads them."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.batch.events import RecordReady
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.ci.github import (
    ERROR_CAP,
    Annotation,
    error_commands,
    escape_data,
    escape_property,
    workflow_command,
)
from pdj_cli.errors import ExitCode
from pdj_cli.ui.batch_view import LinesView
from pdj_cli.ui.terminal import Terminal
from tests.factories import deletion_job, job_arn

# The runner's unescaping (actions/runner ActionCommand.cs): each mapping replaced in turn,
# `%25` last, so `%250A` is a literal `%0A`.
_DATA_MAPPINGS = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
_PROPERTY_MAPPINGS = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))


def unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for char, escape in mappings:
        text = text.replace(escape, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner parses it: `::` + name [space properties] `::` data.

    The command info ends at the first `::` after the opening one; properties split at `,`,
    each at its first `=`.
    """
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2 :]
    name, _, properties = info.partition(" ")
    parsed = {}
    for pair in filter(None, properties.split(",")):
        key, _, value = pair.partition("=")
        parsed[key] = unescape(value, _PROPERTY_MAPPINGS)
    return name, parsed, unescape(data, _DATA_MAPPINGS)


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),  # a literal escape stays literal
        ("::error::", "::error::", "%3A%3Aerror%3A%3A"),
    ],
)
def test_values_are_escaped_as_the_toolkit_does(text, data, prop):
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_a_command_leaves_out_empty_properties():
    assert workflow_command("notice", "done") == "::notice::done"
    assert workflow_command("error", "m", title="", file=None, line=3) == "::error line=3::m"
    assert workflow_command("error", "m", title="t", line=3) == "::error title=t,line=3::m"


# Any text, with the characters that matter over-represented.
texts = st.text(
    alphabet=st.sampled_from("%:,=\r\n ab::%0A%25é🙂\x00\x85\u2028"), max_size=40
) | st.text(max_size=40)


@given(message=texts, title=texts, file=texts)
def test_any_values_make_one_command_that_reads_back_as_given(message, title, file):
    line = workflow_command("error", message, title=title, file=file)
    assert "\n" not in line and "\r" not in line  # the runner reads lines split at CR and LF
    name, properties, data = parse(line)
    assert name == "error"
    assert data == message
    given = {key: value for key, value in (("title", title), ("file", file)) if value}
    assert properties == given  # nothing could add, end or change a property


@given(title=texts)
def test_a_property_holds_no_separator_of_the_command(title):
    escaped = escape_property(title)
    assert not re.search(r"[:,\r\n]", escaped)


def test_errors_are_capped_with_one_line_counting_the_rest():
    errors = [Annotation(f"job-{n} FAILED", title=f"job-{n}") for n in range(ERROR_CAP + 5)]
    lines = list(error_commands(errors))
    assert len(lines) == ERROR_CAP + 1
    assert all(line.startswith("::error title=job-") for line in lines[:ERROR_CAP])
    assert [parse(line)[2] for line in lines[:ERROR_CAP]] == [
        f"job-{n} FAILED" for n in range(ERROR_CAP)
    ]
    # an eleventh ::error would be past GitHub's cap: the count is a warning
    name, _, data = parse(lines[-1])
    assert name == "warning"
    assert data.startswith("5 more errors are not annotated")


@pytest.mark.parametrize("count", [0, 1, ERROR_CAP])
def test_up_to_the_cap_every_error_is_annotated_and_nothing_more(count):
    errors = [Annotation(f"e{n}") for n in range(count)]
    lines = list(error_commands(errors))
    assert lines == [f"::error::e{n}" for n in range(count)]


def test_one_past_the_cap_is_counted_in_the_singular():
    lines = list(error_commands([Annotation("e")] * (ERROR_CAP + 1)))
    assert parse(lines[-1])[2].startswith("1 more error is not annotated")


def test_no_plain_batch_line_can_start_a_command_of_its_own():
    # A failure reason with a newline printed raw would put `::error...` at a line's start.
    err = io.StringIO()
    view = LinesView(Terminal(err=err, environ={}))
    job = deletion_job("broke", "FAILED", failureReason="denied\r\n::error::injected\rx")
    view.handle(RecordReady(BatchRecord(0, job=job, subject=job.arn)))
    info = ErrorInfo("Throttling", "slow\n::warning::down", ExitCode.AWS_ERROR)
    view.handle(RecordReady(BatchRecord(1, error=info, subject=job_arn("other"))))
    lines = err.getvalue().splitlines()
    assert lines == [
        "pdj: broke: FAILED: denied ::error::injected x",
        f"pdj: {job_arn('other')}: Throttling: slow ::warning::down",
    ]
