"""Scenario: the jobs an emulator starts with, their timelines, and the built-in sample set.

Times are seconds relative to the emulator's start (negative = in the past). A job's timeline
lists status changes as seconds after the job's creation; its status at a moment is the latest
change reached. A scenario also says which dataset groups exist, which S3 locations the jobs'
roles cannot read, and how jobs made by CreateDataDeletionJob move along.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .arns import PersonalizeArn, dataset_group_arn, job_arn, parse_arn
from .validation import NAME_MAX, NAME_PATTERN, ROLE_ARN_PATTERN, S3_LOCATION_PATTERN

TERMINAL_STATUSES = frozenset({"COMPLETED", "FAILED"})
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_FAILURE_REASON = "The data deletion job failed."
STATUS_MAX = 256

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0


class ScenarioError(ValueError):
    """A scenario (file or object) that cannot describe jobs."""


def _is_seconds(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


@dataclass
class CreateSettings:
    """How jobs made by CreateDataDeletionJob behave: PENDING for `pending_seconds`, then
    IN_PROGRESS for `running_seconds`, then COMPLETED (FAILED if the role cannot read the data
    location). A group takes at most `max_pending_jobs_per_group` PENDING jobs, as the service
    documents ("up to 5 deletion jobs for a dataset group with a status of PENDING")."""

    pending_seconds: float = 2.0
    running_seconds: float = 5.0
    max_pending_jobs_per_group: int = 5

    def __post_init__(self) -> None:
        for name in ("pending_seconds", "running_seconds"):
            if not _is_seconds(getattr(self, name)):
                raise ScenarioError(
                    f"{name.replace('_', ' ')} must be a number of seconds >= 0, "
                    f"not {getattr(self, name)!r}"
                )
        limit = self.max_pending_jobs_per_group
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ScenarioError(
                f"max pending jobs per group must be an integer >= 1, not {limit!r}"
            )


@dataclass(frozen=True)
class StatusChange:
    status: str
    at: float  # seconds after the job's creation


@dataclass(frozen=True)
class JobState:
    """What a job looks like at one moment."""

    status: str
    changed_at: float  # seconds relative to emulator start


@dataclass(frozen=True)
class ScenarioJob:
    """One data deletion job and how its status moves over time.

    `timeline` accepts StatusChange items or (status, seconds-after-creation) pairs.
    """

    job_name: str
    dataset_group_arn: str
    timeline: Sequence[StatusChange | tuple[str, float]] = (StatusChange("COMPLETED", 0.0),)
    created_at: float = 0.0
    role_arn: str | None = None
    data_location: str | None = None
    num_deleted: int = 0
    failure_reason: str | None = None
    _group: PersonalizeArn = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "timeline", _normalise_timeline(self.timeline, self.job_name))
        if not (
            isinstance(self.job_name, str)
            and len(self.job_name) <= NAME_MAX
            and NAME_PATTERN.fullmatch(self.job_name)
        ):
            raise ScenarioError(f"job name {self.job_name!r} is not a valid Personalize name")
        group = (
            parse_arn(self.dataset_group_arn) if isinstance(self.dataset_group_arn, str) else None
        )
        if group is None or group.kind != "dataset-group":
            raise ScenarioError(
                f"job {self.job_name}: {self.dataset_group_arn!r} is not a dataset group ARN"
            )
        object.__setattr__(self, "_group", group)
        if self.role_arn is not None and not ROLE_ARN_PATTERN.fullmatch(self.role_arn):
            raise ScenarioError(f"job {self.job_name}: {self.role_arn!r} is not an IAM role ARN")
        if self.data_location is not None and not S3_LOCATION_PATTERN.fullmatch(self.data_location):
            raise ScenarioError(
                f"job {self.job_name}: {self.data_location!r} is not an S3 location"
            )
        if isinstance(self.num_deleted, bool) or not isinstance(self.num_deleted, int):
            raise ScenarioError(f"job {self.job_name}: numDeleted must be an integer")
        if not isinstance(self.created_at, (int, float)) or isinstance(self.created_at, bool):
            raise ScenarioError(f"job {self.job_name}: createdAt must be a number of seconds")

    @property
    def changes(self) -> tuple[StatusChange, ...]:
        """The timeline, normalised to StatusChange items."""
        return self.timeline  # type: ignore[return-value]

    @property
    def region(self) -> str:
        return self._group.region

    @property
    def arn(self) -> str:
        return job_arn(self._group, self.job_name)

    @property
    def effective_role_arn(self) -> str:
        return self.role_arn or (
            f"arn:{self._group.partition}:iam::{self._group.account}:role/PersonalizeDataDeletion"
        )

    @property
    def effective_data_location(self) -> str:
        return self.data_location or f"s3://{self._group.name}-deletions/{self.job_name}.csv"

    def state_at(self, elapsed: float) -> JobState | None:
        """The job at `elapsed` seconds after emulator start; None before it was created."""
        if elapsed < self.created_at:
            return None
        reached = self.changes[0]
        for change in self.changes:
            if self.created_at + change.at <= elapsed:
                reached = change
        return JobState(reached.status, self.created_at + reached.at)


def _normalise_timeline(timeline: Any, job_name: str) -> tuple[StatusChange, ...]:
    changes: list[StatusChange] = []
    for item in timeline:
        if isinstance(item, StatusChange):
            change = item
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            change = StatusChange(item[0], item[1])
        else:
            raise ScenarioError(f"job {job_name}: a timeline entry must be (status, seconds)")
        if not isinstance(change.status, str) or not 1 <= len(change.status) <= STATUS_MAX:
            raise ScenarioError(f"job {job_name}: status {change.status!r} must be a short string")
        if isinstance(change.at, bool) or not isinstance(change.at, (int, float)):
            raise ScenarioError(f"job {job_name}: timeline offset {change.at!r} is not a number")
        changes.append(StatusChange(change.status, float(change.at)))
    if not changes:
        raise ScenarioError(f"job {job_name}: the timeline is empty")
    if changes[0].at != 0:
        raise ScenarioError(f"job {job_name}: the first timeline entry must be at 0")
    if any(later.at < earlier.at for earlier, later in itertools.pairwise(changes)):
        raise ScenarioError(f"job {job_name}: timeline offsets must not decrease")
    return tuple(changes)


@dataclass
class Scenario:
    """The jobs an emulator starts with, and the world around them.

    dataset_groups: groups that exist besides those of the jobs (CreateDataDeletionJob in any
    other group is ResourceNotFoundException). unreadable_locations: S3 prefixes the jobs'
    roles cannot read; a job created on one FAILS. created_jobs: the timeline of created jobs
    (None: CreateSettings' defaults).
    """

    jobs: list[ScenarioJob] = field(default_factory=list)
    dataset_groups: list[str] = field(default_factory=list)
    unreadable_locations: list[str] = field(default_factory=list)
    created_jobs: CreateSettings | None = None

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for job in self.jobs:
            if job.arn in seen:
                raise ScenarioError(f"job {job.job_name} appears twice in region {job.region}")
            seen.add(job.arn)
        for index, arn in enumerate(self.dataset_groups):
            check_dataset_group_arn(arn, f"datasetGroups[{index}]")
        for index, prefix in enumerate(self.unreadable_locations):
            check_location_prefix(prefix, f"unreadableLocations[{index}]")
        if self.created_jobs is not None and not isinstance(self.created_jobs, CreateSettings):
            raise ScenarioError("createdJobs must be CreateSettings")

    @property
    def known_dataset_groups(self) -> list[str]:
        """Every group that exists: the declared ones, then those of the jobs, each once."""
        groups = [*self.dataset_groups, *(job.dataset_group_arn for job in self.jobs)]
        return list(dict.fromkeys(groups))

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            raise ScenarioError('a scenario is a JSON object with a "jobs" list')
        unknown = set(data) - _SCENARIO_KEYS
        if unknown:
            raise ScenarioError(f"unknown scenario keys: {', '.join(sorted(unknown))}")
        jobs = [_job_from_dict(item, index) for index, item in enumerate(data["jobs"])]
        return cls(
            jobs,
            dataset_groups=_string_list(data, "datasetGroups"),
            unreadable_locations=_string_list(data, "unreadableLocations"),
            created_jobs=_created_jobs_from_dict(data.get("createdJobs")),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"jobs": [_job_to_dict(job) for job in self.jobs]}
        if self.dataset_groups:
            data["datasetGroups"] = list(self.dataset_groups)
        if self.unreadable_locations:
            data["unreadableLocations"] = list(self.unreadable_locations)
        if self.created_jobs is not None:
            data["createdJobs"] = {
                "pendingSeconds": self.created_jobs.pending_seconds,
                "runningSeconds": self.created_jobs.running_seconds,
            }
        return data


_SCENARIO_KEYS = {"jobs", "description", "datasetGroups", "unreadableLocations", "createdJobs"}
_CREATED_JOBS_KEYS = {"pendingSeconds", "runningSeconds"}


def check_dataset_group_arn(arn: Any, where: str) -> str:
    group = parse_arn(arn) if isinstance(arn, str) else None
    if group is None or group.kind != "dataset-group":
        raise ScenarioError(f"{where}: {arn!r} is not a dataset group ARN")
    return arn


def check_location_prefix(prefix: Any, where: str) -> str:
    if not (
        isinstance(prefix, str)
        and prefix.startswith("s3://")
        and len(prefix) > len("s3://")
        and S3_LOCATION_PATTERN.fullmatch(prefix)
    ):
        raise ScenarioError(f"{where}: {prefix!r} is not an S3 location (s3://bucket/...)")
    return prefix


def location_matches(location: str, prefix: str) -> bool:
    """Whether `location` is at or under `prefix`, on path boundaries: s3://b covers s3://b/x
    but not s3://bucket-2/x."""
    if location == prefix or prefix.endswith("/"):
        return location.startswith(prefix)
    return location.startswith(prefix + "/")


def _string_list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScenarioError(f"{key} must be a list of strings")
    return value


def _created_jobs_from_dict(value: Any) -> CreateSettings | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ScenarioError('createdJobs is an object: {"pendingSeconds": S, "runningSeconds": S}')
    unknown = set(value) - _CREATED_JOBS_KEYS
    if unknown:
        raise ScenarioError(f"createdJobs: unknown keys: {', '.join(sorted(unknown))}")
    defaults = CreateSettings()
    try:
        return CreateSettings(
            pending_seconds=value.get("pendingSeconds", defaults.pending_seconds),
            running_seconds=value.get("runningSeconds", defaults.running_seconds),
        )
    except ScenarioError as error:
        raise ScenarioError(f"createdJobs: {error}") from None


_JOB_KEYS = {
    "jobName",
    "datasetGroupArn",
    "region",
    "createdAt",
    "timeline",
    "status",
    "roleArn",
    "dataLocation",
    "numDeleted",
    "failureReason",
}


def _job_from_dict(item: Any, index: int) -> ScenarioJob:
    where = f"jobs[{index}]"
    if not isinstance(item, dict):
        raise ScenarioError(f"{where}: a job is a JSON object")
    unknown = set(item) - _JOB_KEYS
    if unknown:
        raise ScenarioError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    for key in ("jobName", "datasetGroupArn"):
        if not isinstance(item.get(key), str):
            raise ScenarioError(f"{where}: {key} is required and must be a string")
    if "timeline" in item and "status" in item:
        raise ScenarioError(f"{where}: give either timeline or status, not both")
    if "timeline" in item:
        raw = item["timeline"]
        if not isinstance(raw, list) or not all(
            isinstance(entry, dict) and set(entry) == {"status", "at"} for entry in raw
        ):
            raise ScenarioError(f'{where}: timeline is a list of {{"status": S, "at": SECONDS}}')
        timeline: list[tuple[str, float]] = [(entry["status"], entry["at"]) for entry in raw]
    else:
        timeline = [(item.get("status", "COMPLETED"), 0.0)]
    try:
        job = ScenarioJob(
            job_name=item["jobName"],
            dataset_group_arn=item["datasetGroupArn"],
            timeline=timeline,
            created_at=item.get("createdAt", 0.0),
            role_arn=item.get("roleArn"),
            data_location=item.get("dataLocation"),
            num_deleted=item.get("numDeleted", 0),
            failure_reason=item.get("failureReason"),
        )
    except ScenarioError as error:
        raise ScenarioError(f"{where}: {error}") from None
    if "region" in item and item["region"] != job.region:
        raise ScenarioError(
            f"{where}: region {item['region']!r} differs from the dataset group's {job.region!r}"
        )
    return job


def _job_to_dict(job: ScenarioJob) -> dict[str, Any]:
    data: dict[str, Any] = {
        "jobName": job.job_name,
        "datasetGroupArn": job.dataset_group_arn,
        "createdAt": job.created_at,
        "timeline": [{"status": c.status, "at": c.at} for c in job.changes],
        "numDeleted": job.num_deleted,
    }
    for key, value in (
        ("roleArn", job.role_arn),
        ("dataLocation", job.data_location),
        ("failureReason", job.failure_reason),
    ):
        if value is not None:
            data[key] = value
    return data


def load_scenario(path: str | Path) -> Scenario:
    """Reads a scenario JSON file; every problem is a ScenarioError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(
            f"cannot read scenario file {path}: {error.strerror or error}"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(f"scenario file {path} is not valid JSON: {error}") from None
    try:
        return Scenario.from_dict(data)
    except ScenarioError as error:
        raise ScenarioError(f"scenario file {path}: {error}") from None


def generate_jobs(
    count: int,
    dataset_group_arn: str,
    *,
    name_prefix: str = "batch-job",
    created_at: float = 0.0,
    created_step: float = 1.0,
    finish_from: float = 1.0,
    finish_until: float = 10.0,
    fail_every: int = 0,
    num_deleted: int = 100,
) -> list[ScenarioJob]:
    """`count` jobs in one dataset group, finishing at evenly spread moments.

    Job i (from 0) is created at `created_at - i * created_step` (so job 1 is the newest) and
    reaches its terminal status at `finish_from + (finish_until - finish_from) * i / (count - 1)`,
    both relative to emulator start. Every `fail_every`-th job FAILS (0: none does).
    """
    width = max(4, len(str(count)))
    jobs = []
    for i in range(count):
        created = created_at - i * created_step
        fraction = i / (count - 1) if count > 1 else 0.0
        finish = finish_from + (finish_until - finish_from) * fraction
        duration = max(finish - created, 0.0)
        fails = fail_every > 0 and (i + 1) % fail_every == 0
        terminal = "FAILED" if fails else "COMPLETED"
        timeline: list[tuple[str, float]] = (
            [("PENDING", 0.0), ("IN_PROGRESS", duration / 4), (terminal, duration)]
            if duration > 0
            else [(terminal, 0.0)]
        )
        jobs.append(
            ScenarioJob(
                job_name=f"{name_prefix}-{i + 1:0{width}d}",
                dataset_group_arn=dataset_group_arn,
                timeline=timeline,
                created_at=created,
                num_deleted=0 if fails else num_deleted + i,
                failure_reason=f"Input file for {name_prefix}-{i + 1} is empty." if fails else None,
            )
        )
    return jobs


# The sample set: what `pdj emulator` serves without --scenario.
SAMPLE_ACCOUNT = DEFAULT_ACCOUNT
DEMO_GROUP_ARN = dataset_group_arn("us-east-1", "demo")
RETAIL_GROUP_ARN = dataset_group_arn("us-east-1", "retail")
BIG_GROUP_ARN = dataset_group_arn("us-east-1", "big-catalog")
MEDIA_GROUP_ARN = dataset_group_arn("eu-west-1", "media")
# Groups with no jobs yet, for trying CreateDataDeletionJob (`pdj create`).
FRESH_GROUP_ARN = dataset_group_arn("us-east-1", "fresh")
FRESH_EU_GROUP_ARN = dataset_group_arn("eu-west-1", "fresh")
# The sample's roles cannot read this bucket: a job created on it FAILS.
UNREADABLE_LOCATION = "s3://no-access-deletions"
BIG_GROUP_SIZE = 250
DEMO_JOB_ARN = (
    f"arn:aws:personalize:us-east-1:{DEFAULT_ACCOUNT}:data-deletion-job/demo-gdpr-erasure"
)
DEMO_FAILING_JOB_ARN = (
    f"arn:aws:personalize:us-east-1:{DEFAULT_ACCOUNT}:data-deletion-job/demo-bad-input-file"
)


def _done(
    name: str, group: str, created: float, num_deleted: int, run: float = 40 * MINUTE
) -> ScenarioJob:
    return ScenarioJob(
        name,
        group,
        [("PENDING", 0), ("IN_PROGRESS", 5 * MINUTE), ("COMPLETED", run)],
        created_at=created,
        num_deleted=num_deleted,
    )


def _failed(name: str, group: str, created: float, reason: str) -> ScenarioJob:
    return ScenarioJob(
        name,
        group,
        [("PENDING", 0), ("IN_PROGRESS", 2 * MINUTE), ("FAILED", 9 * MINUTE)],
        created_at=created,
        failure_reason=reason,
    )


def sample_scenario() -> Scenario:
    """Jobs in every status, across us-east-1 and eu-west-1, with a live demo."""
    jobs: list[ScenarioJob] = [
        # Live: completes ~15 s after start; fails ~15 s after start.
        ScenarioJob(
            "demo-gdpr-erasure",
            DEMO_GROUP_ARN,
            [("PENDING", 0), ("IN_PROGRESS", 2), ("COMPLETED", 20)],
            created_at=-5,
            num_deleted=1342,
        ),
        ScenarioJob(
            "demo-bad-input-file",
            DEMO_GROUP_ARN,
            [("PENDING", 0), ("IN_PROGRESS", 3), ("FAILED", 17)],
            created_at=-2,
            data_location="s3://demo-deletions/bad-input-file.csv",
            failure_reason="The input file s3://demo-deletions/bad-input-file.csv has no "
            "USER_ID column.",
        ),
        _done("demo-erasure-2026-10", DEMO_GROUP_ARN, -30 * DAY, 87),
        *(
            _done(f"retail-weekly-purge-{week:02d}", RETAIL_GROUP_ARN, -week * 7 * DAY, 500 + week)
            for week in range(1, 7)
        ),
        _failed(
            "retail-purge-access-denied",
            RETAIL_GROUP_ARN,
            -3 * DAY,
            "Amazon Personalize cannot read s3://retail-deletions/purge.csv: access denied. "
            "Check the S3 permissions of the job's role.",
        ),
        ScenarioJob(
            "retail-stuck-pending",
            RETAIL_GROUP_ARN,
            [("PENDING", 0)],
            created_at=-10 * MINUTE,
        ),
        *generate_jobs(
            BIG_GROUP_SIZE,
            BIG_GROUP_ARN,
            name_prefix="catalog-purge",
            created_at=-2 * DAY,
            created_step=HOUR,
            finish_from=-2 * DAY + HOUR,
            finish_until=-2 * DAY - (BIG_GROUP_SIZE - 2) * HOUR,
            fail_every=25,
            num_deleted=1000,
        ),
        _done("media-erasure-2026-09", MEDIA_GROUP_ARN, -60 * DAY, 12),
        _failed(
            "media-erasure-failed",
            MEDIA_GROUP_ARN,
            -5 * DAY,
            "An internal error occurred. Try the job again.",
        ),
        ScenarioJob(
            "media-long-reindex",
            MEDIA_GROUP_ARN,
            [("PENDING", 0), ("IN_PROGRESS", MINUTE)],
            created_at=-2 * HOUR,
        ),
        # A status the API does not list today: tools must show it and not treat it as terminal.
        ScenarioJob(
            "media-queued-unknown-status",
            MEDIA_GROUP_ARN,
            [("PENDING", 0), ("QUEUED", 30)],
            created_at=-HOUR,
        ),
    ]
    return Scenario(
        jobs,
        dataset_groups=[FRESH_GROUP_ARN, FRESH_EU_GROUP_ARN],
        unreadable_locations=[UNREADABLE_LOCATION],
    )


def notable_arns(scenario: Scenario, limit: int = 2, now: float = 0.0) -> list[str]:
    """ARNs worth trying first: the newest jobs of a scenario that exist at `now` (a job with a
    later createdAt is not found until then)."""
    existing = [job for job in scenario.jobs if job.created_at <= now]
    ordered = sorted(existing, key=lambda job: -job.created_at)
    return [job.arn for job in ordered[:limit]]
