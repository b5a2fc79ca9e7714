"""The fakes the watch tests share: a clock that moves only when the watch sleeps, a scripted
describe, jobs whose status began when the watch started, and `watch` through typer's CliRunner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from typer.testing import CliRunner

from pdj_cli.cli import app
from pdj_cli.errors import AwsError
from pdj_cli.models import DeletionJob
from pdj_cli.ui.watch_view import Timekeeping
from tests.factories import deletion_job, job_arn

ARN = job_arn()
EPOCH = datetime(2026, 5, 31, 17, 0, 0, tzinfo=timezone.utc)  # wall time when the watch starts
runner = CliRunner()


class FakeTime:
    """Monotonic seconds from 0 that move only when the watch sleeps; wall time follows."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.interrupt_on_sleep: int | None = None

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        if self.interrupt_on_sleep == len(self.sleeps):
            raise KeyboardInterrupt
        self.now += seconds

    def wall(self) -> datetime:
        return EPOCH + timedelta(seconds=self.now)

    def timekeeping(self) -> Timekeeping:
        return Timekeeping(
            sleep=self.sleep, monotonic=self.monotonic, now=self.wall, random=lambda: 0.5
        )


class Describe:
    """A scripted JobService.describe: each call answers the next job or raises the next error."""

    def __init__(self, clock: FakeTime, answers: list[Any]) -> None:
        self.clock = clock
        self.answers: Iterator[Any] = iter(answers)
        self.calls: list[float] = []

    def __call__(self, arn: Any) -> DeletionJob:
        assert arn.text == ARN
        self.calls.append(self.clock.now)
        answer = next(self.answers)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def job(status: str, **overrides: Any) -> DeletionJob:
    """A job whose status began when the watch started, unless it is terminal."""
    if status not in ("COMPLETED", "FAILED"):
        overrides.setdefault("lastUpdatedDateTime", EPOCH)
    return deletion_job(status=status, **overrides)


def watch(clock: FakeTime, *args: str, env: dict[str, str] | None = None):
    """`pdj watch ARN ...` on the fake clock, handed in as the command's context object."""
    return runner.invoke(app, ["watch", ARN, *args], env=env, obj={"clock": clock.timekeeping()})


def throttled() -> AwsError:
    return AwsError(
        "throttled by AWS past every retry (ThrottlingException): Rate exceeded",
        code="ThrottlingException",
        transient=True,
    )


def unavailable() -> AwsError:
    return AwsError(
        "AWS failed (HTTP 503)", "try again later", code="ServiceUnavailable", transient=True
    )
