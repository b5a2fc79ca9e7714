"""`pdj demo`: the README's first command, end to end in a subprocess."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.e2e.conftest import PDJ

pytestmark = pytest.mark.e2e


def test_demo_runs_every_main_command_against_its_own_emulator():
    env = {**os.environ}
    env.pop("AWS_ACCESS_KEY_ID")  # the demo needs no credentials of the user's
    env.pop("AWS_SECRET_ACCESS_KEY")
    result = subprocess.run(
        [*PDJ, "demo", "--speed", "8"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for command in ("$ pdj create", "$ pdj list", "$ pdj watch", "$ pdj describe", "$ pdj batch"):
        assert command in result.stderr
    created = [line for line in result.stderr.splitlines() if line.startswith("pdj: created ")]
    again = [line for line in result.stderr.splitlines() if "already submitted" in line]
    assert len(created) == 1 and len(again) == 1, result.stderr  # the re-run made nothing
    assert "COMPLETED" in result.stderr  # the watch's status line
    assert "1342\n" in result.stdout  # describe --query ... -o text
    assert (
        "Exit codes above: create 0, create 0, list 0, watch 0, describe 0, batch 1"
    ) in result.stderr
    assert "Traceback" not in result.stderr
