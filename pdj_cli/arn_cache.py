"""The ARNs pdj has printed, kept for Tab: a small file the completion scripts read themselves.

The file is `$XDG_CACHE_HOME/pdj/arns` (`~/.cache/pdj/arns` when XDG_CACHE_HOME is unset,
empty or relative, as the XDG spec says): one ARN a line, job and dataset-group ARNs together
(a script tells them apart by the resource type), the most recent last, at most MAX_ARNS lines.
Every document pdj prints passes its jobs to `note_document`; the file is written once, as pdj
exits (after the boundary has flushed stdout), to a temp file beside it then `os.replace`d, so
a shell never reads half a file. Nothing here can fail a command: an error reading or writing
the cache is ignored. PDJ_NO_CACHE=1 (any value but empty or 0) turns it off.

Two pdj processes that exit at once may each write their own merge: the last one wins, and the
other's new ARNs are lost, which a cache can afford.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

MAX_ARNS = 1000
CACHE_NAME = os.path.join("pdj", "arns")
# Only ARNs safe to put on a command line unquoted are kept: Tab inserts them as they are.
_SAFE_ARN = re.compile(
    r"arn:aws[a-z-]*:personalize:[a-z0-9-]{1,63}:[0-9]{12}:"
    r"(?:data-deletion-job|dataset-group)/[A-Za-z0-9][A-Za-z0-9_-]{0,62}"
)
_ARN_KEYS = ("dataDeletionJobArn", "datasetGroupArn")
_LIST_KEYS = ("dataDeletionJob", "dataDeletionJobs")


class _Pending:
    """The ARNs noted by this process, most recent last; only the newest MAX_ARNS are kept."""

    def __init__(self) -> None:
        self.arns: OrderedDict[str, None] = OrderedDict()
        self.path: str | None = None  # where they go: decided when the first is noted
        self.off = False  # PDJ_NO_CACHE, or nowhere to write: decided at the first note

    def add(self, arn: str) -> None:
        self.arns[arn] = None
        self.arns.move_to_end(arn)
        if len(self.arns) > MAX_ARNS:
            self.arns.popitem(last=False)


_pending = _Pending()


def cache_path(environ: Mapping[str, str] = os.environ) -> str | None:
    """The cache file, or None when PDJ_NO_CACHE turns it off (or there is no home)."""
    if environ.get("PDJ_NO_CACHE", "") not in ("", "0"):
        return None
    base = environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = environ.get("HOME") or os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, CACHE_NAME)


def note_document(document: Any) -> None:
    """Note the jobs of a document about to be printed: a job, `{"dataDeletionJob": job}`, or
    `{"dataDeletionJobs": [...]}` (list, batch). Error records are not jobs and are skipped."""
    if not isinstance(document, dict):
        return
    for key in _LIST_KEYS:
        value = document.get(key)
        if isinstance(value, dict):
            _note_job(value)
        elif isinstance(value, list):
            for job in value:
                if isinstance(job, dict):
                    _note_job(job)
    _note_job(document)


def _note_job(job: dict[str, Any]) -> None:
    if "dataDeletionJobArn" not in job or "error" in job:
        return
    note(job.get(key) for key in _ARN_KEYS)


def note(arns: Iterable[Any]) -> None:
    """Note ARNs printed; the first note registers the write at exit (unless the cache is off)."""
    pending = _pending
    if pending.off:
        return
    if pending.path is None:
        path = cache_path()
        if path is None:
            pending.off = True
            return
        import atexit

        pending.path = path
        atexit.register(save)
    for arn in arns:
        if isinstance(arn, str) and len(arn) <= 256 and _SAFE_ARN.fullmatch(arn):
            pending.add(arn)


def save() -> None:
    """Merge the noted ARNs into the cache file; never raises."""
    pending = _pending
    path, arns = pending.path, list(pending.arns)
    pending.arns.clear()
    if path is None or not arns:
        return
    import contextlib

    with contextlib.suppress(OSError, ValueError):  # a cache never fails a command
        write_merged(path, arns)


def reset() -> None:
    """Forget what was noted and decided (for tests that run pdj in their own process)."""
    global _pending
    _pending = _Pending()


def merged(existing: Iterable[str], new: Iterable[str], limit: int = MAX_ARNS) -> list[str]:
    """The existing lines and the new ARNs, each once at its most recent place, newest last."""
    order: OrderedDict[str, None] = OrderedDict()
    for arn in (*existing, *new):
        arn = arn.strip()
        if not _SAFE_ARN.fullmatch(arn):
            continue
        order[arn] = None
        order.move_to_end(arn)
    lines = list(order)
    return lines[-limit:] if limit > 0 else []


def write_merged(path: str, arns: Iterable[str]) -> None:
    """Merge `arns` into the file at `path` and replace it atomically (a temp file beside it)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            existing = file.read().splitlines()
    except FileNotFoundError:
        existing = []
    lines = merged(existing, arns)
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    temp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write("".join(line + "\n" for line in lines))
        os.replace(temp, path)
    except BaseException:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
