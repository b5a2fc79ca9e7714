"""`pdj completion SHELL`: print a static Tab-completion script for bash, zsh or fish."""

import sys
from typing import Annotated

import typer

from pdj_cli.shells import Shell


def completion(
    ctx: typer.Context,
    shell: Annotated[
        Shell,
        typer.Argument(
            metavar="SHELL",
            help="The shell to print the script for.",
            case_sensitive=False,
            show_default=False,
        ),
    ],
) -> None:
    """Print the Tab-completion script for bash, zsh or fish.

    It completes commands, options, formats, statuses, durations, file names
    and AWS profiles (read from the AWS config files by the shell itself).
    Tab never starts Python, so it answers at once.

    [bold]Examples[/bold]

      source <(pdj completion bash)          # this bash session only

      pdj completion bash > ~/.local/share/bash-completion/completions/pdj

      pdj completion zsh > ~/.zfunc/_pdj     # fpath=(~/.zfunc $fpath) in .zshrc

      pdj completion fish > ~/.config/fish/completions/pdj.fish
    """
    from pdj_cli.completion import generate  # only when a script is asked for

    # The app that is running, so the script describes exactly this pdj.
    sys.stdout.write(generate(shell, ctx.find_root().command))
