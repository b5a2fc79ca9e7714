"""The emulator's jobs, dataset groups and tags: thread-safe, and rendered as the API shows
them at the current moment."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .arns import parse_arn
from .scenario import JobState, ScenarioError, ScenarioJob


@dataclass(frozen=True)
class JobView:
    """A job as seen at one moment: the job, its state, and its sort key for listing."""

    job: ScenarioJob
    state: JobState
    created_ms: int

    @property
    def sort_key(self) -> tuple[int, str]:
        return (-self.created_ms, self.job.arn)  # newest first, ARN breaks ties


class JobStore:
    def __init__(
        self,
        jobs: Iterable[ScenarioJob],
        *,
        elapsed: Callable[[], float],
        epoch_origin: float,
        time_scale: float = 1.0,
        dataset_groups: Iterable[str] = (),
    ) -> None:
        self._elapsed = elapsed
        self._epoch_origin = epoch_origin
        self._time_scale = time_scale
        self._lock = threading.Lock()
        self._jobs: dict[str, ScenarioJob] = {}  # by ARN: describe's index; only add* write it
        self._groups: set[str] = set(dataset_groups)  # the groups that exist (any region)
        self._tags: dict[str, dict[str, str]] = {}  # by resource ARN, in the order added
        for job in jobs:
            self.add(job)

    def add(self, job: ScenarioJob) -> str:
        with self._lock:
            if job.arn in self._jobs:
                raise ScenarioError(f"a job named {job.job_name} exists in {job.region}")
            self._jobs[job.arn] = job
            self._groups.add(job.dataset_group_arn)  # a job's group exists
        return job.arn

    def add_if_absent(
        self,
        job: ScenarioJob,
        may_add: Callable[[list[JobView]], None],
        tags: dict[str, str] | None = None,
    ) -> bool:
        """Adds `job` (and its tags) unless its ARN is taken; `may_add` sees the live jobs and
        may raise."""
        with self._lock:
            if job.arn in self._jobs:
                return False
            may_add(self._views_locked(self._elapsed()))
            self._jobs[job.arn] = job
            self._groups.add(job.dataset_group_arn)
            if tags:
                self._tags[job.arn] = dict(tags)
            return True

    # dataset groups
    def add_group(self, arn: str) -> None:
        with self._lock:
            self._groups.add(arn)

    def has_group(self, arn: str) -> bool:
        with self._lock:
            return arn in self._groups

    # tags
    def resource_exists(self, arn: str, region: str) -> bool:
        """A job that exists now, or a known dataset group, in `region`."""
        with self._lock:
            job = self._jobs.get(arn)
            if job is not None:
                return job.region == region and job.state_at(self._elapsed()) is not None
            if arn not in self._groups:
                return False
        group = parse_arn(arn)
        return group is not None and group.region == region

    def tags(self, arn: str) -> dict[str, str]:
        with self._lock:
            return dict(self._tags.get(arn, {}))

    def update_tags(
        self, arn: str, change: Callable[[dict[str, str]], dict[str, str]]
    ) -> dict[str, str]:
        """Replaces the tags of `arn` with `change(current)` under the lock; `change` may
        raise, leaving them as they were."""
        with self._lock:
            new = change(dict(self._tags.get(arn, {})))
            self._tags[arn] = new
            return dict(new)

    def now(self) -> float:
        return self._elapsed()

    def views(self) -> list[JobView]:
        """Every job that exists now (created at or before the current moment)."""
        with self._lock:
            return self._views_locked(self._elapsed())

    def view(self, arn: str) -> JobView | None:
        """The job with this ARN as it is now; None if there is none or it is not created yet.

        A dict lookup, not a scan: describe must not cost O(jobs) (0.4 s at 100,000 jobs).
        """
        with self._lock:
            job = self._jobs.get(arn)
            return None if job is None else self._view_locked(job, self._elapsed())

    def _views_locked(self, elapsed: float) -> list[JobView]:
        views = []
        for job in self._jobs.values():
            view = self._view_locked(job, elapsed)
            if view is not None:
                views.append(view)
        return views

    def _view_locked(self, job: ScenarioJob, elapsed: float) -> JobView | None:
        state = job.state_at(elapsed)
        if state is None:
            return None
        return JobView(job, state, round(self.epoch(job.created_at) * 1000))

    def epoch(self, offset: float) -> float:
        """Epoch seconds, millisecond precision, of a moment relative to emulator start.

        Emulated time since the start runs `time_scale` times faster than the wall clock; its
        timestamps are wall time, so a job that ends "now" never reads as updated in the future.
        The scenario's past (negative offsets) is kept as written.
        """
        wall = offset if offset <= 0 else offset / self._time_scale
        return round(self._epoch_origin + wall, 3)

    def describe(self, view: JobView) -> dict[str, Any]:
        job, state = view.job, view.state
        body: dict[str, Any] = {
            "jobName": job.job_name,
            "dataDeletionJobArn": job.arn,
            "datasetGroupArn": job.dataset_group_arn,
            "dataSource": {"dataLocation": job.effective_data_location},
            "roleArn": job.effective_role_arn,
            "status": state.status,
            "creationDateTime": self.epoch(job.created_at),
            "lastUpdatedDateTime": self.epoch(state.changed_at),
        }
        # The service counts deletions when a job ends, so numDeleted appears once COMPLETED.
        if state.status == "COMPLETED":
            body["numDeleted"] = job.num_deleted
        if state.status == "FAILED":
            body["failureReason"] = job.failure_reason or "The data deletion job failed."
        return body

    def summarize(self, view: JobView) -> dict[str, Any]:
        full = self.describe(view)
        keys = (
            "jobName",
            "dataDeletionJobArn",
            "datasetGroupArn",
            "status",
            "creationDateTime",
            "lastUpdatedDateTime",
            "failureReason",
        )
        return {key: full[key] for key in keys if key in full}
