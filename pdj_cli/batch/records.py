"""A batch's records (one per unique input: a job or an error) and the counts of its summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pdj_cli.batch.items import Origin
from pdj_cli.errors import ExitCode, InvalidArnError, PdjError
from pdj_cli.models import DeletionJob, exit_code_for_status

INTERNAL_ERROR_CODE = "InternalError"
# An input echoed in its error record is cut to this many characters (an ARN has at most 256),
# so a 20 MB line does not come back whole; the record then gives its length in `inputLength`.
ECHO_LIMIT = 256


def echoed(text: str) -> tuple[str, int | None]:
    """The input as its record echoes it, and its length when it had to be cut."""
    if len(text) <= ECHO_LIMIT:
        return text, None
    return text[:ECHO_LIMIT] + "…", len(text)


@dataclass(frozen=True)
class ErrorInfo:
    code: str
    message: str
    exit_code: ExitCode

    @classmethod
    def from_exception(cls, error: BaseException) -> ErrorInfo:
        if isinstance(error, PdjError):
            message = error.message
            if isinstance(error, InvalidArnError) and error.hint:
                message = f"{message} ({error.hint})"
            return cls(error.code, message, error.exit_code)
        # A bug in pdj: still one record (nothing is dropped), and the batch exits 70.
        return cls(INTERNAL_ERROR_CODE, f"{type(error).__name__}: {error}", ExitCode.INTERNAL)


@dataclass(frozen=True)
class BatchRecord:
    """The answer to one unique input: a job, or an error.

    `index` is the input's position among unique inputs (json prints in that order).
    """

    index: int
    job: DeletionJob | None = None
    error: ErrorInfo | None = None
    subject: str | None = None  # the job ARN, or the input text that was not one
    origin: Origin | None = None
    group_arn: str | None = None  # set for a dataset group that could not be listed
    input_length: int | None = None  # the input's length, when `subject` is cut (echoed)

    def to_api(self) -> dict[str, Any]:
        """A job exactly as describe prints it; an error as documented in the README."""
        if self.job is not None:
            return self.job.to_api()
        assert self.error is not None
        record: dict[str, Any] = {}
        if self.group_arn is not None:
            record["datasetGroupArn"] = self.group_arn
        else:
            record["dataDeletionJobArn"] = self.subject
        if self.input_length is not None:
            record["inputLength"] = self.input_length
        record["error"] = {"code": self.error.code, "message": self.error.message}
        if self.origin is not None:
            record["source"] = self.origin.source
            if self.origin.line is not None:
                record["line"] = self.origin.line
        return record

    def exit_code(self, statuses_matter: bool) -> ExitCode:
        if self.error is not None:
            return self.error.exit_code
        if not statuses_matter or self.job is None:
            return ExitCode.OK
        return exit_code_for_status(self.job.status)


@dataclass
class Tally:
    """Counts for the summary line: jobs by status, errors by code."""

    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, record: BatchRecord) -> None:
        if record.error is not None:
            self.errors[record.error.code] += 1
        elif record.job is not None:
            self.statuses[record.job.status] += 1

    @property
    def total(self) -> int:
        return sum(self.statuses.values()) + sum(self.errors.values())
