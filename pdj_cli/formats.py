"""The output formats' names, apart from the renderers (pdj_cli.ui): the command line and the
describe fast path need only these, without typer or rich."""

from enum import Enum


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    text = "text"
    csv = "csv"
    markdown = "markdown"
