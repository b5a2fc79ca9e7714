"""The three Personalize operations the emulator serves, with the service's validation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .arns import parse_arn
from .errors import ApiError, invalid_next_token, not_found
from .scenario import ScenarioJob
from .store import JobStore, JobView, is_active
from .validation import (
    NAME_MAX,
    NAME_PATTERN,
    ROLE_ARN_PATTERN,
    S3_LOCATION_PATTERN,
    Violations,
    check_arn,
    check_max_results,
    check_next_token,
    check_string,
    check_tags,
    require_object,
)

DEFAULT_MAX_RESULTS = 100


@dataclass
class CreateSettings:
    """How jobs made by CreateDataDeletionJob behave."""

    pending_seconds: float = 2.0
    running_seconds: float = 5.0
    max_active_jobs_per_group: int = 5


class NextTokens:
    """Opaque, signed page tokens bound to the query (region and dataset group filter)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def encode(self, region: str, group: str | None, last: JobView) -> str:
        payload = json.dumps(
            {"r": region, "g": group, "k": [last.created_ms, last.job.arn]}, separators=(",", ":")
        ).encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def decode(self, token: str, region: str, group: str | None) -> tuple[int, str]:
        """The sort key after which the next page starts; InvalidNextToken otherwise."""
        try:
            encoded_payload, encoded_signature = token.split(".")
            payload = _unb64(encoded_payload)
            signature_ok = hmac.compare_digest(_unb64(encoded_signature), self._sign(payload))
            data = json.loads(payload) if signature_ok else None
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise invalid_next_token()
        if data.get("r") != region or data.get("g") != group:
            raise invalid_next_token(
                "The nextToken belongs to a different request; repeat the same parameters."
            )
        created_ms, arn = data["k"]
        return (-created_ms, arn)

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def describe_data_deletion_job(
    store: JobStore, region: str, params: dict[str, Any]
) -> dict[str, Any]:
    violations = Violations()
    arn: Any = params.get("dataDeletionJobArn")
    check_arn(violations, arn, "dataDeletionJobArn", required=True)
    violations.raise_if_any()
    view = store.view(arn)
    if view is not None and view.job.region == region:
        return {"dataDeletionJob": store.describe(view)}
    raise not_found(f"Could not find data deletion job {arn} in {region}.")


def list_data_deletion_jobs(
    store: JobStore, tokens: NextTokens, region: str, params: dict[str, Any]
) -> dict[str, Any]:
    violations = Violations()
    group: Any = params.get("datasetGroupArn")
    token: Any = params.get("nextToken")
    max_results: Any = params.get("maxResults")
    check_arn(violations, group, "datasetGroupArn")
    has_token = check_next_token(violations, token)
    has_max = check_max_results(violations, max_results)
    violations.raise_if_any()
    # A well-formed ARN of a group without jobs lists nothing, as a filter that matches nothing.
    views = sorted(
        (
            view
            for view in store.views()
            if view.job.region == region and (group is None or view.job.dataset_group_arn == group)
        ),
        key=lambda view: view.sort_key,
    )
    if has_token:
        after = tokens.decode(token, region, group)
        views = [view for view in views if view.sort_key > after]
    limit = max_results if has_max else DEFAULT_MAX_RESULTS
    page = views[:limit]
    body: dict[str, Any] = {"dataDeletionJobs": [store.summarize(view) for view in page]}
    if len(views) > limit:
        body["nextToken"] = tokens.encode(region, group, page[-1])
    return body


def create_data_deletion_job(
    store: JobStore, settings: CreateSettings, region: str, params: dict[str, Any]
) -> dict[str, Any]:
    violations = Violations()
    name: Any = params.get("jobName")
    group_arn: Any = params.get("datasetGroupArn")
    role_arn: Any = params.get("roleArn")
    data_source = require_object(params.get("dataSource"), "dataSource")
    location: Any = data_source.get("dataLocation")
    check_string(
        violations,
        name,
        "jobName",
        required=True,
        min_length=1,
        max_length=NAME_MAX,
        pattern=NAME_PATTERN,
    )
    check_arn(violations, group_arn, "datasetGroupArn", required=True)
    if "dataSource" not in params:
        violations.add(None, "dataSource", "Member must not be null")
    else:
        # The model leaves dataLocation optional, but a deletion without a file means nothing.
        check_string(
            violations,
            location,
            "dataSource.dataLocation",
            required=True,
            max_length=256,
            pattern=S3_LOCATION_PATTERN,
        )
    check_string(
        violations, role_arn, "roleArn", required=True, max_length=256, pattern=ROLE_ARN_PATTERN
    )
    check_tags(violations, params.get("tags"))
    violations.raise_if_any()

    group = parse_arn(group_arn)
    if group is None or group.kind != "dataset-group" or group.region != region:
        raise not_found(f"Could not find dataset group {group_arn} in {region}.")
    now = store.now()
    pending, running = settings.pending_seconds, settings.running_seconds
    job = ScenarioJob(
        job_name=name,
        dataset_group_arn=group_arn,
        timeline=(("PENDING", 0.0), ("IN_PROGRESS", pending), ("COMPLETED", pending + running)),
        created_at=now,
        role_arn=role_arn,
        data_location=location,
        num_deleted=_plausible_count(name),
    )
    if not store.add_if_absent(job, _limit_checker(group_arn, settings.max_active_jobs_per_group)):
        raise ApiError(
            "ResourceAlreadyExistsException",
            f"A data deletion job named {name} already exists in {region}.",
        )
    return {"dataDeletionJobArn": job.arn}


def _limit_checker(group_arn: str, limit: int) -> Callable[[list[JobView]], None]:
    def check(views: list[JobView]) -> None:
        active = sum(1 for v in views if v.job.dataset_group_arn == group_arn and is_active(v))
        if active >= limit:
            raise ApiError(
                "LimitExceededException",
                f"Dataset group {group_arn} already has {active} data deletion jobs that are "
                f"not finished; the limit is {limit}.",
            )

    return check


def _plausible_count(name: str) -> int:
    """A stable, name-derived number of deleted records, so reruns print the same output."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:2], "big") % 5000 + 1
