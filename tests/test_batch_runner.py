"""The batch runner without --wait: one record per unique input, concurrently, bounded."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import pytest

from pdj_cli.arns import parse_job_arn
from pdj_cli.batch.events import InputComplete, RecordReady
from pdj_cli.batch.inputs import classify, open_inputs, read_inputs
from pdj_cli.batch.items import Item, JobInput, Origin
from pdj_cli.batch.records import BatchRecord, ErrorInfo, Tally
from pdj_cli.batch.runner import WINDOW_FACTOR, BatchRunner
from pdj_cli.errors import AwsError, ExitCode, InvalidInputError, JobNotFoundError, most_severe
from pdj_cli.ui.words import tally_summary
from tests.batch_fakes import (
    FakeClock,
    FakeJob,
    FakeService,
    arn_of,
    big_group,
    group_arn,
    throttled,
)


def records_of(events: Iterator[object]) -> list[BatchRecord]:
    return [event.record for event in events if isinstance(event, RecordReady)]


def job_inputs(names: list[str]) -> list[Item]:
    return [
        JobInput(parse_job_arn(arn_of(name)), Origin("arns.txt", n))
        for n, name in enumerate(names, 1)
    ]


# -- accounting ----------------------------------------------------------------------------------


def test_every_input_gets_exactly_one_record_whatever_fails() -> None:
    jobs = [FakeJob(f"ok-{i}") for i in range(40)]
    service = FakeService(jobs)
    service.failures = {
        arn_of("ok-3"): [throttled()],  # transient: asked again, then answered
        arn_of("ok-4"): [AwsError("access denied", code="AccessDeniedException")],
        arn_of("ok-5"): [InvalidInputError("rejected", code="InvalidInputException")],
        arn_of("ok-6"): [RuntimeError("a bug")],
    }
    lines = [f"{arn_of(f'ok-{i}')}\n" for i in range(40)]
    lines[10:10] = ["\n", "# note\n", "not-an-arn\n", lines[0], f"{arn_of('gone')}\n"]
    items = (classify(line, Origin("-", n)) for n, line in enumerate(lines, 1))
    clock = FakeClock()
    runner = BatchRunner(service, concurrency=4, clock=clock, sleep=clock.sleep)
    events = list(runner.run(item for item in items if item is not None))

    records = records_of(events)
    assert len(records) == 42  # 40 jobs + 1 invalid + 1 missing; blank, comment, duplicate: none
    assert sorted(r.index for r in records) == list(range(42))
    by_subject = {r.subject: r for r in records}
    assert len(by_subject) == 42
    assert by_subject[arn_of("ok-3")].job is not None  # a throttled answer is "not yet"
    assert by_subject[arn_of("ok-4")].error.code == "AccessDeniedException"  # type: ignore[union-attr]
    assert by_subject[arn_of("ok-5")].error.exit_code == ExitCode.USAGE  # type: ignore[union-attr]
    assert by_subject[arn_of("ok-6")].error.code == "InternalError"  # type: ignore[union-attr]
    assert by_subject[arn_of("gone")].error.code == "ResourceNotFoundException"  # type: ignore[union-attr]
    assert by_subject["not-an-arn"].error.code == "InvalidArn"  # type: ignore[union-attr]
    assert "not-an-arn" not in service.described  # never sent
    assert service.requests["describe"] == 42  # ok-3 twice
    assert InputComplete(42, 1) in events


def test_records_of_a_dataset_group_are_described_in_full() -> None:
    service = FakeService(big_group(120))
    inputs = open_inputs([], [], [group_arn()], None)
    records = records_of(BatchRunner(service, concurrency=8).run(read_inputs(inputs, service)))
    assert len(records) == 120
    assert all(r.job is not None and r.job.num_deleted == 100 for r in records)
    assert service.requests == {"list": 2, "describe": 120}


def test_a_group_that_cannot_be_listed_is_one_error_record() -> None:
    service = FakeService([])
    service.list_failures[group_arn()] = [AwsError("access denied", code="AccessDeniedException")]
    inputs = open_inputs([], [], [group_arn()], None)
    records = records_of(BatchRunner(service, concurrency=2).run(read_inputs(inputs, service)))
    assert [r.to_api() for r in records] == [
        {
            "datasetGroupArn": group_arn(),
            "error": {"code": "AccessDeniedException", "message": "access denied"},
            "source": group_arn(),
        }
    ]
    assert records[0].exit_code(False) == ExitCode.AWS_ERROR


# -- record shapes -------------------------------------------------------------------------------


def test_a_job_record_is_exactly_the_job() -> None:
    job = FakeJob("a").described(0)
    record = BatchRecord(0, job=job, subject=job.arn, origin=Origin("-", 3))
    assert record.to_api() == job.to_api()


def test_an_error_record_names_the_input_and_where_it_was() -> None:
    item = classify("nope", Origin("arns.txt", 12))
    runner = BatchRunner(FakeService([]), concurrency=2)
    (record,) = records_of(runner.run([item]))  # type: ignore[list-item]
    api = record.to_api()
    assert list(api) == ["dataDeletionJobArn", "error", "source", "line"]
    assert api["dataDeletionJobArn"] == "nope"
    assert api["error"]["code"] == "InvalidArn"
    assert api["error"]["message"].startswith("invalid data deletion job ARN 'nope'")
    assert (api["source"], api["line"]) == ("arns.txt", 12)


def test_an_argument_error_record_has_no_line() -> None:
    record = BatchRecord(
        0,
        error=ErrorInfo("ResourceNotFoundException", "gone", ExitCode.NOT_FOUND),
        subject=arn_of("x"),
        origin=Origin("argument"),
    )
    assert record.to_api() == {
        "dataDeletionJobArn": arn_of("x"),
        "error": {"code": "ResourceNotFoundException", "message": "gone"},
        "source": "argument",
    }


# -- exit codes ----------------------------------------------------------------------------------

_ORDER = [
    ExitCode.USAGE,
    ExitCode.AWS_ERROR,
    ExitCode.NOT_FOUND,
    ExitCode.JOB_FAILED,
    ExitCode.NOT_TERMINAL,
    ExitCode.OK,
]


@pytest.mark.parametrize(("stronger", "weaker"), list(itertools.combinations(_ORDER, 2)))
def test_the_most_severe_code_wins_in_design_order(stronger: ExitCode, weaker: ExitCode) -> None:
    assert most_severe([weaker, stronger, weaker]) == stronger
    assert most_severe({stronger, weaker, ExitCode.OK}) == stronger


def test_no_records_is_success_and_a_bug_outranks_everything() -> None:
    assert most_severe([]) == ExitCode.OK
    assert most_severe([ExitCode.USAGE, ExitCode.INTERNAL]) == ExitCode.INTERNAL


@pytest.mark.parametrize(
    ("status", "gated", "expected"),
    [
        ("COMPLETED", True, ExitCode.OK),
        ("FAILED", True, ExitCode.JOB_FAILED),
        ("IN_PROGRESS", True, ExitCode.NOT_TERMINAL),
        ("PENDING", True, ExitCode.NOT_TERMINAL),
        ("QUEUED", True, ExitCode.NOT_TERMINAL),  # a future status is not terminal
        ("FAILED", False, ExitCode.OK),  # without --exit-status/--wait statuses do not count
        ("IN_PROGRESS", False, ExitCode.OK),
    ],
)
def test_a_job_record_code_depends_on_status_only_when_gated(
    status: str, gated: bool, expected: ExitCode
) -> None:
    job = FakeJob("a", timeline=((status, 0.0),)).described(0)
    assert BatchRecord(0, job=job).exit_code(gated) == expected


def test_error_records_count_with_or_without_gating() -> None:
    record = BatchRecord(0, error=ErrorInfo("ResourceNotFoundException", "x", ExitCode.NOT_FOUND))
    assert record.exit_code(False) == record.exit_code(True) == ExitCode.NOT_FOUND


def test_tally_counts_statuses_then_errors() -> None:
    tally = Tally()
    for status in ["FAILED", "COMPLETED", "COMPLETED", "QUEUED"]:
        tally.add(BatchRecord(0, job=FakeJob("a", timeline=((status, 0.0),)).described(0)))
    tally.add(BatchRecord(0, error=ErrorInfo("InvalidArn", "x", ExitCode.USAGE)))
    assert tally_summary(tally) == "5 records: 2 COMPLETED, 1 FAILED, 1 QUEUED, 1 error"
    tally.add(BatchRecord(0, error=ErrorInfo("InvalidArn", "y", ExitCode.USAGE)))
    assert tally_summary(tally).endswith(", 2 errors")


# -- concurrency and memory --------------------------------------------------------------------


def test_requests_in_flight_never_exceed_the_concurrency() -> None:
    active, peak = 0, 0
    lock = threading.Lock()

    def slow(_: str) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.002)
        with lock:
            active -= 1

    service = FakeService([FakeJob(f"j{i}") for i in range(120)])
    service.on_describe = slow
    records = records_of(
        BatchRunner(service, concurrency=5).run(job_inputs([f"j{i}" for i in range(120)]))
    )
    assert len(records) == 120
    assert 1 < peak <= 5


def test_a_huge_input_is_consumed_as_answers_arrive_not_ahead() -> None:
    pulled = 0

    def items() -> Iterator[Item]:
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield JobInput(parse_job_arn(arn_of(f"j{i}")), Origin("-", i + 1))

    service = FakeService([])  # every job is missing: cheap answers
    concurrency = 4
    events = BatchRunner(service, concurrency=concurrency).run(items())
    ahead = []
    for count, event in enumerate(events, 1):
        if isinstance(event, RecordReady):
            ahead.append(pulled - count)
        if count == 2_000:
            events.close()  # type: ignore[attr-defined]
            break
    # Never more than the window of requests read ahead of the answers handed out.
    assert max(ahead) <= concurrency * WINDOW_FACTOR + 1
    assert pulled < 3_000


def test_stopping_early_drops_queued_requests() -> None:
    # Ctrl-C or a closed pipe closes the generator: no more requests go out after it.
    service = FakeService([FakeJob(f"j{i}") for i in range(1000)])
    events = BatchRunner(service, concurrency=2).run(job_inputs([f"j{i}" for i in range(1000)]))
    before = set(threading.enumerate())
    next(e for e in events if isinstance(e, RecordReady))
    events.close()  # type: ignore[attr-defined]
    sent = service.requests["describe"]
    # A request a worker had taken when the queue was dropped may still go out, and nothing
    # after it: wait for the workers to end (a fixed sleep let a loaded machine run it later).
    for worker in set(threading.enumerate()) - before:
        if worker.name.startswith("pdj-batch"):
            worker.join(30)
            assert not worker.is_alive()
    assert sent <= service.requests["describe"] <= sent + 2 < 1000  # 2: one per worker


def test_not_found_is_an_error_record_with_the_service_code() -> None:
    service = FakeService([])
    service.failures[arn_of("x")] = [
        JobNotFoundError("no such job", code="ResourceNotFoundException")
    ]
    (record,) = records_of(BatchRunner(service, concurrency=2).run(job_inputs(["x"])))
    assert record.error == ErrorInfo("ResourceNotFoundException", "no such job", ExitCode.NOT_FOUND)


# -- configuration errors ------------------------------------------------------------------------


def no_credentials() -> AwsError:
    return AwsError(
        "no AWS credentials found", "run `aws configure`", code="NoCredentials", configuration=True
    )


def test_a_configuration_error_before_any_answer_ends_the_batch_once() -> None:
    service = FakeService([FakeJob(f"j{i}") for i in range(500)])
    service.failures = {arn_of(f"j{i}"): [no_credentials()] for i in range(500)}
    events = BatchRunner(service, concurrency=4).run(job_inputs([f"j{i}" for i in range(500)]))
    with pytest.raises(AwsError, match="no AWS credentials") as caught:
        list(events)
    assert caught.value.hint == "run `aws configure`"
    assert service.requests["describe"] < 100  # stopped early, not one failure per input


def test_the_same_error_after_an_answer_is_only_that_jobs_record() -> None:
    # Credentials that expire mid-batch: the jobs already answered keep their records.
    service = FakeService([FakeJob("ok"), FakeJob("late")])
    service.failures = {arn_of("late"): [no_credentials()]}
    records = records_of(BatchRunner(service, concurrency=1).run(job_inputs(["ok", "late"])))
    assert [r.error.code if r.error else r.job.status for r in records] == [  # type: ignore[union-attr]
        "COMPLETED",
        "NoCredentials",
    ]


# -- transient errors: "not yet", until the record's own grace has passed --------------------------


def test_a_transient_error_is_asked_again_with_backoff_until_the_job_answers() -> None:
    jobs = [FakeJob(f"job-{i}") for i in range(5)]
    service = FakeService(jobs)
    service.failures[arn_of("job-2")] = [throttled()] * 6
    clock = FakeClock()
    runner = BatchRunner(service, concurrency=2, clock=clock, sleep=clock.sleep, random=lambda: 0)
    records = records_of(runner.run(job_inputs([job.name for job in jobs])))
    assert all(record.job is not None for record in records)
    assert service.described[arn_of("job-2")] == 7
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]  # the poller's backoff from 1 s


def test_a_transient_streak_past_the_grace_is_the_records_error() -> None:
    service = FakeService([FakeJob("down")])
    service.failures[arn_of("down")] = [throttled()] * 1000
    clock = FakeClock()
    runner = BatchRunner(service, concurrency=1, grace=30.0, clock=clock, sleep=clock.sleep)
    [record] = records_of(runner.run(job_inputs(["down"])))
    assert record.error is not None and record.error.code == "ThrottlingException"
    assert record.error.message.startswith("gave up after 30s of errors (grace 30s)")
    assert record.error.exit_code == ExitCode.AWS_ERROR
    assert 30.0 <= clock.now <= 31.0


def test_a_refused_first_connection_still_stops_the_batch_at_once() -> None:
    refused = AwsError(
        "could not connect to the endpoint http://127.0.0.1:9",
        code="EndpointConnectionError",
        transient=True,
        configuration=True,
    )
    service = FakeService([FakeJob("a"), FakeJob("b")])
    service.failures = {arn_of("a"): [refused] * 10, arn_of("b"): [refused] * 10}
    clock = FakeClock()
    runner = BatchRunner(service, concurrency=1, clock=clock, sleep=clock.sleep)
    with pytest.raises(AwsError, match="could not connect"):
        list(runner.run(job_inputs(["a", "b"])))
    assert clock.sleeps == []


def test_a_refused_connection_after_answers_is_an_outage_ridden_out() -> None:
    refused = AwsError(
        "refused", code="EndpointConnectionError", transient=True, configuration=True
    )
    service = FakeService([FakeJob("a"), FakeJob("b")])
    service.failures = {arn_of("b"): [refused] * 3}
    clock = FakeClock()
    runner = BatchRunner(service, concurrency=1, clock=clock, sleep=clock.sleep)
    records = records_of(runner.run(job_inputs(["a", "b"])))
    assert [record.job is not None for record in records] == [True, True]
