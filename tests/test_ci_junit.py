"""The JUnit writer: what it writes parses back, in the structure JUnit readers accept, and a
failure while writing leaves no part of a file."""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.batch.items import Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.ci.junit import (
    ERROR,
    FAILURE,
    REPLACEMENT,
    SKIPPED,
    TestCase,
    TestSuite,
    junit_xml,
    write_atomically,
    xml_text,
)
from pdj_cli.ci.report import Ending, record_case
from pdj_cli.errors import ExitCode
from tests.factories import CREATED, GROUP, deletion_job
from tests.junit_structure import problems

STARTED = datetime(2026, 12, 2, 4, 30, 5, 250000, tzinfo=timezone.utc)


def suite(*cases: TestCase, time: float = 12.5) -> TestSuite:
    return TestSuite("pdj batch", cases, STARTED, time, "runner-7", (("pdj.exitCode", "1"),))


def parsed(data: bytes) -> ET.Element:
    return ET.fromstring(data)


CASES = (
    TestCase(GROUP, "done-1", 2520.0),
    TestCase(GROUP, "broke-1", 60.0, FAILURE, "Access denied", "FAILED", "Access denied\njob: x"),
    TestCase("arns.txt", "bad-line", 0.0, ERROR, "not an ARN", "InvalidArn", "input: bad-line"),
    TestCase(GROUP, "busy-1", 5.0, SKIPPED, "not terminal when --timeout ran out"),
)


def test_a_report_has_the_structure_junit_readers_accept():
    root = parsed(junit_xml(suite(*CASES)))
    assert problems(root) == []
    (element,) = root
    assert element.attrib == {
        "name": "pdj batch",
        "tests": "4",
        "failures": "1",
        "errors": "1",
        "skipped": "1",
        "time": "12.500",
        "timestamp": "2026-12-02T04:30:05",  # UTC, no zone: Ant's form
        "hostname": "runner-7",
        "id": "0",
        "package": "pdj",
    }
    assert root.attrib == {
        "name": "pdj batch", "tests": "4", "failures": "1", "errors": "1", "time": "12.500",
    }  # fmt: skip
    assert [(p.get("name"), p.get("value")) for p in element.iter("property")] == [
        ("pdj.exitCode", "1")
    ]


def test_each_case_reads_back_with_its_result():
    cases = parsed(junit_xml(suite(*CASES))).findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name"), c.get("time")) for c in cases] == [
        (GROUP, "done-1", "2520.000"),
        (GROUP, "broke-1", "60.000"),
        ("arns.txt", "bad-line", "0.000"),
        (GROUP, "busy-1", "5.000"),
    ]
    assert list(cases[0]) == []
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "Access denied", "type": "FAILED"}
    assert failure.text == "Access denied\njob: x"
    error = cases[2].find("error")
    assert error is not None and error.get("type") == "InvalidArn"
    skipped = cases[3].find("skipped")
    assert skipped is not None and skipped.get("message").startswith("not terminal")


@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        (lambda r: r.set("skipped", "1"), "attributes no schema allows"),
        (lambda r: r[0].set("tests", "5"), "tests=5"),
        (lambda r: r[0].set("time", "-1.0"), "SUREFIRE_TIME"),
        (lambda r: r[0].set("timestamp", "2026-12-02T04:30:05+00:00"), "Ant's ISO 8601"),
        (lambda r: r[0].remove(r[0].find("properties")), "out of order"),
        (lambda r: ET.SubElement(r[0].findall("testcase")[1], "skipped"), "at most one"),
        (lambda r: r[0].find("testcase").attrib.pop("classname"), "lacks ['classname']"),
    ],
)
def test_the_structure_check_sees_what_readers_refuse(broken, complaint):
    root = parsed(junit_xml(suite(*CASES)))
    broken(root)
    assert any(complaint in problem for problem in problems(root)), problems(root)


def test_an_empty_run_is_still_a_valid_report():
    root = parsed(junit_xml(suite()))
    assert problems(root) == []
    assert root[0].get("tests") == "0"


def test_times_are_never_negative_nor_in_exponent_form():
    root = parsed(junit_xml(suite(TestCase(GROUP, "skewed", -3.0), time=1e-7)))
    assert root[0].find("testcase").get("time") == "0.000"
    assert root[0].get("time") == "0.000"


# Any text at all, in every place a value can go: the file still parses, and says the same.
@given(text=st.text(max_size=60))
def test_any_text_parses_back_as_itself_less_what_xml_cannot_hold(text):
    case = TestCase(text or "c", text or "n", 1.0, FAILURE, text, text, text)
    root = parsed(junit_xml(TestSuite(text or "s", [case], STARTED, 1.0, "h")))
    assert problems(root) == []
    element = root[0].find("testcase")
    expected = xml_text(text)
    assert element.get("name") == (expected or "n")
    failure = element.find("failure")
    assert failure.get("message") == expected  # newlines in attributes survive too
    assert (failure.text or "") == expected.replace("\r\n", "\n").replace("\r", "\n")


def test_characters_xml_cannot_hold_are_replaced():
    assert xml_text("esc\x1b[31m nul\x00 ok\t\n") == f"esc{REPLACEMENT}[31m nul{REPLACEMENT} ok\t\n"
    assert xml_text("\ud800") == REPLACEMENT  # a lone surrogate (from a mis-decoded file)


# -- records as test cases -----------------------------------------------------------------------


def test_a_job_is_a_case_of_its_dataset_group_timed_by_its_own_duration():
    job = deletion_job("erase-42", lastUpdatedDateTime=CREATED + timedelta(minutes=42))
    case = record_case(BatchRecord(0, job=job, subject=job.arn), Ending.DONE)
    assert (case.classname, case.name, case.time, case.result) == (GROUP, "erase-42", 2520.0, None)


def test_a_failed_job_is_a_failure_with_its_reason():
    job = deletion_job("broke", "FAILED", failureReason="Access denied: s3://b, key")
    case = record_case(BatchRecord(0, job=job, subject=job.arn), Ending.DONE)
    assert (case.result, case.message, case.type) == (
        FAILURE,
        "Access denied: s3://b, key",
        "FAILED",
    )
    assert job.arn in case.text


def test_an_error_record_is_an_error_with_its_code_and_input_line():
    info = ErrorInfo("InvalidArn", "not an ARN", ExitCode.USAGE)
    record = BatchRecord(3, error=info, subject="bad line", origin=Origin("arns.txt", 12))
    case = record_case(record, Ending.DONE)
    assert (case.classname, case.name, case.result, case.type, case.message) == (
        "arns.txt", "bad line", ERROR, "InvalidArn", "not an ARN",
    )  # fmt: skip
    assert case.text == "input: bad line\nsource: arns.txt:12"


@pytest.mark.parametrize(
    ("ending", "says"),
    [
        (Ending.TIMEOUT, "when --timeout ran out"),
        (Ending.INTERRUPTED, "when pdj was interrupted (Ctrl-C)"),
        (Ending.TERMINATED, "when pdj was terminated (SIGTERM)"),
        (Ending.FAIL_FAST, "when --fail-fast stopped the wait"),
        (Ending.DONE, "not terminal: its last status"),
    ],
)
def test_a_job_not_terminal_at_the_end_is_skipped_saying_why(ending, says):
    job = deletion_job("busy", "IN_PROGRESS")
    case = record_case(BatchRecord(0, job=job, subject=job.arn), ending)
    assert case.result == SKIPPED
    assert says in case.message and "IN_PROGRESS" in case.message


# -- written atomically --------------------------------------------------------------------------


def test_the_file_is_written_whole_with_ordinary_permissions(tmp_path: Path):
    path = tmp_path / "report.xml"
    data = junit_xml(suite(*CASES))
    old = os.umask(0o022)
    try:
        write_atomically(path, data)
    finally:
        os.umask(old)
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["report.xml"]


@pytest.mark.parametrize("failing", ["os.fsync", "os.replace"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_part_of_the_new(
    tmp_path: Path, mocker, failing: str
):
    path = tmp_path / "report.xml"
    path.write_text("<old/>")
    # the data has reached the temporary file; then the disk fills
    mocker.patch(failing, side_effect=OSError(28, "No space left on device"))
    with pytest.raises(OSError, match="No space"):
        write_atomically(path, junit_xml(suite(*CASES)))
    assert path.read_text() == "<old/>"
    assert os.listdir(tmp_path) == ["report.xml"]  # the temporary file is gone too


def test_a_failure_mid_write_leaves_no_file_where_there_was_none(tmp_path: Path, mocker):
    mocker.patch("os.fsync", side_effect=OSError(5, "Input/output error"))
    with pytest.raises(OSError):
        write_atomically(tmp_path / "report.xml", b"<testsuites/>")
    assert os.listdir(tmp_path) == []


def test_a_symlink_is_written_through_and_stays_a_symlink(tmp_path: Path):
    target = tmp_path / "reports" / "pdj.xml"
    target.parent.mkdir()
    target.write_text("<old/>")
    link = tmp_path / "report.xml"
    link.symlink_to(target)
    write_atomically(link, b"<testsuites/>")
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_bytes() == b"<testsuites/>"
    assert sorted(os.listdir(tmp_path)) == ["report.xml", "reports"]
    assert os.listdir(target.parent) == ["pdj.xml"]


def test_a_pipe_or_device_is_written_into_not_replaced(tmp_path: Path):
    # `--junit-xml /dev/null` run as root (a CI container) must not turn /dev/null into a
    # regular file: a target that is not a regular file is written, never renamed over.
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    link = tmp_path / "stderr"  # as /dev/stderr links to /proc/self/fd/2, then to a pipe
    link.symlink_to(fifo)
    try:
        write_atomically(fifo, b"<testsuites/>")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert os.read(reader, 100) == b"<testsuites/>"
        write_atomically(link, b"<testsuites/>")
        assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert os.read(reader, 100) == b"<testsuites/>"
    finally:
        os.close(reader)
    assert sorted(os.listdir(tmp_path)) == ["report.fifo", "stderr"]
