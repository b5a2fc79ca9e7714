"""--query: a JMESPath expression, compiled and checked before any request is made.

typer-free and rich-free: the describe fast path, the typer option callback and the output
layer all compile queries here.
"""

from __future__ import annotations

from typing import Any

from pdj_cli.errors import InvalidInputError


def compile_query(expression: str | None) -> Any:
    """A compiled JMESPath expression, checked before any request is made."""
    if expression is None:
        return None
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(expression)
    except JMESPathError as error:
        detail = str(error).strip().splitlines()[0]
        raise InvalidInputError(f"invalid --query {expression!r}: {detail}") from error
