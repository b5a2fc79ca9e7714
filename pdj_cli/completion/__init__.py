"""Static Tab-completion scripts for bash, zsh and fish, generated from the typer app itself.

typer's own completion re-runs the program on every Tab (most of a second here). These scripts
spell out every command, option and value set instead, so Tab never starts Python, and a test
regenerates them from the app so they cannot drift from it. spec.py reads the app; bash.py,
zsh.py and fish.py fill the shell code in templates/ with what it read.

Maintainers regenerate the checked-in scripts with `python -m pdj_cli.completion [DIR]`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pdj_cli.completion.bash import render_bash
from pdj_cli.completion.fish import render_fish
from pdj_cli.completion.spec import CliSpec, describe_cli
from pdj_cli.completion.zsh import render_zsh
from pdj_cli.shells import Shell

__all__ = ["generate", "main", "script_name", "write_scripts"]

RENDERERS: dict[Shell, tuple[str, Callable[[CliSpec], str]]] = {
    Shell.bash: ("pdj.bash", render_bash),
    Shell.zsh: ("_pdj", render_zsh),
    Shell.fish: ("pdj.fish", render_fish),
}


def generate(shell: Shell, group: Any) -> str:
    """The completion script for `shell`, from the click group typer builds for the app."""
    return RENDERERS[shell][1](describe_cli(group))


def script_name(shell: Shell) -> str:
    return RENDERERS[shell][0]


def write_scripts(directory: Path, group: Any) -> list[Path]:
    """Write all three scripts into `directory` under their conventional names."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for shell in Shell:
        path = directory / script_name(shell)
        path.write_text(generate(shell, group), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str]) -> int:
    """`python -m pdj_cli.completion [DIR]`: write the scripts (default: completions/)."""
    import typer

    from pdj_cli.cli import app

    default = Path(__file__).resolve().parents[2] / "completions"
    if len(argv) > 1 or (not argv and not default.is_dir()):
        print("usage: python -m pdj_cli.completion [DIR]  (DIR: default a checkout's completions/)")
        return 2
    directory = Path(argv[0]) if argv else default
    for path in write_scripts(directory, typer.main.get_command(app)):
        print(f"wrote {path}")
    return 0
