"""pdj's pytest plugin: the `personalize_emulator` fixture used as a user would, and pytest run on
test files of their own (pytester) to see what a user's run sees: the entry point, markers,
the emulator stopped after a failed test, the environment put back, and a plugin import that
costs an unrelated run nothing."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pdj_cli.emulator import DEMO_JOB_ARN, Scenario, ScenarioJob, generate_jobs, sample_scenario
from pdj_cli.emulator_fixture import OffsetClock

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"
EU_GROUP = "arn:aws:personalize:eu-west-1:123456789012:dataset-group/shop"
NO_SDK_RETRIES = Config(retries={"total_max_attempts": 1})


# -- a user's boto3 function, tested with the fixture -------------------------------------------


def running_jobs(client: Any, group_arn: str, *, sleep: Any, attempts: int = 8) -> list[str]:
    """The names of a dataset group's jobs still running, over every page; a throttled or 5xx
    page is asked again after a pause, up to `attempts` times (a user's own retry loop)."""
    names, token = [], None
    while True:
        kwargs = {"datasetGroupArn": group_arn, **({"nextToken": token} if token else {})}
        for attempt in range(attempts):
            try:
                page = client.list_data_deletion_jobs(**kwargs)
                break
            except ClientError as error:
                code = error.response["Error"]["Code"]
                if code not in {"ThrottlingException", "InternalFailure", "ServiceUnavailable"}:
                    raise
                sleep(2**attempt)
        else:
            raise RuntimeError("the service kept failing")
        names += [
            job["jobName"]
            for job in page["dataDeletionJobs"]
            if job["status"] not in ("COMPLETED", "FAILED")
        ]
        token = page.get("nextToken")
        if not token:
            return names


JOBS = generate_jobs(150, GROUP, finish_from=60.0, finish_until=600.0, fail_every=10)


def running_at(elapsed: float) -> list[str]:
    """What the scenario says is running at `elapsed`: the answer the function must find."""
    return sorted(
        job.job_name
        for job in JOBS
        if job.state_at(elapsed).status not in ("COMPLETED", "FAILED")  # type: ignore[union-attr]
    )


@pytest.mark.personalize_emulator(jobs=JOBS)
def test_a_users_boto3_function_rides_out_faults_while_the_clock_moves(personalize_emulator):
    client = boto3.client("personalize", config=NO_SDK_RETRIES)  # no endpoint, keys or region
    personalize_emulator.set_faults(throttle_rate=0.3, error_rate=0.2, seed=5)

    before = running_jobs(client, GROUP, sleep=lambda seconds: None)
    personalize_emulator.advance(300)
    after = running_jobs(client, GROUP, sleep=lambda seconds: None)

    assert sorted(before) == running_at(0) and len(before) == 150
    assert sorted(after) == running_at(300) and 0 < len(after) < 150
    assert personalize_emulator.request_count(fault="throttle") > 0
    assert personalize_emulator.request_count(fault="5xx") > 0
    pages = personalize_emulator.request_count("ListDataDeletionJobs", fault="none")
    assert pages == 4  # two pages of 100 each time, each answered once


def test_a_sleep_of_the_users_code_moves_the_emulators_clock(personalize_emulator):
    personalize_emulator.set_faults(throttle_rate=1.0)  # every request throttled
    client = personalize_emulator.client(retries={"total_max_attempts": 1})
    with pytest.raises(RuntimeError, match="kept failing"):
        running_jobs(client, GROUP, sleep=personalize_emulator.advance, attempts=4)
    assert personalize_emulator.elapsed() == 1 + 2 + 4 + 8
    personalize_emulator.clear_faults()
    described = client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)
    assert described["dataDeletionJob"]["status"] == "COMPLETED"  # 15 s after start, by then
    assert personalize_emulator.operations == ["ListDataDeletionJobs"] * 4 + [
        "DescribeDataDeletionJob"
    ]


# -- what the fixture sets up ------------------------------------------------------------------


def test_the_environment_points_at_the_emulator_and_leaves_the_developers_setup_out(
    personalize_emulator_factory, monkeypatch, tmp_path
):
    config = tmp_path / "real-config"
    config.write_text("[profile dev]\nregion = ap-south-1\nmax_attempts = 1\n")
    credentials = tmp_path / "real-credentials"
    credentials.write_text("[dev]\naws_access_key_id = AKIAREAL\naws_secret_access_key = REAL\n")
    for name, value in {
        "AWS_PROFILE": "dev",
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_SESSION_TOKEN": "a-real-token",
        "AWS_REGION": "ap-south-1",
        "AWS_USE_FIPS_ENDPOINT": "true",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
    }.items():
        monkeypatch.setenv(name, value)

    emu = personalize_emulator_factory()

    assert os.environ["AWS_ENDPOINT_URL_PERSONALIZE"] == emu.endpoint_url
    assert emu.endpoint_url.startswith("http://127.0.0.1:") and emu.port > 0
    assert os.environ["AWS_REGION"] == os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_USE_FIPS_ENDPOINT"):
        assert name not in os.environ
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        assert Path(os.environ[name]).read_text() == ""
    session = boto3.session.Session()
    assert session.get_credentials().access_key == "testing"
    assert session.get_credentials().token is None
    client = session.client("personalize")
    assert client.meta.endpoint_url == emu.endpoint_url
    job = client.describe_data_deletion_job(dataDeletionJobArn=DEMO_JOB_ARN)["dataDeletionJob"]
    assert job["status"] == "IN_PROGRESS"  # the manual clock has not moved
    assert emu.requests[-1]["region"] == "us-east-1"


def test_a_subprocess_environment_from_any_base(personalize_emulator_factory):
    emu = personalize_emulator_factory(environment=False)
    assert "AWS_ENDPOINT_URL_PERSONALIZE" not in os.environ  # left alone
    env = emu.subprocess_env({"PATH": "/bin", "AWS_PROFILE": "dev", "AWS_MAX_ATTEMPTS": "9"})
    assert env["PATH"] == "/bin"
    assert env["AWS_ENDPOINT_URL_PERSONALIZE"] == emu.endpoint_url
    assert env["PDJ_NO_CACHE"] == "1"
    assert "AWS_PROFILE" not in env and "AWS_MAX_ATTEMPTS" not in env
    aws_region = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ['AWS_DEFAULT_REGION'])"],
        env=emu.subprocess_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert aws_region.stdout == "us-east-1\n"


def test_boto3s_default_session_is_set_aside_for_the_test(personalize_emulator_factory):
    boto3.setup_default_session(region_name="ap-south-1")  # made before the fixture started
    personalize_emulator_factory()
    assert boto3.DEFAULT_SESSION is None
    client = boto3.client("personalize", config=NO_SDK_RETRIES)
    assert client.meta.region_name == "us-east-1"
    assert client.list_data_deletion_jobs(maxResults=1)["dataDeletionJobs"]


# -- scenarios and jobs ------------------------------------------------------------------------


def test_a_scenario_file_by_absolute_path(personalize_emulator_factory, tmp_path):
    path = tmp_path / "jobs.json"
    path.write_text(
        json.dumps(
            {"jobs": [{"jobName": "from-file", "datasetGroupArn": EU_GROUP, "status": "FAILED"}]}
        )
    )
    emu = personalize_emulator_factory(str(path))
    assert emu.region == "eu-west-1"  # the first job's, as `pdj emulator --scenario` says
    listed = boto3.client("personalize").list_data_deletion_jobs()["dataDeletionJobs"]
    assert [(job["jobName"], job["status"]) for job in listed] == [("from-file", "FAILED")]


def test_jobs_alone_are_the_only_jobs_and_added_to_a_scenario_they_join_it(
    personalize_emulator_factory,
):
    mine = {"jobName": "mine", "datasetGroupArn": GROUP, "status": "PENDING"}
    alone = personalize_emulator_factory(jobs=[mine], environment=False)
    assert [job.job_name for job in alone.scenario.jobs] == ["mine"]
    empty = personalize_emulator_factory(jobs=[], environment=False)
    assert empty.scenario.jobs == []
    assert empty.client().list_data_deletion_jobs()["dataDeletionJobs"] == []
    joined = personalize_emulator_factory(sample_scenario(), jobs=[mine], environment=False)
    assert len(joined.scenario.jobs) == len(sample_scenario().jobs) + 1
    assert joined.scenario.jobs[-1].job_name == "mine"


def test_add_job_takes_fields_a_status_or_a_scenario_job(personalize_emulator):
    done = personalize_emulator.add_job(job_name="done", num_deleted=3)
    failed = personalize_emulator.add_job(job_name="failed", status="FAILED")
    running = personalize_emulator.add_job(
        ScenarioJob("running", GROUP, [("PENDING", 0), ("IN_PROGRESS", 10)])
    )
    assert done.endswith(":data-deletion-job/done")
    client = personalize_emulator.client()
    statuses = {
        arn: client.describe_data_deletion_job(dataDeletionJobArn=arn)["dataDeletionJob"]
        for arn in (done, failed, running)
    }
    assert statuses[done]["status"] == "COMPLETED" and statuses[done]["numDeleted"] == 3
    assert statuses[done]["datasetGroupArn"] == personalize_emulator.dataset_group_arn
    assert statuses[failed]["status"] == "FAILED"
    assert statuses[running]["status"] == "PENDING"
    personalize_emulator.advance(10)
    again = client.describe_data_deletion_job(dataDeletionJobArn=running)["dataDeletionJob"]
    assert again["status"] == "IN_PROGRESS"
    with pytest.raises(TypeError):
        personalize_emulator.add_job(job_name="both", status="FAILED", timeline=[("FAILED", 0)])


@pytest.mark.personalize_emulator(region="eu-west-1", faults={"throttle_rate": 1.0})
class TestMarkers:
    def test_the_class_marker_applies(self, personalize_emulator):
        assert personalize_emulator.region == os.environ["AWS_REGION"] == "eu-west-1"
        assert personalize_emulator.faults.throttle_rate == 1.0
        assert len(personalize_emulator.scenario.jobs) == len(sample_scenario().jobs)

    @pytest.mark.personalize_emulator(jobs=[], faults=None)
    def test_the_closest_marker_wins_key_by_key(self, personalize_emulator):
        assert personalize_emulator.region == "eu-west-1"  # the class's
        assert personalize_emulator.faults.throttle_rate == 0  # the method's
        assert personalize_emulator.scenario.jobs == []


@pytest.mark.parametrize(
    "personalize_emulator",
    [{"jobs": [], "region": "eu-west-1"}, Scenario(generate_jobs(3, GROUP))],
    indirect=True,
)
def test_an_indirect_parameter_chooses_the_scenario(personalize_emulator):
    count = len(personalize_emulator.scenario.jobs)
    assert (personalize_emulator.region, count) in {("eu-west-1", 0), ("us-east-1", 3)}


@pytest.mark.personalize_emulator(clock="real", time_scale=1000)
def test_a_real_clock_runs_by_itself_and_advance_still_jumps_it(personalize_emulator):
    first = personalize_emulator.elapsed()
    assert personalize_emulator.advance(3600) >= first + 3600
    assert isinstance(personalize_emulator.emulator._clock, OffsetClock)


def test_an_offset_clock_adds_its_jumps_to_its_source():
    now = [100.0]
    clock = OffsetClock(lambda: now[0])
    assert clock() == 100.0
    assert clock.advance(5) == 105.0
    now[0] = 101.0
    assert clock() == 106.0
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_an_unknown_clock_is_refused(personalize_emulator_factory):
    with pytest.raises(ValueError, match="clock must be"):
        personalize_emulator_factory(clock="fast")


# -- pytest itself running users' test files ----------------------------------------------------


def outcomes(result: pytest.RunResult) -> dict[str, int]:
    return {key: value for key, value in result.parseoutcomes().items() if key != "seconds"}


def test_the_emulator_stops_and_the_environment_comes_back_after_a_failed_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    developer = {
        "AWS_PROFILE": "dev",
        "AWS_REGION": "ap-south-1",
        "AWS_CONFIG_FILE": str(tmp_path / "my-config"),
        "AWS_SESSION_TOKEN": "my-token",
    }
    (tmp_path / "my-config").write_text("[profile dev]\nregion = ap-south-1\n")
    for name, value in developer.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_PERSONALIZE", raising=False)
    pytester.makepyfile(
        test_user="""
        import os, socket
        import boto3, pytest

        SEEN = {}
        def environment():
            return {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}

        BEFORE = environment()

        def test_a_default_session_of_the_users():
            boto3.setup_default_session(region_name="ap-south-1")
            SEEN["session"] = boto3.DEFAULT_SESSION

        def test_fails_while_serving(personalize_emulator):
            SEEN["emulator"] = personalize_emulator
            assert os.environ["AWS_REGION"] == "us-east-1"
            assert "AWS_PROFILE" not in os.environ
            boto3.client("personalize").list_data_deletion_jobs()
            assert False, "a deliberate failure"

        def test_after_the_failure():
            emulator = SEEN["emulator"]
            assert not emulator.running
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", emulator.port), timeout=2)
            assert environment() == BEFORE
            assert boto3.DEFAULT_SESSION is SEEN["session"]
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert outcomes(result) == {"failed": 1, "passed": 2}, result.stdout.str()
    result.stdout.fnmatch_lines(["*AssertionError: a deliberate failure*"])
    for name, value in developer.items():
        assert os.environ[name] == value
    assert "AWS_ENDPOINT_URL_PERSONALIZE" not in os.environ


def test_a_marker_reads_a_scenario_file_beside_the_test_file(pytester: pytest.Pytester):
    scenario = {"jobs": [{"jobName": "erase-7", "datasetGroupArn": GROUP, "numDeleted": 7}]}
    folder = pytester.mkdir("suite")
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "erasures.json").write_text(json.dumps(scenario))
    (folder / "test_file_scenario.py").write_text(
        textwrap.dedent(
            """
            import boto3, pytest

            @pytest.mark.personalize_emulator("scenarios/erasures.json")
            def test_reads_it(personalize_emulator):
                arn = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/erase-7"
                job = boto3.client("personalize").describe_data_deletion_job(
                    dataDeletionJobArn=arn
                )["dataDeletionJob"]
                assert job["numDeleted"] == 7

            @pytest.mark.personalize_emulator(scenario="scenarios/missing.json")
            def test_a_missing_file_is_an_error(personalize_emulator):
                pass
            """
        )
    )
    result = pytester.runpytest("suite", "-p", "no:cacheprovider")  # run from the folder above
    assert outcomes(result) == {"passed": 1, "errors": 1}, result.stdout.str()
    result.stdout.fnmatch_lines(["*ScenarioError: cannot read scenario file *missing.json*"])


# Runs in a fresh interpreter (a subprocess), where nothing of pdj is loaded yet.
USES_THE_FIXTURE = """
def test_uses_it(personalize_emulator, request):
    assert personalize_emulator.running
    assert request.config.pluginmanager.has_plugin("pdj_cli.pytest_plugin")
"""


def test_the_entry_point_alone_brings_the_fixture_and_its_marker(pytester: pytest.Pytester):
    pytester.makepyfile(
        USES_THE_FIXTURE
        + "\nimport pytest\n\n@pytest.mark.personalize_emulator(jobs=[])\n"
        + "def test_marked(personalize_emulator):\n"
        + "    assert personalize_emulator.scenario.jobs == []\n"
    )
    result = pytester.runpytest_subprocess("--strict-markers", "-p", "no:cacheprovider")
    assert outcomes(result) == {"passed": 2}, result.stdout.str()
    disabled = pytester.runpytest_subprocess(
        "-p", "no:pdj_cli.pytest_plugin", "-p", "no:cacheprovider"
    )
    assert outcomes(disabled) == {"errors": 2, "warnings": 1}  # and the marker is unknown
    disabled.stdout.fnmatch_lines(["*fixture 'personalize_emulator' not found*"])


@pytest.mark.parametrize("autoload", [True, False])
def test_pytest_plugins_in_a_conftest_with_or_without_the_entry_point(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, autoload: bool
):
    if not autoload:
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeconftest('pytest_plugins = ["pdj_cli.pytest_plugin"]')
    pytester.makepyfile(USES_THE_FIXTURE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert outcomes(result) == {"passed": 1}, result.stdout.str() + result.stderr.str()
    assert "already registered" not in result.stdout.str() + result.stderr.str()


def test_dash_p_brings_the_plugin_when_autoload_is_off(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(USES_THE_FIXTURE)
    without = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert outcomes(without) == {"errors": 1}  # autoload off: the entry point was what brought it
    result = pytester.runpytest_subprocess("-p", "pdj_cli.pytest_plugin", "-p", "no:cacheprovider")
    assert outcomes(result) == {"passed": 1}, result.stdout.str()


def test_a_run_that_does_not_use_the_fixture_loads_no_emulator_and_no_sdk(
    pytester: pytest.Pytester,
):
    pytester.makepyfile(
        """
        import sys

        def test_unrelated(request):
            assert request.config.pluginmanager.has_plugin("pdj_cli.pytest_plugin")
            heavy = [name for name in sys.modules
                     if name.split(".")[0] in {"boto3", "botocore"}
                     or name.startswith("pdj_cli.emulator")]
            assert heavy == []
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert outcomes(result) == {"passed": 1}, result.stdout.str()


# -- registration ------------------------------------------------------------------------------


def test_the_entry_point_is_registered_under_the_modules_own_name():
    points = importlib.metadata.entry_points(group="pytest11")
    ours = [point for point in points if point.value == "pdj_cli.pytest_plugin"]
    assert [(point.name, point.dist.name if point.dist else None) for point in ours] == [
        ("pdj_cli.pytest_plugin", "pdj")
    ]


def test_importing_the_plugin_adds_nothing_but_itself_to_a_fresh_interpreter():
    script = (
        "import sys, pytest\n"
        "before = set(sys.modules)\n"
        "import pdj_cli.pytest_plugin\n"
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["pdj_cli", "pdj_cli.pytest_plugin"]


def test_pdj_run_by_a_test_in_github_actions_leaves_the_ci_jobs_summary_alone(
    personalize_emulator_factory, monkeypatch, tmp_path
):
    # The user's own suite runs in GitHub Actions: a `pdj watch` in a script under test must
    # not append fake jobs to that CI job's step summary, nor annotate its run.
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    emu = personalize_emulator_factory()
    arn = emu.add_job(job_name="erase-9", status="FAILED", failure_reason="No USER_ID column.")
    result = subprocess.run(
        [sys.executable, "-m", "pdj_cli", "watch", arn, "-o", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "No USER_ID column." in result.stderr
    assert not any(line.startswith("::") for line in result.stderr.splitlines())
    assert not summary.exists()
    assert os.environ["PDJ_CI"] == "none"
