"""The collector is off during start-up: a long-running command turns it back on as it begins,
the console script as it ends."""

from __future__ import annotations

import contextlib
import gc

import pytest
from typer.testing import CliRunner

from pdj_cli import startup_gc
from pdj_cli.cli import COMMANDS, app
from pdj_cli.entry import main


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    startup_gc.resume()
    gc.unfreeze()
    gc.enable()


def test_pause_turns_the_collector_off_once():
    assert startup_gc.pause() is True
    assert not gc.isenabled()
    assert startup_gc.pause() is False  # already off: not this call's to turn back on


def test_pause_leaves_a_collector_someone_else_turned_off_alone():
    gc.disable()
    assert startup_gc.pause() is False
    startup_gc.started()
    assert not gc.isenabled()


def test_started_freezes_what_start_up_built_and_collects_again():
    startup_gc.pause()
    built_at_start_up = [object() for _ in range(100)]
    startup_gc.started()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built_at_start_up)


def test_started_does_nothing_when_nothing_was_paused():
    startup_gc.started()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("argv", [["--version"], ["describe", "not-an-arn"], ["nope"]])
def test_the_console_script_leaves_the_collector_on(argv, capsys):
    with contextlib.suppress(SystemExit):  # the fast path returns its exit code; typer exits
        main(argv)
    assert gc.isenabled()


def test_the_console_script_freezes_start_up_on_its_way_out(capsys):
    """A short command ends paused; frozen, its objects are spared the collection at exit."""
    assert main(["describe", "not-an-arn"]) == 2
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_every_command_is_marked_long_running_or_not():
    assert all(isinstance(command.long_running, bool) for command in COMMANDS.values())
    assert {name for name, command in COMMANDS.items() if command.long_running} == {
        "watch",
        "batch",
        "create",
        "emulator",
        "demo",
    }


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_command_runs_with_the_collector_on_if_and_only_if_it_is_long_running(mocker, name):
    """The group turns the collector on before a long-running command's body, and only then."""
    command = COMMANDS[name]
    seen = []

    def body() -> int:
        seen.append(gc.isenabled())
        return 0

    mocker.patch(f"{command.module}.{command.function}", body)
    startup_gc.pause()
    result = CliRunner().invoke(app, [name])
    assert result.exit_code == 0, result.output
    assert seen == [command.long_running]
