"""CreateDataDeletionJob's constraints as botocore's `personalize` model states them.

Read from the model (lazily, once), not copied here, so a botocore that changes a limit changes
pdj's check with it.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Any

OPERATION = "CreateDataDeletionJob"


@dataclass(frozen=True)
class StringRule:
    """A string member's length and pattern; `problem` says what is wrong with a value."""

    member: str
    min_length: int = 0
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    pattern_text: str | None = None  # as the model writes it, for messages

    def problem(self, value: str) -> str | None:
        if len(value) < self.min_length:
            return "it is empty" if not value else f"it is shorter than {self.min_length}"
        if self.max_length is not None and len(value) > self.max_length:
            return f"it is {len(value)} characters long; at most {self.max_length} are allowed"
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return f"it does not match the pattern {self.pattern_text}"
        return None


@dataclass(frozen=True)
class CreateRules:
    job_name: StringRule
    dataset_group_arn: StringRule
    data_location: StringRule
    role_arn: StringRule
    tag_key: StringRule
    tag_value: StringRule
    max_tags: int | None


def model_regex(pattern: str) -> re.Pattern[str]:
    """The model's Java-style pattern for Python's re, matched whole as the service does.

    Python's re has no \\p{..} classes: \\p{L} and \\p{N} become \\w (letters and digits, plus
    `_`, which the tag pattern allows anyway) and \\p{Z} becomes \\s; the control characters \\s
    adds are refused apart (see `printable`).
    """
    translated = pattern.replace(r"\p{L}", r"\w").replace(r"\p{N}", r"\w")
    return re.compile(translated.replace(r"\p{Z}", r"\s"))


def printable(value: str) -> bool:
    """No tab, newline or other control character (the \\s of `model_regex` lets them by)."""
    return all(ch == " " or ch.isprintable() for ch in value)


def _string_rule(member: str, shape: Any) -> StringRule:
    metadata = shape.metadata
    pattern = metadata.get("pattern")
    return StringRule(
        member=member,
        min_length=int(metadata.get("min", 0)),
        max_length=metadata.get("max"),
        pattern=model_regex(pattern) if pattern else None,
        pattern_text=pattern,
    )


def rules_from_shape(request: Any) -> CreateRules:
    """The rules of botocore's CreateDataDeletionJobRequest shape."""
    members = request.members
    tags = members["tags"]
    tag = tags.member.members
    return CreateRules(
        job_name=_string_rule("jobName", members["jobName"]),
        dataset_group_arn=_string_rule("datasetGroupArn", members["datasetGroupArn"]),
        data_location=_string_rule(
            "dataSource.dataLocation", members["dataSource"].members["dataLocation"]
        ),
        role_arn=_string_rule("roleArn", members["roleArn"]),
        tag_key=_string_rule("tagKey", tag["tagKey"]),
        tag_value=_string_rule("tagValue", tag["tagValue"]),
        max_tags=tags.metadata.get("max"),
    )


@functools.cache
def create_rules() -> CreateRules:
    """The rules of this botocore's model, loaded once, through pdj's loader (AWS_DATA_PATH and
    sdk-extras honoured as botocore honours them)."""
    from botocore.model import ServiceModel

    from pdj_cli.model_loader import create_loader

    loader = create_loader(os.environ.get("AWS_DATA_PATH"))
    model = ServiceModel(loader.load_service_model("personalize", "service-2"), "personalize")
    return rules_from_shape(model.operation_model(OPERATION).input_shape)
