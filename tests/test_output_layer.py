"""The one output layer: every Console from one factory, one terminal policy, NO_COLOR honoured
by every view, and one --query branch (a null result is `null` in json, `None` in text)."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pdj_cli.batch.events import InputComplete, RecordReady
from pdj_cli.batch.records import BatchRecord, ErrorInfo, Tally
from pdj_cli.cli import app
from pdj_cli.errors import ExitCode
from pdj_cli.formats import OutputFormat
from pdj_cli.poller import Observed
from pdj_cli.query import compile_query
from pdj_cli.ui.batch_records import RecordWriter
from pdj_cli.ui.batch_view import ProgressView, make_view
from pdj_cli.ui.output import Output
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.watch_live import LiveView
from pdj_cli.ui.watch_view import LineView, Timekeeping, WatchState
from tests.factories import deletion_job, job_arn

PACKAGE = Path(__file__).resolve().parent.parent / "pdj_cli"
COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # SGR: colours and bold; cursor movements are not colour
runner = CliRunner()


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


# -- one factory, one policy ------------------------------------------------------------------


# rich's names that make a Console of their own: never called outside ui/terminal.py.
OWN_CONSOLE = frozenset(
    {"rich.console.Console", "rich.get_console", "rich.reconfigure", "rich.print",
     "rich.print_json", "rich.inspect"}
)  # fmt: skip
# rich's names that make one unless they are handed `console=`.
NEEDS_CONSOLE = frozenset(
    {"rich.progress.Progress", "rich.progress.track", "rich.live.Live", "rich.status.Status"}
)


def console_builders(source: str) -> list[str]:
    """Where `source` makes a rich Console outside the factory, as 'line: what', whatever the
    names it imported rich's under: Console(...), a Console subclass, rich.print, and
    Progress/Live/Status/track (or a subclass of one) called without `console=`."""
    tree = ast.parse(source)
    names: dict[str, str] = {}  # a local name -> the rich name it stands for
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "rich":
                    local = alias.asname or alias.name.split(".")[0]
                    names[local] = alias.name if alias.asname else "rich"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "rich":
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in OWN_CONSOLE - {"rich.console.Console"}:
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")

    def rich_name(expression: ast.expr) -> str | None:
        if isinstance(expression, ast.Name):
            return names.get(expression.id)
        if isinstance(expression, ast.Attribute):
            base = rich_name(expression.value)
            return f"{base}.{expression.attr}" if base else None
        return None

    for node in ast.walk(tree):  # a subclass stands for its rich base class
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = rich_name(base) or ""
                if name in OWN_CONSOLE | NEEDS_CONSOLE:
                    names[node.name] = name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and node.id == "_environ") or (
            isinstance(node, ast.Attribute) and node.attr == "_environ"
        ):
            found.append(f"{node.lineno}: _environ")  # the environment is the Terminal's
        if not isinstance(node, ast.Call):
            continue
        name = rich_name(node.func)
        given = {keyword.arg for keyword in node.keywords}
        if name in OWN_CONSOLE or (name in NEEDS_CONSOLE and "console" not in given):
            found.append(f"{node.lineno}: {name}(...)")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from rich.console import Console as C\nC()",
        "import rich.console as rc\nrc.Console(file=f)",
        "import rich.console\nrich.console.Console()",
        "from rich import console\nconsole.Console()",
        "import rich\nrich.print('x')",
        "from rich import print as show\nshow('x')",
        "from rich.progress import Progress as P\nP(BarColumn())",
        "from rich.live import Live\nLive(panel, transient=True)",
        "from rich.progress import Progress\nclass Bar(Progress): pass\nBar()",
        "from rich.console import Console\nclass Mine(Console): pass\nMine(file=f)",
    ],
)
def test_the_console_check_finds_a_console_made_under_any_name(source):
    assert console_builders(source) != [], source


@pytest.mark.parametrize(
    "source",
    [
        "from rich.console import Console\ndef f(console: Console) -> None: ...",
        "from rich.progress import Progress as P\nP(BarColumn(), console=terminal.console())",
        "from rich.live import Live\nLive(panel, console=console)",
        "from rich.text import Text\nText('x')",
        "print('not rich')",
    ],
)
def test_the_console_check_passes_a_console_handed_in(source):
    assert console_builders(source) == [], source


def test_every_rich_console_pdj_builds_comes_from_the_one_factory():
    builders = [
        f"{path.relative_to(PACKAGE)}:{where}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "ui" / "terminal.py"
        for where in console_builders(path.read_text())
    ]
    assert builders == []


def test_importing_the_output_layer_imports_no_rich():
    code = (
        "import sys, pdj_cli.ui, pdj_cli.ui.output, pdj_cli.ui.terminal, pdj_cli.ui.document, "
        "pdj_cli.ui.words, pdj_cli.watching; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


@pytest.mark.parametrize(
    ("environ", "flag", "color"),
    [
        ({}, False, True),
        ({"NO_COLOR": "1"}, False, False),
        ({"NO_COLOR": "anything"}, False, False),
        ({"NO_COLOR": ""}, False, True),  # no-color.org: set and not empty
        ({}, True, False),  # --no-color
    ],
)
def test_colour_is_off_for_no_color_or_the_flag(environ, flag, color):
    assert Terminal(no_color_flag=flag, environ=environ).color is color


def test_force_color_never_makes_a_pipe_a_table():
    # CI sets FORCE_COLOR and pipes to jq: the default format asks the stream itself
    terminal = Terminal(environ={"FORCE_COLOR": "1"}, out=io.StringIO())
    assert terminal.default_format() is OutputFormat.json
    assert terminal.is_terminal(terminal.stdout)


def test_whether_a_person_types_the_input_is_the_terminals_answer():
    # `pdj batch -` prompts only when stdin is a tty; a closed stdin is no terminal
    assert Terminal(in_=Tty()).stdin_is_terminal
    assert not Terminal(in_=io.StringIO()).stdin_is_terminal
    typed = Tty()
    assert Terminal(in_=typed).stdin is typed


def test_the_console_follows_the_policy_not_the_process_environment():
    forced = Terminal(environ={"FORCE_COLOR": "1", "COLUMNS": "80"}, out=io.StringIO())
    console = forced.console()
    assert console.is_terminal and console.width == 80
    dumb = Terminal(environ={"TERM": "dumb"}, out=Tty())
    assert not dumb.console().is_interactive


# -- NO_COLOR in every view, drawn on a forced terminal at 80 columns ---------------------------


def forced(no_color: bool, out: io.StringIO | None = None, err: io.StringIO | None = None):
    environ = {"FORCE_COLOR": "1", "COLUMNS": "80", "TERM": "xterm-256color"}
    if no_color:
        environ["NO_COLOR"] = "1"
    return Terminal(environ=environ, out=out or io.StringIO(), err=err or io.StringIO())


def describe_table(terminal: Terminal) -> str:
    Output(OutputFormat.table, terminal=terminal).job(deletion_job(status="FAILED"))
    return terminal.stdout.getvalue()  # type: ignore[attr-defined]


def list_table(terminal: Terminal) -> str:
    jobs = [deletion_job("a"), deletion_job("b", status="FAILED")]
    Output(OutputFormat.table, terminal=terminal).jobs([jobs])
    return terminal.stdout.getvalue()  # type: ignore[attr-defined]


def batch_table(terminal: Terminal) -> str:
    tally = Tally()  # in a batch, its progress view counts the records
    writer = RecordWriter(Output(OutputFormat.table, terminal=terminal), tally)
    error = ErrorInfo("ResourceNotFoundException", "no such job", ExitCode.NOT_FOUND)
    for record in (
        BatchRecord(0, job=deletion_job(status="FAILED"), subject=job_arn()),
        BatchRecord(1, error=error, subject=job_arn("gone")),
    ):
        tally.add(record)
        writer.add(record)
    writer.finish()
    return terminal.stdout.getvalue()  # type: ignore[attr-defined]


def batch_progress(terminal: Terminal) -> str:
    view = make_view(fmt=OutputFormat.json, terminal=terminal)
    assert isinstance(view, ProgressView)
    with view:
        view.handle(InputComplete(1, 0))
        failed = deletion_job(status="FAILED")
        view.handle(RecordReady(BatchRecord(0, job=failed, subject=failed.arn)))
    return terminal.stderr.getvalue()  # type: ignore[attr-defined]


def watch_lines(terminal: Terminal) -> str:
    view = LineView(WatchState("erase-42", 0.0, 600.0), Timekeeping(), terminal=terminal)
    view.handle(Observed(value=deletion_job(status="FAILED"), at=0.0, changed=True))
    return terminal.stderr.getvalue()  # type: ignore[attr-defined]


def watch_live(terminal: Terminal) -> str:
    job = deletion_job(status="COMPLETED")
    with LiveView(WatchState("erase-42", 0.0, 600.0), Timekeeping(), terminal=terminal) as view:
        view.handle(Observed(value=job, at=0.0, changed=True))
        view.refresh()
    view.finished(job)
    return terminal.stderr.getvalue()  # type: ignore[attr-defined]


VIEWS = [describe_table, list_table, batch_table, watch_lines, watch_live]


@pytest.mark.parametrize("draw", [*VIEWS, batch_progress], ids=lambda draw: draw.__name__)
def test_no_color_leaves_no_colour_escapes_in_any_view(draw):
    terminal = forced(no_color=True, err=Tty())
    text = draw(terminal)
    assert text.strip()
    assert not COLOUR.search(text), repr(text[:200])
    coloured = draw(forced(no_color=False, err=Tty()))
    assert COLOUR.search(coloured)  # the same view does colour when allowed


# -- one --query branch: null as the AWS CLI prints it ----------------------------------------


@pytest.mark.parametrize(("fmt", "expected"), [("json", "null\n"), ("text", "None\n")])
def test_a_query_selecting_null_in_describe(mocker, fmt, expected):
    mocker.patch("pdj_cli.service.JobService.describe", return_value=deletion_job())
    query = "dataDeletionJob.failureReason"
    result = runner.invoke(app, ["describe", job_arn(), "--query", query, "-o", fmt])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


@pytest.mark.parametrize(
    ("fmt", "expected"), [("json", "null\n"), ("text", "None\n"), ("table", "None\n")]
)
def test_a_query_selecting_null_in_batch(fmt, expected):
    out = io.StringIO()
    output = Output(OutputFormat(fmt), compile_query("errors[0]"), Terminal(out=out))
    writer = RecordWriter(output, Tally())
    writer.add(BatchRecord(0, job=deletion_job(), subject=job_arn()))
    writer.finish()
    assert out.getvalue() == expected


def test_a_query_selecting_null_is_the_same_in_describe_and_batch_tables():
    def queried(query: str, add: Any) -> str:
        out = io.StringIO()
        output = Output(OutputFormat.table, compile_query(query), Terminal(out=out))
        add(output)
        return out.getvalue()

    describe = queried("dataDeletionJob.failureReason", lambda output: output.job(deletion_job()))

    def batch(output: Output) -> None:
        writer = RecordWriter(output, Tally())
        writer.add(BatchRecord(0, job=deletion_job(), subject=job_arn()))
        writer.finish()

    assert describe == queried("dataDeletionJobs[0].failureReason", batch) == "None\n"
