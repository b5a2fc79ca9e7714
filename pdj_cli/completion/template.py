"""The shell code of the completion scripts: template files shipped in the package, filled in.

Each `templates/*.in` file is a whole script with `@PDJ_NAME@` placeholders where the parts
generated from the app go. Plain `str.replace` fills them: the shell code is full of `$`, `{`
and `}`, which string.Template and str.format would make every line escape.
"""

from __future__ import annotations

import re
from importlib.resources import files

_PLACEHOLDER = re.compile(r"@PDJ_[A-Z_]+@")


def fill(template_name: str, **parts: str) -> str:
    """The template `templates/<template_name>` with each `@PDJ_<NAME>@` replaced by parts[name].

    Every placeholder must be given and every part used once, so a renamed placeholder fails
    loudly here rather than leaving `@PDJ_...@` in a user's shell.
    """
    template = files("pdj_cli.completion") / "templates" / template_name
    text = template.read_text(encoding="utf-8")
    wanted = sorted(_PLACEHOLDER.findall(text))
    given = sorted(f"@PDJ_{name.upper()}@" for name in parts)
    if wanted != given:
        raise ValueError(f"{template_name} has placeholders {wanted}, given {given}")
    for name, part in parts.items():
        text = text.replace(f"@PDJ_{name.upper()}@", part)
    return text
