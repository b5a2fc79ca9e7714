"""Fakes for the batch tests: a job service on a fake clock that counts its requests.

A helper module, not a test module (the batch tests import it); test_batch_fakes.py checks
that the fake pages and counts as ListDataDeletionJobs and DescribeDataDeletionJob do.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

from pdj_cli.arns import ResourceArn
from pdj_cli.errors import AwsError, JobNotFoundError
from pdj_cli.models import DeletionJob
from pdj_cli.request_counter import RequestCounter
from tests.factories import ACCOUNT, CREATED

PAGE_SIZE = 100


def group_arn(name: str = "shop", region: str = "us-east-1") -> str:
    return f"arn:aws:personalize:{region}:{ACCOUNT}:dataset-group/{name}"


def arn_of(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:personalize:{region}:{ACCOUNT}:data-deletion-job/{name}"


class FakeClock:
    """Monotonic seconds that move only when slept through."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class FakeJob:
    """A job whose status follows `timeline` ((status, from-second) pairs) on the fake clock."""

    name: str
    group: str = field(default_factory=group_arn)
    timeline: tuple[tuple[str, float], ...] = (("COMPLETED", 0.0),)
    order: int = 0  # newer jobs list first: higher order, earlier in the listing
    num_deleted: int = 100
    failure_reason: str = "The input file is empty."

    @property
    def arn(self) -> str:
        region = self.group.split(":")[3]
        return arn_of(self.name, region)

    def status_at(self, now: float) -> str:
        status = self.timeline[0][0]
        for candidate, since in self.timeline:
            if now >= since:
                status = candidate
        return status

    def described(self, now: float) -> DeletionJob:
        status = self.status_at(now)
        return DeletionJob(
            arn=self.arn,
            status=status,
            name=self.name,
            dataset_group_arn=self.group,
            data_location=f"s3://bucket/{self.name}.csv",
            role_arn=f"arn:aws:iam::{ACCOUNT}:role/Deletion",
            num_deleted=self.num_deleted if status == "COMPLETED" else None,
            created=CREATED,
            updated=CREATED + timedelta(seconds=now),
            failure_reason=self.failure_reason if status == "FAILED" else None,
        )

    def summarized(self, now: float) -> DeletionJob:
        return replace(self.described(now), data_location=None, role_arn=None, num_deleted=None)


class FakeSession:
    """Just enough of a botocore session for RequestCounter: handlers of before-send."""

    def __init__(self) -> None:
        self.handlers: list[Callable[..., None]] = []

    def register(self, event: str, handler: Callable[..., None]) -> None:
        assert event == "before-send.personalize"
        self.handlers.append(handler)

    def sent(self, operation: str) -> None:
        for handler in self.handlers:
            handler(event_name=f"before-send.personalize.{operation}", request=None)


class FakeService:
    """Describe and list jobs as JobService does, counting each request.

    `failures[arn]` is a list of exceptions a describe of that job raises, one per call, before
    it answers; `list_failures[group]` the same for list pages.
    """

    def __init__(self, jobs: list[FakeJob], clock: Callable[[], float] | None = None) -> None:
        self.jobs = {job.arn: job for job in jobs}
        self.clock = clock or (lambda: 0.0)
        self.requests: Counter[str] = Counter()
        self.described: Counter[str] = Counter()
        self.failures: dict[str, list[BaseException]] = {}
        self.list_failures: dict[str, list[BaseException]] = {}
        self.on_describe: Callable[[str], None] | None = None
        self.session = FakeSession()
        # As JobService(count_requests=True) does: whatever the command asked for, it counts.
        self.request_counter = RequestCounter()
        self.request_counter.attach(self.session)
        self._lock = threading.Lock()

    def describe(self, arn: ResourceArn) -> DeletionJob:
        with self._lock:
            self.requests["describe"] += 1
            self.described[arn.text] += 1
            planned = self.failures.get(arn.text)
            failure = planned.pop(0) if planned else None
        self.session.sent("DescribeDataDeletionJob")
        if self.on_describe is not None:
            self.on_describe(arn.text)
        if failure is not None:
            raise failure
        job = self.jobs.get(arn.text)
        if job is None:
            raise JobNotFoundError(f"Could not find data deletion job {arn.text}.")
        return job.described(self.clock())

    def iter_job_pages(
        self, dataset_group: ResourceArn | None = None
    ) -> Iterator[list[DeletionJob]]:
        members = [
            job
            for job in self.jobs.values()
            if dataset_group is None or job.group == dataset_group.text
        ]
        members.sort(key=lambda job: -job.order)
        key = dataset_group.text if dataset_group else ""
        for start in range(0, max(len(members), 1), PAGE_SIZE):
            with self._lock:
                self.requests["list"] += 1
                planned = self.list_failures.get(key)
                failure = planned.pop(0) if planned else None
            self.session.sent("ListDataDeletionJobs")
            if failure is not None:
                raise failure
            now = self.clock()
            yield [job.summarized(now) for job in members[start : start + PAGE_SIZE]]

    @property
    def total(self) -> int:
        return sum(self.requests.values())


def throttled() -> AwsError:
    return AwsError("throttled by AWS past every retry", code="ThrottlingException", transient=True)


def big_group(
    count: int, *, finish: Callable[[int], float] = lambda i: 0.0, fail_every: int = 0
) -> list[FakeJob]:
    """`count` jobs of one group, job i IN_PROGRESS until finish(i), then COMPLETED/FAILED."""
    jobs = []
    for i in range(count):
        end = "FAILED" if fail_every and (i + 1) % fail_every == 0 else "COMPLETED"
        timeline = (("IN_PROGRESS", 0.0), (end, finish(i))) if finish(i) > 0 else ((end, 0.0),)
        jobs.append(FakeJob(f"job-{i:05d}", timeline=timeline, order=count - i))
    return jobs
