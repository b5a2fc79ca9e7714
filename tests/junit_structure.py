"""The structure JUnit readers accept, as a check on a parsed report.

The rules of Jenkins' xUnit schema (jenkinsci/xunit-plugin junit-10.xsd), which GitLab, Azure
DevOps and CircleCI read alike, plus what Ant's stricter JUnit schema requires on top of it
(timestamp, hostname, id and package on the suite, properties / system-out / system-err
present and in that order, classname and time on every test case). No schema file is shipped
with the tests: these are the rules those schemas state, written out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# junit-10.xsd's SUREFIRE_TIME
SUREFIRE_TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")
# Ant's ISO8601_DATETIME_PATTERN: no zone, no fraction
ANT_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
INTEGER = re.compile(r"[0-9]+")

SUITES_ATTRIBUTES = {"name", "time", "tests", "failures", "errors"}  # junit-10: no others
SUITE_ATTRIBUTES = {
    "name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp",
    "hostname", "id", "package", "file", "log", "url",
}  # fmt: skip
SUITE_REQUIRED = {"name", "tests", "failures", "errors"}
ANT_SUITE_REQUIRED = {"timestamp", "hostname", "time", "id", "package"}
CASE_ATTRIBUTES = {"name", "time", "classname", "group"}
RESULTS = ("skipped", "error", "failure")


def problems(root: ET.Element) -> list[str]:
    """Everything in the report those schemas would refuse; empty when it is accepted."""
    found: list[str] = []
    if root.tag != "testsuites":
        return [f"the root is <{root.tag}>, not <testsuites>"]
    found += _attributes("testsuites", root, SUITES_ATTRIBUTES, set())
    suites = list(root)
    if len(suites) != 1 or any(suite.tag != "testsuite" for suite in suites):
        found.append(f"<testsuites> holds {[child.tag for child in suites]}, not one <testsuite>")
    for suite in suites:
        found += _suite(suite)
    for name in ("tests", "failures", "errors"):
        total = sum(
            int(suite.get(name, "0")) for suite in suites if INTEGER.fullmatch(suite.get(name, ""))
        )
        if root.get(name) is not None and root.get(name) != str(total):
            found.append(f"testsuites {name}={root.get(name)} but its suites count {total}")
    return found


def _attributes(tag: str, element: ET.Element, allowed: set[str], required: set[str]) -> list[str]:
    found = []
    extra = set(element.attrib) - allowed
    if extra:
        found.append(f"<{tag}> has attributes no schema allows: {sorted(extra)}")
    missing = required - set(element.attrib)
    if missing:
        found.append(f"<{tag}> lacks {sorted(missing)}")
    for name in ("tests", "failures", "errors", "skipped"):
        value = element.get(name)
        if value is not None and not INTEGER.fullmatch(value):
            found.append(f"<{tag}> {name}={value!r} is not a count")
    time = element.get("time")
    if time is not None and not SUREFIRE_TIME.fullmatch(time):
        found.append(f"<{tag}> time={time!r} is not a SUREFIRE_TIME")
    return found


def _suite(suite: ET.Element) -> list[str]:
    found = _attributes("testsuite", suite, SUITE_ATTRIBUTES, SUITE_REQUIRED | ANT_SUITE_REQUIRED)
    if not suite.get("name"):
        found.append("<testsuite> has an empty name")
    if not ANT_TIMESTAMP.fullmatch(suite.get("timestamp", "")):
        found.append(f"timestamp={suite.get('timestamp')!r} is not Ant's ISO 8601 form")
    tags = [child.tag for child in suite]
    # Ant: properties, testcase*, system-out, system-err, in this order
    if not (
        tags[:1] == ["properties"]
        and tags[-2:] == ["system-out", "system-err"]
        and all(tag == "testcase" for tag in tags[1:-2])
    ):
        found.append(f"<testsuite> children out of order: {tags}")
    for element in suite.iter("property"):
        if set(element.attrib) != {"name", "value"}:
            found.append(f"<property> has {sorted(element.attrib)}")
    cases = suite.findall("testcase")
    counted = {result: 0 for result in RESULTS}
    for case in cases:
        found += _attributes("testcase", case, CASE_ATTRIBUTES, {"name", "classname", "time"})
        children = [child.tag for child in case]
        unknown = set(children) - {*RESULTS, "system-out", "system-err"}
        if unknown:
            found.append(f"<testcase {case.get('name')}> holds {sorted(unknown)}")
        results = [tag for tag in children if tag in RESULTS]
        if len(results) > 1:
            found.append(f"<testcase {case.get('name')}> has {results}: at most one of them")
        for result in case:
            if result.tag in RESULTS and set(result.attrib) - {"type", "message"}:
                found.append(f"<{result.tag}> has {sorted(result.attrib)}")
        for tag in results:
            counted[tag] += 1
    expected = {
        "tests": len(cases),
        "failures": counted["failure"],
        "errors": counted["error"],
        "skipped": counted["skipped"],
    }
    for name, count in expected.items():
        if suite.get(name) is not None and suite.get(name) != str(count):
            found.append(f"testsuite {name}={suite.get(name)} but {count} test cases are")
    return found
