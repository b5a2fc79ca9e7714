"""`pdj watch`'s live view rendered on the fake clock, and when it is chosen."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest

from pdj_cli.poller import Observed, TransientFailure
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.watch_live import dashboard, summary
from pdj_cli.ui.watch_view import LineView, WatchState
from pdj_cli.ui.words import human_duration
from tests.factories import CREATED, deletion_job
from tests.watch.fakes import EPOCH, FakeTime, job, throttled

# -- the live view, rendered on the fake clock --------------------------------------------------


def render(renderable: Any) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=100, no_color=True, force_terminal=False).print(renderable)
    return out.getvalue()


def live_state(clock: FakeTime) -> tuple[LineView, WatchState]:
    state = WatchState(name="erase-42", started=0.0, grace=600.0)
    view = LineView(state, clock.timekeeping(), heartbeat=0, stderr=io.StringIO())
    return view, state


def test_the_dashboard_shows_status_times_and_next_check(clock):
    view, state = live_state(clock)
    clock.now = 30.0
    view.handle(Observed(value=job("IN_PROGRESS"), at=30.0, changed=True))
    clock.now = 150.0
    state.next_check = 162.0

    text = render(dashboard(view))

    assert "erase-42" in text
    assert "IN_PROGRESS  for 2m 30s" in text  # it began when the job says it was updated
    assert "Watching      2m 30s" in text
    age = (EPOCH + timedelta(seconds=150) - CREATED).total_seconds()
    assert f"Job age       {human_duration(age)}  (created " in text
    assert "Last checked  2m 00s ago" in text
    assert "Next check    in 12s" in text


def test_the_dashboard_shows_an_error_streak(clock):
    view, _ = live_state(clock)
    view.handle(Observed(value=job("PENDING"), at=0.0, changed=True))
    failure = TransientFailure(
        error=throttled(), at=20.0, streak_started=15.0, first_in_streak=True, retry_in=15.0
    )
    view.handle(failure)
    clock.now = 25.0

    text = render(dashboard(view))

    assert "Errors" in text
    assert "ThrottlingException for 10s; gives up after 10m 00s of errors" in text
    assert "Next check    checking now" in text


def test_the_final_summary_has_status_records_duration_and_reason():
    done = render(summary(deletion_job(status="COMPLETED"), watched=95.0))
    assert done.strip() == (
        "✔ erase-42 COMPLETED · 1,200 records deleted · took 42m 00s · watched 1m 35s"
    )
    failed = render(summary(deletion_job(status="FAILED"), watched=5.0))
    assert failed.strip() == "✘ erase-42 FAILED: Access denied to s3://bucket · watched 5s"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stdout", "stderr", "environ", "live"),
    [
        (FakeTerminal, FakeTerminal, {}, True),
        (io.StringIO, FakeTerminal, {}, False),  # `pdj watch | jq`
        (FakeTerminal, io.StringIO, {}, False),  # `pdj watch 2>log`
        (io.StringIO, io.StringIO, {}, False),
        (io.StringIO, io.StringIO, {"FORCE_COLOR": "1"}, True),
        (io.StringIO, io.StringIO, {"TTY_COMPATIBLE": "1"}, True),
        (FakeTerminal, FakeTerminal, {"TTY_COMPATIBLE": "0"}, False),
        (FakeTerminal, FakeTerminal, {"TTY_INTERACTIVE": "0"}, False),
        (FakeTerminal, FakeTerminal, {"TERM": "dumb"}, False),
    ],
)
def test_the_live_view_is_chosen_as_rich_decides(stdout, stderr, environ, live):
    assert Terminal(environ=environ, out=stdout(), err=stderr()).wants_live_view() is live
