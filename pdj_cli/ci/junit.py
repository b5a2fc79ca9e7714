"""The JUnit XML report: one test case per job, written atomically.

The shape is the one Jenkins' xUnit schema (junit-10.xsd) describes and GitLab, Azure DevOps
and CircleCI read: `testsuites` > one `testsuite` (name, tests, failures, errors, skipped,
time, timestamp, hostname, id, package) > `properties`, the `testcase`s, `system-out`,
`system-err`. Each test case has name, classname and time, and at most one of `failure`
(a FAILED job), `error` (an error record) or `skipped` (a job not terminal at the end). Ant's
stricter schema is met too (its required attributes and elements are all there), except that
it has no `skipped`, which every reader above does take.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# XML 1.0 cannot hold these at all, not even as character references: a failure reason with
# an escape character would make the whole file unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"

FAILURE, ERROR, SKIPPED = "failure", "error", "skipped"


def xml_text(text: str) -> str:
    """`text` with every character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


@dataclass(frozen=True)
class TestCase:
    """One job (or error record) as a test case; `result` None is a pass."""

    __test__ = False  # not a pytest test class, whatever its name

    classname: str
    name: str
    time: float  # seconds
    result: str | None = None  # FAILURE, ERROR or SKIPPED
    message: str = ""
    type: str = ""  # a failure's status, an error's code
    text: str = ""  # the details, as the element's text


@dataclass(frozen=True)
class TestSuite:
    __test__ = False

    name: str
    cases: Sequence[TestCase]
    timestamp: datetime  # when the run started
    time: float  # how long the run took, in seconds
    hostname: str
    properties: Sequence[tuple[str, str]] = field(default_factory=tuple)

    def count(self, result: str) -> int:
        return sum(1 for case in self.cases if case.result == result)


def _seconds(value: float) -> str:
    # junit-10.xsd's SUREFIRE_TIME: digits and a decimal point (no sign, no exponent)
    return f"{max(0.0, value):.3f}"


def _timestamp(moment: datetime) -> str:
    # Ant's ISO8601_DATETIME_PATTERN has no zone: this is UTC.
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, {key: xml_text(value) for key, value in attributes.items()})


def junit_xml(suite: TestSuite) -> bytes:
    """The report as UTF-8 bytes, with an XML declaration."""
    counts = {
        "tests": str(len(suite.cases)),
        "failures": str(suite.count(FAILURE)),
        "errors": str(suite.count(ERROR)),
    }
    root = ET.Element(
        "testsuites", {"name": xml_text(suite.name), **counts, "time": _seconds(suite.time)}
    )
    element = _element(
        root,
        "testsuite",
        name=suite.name,
        **counts,
        skipped=str(suite.count(SKIPPED)),
        time=_seconds(suite.time),
        timestamp=_timestamp(suite.timestamp),
        hostname=suite.hostname or "localhost",
        id="0",
        package="pdj",
    )
    properties = _element(element, "properties")
    for name, value in suite.properties:
        _element(properties, "property", name=name, value=value)
    for case in suite.cases:
        testcase = _element(
            element, "testcase", name=case.name, classname=case.classname, time=_seconds(case.time)
        )
        if case.result is not None:
            detail = {"message": case.message, **({"type": case.type} if case.type else {})}
            result = _element(testcase, case.result, **detail)
            # XML reads a CR in text as a line end: written as one, it reads back as written
            text = case.text.replace("\r\n", "\n").replace("\r", "\n")
            result.text = xml_text(text) if text else None
    _element(element, "system-out")
    _element(element, "system-err")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the whole new one, never
    a part: a temporary file in the same directory, synced, then renamed over `path`.

    A symlink is followed (the link stays, its target is replaced). A target that is not a
    regular file (`/dev/null`, `/dev/stderr`, a named pipe) is written into: renamed over, it
    would become a regular file, and for root in a CI container /dev/null would be one.
    """
    if path.exists() and not path.is_file():  # checked through the links: /dev/stderr
        with open(path, "wb") as file:
            file.write(data)
        return
    path = Path(os.path.realpath(path))
    directory = path.parent
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 is for the temporary file only
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_directory(directory: Path) -> None:
    # The rename itself survives a crash once the directory is synced; not every system can.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
