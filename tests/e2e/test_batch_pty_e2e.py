"""Ctrl-C during `batch --wait` on a real pseudo-terminal: the final screen holds the progress
bar once (issue 14 item 11: "drawn twice"), then the records and the one interrupted line."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pexpect
import pytest

from pdj_cli.emulator import Emulator, Scenario, ScenarioJob

from .conftest import PDJ

pytestmark = pytest.mark.e2e

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
TOKEN = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|.", re.S)


def final_screen(raw: str, width: int) -> list[str]:
    """What a terminal shows at the end: text, wrapping, CR/LF, cursor up, erase line."""
    lines: list[list[str]] = [[]]
    row = col = 0
    for match in TOKEN.finditer(raw):
        token = match.group(0)
        if match.group(2):
            arg, command = match.group(1), match.group(2)
            if command == "A":
                row = max(0, row - (int(arg) if arg.isdigit() else 1))
            elif command == "K":
                lines[row] = [] if arg == "2" else lines[row][:col]
            continue  # colours, cursor shown or hidden
        if token == "\r":
            col = 0
            continue
        if token == "\n" or col >= width:
            row, col = row + 1, 0
            lines.extend([] for _ in range(row + 1 - len(lines)))
            if token == "\n":
                continue
        line = lines[row]
        line.extend(" " * (col - len(line)))
        line[col : col + 1] = [token]
        col += 1
    return ["".join(line).rstrip() for line in lines]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_ctrl_c_during_wait_leaves_the_progress_bar_once(
    start_emulator: Callable[..., Emulator], pdj_env: dict[str, str], width: int
) -> None:
    jobs = [
        ScenarioJob("done-1", GROUP, [("COMPLETED", 0.0)]),
        ScenarioJob("busy-1", GROUP, [("IN_PROGRESS", 0.0)]),
        ScenarioJob("busy-2", GROUP, [("IN_PROGRESS", 0.0)]),
    ]
    emulator = start_emulator(Scenario(jobs))
    env = {**pdj_env, "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}
    env.update(TERM="xterm-256color", COLUMNS=str(width), LINES="30")
    env.pop("NO_COLOR", None)
    args = [*PDJ, "batch", *(job.arn for job in jobs), "--wait", "--interval", "0.2"]
    child = pexpect.spawn(
        args[0],
        args[1:],
        env=env,
        encoding="utf-8",
        codec_errors="replace",  # the tty's own "^C" echo can land inside a bar character
        timeout=20,
        dimensions=(30, width),
    )
    child.logfile_read = io.StringIO()
    child.expect("1/3 terminal")  # the live bar is up, waiting on the two busy jobs
    child.expect("1/3 terminal")  # and redrawn in place at least once
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    screen = final_screen(child.logfile_read.getvalue(), width)

    assert child.exitstatus == 130
    bars = [line for line in screen if "terminal" in line and "waiting" in line]
    assert len(bars) == 1, "\n".join(screen)
    assert sum("2 IN_PROGRESS, 1 COMPLETED" in line for line in screen) == 1
    assert sum(line.startswith("pdj: interrupted") for line in screen) == 1
    assert any(line.startswith("busy-2 ") for line in screen)  # the records, after the bar
    assert "Traceback" not in "\n".join(screen)
