"""--query: a JMESPath expression, compiled and checked before any request is made.

typer-free and rich-free: the describe fast path, the typer option callback and the output
layer all compile queries here.
"""

from __future__ import annotations

import warnings
from typing import Any

from pdj_cli.errors import InvalidInputError


def compile_query(expression: str | None) -> Any:
    """A compiled JMESPath expression, checked before any request is made."""
    if expression is None:
        return None
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        # jmespath warns of its deprecated `literal` form; under PYTHONWARNINGS=error (or
        # pytest's) that warning would escape as an exception: the expression is still valid.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            return jmespath.compile(expression)
    except JMESPathError as error:
        raise InvalidInputError(
            f"invalid --query {expression!r}: {_what_went_wrong(error)}"
        ) from error


# jmespath's token names, as a user would say them.
_TOKEN_WORDS = {
    "quoted_identifier": "a name",
    "unquoted_identifier": None,  # said once, by quoted_identifier
    "lbracket": "'['",
    "lbrace": "'{'",
    "rbracket": "']'",
    "rbrace": "'}'",
    "rparen": "')'",
    "colon": "':'",
    "comma": "','",
    "number": "a number",
    "literal": "a `literal`",
}


def _what_went_wrong(error: Exception) -> str:
    """What was due where the expression went wrong (a column counted from 1)."""
    import re

    position = getattr(error, "lex_position", None)
    at = f" at column {position + 1}" if isinstance(position, int) else ""
    message = str(getattr(error, "message", "") or getattr(error, "msg", "") or error)
    if type(error).__name__ == "LexerError":
        return f"{message.lower()}{at}"
    if type(error).__name__ == "IncompleteExpressionError":
        return f"it ends{at} before the expression is complete"
    expected = re.match(r"Expecting: \[(.*)\], got: (\w+)", message)
    if expected:
        names = [name.strip().strip("'") for name in expected.group(1).split(",")]
        words = [_TOKEN_WORDS.get(name, name) for name in names]
        due = [word for word in words if word]
        wanted = ", ".join(due[:-1]) + " or " + due[-1] if len(due) > 1 else due[0]
        found = "the end" if expected.group(2) == "eof" else repr(getattr(error, "token_value", ""))
        return f"{wanted} expected{at}, found {found}"
    token = getattr(error, "token_value", None)
    if message.startswith("Unexpected token") and token is not None:
        return f"unexpected {token!r}{at}"
    return f"{message.splitlines()[0]}{at}"
