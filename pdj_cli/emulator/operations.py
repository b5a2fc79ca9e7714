"""The data deletion job operations the emulator serves, with the service's validation and
rules (tags: tagging.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import Any

from . import faults
from .arns import parse_arn
from .errors import ApiError, invalid_next_token, not_found
from .scenario import CreateSettings, ScenarioJob, location_matches
from .store import JobStore, JobView
from .tagging import check_tag_count, tag_dict
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
    require_object,
)

DEFAULT_MAX_RESULTS = 100
__all__ = [  # CreateSettings lives with the scenario; it is imported from here too
    "CreateSettings",
    "NextTokens",
    "create_data_deletion_job",
    "describe_data_deletion_job",
    "list_data_deletion_jobs",
]


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
    store: JobStore,
    settings: CreateSettings,
    region: str,
    params: dict[str, Any],
    *,
    unreadable_locations: Sequence[str] = (),
    create_error: str | None = None,
) -> dict[str, Any]:
    """Checks in the service's order: the model's validation (every violation at once), the
    tag limit, the dataset group, a `create_error` switch, the name, the PENDING limit."""
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
    tags = tag_dict(violations, params.get("tags"))
    violations.raise_if_any()
    check_tag_count(len(tags))

    group = parse_arn(group_arn)
    if (
        group is None
        or group.kind != "dataset-group"
        or group.region != region
        or not store.has_group(group_arn)
    ):
        raise not_found(f"Resource Arn {group_arn} does not exist.")
    if create_error is not None:
        raise _create_error(create_error, group_arn, role_arn, location)
    now = store.now()
    pending, running = settings.pending_seconds, settings.running_seconds
    unreadable = any(location_matches(location, prefix) for prefix in unreadable_locations)
    job = ScenarioJob(
        job_name=name,
        dataset_group_arn=group_arn,
        timeline=(
            ("PENDING", 0.0),
            ("IN_PROGRESS", pending),
            ("FAILED" if unreadable else "COMPLETED", pending + running),
        ),
        created_at=now,
        role_arn=role_arn,
        data_location=location,
        num_deleted=0 if unreadable else _plausible_count(name),
        failure_reason=s3_access_failure(location) if unreadable else None,
    )
    limit_check = _pending_limit_checker(group_arn, settings.max_pending_jobs_per_group)
    if not store.add_if_absent(job, limit_check, tags):
        raise ApiError(
            "ResourceAlreadyExistsException",
            f"A data deletion job named {name} already exists in {region}.",
        )
    return {"dataDeletionJobArn": job.arn}


def s3_access_failure(location: str) -> str:
    """The failureReason of a job whose role cannot read its data location."""
    return (
        f"Insufficient privileges for accessing data in S3 location {location}. Please look at "
        "https://docs.aws.amazon.com/personalize/latest/dg/granting-personalize-s3-access.html "
        "and fix the role's policy and the bucket policy."
    )


def _create_error(kind: str, group_arn: str, role_arn: str, location: str) -> ApiError:
    account = group_arn.split(":")[4]
    if kind == faults.RESOURCE_IN_USE:
        return ApiError(
            "ResourceInUseException",
            f"The dataset group {group_arn} is in use by another operation (an import, a "
            "training or a deletion of the group). Try again when it has finished.",
            fault=faults.CREATE_ERROR,
        )
    if kind == faults.ACCESS_DENIED:
        return ApiError(
            "AccessDeniedException",
            f"User: arn:aws:iam::{account}:user/emulator is not authorized to perform: "
            f"personalize:CreateDataDeletionJob on resource: {group_arn} because no "
            "identity-based policy allows the personalize:CreateDataDeletionJob action",
            fault=faults.CREATE_ERROR,
        )
    return ApiError(
        "AccessDeniedException",
        f"Insufficient privileges for accessing data in S3: the role {role_arn} cannot read "
        f"{location}. It needs s3:GetObject and s3:ListBucket on the bucket and its content.",
        fault=faults.CREATE_ERROR,
    )


def _pending_limit_checker(group_arn: str, limit: int) -> Callable[[list[JobView]], None]:
    def check(views: list[JobView]) -> None:
        pending = sum(
            1 for v in views if v.job.dataset_group_arn == group_arn and v.state.status == "PENDING"
        )
        if pending >= limit:
            raise ApiError(
                "LimitExceededException",
                f"The dataset group {group_arn} already has {pending} data deletion jobs with "
                f"status PENDING; at most {limit} may be PENDING at once.",
            )

    return check


def _plausible_count(name: str) -> int:
    """A stable, name-derived number of deleted records, so reruns print the same output."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:2], "big") % 5000 + 1
