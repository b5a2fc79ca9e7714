"""What a batch's inputs yield (one item per line, argument or listed job), and what it needs of
the job service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from pdj_cli.arns import ResourceArn
from pdj_cli.errors import InvalidArnError, PdjError
from pdj_cli.models import DeletionJob


class JobReader(Protocol):
    """What the batch needs of JobService (a fake in unit tests)."""

    def describe(self, arn: ResourceArn) -> DeletionJob: ...

    def iter_job_pages(
        self, dataset_group: ResourceArn | None = None
    ) -> Iterator[list[DeletionJob]]: ...


@dataclass(frozen=True)
class Origin:
    """Where an input came from: a file path, `-` (stdin), `argument`, or a dataset group ARN."""

    source: str
    line: int | None = None  # 1-based, counting every line (blank and comment lines too)

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class JobInput:
    """A valid job ARN to describe."""

    arn: ResourceArn
    origin: Origin

    @property
    def key(self) -> str:
        return self.arn.text


@dataclass(frozen=True)
class InvalidLine:
    """Input that is not a job ARN: an error record, never sent."""

    text: str
    error: InvalidArnError
    origin: Origin

    @property
    def key(self) -> str:
        return self.text


@dataclass(frozen=True)
class ListedJob:
    """A job found by listing a dataset group; `page` is the list page it was on (1-based)."""

    job: DeletionJob
    page: int
    origin: Origin

    @property
    def key(self) -> str:
        return self.job.arn


@dataclass(frozen=True)
class GroupListingFailed:
    """A dataset group whose listing failed (possibly after some pages): one error record."""

    group: ResourceArn
    error: PdjError
    origin: Origin

    @property
    def key(self) -> None:
        return None


@dataclass(frozen=True)
class GroupListed:
    """A dataset group's listing ended; not a record (it lets the view warn of empty groups)."""

    group: ResourceArn
    jobs: int

    @property
    def key(self) -> None:
        return None


Item = JobInput | InvalidLine | ListedJob | GroupListingFailed | GroupListed
