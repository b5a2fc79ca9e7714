"""What a running batch reports, in order: records, input read, jobs pending, polls, the end."""

from __future__ import annotations

from dataclasses import dataclass

from pdj_cli.batch.records import BatchRecord
from pdj_cli.models import DeletionJob
from pdj_cli.poller import TransientFailure


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
