"""`batch --wait`: the scheduler's choice between list sweeps and describes, on a fake clock."""

from __future__ import annotations

from collections import Counter

import pytest

from pdj_cli.arns import parse_job_arn
from pdj_cli.batch.events import (
    BatchEvent,
    JobPending,
    Polled,
    PollTrouble,
    RecordReady,
    StatusChanged,
    WaitEnded,
    WaitStarted,
)
from pdj_cli.batch.inputs import open_inputs, read_inputs
from pdj_cli.batch.items import JobInput, Origin
from pdj_cli.batch.records import BatchRecord
from pdj_cli.batch.runner import BatchRunner
from pdj_cli.batch.scheduler import Unlisted, plan_group
from pdj_cli.errors import AwsError, ExitCode, JobNotFoundError, most_severe
from tests.batch_fakes import (
    FakeClock,
    FakeJob,
    FakeService,
    big_group,
    group_arn,
    throttled,
)

NEVER, ABSENT = Unlisted.NEVER_LISTED, Unlisted.ABSENT


@pytest.mark.parametrize(
    ("pages", "depth"),
    [
        ([], 0),
        ([NEVER], 0),  # one job: a describe is as cheap as a page, and certain
        ([1], 0),
        ([NEVER, NEVER], 1),  # never listed: explore, spending less than describing would
        ([NEVER] * 250, 249),
        ([1, 1], 1),
        ([1, 2, 3] * 80, 3),  # a big group: 3 pages instead of 240 describes
        ([1, 40], 0),  # a tie: describing is as cheap and certain
        ([1, 1, 40], 1),  # sweep page 1, describe the deep one: 2 requests, not 3
        ([ABSENT, ABSENT], 0),  # not in the listing at all
        ([1, 1, ABSENT], 1),
        ([5, 5, 5, 5], 0),  # five pages to find four jobs: describe them
        ([5, 5, 5, 5, 5, 5], 5),
    ],
)
def test_plan_group_picks_the_cheapest_depth(pages: list[int | Unlisted], depth: int) -> None:
    assert plan_group(pages) == depth


# -- helpers -------------------------------------------------------------------------------------


class Run:
    """A batch run on a fake clock: events, records by ARN, the exit code and request counts."""

    def __init__(self, service: FakeService, clock: FakeClock, events: list[BatchEvent]) -> None:
        self.service = service
        self.clock = clock
        self.events = events
        self.records: dict[str, BatchRecord] = {}
        for event in events:
            if isinstance(event, RecordReady):
                key = event.record.subject or event.record.group_arn or ""
                assert key not in self.records, f"two records for {key}"
                self.records[key] = event.record
        self.polls = sum(1 for e in events if isinstance(e, Polled))

    def code(self) -> ExitCode:
        return most_severe(r.exit_code(True) for r in self.records.values())

    def statuses(self) -> Counter[str]:
        return Counter(r.job.status if r.job else "error" for r in self.records.values())

    def ended(self) -> WaitEnded:
        return next(e for e in self.events if isinstance(e, WaitEnded))


def run(
    jobs: list[FakeJob],
    *,
    arns: list[str] | None = None,
    groups: list[str] | None = None,
    service: FakeService | None = None,
    **settings: object,
) -> Run:
    clock = FakeClock()
    service = service or FakeService(jobs)
    service.clock = clock
    inputs = open_inputs(arns or [], [], groups or [], None)
    options: dict[str, object] = {"concurrency": 4, "wait": True, "interval": 10.0}
    options.update(settings)
    runner = BatchRunner(
        service,
        clock=clock,
        sleep=clock.sleep,
        random=lambda: 0.5,
        **options,  # type: ignore[arg-type]
    )
    return Run(service, clock, list(runner.run(read_inputs(inputs, service))))


def naive_cost(jobs: list[FakeJob], polls_at: list[float]) -> int:
    """Requests of the simple approach: describe every job once, then every pending job per poll."""
    return len(jobs) + sum(1 for t in polls_at for job in jobs if not _terminal(job, t))


def _terminal(job: FakeJob, at: float) -> bool:
    return job.status_at(at) in ("COMPLETED", "FAILED")


# -- the big group -------------------------------------------------------------------------------


def test_waiting_on_a_big_group_costs_about_one_request_per_job() -> None:
    jobs = big_group(250, finish=lambda i: 5.0 + i * 0.4, fail_every=25)  # all end by t=105
    result = run(jobs, groups=[group_arn()])

    assert len(result.records) == 250
    assert result.statuses() == Counter({"COMPLETED": 240, "FAILED": 10})
    assert result.code() == ExitCode.JOB_FAILED
    assert all(result.service.described[job.arn] == 1 for job in jobs)  # the final describe only
    completed = [r.job for r in result.records.values() if r.job and r.job.status == "COMPLETED"]
    assert all(job.num_deleted == 100 and job.role_arn for job in completed)  # full records
    polls_at = [10.0 * n for n in range(1, result.polls)]
    total = result.service.total
    assert result.service.requests["describe"] == 250
    assert total <= 250 + 3 * result.polls  # one describe a job, at most 3 pages a poll
    assert total < naive_cost(jobs, polls_at) / 5
    assert result.ended().reason == "done"


def test_jobs_given_one_by_one_are_polled_by_listing_their_group() -> None:
    jobs = big_group(30, finish=lambda i: 35.0)
    result = run(jobs, arns=[job.arn for job in jobs])
    # First pass: 30 describes. Polls at 10, 20, 30: one page each finds all 30.
    # At 40 the page shows them COMPLETED: 30 describes for their numDeleted.
    assert result.service.requests == Counter({"describe": 60, "list": 4})
    assert all(r.job and r.job.num_deleted == 100 for r in result.records.values())


def test_a_single_pending_job_is_described_not_listed() -> None:
    jobs = [FakeJob("solo", timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 25.0)))]
    result = run(jobs, arns=[jobs[0].arn])
    assert result.service.requests == Counter({"describe": 4})  # t=0, 10, 20, 30
    assert result.records[jobs[0].arn].job.status == "COMPLETED"  # type: ignore[union-attr]


def test_jobs_deep_in_a_large_group_are_explored_once_then_described() -> None:
    # 1000 jobs; the 5 pending are the oldest, on page 10 of the listing.
    jobs = big_group(1000)
    for job in jobs[-5:]:
        job.timeline = (("IN_PROGRESS", 0.0), ("COMPLETED", 25.0))
    result = run(jobs, arns=[job.arn for job in jobs[-5:]])
    # t=0: 5 describes. t=10: explore 4 pages (never 5: that would cost what describes do),
    # then 5 describes. t=20, t=30: 5 describes each; the pages are known to be too deep.
    assert result.service.requests == Counter({"describe": 5 + 5 + 5 + 5, "list": 4})


def test_pending_jobs_in_two_regions_are_swept_per_group() -> None:
    east, west = group_arn("shop"), group_arn("media", "eu-west-1")
    jobs = [
        FakeJob(f"{name}-{i}", group, (("PENDING", 0.0), ("COMPLETED", 15.0)), order=i)
        for name, group in (("east", east), ("west", west))
        for i in range(3)
    ]
    result = run(jobs, groups=[east, west])
    assert len(result.records) == 6
    # 2 initial listings, one sweep per group at t=10 and t=20, 6 final describes.
    assert result.service.requests == Counter({"list": 2 + 2 + 2, "describe": 6})
    assert {r.job.dataset_group_arn for r in result.records.values()} == {east, west}  # type: ignore[union-attr]


def test_status_changes_are_reported_once_each() -> None:
    jobs = [FakeJob("a", timeline=(("PENDING", 0.0), ("IN_PROGRESS", 5.0), ("FAILED", 15.0)))]
    jobs.append(FakeJob("b", timeline=(("PENDING", 0.0), ("COMPLETED", 15.0))))
    result = run(jobs, arns=[job.arn for job in jobs])
    changes = [
        (e.job.name, e.previous, e.job.status)
        for e in result.events
        if isinstance(e, StatusChanged)
    ]
    assert changes == [
        ("a", "PENDING", "IN_PROGRESS"),
        ("a", "IN_PROGRESS", "FAILED"),
        ("b", "PENDING", "COMPLETED"),
    ]
    assert sum(1 for e in result.events if isinstance(e, JobPending)) == 2
    assert next(e for e in result.events if isinstance(e, WaitStarted)).pending == 2


# -- stopping ------------------------------------------------------------------------------------


def test_fail_fast_stops_at_the_first_failed_job_and_reports_the_rest_as_seen() -> None:
    jobs = big_group(20, finish=lambda i: 100.0)
    jobs[7].timeline = (("IN_PROGRESS", 0.0), ("FAILED", 25.0))
    result = run(jobs, groups=[group_arn()], fail_fast=True)
    assert result.clock.now == 30.0
    assert result.ended().reason == "fail-fast" and result.ended().pending == 19
    assert result.statuses() == Counter({"IN_PROGRESS": 19, "FAILED": 1})
    failed = result.records[jobs[7].arn].job
    assert failed is not None and failed.failure_reason == "The input file is empty."
    assert result.code() == ExitCode.JOB_FAILED


def test_fail_fast_does_not_poll_when_a_job_failed_already() -> None:
    jobs = [FakeJob("bad", timeline=(("FAILED", 0.0),))]
    jobs.append(FakeJob("slow", timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 99.0))))
    result = run(jobs, arns=[job.arn for job in jobs], fail_fast=True)
    assert result.clock.now == 0.0
    assert result.service.requests == Counter({"describe": 2})
    assert result.statuses() == Counter({"FAILED": 1, "IN_PROGRESS": 1})


def test_timeout_reports_every_pending_job_as_last_seen() -> None:
    jobs = big_group(5, finish=lambda i: 1000.0)
    jobs[0].timeline = (("IN_PROGRESS", 0.0), ("COMPLETED", 12.0))
    result = run(jobs, groups=[group_arn()], timeout=35.0)
    assert result.clock.now == 35.0
    assert result.ended().reason == "timeout"
    assert result.statuses() == Counter({"COMPLETED": 1, "IN_PROGRESS": 4})
    assert result.code() == ExitCode.NOT_TERMINAL


def test_timeout_counts_from_the_start_of_the_batch() -> None:
    jobs = [FakeJob("slow", timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 99.0)))]
    service = FakeService(jobs)
    service.on_describe = lambda _: clock.sleep(8.0) if clock.now < 8 else None
    clock = FakeClock()
    service.clock = clock
    runner = BatchRunner(
        service,
        concurrency=1,
        wait=True,
        interval=5.0,
        timeout=20.0,
        clock=clock,
        sleep=clock.sleep,
    )
    list(runner.run(open_inputs_items([jobs[0].arn], service)))
    assert clock.now == 20.0  # 8 s of first pass, then 12 s of waiting


def open_inputs_items(arns: list[str], service: FakeService) -> list[JobInput]:
    return [JobInput(parse_job_arn(arn), Origin("argument")) for arn in arns]


# -- faults during the wait ----------------------------------------------------------------------


def test_a_failed_sweep_is_retried_after_a_backoff_and_nothing_is_lost() -> None:
    jobs = big_group(10, finish=lambda i: 15.0)
    service = FakeService(jobs)
    service.list_failures[group_arn()] = [None, throttled(), throttled()]  # type: ignore[list-item]
    result = run(jobs, groups=[group_arn()], service=service)
    troubles = [e for e in result.events if isinstance(e, PollTrouble)]
    assert len(troubles) == 2
    assert troubles[0].failure.first_in_streak and not troubles[1].failure.first_in_streak
    assert result.statuses() == Counter({"COMPLETED": 10})


def test_a_job_gone_while_waiting_becomes_an_error_record() -> None:
    jobs = [FakeJob("a", timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 15.0)))]
    service = FakeService(jobs)
    service.failures[jobs[0].arn] = [None, JobNotFoundError("deleted")]  # type: ignore[list-item]
    result = run(jobs, arns=[jobs[0].arn], service=service)
    record = result.records[jobs[0].arn]
    assert record.error is not None and record.error.code == "ResourceNotFoundException"
    assert result.code() == ExitCode.NOT_FOUND


def test_a_group_that_may_not_be_listed_is_described_instead() -> None:
    jobs = big_group(3, finish=lambda i: 25.0)
    service = FakeService(jobs)
    denied = AwsError("access denied", code="AccessDeniedException")
    service.list_failures[group_arn()] = [denied]
    result = run(jobs, arns=[job.arn for job in jobs], service=service)
    # t=0: 3 describes. t=10: a refused list, 3 describes. t=20, 30: 3 describes, no list.
    assert result.service.requests == Counter({"describe": 12, "list": 1})
    assert result.statuses() == Counter({"COMPLETED": 3})


def test_errors_that_persist_past_the_grace_end_pending_jobs_as_error_records() -> None:
    jobs = big_group(3, finish=lambda i: 1000.0)
    service = FakeService(jobs)
    service.list_failures[group_arn()] = [None] + [throttled()] * 100  # type: ignore[list-item]
    result = run(jobs, groups=[group_arn()], service=service, grace=60.0)
    assert result.ended().reason == "errors"
    assert result.statuses() == Counter({"error": 3})
    assert all(r.error and r.error.code == "ThrottlingException" for r in result.records.values())
    assert result.code() == ExitCode.AWS_ERROR
    assert 60.0 <= result.clock.now <= 80.0


# -- transient errors are a job's own, never its answer before the grace -------------------------


def test_a_job_failing_on_and_off_for_longer_than_the_grace_still_gets_its_answer() -> None:
    # every poll throttles one of the two for ~200 s, against a grace of 60 s; neither has a
    # streak of 60 s, though the batch as a whole never has an error-free poll
    jobs = [
        FakeJob("flaky", group_arn("g1"), timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 200.0))),
        FakeJob("steady", group_arn("g2"), timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 200.0))),
    ]
    service = FakeService(jobs)
    service.failures[jobs[0].arn] = [None, *([throttled(), None] * 12)]  # type: ignore[list-item]
    service.failures[jobs[1].arn] = [None, *([None, throttled()] * 12)]  # type: ignore[list-item]
    result = run(jobs, arns=[job.arn for job in jobs], service=service, grace=60.0)
    assert result.statuses() == Counter({"COMPLETED": 2})
    assert result.code() == ExitCode.OK


def test_a_job_failing_past_its_grace_is_an_error_record_while_the_others_go_on() -> None:
    jobs = [  # one job a group: each is described, not listed
        FakeJob("broken", group_arn("g1"), timeline=(("IN_PROGRESS", 0.0),)),
        FakeJob("fine", group_arn("g2"), timeline=(("IN_PROGRESS", 0.0), ("COMPLETED", 150.0))),
    ]
    service = FakeService(jobs)
    service.failures[jobs[0].arn] = [None] + [throttled()] * 100  # type: ignore[list-item]
    result = run(jobs, arns=[job.arn for job in jobs], service=service, grace=60.0)
    broken = result.records[jobs[0].arn]
    assert broken.error is not None and broken.error.code == "ThrottlingException"
    assert broken.error.message.startswith("gave up after 60s of errors (grace 60s)")
    assert result.records[jobs[1].arn].job.status == "COMPLETED"  # type: ignore[union-attr]
    assert result.ended().reason == "done"
