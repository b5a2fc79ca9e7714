"""The words every view shares: a job's label, plurals, durations, "ago", status styles.

Plain strings only (a style is a rich style name, not a rich object): no rich import here.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from pdj_cli.models import DeletionJob, Status, in_status_order

if TYPE_CHECKING:
    from pdj_cli.batch.records import Tally

STATUS_STYLES = {
    Status.COMPLETED.value: "bold green",
    Status.FAILED.value: "bold red",
    Status.IN_PROGRESS.value: "bold yellow",
    Status.PENDING.value: "bold cyan",
}
UNKNOWN_STATUS_STYLE = "bold magenta"


def status_style(status: str) -> str:
    return STATUS_STYLES.get(status, UNKNOWN_STATUS_STYLE)


def job_label(job: DeletionJob) -> str:
    """A job's name; an old job without one is called by its ARN's last part."""
    return job.name or last_part(job.arn)


def last_part(arn: str) -> str:
    """`shop` of `arn:...:dataset-group/shop`."""
    return arn.rsplit("/", 1)[-1]


def plural(count: int, noun: str) -> str:
    """The noun for `count` of it: 'job', 'jobs'."""
    return noun if count == 1 else f"{noun}s"


def counted(count: int, noun: str) -> str:
    """'1 job', '2 jobs'."""
    return f"{count} {plural(count, noun)}"


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'3 hours ago', 'in 5 minutes' (a clock skew), 'just now'."""
    if moment is None:
        return ""
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    if abs(seconds) < 5:
        return "just now"
    text = human_duration(abs(seconds), coarse=True)
    return f"{text} ago" if seconds > 0 else f"in {text}"


def human_duration(seconds: float, *, coarse: bool = False) -> str:
    """'45s', '3m 20s', '2h 05m', '3d 4h'; coarse: '3 hours', '2 days'."""
    seconds = max(0.0, seconds)
    if coarse:
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                return counted(int(seconds // size), unit)
        return counted(int(seconds), "second")
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{seconds:.0f}s" if seconds >= 1 else f"{seconds:.1f}s"


def iso_seconds(moment: datetime) -> str:
    """`2026-05-31T16:08:37Z`: short, sortable, unambiguous in a CI log."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def failure_reason(job: DeletionJob) -> str:
    """A job's failure reason on one line."""
    return " ".join((job.failure_reason or "no failure reason given").split())


def job_duration(job: DeletionJob) -> float | None:
    """Seconds from the job's creation to its last update, when it says both."""
    if job.created is None or job.updated is None:
        return None
    return max(0.0, (job.updated - job.created).total_seconds())


def tally_parts(tally: Tally) -> list[tuple[str, int]]:
    """(label, count) in a stable order: statuses in their order, then errors."""
    parts = [(status, tally.statuses[status]) for status in in_status_order(+tally.statuses)]
    errors = sum(tally.errors.values())
    if errors:
        parts.append((plural(errors, "error"), errors))
    return parts


def tally_summary(tally: Tally) -> str:
    """'4 records: 2 COMPLETED, 1 FAILED, 1 error'."""
    counts = ", ".join(f"{count} {label}" for label, count in tally_parts(tally))
    return counted(tally.total, "record") + (f": {counts}" if counts else "")
