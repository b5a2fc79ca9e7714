"""End-to-end fixtures: the installed `pdj` as a subprocess against the emulator over HTTP."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pdj_cli.emulator import Emulator, Scenario
from pdj_cli.emulator_fixture import PersonalizeEmulator


def _installed_pdj() -> list[str]:
    """The installed console script (what users run): beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "pdj"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pdj")
    return [found] if found else [sys.executable, "-m", "pdj_cli"]


PDJ = _installed_pdj()


@pytest.fixture
def start_emulator(
    personalize_emulator_factory: Callable[..., PersonalizeEmulator],
) -> Callable[..., Emulator]:
    """Start emulators with any scenario or Emulator options; all are stopped at the end of the
    test. pdj's own pytest fixture starts them, on a real clock unless a test passes one, and
    leaves the environment alone (pdj_env and env_for point pdj at an emulator)."""

    def start(scenario: Scenario | None = None, **options: Any) -> Emulator:
        if options.get("clock") is None:
            options["clock"] = "real"  # Emulator's default, time.monotonic
        return personalize_emulator_factory(scenario, environment=False, **options).emulator

    return start


@pytest.fixture
def emulator(start_emulator: Callable[..., Emulator]) -> Emulator:
    """The emulator serving its built-in sample scenario."""
    return start_emulator()


@pytest.fixture
def pdj_env(emulator: Emulator) -> dict[str, str]:
    """The environment of a pdj subprocess: the isolated AWS setup plus the emulator endpoint."""
    return {**os.environ, "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}


@pytest.fixture
def run_pdj(pdj_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed pdj; `env` entries are added to (None removes from) pdj_env."""

    def run(
        *args: str,
        env: dict[str, str | None] | None = None,
        input: str | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        full_env = dict(pdj_env)
        for name, value in (env or {}).items():
            if value is None:
                full_env.pop(name, None)
            else:
                full_env[name] = value
        return subprocess.run(
            [*PDJ, *args],
            env=full_env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


def shell(
    command: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run a shell pipeline (pdj ... | jq ...) with bash's pipefail."""
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
