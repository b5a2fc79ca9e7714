"""Reading a batch's inputs: every odd kind of line, files that cannot be read, de-duplication."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from pdj_cli.arns import parse_dataset_group_arn
from pdj_cli.batch.dedup import Deduplicator
from pdj_cli.batch.inputs import ARGUMENT_SOURCE, STDIN, classify, open_inputs, read_inputs
from pdj_cli.batch.items import (
    GroupListed,
    GroupListingFailed,
    InvalidLine,
    JobInput,
    ListedJob,
    Origin,
)
from pdj_cli.errors import InvalidArnError, InvalidInputError
from tests.batch_fakes import FakeService, arn_of, big_group, group_arn, throttled

A = arn_of("erase-a")
B = arn_of("erase-b")
C = arn_of("erase-c", "eu-west-1")
HERE = Origin("f.txt", 7)


def keys(items: list[object]) -> list[str]:
    """Each item as 'kind:text@line' for compact assertions."""
    shown = []
    for item in items:
        if isinstance(item, JobInput):
            shown.append(f"job:{item.arn.text}@{item.origin.line}")
        elif isinstance(item, InvalidLine):
            shown.append(f"invalid:{item.text}@{item.origin.line}")
        elif isinstance(item, ListedJob):
            shown.append(f"listed:{item.job.arn}@p{item.page}")
        else:
            shown.append(type(item).__name__)
    return shown


_KEEP: list[io.TextIOWrapper] = []


def stdin_of(data: bytes) -> io.TextIOWrapper:
    """Standard input as the process has it; kept alive, as sys.stdin is (closing it would
    close the bytes under it)."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    _KEEP.append(stream)
    return stream


def read_all(tmp_path: Path, data: bytes, **kwargs: object) -> list[object]:
    path = tmp_path / "arns.txt"
    path.write_bytes(data)
    inputs = open_inputs([], [str(path)], [], None)
    return list(read_inputs(inputs, FakeService([])))


# -- one line ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["", "\n", "   \t  \r\n", "# a comment\n", "   # indented comment", "#" + A, "\ufeff\n"],
)
def test_blank_and_comment_lines_are_skipped(raw: str) -> None:
    assert classify(raw, HERE) is None


@pytest.mark.parametrize(
    "raw",
    [
        A,
        A + "\n",
        A + "\r\n",
        f"  {A}  \t\n",
        f"\t{A}",
        f"{A}   # customer 4411, ticket 9",
        f"\ufeff{A}\n",  # a BOM mid-stream (files concatenated with cat)
    ],
)
def test_a_job_arn_is_found_whatever_surrounds_it(raw: str) -> None:
    item = classify(raw, HERE)
    assert isinstance(item, JobInput)
    assert item.arn.text == A
    assert item.origin == HERE


@pytest.mark.parametrize(
    ("raw", "text", "says"),
    [
        ("erase-a", "erase-a", "does not start with 'arn:'"),
        (A + "#x", A + "#x", "not a valid name"),  # '#' not after a space is not a comment
        (f"{A} {B}", f"{A} {B}", "whitespace"),
        (A.replace("personalize", "s3"), A.replace("personalize", "s3"), "not 'personalize'"),
        (A[:-8], A[:-8], "after the slash is missing"),
    ],
)
def test_an_invalid_line_becomes_an_invalid_item(raw: str, text: str, says: str) -> None:
    item = classify(raw, HERE)
    assert isinstance(item, InvalidLine)
    assert item.text == text
    assert isinstance(item.error, InvalidArnError)
    assert says in item.error.message
    assert item.error.code == "InvalidArn"


def test_a_dataset_group_arn_given_as_a_job_says_to_use_the_option() -> None:
    item = classify(group_arn() + "\n", HERE)
    assert isinstance(item, InvalidLine)
    assert "is a dataset group ARN, not a data deletion job" in item.error.message
    assert item.error.hint is not None and "--dataset-group-arn" in item.error.hint


# -- files and standard input ------------------------------------------------------------------


def test_a_file_keeps_physical_line_numbers(tmp_path: Path) -> None:
    data = f"# header\n\n{A}\r\n  \nnot-an-arn\n{B}   \n".encode()
    assert keys(read_all(tmp_path, data)) == [
        f"job:{A}@3",
        "invalid:not-an-arn@5",
        f"job:{B}@6",
    ]


def test_a_utf8_bom_and_a_missing_final_newline_are_fine(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + f"{A}\n{B}".encode()
    assert keys(read_all(tmp_path, data)) == [f"job:{A}@1", f"job:{B}@2"]


def test_old_mac_line_ends_split_lines(tmp_path: Path) -> None:
    assert keys(read_all(tmp_path, f"{A}\r{B}\r".encode())) == [f"job:{A}@1", f"job:{B}@2"]


def test_utf16_with_a_bom_is_read_as_text(tmp_path: Path) -> None:
    # What Windows PowerShell's `>` writes.
    data = codecs.BOM_UTF16_LE + f"{A}\r\n{B}\r\n".encode("utf-16-le")
    assert keys(read_all(tmp_path, data)) == [f"job:{A}@1", f"job:{B}@2"]


def test_a_missing_file_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"cannot read .*nope\.txt: no such file"):
        open_inputs([], [str(tmp_path / "nope.txt")], [], None)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="it is a directory"):
        open_inputs([], [str(tmp_path)], [], None)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"\x1f\x8b\x08\xff\xfe\xfd gzip", "not UTF-8"),
        (f"{A}\n".encode() * 500 + b"\xff\xfe junk\n", "not UTF-8"),  # past the first 8 KiB
        (f"{A}\n".encode() * 500 + b"\x00", "NUL bytes"),
    ],
)
def test_a_file_that_is_not_text_is_refused_up_front(
    tmp_path: Path, data: bytes, says: str
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    with pytest.raises(InvalidInputError, match=says) as caught:
        open_inputs([], [str(path)], [], None)
    assert caught.value.exit_code == 2
    assert caught.value.hint and "one data deletion job ARN per line" in caught.value.hint


def test_a_later_file_error_is_found_before_an_earlier_file_is_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(A + "\n")
    with pytest.raises(InvalidInputError):
        open_inputs([A], [str(good), str(tmp_path / "missing")], [], None)


def test_binary_standard_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="standard input: not a text file"):
        open_inputs([STDIN], [], [], stdin_of(b"\x00\x01\x02"))


def test_undecodable_standard_input_past_its_start_becomes_an_invalid_line() -> None:
    # A pipe cannot be scanned ahead and read again: the bad line is a record, not exit 2.
    data = f"{A}\n".encode() * 400 + b"arn:\xff\xfe\n" + f"{B}\n".encode()
    inputs = open_inputs([STDIN], [], [], stdin_of(data))
    items = list(read_inputs(inputs, FakeService([])))
    assert len(items) == 402
    assert isinstance(items[400], InvalidLine) and items[400].origin == Origin(STDIN, 401)
    assert isinstance(items[401], JobInput) and items[401].arn.text == B


def test_standard_input_is_read_once_where_it_is_named(tmp_path: Path) -> None:
    path = tmp_path / "more.txt"
    path.write_text(C + "\n")
    inputs = open_inputs([A, STDIN, B, STDIN], [str(path), STDIN], [], stdin_of(f"{B}\n".encode()))
    items = list(read_inputs(inputs, FakeService([])))
    origins = [(item.origin.source, item.origin.line) for item in items]  # type: ignore[union-attr]
    assert origins == [(ARGUMENT_SOURCE, None), (STDIN, 1), (ARGUMENT_SOURCE, None), (str(path), 1)]


def test_arguments_follow_the_same_rules_as_lines() -> None:
    inputs = open_inputs([A, "", "  ", "bad"], [], [], None)
    assert keys(list(read_inputs(inputs, FakeService([])))) == [f"job:{A}@None", "invalid:bad@None"]


def test_an_invalid_dataset_group_option_is_refused_up_front() -> None:
    with pytest.raises(InvalidArnError, match="not a dataset-group"):
        open_inputs([], [], [A], None)


def test_input_is_read_lazily() -> None:
    # A reader that counts lines handed out: nothing is read before it is asked for.
    served = []

    class CountingStdin(io.TextIOBase):
        def __init__(self) -> None:
            self.lines = (f"{arn_of(f'job-{i}')}\n" for i in range(100_000))

        def readable(self) -> bool:
            return True

        def __iter__(self) -> CountingStdin:
            return self

        def __next__(self) -> str:
            line = next(self.lines)
            served.append(line)
            return line

    inputs = open_inputs([STDIN], [], [], CountingStdin())
    items = read_inputs(inputs, FakeService([]))
    first = [next(items) for _ in range(3)]
    assert len(first) == 3
    assert len(served) == 3


# -- dataset groups ----------------------------------------------------------------------------


def test_a_dataset_group_gives_every_job_with_its_page() -> None:
    service = FakeService(big_group(150))
    inputs = open_inputs([], [], [group_arn(), group_arn()], None)  # named twice: listed once
    items = list(read_inputs(inputs, service))
    assert len([i for i in items if isinstance(i, ListedJob)]) == 150
    assert keys(items)[0] == f"listed:{arn_of('job-00000')}@p1"
    assert keys(items)[149] == f"listed:{arn_of('job-00149')}@p2"
    assert isinstance(items[-1], GroupListed) and items[-1].jobs == 150
    assert service.requests["list"] == 2


def test_a_group_whose_listing_fails_midway_keeps_its_first_jobs_and_one_error() -> None:
    service = FakeService(big_group(150))
    service.list_failures[group_arn()] = [None, throttled()]  # type: ignore[list-item]
    items = list(read_inputs(open_inputs([], [], [group_arn()], None), service))
    assert len([i for i in items if isinstance(i, ListedJob)]) == 100
    assert isinstance(items[-1], GroupListingFailed)
    assert items[-1].group == parse_dataset_group_arn(group_arn())
    assert items[-1].error.code == "ThrottlingException"


# -- de-duplication ----------------------------------------------------------------------------


def test_duplicates_are_answered_once_in_first_seen_order(tmp_path: Path) -> None:
    path = tmp_path / "dupes.txt"
    path.write_text(f"{A}\n{B}\n{A}  \nbad\n bad\n{A}\r\n")
    service = FakeService(big_group(2))
    job0 = arn_of("job-00000")
    inputs = open_inputs([B, job0], [str(path)], [group_arn()], None)
    dedup = Deduplicator()
    items = list(dedup.unique(read_inputs(inputs, service)))
    assert keys(items) == [
        f"job:{B}@None",
        f"job:{job0}@None",
        f"job:{A}@1",
        "invalid:bad@4",
        f"listed:{arn_of('job-00001')}@p1",  # job-00000 was already given as an argument
        "GroupListed",
    ]
    assert dedup.duplicates == 5
