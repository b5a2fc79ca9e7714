"""What a running batch reports, in order: records, input read, jobs pending, polls, the end."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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


class WaitReason(str, Enum):
    """Why a --wait ended (a str, so it compares equal to its value)."""

    DONE = "done"  # every job is terminal
    FAIL_FAST = "fail-fast"  # a job FAILED, with --fail-fast
    TIMEOUT = "timeout"  # --timeout ran out
    ERRORS = "errors"  # errors persisted past the grace period


@dataclass(frozen=True)
class WaitEnded:
    reason: WaitReason
    pending: int
    error: str | None = None  # with ERRORS: what persisted


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
