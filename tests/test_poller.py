"""The poller against a fake clock: every schedule, backoff and ending, in milliseconds."""

from __future__ import annotations

import gc
import itertools
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pdj_cli.errors import AwsError, InvalidInputError, JobNotFoundError
from pdj_cli.poller import (
    DEFAULT_GRACE,
    ErrorsPersisted,
    Observed,
    TimedOut,
    TransientFailure,
    backoff_delay,
    never_connected,
    poll_until_done,
)


class FakeClock:
    """Monotonic time that moves only when the poller sleeps or a fetch takes time."""

    def __init__(self, start: float = 1000.0, *, record: bool = True) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self.slept = 0
        self.record = record

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0, "the poller never sleeps for nothing"
        self.slept += 1
        if self.record:
            self.sleeps.append(seconds)
        self.now += seconds


class Script:
    """A fetch that answers from a list: a value, or an exception to raise; each takes `latency`."""

    def __init__(self, clock: FakeClock, answers: list[Any], latency: float = 0.0) -> None:
        self.clock = clock
        self.answers = iter(answers)
        self.latency = latency
        self.calls: list[float] = []

    def __call__(self) -> Any:
        self.calls.append(self.clock.now)
        self.clock.now += self.latency
        answer = next(self.answers)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def throttled() -> AwsError:
    return AwsError("throttled", code="ThrottlingException", transient=True)


def server_error() -> AwsError:
    return AwsError("HTTP 503", code="ServiceUnavailable", transient=True)


def refused() -> AwsError:
    return AwsError("could not connect", code="EndpointConnectionError", transient=True)


def reset() -> AwsError:
    return AwsError("connection reset", code="ConnectionClosedError", transient=True)


def read_timeout() -> AwsError:
    return AwsError("read timeout", code="ReadTimeoutError", transient=True)


TRANSIENT_ERRORS: dict[str, Callable[[], AwsError]] = {
    "throttling": throttled,
    "5xx": server_error,
    "connection refused": refused,
    "connection reset": reset,
    "read timeout": read_timeout,
}

TERMINAL = {"COMPLETED", "FAILED"}


def is_terminal(status: str) -> bool:
    return status in TERMINAL


def run(clock: FakeClock, fetch: Callable[[], Any], **settings: Any) -> list[Any]:
    settings.setdefault("interval", 15.0)
    return list(
        poll_until_done(
            fetch,
            is_terminal,
            sleep=clock.sleep,
            clock=clock,
            random=lambda: 0.5,
            **settings,
        )
    )


def statuses(events: list[Any]) -> list[tuple[str, bool]]:
    return [(event.value, event.changed) for event in events if isinstance(event, Observed)]


# -- transitions and the schedule ----------------------------------------------------------------


def test_transitions_are_reported_once_each_and_the_poll_ends_on_terminal() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "PENDING", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"])

    events = run(clock, fetch)

    assert statuses(events) == [
        ("PENDING", True),
        ("PENDING", False),
        ("IN_PROGRESS", True),
        ("IN_PROGRESS", False),
        ("COMPLETED", True),
    ]
    assert [event.at for event in events] == [1000.0, 1015.0, 1030.0, 1045.0, 1060.0]


def test_a_job_already_terminal_answers_at_once_without_sleeping() -> None:
    clock = FakeClock()
    events = run(clock, Script(clock, ["FAILED"]))

    assert statuses(events) == [("FAILED", True)]
    assert clock.sleeps == []


def test_the_interval_is_kept_from_poll_start_to_poll_start_despite_slow_answers() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING"] * 4 + ["COMPLETED"], latency=2.5)

    run(clock, fetch, interval=10.0)

    assert fetch.calls == [1000.0, 1010.0, 1020.0, 1030.0, 1040.0]
    assert clock.sleeps == [7.5] * 4


def test_an_answer_slower_than_the_interval_is_followed_at_once() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "COMPLETED"], latency=20.0)

    run(clock, fetch, interval=15.0)

    assert fetch.calls == [1000.0, 1020.0]
    assert clock.sleeps == []


def test_a_status_never_seen_before_is_shown_and_is_not_terminal() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "QUEUED_FOR_REVIEW", "QUEUED_FOR_REVIEW", "COMPLETED"])

    events = run(clock, fetch)

    assert statuses(events) == [
        ("PENDING", True),
        ("QUEUED_FOR_REVIEW", True),
        ("QUEUED_FOR_REVIEW", False),
        ("COMPLETED", True),
    ]


def test_key_decides_what_counts_as_a_change() -> None:
    clock = FakeClock()
    answers = [("PENDING", 1), ("PENDING", 2), ("COMPLETED", 3)]
    events = list(
        poll_until_done(
            Script(clock, answers),
            lambda value: value[0] == "COMPLETED",
            interval=1.0,
            key=lambda value: value[0],
            sleep=clock.sleep,
            clock=clock,
        )
    )

    assert [(event.value, event.changed) for event in events] == [
        (("PENDING", 1), True),
        (("PENDING", 2), False),
        (("COMPLETED", 3), True),
    ]


def test_a_non_positive_interval_is_refused() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="interval"):
        run(clock, Script(clock, ["PENDING"]), interval=0)


# -- timeout ------------------------------------------------------------------------------------


def test_the_timeout_ends_at_the_deadline_not_at_the_next_interval() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "IN_PROGRESS"])

    events = run(clock, fetch, interval=15.0, timeout=20.0)

    assert fetch.calls == [1000.0, 1015.0]
    assert clock.sleeps == [15.0, 5.0]
    assert events[-1] == TimedOut(last="IN_PROGRESS", at=1020.0)


def test_a_poll_exactly_at_the_deadline_still_happens_and_can_succeed() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "IN_PROGRESS", "COMPLETED"])

    events = run(clock, fetch, interval=5.0, timeout=10.0)

    assert fetch.calls == [1000.0, 1005.0, 1010.0]
    assert statuses(events)[-1] == ("COMPLETED", True)
    assert not any(isinstance(event, TimedOut) for event in events)


def test_a_poll_exactly_at_the_deadline_that_is_not_terminal_times_out_at_once() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "PENDING", "PENDING"])

    events = run(clock, fetch, interval=5.0, timeout=10.0)

    assert fetch.calls == [1000.0, 1005.0, 1010.0]
    assert events[-1] == TimedOut(last="PENDING", at=1010.0)
    assert sum(clock.sleeps) == 10.0


def test_a_timeout_shorter_than_the_interval_sleeps_only_until_the_deadline() -> None:
    clock = FakeClock()
    events = run(clock, Script(clock, ["PENDING"]), interval=15.0, timeout=10.0)

    assert clock.sleeps == [10.0]
    assert events[-1] == TimedOut(last="PENDING", at=1010.0)


def test_a_fetch_that_runs_past_the_deadline_is_not_followed_by_another() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["PENDING", "PENDING", "COMPLETED"], latency=7.0)

    events = run(clock, fetch, interval=5.0, timeout=10.0)

    assert fetch.calls == [1000.0, 1007.0]
    assert events[-1] == TimedOut(last="PENDING", at=1014.0)


def test_a_timeout_during_an_error_streak_reports_the_last_value_seen() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["IN_PROGRESS", throttled(), throttled(), throttled()])

    events = run(clock, fetch, interval=4.0, timeout=30.0)

    assert isinstance(events[-1], TimedOut)
    assert events[-1] == TimedOut(last="IN_PROGRESS", at=1030.0)
    failures = [event for event in events if isinstance(event, TransientFailure)]
    # retry_in never points past the deadline
    assert all(event.at + event.retry_in <= 1030.0 for event in failures)


def test_a_timeout_before_any_answer_has_no_last_value() -> None:
    clock = FakeClock()
    events = run(clock, Script(clock, [throttled()] * 5), interval=1.0, timeout=2.0)

    assert events[-1] == TimedOut(last=None, at=1002.0)


# -- transient errors -------------------------------------------------------------------------


@pytest.mark.parametrize("make_error", TRANSIENT_ERRORS.values(), ids=TRANSIENT_ERRORS.keys())
def test_each_transient_error_backs_off_and_recovery_returns_to_the_interval(
    make_error: Callable[[], AwsError],
) -> None:
    clock = FakeClock()
    answers = ["IN_PROGRESS", make_error(), make_error(), make_error(), "IN_PROGRESS"]
    fetch = Script(clock, [*answers, "IN_PROGRESS", "COMPLETED"])

    events = run(clock, fetch, interval=10.0, max_backoff=60.0)

    failures = [event for event in events if isinstance(event, TransientFailure)]
    assert [event.first_in_streak for event in failures] == [True, False, False]
    assert all(event.streak_started == 1010.0 for event in failures)
    # random() = 0.5: 3/4 of interval * 2**n, never below the interval: 15, 30, 60 * 3/4
    assert [event.retry_in for event in failures] == [15.0, 30.0, 45.0]
    gaps = [later - earlier for earlier, later in itertools.pairwise(fetch.calls)]
    assert gaps == [10.0, 15.0, 30.0, 45.0, 10.0, 10.0]
    assert statuses(events)[-1] == ("COMPLETED", True)


def botocore_errors() -> dict[str, BaseException]:
    import botocore.exceptions as bce

    def client_error(code: str, status: int) -> BaseException:
        response = {
            "Error": {"Code": code, "Message": "m"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        return bce.ClientError(response, "DescribeDataDeletionJob")

    url = "http://127.0.0.1:9"
    return {
        "ThrottlingException": client_error("ThrottlingException", 400),
        "InternalFailure 500": client_error("InternalFailure", 500),
        "ServiceUnavailable 503": client_error("ServiceUnavailable", 503),
        "connection refused": bce.EndpointConnectionError(endpoint_url=url),
        "connection reset": bce.ConnectionClosedError(endpoint_url=url),
        "read timeout": bce.ReadTimeoutError(endpoint_url=url),
        "connect timeout": bce.ConnectTimeoutError(endpoint_url=url),
    }


@pytest.mark.parametrize("name", list(botocore_errors()))
def test_every_botocore_transient_error_is_ridden_out_as_the_service_translates_it(
    name: str,
) -> None:
    from pdj_cli.aws_errors import translate_error

    translated = translate_error(botocore_errors()[name])
    assert isinstance(translated, AwsError)
    clock = FakeClock()
    answers = ["IN_PROGRESS", translated, translated, "COMPLETED"]

    events = run(clock, Script(clock, answers), interval=1.0)

    failures = [event for event in events if isinstance(event, TransientFailure)]
    assert [event.first_in_streak for event in failures] == [True, False]
    assert statuses(events)[-1] == ("COMPLETED", True)


def test_the_backoff_is_capped_and_has_jitter() -> None:
    delays = [
        backoff_delay(failures, interval=1.0, max_backoff=8.0, random=lambda: 0.0)
        for failures in range(1, 8)
    ]
    assert delays == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0]
    most = backoff_delay(10, interval=1.0, max_backoff=8.0, random=lambda: 0.999999)
    assert 7.99 < most <= 8.0
    # a day-long streak does not overflow
    assert backoff_delay(10_000, interval=1.0, max_backoff=8.0, random=lambda: 1.0) == 8.0


def test_the_backoff_is_never_shorter_than_the_interval() -> None:
    assert backoff_delay(1, interval=30.0, max_backoff=10.0, random=lambda: 0.0) == 30.0


def test_each_new_streak_is_reported_as_first_again() -> None:
    clock = FakeClock()
    answers = ["PENDING", throttled(), "PENDING", server_error(), server_error(), "COMPLETED"]

    events = run(clock, Script(clock, answers), interval=1.0)

    failures = [event for event in events if isinstance(event, TransientFailure)]
    assert [event.first_in_streak for event in failures] == [True, True, False]
    assert failures[0].streak_started != failures[1].streak_started


def test_throttling_before_the_first_answer_is_ridden_out() -> None:
    clock = FakeClock()
    answers = [throttled(), server_error(), "COMPLETED"]

    events = run(clock, Script(clock, answers), interval=1.0, fatal_before_first=never_connected)

    assert statuses(events) == [("COMPLETED", True)]


def test_a_refused_first_connection_ends_at_once_when_asked_to() -> None:
    clock = FakeClock()
    error = refused()

    with pytest.raises(AwsError) as raised:
        run(clock, Script(clock, [error]), fatal_before_first=never_connected)

    assert raised.value is error
    assert clock.sleeps == []


def test_a_refused_connection_after_the_first_answer_is_ridden_out() -> None:
    clock = FakeClock()
    answers = ["PENDING", refused(), refused(), "COMPLETED"]

    events = run(clock, Script(clock, answers), interval=1.0, fatal_before_first=never_connected)

    assert statuses(events)[-1] == ("COMPLETED", True)
    assert sum(isinstance(event, TransientFailure) for event in events) == 2


def test_never_connected_knows_refused_connections_only() -> None:
    assert never_connected(refused())
    assert never_connected(AwsError("x", code="ConnectTimeoutError", transient=True))
    assert not never_connected(throttled())
    assert not never_connected(reset())


# -- grace --------------------------------------------------------------------------------------


def test_a_streak_longer_than_the_grace_raises_errors_persisted() -> None:
    clock = FakeClock()
    fetch = Script(clock, ["IN_PROGRESS"] + [server_error() for _ in range(50)])

    with pytest.raises(ErrorsPersisted) as raised:
        run(clock, fetch, interval=10.0, grace=120.0, max_backoff=60.0)

    # the streak started with the poll at 1010; the last retry falls exactly at 1010 + grace
    assert fetch.calls[-1] == 1130.0
    assert raised.value.streak == 120.0
    assert raised.value.exit_code == 5
    assert raised.value.code == "ServiceUnavailable"
    assert raised.value.transient is False
    assert "120s" in raised.value.message
    assert "HTTP 503" in raised.value.message


def test_a_streak_just_inside_the_grace_recovers() -> None:
    clock = FakeClock()
    answers = ["IN_PROGRESS", throttled(), throttled(), throttled(), "COMPLETED"]

    events = run(clock, Script(clock, answers), interval=10.0, grace=80.0, max_backoff=60.0)

    # failures at 1010, 1025, 1055; the retry due at 1100 is pulled in to the grace's end
    assert statuses(events)[-1] == ("COMPLETED", True)
    assert events[-1].at == 1090.0


def test_recovery_resets_the_grace() -> None:
    clock = FakeClock()
    streak = [server_error() for _ in range(3)]
    answers = ["PENDING", *streak, "PENDING", *[server_error() for _ in range(3)], "COMPLETED"]

    events = run(clock, Script(clock, answers), interval=10.0, grace=100.0)

    assert statuses(events)[-1] == ("COMPLETED", True)


def test_the_default_grace_is_bounded() -> None:
    assert 60.0 <= DEFAULT_GRACE <= 3600.0


# -- errors that end a poll at once -------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        JobNotFoundError("gone"),
        AwsError("access denied", code="AccessDeniedException"),
        AwsError("no credentials", code="NoCredentials"),
        InvalidInputError("bad"),
    ],
    ids=["not found", "access denied", "no credentials", "invalid input"],
)
def test_non_transient_errors_propagate_unchanged(error: Exception) -> None:
    clock = FakeClock()

    with pytest.raises(type(error)) as raised:
        run(clock, Script(clock, ["PENDING", error]), interval=1.0)

    assert raised.value is error


# -- long watches ------------------------------------------------------------------------------


def test_ten_thousand_polls_do_not_grow_memory() -> None:
    clock = FakeClock(record=False)

    def forever() -> Iterator[str]:
        for count in itertools.count():
            if count % 7 == 3:
                yield "IN_PROGRESS"
            else:
                yield "PENDING"

    answers = forever()

    def fetch() -> str:
        return next(answers)

    events = poll_until_done(
        fetch, is_terminal, interval=15.0, sleep=clock.sleep, clock=clock, random=lambda: 0.5
    )
    for _ in range(1_000):  # warm up: first-call allocations are not growth
        next(events)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(10_000):
            next(events)
        gc.collect()
        before, _ = tracemalloc.get_traced_memory()
        for _ in range(10_000):
            next(events)
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - before < 4096, f"memory grew by {after - before} bytes over 10,000 polls"
    # 21,000 answers, one sleep between each two
    assert clock.slept == 20_999
    assert clock.now == 1000.0 + 20_999 * 15.0
