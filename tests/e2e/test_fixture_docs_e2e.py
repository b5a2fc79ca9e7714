"""docs/emulator.md's pytest example runs as printed: every fenced block of its fixture section
that starts with `# <file name>` is written to a folder and pytest runs there, in a process of
its own, with the installed pdj on PATH, as a user's would."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import PDJ

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"
SECTION = "## Test your own code with pytest"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
FILE_NAME = re.compile(r"# ([\w.-]+\.(?:py|sh))")


def example_files() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(SECTION)
    section = text[start : text.index("\n## ", start + len(SECTION))]
    files = {}
    for _language, body in BLOCK.findall(section):
        named = FILE_NAME.fullmatch(body.splitlines()[0])
        if named:
            files[named.group(1)] = body
    return files


def test_the_docs_name_the_files_of_the_example():
    files = example_files()
    assert set(files) == {"deletions.py", "test_deletions.py", "gate.sh", "test_gate.py"}
    assert "set_faults(" in files["test_deletions.py"]  # a fault switched on
    assert "advance" in files["test_deletions.py"]  # the clock moved


def test_the_docs_example_passes_as_printed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    files = example_files()
    for name, body in files.items():
        (pytester.path / name).write_text(body, encoding="utf-8")
    bin_dir = str(Path(PDJ[0]).parent) if len(PDJ) == 1 else str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")  # gate.sh runs `pdj`
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    tests = sum(
        body.count("\ndef test_") for name, body in files.items() if name.startswith("test_")
    )
    assert tests == 6
    outcome = {k: v for k, v in result.parseoutcomes().items() if k != "seconds"}
    assert outcome == {"passed": tests}, result.stdout.str()
