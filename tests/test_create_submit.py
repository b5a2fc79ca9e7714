"""Submitting one request: created, already submitted, other inputs, the five-PENDING limit and
--wait-for-slot on a fake clock; create's service errors over a Stubber'd botocore client."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from pdj_cli.arns import ResourceArn, parse_dataset_group_arn, parse_job_arn
from pdj_cli.batch.items import JobInput, Origin
from pdj_cli.batch.runner import BatchRunner
from pdj_cli.creating.plan import JobRequest
from pdj_cli.creating.submit import PENDING_LIMIT, Submitted, submit
from pdj_cli.errors import (
    AlreadyExistsError,
    AwsError,
    ExitCode,
    InvalidInputError,
    JobNotFoundError,
    LimitExceededError,
)
from pdj_cli.models import DeletionJob
from pdj_cli.service import JobService
from tests.batch_fakes import FakeClock, FakeJob, FakeService, arn_of
from tests.factories import ACCOUNT, GROUP

SHOP = parse_dataset_group_arn(GROUP)
ROLE = f"arn:aws:iam::{ACCOUNT}:role/PersonalizeDeletion"
REQUEST = JobRequest(SHOP, "PRIV-1-shop-0123abcd", "s3://erasures/PRIV-1.csv", ROLE)


class FakeCreator(FakeService):
    """FakeService that creates too, as the service does: unique names, at most five PENDING."""

    def __init__(self, jobs: list[FakeJob], clock: FakeClock) -> None:
        super().__init__(jobs, clock)
        self.created: list[dict[str, Any]] = []
        self.inputs: dict[str, tuple[str, str]] = {}

    def create_job(self, params: dict[str, Any], group: ResourceArn) -> str:
        self.requests["create"] += 1
        arn = arn_of(params["jobName"], group.region)
        if arn in self.jobs:
            raise AlreadyExistsError("it already exists")
        pending = [
            job
            for job in self.jobs.values()
            if job.group == group.text and job.status_at(self.clock()) == "PENDING"
        ]
        if len(pending) >= PENDING_LIMIT:
            raise LimitExceededError("a service limit was reached")
        now = self.clock()
        job = FakeJob(params["jobName"], group.text, (("PENDING", now), ("COMPLETED", now + 60)))
        self.jobs[arn] = job
        self.inputs[arn] = (params["dataSource"]["dataLocation"], params["roleArn"])
        self.created.append(params)
        return arn

    def describe(self, arn: ResourceArn) -> DeletionJob:
        job = super().describe(arn)
        location, role = self.inputs.get(arn.text, (job.data_location, job.role_arn))
        return replace(job, data_location=location, role_arn=role)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def busy_group(clock: FakeClock, until: float = 3600.0) -> FakeCreator:
    """Five PENDING jobs in the group; the first leaves PENDING at `until`."""
    jobs = [
        FakeJob(f"old-{n}", GROUP, (("PENDING", 0.0), ("IN_PROGRESS", until if n == 0 else 1e9)))
        for n in range(PENDING_LIMIT)
    ]
    return FakeCreator(jobs, clock)


def test_a_new_job_is_created(clock):
    service = FakeCreator([], clock)
    outcome = submit(service, REQUEST)
    assert outcome == Submitted(REQUEST, REQUEST.job_arn, created=True)
    assert service.created == [REQUEST.params()]


def test_the_same_request_again_is_already_submitted_and_creates_nothing(clock):
    service = FakeCreator([], clock)
    submit(service, REQUEST)
    again = submit(service, REQUEST)
    assert again.created is False
    assert again.arn == REQUEST.job_arn
    assert again.existing is not None and again.existing.status == "PENDING"
    assert len(service.created) == 1
    assert again.to_api() == {
        "dataDeletionJobArn": REQUEST.job_arn,
        "jobName": REQUEST.job_name,
        "datasetGroupArn": GROUP,
        "created": False,
    }


def test_the_same_name_with_other_inputs_is_exit_2_naming_the_differences(clock):
    service = FakeCreator([], clock)
    submit(service, REQUEST)
    other = replace(REQUEST, data_location="s3://erasures/other.csv", role_arn=ROLE + "2")
    with pytest.raises(InvalidInputError) as caught:
        submit(service, other)
    message = caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE
    assert "data location is s3://erasures/PRIV-1.csv, not s3://erasures/other.csv" in message
    assert f"role is {ROLE}, not {ROLE}2" in message
    assert "dataset group" not in message.split(":", 1)[1]  # the group is the same
    assert len(service.created) == 1


def test_a_name_taken_by_a_job_that_cannot_be_described_is_exit_2(clock, mocker):
    service = FakeCreator([], clock)
    mocker.patch.object(service, "create_job", side_effect=AlreadyExistsError("exists"))
    with pytest.raises(InvalidInputError, match="cannot be described"):
        submit(service, REQUEST, clock=clock, sleep=clock.sleep)
    assert sum(clock.sleeps) == pytest.approx(30)  # looked for, quietly, before giving up


def test_a_retried_create_whose_job_is_not_visible_yet_is_already_submitted(clock, mocker):
    # botocore retried a create whose answer was lost: the retry meets the name taken, and the
    # job, made a moment ago, answers "not found" for a while (eventual consistency).
    service = FakeCreator([], clock)
    submit(service, REQUEST)
    service.failures[REQUEST.job_arn] = [JobNotFoundError("not yet") for _ in range(3)]
    again = submit(service, REQUEST, clock=clock, sleep=clock.sleep)
    assert again.created is False
    assert len(service.created) == 1
    assert sum(clock.sleeps) == pytest.approx(1.5)


def test_the_limit_says_how_many_pending_jobs_the_group_has(clock):
    service = busy_group(clock)
    with pytest.raises(LimitExceededError) as caught:
        submit(service, REQUEST)
    error = caught.value
    assert error.exit_code == ExitCode.AWS_ERROR
    assert "has too many pending deletion jobs: 5 PENDING deletion jobs seen" in error.message
    assert GROUP in error.message
    assert "--wait-for-slot" in (error.hint or "")
    assert service.requests["list"] == 1
    assert clock.sleeps == []


def test_wait_for_slot_polls_the_list_until_a_job_moves_on_then_creates(clock):
    service = busy_group(clock, until=95.0)
    lines: list[str] = []
    outcome = submit(
        service,
        REQUEST,
        wait_for_slot=600,
        interval=30,
        clock=clock,
        sleep=clock.sleep,
        say=lines.append,
    )
    assert outcome.created is True
    assert clock.sleeps == [30, 30, 30, 30]  # the first job leaves PENDING at 95 s
    assert service.requests["create"] == 2
    assert service.requests["list"] == 1 + 4  # at the refusal, then once a poll
    assert lines == [
        "pdj: 5 PENDING deletion jobs in shop: waiting up to 10m for room for PRIV-1-shop-0123abcd",
        "pdj: still no room in shop for PRIV-1-shop-0123abcd: waited 1m of 10m",
    ]


def test_a_long_wait_for_slot_says_it_is_still_waiting_once_a_minute(clock):
    # Without a line now and then, a 30-minute wait looks hung (and a CI system that kills
    # silent jobs kills it).
    service = busy_group(clock)
    lines: list[str] = []
    with pytest.raises(LimitExceededError):
        submit(
            service,
            REQUEST,
            wait_for_slot=300,
            interval=20,
            clock=clock,
            sleep=clock.sleep,
            say=lines.append,
        )
    assert [line.rsplit(": ", 1)[1] for line in lines[1:]] == [
        f"waited {minutes}m of 5m" for minutes in (1, 2, 3, 4)
    ]


def test_wait_for_slot_gives_the_limit_error_when_the_time_runs_out(clock):
    service = busy_group(clock)
    with pytest.raises(LimitExceededError) as caught:
        submit(service, REQUEST, wait_for_slot=100, interval=30, clock=clock, sleep=clock.sleep)
    assert clock.sleeps == [30, 30, 30, 10]  # never past the deadline
    assert "after waiting 1m40s" in caught.value.message
    assert service.requests["create"] == 1


def big_busy_group(clock: FakeClock, until: float = 3600.0) -> FakeCreator:
    """busy_group, with 600 finished jobs too: seven list pages, against five describes."""
    service = busy_group(clock, until)
    old = [FakeJob(f"done-{n}", GROUP, (("COMPLETED", 0.0),), order=-n - 1) for n in range(600)]
    service.jobs.update((job.arn, job) for job in old)
    return service


def test_in_a_large_group_the_slot_is_watched_by_describing_the_jobs_that_hold_it(clock):
    service = big_busy_group(clock, until=65.0)
    outcome = submit(
        service, REQUEST, wait_for_slot=600, interval=30, clock=clock, sleep=clock.sleep
    )
    assert outcome.created is True
    assert clock.sleeps == [30, 30, 30]
    assert service.requests["list"] == 7  # the group's seven pages, once, at the refusal
    assert service.requests["describe"] == 5 + 5 + 1  # five a look, until the first moved on


def test_a_job_gone_from_the_group_frees_its_slot(clock):
    service = big_busy_group(clock)

    def sleep_and_lose_a_job(seconds: float) -> None:
        clock.sleep(seconds)
        service.jobs.pop(arn_of("old-2"), None)  # deleted while pdj waited

    outcome = submit(
        service, REQUEST, wait_for_slot=600, interval=30, clock=clock, sleep=sleep_and_lose_a_job
    )
    assert outcome.created is True
    assert clock.sleeps == [30]


def test_a_refusal_while_the_list_shows_no_unfinished_job_is_tried_again_after_an_interval(
    clock, mocker
):
    # The list can lag the service's count: with nothing seen to wait for, waiting until the
    # deadline would only end in the limit error; the next create is tried one interval later.
    service = FakeCreator([], clock)
    create = service.create_job
    refusals = iter([LimitExceededError("a service limit was reached")])

    def refuse_once(params: dict[str, Any], group: ResourceArn) -> str:
        refusal = next(refusals, None)
        if refusal is not None:
            raise refusal
        return create(params, group)

    mocker.patch.object(service, "create_job", side_effect=refuse_once)
    outcome = submit(
        service, REQUEST, wait_for_slot=600, interval=30, clock=clock, sleep=clock.sleep
    )
    assert outcome.created is True
    assert clock.sleeps == [30]


# -- create --wait: a job not visible at once ---------------------------------------------------


def test_a_job_not_yet_visible_is_waited_for_silently(clock):
    service = FakeService([FakeJob("new", GROUP, (("COMPLETED", 0.0),))], clock)
    service.failures[arn_of("new")] = [JobNotFoundError("not yet") for _ in range(3)]
    runner = BatchRunner(service, concurrency=1, clock=clock, sleep=clock.sleep, unseen_grace=30)
    items = [JobInput(parse_job_arn(arn_of("new")), Origin(GROUP))]
    records = [e.record for e in runner.run(items) if hasattr(e, "record")]
    assert [(r.job.status if r.job else r.error) for r in records] == ["COMPLETED"]
    assert service.described[arn_of("new")] == 4
    assert sum(clock.sleeps) == pytest.approx(1.5)


def test_a_job_still_not_visible_after_the_grace_is_not_found(clock):
    service = FakeService([], clock)
    runner = BatchRunner(service, concurrency=1, clock=clock, sleep=clock.sleep, unseen_grace=30)
    items = [JobInput(parse_job_arn(arn_of("never")), Origin(GROUP))]
    (record,) = [e.record for e in runner.run(items) if hasattr(e, "record")]
    assert record.error is not None and record.error.code == "ResourceNotFoundException"
    assert sum(clock.sleeps) == pytest.approx(30)


def test_without_the_grace_not_found_is_the_answer_at_once(clock):
    service = FakeService([], clock)
    runner = BatchRunner(service, concurrency=1, clock=clock, sleep=clock.sleep)
    items = [JobInput(parse_job_arn(arn_of("never")), Origin(GROUP))]
    (record,) = [e.record for e in runner.run(items) if hasattr(e, "record")]
    assert record.error is not None and clock.sleeps == []


# -- the service's errors for a create ------------------------------------------------------------


@pytest.fixture
def service() -> JobService:
    return JobService(session=botocore.session.Session())


@pytest.mark.parametrize(
    ("code", "error_type", "exit_code", "says", "hint_says"),
    [
        ("ResourceNotFoundException", JobNotFoundError, 4, f"group {GROUP}", "list-dataset"),
        ("InvalidInputException", InvalidInputError, 2, "rejected the input", None),
        ("TooManyTagsException", InvalidInputError, 2, "too many tags", "50 tags"),
        ("ResourceInUseException", AwsError, 5, f"{GROUP} is busy", "under way"),
        ("AccessDeniedException", AwsError, 5, "access denied", "iam:PassRole"),
        ("ResourceAlreadyExistsException", AlreadyExistsError, 2, "already exists", None),
        ("LimitExceededException", LimitExceededError, 5, "limit", None),
    ],
)
def test_create_errors_map_to_codes_and_hints(
    service, code, error_type, exit_code, says, hint_says
):
    with Stubber(service.client_for("us-east-1")) as stubber:
        stubber.add_client_error(
            "create_data_deletion_job",
            service_error_code=code,
            service_message="The service says no.",
            expected_params=REQUEST.params(),
        )
        with pytest.raises(error_type) as caught:
            service.create_job(REQUEST.params(), SHOP)
        stubber.assert_no_pending_responses()
    error = caught.value
    assert error.exit_code == exit_code
    assert error.code == code
    assert says in error.message
    if hint_says is not None:
        assert hint_says in (error.hint or "")


def test_access_denied_to_s3_hints_at_the_roles_access_to_the_data_location(service):
    with Stubber(service.client_for("us-east-1")) as stubber:
        stubber.add_client_error(
            "create_data_deletion_job",
            service_error_code="AccessDeniedException",
            service_message="Personalize cannot access the S3 bucket erasures.",
        )
        with pytest.raises(AwsError) as caught:
            service.create_job(REQUEST.params(), SHOP)
    hint = caught.value.hint or ""
    assert ROLE in hint and "s3://erasures/PRIV-1.csv" in hint and "s3:GetObject" in hint
    assert (
        caught.value.message
        == "access denied: " + "Personalize cannot access the S3 bucket erasures."
    )
