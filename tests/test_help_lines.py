"""Every command's help at 80 columns shows each line of its docstring whole.

rich keeps a docstring's own line breaks and wraps a line longer than the panel, which leaves a
word or two on a line of their own ("csv" alone under "... jsonl, text and"). So each line is
written to fit, and this test holds every command to it, not only the one that was fixed.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from typer.testing import CliRunner

from pdj_cli.cli import COMMANDS, app

runner = CliRunner()


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_docstring_line_is_shown_whole_at_80_columns(name):
    lazy = COMMANDS[name]
    function = getattr(importlib.import_module(lazy.module), lazy.function)
    result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    shown = [line.strip() for line in result.stdout.splitlines()]
    for line in inspect.cleandoc(function.__doc__ or "").splitlines():
        text = line.replace("[bold]", "").replace("[/bold]", "").replace("\\\\", "\\").strip()
        assert not text or text in shown, f"pdj {name} --help cuts: {text!r}"
