"""Drift checks: every command has help and is in the README; start-up stays lazy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pdj_cli.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
GROUP = typer.main.get_command(app)
CONTEXT = typer.Context(GROUP, info_name="pdj")
COMMANDS = GROUP.list_commands(CONTEXT)  # type: ignore[attr-defined]


def test_the_app_has_the_commands_of_the_design():
    assert {"describe", "list"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert f"Usage: pdj {name}" in result.stdout
    assert "Example" in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_one_line_summary(name):
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    assert command.help and command.help.strip().splitlines()[0].endswith(".")


@pytest.mark.parametrize("name", COMMANDS)
def test_the_summary_in_pdj_help_is_the_command_s_own_first_line(name):
    from pdj_cli.cli import COMMANDS as LAZY

    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    assert LAZY[name].summary == command.help.strip().splitlines()[0]


def test_help_builds_no_command_and_imports_no_command_module():
    loaded = _loaded_after(
        "import io, sys\nfrom pdj_cli.cli import app\nsys.stdout = io.StringIO()\n"
        "try:\n    app(['--help'], prog_name='pdj')\nexcept SystemExit:\n    pass"
    )
    assert not {m for m in loaded if m.startswith("pdj_cli.commands.")}
    assert "pdj_cli.watching" not in loaded and "pdj_cli.batch" not in loaded


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_appears_in_the_readme(name):
    assert f"pdj {name}" in README.read_text()


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_importing_the_cli_loads_no_boto3_botocore_or_jmespath():
    loaded = _loaded_after("import pdj_cli.cli")
    assert not {m for m in loaded if m.split(".")[0] in {"boto3", "botocore", "jmespath"}}


def test_help_loads_no_botocore():
    code = (
        "import sys\nfrom pdj_cli.cli import app\n"
        "try:\n    app(['describe', '--help'], prog_name='pdj')\nexcept SystemExit:\n    pass"
    )
    loaded = _loaded_after(code)
    assert "botocore" not in loaded and "boto3" not in loaded
