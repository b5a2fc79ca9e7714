"""`pdj create`'s views: the question before anything is deleted (stderr), the requests of
--dry-run and the jobs submitted (stdout, every format through ui/document.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pdj_cli.creating.plan import JobRequest
from pdj_cli.creating.submit import Submitted
from pdj_cli.formats import OutputFormat
from pdj_cli.ui.document import DocumentWriter, Shape, write_document
from pdj_cli.ui.output import Output
from pdj_cli.ui.terminal import Terminal
from pdj_cli.ui.words import counted

if TYPE_CHECKING:
    from rich.console import RenderableType

YES_ANSWERS = frozenset({"y", "yes"})


# -- the question -------------------------------------------------------------------------------


def confirmation_lines(requests: Sequence[JobRequest]) -> list[str]:
    """What will be deleted from where: the data location, the role, each job and its group."""
    first = requests[0]
    lines = [
        f"pdj create: {counted(len(requests), 'data deletion job')}. Every user ID listed in",
        f"  {first.data_location}",
        "will be deleted, with all their data, from "
        + ("this dataset group" if len(requests) == 1 else "each of these dataset groups")
        + " (no undo):",
    ]
    for request in requests:
        lines.append(f"  {request.group.text}")
        lines.append(f"      job {request.job_name} in {request.group.region}")
    lines.append(f"role: {first.role_arn}")
    if first.tags:
        lines.append("tags: " + ", ".join(f"{key}={value}" for key, value in first.tags))
    return lines


def ask(terminal: Terminal, lines: Sequence[str], question: str) -> bool:
    """Show `lines` and the question on stderr; yes only for y or yes (Enter, EOF: no)."""
    err = terminal.stderr
    for line in lines:
        err.write(line + "\n")
    err.write(f"{question} [y/N] ")
    err.flush()
    try:
        answer = terminal.stdin.readline()
    except KeyboardInterrupt:
        err.write("\n")  # after the tty's ^C, so `pdj: interrupted` has a line of its own
        raise
    if not answer.endswith("\n"):
        err.write("\n")  # end of input: the next line starts on a line of its own
    return answer.strip().lower() in YES_ANSWERS


# -- --dry-run ----------------------------------------------------------------------------------


def write_requests(output: Output, requests: Sequence[JobRequest]) -> None:
    """The exact requests, as JSON whatever the format (jsonl: one a line).

    One request is printed alone, ready for `aws personalize create-data-deletion-job
    --cli-input-json`; several as `{"requests": [...]}`.
    """
    params = [request.params() for request in requests]
    if output.format is OutputFormat.jsonl:
        for one in params:
            write_document(output.terminal, output.format, output.query, one)
        return
    document: Any = params[0] if len(params) == 1 else {"requests": params}
    write_document(output.terminal, OutputFormat.json, output.query, document)


# -- the jobs submitted -------------------------------------------------------------------------


def _one_job_document(items: list[Submitted]) -> Any:
    return {"dataDeletionJobArn": items[0].arn}  # as `aws personalize create-...` prints it


def _jobs_document(items: list[Submitted]) -> Any:
    return {"dataDeletionJobs": [item.to_api() for item in items]}


def _table(items: list[Submitted]) -> Sequence[RenderableType]:
    from pdj_cli.ui.layout import Column, FittedTable

    columns = [
        Column("Name"),
        Column("Dataset group"),
        Column("Region"),
        Column("Result"),
        Column("ARN", aside=True),  # where it does not fit: a whole line below
    ]
    rows = [
        [
            item.request.job_name,
            item.request.group.name,
            item.request.group.region,
            "created" if item.created else "already submitted",
            item.arn,
        ]
        for item in items
    ]
    return [FittedTable(columns, rows)]


def submitted_shape(jobs: int) -> Shape[Submitted]:
    """The shape for a run of `jobs` requests: the json document's form follows how many jobs
    were asked for, not how many were submitted before an error or a signal stopped the run,
    so a script reading `.dataDeletionJobs[]` for several groups always finds it."""
    return Shape(
        record=Submitted.to_api,
        text_line=lambda item: item.arn,
        document=_one_job_document if jobs == 1 else _jobs_document,
        table=_table,
        columns=("dataDeletionJobArn", "jobName", "datasetGroupArn", "created"),  # csv, md
    )


def submitted_writer(output: Output, jobs: int) -> DocumentWriter[Submitted]:
    return output.writer(submitted_shape(jobs))


def submitted_line(item: Submitted) -> str:
    """The stderr line for each job: created, or found already submitted; the group's region
    too, since one name in several regions is the common case of several groups."""
    group, region = item.request.group.name, item.request.group.region
    if item.created:
        return f"pdj: created {item.request.job_name} in dataset group {group} ({region})"
    job = item.existing
    status = f"; status {job.status}" if job is not None and job.status else ""
    return (
        f"pdj: {item.request.job_name} was already submitted to dataset group {group} "
        f"({region}{status}): not created again"
    )
