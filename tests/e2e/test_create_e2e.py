"""`pdj create` end to end: the installed pdj against the emulator over HTTP, its request log
telling what was sent (and that nothing was, where nothing must be)."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect
import pytest

from pdj_cli.arns import parse_dataset_group_arn
from pdj_cli.creating.naming import request_job_name
from pdj_cli.emulator import (
    DEMO_GROUP_ARN,
    MEDIA_GROUP_ARN,
    RETAIL_GROUP_ARN,
    CreateSettings,
    Emulator,
    ManualClock,
    Scenario,
)

from .conftest import PDJ, shell

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/PersonalizeDeletion"
LOCATION = "s3://erasures/PRIV-1234.csv"
GROUP = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/erase-me"
CREATE = "CreateDataDeletionJob"


def job_name(request_id: str, group: str) -> str:
    return request_job_name(request_id, parse_dataset_group_arn(group))


def job_arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:personalize:{region}:{ACCOUNT}:data-deletion-job/{name}"


def create_args(*extra: str, groups: tuple[str, ...] = (GROUP,)) -> list[str]:
    args = ["create"]
    for group in groups:
        args += ["--dataset-group-arn", group]
    return [*args, "--data-location", LOCATION, "--role-arn", ROLE, *extra]


def creates(emulator: Emulator, *, succeeded: bool | None = None) -> list[dict[str, Any]]:
    return [
        entry
        for entry in emulator.requests
        if entry["operation"] == CREATE
        and (succeeded is None or (entry["status"] == 200) == succeeded)
    ]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emulator(start_emulator: Callable[..., Emulator], clock: ManualClock) -> Emulator:
    """The sample scenario on a clock that moves when a test says; new jobs stay PENDING for
    10 s and run for 20 s."""
    emulator = start_emulator(
        clock=clock, create_settings=CreateSettings(pending_seconds=10, running_seconds=20)
    )
    emulator.add_dataset_group(GROUP)
    return emulator


def submitted_failing(emulator: Emulator, request_id: str, group: str, reason: str) -> str:
    """The job a create of `request_id` in `group` would make, already there with the same
    inputs and FAILING 5 s in: create finds it submitted. Its name."""
    name = job_name(request_id, group)
    emulator.add_job(
        job_name=name,
        dataset_group_arn=group,
        role_arn=ROLE,
        data_location=LOCATION,
        timeline=[("PENDING", 0.0), ("FAILED", 5.0)],
        failure_reason=reason,
    )
    return name


def env_of(emulator: Emulator) -> dict[str, str]:
    return {**os.environ, "AWS_ENDPOINT_URL_PERSONALIZE": emulator.endpoint_url}


# -- creating -----------------------------------------------------------------------------------


def test_create_with_yes_sends_one_request_and_prints_the_arn_as_aws_does(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    result = run_pdj(*create_args("--request-id", "PRIV-1234", "--tag", "team=privacy", "--yes"))
    assert result.returncode == 0, result.stderr
    name = job_name("PRIV-1234", GROUP)
    assert json.loads(result.stdout) == {"dataDeletionJobArn": job_arn(name)}
    assert result.stderr == f"pdj: created {name} in dataset group erase-me (us-east-1)\n"
    (sent,) = creates(emulator)
    assert sent["params"] == {
        "jobName": name,
        "datasetGroupArn": GROUP,
        "dataSource": {"dataLocation": LOCATION},
        "roleArn": ROLE,
        "tags": [
            {"tagKey": "team", "tagValue": "privacy"},
            {"tagKey": "pdj:request-id", "tagValue": "PRIV-1234"},
        ],
    }
    described = run_pdj("describe", job_arn(name), "-o", "json")
    job = json.loads(described.stdout)["dataDeletionJob"]
    assert (job["status"], job["dataSource"]["dataLocation"]) == ("PENDING", LOCATION)


def test_three_groups_get_three_jobs_each_in_its_own_region(
    emulator: Emulator, pdj_env: dict[str, str]
) -> None:
    groups = (RETAIL_GROUP_ARN, DEMO_GROUP_ARN, MEDIA_GROUP_ARN)
    args = create_args("--request-id", "PRIV-1234", "--yes", "-o", "json", groups=groups)
    command = " ".join(shlex.quote(part) for part in [*PDJ, *args])
    result = shell(f"{command} | jq -c '.dataDeletionJobs[] | [.jobName, .created]'", pdj_env)
    assert result.returncode == 0, result.stderr
    names = [job_name("PRIV-1234", group) for group in groups]
    assert result.stdout.splitlines() == [
        json.dumps([name, True]).replace(" ", "") for name in names
    ]
    sent = creates(emulator, succeeded=True)
    assert [(entry["region"], entry["params"]["datasetGroupArn"]) for entry in sent] == [
        ("us-east-1", RETAIL_GROUP_ARN),
        ("us-east-1", DEMO_GROUP_ARN),
        ("eu-west-1", MEDIA_GROUP_ARN),
    ]
    text = shell(f"{command} -o text", pdj_env)  # the second run: the same ARNs, one a line
    assert text.stdout.splitlines() == [
        job_arn(names[0]),
        job_arn(names[1]),
        job_arn(names[2], "eu-west-1"),
    ]


def test_the_same_request_run_twice_creates_once(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    args = create_args("--request-id", "PRIV-1234", "--yes", "-o", "text")
    first, second = run_pdj(*args), run_pdj(*args)
    name = job_name("PRIV-1234", GROUP)
    assert (first.returncode, second.returncode) == (0, 0), second.stderr
    assert first.stdout == second.stdout == job_arn(name) + "\n"
    assert len(creates(emulator, succeeded=True)) == 1
    assert [entry["error"] for entry in creates(emulator)] == [
        None,
        "ResourceAlreadyExistsException",
    ]
    assert second.stderr == (
        f"pdj: {name} was already submitted to dataset group erase-me (us-east-1; status "
        "PENDING): "
        "not created again\n"
    )


def test_the_same_name_with_other_inputs_is_exit_2_naming_the_differences(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    assert run_pdj(*create_args("--job-name", "erase-1", "--yes")).returncode == 0
    other = run_pdj(
        "create",
        "--dataset-group-arn",
        GROUP,
        "--data-location",
        "s3://erasures/other.csv",
        "--role-arn",
        ROLE + "-2",
        "--job-name",
        "erase-1",
        "--yes",
    )
    assert other.returncode == 2, other.stderr
    lines = other.stderr.splitlines()
    assert lines[0] == (
        "pdj: error: a data deletion job named erase-1 already exists with other inputs: "
        f"its data location is {LOCATION}, not s3://erasures/other.csv; "
        f"its role is {ROLE}, not {ROLE}-2"
    )
    assert lines[1].startswith("hint: `pdj describe ")
    assert other.stdout == ""
    assert len(creates(emulator, succeeded=True)) == 1


# -- nothing sent ------------------------------------------------------------------------------


def test_off_a_terminal_without_yes_it_refuses_and_sends_nothing(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    result = run_pdj(*create_args("--request-id", "PRIV-1234"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pdj: error: refusing to create data deletion jobs without confirmation: not on a terminal",
        "hint: pass --yes to confirm (scripts, CI), or --dry-run to see the requests",
    ]
    assert result.stdout == ""
    assert emulator.requests == []


def test_dry_run_prints_the_exact_request_and_sends_nothing(
    emulator: Emulator, pdj_env: dict[str, str]
) -> None:
    command = " ".join(
        shlex.quote(part) for part in [*PDJ, *create_args("--request-id", "PRIV-1234")]
    )
    result = shell(f"{command} --dry-run | jq -c '[.jobName, .tags[0].tagValue]'", pdj_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [job_name("PRIV-1234", GROUP), "PRIV-1234"]
    several = shell(
        " ".join(
            shlex.quote(part)
            for part in [
                *PDJ,
                *create_args("--dry-run", "-o", "jsonl", groups=(GROUP, DEMO_GROUP_ARN)),
            ]
        ),
        pdj_env,
    )
    requests = [json.loads(line) for line in several.stdout.splitlines()]
    assert [request["datasetGroupArn"] for request in requests] == [GROUP, DEMO_GROUP_ARN]
    assert all(request["roleArn"] == ROLE for request in requests)
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--data-location", "s3://Not_A_Bucket/x.csv"], "--data-location"),
        (["--role-arn", f"arn:aws:iam::{ACCOUNT}:user/alice"], "--role-arn"),
        (["--tag", "aws:owner=me"], "aws:"),
        (["--job-name", "has space"], "--job-name"),
        (["--job-name", "x", "--request-id", "y"], "--request-id"),
        (["--region", "eu-west-1"], "--region eu-west-1"),
        (["--timeout", "1m"], "--timeout only applies with --wait"),
    ],
)
def test_a_bad_value_is_exit_2_naming_it_and_nothing_is_sent(
    emulator: Emulator, run_pdj: Callable[..., Any], extra: list[str], named: str
) -> None:
    result = run_pdj(*create_args("--yes", *extra))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("pdj: error: ")
    assert named in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr
    assert emulator.requests == []


# -- the question, on a real pseudo-terminal ----------------------------------------------------


@pytest.mark.parametrize(("answer", "code"), [("y", 0), ("yes", 0), ("n", 1), ("", 1)])
def test_the_question_on_a_terminal(emulator: Emulator, answer: str, code: int) -> None:
    env = {**env_of(emulator), "TERM": "xterm", "COLUMNS": "100"}
    args = [*PDJ, *create_args("--request-id", "PRIV-1234", "--tag", "team=privacy")]
    child = pexpect.spawn(args[0], args[1:], env=env, encoding="utf-8", timeout=20)
    child.expect(r"Create this job\? \[y/N\] ")
    shown = child.before
    assert LOCATION in shown and GROUP in shown and ROLE in shown
    assert job_name("PRIV-1234", GROUP) in shown
    assert "team=privacy" in shown and "pdj:request-id=PRIV-1234" in shown
    assert emulator.requests == []  # nothing is sent before the answer
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code
    if code == 0:
        assert len(creates(emulator, succeeded=True)) == 1
        assert "pdj: created" in child.before
    else:
        assert "pdj: aborted: nothing was created" in child.before
        assert emulator.requests == []


# -- the limit -----------------------------------------------------------------------------------


def busy(emulator: Emulator, group: str, free_at: float | None = None) -> None:
    """Five unfinished jobs in the group; with `free_at`, the first ends then."""
    for n in range(5):
        ends = free_at if n == 0 and free_at is not None else 1e6
        emulator.add_job(
            job_name=f"busy-{n}",
            dataset_group_arn=group,
            timeline=[("PENDING", 0.0), ("COMPLETED", ends)],
        )


def test_the_limit_says_how_many_pending_jobs_the_group_has(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    busy(emulator, GROUP)
    result = run_pdj(*create_args("--request-id", "PRIV-1234", "--yes"))
    assert result.returncode == 5
    assert result.stderr.splitlines()[0] == (
        f"pdj: error: the dataset group {GROUP} has too many pending deletion jobs: "
        "5 PENDING deletion jobs seen (the service allows 5 PENDING at once)"
    )
    assert "--wait-for-slot" in result.stderr.splitlines()[1]
    assert result.stdout == ""
    assert [entry["error"] for entry in creates(emulator)] == ["LimitExceededException"]


def test_wait_for_slot_creates_once_the_group_has_room(
    emulator: Emulator, clock: ManualClock
) -> None:
    busy(emulator, GROUP, free_at=5.0)
    args = [
        *PDJ,
        *create_args(
            "--request-id",
            "R-1",
            "--yes",
            "--wait-for-slot",
            "1m",
            "--interval",
            "0.2",
            "-o",
            "text",
        ),
    ]
    process = subprocess.Popen(
        args, env=env_of(emulator), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    waiting = process.stderr.readline()
    assert waiting.startswith("pdj: 5 PENDING deletion jobs in erase-me: waiting up to 1m")
    clock.advance(6)  # the first busy job ends
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out == job_arn(job_name("R-1", GROUP)) + "\n"
    assert [entry["error"] for entry in creates(emulator)] == ["LimitExceededException", None]
    lists = [entry for entry in emulator.requests if entry["operation"] == "ListDataDeletionJobs"]
    assert all(entry["params"]["datasetGroupArn"] == GROUP for entry in lists)


def test_wait_for_slot_gives_the_limit_error_when_it_runs_out(
    emulator: Emulator, run_pdj: Callable[..., Any]
) -> None:
    busy(emulator, GROUP)
    result = run_pdj(*create_args("--yes", "--wait-for-slot", "1", "--interval", "0.2"))
    assert result.returncode == 5
    assert "has too many pending deletion jobs after waiting 1s" in result.stderr
    assert len(creates(emulator)) == 1


# -- --wait ----------------------------------------------------------------------------------------


def test_wait_follows_the_job_to_completed(emulator: Emulator, clock: ManualClock) -> None:
    args = [
        *PDJ,
        *create_args("--request-id", "R-1", "--yes", "--wait", "--interval", "0.2", "-o", "json"),
    ]
    process = subprocess.Popen(
        args, env=env_of(emulator), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert process.stderr.readline().startswith("pdj: created R-1-erase-me-")
    assert process.stderr.readline().startswith("pdj: waiting for 1 job")
    clock.advance(31)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    (job,) = json.loads(out)["dataDeletionJobs"]
    assert (job["jobName"], job["status"]) == (job_name("R-1", GROUP), "COMPLETED")
    assert "numDeleted" in job
    assert err.splitlines()[-1] == "pdj: 1 record: 1 COMPLETED"


def test_wait_follows_a_job_to_failed_exit_1(emulator: Emulator, clock: ManualClock) -> None:
    # A job of the request's name with the same inputs, failing: create finds it submitted.
    submitted_failing(emulator, "R-2", GROUP, "Access denied to s3://erasures")
    args = [
        *PDJ,
        *create_args("--request-id", "R-2", "--yes", "--wait", "--interval", "0.2", "-o", "jsonl"),
    ]
    process = subprocess.Popen(
        args, env=env_of(emulator), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert "already submitted" in process.stderr.readline()
    assert process.stderr.readline().startswith("pdj: waiting for 1 job")
    clock.advance(6)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1, err
    (job,) = [json.loads(line) for line in out.splitlines()]
    assert (job["status"], job["failureReason"]) == ("FAILED", "Access denied to s3://erasures")


@pytest.mark.parametrize(
    ("signum", "code", "says"),
    [(signal.SIGINT, 130, "pdj: interrupted"), (signal.SIGTERM, 143, "pdj: terminated (SIGTERM)")],
)
def test_a_signal_during_wait_prints_what_is_known(
    emulator: Emulator, signum: int, code: int, says: str
) -> None:
    args = [
        *PDJ,
        *create_args("--request-id", "R-3", "--yes", "--wait", "--interval", "0.2", "-o", "json"),
    ]
    process = subprocess.Popen(
        args, env=env_of(emulator), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    process.stderr.readline()  # created
    assert process.stderr.readline().startswith("pdj: waiting for 1 job")
    time.sleep(0.3)
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    assert process.returncode == code
    (job,) = json.loads(out)["dataDeletionJobs"]
    assert (job["jobName"], job["status"]) == (job_name("R-3", GROUP), "PENDING")
    assert err.splitlines()[-1] == f"{says}; 1 job not terminal, as last seen: {job['jobName']}"
    assert "Traceback" not in err
    assert len(creates(emulator, succeeded=True)) == 1


def test_a_job_name_reused_in_another_scenario_still_is_exit_2(
    start_emulator: Callable[..., Emulator],
) -> None:
    """A scenario's job whose name a request derives but whose inputs differ: exit 2."""
    name = job_name("R-4", GROUP)
    emulator = start_emulator(Scenario([]))
    emulator.add_dataset_group(GROUP)
    emulator.add_job(job_name=name, dataset_group_arn=GROUP, timeline=[("COMPLETED", 0.0)])
    result = subprocess.run(
        [*PDJ, *create_args("--request-id", "R-4", "--yes")],
        env=env_of(emulator),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        "already exists with other inputs: its data location is s3://erase-me-deletions/"
        in result.stderr
    )


# -- the README's recipe -------------------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
RECIPE = "### One erasure request across three dataset groups, run twice"


def test_the_readme_recipe_runs_as_it_says(start_emulator: Callable[..., Emulator]) -> None:
    text = README.read_text(encoding="utf-8").split(RECIPE, 1)[1]
    script = text.split("```sh\n", 1)[1].split("```", 1)[0]
    expected = [line[2:] for line in script.splitlines() if line.startswith("# ")]
    emulator = start_emulator(time_scale=100)  # the jobs end within a second
    result = shell(script, env_of(emulator), timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == expected[:3]  # created, with the names the README shows
    assert lines[3] == expected[3].split()[0] == "0"  # the second run creates nothing
    # text streams each job as it ends, in any order
    assert sorted(line.split("\t") for line in lines[4:]) == sorted(
        [name.split()[1], "COMPLETED"] for name in expected[:3]
    )
    assert len(creates(emulator, succeeded=True)) == 3
    assert "already submitted" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_waiting_for_a_slot_prints_the_jobs_already_submitted(
    emulator: Emulator, signum: int, code: int
) -> None:
    busy(emulator, DEMO_GROUP_ARN)
    groups = (RETAIL_GROUP_ARN, DEMO_GROUP_ARN)
    extra = ("--request-id", "R-5", "--yes", "--wait-for-slot", "1h", "--interval", "0.2")
    args = [*PDJ, *create_args(*extra, "-o", "text", groups=groups)]
    process = subprocess.Popen(
        args, env=env_of(emulator), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert process.stderr.readline().startswith("pdj: created R-5-retail-")
    assert "waiting up to 1h for room" in process.stderr.readline()
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    assert process.returncode == code
    assert out == job_arn(job_name("R-5", RETAIL_GROUP_ARN)) + "\n"
    assert err.splitlines()[-1] in ("pdj: interrupted", "pdj: terminated")
    assert "Traceback" not in err


def test_ctrl_c_at_the_question_is_130_and_sends_nothing(emulator: Emulator) -> None:
    env = {**env_of(emulator), "TERM": "xterm"}
    args = [*PDJ, *create_args("--request-id", "PRIV-1234")]
    child = pexpect.spawn(args[0], args[1:], env=env, encoding="utf-8", timeout=20)
    child.expect(r"Create this job\? \[y/N\] ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "\r\npdj: interrupted\r\n" in child.before
    assert emulator.requests == []


# -- in CI: create --wait reports as batch --wait does ---------------------------------------


def test_create_wait_in_github_actions_writes_the_summary_annotations_and_junit(
    emulator: Emulator, clock: ManualClock, tmp_path: Path
) -> None:
    import xml.etree.ElementTree as ET

    from tests.junit_structure import problems

    # A job of the request's name that FAILS (create finds it submitted), and a new one that
    # completes: the summary, the ::error and the JUnit file name both.
    failing = submitted_failing(
        emulator, "R-9", RETAIL_GROUP_ARN, "Access denied: s3://erasures, 100%"
    )
    summary, report = tmp_path / "summary.md", tmp_path / "report.xml"
    args = [
        *PDJ,
        *create_args(
            "--request-id", "R-9", "--yes", "--wait", "--interval", "0.2", "-o", "json",
            "--junit-xml", str(report),
            groups=(GROUP, RETAIL_GROUP_ARN),
        ),
    ]  # fmt: skip
    env = {**env_of(emulator), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    process = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    lines = [process.stderr.readline() for _ in range(3)]
    assert lines[2].startswith("pdj: waiting for 2 jobs"), lines
    clock.advance(31)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1, err
    jobs = {job["jobName"]: job["status"] for job in json.loads(out)["dataDeletionJobs"]}
    assert jobs == {job_name("R-9", GROUP): "COMPLETED", failing: "FAILED"}

    text = summary.read_text()
    assert text.startswith("### pdj create\n\n**2 records**: 1 COMPLETED, 1 FAILED · exit 1\n")
    assert "| Access denied: s3://erasures, 100% |" in text
    commands = [line for line in err.splitlines() if line.startswith("::")]
    assert [line.split(" ", 1)[0] for line in commands] == ["::error", "::notice"]
    assert "Access denied: s3://erasures, 100%25" in commands[0]

    root = ET.parse(report).getroot()
    assert problems(root) == []
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == set(jobs)
    assert cases[failing].get("classname") == RETAIL_GROUP_ARN
    assert cases[failing].find("failure").get("message") == "Access denied: s3://erasures, 100%"
    assert list(cases[job_name("R-9", GROUP)]) == []


def test_junit_xml_without_wait_is_exit_2_and_sends_nothing(
    emulator: Emulator, run_pdj: Callable[..., Any], tmp_path: Path
) -> None:
    result = run_pdj(*create_args("--yes", "--junit-xml", str(tmp_path / "r.xml")))
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "pdj: error: --junit-xml only applies with --wait"
    assert creates(emulator) == [] and not (tmp_path / "r.xml").exists()


def test_create_wait_stopped_before_any_job_still_reports_why(
    emulator: Emulator, tmp_path: Path
) -> None:
    import xml.etree.ElementTree as ET

    from tests.junit_structure import problems

    unknown = f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/never-made"
    summary, report = tmp_path / "summary.md", tmp_path / "report.xml"
    env = {**env_of(emulator), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(
        [
            *PDJ,
            *create_args("--yes", "--wait", "--junit-xml", str(report), groups=(unknown,)),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4, result.stderr
    plain = [line for line in result.stderr.splitlines() if not line.startswith("::")]
    assert plain[0].startswith("pdj: error: ") and "never-made" in plain[0]
    root = ET.parse(report).getroot()
    assert problems(root) == []
    (case,) = root.iter("testcase")
    assert case.find("error").get("type") == "ResourceNotFoundException"
    assert "never-made" in case.find("error").get("message")
    assert any(line.startswith("::error ") for line in result.stderr.splitlines())
    assert "ResourceNotFoundException" in summary.read_text()
