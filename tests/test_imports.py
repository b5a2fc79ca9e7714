"""pdj's modules import one another without a cycle, counting imports inside functions too
(a lazy import is still a dependency), but not those made for type checking only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pdj_cli"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str) -> set[str]:
    """The pdj_cli modules `name` imports, wherever in the module the import statement is."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    # A module's own packages (`from . import errors`) are set up before it, never by it.
    ancestors = {name.rsplit(".", depth)[0] for depth in range(1, name.count(".") + 1)}
    return {module for module in found if module in MODULES and module not in {name, *ancestors}}


GRAPH = {name: imports_of(name) for name in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def walk(name: str) -> list[str] | None:
        if name in visiting:
            return [*visiting[visiting.index(name) :], name]
        if name in done:
            return None
        visiting.append(name)
        for imported in sorted(graph[name]):
            cycle = walk(imported)
            if cycle:
                return cycle
        visiting.pop()
        done.add(name)
        return None

    return next(filter(None, (walk(name) for name in sorted(graph))), None)


def test_no_module_of_pdj_imports_itself_through_others():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH) or [])


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_console_script_reaches_typer_only_through_the_app():
    """entry -> fast path -> describe's body never reaches the typer app or a command module."""
    reached, todo = set(), ["pdj_cli.fast_describe", "pdj_cli.describing"]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(GRAPH[name])
    assert not reached & {"pdj_cli.cli", "pdj_cli.options", "pdj_cli.entry"}
    assert not any(name.startswith("pdj_cli.commands") for name in reached)


def test_every_module_imports_on_its_own():
    """Each module in a fresh interpreter: what it needs it imports itself, in an order that works
    (in this process nearly every module is loaded already, which would hide a missing import)."""
    names = sorted(name for name in MODULES if not name.endswith("__main__"))
    script = (
        "import subprocess, sys\n"
        "failed = [n for n in sys.argv[1:] if subprocess.run("
        "[sys.executable, '-c', 'import ' + n], capture_output=True).returncode]\n"
        "print(' '.join(failed))"
    )
    out = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True)
    assert out.stdout.split() == []


# The layers below the commands never reach the terminal, typer or the commands, directly or
# through another module: imports of any package count, third-party ones included.
BELOW_THE_COMMANDS = [
    name
    for name in MODULES
    if name.startswith(("pdj_cli.batch", "pdj_cli.aws_", "pdj_cli.creating"))
    or name
    in {
        "pdj_cli.service",
        "pdj_cli.poller",
        "pdj_cli.models",
        "pdj_cli.arns",
        "pdj_cli.errors",
        "pdj_cli.durations",
        "pdj_cli.model_loader",
        "pdj_cli.request_counter",
        "pdj_cli.debuglog",
        "pdj_cli.query",
    }
]
FORBIDDEN_BELOW = ("typer", "rich", "click", "pdj_cli.ui", "pdj_cli.cli", "pdj_cli.options")


def all_imports_of(name: str) -> set[str]:
    """Every module `name` imports, pdj's own and third-party, lazy imports included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def reached_from(start: str) -> set[str]:
    reached, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(GRAPH.get(name, ()))
    return {
        imported for module in reached if module in MODULES for imported in all_imports_of(module)
    }


@pytest.mark.parametrize("name", sorted(BELOW_THE_COMMANDS))
def test_the_layers_below_the_commands_never_reach_the_terminal_or_typer(name):
    forbidden = {
        module
        for module in reached_from(name)
        if module.split(".")[0] in FORBIDDEN_BELOW or module.startswith(FORBIDDEN_BELOW)
    }
    assert forbidden == set()


def test_the_layer_check_sees_a_lazy_import_of_a_third_party_package():
    assert "typer" in all_imports_of("pdj_cli.cli")
    assert "rich.console" in all_imports_of("pdj_cli.ui.terminal")  # imported inside a function


# The CI reports are fed by watch and the batch loop and built by the commands: they never
# reach typer, click or rich, nor the commands (ui/markdown and ui/words are plain text).
CI_MODULES = sorted(name for name in MODULES if name.startswith("pdj_cli.ci"))


@pytest.mark.parametrize("name", CI_MODULES)
def test_the_ci_reports_never_reach_typer_rich_or_the_commands(name):
    forbidden = ("typer", "rich", "click", "pdj_cli.cli", "pdj_cli.options", "pdj_cli.commands")
    reached = {
        module
        for module in reached_from(name)
        if module.split(".")[0] in forbidden or module.startswith(forbidden)
    }
    assert reached == set()
