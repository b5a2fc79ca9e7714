"""Every input of `pdj create` checked before anything is sent: exit 2 naming the bad value.

What botocore's model says (lengths, patterns, at most 200 tags) comes from the model
(pdj_cli.creating.rules). What it does not say is written out here, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pdj_cli.arns import ResourceArn, parse_dataset_group_arn, shown
from pdj_cli.creating.rules import CreateRules, StringRule, create_rules, printable
from pdj_cli.errors import InvalidArnError, InvalidInputError

# Not in the model, which allows any `arn:P:iam::ACCOUNT:role/...`-ish text: the issue asks for
# a role ARN proper (`role/` then a path and name), so `user/...` and `role/` alone are refused.
_ROLE_ARN = re.compile(r"arn:(?P<partition>aws(?:-[a-z]+)*):iam::(?P<account>\d{12}):role/.+")
# Not in the model, which also allows http(s)://: the service reads deletion files from S3, and
# a bucket name follows S3's rules (3-63 lowercase letters, digits, dots and hyphens).
_S3_URI = re.compile(r"s3://(?P<bucket>[^/]*)(?P<rest>/.*)?", re.DOTALL)
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# Not in the model, which allows 200 tags: Personalize documents at most 50 per resource, and
# keys starting `aws:` are reserved for AWS (TagResource refuses them).
MAX_TAGS = 50
RESERVED_TAG_PREFIX = "aws:"
# The tag --request-id adds, so the request can be found from a job (ListTagsForResource).
REQUEST_TAG_KEY = "pdj:request-id"


@dataclass(frozen=True)
class CreateInputs:
    """The checked inputs: one dataset group per job, in the order given, each once."""

    groups: tuple[ResourceArn, ...]
    data_location: str
    role_arn: str
    job_name: str | None
    request_id: str | None
    tags: tuple[tuple[str, str], ...]  # the user's, then the request's, in order


def validate(
    *,
    groups: list[str],
    data_location: str | None,
    role_arn: str | None,
    job_name: str | None,
    request_id: str | None,
    tags: list[str],
    rules: CreateRules | None = None,
) -> CreateInputs:
    rules = rules or create_rules()
    if not groups:
        raise InvalidInputError(
            "no dataset group: give --dataset-group-arn (repeatable, one job per group)",
            "`aws personalize list-dataset-groups` lists the groups of a region",
        )
    if job_name is not None and request_id is not None:
        raise InvalidInputError(
            "--job-name and --request-id cannot be used together: --request-id names the jobs"
        )
    checked = _unique(_group(text, rules.dataset_group_arn) for text in groups)
    if job_name is not None and len(checked) > 1:
        raise InvalidInputError(
            f"--job-name names one job, and {len(checked)} dataset groups were given",
            "--request-id ID names one job per group, derived from the request and the group",
        )
    location = _data_location(data_location, rules.data_location)
    role = _role(role_arn, rules.role_arn, checked)
    if job_name is not None:
        _check(job_name, rules.job_name, "--job-name")
    if request_id is not None:
        _request_id(request_id, rules.tag_value)
    return CreateInputs(
        groups=tuple(checked),
        data_location=location,
        role_arn=role,
        job_name=job_name,
        request_id=request_id,
        tags=_tags(tags, request_id, rules),
    )


def _check(value: str, rule: StringRule, option: str) -> None:
    problem = rule.problem(value)
    if problem is not None:
        raise InvalidInputError(f"invalid {option} {shown(value)}: {problem}")


def _unique(groups: Iterable[ResourceArn]) -> list[ResourceArn]:
    """One job per group: a group given twice gets one job."""
    seen: dict[str, ResourceArn] = {}
    for group in groups:
        seen.setdefault(group.text, group)
    return list(seen.values())


def _group(text: str, rule: StringRule) -> ResourceArn:
    try:
        group = parse_dataset_group_arn(text)
    except InvalidArnError as error:
        raise InvalidArnError(f"--dataset-group-arn: {error.message}", error.hint) from None
    _check(text, rule, "--dataset-group-arn")
    return group


def _data_location(value: str | None, rule: StringRule) -> str:
    if value is None:
        raise InvalidInputError(
            "no --data-location: give the S3 URI of the CSV of user IDs to delete "
            "(s3://bucket/file.csv), or of a folder of them (s3://bucket/folder/)"
        )
    match = _S3_URI.fullmatch(value)
    if match is None:
        raise InvalidInputError(
            f"invalid --data-location {shown(value)}: it is not an s3:// URI",
            "give the S3 URI of the deletion file or folder: s3://bucket/path/users.csv",
        )
    bucket = match["bucket"]
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise InvalidInputError(
            f"invalid --data-location {shown(value)}: {bucket!r} is not an S3 bucket name "
            "(3 to 63 lowercase letters, digits, '.' and '-')"
        )
    if not printable(value):
        raise InvalidInputError(
            f"invalid --data-location {shown(value)}: it has a control character"
        )
    _check(value, rule, "--data-location")
    return value


def _role(value: str | None, rule: StringRule, groups: list[ResourceArn]) -> str:
    if value is None:
        raise InvalidInputError(
            "no --role-arn: give the IAM role Personalize assumes to read the data location",
            "the role needs s3:GetObject and s3:ListBucket on it, and to trust "
            "personalize.amazonaws.com",
        )
    match = _ROLE_ARN.fullmatch(value)
    if match is None:
        raise InvalidInputError(
            f"invalid --role-arn {shown(value)}: it is not an IAM role ARN "
            "(arn:aws:iam::ACCOUNT:role/NAME)"
        )
    _check(value, rule, "--role-arn")
    # Not in the model: a role is passed within one partition (aws, aws-cn, aws-us-gov).
    for group in groups:
        if group.partition != match["partition"]:
            raise InvalidInputError(
                f"invalid --role-arn {shown(value)}: its partition {match['partition']!r} is not "
                f"the partition {group.partition!r} of the dataset group {group.text}"
            )
    return value


def _request_id(value: str, rule: StringRule) -> None:
    if not value.strip():
        raise InvalidInputError(
            f"invalid --request-id {shown(value)}: it is {'empty' if not value else 'blank'}",
            'an unset shell variable expands to nothing: check "$REQUEST"-style arguments',
        )
    # It becomes a tag's value: the model's rule for one.
    if not printable(value):
        raise InvalidInputError(f"invalid --request-id {shown(value)}: it has a control character")
    _check(value, rule, "--request-id")


def _tags(
    given: list[str], request_id: str | None, rules: CreateRules
) -> tuple[tuple[str, str], ...]:
    tags: dict[str, str] = {}
    for text in given:
        key, equals, value = text.partition("=")
        if not equals:
            raise InvalidInputError(
                f"invalid --tag {shown(text)}: expected KEY=VALUE", "--tag team=privacy"
            )
        problem = rules.tag_key.problem(key) or (None if printable(key) else "a control character")
        if problem is not None:
            raise InvalidInputError(f"invalid --tag {shown(text)}: the key {shown(key)}: {problem}")
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise InvalidInputError(
                f"invalid --tag {shown(text)}: keys starting {RESERVED_TAG_PREFIX!r} are "
                "reserved for AWS"
            )
        problem = rules.tag_value.problem(value) or (
            None if printable(value) else "a control character"
        )
        if problem is not None:
            raise InvalidInputError(
                f"invalid --tag {shown(text)}: the value {shown(value)}: {problem}"
            )
        if key in tags:
            raise InvalidInputError(f"--tag {key!r} is given twice: a job has one value per key")
        tags[key] = value
    if request_id is not None:
        if REQUEST_TAG_KEY in tags:
            raise InvalidInputError(
                f"--tag {REQUEST_TAG_KEY} is set by --request-id: give one of them"
            )
        tags[REQUEST_TAG_KEY] = request_id
    limit = min(MAX_TAGS, rules.max_tags or MAX_TAGS)
    if len(tags) > limit:
        extra = " (--request-id adds one)" if request_id is not None else ""
        raise InvalidInputError(f"{len(tags)} tags{extra}: a job has at most {limit}")
    return tuple(tags.items())
