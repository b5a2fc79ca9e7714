"""The shells pdj writes completion scripts for (apart from the generator, which the CLI
imports only when a script is asked for)."""

from enum import Enum


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
