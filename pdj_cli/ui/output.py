"""`Output`: what one invocation prints and how, the object every command renders through.

It owns the terminal policy (and so the one Console factory), the format and the compiled
--query; `job` and `jobs` are describe's and list's documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from pdj_cli.formats import OutputFormat
from pdj_cli.models import DeletionJob
from pdj_cli.ui.document import DocumentWriter, Shape, job_text_line
from pdj_cli.ui.terminal import Terminal

if TYPE_CHECKING:
    from rich.console import RenderableType

T = TypeVar("T")


def _job_panel(jobs: list[DeletionJob]) -> Sequence[RenderableType]:
    from pdj_cli.ui.tables import job_panel

    return [job_panel(job) for job in jobs]


def _jobs_table(jobs: list[DeletionJob]) -> Sequence[RenderableType]:
    from pdj_cli.ui.tables import jobs_table

    return [jobs_table(jobs)]


def _markdown(jobs: list[DeletionJob]) -> Iterable[str]:
    from pdj_cli.ui.markdown import jobs_table

    return jobs_table(jobs)


def _api(job: DeletionJob) -> dict[str, Any]:
    return job.to_api()


def _text(job: DeletionJob) -> str:
    return job_text_line(job.to_api())


# describe: one job, `{"dataDeletionJob": {...}}`; list: `{"dataDeletionJobs": [...]}`
ONE_JOB: Shape[DeletionJob] = Shape(
    record=_api,
    text_line=_text,
    document=lambda jobs: {"dataDeletionJob": jobs[0].to_api()},
    table=_job_panel,
    markdown=_markdown,
)
JOB_LIST: Shape[DeletionJob] = Shape(
    record=_api,
    text_line=_text,
    document=lambda jobs: {"dataDeletionJobs": [job.to_api() for job in jobs]},
    table=_jobs_table,
    markdown=_markdown,
)


@dataclass
class Output:
    """Turns documents into the chosen format on stdout; views get their Consoles from its
    terminal policy."""

    format: OutputFormat
    query: Any = None  # a compiled JMESPath expression
    terminal: Terminal = field(default_factory=Terminal)

    @property
    def out(self) -> TextIO:
        return self.terminal.stdout

    def writer(self, shape: Shape[T]) -> DocumentWriter[T]:
        return DocumentWriter(shape, self.format, self.query, self.terminal)

    def job(self, job: DeletionJob) -> None:
        writer = self.writer(ONE_JOB)
        writer.add(job)
        writer.finish()

    def jobs(self, pages: Iterable[list[DeletionJob]]) -> int:
        """Print every job of every page; jsonl (and unqueried text and csv) stream page by
        page."""
        writer = self.writer(JOB_LIST)
        count = 0
        for page in pages:
            for job in page:
                writer.add(job, flush=False)
                count += 1
            if writer.streams:
                writer.flush()
        writer.finish()
        return count
