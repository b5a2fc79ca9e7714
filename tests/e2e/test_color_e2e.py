"""NO_COLOR in a real pseudo-terminal: the installed `pdj list` draws its table without colour
escapes under NO_COLOR=1, and with them when colour is allowed."""

from __future__ import annotations

import io
import re

import pexpect
import pytest

from pdj_cli.emulator import DEMO_GROUP_ARN
from tests.e2e.conftest import PDJ

pytestmark = pytest.mark.e2e

COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def list_on_a_terminal(env: dict[str, str]) -> str:
    args = [*PDJ, "list", "--dataset-group-arn", DEMO_GROUP_ARN]
    child = pexpect.spawn(
        args[0], args[1:], env=env, encoding="utf-8", timeout=20, dimensions=(40, 100)
    )
    child.logfile_read = io.StringIO()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.logfile_read.getvalue()
    return child.logfile_read.getvalue()


@pytest.mark.parametrize(("no_color", "coloured"), [(True, False), (False, True)])
def test_list_on_a_pty_honours_no_color(pdj_env, no_color, coloured):
    env = {**pdj_env, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    if no_color:
        env["NO_COLOR"] = "1"

    screen = list_on_a_terminal(env)

    assert "Name" in screen and "Status" in screen  # the table, not json
    assert bool(COLOUR.search(screen)) is coloured, repr(screen[:300])
