"""Input validation mirroring the constraints of botocore's `personalize` service model.

Patterns are matched whole, as the service's Java validators do. Messages follow the service's
"N validation error(s) detected: Value ... at '...' failed to satisfy constraint: ..." form.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError, invalid_input

ARN_PATTERN = re.compile(r"arn:([a-z\d-]+):personalize:.*:.*:.+")
ROLE_ARN_PATTERN = re.compile(r"arn:([a-z\d-]+):iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+")
NAME_PATTERN = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9\-_]*")
S3_LOCATION_PATTERN = re.compile(r"(s3|http|https)://.+")
ARN_MAX = 256
NAME_MAX = 63
NEXT_TOKEN_MAX = 1500
MAX_RESULTS_RANGE = (1, 100)
TAGS_MAX = 200
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
# \p{L}\p{Z}\p{N} plus these: approximated with str.isalnum / isspace (Python's re has no \p{..}).
TAG_EXTRA_CHARACTERS = set("_.:/=+-@")


class Violations:
    """Collects every violation of one request, then raises them together."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, value: Any, where: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{value}'"
        self.messages.append(
            f"Value {shown} at '{where}' failed to satisfy constraint: {constraint}"
        )

    def raise_if_any(self) -> None:
        if not self.messages:
            return
        count = len(self.messages)
        noun = "validation error" if count == 1 else "validation errors"
        raise invalid_input(f"{count} {noun} detected: " + "; ".join(self.messages))


def check_string(
    violations: Violations,
    value: Any,
    where: str,
    *,
    required: bool = False,
    min_length: int = 0,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
) -> bool:
    """Checks one string member; returns True when it is present and valid."""
    if value is None:
        if required:
            violations.add(None, where, "Member must not be null")
        return False
    if not isinstance(value, str):
        violations.add(value, where, "Member must be a string")
        return False
    ok = True
    if len(value) < min_length:
        violations.add(
            value, where, f"Member must have length greater than or equal to {min_length}"
        )
        ok = False
    if max_length is not None and len(value) > max_length:
        violations.add(value, where, f"Member must have length less than or equal to {max_length}")
        ok = False
    if pattern is not None and not pattern.fullmatch(value):
        violations.add(
            value, where, f"Member must satisfy regular expression pattern: {pattern.pattern}"
        )
        ok = False
    return ok


def check_arn(violations: Violations, value: Any, where: str, *, required: bool = False) -> bool:
    return check_string(
        violations, value, where, required=required, max_length=ARN_MAX, pattern=ARN_PATTERN
    )


def check_max_results(violations: Violations, value: Any) -> bool:
    if value is None:
        return False
    low, high = MAX_RESULTS_RANGE
    # JSON true/false would pass isinstance(int); the service rejects them.
    if isinstance(value, bool) or not isinstance(value, int):
        violations.add(value, "maxResults", "Member must be an integer")
        return False
    if value < low:
        violations.add(
            value, "maxResults", f"Member must have value greater than or equal to {low}"
        )
        return False
    if value > high:
        violations.add(value, "maxResults", f"Member must have value less than or equal to {high}")
        return False
    return True


def check_next_token(violations: Violations, value: Any) -> bool:
    if not check_string(violations, value, "nextToken", max_length=NEXT_TOKEN_MAX):
        return False
    if not value.isascii():
        violations.add(
            value, "nextToken", r"Member must satisfy regular expression pattern: \p{ASCII}{0,1500}"
        )
        return False
    return True


def is_tag_text(text: str) -> bool:
    return all(c.isalnum() or c.isspace() or c in TAG_EXTRA_CHARACTERS for c in text)


def check_tags(violations: Violations, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        violations.add(value, "tags", "Member must be a list")
        return
    if len(value) > TAGS_MAX:
        violations.add(
            f"[{len(value)} tags]",
            "tags",
            f"Member must have length less than or equal to {TAGS_MAX}",
        )
    for index, tag in enumerate(value, start=1):
        where = f"tags.{index}.member"
        if not isinstance(tag, dict):
            violations.add(tag, where, "Member must be a structure")
            continue
        key: Any = tag.get("tagKey")
        tag_value: Any = tag.get("tagValue")
        # Tag keys and values are sensitive in the model, so their values are not echoed back.
        if check_string(
            violations, key, f"{where}.tagKey", required=True, min_length=1, max_length=TAG_KEY_MAX
        ) and not is_tag_text(key):
            violations.add(
                "***",
                f"{where}.tagKey",
                "Member must contain only letters, numbers, spaces and _.:/=+-@",
            )
        if check_string(
            violations, tag_value, f"{where}.tagValue", required=True, max_length=TAG_VALUE_MAX
        ) and not is_tag_text(tag_value):
            violations.add(
                "***",
                f"{where}.tagValue",
                "Member must contain only letters, numbers, spaces and _.:/=+-@",
            )


def require_object(value: Any, where: str) -> dict[str, Any]:
    """A structure member that must be a JSON object when present."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError("InvalidInputException", f"'{where}' must be a structure (a JSON object).")
    return value
