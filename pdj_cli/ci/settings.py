"""`--ci auto|github|none`: whether a run reports to GitHub Actions. Cheap to import: the
option's choices are read when the app is built."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class CiMode(str, Enum):
    auto = "auto"  # GitHub mode when GITHUB_ACTIONS=true, as every GitHub runner sets it
    github = "github"
    none = "none"


def github_mode(mode: CiMode, environ: Mapping[str, str]) -> bool:
    """Whether workflow commands and the step summary are written."""
    if mode is CiMode.auto:
        return environ.get("GITHUB_ACTIONS", "") == "true"
    return mode is CiMode.github
