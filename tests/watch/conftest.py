"""Fixtures of the watch tests: the fake clock is passed into run_watch, the service scripted."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from pdj_cli import watching
from tests.watch.fakes import Describe, FakeTime


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """A fake clock, handed to every run_watch the watch command makes in this test."""
    fake = FakeTime()
    with_fake_clock = functools.partial(watching.run_watch, clock=fake.timekeeping())
    # the command imports run_watch when it runs: this is the run_watch it gets
    monkeypatch.setattr(watching, "run_watch", with_fake_clock)
    return fake


@pytest.fixture
def script(mocker, clock: FakeTime) -> Callable[..., Describe]:
    def install(*answers: Any) -> Describe:
        describe = Describe(clock, list(answers))
        mocker.patch("pdj_cli.service.JobService.describe", side_effect=describe)
        return describe

    return install
