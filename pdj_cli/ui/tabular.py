"""Rows and named columns for `-o csv` and `-o markdown`: a record's fields, or a --query result.

A table needs columns with names and a plain value (text, a number, true/false, nothing) in
every cell. A record's nested objects are flattened into it (`error.code` is the column
`errorCode`); a --query result is a table when it has that shape: a list of objects (their keys
are the columns), a list of plain values (one column), a list of `[a, b]` lists (the columns
named after the expression's fields; one such list is one row), one object (one row) or one
value. A list inside a cell,
or a list mixing objects and values, has no table form: that is exit 2, pointing at -o json.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pdj_cli.errors import InvalidInputError

JSON_HINT = (
    "select plain fields, e.g. --query 'dataDeletionJobs[].{name: jobName, status: status}', "
    "or use -o json"
)


@dataclass(frozen=True)
class Rows:
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


def flat_fields(record: dict[str, Any]) -> dict[str, Any]:
    """A record's fields with a nested object's joined in camelCase: `error.code` -> `errorCode`.

    camelCase, not `error.code`: the columns then read like the service's own field names.
    """
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for inner, leaf in flat_fields(value).items():
                flat.setdefault(key + inner[:1].upper() + inner[1:], leaf)
        else:
            flat.setdefault(key, value)
    return flat


def plain_text(value: Any) -> str:
    """A cell's text: JSON's spelling of true, false and numbers; nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def record_row(record: dict[str, Any], columns: Sequence[str]) -> list[str]:
    """A record under `columns`: a field it lacks is an empty cell."""
    flat = flat_fields(record)
    return [plain_text(flat.get(column)) for column in columns]


def query_rows(value: Any, query: Any, fmt: str) -> Rows:
    """The --query result `value` (from the compiled `query`) as a table for `-o fmt`."""
    names = column_names(getattr(query, "parsed", None))
    if isinstance(value, dict):
        return _object_rows([value], fmt)
    if not isinstance(value, list):
        return Rows([_one_name(names)], [[plain_text(value)]])
    if not value:
        return Rows(names or [], [])  # no rows: a header only where the expression names it
    if all(isinstance(item, dict) for item in value):
        return _object_rows(value, fmt)
    if all(_plain(item) for item in value):
        if names is not None and len(names) > 1 and len(names) == len(value):
            return Rows(names, [[plain_text(item) for item in value]])  # `job.[name, status]`
        return Rows([_one_name(names)], [[plain_text(item)] for item in value])
    if all(isinstance(item, list) for item in value):
        return _list_rows(value, names, fmt)
    raise _no_table(fmt, "is a list that mixes objects, lists and plain values")


def _object_rows(objects: list[dict[str, Any]], fmt: str) -> Rows:
    flats = [flat_fields(item) for item in objects]
    columns = list(dict.fromkeys(key for flat in flats for key in flat))  # first seen first
    if not columns:
        return Rows([], [])  # `{}`: nothing to show, not a blank line
    for flat in flats:
        for key, cell in flat.items():
            if isinstance(cell, list):
                raise _no_table(fmt, f"has a list in its field {key!r}")
    return Rows(columns, [[plain_text(flat.get(column)) for column in columns] for flat in flats])


def _list_rows(lists: list[list[Any]], names: list[str] | None, fmt: str) -> Rows:
    if not all(_plain(cell) for row in lists for cell in row):
        raise _no_table(fmt, "is a list of lists holding objects or lists")
    if names is None or any(len(row) != len(names) for row in lists):
        raise InvalidInputError(
            f"-o {fmt} needs named columns, and the --query result is a list of lists",
            "name them with {...}, e.g. --query 'dataDeletionJobs[].{name: jobName, status: "
            "status}', or use -o json",
        )
    return Rows(names, [[plain_text(cell) for cell in row] for row in lists])


def _plain(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _no_table(fmt: str, what: str) -> InvalidInputError:
    return InvalidInputError(f"-o {fmt} cannot show the --query result: it {what}", JSON_HINT)


def _one_name(names: list[str] | None) -> str:
    return names[0] if names and len(names) == 1 else "value"


def column_names(node: dict[str, Any] | None) -> list[str] | None:
    """The column names a JMESPath expression's result is made of, where it says them:
    `jobs[].jobName` -> [jobName], `jobs[].{a: x, b: y}` -> [a, b], `jobs[].[x, y]` -> [x, y]."""
    if node is None:
        return None
    kind, children = node.get("type"), node.get("children", [])
    if kind == "field":
        return [node["value"]]
    if kind == "multi_select_dict":
        return [pair["value"] for pair in children]
    if kind == "multi_select_list":
        names = [column_names(child) for child in children]
        if all(name is not None and len(name) == 1 for name in names):
            return [name[0] for name in names if name is not None]
        return None
    if kind in ("subexpression", "pipe") and children:
        return column_names(children[-1])
    if kind in ("projection", "value_projection", "filter_projection") and len(children) > 1:
        return column_names(children[1])  # the right side: what each element becomes
    return None
