"""`CiReport`: the one observer of a run's end for CI. `watch` and `following.follow` (batch,
create --wait) hand it every final record and then how the run ended; it writes what is
switched on: the JUnit file, the GitHub step summary, the workflow commands.

It never raises for a file it cannot write: a summary GitHub's runner did not offer is one
warning line and changes no exit code; a JUnit file asked for and not written is one error line,
and a run that would have exited 0 exits 74 (output that could not be written).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

from pdj_cli.batch.records import BatchRecord, ErrorInfo
from pdj_cli.boundary import say
from pdj_cli.ci.github import Annotation, error_commands
from pdj_cli.ci.junit import ERROR, FAILURE, SKIPPED, TestCase, TestSuite, junit_xml
from pdj_cli.ci.junit import write_atomically as write_junit
from pdj_cli.ci.settings import CiMode, github_mode
from pdj_cli.ci.summary import NOT_SEEN, SUMMARY_LIMIT, counts_text, step_summary
from pdj_cli.errors import ExitCode, PdjError, Terminated, interrupted_exit_code
from pdj_cli.models import Status
from pdj_cli.ui.words import counted, job_duration, job_label, last_part

STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
NAMED_PENDING = 5  # jobs named in the warning of a run that ended with jobs not terminal


class Ending(str, Enum):
    """How a run ended."""

    DONE = "done"  # every job answered (and, waiting, terminal)
    TIMEOUT = "timeout"  # --timeout ran out
    FAIL_FAST = "fail-fast"  # --fail-fast stopped the wait
    ERRORS = "errors"  # errors persisted past the grace
    INTERRUPTED = "interrupted"  # Ctrl-C
    TERMINATED = "terminated"  # SIGTERM
    STOPPED = "stopped"  # an error stopped the run (no credentials, a wrong endpoint)
    OUTPUT_CLOSED = "output-closed"  # stdout closed mid-stream (a reader that stopped) or full


# What a job not terminal at the end was cut short by, for its `skipped` test case.
_CUT_SHORT = {
    Ending.TIMEOUT: "when --timeout ran out",
    Ending.FAIL_FAST: "when --fail-fast stopped the wait",
    Ending.ERRORS: "when errors stopped the wait",
    Ending.INTERRUPTED: "when pdj was interrupted (Ctrl-C)",
    Ending.TERMINATED: "when pdj was terminated (SIGTERM)",
    Ending.STOPPED: "when an error stopped pdj",
    Ending.OUTPUT_CLOSED: "when pdj's output was closed",
}
# The ::warning of a run cut short (--fail-fast is not: its FAILED job has its own ::error).
_WARNED = {
    Ending.TIMEOUT: "--timeout ran out",
    Ending.INTERRUPTED: "interrupted (Ctrl-C)",
    Ending.TERMINATED: "terminated (SIGTERM)",
    Ending.OUTPUT_CLOSED: "stopped when its output was closed",
}


@dataclass(frozen=True)
class Outcome:
    ending: Ending
    exit_code: ExitCode
    error: ErrorInfo | None = None  # what stopped the run (Ending.STOPPED)


def output_closed(error: OSError) -> Outcome:
    """The outcome of a run whose stdout failed mid-stream, with the code pdj then ends with: a
    reader that stopped (`| head -1`) is a quiet 0, any other failure (`>&-`, a full disk) 74."""
    code = ExitCode.OK if isinstance(error, BrokenPipeError) else ExitCode.OUTPUT_FAILED
    return Outcome(Ending.OUTPUT_CLOSED, code)


def stopped_by(error: PdjError | KeyboardInterrupt) -> Outcome:
    """The outcome of a run an error, Ctrl-C or SIGTERM stopped before any job was followed
    (`create --wait` while it submits): the CI still learns why there is nothing to report."""
    if isinstance(error, KeyboardInterrupt):
        ending = Ending.TERMINATED if isinstance(error, Terminated) else Ending.INTERRUPTED
        return Outcome(ending, interrupted_exit_code(error))
    return Outcome(Ending.STOPPED, error.exit_code, ErrorInfo.from_exception(error))


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class CiReport:
    """Collects the final records of one run; `finish` writes the reports."""

    def __init__(
        self,
        command: str,
        *,
        github: bool,
        junit_xml: Path | None,
        environ: Mapping[str, str],
        noun: str = "record",
        write_line: Callable[[str], None] = say,
        now: Callable[[], datetime] = _utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        hostname: Callable[[], str] = socket.gethostname,
    ) -> None:
        self.command = command  # `pdj batch`, `pdj watch erase-42`: the heading and titles
        self.github = github
        self.junit_xml = junit_xml
        self.environ = environ
        self.noun = noun
        self._say = write_line  # stderr, through the boundary's `say` unless a test listens
        self._monotonic = monotonic
        self._hostname = hostname
        self.started_at = now()
        self._started = monotonic()
        self.records: list[BatchRecord] = []

    def add(self, record: BatchRecord) -> None:
        self.records.append(record)

    def finish(self, outcome: Outcome) -> ExitCode:
        """Write the reports; the exit code the run ends with (`outcome`'s, unless the JUnit
        file could not be written after a run that would have exited 0)."""
        records = sorted(self.records, key=lambda record: record.index)
        code = outcome.exit_code
        if self.junit_xml is not None and not self._write_junit(records, outcome):
            code = code or ExitCode.OUTPUT_FAILED
        if self.github:
            self._write_summary(records, outcome)
            for line in self._workflow_commands(records, outcome):
                self._say(line)
        return ExitCode(code)

    # -- JUnit -------------------------------------------------------------------------------

    def _write_junit(self, records: list[BatchRecord], outcome: Outcome) -> bool:
        assert self.junit_xml is not None
        cases = [record_case(record, outcome.ending) for record in records]
        if outcome.error is not None:
            error = outcome.error
            cases.append(TestCase("pdj", self.command, 0.0, ERROR, error.message, error.code))
        suite = TestSuite(
            name=self.command,
            cases=cases,
            timestamp=self.started_at,
            time=self._monotonic() - self._started,
            hostname=self._hostname(),
            properties=(
                ("pdj.command", self.command),
                ("pdj.ending", outcome.ending.value),
                ("pdj.exitCode", str(int(outcome.exit_code))),
            ),
        )
        try:
            write_junit(self.junit_xml, junit_xml(suite))
        except OSError as error:
            self._say(
                f"pdj: error: could not write the JUnit report {self.junit_xml}: "
                f"{error.strerror or error}"
            )
            return False
        return True

    # -- GitHub --------------------------------------------------------------------------------

    def _write_summary(self, records: list[BatchRecord], outcome: Outcome) -> None:
        path = self.environ.get(STEP_SUMMARY_VARIABLE, "")
        if not path:
            self._say(f"pdj: warning: {STEP_SUMMARY_VARIABLE} is not set: no step summary written")
            return
        try:
            written = os.path.getsize(path) if os.path.exists(path) else 0
            separator = "\n" if written else ""
            text = step_summary(
                self.command,
                records,
                SUMMARY_LIMIT - written - len(separator),
                noun=self.noun,
                exit_code=int(outcome.exit_code),
                notes=self._summary_notes(records, outcome),
            )
            if text is None:
                self._say(
                    f"pdj: warning: the step summary {path} is full (GitHub takes 1 MiB a "
                    "step): pdj's summary was left out"
                )
                return
            with open(path, "a", encoding="utf-8", newline="") as file:
                file.write(separator + text)
        except OSError as error:
            self._say(
                f"pdj: warning: could not write the step summary {path}: {error.strerror or error}"
            )

    def _summary_notes(self, records: list[BatchRecord], outcome: Outcome) -> Iterator[str]:
        ending = self._ending_line(records, outcome)
        if ending:
            yield ending
        if outcome.error is not None:
            yield f"Stopped by {outcome.error.code}: {outcome.error.message}"

    def _ending_line(self, records: list[BatchRecord], outcome: Outcome) -> str | None:
        said = _WARNED.get(outcome.ending)
        if said is None:
            return None
        pending = [r.job for r in records if r.job is not None and not r.job.is_terminal]
        if not pending:
            return said
        shown = pending[:NAMED_PENDING]
        names = ", ".join(f"{job_label(job)} ({job.status or NOT_SEEN})" for job in shown)
        if len(pending) > NAMED_PENDING:
            names += f" and {len(pending) - NAMED_PENDING} more"
        return f"{said} with {counted(len(pending), 'job')} not terminal: {names}"

    def _workflow_commands(self, records: list[BatchRecord], outcome: Outcome) -> Iterator[str]:
        errors = [annotation for record in records for annotation in _error_annotation(record)]
        if outcome.error is not None:
            stopped = f"{self.command} stopped: {outcome.error.code}: {outcome.error.message}"
            errors.append(Annotation(stopped, title=self.command))
        yield from error_commands(errors)
        ending = self._ending_line(records, outcome)
        if ending:
            yield Annotation(ending, title=self.command).command("warning")
        totals = f"{counts_text(records, self.noun)}; exit {int(outcome.exit_code)}"
        yield Annotation(totals, title=self.command).command("notice")


def _error_annotation(record: BatchRecord) -> Iterator[Annotation]:
    """The `::error` of a FAILED job or an error record; nothing for any other record."""
    job = record.job
    if job is not None:
        if job.status == Status.FAILED.value:
            reason = job.failure_reason or "no failure reason given"
            yield Annotation(f"{job_label(job)} FAILED: {reason}", title=job_label(job))
        return
    assert record.error is not None
    subject = _visible(record.group_arn or record.subject or "")
    origin = record.origin
    where = f" ({origin})" if origin is not None and origin.line is not None else ""
    # An input line of a file is pinned to that line (stdin, `-`, has no file to show).
    in_file = origin is not None and origin.line is not None and origin.source != "-"
    yield Annotation(
        f"{subject}{where}: {record.error.code}: {record.error.message}",
        title=f"{_short(subject)}: {record.error.code}",
        file=origin.source if in_file and origin is not None else None,
        line=origin.line if in_file and origin is not None else None,
    )


def _visible(text: str) -> str:
    """An input line as its InvalidArn message shows it (repr's escapes): a control character as
    `\\x1b`, not raw (in a CI log a terminal escape would colour or hide what follows)."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _short(subject: str) -> str:
    """A job ARN's name; any other input whole (it is cut at 256 characters already)."""
    return last_part(subject) if subject.startswith("arn:") and "/" in subject else subject


def record_case(record: BatchRecord, ending: Ending) -> TestCase:
    """A record as a JUnit test case: classname the dataset group, name the job, time the
    job's own duration (creation to last update)."""
    job = record.job
    if job is None:
        assert record.error is not None
        subject = record.group_arn or record.subject or ""
        source = record.origin.source if record.origin is not None else "pdj"
        lines = [f"input: {subject}"]
        if record.origin is not None:
            lines.append(f"source: {record.origin}")
        return TestCase(
            source, subject, 0.0, ERROR, record.error.message, record.error.code, "\n".join(lines)
        )
    case = TestCase(job.dataset_group_arn or "pdj", job_label(job), job_duration(job) or 0.0)
    details = f"job: {job.arn}"
    if job.status == Status.COMPLETED.value:
        return case
    if job.status == Status.FAILED.value:
        reason = job.failure_reason or "no failure reason given"
        return _with(case, FAILURE, reason, job.status, f"{reason}\n{details}")
    last = f"its last status was {job.status}" if job.status else "no status seen yet"
    cut_short = _CUT_SHORT.get(ending)
    message = f"not terminal {cut_short}: {last}" if cut_short else f"not terminal: {last}"
    return _with(case, SKIPPED, message, "", details)


def _with(case: TestCase, result: str, message: str, kind: str, text: str) -> TestCase:
    return TestCase(case.classname, case.name, case.time, result, message, kind, text)


def make_report(
    command: str,
    mode: CiMode,
    junit_xml: str | None,
    *,
    environ: Mapping[str, str],
    waits: bool = True,
    noun: str = "record",
    now: Callable[[], datetime] = _utc_now,
    monotonic: Callable[[], float] = time.monotonic,
) -> CiReport | None:
    """The report a command's `--ci` and `--junit-xml` ask for; None when neither is on.

    `waits`: the run follows jobs to an end (watch, batch --wait or --exit-status): GitHub mode
    applies only then; a JUnit file asked for by name is written either way.
    """
    github = waits and github_mode(mode, environ)
    if not github and junit_xml is None:
        return None
    return CiReport(
        command,
        github=github,
        junit_xml=Path(junit_xml) if junit_xml is not None else None,
        environ=environ,
        noun=noun,
        now=now,
        monotonic=monotonic,
    )
