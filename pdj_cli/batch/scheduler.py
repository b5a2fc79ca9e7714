"""`batch --wait`: one poll refreshes every pending job, listing a dataset group's jobs where a
page sweep costs fewer requests than describing them one by one."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from pdj_cli.arns import parse_dataset_group_arn, parse_job_arn
from pdj_cli.batch.events import BatchEvent, RecordReady, StatusChanged
from pdj_cli.batch.items import JobReader, Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.errors import AwsError, PdjError
from pdj_cli.models import DeletionJob, Status
from pdj_cli.poller import DEFAULT_GRACE, ErrorsPersisted, Streak

if TYPE_CHECKING:
    from pdj_cli.batch.workers import WorkerPool


class Unlisted(Enum):
    """Why a pending job has no list page to look for it on."""

    NEVER_LISTED = "never listed"  # no sweep has looked for it yet: worth exploring
    ABSENT = "not in the listing"  # a complete listing of its group did not hold it


@dataclass
class Tracked:
    """A job still being waited for."""

    index: int
    origin: Origin
    job: DeletionJob
    detailed: bool  # from a describe (has numDeleted, roleArn...), not only a list summary
    page: int | Unlisted = Unlisted.NEVER_LISTED  # the list page it was last seen on
    trouble: Streak | None = None  # its unbroken run of transient errors, if it is in one

    def record(self) -> BatchRecord:
        """Its record as last seen."""
        return BatchRecord(self.index, job=self.job, subject=self.job.arn, origin=self.origin)


def plan_group(pages: Sequence[int | Unlisted]) -> int:
    """How many list pages to sweep for one dataset group's pending jobs (0: describe them).

    `pages` holds, for each pending job, the list page it was last seen on, or why there is
    none (`Unlisted`). A sweep of d pages plus a describe of every job beyond
    page d costs d + (jobs beyond d) requests; describing them all costs one per job. Jobs
    never listed are explored with a sweep that stops before it could cost as much as
    describing them all would (at most one round of ~2x, then the pages are known).
    """
    count = len(pages)
    if count < 2:
        return 0  # one page costs what one describe does, and may not find the job
    if Unlisted.NEVER_LISTED in pages:
        return count - 1
    best_depth, best_cost = 0, count
    for depth in sorted({page for page in pages if isinstance(page, int)}):
        cost = depth + sum(1 for page in pages if not isinstance(page, int) or page > depth)
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

    A transient error is a job's own: it is asked again next poll, and only its own streak of
    errors past `grace` makes it an error record. A poll where every request failed raises
    the error, so the poller backs off the whole sweep.
    """

    def __init__(
        self,
        service: JobReader,
        pool: WorkerPool,
        pending: dict[str, Tracked],
        *,
        grace: float = DEFAULT_GRACE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self.pool = pool
        self.pending = pending
        self.grace = grace
        self.clock = clock
        self.failed_seen = any(t.job.status == Status.FAILED.value for t in pending.values())
        self._events: list[BatchEvent] = []
        self._first = True
        self._list_denied: set[str] = set()  # groups whose listing was refused: describe them
        self._attempted = 0.0  # when the current poll began
        self._answers = 0  # requests of the current poll that were answered

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
        self._attempted = self.clock()
        self._answers = 0
        transient: list[AwsError] = []
        unresolved = self._sweep_lists(transient)
        needing_describe = unresolved + [
            t for t in self.pending.values() if t.job.is_terminal and not t.detailed
        ]
        self._describe_all(needing_describe, transient)
        self._finish_ready()
        if transient and not self._answers:
            raise transient[0]  # nothing answered at all: the poller backs off
        return self.snapshot()

    def _failed(self, tracked: Tracked, error: AwsError) -> None:
        """A transient error for one job: tried again next poll, unless past its grace."""
        streak = tracked.trouble = tracked.trouble or Streak(self.grace)
        try:
            streak.failed(error, self._attempted, self.clock())
        except ErrorsPersisted as persisted:
            self._error_record(tracked, persisted)

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
            members = sweeps[group][1]
            if result.pages:
                self._answers += 1
            if result.error is not None:
                if _is_transient(result.error):
                    transient.append(result.error)  # type: ignore[arg-type]
                    for tracked in members:
                        if tracked.job.arn not in result.found:
                            self._failed(tracked, result.error)  # type: ignore[arg-type]
                    continue  # retried next poll
                self._list_denied.add(group)  # e.g. no ListDataDeletionJobs permission
            for tracked in members:
                found = result.found.get(tracked.job.arn)
                if found is not None:
                    self._update(tracked, found[0], detailed=False)
                    tracked.page = found[1]
                    continue
                if result.complete:
                    tracked.page = Unlisted.ABSENT
                elif isinstance(tracked.page, int):
                    tracked.page = max(tracked.page, result.pages + 1)  # deeper than was read
                elif tracked.page is Unlisted.NEVER_LISTED:
                    tracked.page = result.pages + 1
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
        futures: list[tuple[Tracked, Future[DeletionJob]]] = [
            (tracked, self.pool.submit(self._describe_one, tracked.job.arn)) for tracked in jobs
        ]
        for tracked, future in futures:
            try:
                job = future.result()
            except Exception as error:
                if _is_transient(error):
                    transient.append(error)  # type: ignore[arg-type]
                    self._failed(tracked, error)  # type: ignore[arg-type]
                    continue
                # Not found any more, access denied, a bug: this job ends as an error record.
                self._error_record(tracked, error)
                continue
            self._answers += 1
            self._update(tracked, job, detailed=True)

    def _error_record(self, tracked: Tracked, error: BaseException) -> None:
        self.pending.pop(tracked.job.arn, None)
        info = ErrorInfo.from_exception(error)
        record = BatchRecord(
            tracked.index, error=info, subject=tracked.job.arn, origin=tracked.origin
        )
        self._events.append(RecordReady(record))

    def _describe_one(self, arn: str) -> DeletionJob:
        return self.service.describe(parse_job_arn(arn))

    def _update(self, tracked: Tracked, job: DeletionJob, *, detailed: bool) -> None:
        previous = tracked.job
        tracked.trouble = None  # answered: its streak of errors, if any, is over
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
                self._events.append(RecordReady(tracked.record()))


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, AwsError) and error.transient
