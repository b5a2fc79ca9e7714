"""A batch's inputs: ARNs from arguments, files and standard input, read lazily line by line
(a 100,000 line file is never held in memory), and every job of a dataset group by list paging."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from pdj_cli.arns import ResourceArn, parse_dataset_group_arn, parse_job_arn, shown
from pdj_cli.batch.items import (
    GroupListed,
    GroupListingFailed,
    InvalidLine,
    Item,
    JobInput,
    JobReader,
    ListedJob,
    Origin,
)
from pdj_cli.errors import InvalidArnError, InvalidInputError, PdjError

STDIN = "-"
ARGUMENT_SOURCE = "argument"
SNIFF_BYTES = 8192
_SCAN_CHUNK = 1 << 20
_COMMENT = re.compile(r"(?:^|\s)#.*\Z", re.DOTALL)


@dataclass
class TextSource:
    """One opened input: a file or standard input, decoded lazily line by line."""

    name: str
    stream: IO[str]

    def lines(self) -> Iterator[tuple[int, str]]:
        number = 0
        try:
            for number, line in enumerate(self.stream, start=1):
                yield number, line
        except OSError as error:  # a disk or pipe failing mid-read: not a bug, not a record
            where = f"{self.name} after line {number}"
            raise InvalidInputError(f"cannot read {where}: {error.strerror or error}") from None
        finally:
            self.close()

    def close(self) -> None:
        if self.name == STDIN:
            # Closing a wrapper closes what it wraps: standard input belongs to the process.
            if isinstance(self.stream, io.TextIOWrapper):
                with contextlib.suppress(ValueError):  # already detached
                    self.stream.detach()
        else:
            self.stream.close()


@dataclass
class BatchInputs:
    """The inputs of one batch, opened and checked: nothing is read past their first bytes."""

    arguments: list[str] = field(default_factory=list)
    files: list[TextSource | None] = field(default_factory=list)  # None: stdin, at that place
    groups: list[ResourceArn] = field(default_factory=list)
    stdin: TextSource | None = None

    def close(self) -> None:
        """Close what was opened and not read to its end (Ctrl-C, a closed pipe)."""
        for source in [*self.files, self.stdin]:
            if source is not None:
                source.close()


def open_inputs(
    arguments: Sequence[str],
    files: Sequence[str],
    groups: Sequence[str],
    stdin: IO[Any] | None,
) -> BatchInputs:
    """Open and check every input now, so a bad one is exit 2 before any request.

    `-` (as an argument or `-f -`) is standard input, read once however often it is named.
    Regular files are scanned whole (in chunks, never held) so a binary file is refused up
    front; standard input and pipes cannot be read twice, so only their start is checked
    and a later undecodable line becomes an InvalidArn record.
    """
    group_arns = [parse_dataset_group_arn(group) for group in dict.fromkeys(groups)]
    wants_stdin = STDIN in arguments or STDIN in files
    inputs = BatchInputs(list(arguments), [], group_arns)
    try:
        inputs.stdin = _open_stdin(stdin) if wants_stdin else None
        for name in files:
            inputs.files.append(None if name == STDIN else _open_file(name))
    except BaseException:
        inputs.close()
        raise
    return inputs


def read_inputs(inputs: BatchInputs, service: JobReader) -> Iterator[Item]:
    """Every input, lazily, in order: arguments (`-` reads stdin there), files, then groups."""
    stdin = inputs.stdin
    for argument in inputs.arguments:
        if argument == STDIN:
            if stdin is not None:
                yield from _source_items(stdin)
                stdin = None  # standard input is read once, however often it is named
            continue
        item = classify(argument, Origin(ARGUMENT_SOURCE))
        if item is not None:
            yield item
    for source in inputs.files:
        if source is None:
            if stdin is not None:
                yield from _source_items(stdin)
                stdin = None
            continue
        yield from _source_items(source)
    for group in inputs.groups:
        yield from list_group(service, group)


def _open_stdin(stdin: IO[Any] | None) -> TextSource:
    if stdin is None:
        raise InvalidInputError("cannot read standard input: there is none")
    binary = getattr(stdin, "buffer", None)
    if binary is None and isinstance(stdin, io.TextIOBase):
        return TextSource(STDIN, stdin)  # already text (a test harness): nothing to decode
    return TextSource(STDIN, _decoded(binary if binary is not None else stdin, "standard input"))


def _open_file(name: str) -> TextSource:
    try:
        binary = open(name, "rb")  # noqa: SIM115 - closed when its lines are exhausted
    except IsADirectoryError:
        raise InvalidInputError(f"cannot read {name}: it is a directory") from None
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise InvalidInputError(f"cannot read {name}: {reason}") from None
    try:
        if stat.S_ISDIR(os.fstat(binary.fileno()).st_mode):
            raise InvalidInputError(f"cannot read {name}: it is a directory")
        stream = _decoded(binary, name)
        if stat.S_ISREG(os.fstat(binary.fileno()).st_mode):
            _scan_text(name, stream.encoding)
    except BaseException:
        binary.close()
        raise
    return TextSource(name, stream)


def _decoded(binary: Any, label: str) -> io.TextIOWrapper:
    """A text stream over `binary`: UTF-8 (a BOM dropped), or UTF-16 when it has a BOM."""
    buffered = binary if hasattr(binary, "peek") else io.BufferedReader(binary)
    try:
        head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    except OSError as error:
        raise InvalidInputError(f"cannot read {label}: {error.strerror or error}") from None
    # Windows PowerShell's `>` writes UTF-16 with a BOM: accept it rather than call it binary.
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        _refuse_binary(label, head, final=len(head) < SNIFF_BYTES)
    return io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline=None)


def _refuse_binary(label: str, head: bytes, *, final: bool) -> None:
    if b"\x00" in head:
        raise _not_text(label, "it contains NUL bytes")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=final)
    except UnicodeDecodeError:
        raise _not_text(label, "it is not UTF-8") from None


def _scan_text(path: str, encoding: str) -> None:
    """Decode a whole regular file once, in chunks; refuse it if any part is not text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as scan:
            while chunk := scan.read(_SCAN_CHUNK):
                if "\x00" in decoder.decode(chunk):
                    raise _not_text(path, "it contains NUL bytes")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise _not_text(path, f"it is not {encoding.removesuffix('-sig').upper()}") from error
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from None


def _not_text(label: str, reason: str) -> InvalidInputError:
    return InvalidInputError(
        f"cannot read {label}: not a text file ({reason})",
        "give one data deletion job ARN per line, as UTF-8 text",
    )


def classify(raw: str, origin: Origin) -> JobInput | InvalidLine | None:
    """One line or argument: None when blank or a comment, else a job ARN or an invalid line."""
    text = _COMMENT.sub("", raw).strip().strip("\ufeff").strip()
    if not text:
        return None
    try:
        return JobInput(parse_job_arn(text), origin)
    except InvalidArnError as error:
        return InvalidLine(text, _for_batch(text, error), origin)


def _for_batch(text: str, error: InvalidArnError) -> InvalidArnError:
    """The parser's error, with a hint that fits a batch where the parser's would not."""
    try:
        parse_dataset_group_arn(text)
    except InvalidArnError:
        return error
    return InvalidArnError(
        f"{shown(text)} is a dataset group ARN, not a data deletion job",
        "pass it as --dataset-group-arn to take every job of the group",
    )


def _source_items(source: TextSource) -> Iterator[Item]:
    for number, line in source.lines():
        item = classify(line, Origin(source.name, number))
        if item is not None:
            yield item


def list_group(service: JobReader, group: ResourceArn) -> Iterator[Item]:
    """Every job of a dataset group, page by page; a failed listing becomes one error item."""
    origin = Origin(group.text)
    count = 0
    try:
        for page_number, page in enumerate(service.iter_job_pages(group), start=1):
            for job in page:
                count += 1
                yield ListedJob(job, page_number, origin)
    except PdjError as error:
        yield GroupListingFailed(group, error, origin)
        return
    yield GroupListed(group, count)
