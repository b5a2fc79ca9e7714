"""`BatchRunner`: answers every unique input once, concurrently, then with `wait` polls what is
pending through the `WaitScheduler`."""

from __future__ import annotations

import functools
import queue
import random as _random
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass

from pdj_cli.arns import parse_job_arn
from pdj_cli.batch.dedup import Deduplicator
from pdj_cli.batch.events import (
    BatchEvent,
    GroupExpanded,
    InputComplete,
    JobPending,
    Polled,
    PollTrouble,
    RecordReady,
    WaitEnded,
    WaitReason,
    WaitStarted,
)
from pdj_cli.batch.items import (
    GroupListed,
    GroupListingFailed,
    InvalidLine,
    Item,
    JobInput,
    JobReader,
    ListedJob,
)
from pdj_cli.batch.records import BatchRecord, ErrorInfo, echoed
from pdj_cli.batch.scheduler import Tracked, Unlisted, WaitScheduler
from pdj_cli.batch.workers import WorkerPool
from pdj_cli.errors import AwsError, JobNotFoundError, PdjError
from pdj_cli.models import DeletionJob, Status
from pdj_cli.poller import (
    DEFAULT_GRACE,
    DEFAULT_INTERVAL,
    DEFAULT_MAX_BACKOFF,
    ErrorsPersisted,
    Observed,
    TimedOut,
    TransientFailure,
    never_connected,
    poll_until_done,
)

# Requests queued per worker: enough that a worker never idles waiting for the reader, few
# enough that memory stays bounded by the concurrency, whatever the size of the input.
WINDOW_FACTOR = 4
# A job whose describe failed transiently is tried again after a backoff from this base (capped
# by the grace, so a short --grace retries often enough to use it).
RETRY_BASE = 1.0
# A job just created may not be visible to describe at once (the service is eventually
# consistent): with `unseen_grace`, its first describe is tried again this often.
UNSEEN_STEP = 0.5


def until_visible(
    fetch: Callable[[], DeletionJob],
    grace: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> DeletionJob:
    """`fetch()`, with "not found" tried again every UNSEEN_STEP for up to `grace` seconds: a
    job just created may not be visible yet."""
    started = clock()
    while True:
        try:
            return fetch()
        except JobNotFoundError:
            waited = clock() - started
            if waited >= grace:
                raise
            sleep(min(UNSEEN_STEP, grace - waited))


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
        interval: float | None = None,  # None: DEFAULT_INTERVAL (--interval not given)
        timeout: float | None = None,
        grace: float = DEFAULT_GRACE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        unseen_grace: float = 0.0,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.service = service
        self.concurrency = concurrency
        self.wait = wait
        self.fail_fast = fail_fast
        self.interval = DEFAULT_INTERVAL if interval is None else interval
        self.timeout = timeout
        self.grace = grace
        self.clock = clock
        self.sleep = sleep
        self.random = random
        # `create --wait`: how long a job may answer "not found" at first before that is its
        # answer (the jobs were just created; batch's inputs get no such grace).
        self.unseen_grace = unseen_grace
        self.deduplicator = Deduplicator()
        self.failed_seen = False  # a FAILED job answered in the first pass (for --fail-fast)
        self.answered = False  # some request has succeeded: the configuration works
        self._connected = threading.Event()  # the same, as the workers see it
        # What `interrupted` needs to report after Ctrl-C or SIGTERM stopped `run`.
        self.pending: dict[str, Tracked] = {}
        self.unanswered = 0  # inputs sent and not answered yet
        self.left_pending: list[DeletionJob] = []  # jobs not terminal when interrupted
        self._answers: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        self._scheduler: WaitScheduler | None = None

    def run(self, items: Iterable[Item]) -> Generator[BatchEvent, None, None]:
        """Events as answers arrive: exactly one RecordReady per unique input."""
        started = self.clock()
        pool = WorkerPool(self.concurrency, "pdj-batch")
        try:
            yield from self._first_pass(pool, self.deduplicator.unique(items), self.pending)
            if self.pending:
                self._scheduler = WaitScheduler(
                    self.service, pool, self.pending, grace=self.grace, clock=self.clock
                )
                yield from self._wait(self._scheduler, started)
        finally:
            # Ctrl-C or a closed pipe: drop queued requests, do not wait for the ones in flight.
            pool.shutdown()

    def interrupted(self) -> Iterator[BatchEvent]:
        """After Ctrl-C or SIGTERM stopped `run`: the records it still has. Answers that had
        arrived, then every job still being waited for, as last seen."""
        while not self._answers.empty():
            self.unanswered -= 1
            outcome = self._answers.get_nowait()
            if outcome.job is not None or not _is_configuration(outcome.error):
                yield from self._answered(outcome, self.pending)
        if self._scheduler is not None:
            yield from self._scheduler.take_events()
        for tracked in sorted(self.pending.values(), key=lambda t: t.index):
            self.left_pending.append(tracked.job)
            yield RecordReady(tracked.record())
        self.pending.clear()

    # first pass: one describe per job, at most `window` in flight -------------------------------

    def _first_pass(
        self, pool: WorkerPool, items: Iterator[Item], pending: dict[str, Tracked]
    ) -> Iterator[BatchEvent]:
        window = self.concurrency * WINDOW_FACTOR
        answers = self._answers
        total = 0
        for item in items:
            if isinstance(item, GroupListed):
                yield GroupExpanded(item.group.text, item.jobs)
                continue
            index, total = total, total + 1
            if isinstance(item, ListedJob):
                self.answered = True  # the listing worked: so does the configuration
                self._connected.set()
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
                self.unanswered += 1
            # Hand over what has arrived; block only when the window is full.
            while self.unanswered and (self.unanswered >= window or not answers.empty()):
                outcome = answers.get()
                self.unanswered -= 1
                yield from self._answered(outcome, pending)
        yield InputComplete(total, self.deduplicator.duplicates)
        while self.unanswered:
            outcome = answers.get()
            self.unanswered -= 1
            yield from self._answered(outcome, pending)

    def _describe(self, index: int, item: JobInput | ListedJob) -> _Outcome:
        # Runs in a worker: it must never raise, or the input's record would be lost.
        try:
            arn = item.arn if isinstance(item, JobInput) else parse_job_arn(item.job.arn)
            job = self._first_answer(self._until_visible(lambda: self.service.describe(arn)))
            return _Outcome(index, item, job=job)
        except Exception as error:
            return _Outcome(index, item, error=error)

    def _until_visible(self, fetch: Callable[[], DeletionJob]) -> Callable[[], DeletionJob]:
        """`fetch`, with "not found" tried again, quietly, for up to `unseen_grace` seconds."""
        if self.unseen_grace <= 0:
            return fetch
        return lambda: until_visible(fetch, self.unseen_grace, self.clock, self.sleep)

    def _first_answer(self, fetch: Callable[[], DeletionJob]) -> DeletionJob:
        """One job's answer: transient errors (throttling, 5xx, a dropped or refused connection)
        are tried again with backoff, in this worker, until the job's own streak of them
        outlasts the grace (ErrorsPersisted). The poller's schedule, for a single answer."""
        retry_base = max(0.01, min(RETRY_BASE, self.grace / 10))
        for event in poll_until_done(
            fetch,
            lambda _job: True,
            interval=retry_base,
            grace=self.grace,
            sleep=self.sleep,
            clock=self.clock,
            random=self.random,
            max_backoff=max(retry_base, min(DEFAULT_MAX_BACKOFF, self.grace / 4)),
            fatal_before_first=self._never_connected,
        ):
            if isinstance(event, Observed):
                self._connected.set()
                return event.value
        raise AssertionError("the poller ends on an answer or an error")  # pragma: no cover

    def _never_connected(self, error: AwsError) -> bool:
        # A refused connection before anything in the run has answered: a wrong endpoint.
        return never_connected(error) and not self._connected.is_set()

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
            page = item.page if isinstance(item, ListedJob) else Unlisted.NEVER_LISTED
            pending[job.arn] = Tracked(outcome.index, item.origin, job, True, page)
            yield JobPending(job)
            return
        yield RecordReady(BatchRecord(outcome.index, job=job, subject=job.arn, origin=item.origin))

    # --wait: poll what is pending -------------------------------------------------------------

    def _wait(self, scheduler: WaitScheduler, started: float) -> Iterator[BatchEvent]:
        yield WaitStarted(len(scheduler.pending), self.interval)
        if self.fail_fast and (self.failed_seen or scheduler.failed_seen):
            yield from self._stop(scheduler, WaitReason.FAIL_FAST)
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
                    yield from self._stop(scheduler, WaitReason.TIMEOUT)
                    return
        except ErrorsPersisted as error:
            yield from scheduler.take_events()
            yield from self._stop(scheduler, WaitReason.ERRORS, error)
            return
        reason = WaitReason.FAIL_FAST if scheduler.pending else WaitReason.DONE
        yield from self._stop(scheduler, reason)

    def _stop(
        self, scheduler: WaitScheduler, reason: WaitReason, error: AwsError | None = None
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
                yield RecordReady(tracked.record())
        scheduler.pending.clear()


def _is_configuration(error: BaseException | None) -> bool:
    return isinstance(error, PdjError) and error.configuration


def _deliver(answers: queue.SimpleQueue[_Outcome], future: Future[_Outcome]) -> None:
    # Runs in the worker as its describe ends; a cancelled one (shutting down) has no answer.
    if not future.cancelled():
        answers.put(future.result())


def _error_record(index: int, item: InvalidLine | GroupListingFailed) -> BatchRecord:
    error = ErrorInfo.from_exception(item.error)
    if isinstance(item, GroupListingFailed):
        return BatchRecord(index, error=error, group_arn=item.group.text, origin=item.origin)
    subject, length = echoed(item.text)
    return BatchRecord(index, error=error, subject=subject, origin=item.origin, input_length=length)
