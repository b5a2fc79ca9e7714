"""pdj's exit codes and the errors that carry them to the one error boundary."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    JOB_FAILED = 1
    USAGE = 2
    NOT_TERMINAL = 3
    NOT_FOUND = 4
    AWS_ERROR = 5
    INTERNAL = 70
    OUTPUT_FAILED = 74  # sysexits' EX_IOERR: stdout closed or full, not a bug and not a result
    INTERRUPTED = 130
    TERMINATED = 143


# A batch exits with the most severe code among its records, in this order (DESIGN.md).
SEVERITY_ORDER: tuple[ExitCode, ...] = (
    ExitCode.USAGE,
    ExitCode.AWS_ERROR,
    ExitCode.NOT_FOUND,
    ExitCode.JOB_FAILED,
    ExitCode.NOT_TERMINAL,
    ExitCode.OK,
)


def most_severe(codes: Iterable[ExitCode]) -> ExitCode:
    """The code a run of many records exits with, in DESIGN's order; OK when there are none.

    A bug in pdj (70) outranks them all: it must never pass for an ordinary outcome.
    """
    present = set(codes)
    if ExitCode.INTERNAL in present:
        return ExitCode.INTERNAL
    return next((code for code in SEVERITY_ORDER if code in present), ExitCode.OK)


class Terminated(KeyboardInterrupt):
    """SIGTERM (what CI systems send to stop a step), raised in the main thread by the handler
    pdj_cli.interrupts installs. A KeyboardInterrupt, so every path that ends cleanly on Ctrl-C
    (the last status printed, the records so far) ends the same way; it exits 143, not 130."""


def interrupted_exit_code(interrupt: BaseException) -> ExitCode:
    """130 for Ctrl-C, 143 for SIGTERM."""
    return ExitCode.TERMINATED if isinstance(interrupt, Terminated) else ExitCode.INTERRUPTED


class PdjError(Exception):
    """An error pdj understands: one line for the user, an optional hint, an exit code.

    `code` is the machine-readable name used in batch error records: the service's own
    error code where there is one (ResourceNotFoundException, ThrottlingException, ...).
    `configuration` marks an error of the setup (credentials, region, profile, endpoint) that
    every request would meet alike, whatever job it asks about.
    """

    exit_code: ExitCode = ExitCode.INTERNAL
    code: str = "InternalError"

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        code: str | None = None,
        configuration: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.configuration = configuration
        if code is not None:
            self.code = code


class InvalidInputError(PdjError):
    """Input pdj can tell is wrong without asking AWS (an option value, a file)."""

    exit_code = ExitCode.USAGE
    code = "InvalidInput"


class InvalidArnError(InvalidInputError):
    code = "InvalidArn"


class JobNotFoundError(PdjError):
    exit_code = ExitCode.NOT_FOUND
    code = "ResourceNotFoundException"


class AwsError(PdjError):
    """AWS could not answer: credentials, region, access, endpoint, throttling past retries."""

    exit_code = ExitCode.AWS_ERROR
    code = "AwsError"

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        code: str | None = None,
        transient: bool = False,
        configuration: bool = False,
    ):
        super().__init__(message, hint, code=code, configuration=configuration)
        # Transient errors (throttling, 5xx, dropped connections) are worth polling through.
        self.transient = transient


class AlreadyExistsError(InvalidInputError):
    """CreateDataDeletionJob: a job of that name exists (`pdj create` describes it)."""

    code = "ResourceAlreadyExistsException"


class LimitExceededError(AwsError):
    """CreateDataDeletionJob: the dataset group has as many pending deletion jobs as allowed."""

    code = "LimitExceededException"
