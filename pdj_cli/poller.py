"""One poller for everything that waits: `pdj watch` and `pdj batch --wait`.

Interface stable: `Observed`, `TransientFailure`, `TimedOut`, `ErrorsPersisted`, `DEFAULT_GRACE`,
`DEFAULT_MAX_BACKOFF`, `never_connected` and `poll_until_done` keep their names and parameters;
new parameters are only ever added as optional keywords.

The poller is generic over what it fetches and knows nothing of botocore, typer or rich. It
yields events and the caller decides how to show them (live view, stderr lines, JSONL). Time
comes only from the injected `clock` and passes only through the injected `sleep`, so tests run
hours of polling against a fake clock in milliseconds.

Schedule:
- Polls start every `interval` seconds, measured from the start of one poll to the start of the
  next, so a slow answer does not make the watch drift.
- After a transient failure (an `AwsError` with `transient=True`, which botocore has already
  retried several times) the next poll waits an exponential backoff with jitter: between
  `interval * 2**(n-1)` and `interval * 2**n` for the n-th failure in a row, capped at
  `max_backoff`, never shorter than `interval`. The first answer ends the streak and the
  interval applies again.
- A streak of transient failures longer than `grace` seconds raises `ErrorsPersisted`. The last
  retry is scheduled exactly at the end of the grace, so the bound is kept to within one fetch.
- `timeout` is a hard deadline: no sleep goes past it. A poll scheduled at exactly the deadline
  still happens; when the next poll would fall after it, the poller sleeps until the deadline
  and yields `TimedOut` with the last value seen.

Memory is O(1) in the number of polls: only the previous key and the current streak are kept.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from pdj_cli.errors import AwsError

T = TypeVar("T")

# DESIGN: watch and batch --wait poll every --interval (default 15 s), at least 0.1 s.
DEFAULT_INTERVAL = 15.0
MIN_INTERVAL = 0.1
# Ten minutes of nothing but errors: long enough to ride out a regional blip, a VPN reconnect
# or a throttling storm (botocore has already retried each poll ~10 times), short enough that a
# broken watch in CI is reported well before a day-long job would have finished.
DEFAULT_GRACE = 600.0
# watch, off a terminal: a 'still ...' line at least this often (CI systems commonly kill a
# step silent for 10 minutes).
DEFAULT_HEARTBEAT = 300.0
# Backing off further than this would make a watch notice recovery too late.
DEFAULT_MAX_BACKOFF = 60.0

# pdj's codes for errors that mean no connection was ever made (see aws_errors.translate_error).
_NEVER_CONNECTED_CODES = frozenset({"EndpointConnectionError", "ConnectTimeoutError"})


@dataclass(frozen=True)
class Observed(Generic[T]):
    """A successful fetch. `changed`: key(value) differs from the previous one (True first)."""

    value: T
    at: float
    changed: bool


@dataclass(frozen=True)
class TransientFailure:
    """A transient AwsError during polling; the poller retries in `retry_in` seconds."""

    error: AwsError
    at: float
    streak_started: float
    first_in_streak: bool
    retry_in: float


@dataclass(frozen=True)
class TimedOut(Generic[T]):
    """The timeout ran out; `last` is the last value observed (None if none was)."""

    last: T | None
    at: float


class ErrorsPersisted(AwsError):
    """Transient errors went on for longer than the grace: the watch gives up (exit 5)."""

    def __init__(self, last_error: AwsError, streak: float, grace: float):
        seconds = f"{streak:.0f}s" if streak >= 1 else f"{streak:.1f}s"
        super().__init__(
            f"gave up after {seconds} of errors (grace {grace:g}s); "
            f"the last one: {last_error.message}",
            last_error.hint,
            code=last_error.code,
            transient=False,
        )
        self.last_error = last_error
        self.streak = streak
        self.grace = grace


def never_connected(error: AwsError) -> bool:
    """For `fatal_before_first`: the endpoint refused (or never answered) a connection."""
    return error.code in _NEVER_CONNECTED_CODES


def backoff_delay(
    failures: int,
    *,
    interval: float,
    max_backoff: float,
    random: Callable[[], float] = _random.random,
) -> float:
    """The wait after the `failures`-th transient failure in a row ("equal jitter")."""
    ceiling = max(interval, max_backoff)
    # Cap the exponent too: 2**failures on a day-long streak would overflow a float.
    upper = min(ceiling, interval * 2.0 ** min(failures, 64))
    return max(interval, upper / 2 + random() * upper / 2)


class Streak:
    """An unbroken run of transient failures of one thing being polled, and its grace.

    The poller keeps one; `batch` keeps one per job, so a job's streak ends when that job is
    answered, whatever happens to the others.
    """

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.started: float | None = None
        self.failures = 0

    def failed(self, error: AwsError, attempted: float, now: float) -> bool:
        """Count a failure of an attempt made at `attempted`; True if it starts the streak.

        Raises ErrorsPersisted once the streak has lasted `grace` seconds.
        """
        first = self.started is None
        if self.started is None:
            self.started = attempted
        self.failures += 1
        if now - self.started >= self.grace:
            raise ErrorsPersisted(error, now - self.started, self.grace) from error
        return first

    def retry_at(
        self,
        now: float,
        *,
        interval: float,
        max_backoff: float,
        random: Callable[[], float] = _random.random,
    ) -> float:
        """When to try again: a backoff, but the last retry falls exactly at the grace's end."""
        delay = backoff_delay(
            self.failures, interval=interval, max_backoff=max_backoff, random=random
        )
        end = (self.started if self.started is not None else now) + self.grace
        return min(now + delay, end)

    def ended(self) -> None:
        self.started, self.failures = None, 0


def poll_until_done(
    fetch: Callable[[], T],
    done: Callable[[T], bool],
    *,
    interval: float,
    timeout: float | None = None,
    grace: float = DEFAULT_GRACE,
    key: Callable[[T], Hashable] = lambda value: value,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    random: Callable[[], float] = _random.random,
    max_backoff: float = DEFAULT_MAX_BACKOFF,
    fatal_before_first: Callable[[AwsError], bool] | None = None,
) -> Iterator[Observed[T] | TransientFailure | TimedOut[T]]:
    """Fetch until `done(value)`; yields an event for every fetch and ends after a done value.

    Non-transient errors from `fetch` (JobNotFoundError, InvalidInputError, an AwsError with
    transient False) propagate unchanged. `fatal_before_first(error)` makes a transient error
    fatal as long as no fetch has succeeded yet: a watch whose endpoint refuses the very first
    connection is misconfigured, not briefly down (use `never_connected`).
    """
    if interval <= 0:
        raise ValueError("interval must be positive")
    started = clock()
    deadline = None if timeout is None else started + timeout
    last: T | None = None
    last_key: Hashable = None
    answered = False
    streak = Streak(grace)

    while True:
        poll_started = clock()
        try:
            value = fetch()
        except AwsError as error:
            if not error.transient:
                raise
            if not answered and fatal_before_first is not None and fatal_before_first(error):
                raise
            now = clock()
            first_in_streak = streak.failed(error, poll_started, now)
            wake = streak.retry_at(now, interval=interval, max_backoff=max_backoff, random=random)
            next_step = wake if deadline is None else min(wake, deadline)
            yield TransientFailure(
                error=error,
                at=now,
                streak_started=streak.started or poll_started,
                first_in_streak=first_in_streak,
                retry_in=max(0.0, next_step - now),
            )
        else:
            now = clock()
            current_key = key(value)
            changed = not answered or current_key != last_key
            answered, last, last_key = True, value, current_key
            streak.ended()
            yield Observed(value=value, at=now, changed=changed)
            if done(value):
                return
            wake = poll_started + interval

        # A fetch that ran past the deadline ends the watch too, not one more poll.
        if deadline is not None and max(wake, clock()) > deadline:
            _sleep_until(deadline, sleep, clock)
            yield TimedOut(last=last, at=clock())
            return
        _sleep_until(wake, sleep, clock)


def _sleep_until(moment: float, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
    remaining = moment - clock()
    if remaining > 0:
        sleep(remaining)
