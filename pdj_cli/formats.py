"""The output formats, apart from the renderers: the command line needs only their names."""

import sys
from enum import Enum
from typing import TextIO


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    text = "text"


def default_format(stdout: TextIO | None = None) -> OutputFormat:
    """table for a person at a terminal, json for a pipe or a file."""
    stream = stdout or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return OutputFormat.table if isatty and isatty() else OutputFormat.json
