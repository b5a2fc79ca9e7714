"""The collector is off during start-up only: every long-running path turns it back on."""

from __future__ import annotations

import contextlib
import gc

import pytest
import typer
from typer.testing import CliRunner

from pdj_cli import startup_gc
from pdj_cli.fastpath import main
from pdj_cli.service import JobService


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


def test_the_first_client_ends_start_up():
    startup_gc.pause()
    JobService().client_for("us-east-1")
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("argv", [["--version"], ["describe", "not-an-arn"], ["nope"]])
def test_the_console_script_leaves_the_collector_on(argv, capsys):
    with contextlib.suppress(SystemExit):  # the fast path returns its exit code; typer exits
        main(argv)
    assert gc.isenabled()


def test_the_emulator_command_collects_while_it_serves(mocker):
    from pdj_cli.commands.emulator import emulator

    seen = []

    class Serving:
        def wait(self) -> None:
            seen.append(gc.isenabled())
            raise KeyboardInterrupt

    mocker.patch("pdj_cli.commands.emulator.threading", mocker.Mock(Event=Serving))
    app = typer.Typer()
    app.command()(emulator)
    startup_gc.pause()
    result = CliRunner().invoke(app, ["--port", "0"])
    assert result.exit_code == 130
    assert seen == [True]


def test_the_demo_collects_while_it_runs(mocker):
    from pdj_cli.commands.demo import demo

    seen = []

    def emulator(**_: object) -> None:
        seen.append(gc.isenabled())
        raise RuntimeError("stop the demo here")

    mocker.patch("pdj_cli.emulator.Emulator", emulator)
    app = typer.Typer()
    app.command()(demo)
    startup_gc.pause()
    result = CliRunner().invoke(app, [])
    assert isinstance(result.exception, RuntimeError)
    assert seen == [True]


def test_a_batch_collects_before_it_reads_its_input(mocker):
    """Input may come slowly, or be all invalid: a batch must not wait for a client."""
    from pdj_cli.cli import app
    from pdj_cli.errors import ExitCode
    from pdj_cli.options import AwsOptions
    from tests.batch_fakes import FakeService

    seen = []

    def reads_the_input(*_: object, **__: object) -> ExitCode:
        seen.append(gc.isenabled())
        return ExitCode.OK

    mocker.patch.object(AwsOptions, "service", return_value=FakeService([]))
    mocker.patch("pdj_cli.commands.batch._render", side_effect=reads_the_input)
    startup_gc.pause()
    result = CliRunner().invoke(app, ["batch", "-"], input="")
    assert result.exit_code == 0
    assert seen == [True]
