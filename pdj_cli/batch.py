"""`pdj batch` without the terminal: read inputs, answer each once, concurrently, and wait.

Three parts, each usable alone and tested alone:
- inputs: ARNs from arguments, files and standard input, read lazily line by line (a 100,000
  line file is never held in memory), plus every job of a dataset group through list paging;
  `unique` answers a duplicate once;
- `BatchRunner.run`: a bounded pool of workers describing jobs, yielding one `RecordReady` per
  unique input as answers arrive, with at most `concurrency * WINDOW_FACTOR` requests queued;
- with `wait`, a `WaitScheduler` that refreshes every pending job once per poll through the
  shared poller, listing a dataset group's jobs where a page sweep costs fewer requests than
  describing them one by one (`plan_group`).

Knows nothing of typer or rich and never prints: the command renders the events.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import functools
import hashlib
import io
import math
import os
import queue
import random as _random
import re
import stat
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from pdj_cli.arns import ResourceArn, parse_dataset_group_arn, parse_job_arn, shown
from pdj_cli.errors import (
    AwsError,
    ExitCode,
    InvalidArnError,
    InvalidInputError,
    PdjError,
)
from pdj_cli.models import DeletionJob, Status, exit_code_for_status
from pdj_cli.poller import (
    DEFAULT_GRACE,
    ErrorsPersisted,
    Observed,
    TimedOut,
    TransientFailure,
    poll_until_done,
)

STDIN = "-"
ARGUMENT_SOURCE = "argument"
# Requests queued per worker: enough that a worker never idles waiting for the reader, few
# enough that memory stays bounded by the concurrency, whatever the size of the input.
WINDOW_FACTOR = 4
SNIFF_BYTES = 8192
_SCAN_CHUNK = 1 << 20
_COMMENT = re.compile(r"(?:^|\s)#.*\Z", re.DOTALL)


class JobReader(Protocol):
    """What the batch needs of JobService (a fake in unit tests)."""

    def describe(self, arn: ResourceArn) -> DeletionJob: ...

    def iter_job_pages(
        self, dataset_group: ResourceArn | None = None
    ) -> Iterator[list[DeletionJob]]: ...


# -- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where an input came from: a file path, `-` (stdin), `argument`, or a dataset group ARN."""

    source: str
    line: int | None = None  # 1-based, counting every line (blank and comment lines too)

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class JobInput:
    """A valid job ARN to describe."""

    arn: ResourceArn
    origin: Origin

    @property
    def key(self) -> str:
        return self.arn.text


@dataclass(frozen=True)
class InvalidLine:
    """Input that is not a job ARN: an error record, never sent."""

    text: str
    error: InvalidArnError
    origin: Origin

    @property
    def key(self) -> str:
        return self.text


@dataclass(frozen=True)
class ListedJob:
    """A job found by listing a dataset group; `page` is the list page it was on (1-based)."""

    job: DeletionJob
    page: int
    origin: Origin

    @property
    def key(self) -> str:
        return self.job.arn


@dataclass(frozen=True)
class GroupListingFailed:
    """A dataset group whose listing failed (possibly after some pages): one error record."""

    group: ResourceArn
    error: PdjError
    origin: Origin

    @property
    def key(self) -> None:
        return None


@dataclass(frozen=True)
class GroupListed:
    """A dataset group's listing ended; not a record (it lets the view warn of empty groups)."""

    group: ResourceArn
    jobs: int

    @property
    def key(self) -> None:
        return None


Item = JobInput | InvalidLine | ListedJob | GroupListingFailed | GroupListed


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


def _digest(key: str) -> int:
    """A stable 64-bit digest of an input (surrogatepass: argv may hold undecodable bytes)."""
    data = key.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class DigestSet:
    """A set of strings kept as 64-bit digests in one flat array (open addressing, linear probe).

    Exact up to a digest collision: over n unique inputs the chance of any is about
    n**2 / 2**65, 3e-10 for 10**5 and 3e-8 for 10**6 (a collision would drop one input as a
    duplicate). Load stays between 1/3 and 2/3: 12-24 bytes a key.

    Measured per 100,000 ARNs (Python 3.11, loaded 2-CPU machine, CPU time, digest included):
    this, 2.1 MB (3.1 MB peak while growing) and 2.5-5 us an add; an in-memory sqlite3 table
    (INTEGER PRIMARY KEY, rowid or not), 1.5 MB of pages and 6-10 us; a set of int digests,
    7.8 MB; the set of ARN strings it replaces, 16.2 MB. Hand-written rather than sqlite3: as
    small, twice as fast, and nothing to close (a connection would need closing on every exit
    of the batch generator, which Python 3.13 warns of, and _sqlite3 is missing from some builds).
    """

    def __init__(self, capacity: int = 1024) -> None:
        if capacity < 2 or capacity & (capacity - 1):
            raise ValueError("capacity must be a power of two, at least 2")
        self._slots = array("Q", [0]) * capacity  # 0 marks an empty slot
        self._size = 0
        self._has_zero = False  # the digest 0 cannot be stored, so it is remembered here

    def __len__(self) -> int:
        return self._size

    @property
    def capacity(self) -> int:
        return len(self._slots)

    def add(self, key: str) -> bool:
        """Remembers `key`: True if it is new, False if it was added before."""
        digest = _digest(key)
        if digest == 0:
            new, self._has_zero = not self._has_zero, True
        else:
            new = self._insert(self._slots, digest)
        if new:
            self._size += 1
            if self._size * 3 > len(self._slots) * 2:
                self._grow()
        return new

    @staticmethod
    def _insert(slots: array[int], digest: int) -> bool:
        mask = len(slots) - 1
        index = digest & mask
        while (held := slots[index]) != 0:
            if held == digest:
                return False
            index = (index + 1) & mask
        slots[index] = digest
        return True

    def _grow(self) -> None:
        slots = array("Q", [0]) * (2 * len(self._slots))
        for digest in self._slots:
            if digest:
                self._insert(slots, digest)
        self._slots = slots


@dataclass
class Deduplicator:
    """Passes each input once: a job ARN (or an invalid text) seen before is counted, dropped.

    The only part of a batch that grows with the input: one 64-bit digest per unique key.
    """

    seen: DigestSet = field(default_factory=DigestSet)
    duplicates: int = 0

    def unique(self, items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            key = item.key
            if key is not None and not self.seen.add(key):
                self.duplicates += 1
                continue
            yield item


# -- records -----------------------------------------------------------------------------------

INTERNAL_ERROR_CODE = "InternalError"


@dataclass(frozen=True)
class ErrorInfo:
    code: str
    message: str
    exit_code: ExitCode

    @classmethod
    def from_exception(cls, error: BaseException) -> ErrorInfo:
        if isinstance(error, PdjError):
            message = error.message
            if isinstance(error, InvalidArnError) and error.hint:
                message = f"{message} ({error.hint})"
            return cls(error.code, message, error.exit_code)
        # A bug in pdj: still one record (nothing is dropped), and the batch exits 70.
        return cls(INTERNAL_ERROR_CODE, f"{type(error).__name__}: {error}", ExitCode.INTERNAL)


@dataclass(frozen=True)
class BatchRecord:
    """The answer to one unique input: a job, or an error.

    `index` is the input's position among unique inputs (json prints in that order).
    """

    index: int
    job: DeletionJob | None = None
    error: ErrorInfo | None = None
    subject: str | None = None  # the job ARN, or the input text that was not one
    origin: Origin | None = None
    group_arn: str | None = None  # set for a dataset group that could not be listed

    @property
    def status(self) -> str | None:
        return self.job.status if self.job else None

    def to_api(self) -> dict[str, Any]:
        """A job exactly as describe prints it; an error as documented in the README."""
        if self.job is not None:
            return self.job.to_api()
        assert self.error is not None
        record: dict[str, Any] = {}
        if self.group_arn is not None:
            record["datasetGroupArn"] = self.group_arn
        else:
            record["dataDeletionJobArn"] = self.subject
        record["error"] = {"code": self.error.code, "message": self.error.message}
        if self.origin is not None:
            record["source"] = self.origin.source
            if self.origin.line is not None:
                record["line"] = self.origin.line
        return record

    def exit_code(self, statuses_matter: bool) -> ExitCode:
        if self.error is not None:
            return self.error.exit_code
        if not statuses_matter or self.job is None:
            return ExitCode.OK
        return exit_code_for_status(self.job.status)


@dataclass
class Tally:
    """Counts for the summary line: jobs by status, errors by code."""

    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, record: BatchRecord) -> None:
        if record.error is not None:
            self.errors[record.error.code] += 1
        elif record.job is not None:
            self.statuses[record.job.status] += 1

    @property
    def total(self) -> int:
        return sum(self.statuses.values()) + sum(self.errors.values())

    def parts(self) -> list[tuple[str, int]]:
        """(label, count) in a stable order: known statuses first, then others, then errors."""
        order = [s.value for s in Status] + sorted(set(self.statuses) - {s.value for s in Status})
        parts = [(status, self.statuses[status]) for status in order if self.statuses[status]]
        errors = sum(self.errors.values())
        if errors:
            parts.append((plural(errors, "error"), errors))
        return parts

    def summary(self) -> str:
        noun = "record" if self.total == 1 else "records"
        counts = ", ".join(f"{count} {label}" for label, count in self.parts())
        return f"{self.total} {noun}" + (f": {counts}" if counts else "")


def plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


# -- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordReady:
    record: BatchRecord


@dataclass(frozen=True)
class InputComplete:
    """Every input is read: `total` records will be reported in all."""

    total: int
    duplicates: int


@dataclass(frozen=True)
class GroupExpanded:
    group: str
    jobs: int


@dataclass(frozen=True)
class JobPending:
    """With --wait: a job that is not terminal yet joins the jobs being waited for."""

    job: DeletionJob


@dataclass(frozen=True)
class WaitStarted:
    pending: int
    interval: float


@dataclass(frozen=True)
class StatusChanged:
    job: DeletionJob
    previous: str


@dataclass(frozen=True)
class PollTrouble:
    failure: TransientFailure


@dataclass(frozen=True)
class Polled:
    """One poll of the pending jobs ended."""

    pending: int
    at: float


@dataclass(frozen=True)
class WaitEnded:
    reason: str  # "done", "fail-fast", "timeout" or "errors"
    pending: int
    error: str | None = None  # with "errors": what persisted


BatchEvent = (
    RecordReady
    | InputComplete
    | GroupExpanded
    | JobPending
    | WaitStarted
    | StatusChanged
    | PollTrouble
    | Polled
    | WaitEnded
)


# -- the runner --------------------------------------------------------------------------------


@dataclass
class Tracked:
    """A job still being waited for."""

    index: int
    origin: Origin
    job: DeletionJob
    detailed: bool  # from a describe (has numDeleted, roleArn...), not only a list summary
    page: float | None = None  # list page it was last seen on; None: never listed; inf: absent


@dataclass(frozen=True)
class _Outcome:
    index: int
    item: JobInput | ListedJob
    job: DeletionJob | None = None
    error: BaseException | None = None


class BatchRunner:
    """Answers every input once, concurrently; with `wait`, until every job is terminal."""

    def __init__(
        self,
        service: JobReader,
        *,
        concurrency: int,
        wait: bool = False,
        fail_fast: bool = False,
        interval: float = 15.0,
        timeout: float | None = None,
        grace: float = DEFAULT_GRACE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.service = service
        self.concurrency = concurrency
        self.wait = wait
        self.fail_fast = fail_fast
        self.interval = interval
        self.timeout = timeout
        self.grace = grace
        self.clock = clock
        self.sleep = sleep
        self.random = random
        self.deduplicator = Deduplicator()
        self.failed_seen = False  # a FAILED job answered in the first pass (for --fail-fast)
        self.answered = False  # some request has succeeded: the configuration works

    def run(self, items: Iterable[Item]) -> Iterator[BatchEvent]:
        """Events as answers arrive: exactly one RecordReady per unique input."""
        started = self.clock()
        pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="pdj-batch")
        try:
            pending: dict[str, Tracked] = {}
            yield from self._first_pass(pool, self.deduplicator.unique(items), pending)
            if pending:
                scheduler = WaitScheduler(self.service, pool, pending, fail_fast=self.fail_fast)
                yield from self._wait(scheduler, started)
        finally:
            # Ctrl-C or a closed pipe: drop queued requests, do not wait for the ones in flight.
            pool.shutdown(wait=False, cancel_futures=True)

    # first pass: one describe per job, at most `window` in flight -------------------------------

    def _first_pass(
        self, pool: ThreadPoolExecutor, items: Iterator[Item], pending: dict[str, Tracked]
    ) -> Iterator[BatchEvent]:
        window = self.concurrency * WINDOW_FACTOR
        answers: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        in_flight = 0
        total = 0
        for item in items:
            if isinstance(item, GroupListed):
                yield GroupExpanded(item.group.text, item.jobs)
                continue
            index, total = total, total + 1
            if isinstance(item, ListedJob):
                self.answered = True  # the listing worked: so does the configuration
            if isinstance(item, (InvalidLine, GroupListingFailed)):
                if isinstance(item, GroupListingFailed):
                    self._abort_if_misconfigured(item.error)
                yield RecordReady(_error_record(index, item))
            elif isinstance(item, ListedJob) and self.wait and not item.job.is_terminal:
                # Its final describe comes when it ends: a listed pending job costs nothing now.
                pending[item.job.arn] = Tracked(index, item.origin, item.job, False, item.page)
                yield JobPending(item.job)
            else:
                future = pool.submit(self._describe, index, item)
                future.add_done_callback(functools.partial(_deliver, answers))
                in_flight += 1
            # Hand over what has arrived; block only when the window is full.
            while in_flight and (in_flight >= window or not answers.empty()):
                in_flight -= 1
                yield from self._answered(answers.get(), pending)
        yield InputComplete(total, self.deduplicator.duplicates)
        while in_flight:
            in_flight -= 1
            yield from self._answered(answers.get(), pending)

    def _describe(self, index: int, item: JobInput | ListedJob) -> _Outcome:
        # Runs in a worker: it must never raise, or the input's record would be lost.
        try:
            arn = item.arn if isinstance(item, JobInput) else parse_job_arn(item.job.arn)
            return _Outcome(index, item, job=self.service.describe(arn))
        except Exception as error:
            return _Outcome(index, item, error=error)

    def _abort_if_misconfigured(self, error: BaseException | None) -> None:
        # An error of the setup (credentials, keys, endpoint) met before any answer ends the
        # batch with one error line instead of one identical record per input.
        if isinstance(error, PdjError) and error.configuration and not self.answered:
            raise error

    def _answered(self, outcome: _Outcome, pending: dict[str, Tracked]) -> Iterator[BatchEvent]:
        item = outcome.item
        if outcome.job is None:
            self._abort_if_misconfigured(outcome.error)
            subject = item.arn.text if isinstance(item, JobInput) else item.job.arn
            error = ErrorInfo.from_exception(outcome.error or RuntimeError("no answer"))
            yield RecordReady(
                BatchRecord(outcome.index, error=error, subject=subject, origin=item.origin)
            )
            return
        job = outcome.job
        self.answered = True
        if job.status == Status.FAILED.value:
            self.failed_seen = True
        if self.wait and not job.is_terminal:
            page = item.page if isinstance(item, ListedJob) else None
            pending[job.arn] = Tracked(outcome.index, item.origin, job, True, page)
            yield JobPending(job)
            return
        yield RecordReady(BatchRecord(outcome.index, job=job, subject=job.arn, origin=item.origin))

    # --wait: poll what is pending -------------------------------------------------------------

    def _wait(self, scheduler: WaitScheduler, started: float) -> Iterator[BatchEvent]:
        yield WaitStarted(len(scheduler.pending), self.interval)
        if self.fail_fast and (self.failed_seen or scheduler.failed_seen):
            yield from self._stop(scheduler, "fail-fast")
            return
        timeout = (
            None if self.timeout is None else max(0.0, self.timeout - (self.clock() - started))
        )
        polls = poll_until_done(
            scheduler.sweep,
            lambda snapshot: not snapshot.pending or (self.fail_fast and snapshot.failed),
            interval=self.interval,
            timeout=timeout,
            grace=self.grace,
            key=lambda snapshot: snapshot.pending,
            sleep=self.sleep,
            clock=self.clock,
            random=self.random,
        )
        try:
            for event in polls:
                yield from scheduler.take_events()
                if isinstance(event, TransientFailure):
                    yield PollTrouble(event)
                elif isinstance(event, Observed):
                    yield Polled(len(scheduler.pending), event.at)
                elif isinstance(event, TimedOut):
                    yield from self._stop(scheduler, "timeout")
                    return
        except ErrorsPersisted as error:
            yield from scheduler.take_events()
            yield from self._stop(scheduler, "errors", error)
            return
        reason = "fail-fast" if scheduler.pending else "done"
        yield from self._stop(scheduler, reason)

    def _stop(
        self, scheduler: WaitScheduler, reason: str, error: AwsError | None = None
    ) -> Iterator[BatchEvent]:
        """Every job still pending gets its record: as last seen, or the error that stopped us."""
        yield WaitEnded(reason, len(scheduler.pending), error.message if error else None)
        for tracked in sorted(scheduler.pending.values(), key=lambda t: t.index):
            if error is not None:
                info = ErrorInfo.from_exception(error)
                yield RecordReady(
                    BatchRecord(
                        tracked.index, error=info, subject=tracked.job.arn, origin=tracked.origin
                    )
                )
            else:
                yield RecordReady(_job_record(tracked))
        scheduler.pending.clear()


def _deliver(answers: queue.SimpleQueue[_Outcome], future: Future[_Outcome]) -> None:
    # Runs in the worker as its describe ends; a cancelled one (shutting down) has no answer.
    if not future.cancelled():
        answers.put(future.result())


def _error_record(index: int, item: InvalidLine | GroupListingFailed) -> BatchRecord:
    error = ErrorInfo.from_exception(item.error)
    if isinstance(item, GroupListingFailed):
        return BatchRecord(index, error=error, group_arn=item.group.text, origin=item.origin)
    return BatchRecord(index, error=error, subject=item.text, origin=item.origin)


def _job_record(tracked: Tracked) -> BatchRecord:
    return BatchRecord(
        tracked.index, job=tracked.job, subject=tracked.job.arn, origin=tracked.origin
    )


# -- the --wait scheduler ----------------------------------------------------------------------


def plan_group(pages: Sequence[float | None]) -> int:
    """How many list pages to sweep for one dataset group's pending jobs (0: describe them).

    `pages` holds, for each pending job, the list page it was last seen on (None: never
    listed, inf: not in the listing). A sweep of d pages plus a describe of every job beyond
    page d costs d + (jobs beyond d) requests; describing them all costs one per job. Jobs
    never listed are explored with a sweep that stops before it could cost as much as
    describing them all would (at most one round of ~2x, then the pages are known).
    """
    count = len(pages)
    if count < 2:
        return 0  # one page costs what one describe does, and may not find the job
    if any(page is None for page in pages):
        return count - 1
    best_depth, best_cost = 0, count
    for depth in sorted({int(page) for page in pages if page is not None and page != math.inf}):
        cost = depth + sum(1 for page in pages if page is not None and page > depth)
        if cost < best_cost:
            best_depth, best_cost = depth, cost
    return best_depth


@dataclass(frozen=True)
class WaitSnapshot:
    """What one poll leaves: the pending jobs' statuses (the poller's change key)."""

    pending: tuple[tuple[str, str], ...]
    failed: bool


@dataclass(frozen=True)
class _GroupSweep:
    found: dict[str, tuple[DeletionJob, int]]
    pages: int
    complete: bool  # the listing ended: a job not found is not in it
    error: PdjError | None = None


class WaitScheduler:
    """One poll refreshes every pending job, with as few requests as it can.

    Per dataset group, `plan_group` chooses between one ListDataDeletionJobs sweep (100 jobs
    a page) and a describe per job. A job seen terminal in a list summary is described once
    more, because a summary lacks numDeleted, roleArn and dataSource. Finished jobs leave
    `pending` as RecordReady events, collected by `take_events` after each poll.
    """

    def __init__(
        self,
        service: JobReader,
        pool: ThreadPoolExecutor,
        pending: dict[str, Tracked],
        *,
        fail_fast: bool = False,
    ) -> None:
        self.service = service
        self.pool = pool
        self.pending = pending
        self.fail_fast = fail_fast
        self.failed_seen = any(t.job.status == Status.FAILED.value for t in pending.values())
        self._events: list[BatchEvent] = []
        self._lock = threading.Lock()
        self._first = True
        self._list_denied: set[str] = set()  # groups whose listing was refused: describe them
        self.requests_planned: Counter[str] = Counter()  # "list" pages and "describe" calls

    def take_events(self) -> list[BatchEvent]:
        events, self._events = self._events, []
        return events

    def snapshot(self) -> WaitSnapshot:
        statuses = tuple(sorted((arn, t.job.status) for arn, t in self.pending.items()))
        return WaitSnapshot(statuses, self.failed_seen)

    def sweep(self) -> WaitSnapshot:
        """The poller's fetch: refresh every pending job; AwsError(transient) if some failed."""
        if self._first:
            self._first = False  # the first pass has just looked at every job: no requests now
            self._finish_ready()
            return self.snapshot()
        transient: list[AwsError] = []
        unresolved = self._sweep_lists(transient)
        needing_describe = unresolved + [
            t for t in self.pending.values() if t.job.is_terminal and not t.detailed
        ]
        self._describe_all(needing_describe, transient)
        self._finish_ready()
        if transient:
            raise transient[0]
        return self.snapshot()

    # planning ---------------------------------------------------------------------------------

    def plan(self) -> tuple[dict[str, tuple[int, list[Tracked]]], list[Tracked]]:
        """Per dataset group, (pages to sweep, its pending jobs); and the jobs to describe."""
        groups: dict[str, list[Tracked]] = {}
        describe: list[Tracked] = []
        for tracked in self.pending.values():
            if tracked.job.is_terminal:
                continue  # only its detail is missing (see sweep)
            group = tracked.job.dataset_group_arn
            if group and group not in self._list_denied:
                groups.setdefault(group, []).append(tracked)
            else:
                describe.append(tracked)
        sweeps: dict[str, tuple[int, list[Tracked]]] = {}
        for group, members in groups.items():
            depth = plan_group([t.page for t in members])
            if depth > 0:
                sweeps[group] = (depth, members)
            else:
                describe.extend(members)
        return sweeps, describe

    # execution --------------------------------------------------------------------------------

    def _sweep_lists(self, transient: list[AwsError]) -> list[Tracked]:
        """Run every planned sweep at once; the jobs that still need a describe."""
        sweeps, describe = self.plan()
        futures = {
            group: self.pool.submit(self._sweep_group, group, {t.job.arn for t in members}, depth)
            for group, (depth, members) in sweeps.items()
        }
        for group, future in futures.items():
            result = future.result()
            self.requests_planned["list"] += result.pages
            members = sweeps[group][1]
            if result.error is not None:
                if _is_transient(result.error):
                    transient.append(result.error)  # type: ignore[arg-type]
                    continue  # retried next poll; the poller backs off
                self._list_denied.add(group)  # e.g. no ListDataDeletionJobs permission
            for tracked in members:
                found = result.found.get(tracked.job.arn)
                if found is not None:
                    self._update(tracked, found[0], detailed=False)
                    tracked.page = found[1]
                    continue
                tracked.page = (
                    math.inf if result.complete else max(tracked.page or 0, result.pages + 1)
                )
                describe.append(tracked)
        return describe

    def _sweep_group(self, group_arn: str, targets: set[str], page_limit: int) -> _GroupSweep:
        found: dict[str, tuple[DeletionJob, int]] = {}
        pages = 0
        try:
            group = parse_dataset_group_arn(group_arn)
            listing = self.service.iter_job_pages(group)
            try:
                for page in listing:
                    pages += 1
                    for job in page:
                        if job.arn in targets:
                            found[job.arn] = (job, pages)
                    if len(found) == len(targets) or pages >= page_limit:
                        return _GroupSweep(found, pages, complete=False)
            finally:
                close = getattr(listing, "close", None)
                if close is not None:
                    close()
        except PdjError as error:
            return _GroupSweep(found, pages, complete=False, error=error)
        return _GroupSweep(found, pages, complete=True)

    def _describe_all(self, jobs: list[Tracked], transient: list[AwsError]) -> None:
        self.requests_planned["describe"] += len(jobs)
        futures: list[tuple[Tracked, Future[DeletionJob]]] = [
            (tracked, self.pool.submit(self._describe_one, tracked.job.arn)) for tracked in jobs
        ]
        for tracked, future in futures:
            try:
                job = future.result()
            except Exception as error:
                if _is_transient(error):
                    transient.append(error)  # type: ignore[arg-type]
                    continue
                # Not found any more, access denied, a bug: this job ends as an error record.
                self.pending.pop(tracked.job.arn, None)
                info = ErrorInfo.from_exception(error)
                record = BatchRecord(
                    tracked.index, error=info, subject=tracked.job.arn, origin=tracked.origin
                )
                self._events.append(RecordReady(record))
                continue
            self._update(tracked, job, detailed=True)

    def _describe_one(self, arn: str) -> DeletionJob:
        return self.service.describe(parse_job_arn(arn))

    def _update(self, tracked: Tracked, job: DeletionJob, *, detailed: bool) -> None:
        previous = tracked.job
        if not detailed:
            # A summary lacks what a describe had; numDeleted may have moved, so it is dropped.
            job = dataclasses.replace(
                job,
                role_arn=job.role_arn or previous.role_arn,
                data_location=job.data_location or previous.data_location,
                num_deleted=None,
            )
        tracked.job, tracked.detailed = job, detailed
        if job.status == Status.FAILED.value:
            self.failed_seen = True
        if job.status != previous.status:
            self._events.append(StatusChanged(job, previous.status))

    def _finish_ready(self) -> None:
        for arn, tracked in list(self.pending.items()):
            if tracked.job.is_terminal and tracked.detailed:
                del self.pending[arn]
                self._events.append(RecordReady(_job_record(tracked)))


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, AwsError) and error.transient


# -- request counting (for --debug) ------------------------------------------------------------


class RequestCounter:
    """Counts HTTP requests by operation, retries included, through botocore's events.

    Registered on the session before any client exists, every client inherits the handler.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_operation: Counter[str] = Counter()

    def attach(self, session: Any) -> None:
        session.register("before-send.personalize", self._on_send)

    def _on_send(self, event_name: str = "", **_: Any) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        with self._lock:
            self.by_operation[operation] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.by_operation.values())

    def summary(self) -> str:
        with self._lock:
            parts = ", ".join(f"{op} {count}" for op, count in sorted(self.by_operation.items()))
            total = sum(self.by_operation.values())
        return f"{total} requests" + (f" ({parts})" if parts else "")
