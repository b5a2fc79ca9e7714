"""TagResource, UntagResource and ListTagsForResource, and the service's rules for tags.

botocore's model allows 200 tags a request; the service allows 50 a resource (the developer
guide: "Maximum number of tags per resource - 50") and keeps the `aws:` prefix for itself.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .store import JobStore
from .validation import (
    TAG_KEY_MAX,
    Violations,
    check_arn,
    check_string,
    check_tags,
    is_tag_text,
)

TAGS_PER_RESOURCE = 50
RESERVED_PREFIX = "aws:"
TAG_KEYS_MAX = 200  # the model's limit of tagKeys a request
_TEXT_RULE = "Member must contain only letters, numbers, spaces and _.:/=+-@"
_RESERVED_RULE = f"Member must not start with the reserved prefix {RESERVED_PREFIX}"


def tag_dict(violations: Violations, value: Any, where: str = "tags") -> dict[str, str]:
    """Validates a Tags list (model and service rules); its tags as a dict, in order."""
    check_tags(violations, value)
    if not isinstance(value, list):
        return {}
    tags: dict[str, str] = {}
    for index, tag in enumerate(value, start=1):
        if not isinstance(tag, dict):
            continue
        key, tag_value = tag.get("tagKey"), tag.get("tagValue")
        for member, text in (("tagKey", key), ("tagValue", tag_value)):
            if _reserved(text):
                # The model marks tags sensitive: their values are never echoed.
                violations.add("***", f"{where}.{index}.member.{member}", _RESERVED_RULE)
        if isinstance(key, str) and isinstance(tag_value, str):
            if key in tags:
                violations.add("***", f"{where}.{index}.member.tagKey", "Tag keys must be unique")
            tags[key] = tag_value
    return tags


def check_tag_count(count: int) -> None:
    if count > TAGS_PER_RESOURCE:
        raise ApiError(
            "TooManyTagsException",
            "You have exceeded the maximum number of tags you can apply to this resource: "
            f"it would have {count} tags; the limit is {TAGS_PER_RESOURCE}.",
        )


def tag_resource(store: JobStore, region: str, params: dict[str, Any]) -> dict[str, Any]:
    violations = Violations()
    arn: Any = params.get("resourceArn")
    check_arn(violations, arn, "resourceArn", required=True)
    if params.get("tags") is None:
        violations.add(None, "tags", "Member must not be null")
    new = tag_dict(violations, params.get("tags"))
    violations.raise_if_any()
    _require_resource(store, arn, region)

    def merge(current: dict[str, str]) -> dict[str, str]:
        merged = {**current, **new}  # a key already there takes the new value
        check_tag_count(len(merged))
        return merged

    store.update_tags(arn, merge)
    return {}


def untag_resource(store: JobStore, region: str, params: dict[str, Any]) -> dict[str, Any]:
    violations = Violations()
    arn: Any = params.get("resourceArn")
    keys: Any = params.get("tagKeys")
    check_arn(violations, arn, "resourceArn", required=True)
    if keys is None:
        violations.add(None, "tagKeys", "Member must not be null")
    elif not isinstance(keys, list):
        violations.add(keys, "tagKeys", "Member must be a list")
    else:
        _check_tag_keys(violations, keys)
    violations.raise_if_any()
    if len(keys) > TAGS_PER_RESOURCE:
        raise ApiError(
            "TooManyTagKeysException",
            "The request contains more tag keys than can be associated with a resource "
            f"({TAGS_PER_RESOURCE} tag keys per resource).",
        )
    _require_resource(store, arn, region)
    gone = set(keys)
    # Keys the resource does not have are ignored, as AWS's tagging APIs do.
    store.update_tags(arn, lambda current: {k: v for k, v in current.items() if k not in gone})
    return {}


def list_tags_for_resource(store: JobStore, region: str, params: dict[str, Any]) -> dict[str, Any]:
    violations = Violations()
    arn: Any = params.get("resourceArn")
    check_arn(violations, arn, "resourceArn", required=True)
    violations.raise_if_any()
    _require_resource(store, arn, region)
    return {"tags": [{"tagKey": key, "tagValue": value} for key, value in store.tags(arn).items()]}


def _check_tag_keys(violations: Violations, keys: list[Any]) -> None:
    if len(keys) > TAG_KEYS_MAX:
        violations.add(
            f"[{len(keys)} keys]",
            "tagKeys",
            f"Member must have length less than or equal to {TAG_KEYS_MAX}",
        )
    for index, key in enumerate(keys, start=1):
        where = f"tagKeys.{index}.member"
        if key is None:
            violations.add(None, where, "Member must not be null")
        elif check_string(violations, key, where, min_length=1, max_length=TAG_KEY_MAX):
            if not is_tag_text(key):
                violations.add("***", where, _TEXT_RULE)
            elif _reserved(key):
                violations.add("***", where, _RESERVED_RULE)


def _require_resource(store: JobStore, arn: str, region: str) -> None:
    if not store.resource_exists(arn, region):
        raise ApiError("ResourceNotFoundException", f"Resource Arn {arn} does not exist.")


def _reserved(text: Any) -> bool:
    # Case-insensitive, as AWS reserves the prefix in every case (AWS:, Aws:).
    return isinstance(text, str) and text.lower().startswith(RESERVED_PREFIX)
