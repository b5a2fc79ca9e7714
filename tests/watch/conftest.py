"""Fixtures of the watch tests: the fake clock is handed to the watch command (typer's
context object, see tests.watch.fakes.watch), the service scripted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.watch.fakes import Describe, FakeTime


@pytest.fixture
def clock() -> FakeTime:
    """A fake clock: `watch(clock, ...)` runs the watch command on it."""
    return FakeTime()


@pytest.fixture
def script(mocker, clock: FakeTime) -> Callable[..., Describe]:
    def install(*answers: Any) -> Describe:
        describe = Describe(clock, list(answers))
        mocker.patch("pdj_cli.service.JobService.describe", side_effect=describe)
        return describe

    return install
