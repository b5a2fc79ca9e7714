"""What the `personalize_emulator` pytest fixture gives a test: a running emulator on a clock the
test moves, the environment that points AWS SDKs at it, and short ways to add jobs and faults.

pytest-free, so the same object serves a unittest or a script; pdj_cli/pytest_plugin.py wires it
into pytest. boto3 is imported only by `client()`.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .emulator import (
    Emulator,
    FaultConfig,
    ManualClock,
    Scenario,
    ScenarioJob,
    load_scenario,
    sample_scenario,
)
from .emulator.scenario import DEFAULT_ACCOUNT

DEFAULT_REGION = "us-east-1"
DUMMY_ACCESS_KEY_ID = "testing"
DUMMY_SECRET_ACCESS_KEY = "testing"

# Settings that would carry a developer's own AWS setup (a profile, a session token, retry
# tuning, FIPS or dual-stack endpoints, role or container credentials) into the test.
UNSET_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",  # would make botocore skip the endpoint variable
    "AWS_USE_FIPS_ENDPOINT",  # botocore refuses FIPS with a custom endpoint
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
)


class OffsetClock:
    """Real monotonic time plus whatever `advance` added: a real clock a test can still jump."""

    def __init__(self, source: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._offset = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._source() + self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        with self._lock:
            self._offset += seconds
            return self._source() + self._offset


def make_clock(clock: str | Callable[[], float]) -> Callable[[], float]:
    """ "manual" (moves only on advance), "real" (monotonic, advance jumps it) or a callable."""
    if clock == "manual":
        return ManualClock()
    if clock == "real":
        return OffsetClock()
    if callable(clock):
        return clock
    raise ValueError(f'clock must be "manual", "real" or a callable, not {clock!r}')


def build_scenario(
    scenario: Scenario | str | os.PathLike[str] | Mapping[str, Any] | None = None,
    jobs: Iterable[ScenarioJob | Mapping[str, Any]] | None = None,
    *,
    base_dir: str | os.PathLike[str] | None = None,
) -> Scenario:
    """The scenario a fixture serves.

    scenario: None for the sample set, a Scenario, a scenario file's path (a relative one is
    read from `base_dir`) or its parsed JSON. jobs: ScenarioJob items or scenario-file job
    objects; alone they are the only jobs (`jobs=[]`: none), with `scenario` they are added to
    its jobs.
    """
    extra = None if jobs is None else [_job(item) for item in jobs]
    if scenario is None:
        base = Scenario() if extra is not None else sample_scenario()
    elif isinstance(scenario, Scenario):
        base = scenario
    elif isinstance(scenario, (str, os.PathLike)):
        path = Path(scenario)
        if base_dir is not None and not path.is_absolute():
            path = Path(base_dir) / path
        base = load_scenario(path)
    elif isinstance(scenario, Mapping):
        base = Scenario.from_dict(dict(scenario))
    else:
        raise TypeError(
            f"scenario must be a Scenario, a file path or a dict, not {type(scenario).__name__}"
        )
    if not extra:
        return base
    # replace() keeps whatever else a Scenario holds besides its jobs.
    return dataclasses.replace(base, jobs=[*base.jobs, *extra])


def _job(item: ScenarioJob | Mapping[str, Any]) -> ScenarioJob:
    if isinstance(item, ScenarioJob):
        return item
    if isinstance(item, Mapping):
        return Scenario.from_dict({"jobs": [dict(item)]}).jobs[0]  # the file format's own parser
    raise TypeError(f"a job is a ScenarioJob or a dict, not {type(item).__name__}")


def scenario_region(scenario: Scenario) -> str:
    """As `pdj emulator --scenario` does: the region of the first job, else us-east-1."""
    return scenario.jobs[0].region if scenario.jobs else DEFAULT_REGION


class PersonalizeEmulator:
    """A running emulator as a test sees it.

    Attributes not defined here are the Emulator's (`emulator`), so every public method of
    pdj_cli.emulator.Emulator works on this object too.
    """

    def __init__(
        self,
        emulator: Emulator,
        *,
        region: str = DEFAULT_REGION,
        config_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.emulator = emulator
        self.region = region
        self.config_dir = Path(config_dir) if config_dir is not None else None
        self._clients: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "emulator":
            raise AttributeError(name)
        return getattr(self.emulator, name)

    def __repr__(self) -> str:
        state = "running" if self.emulator.running else "stopped"
        return f"<PersonalizeEmulator {self.endpoint_url} {self.region} {state}>"

    # where it is
    @property
    def endpoint_url(self) -> str:
        return self.emulator.endpoint_url

    @property
    def dataset_group_arn(self) -> str:
        """A dataset group in the fixture's region: where `add_job` puts a job by default."""
        return f"arn:aws:personalize:{self.region}:{DEFAULT_ACCOUNT}:dataset-group/tests"

    @property
    def env(self) -> dict[str, str]:
        """The variables that point an AWS SDK, the AWS CLI or pdj at this emulator, with dummy
        keys. `unset_variables` lists those to remove as well."""
        variables = {
            "AWS_ENDPOINT_URL_PERSONALIZE": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET_ACCESS_KEY,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,  # botocore and AWS CLI v1 read only this one
            "AWS_EC2_METADATA_DISABLED": "true",
            "PDJ_NO_CACHE": "1",  # pdj run by the test must not fill the developer's Tab cache
            # nor, when the suite runs in GitHub Actions, its step summary and annotations
            "PDJ_CI": "none",
        }
        if self.config_dir is not None:
            variables["AWS_CONFIG_FILE"] = str(self.config_dir / "config")
            variables["AWS_SHARED_CREDENTIALS_FILE"] = str(self.config_dir / "credentials")
        return variables

    unset_variables = UNSET_VARIABLES

    def subprocess_env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """`base` (default os.environ) pointed at this emulator: for subprocess.run(env=...)."""
        merged = {
            name: value
            for name, value in (os.environ if base is None else base).items()
            if name not in self.unset_variables
        }
        merged.update(self.env)
        return merged

    # time
    def advance(self, seconds: float) -> float:
        """Moves the emulator's time on by `seconds` of emulated time (what timelines count),
        at once; returns the emulated seconds since start. Usable as a `sleep` function."""
        clock = self.emulator._clock
        if not callable(getattr(clock, "advance", None)):
            raise TypeError("this emulator's clock cannot be advanced")
        clock.advance(seconds / self.emulator.time_scale)  # type: ignore[attr-defined]
        return self.emulator.elapsed()

    def elapsed(self) -> float:
        """Emulated seconds since the emulator started."""
        return self.emulator.elapsed()

    # jobs
    def add_job(self, job: ScenarioJob | None = None, /, **fields: Any) -> str:
        """Adds a job now; returns its ARN. A ScenarioJob, or its fields: `job_name` and, by
        default, `dataset_group_arn=self.dataset_group_arn`, created now, COMPLETED at once.
        `status="FAILED"` is short for `timeline=[("FAILED", 0)]`."""
        if job is not None:
            return self.emulator.add_job(job, **fields)
        fields.setdefault("dataset_group_arn", self.dataset_group_arn)
        if "status" in fields:
            if "timeline" in fields:
                raise TypeError("give either status or timeline, not both")
            fields["timeline"] = [(fields.pop("status"), 0.0)]
        return self.emulator.add_job(**fields)

    # faults
    @property
    def faults(self) -> FaultConfig:
        return self.emulator.faults

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self.emulator.faults = config

    def set_faults(self, **changes: Any) -> FaultConfig:
        """Faults on or off from the next request on: set_faults(throttle_rate=0.5, seed=1)."""
        return self.emulator.set_faults(**changes)

    def clear_faults(self) -> None:
        """No faults from the next request on."""
        self.emulator.faults = FaultConfig()

    # request log
    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request so far, oldest first: operation, params, status, error, fault, ..."""
        return self.emulator.requests

    @property
    def operations(self) -> list[str | None]:
        """The operation of every request so far, oldest first."""
        return [entry["operation"] for entry in self.emulator.requests]

    def request_count(self, operation: str | None = None, *, fault: str | None = None) -> int:
        return self.emulator.request_count(operation, fault=fault)

    def clear_requests(self) -> None:
        self.emulator.clear_requests()

    # clients
    def client(self, *, region: str | None = None, **config: Any) -> Any:
        """A boto3 Personalize client for this emulator (dummy keys, the fixture's region).
        Keywords go to botocore.config.Config, e.g. retries={"total_max_attempts": 1}."""
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(
            aws_access_key_id=DUMMY_ACCESS_KEY_ID,
            aws_secret_access_key=DUMMY_SECRET_ACCESS_KEY,
            region_name=region or self.region,
        )
        made = session.client(
            "personalize",
            endpoint_url=self.endpoint_url,
            config=Config(**config) if config else None,
        )
        self._clients.append(made)
        return made

    # lifecycle
    def start(self) -> PersonalizeEmulator:
        """Serves (again, on the same port after a stop: jobs, clock and log carry on)."""
        self.emulator.start()
        return self

    def stop(self) -> None:
        """Stops serving (a test of an outage may stop and start it); the clients it made close."""
        for made in self._clients:
            made.close()
        self._clients.clear()
        self.emulator.stop()


def start_personalize_emulator(
    scenario: Scenario | str | os.PathLike[str] | Mapping[str, Any] | None = None,
    *,
    jobs: Iterable[ScenarioJob | Mapping[str, Any]] | None = None,
    region: str | None = None,
    clock: str | Callable[[], float] = "manual",
    faults: FaultConfig | Mapping[str, Any] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    config_dir: str | os.PathLike[str] | None = None,
    **emulator_options: Any,
) -> PersonalizeEmulator:
    """Starts an emulator on a free port of 127.0.0.1 (see build_scenario for `scenario` and
    `jobs`). clock: "manual" (default: time moves only on advance), "real", or a callable.
    Other keywords (port, request_log, time_scale, epoch, create_settings, ...) go to Emulator."""
    served = build_scenario(scenario, jobs, base_dir=base_dir)
    if config_dir is not None:
        for name in ("config", "credentials"):  # empty: no profile, key or region of anyone's
            (Path(config_dir) / name).write_text("", encoding="utf-8")
    if isinstance(faults, Mapping):
        faults = FaultConfig(**faults)
    emulator = Emulator(served, faults=faults, clock=make_clock(clock), **emulator_options)
    emulator.start()
    return PersonalizeEmulator(
        emulator, region=region or scenario_region(served), config_dir=config_dir
    )


def forget_boto3_default_session() -> Callable[[], None]:
    """Drops boto3's module-level session (made by boto3.client(), it keeps the credentials and
    region it first saw); returns what puts the previous one back."""
    boto3: Any = sys.modules.get("boto3")
    previous = getattr(boto3, "DEFAULT_SESSION", None)
    if boto3 is not None:
        boto3.DEFAULT_SESSION = None

    def restore() -> None:
        module: Any = sys.modules.get("boto3")  # imported during the test, perhaps
        if module is not None:
            module.DEFAULT_SESSION = previous

    return restore
