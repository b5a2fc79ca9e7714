"""`pdj watch` off a terminal: stderr lines, heartbeats and colour; and the formats on stdout."""

from __future__ import annotations

import json

from pdj_cli.errors import ExitCode
from tests.watch.fakes import ARN, job, throttled, watch

# -- heartbeat ----------------------------------------------------------------------------------


def heartbeats(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " still " in line]


def test_a_heartbeat_every_five_minutes_while_nothing_changes(script, clock):
    script(*[job("IN_PROGRESS") for _ in range(12)], job("COMPLETED"))

    result = watch(clock, "--interval", "1m")

    assert result.exit_code == ExitCode.OK
    assert heartbeats(result.stderr) == [
        "2026-05-31T17:05:00Z erase-42 still IN_PROGRESS (for 5m 00s; watching for 5m 00s)",
        "2026-05-31T17:10:00Z erase-42 still IN_PROGRESS (for 10m 00s; watching for 10m 00s)",
    ]
    assert len(result.stderr.splitlines()) == 4


def test_heartbeats_come_between_checks_rarer_than_the_heartbeat(script, clock):
    describe = script(job("IN_PROGRESS"), job("IN_PROGRESS"), job("COMPLETED"))

    result = watch(clock, "--interval", "10m", "--heartbeat", "4m")

    assert describe.calls == [0.0, 600.0, 1200.0]
    stamps = [line.split()[0] for line in heartbeats(result.stderr)]
    assert stamps == [
        "2026-05-31T17:04:00Z",
        "2026-05-31T17:08:00Z",
        "2026-05-31T17:12:00Z",
        "2026-05-31T17:16:00Z",
    ]


def test_a_status_change_resets_the_heartbeat(script, clock):
    answers = [job("PENDING")] * 4 + [job("IN_PROGRESS")] * 6 + [job("COMPLETED")]
    script(*answers)

    result = watch(clock, "--interval", "1m")

    # the change at 4m is a line; the next heartbeat is 5 minutes after it
    assert [line.split()[0] for line in heartbeats(result.stderr)] == ["2026-05-31T17:09:00Z"]


def test_heartbeat_0_turns_it_off(script, clock):
    script(*[job("IN_PROGRESS") for _ in range(30)], job("COMPLETED"))

    result = watch(clock, "--interval", "1m", "--heartbeat", "0")

    assert heartbeats(result.stderr) == []
    assert len(result.stderr.splitlines()) == 2


def test_the_heartbeat_during_an_error_streak_says_what_is_failing(script, clock):
    script(job("IN_PROGRESS"), *[throttled() for _ in range(6)], job("COMPLETED"))

    result = watch(clock, "--interval", "30s", "--heartbeat", "1m", "--grace", "1h")

    beats = [line for line in result.stderr.splitlines() if "failing for" in line]
    assert beats, result.stderr
    assert "last seen IN_PROGRESS; failing for" in beats[0]
    assert "(ThrottlingException)" in beats[0]
    assert result.exit_code == ExitCode.OK


# -- stdout formats -------------------------------------------------------------------------------


def test_jsonl_streams_one_line_per_change_with_observed_at(script, clock):
    script(job("PENDING"), job("PENDING"), job("IN_PROGRESS"), job("COMPLETED"))

    result = watch(clock, "-o", "jsonl")

    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["status"] for record in records] == ["PENDING", "IN_PROGRESS", "COMPLETED"]
    assert [record["observedAt"] for record in records] == [
        "2026-05-31T17:00:00+00:00",
        "2026-05-31T17:00:30+00:00",
        "2026-05-31T17:00:45+00:00",
    ]
    assert all(record["dataDeletionJobArn"] == ARN for record in records)
    assert result.exit_code == ExitCode.OK


def test_query_applies_to_the_final_document(script, clock):
    script(job("IN_PROGRESS"), job("COMPLETED", numDeleted=77))

    result = watch(clock, "--query", "dataDeletionJob.numDeleted", "-o", "text")

    assert result.stdout == "77\n"


def test_query_applies_to_each_jsonl_line(script, clock):
    script(job("IN_PROGRESS"), job("COMPLETED"))

    result = watch(clock, "--query", "status", "-o", "jsonl")

    assert result.stdout.splitlines() == ['"IN_PROGRESS"', '"COMPLETED"']


def test_a_status_never_seen_before_is_shown_and_waited_through(script, clock):
    script(job("PENDING"), job("QUEUED_FOR_REVIEW"), job("QUEUED_FOR_REVIEW"), job("COMPLETED"))

    result = watch(clock)

    assert result.exit_code == ExitCode.OK
    assert "erase-42 QUEUED_FOR_REVIEW (was PENDING for 15s)" in result.stderr


def test_table_output_at_the_end_is_the_describe_panel(script, clock):
    script(job("COMPLETED"))

    result = watch(clock, "-o", "table")

    assert "Records deleted" in result.stdout
    assert "1,200" in result.stdout


def test_off_a_terminal_the_watch_writes_plain_lines_without_escapes(script, clock):
    script(job("PENDING"), job("COMPLETED"))

    result = watch(clock, env={"NO_COLOR": None, "TERM": "xterm-256color"})

    assert "\x1b[" not in result.stderr
    assert "\x1b[" not in result.stdout


def test_force_color_colours_the_lines_and_no_color_wins(script, clock):
    script(job("COMPLETED"), job("COMPLETED"))
    # TTY_INTERACTIVE=0 keeps the lines (FORCE_COLOR alone would choose the live view)
    env = {"NO_COLOR": None, "TTY_INTERACTIVE": "0", "FORCE_COLOR": "1"}

    coloured = watch(clock, env=env)
    plain = watch(clock, "--no-color", env=env)

    assert "\x1b[" in coloured.stderr
    assert "\x1b[" not in plain.stderr
    assert "erase-42 COMPLETED" in plain.stderr
