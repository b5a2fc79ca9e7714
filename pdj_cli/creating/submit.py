"""Sending one planned request: a job already submitted by an earlier run is recognised, and
the five-PENDING limit is reported with what the group holds, or waited out (--wait-for-slot)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from pdj_cli.arns import ResourceArn, parse_job_arn
from pdj_cli.batch.runner import until_visible
from pdj_cli.creating.plan import JobRequest
from pdj_cli.durations import duration_text
from pdj_cli.errors import (
    AlreadyExistsError,
    InvalidInputError,
    JobNotFoundError,
    LimitExceededError,
)
from pdj_cli.models import DeletionJob, Status

# The service's documented limit: at most five PENDING deletion jobs per dataset group.
PENDING_LIMIT = 5
DEFAULT_SLOT_INTERVAL = 15.0  # --wait-for-slot looks at the group this often by default
# While --wait-for-slot waits, a line at the first look after this long without one (as batch's
# heartbeat off a terminal), so a long wait does not look hung.
HEARTBEAT_SECONDS = 60.0
# How long a job just created may answer "not found" before that is taken for its answer.
UNSEEN_GRACE = 30.0


class JobCreator(Protocol):
    """What submitting needs of JobService (a fake or a Stubber'd client in tests)."""

    def create_job(self, params: dict[str, Any], group: ResourceArn) -> str: ...

    def describe(self, arn: ResourceArn) -> DeletionJob: ...

    def iter_job_pages(
        self, dataset_group: ResourceArn | None = None
    ) -> Iterator[list[DeletionJob]]: ...


@dataclass(frozen=True)
class Submitted:
    """One request's outcome: the job, created now or found already submitted."""

    request: JobRequest
    arn: str
    created: bool
    existing: DeletionJob | None = None  # the job found, when it was already submitted

    def to_api(self) -> dict[str, Any]:
        """An entry of `{"dataDeletionJobs": [...]}` and a jsonl line (README: Output)."""
        return {
            "dataDeletionJobArn": self.arn,
            "jobName": self.request.job_name,
            "datasetGroupArn": self.request.group.text,
            "created": self.created,
        }


def submit(
    service: JobCreator,
    request: JobRequest,
    *,
    wait_for_slot: float | None = None,
    interval: float = DEFAULT_SLOT_INTERVAL,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = lambda line: None,
) -> Submitted:
    """Create the job; a job of its name with the same inputs is `created=False`.

    Raises InvalidInputError (exit 2) naming the differences when that name holds other
    inputs, and AwsError (exit 5) saying what the group holds when it has no room left
    (after waiting up to `wait_for_slot` seconds for room, when given).
    """
    deadline: float | None = None
    while True:
        try:
            arn = service.create_job(request.params(), request.group)
            return Submitted(request, arn, created=True)
        except AlreadyExistsError as error:
            return _already_submitted(service, request, error, clock, sleep)
        except LimitExceededError as error:
            load = _load(service, request.group)
            if wait_for_slot is None:
                raise _limit_error(request.group, load.unfinished, error) from error
            if deadline is None:
                deadline = clock() + wait_for_slot
                say(
                    f"pdj: {_counts(load.unfinished)} in {request.group.name}: waiting up to "
                    f"{duration_text(wait_for_slot)} for room for {request.job_name}"
                )
                still_waiting = _still_waiting(request, wait_for_slot, clock, say)
            room = _wait_for_room(
                service, request.group, load, deadline, interval, clock, sleep, still_waiting
            )
            if not room:
                last = _load(service, request.group).unfinished
                raise _limit_error(request.group, last, error, waited=wait_for_slot) from error


def _still_waiting(
    request: JobRequest, total: float, clock: Callable[[], float], say: Callable[[str], None]
) -> Callable[[], None]:
    started = clock()

    def line() -> None:
        say(
            f"pdj: still no room in {request.group.name} for {request.job_name}: "
            f"waited {duration_text(clock() - started)} of {duration_text(total)}"
        )

    return line


@dataclass(frozen=True)
class GroupLoad:
    """What holds the group's slots: its unfinished jobs (ARN -> status), and how many list
    pages it took to see them."""

    unfinished: dict[str, str]
    pages: int


def _load(service: JobCreator, group: ResourceArn) -> GroupLoad:
    unfinished: dict[str, str] = {}
    pages = 0
    for page in service.iter_job_pages(group):
        pages += 1
        unfinished.update((job.arn, job.status) for job in page if not job.is_terminal)
    return GroupLoad(unfinished, pages)


def _moved_on(status: str, now: str | None) -> bool:
    """A job that held a slot no longer does: it left PENDING, ended, or is gone."""
    return (
        now is None or Status.is_terminal(now) or (status == Status.PENDING.value and now != status)
    )


def _any_moved_on(service: JobCreator, group: ResourceArn, load: GroupLoad) -> bool:
    """One cheap look: the group's list again, or a describe of each job that held a slot
    (stopping at the first that moved on), whichever takes fewer requests."""
    if not load.unfinished:
        return True  # nothing seen holds a slot (the list lags the service): just try again
    if load.pages <= len(load.unfinished):
        current = _load(service, group).unfinished
        return any(_moved_on(status, current.get(arn)) for arn, status in load.unfinished.items())
    for arn, status in load.unfinished.items():
        try:
            now: str | None = service.describe(parse_job_arn(arn)).status
        except JobNotFoundError:
            now = None
        if _moved_on(status, now):
            return True
    return False


def _wait_for_room(
    service: JobCreator,
    group: ResourceArn,
    load: GroupLoad,
    deadline: float,
    interval: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    still_waiting: Callable[[], None],
) -> bool:
    """Look every `interval` until a job that held a slot has moved on (at once, when none was
    seen); False at the deadline. `still_waiting` is called about once a HEARTBEAT_SECONDS.

    The service counts PENDING jobs (an emulator or a future service may count every unfinished
    one): either way a job that moved on makes the next create worth trying, and it is tried no
    sooner than one interval after the refusal.
    """
    last_line = clock()
    while True:
        now = clock()
        if now >= deadline:
            return False
        if now - last_line >= HEARTBEAT_SECONDS:
            still_waiting()
            last_line = now
        sleep(min(interval, deadline - now))
        if _any_moved_on(service, group, load):
            return True


def _counts(unfinished: dict[str, str]) -> str:
    pending = sum(1 for status in unfinished.values() if status == Status.PENDING.value)
    others = len(unfinished) - pending
    text = f"{pending} PENDING deletion job{'s' if pending != 1 else ''}"
    return text + (f" and {others} IN_PROGRESS" if others else "")


def _limit_error(
    group: ResourceArn,
    unfinished: dict[str, str],
    error: LimitExceededError,
    waited: float | None = None,
) -> LimitExceededError:
    after = f" after waiting {duration_text(waited)}" if waited is not None else ""
    message = (
        f"the dataset group {group.text} has too many pending deletion jobs{after}: "
        f"{_counts(unfinished)} seen (the service allows {PENDING_LIMIT} PENDING at once)"
    )
    hint = f"`pdj list --dataset-group-arn {group.text} --status PENDING` shows them; " + (
        "a longer --wait-for-slot waits for more"
        if waited is not None
        else "--wait-for-slot 30m waits for room"
    )
    return LimitExceededError(message, hint, code=error.code)


def _already_submitted(
    service: JobCreator,
    request: JobRequest,
    error: AlreadyExistsError,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> Submitted:
    arn = request.job_arn
    # A job made a moment ago (a retry of a create whose answer was lost) may not be visible yet.
    try:
        existing = until_visible(
            lambda: service.describe(parse_job_arn(arn)), UNSEEN_GRACE, clock, sleep
        )
    except JobNotFoundError:
        raise InvalidInputError(
            f"a data deletion job named {request.job_name} already exists, and {arn} "
            "cannot be described",
            "choose another --job-name or --request-id",
            code=error.code,
        ) from error
    differences = differences_from(request, existing)
    if differences:
        raise InvalidInputError(
            f"a data deletion job named {request.job_name} already exists with other inputs: "
            + "; ".join(differences),
            f"`pdj describe {existing.arn}` shows it; another --request-id or --job-name "
            "starts a new job",
            code=error.code,
        ) from error
    return Submitted(request, existing.arn, created=False, existing=existing)


def differences_from(request: JobRequest, job: DeletionJob) -> list[str]:
    """What differs between the request and the job of its name, each `what: job's, not ours`."""
    pairs = (
        ("dataset group", job.dataset_group_arn, request.group.text),
        ("data location", job.data_location, request.data_location),
        ("role", job.role_arn, request.role_arn),
    )
    return [
        f"its {what} is {theirs or 'not shown'}, not {ours}"
        for what, theirs, ours in pairs
        if theirs != ours
    ]
