"""`pdj watch` through transient errors, and credentials that refresh over a day-long watch."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from pdj_cli.errors import ExitCode
from tests.factories import GROUP
from tests.watch.fakes import EPOCH, job, throttled, unavailable, watch

# -- transient errors on stderr -------------------------------------------------------------------


def test_an_error_streak_is_reported_once_and_its_end_once(script, clock):
    describe = script(
        job("IN_PROGRESS"), throttled(), throttled(), job("IN_PROGRESS"), job("COMPLETED")
    )

    result = watch(clock, "--interval", "10s")

    assert result.exit_code == ExitCode.OK
    assert describe.calls == [0.0, 10.0, 25.0, 55.0, 65.0]
    assert result.stderr.splitlines() == [
        "2026-05-31T17:00:00Z erase-42 IN_PROGRESS",
        "2026-05-31T17:00:10Z erase-42 warning: throttled by AWS past every retry "
        "(ThrottlingException): Rate exceeded; retrying in 15s, giving up after 10m 00s of errors",
        "2026-05-31T17:00:55Z erase-42 answering again after 45s of errors",
        "2026-05-31T17:01:05Z erase-42 COMPLETED (1,200 records deleted in 42m 00s)",
    ]


def test_errors_past_the_grace_exit_5_naming_the_option(script, clock):
    script(job("IN_PROGRESS"), *[unavailable() for _ in range(10)])

    result = watch(clock, "--interval", "10s", "--grace", "1m")

    assert result.exit_code == ExitCode.AWS_ERROR
    lines = result.stderr.splitlines()
    assert lines[-2] == (
        "pdj: error: gave up after 60s of errors (grace 60s); the last one: AWS failed (HTTP 503)"
    )
    assert lines[-1] == "hint: try again later; a longer --grace rides out longer outages"
    assert clock.now == 70.0


# -- credentials that refresh over a long watch ---------------------------------------------------


def test_refreshing_credentials_keep_working_over_a_day_long_watch(clock, mocker, monkeypatch):
    """One session, one client: botocore refreshes the credentials it signs with, on time."""
    import botocore.session
    from botocore.credentials import RefreshableCredentials

    from pdj_cli.emulator import Emulator, Scenario, ScenarioJob
    from pdj_cli.service import JobService

    refreshes: list[float] = []

    def fake_wall() -> datetime:
        return clock.wall()

    def refresh() -> dict[str, str]:
        refreshes.append(clock.now)
        number = len(refreshes)
        return {
            "access_key": f"AKIDREFRESHED{number:04d}",
            "secret_key": f"secret-{number}",
            "token": f"token-{number}",
            "expiry_time": (clock.wall() + timedelta(hours=1)).isoformat(),
        }

    credentials = RefreshableCredentials(
        "AKIDFIRST",
        "secret-0",
        "token-0",
        EPOCH + timedelta(hours=1),
        refresh,
        "fake-sso",
        time_fetcher=fake_wall,
    )

    class Provider:
        METHOD = "fake-sso"
        CANONICAL_NAME = "fake-sso"

        def load(self) -> RefreshableCredentials:
            return credentials

    session = botocore.session.Session()
    session.get_component("credential_provider").insert_before("env", Provider())
    create_client = mocker.spy(session, "create_client")
    keys_seen: list[str] = []

    def remember_key(request: Any, **_: Any) -> None:
        header = request.headers["Authorization"]
        header = header.decode() if isinstance(header, bytes) else header
        keys_seen.append(header.split("Credential=")[1].split("/")[0])

    session.register("before-send.personalize", remember_key)

    hours = 24
    scenario_job = ScenarioJob(
        "erase-42",
        GROUP,
        [("PENDING", 0), ("IN_PROGRESS", 600), ("COMPLETED", hours * 3600)],
    )
    with Emulator(Scenario([scenario_job]), clock=clock.monotonic) as emulator:
        service = JobService(endpoint_url=emulator.endpoint_url, session=session)
        mocker.patch("pdj_cli.options.AwsOptions.service", return_value=service)

        result = watch(clock, "--interval", "5m", "--heartbeat", "0", "-o", "jsonl")

    assert result.exit_code == ExitCode.OK, result.stderr
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["PENDING", "IN_PROGRESS", "COMPLETED"]
    assert create_client.call_count == 1
    assert len(keys_seen) == hours * 12 + 1
    # botocore refreshes in its advisory window, 10-15 minutes before each one-hour expiry:
    # never too late (an expired key) nor on every request
    issued = [0.0, *refreshes]
    assert all(2700 <= later - earlier <= 3000 for earlier, later in pairwise(issued))
    assert 86400 - refreshes[-1] <= 3000
    assert keys_seen[0] == "AKIDFIRST"
    assert keys_seen[-1] == f"AKIDREFRESHED{len(refreshes):04d}"
    assert len(set(keys_seen)) == len(refreshes) + 1
