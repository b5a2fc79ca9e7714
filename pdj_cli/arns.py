"""Parse and validate ARNs locally, so nothing is sent to AWS for input known to be invalid."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pdj_cli.errors import InvalidArnError

MAX_ARN_LENGTH = 256  # the service model's limit on an Arn
MAX_REGION_LENGTH = 63  # botocore refuses a longer region name (it is a DNS label)
_PARTITION = re.compile(r"aws(-[a-z]+)*")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_ACCOUNT = re.compile(r"\d{12}")
# The service model's Name: ^[a-zA-Z0-9][a-zA-Z0-9\-_]*, 1..63 characters.
_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}")

JOB_RESOURCE = "data-deletion-job"
DATASET_GROUP_RESOURCE = "dataset-group"
# What prints the full ARNs of each resource type, for the hint after a bare name.
_LISTED_BY = {
    JOB_RESOURCE: "`pdj list`",
    DATASET_GROUP_RESOURCE: "`aws personalize list-dataset-groups`",
}


@dataclass(frozen=True)
class ResourceArn:
    text: str
    partition: str
    region: str
    account: str
    resource_type: str
    name: str

    def __str__(self) -> str:
        return self.text


def parse_job_arn(text: str) -> ResourceArn:
    """A data deletion job ARN, or InvalidArnError saying what is wrong with it."""
    return _parse(text, JOB_RESOURCE, "data deletion job")


def parse_dataset_group_arn(text: str) -> ResourceArn:
    return _parse(text, DATASET_GROUP_RESOURCE, "dataset group")


def shown(text: str, limit: int = 80) -> str:
    """The input quoted on one line: escapes newlines and tabs, shortens the very long."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _parse(text: str, want: str, noun: str) -> ResourceArn:
    def fail(reason: str, hint: str | None = None) -> InvalidArnError:
        return InvalidArnError(f"invalid {noun} ARN {shown(text)}: {reason}", hint)

    if not text:
        raise fail("it is empty")
    flaw = _whitespace_flaw(text)
    if flaw:
        raise fail(f"it contains {flaw}", "copy the ARN again, without spaces or line breaks")
    if len(text) > MAX_ARN_LENGTH:
        raise fail(f"it is {len(text)} characters long; an ARN has at most {MAX_ARN_LENGTH}")
    if not text.startswith("arn:"):
        hint = None
        if _NAME.fullmatch(text):
            hint = (
                f"that looks like a name; give the full ARN ({_LISTED_BY[want]} shows them): "
                f"arn:aws:personalize:REGION:ACCOUNT:{want}/{text}"
            )
        raise fail("it does not start with 'arn:'", hint)
    parts = text.split(":", 5)
    if len(parts) < 6:
        raise fail(
            f"expected arn:PARTITION:personalize:REGION:ACCOUNT:{want}/NAME",
            "it looks truncated; copy the whole ARN",
        )
    _, partition, service, region, account, resource = parts
    if not _PARTITION.fullmatch(partition):
        raise fail(f"unknown partition {partition!r} (expected aws, aws-cn, aws-us-gov, ...)")
    if service != "personalize":
        hint = (
            f"that is an ARN of {service or 'no service'}, not of Amazon Personalize; "
            f"pdj needs the {noun} ARN that Personalize returned"
        )
        raise fail(f"the service is {service!r}, not 'personalize'", hint)
    if not _REGION.fullmatch(region) or len(region) > MAX_REGION_LENGTH:
        raise fail(f"the region {region!r} is not a region name like us-east-1")
    if not _ACCOUNT.fullmatch(account):
        raise fail(f"the account {account!r} is not a 12-digit account ID")
    resource_type, slash, name = resource.partition("/")
    if resource_type != want:
        raise fail(
            f"it is a {resource_type or 'resource-less'} ARN, not a {want}",
            _wrong_type_hint(want, resource_type, text),
        )
    if not slash or not name:
        raise fail("the name after the slash is missing", "it looks truncated; copy the whole ARN")
    if not _NAME.fullmatch(name):
        raise fail(
            f"the name {name!r} is not a valid name "
            "(letters, digits, '-' and '_', starting with a letter or digit, at most 63)"
        )
    return ResourceArn(text, partition, region, account, resource_type, name)


def _wrong_type_hint(want: str, got: str, text: str) -> str | None:
    if want == JOB_RESOURCE and got == DATASET_GROUP_RESOURCE:
        return f"that is a dataset group: try `pdj list --dataset-group-arn {text}`"
    if want == DATASET_GROUP_RESOURCE and got == JOB_RESOURCE:
        return f"that is a data deletion job: try `pdj describe {text}`"
    return None


def _whitespace_flaw(text: str) -> str | None:
    # Every whitespace character but the ASCII space is unprintable: one C-speed test clears a
    # good ARN (a batch checks every line) before the character-by-character search below.
    if " " not in text and text.isprintable():
        return None
    if "\n" in text or "\r" in text:
        return "a line break"
    if any(ch.isspace() for ch in text):
        return "whitespace"
    if not text.isprintable():
        return "a control character"
    return None
