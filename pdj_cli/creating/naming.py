"""Job names: derived from a request and a group (re-runs find their jobs), or generated.

Both fit the model's Name: 1 to 63 characters of [A-Za-z0-9_-], starting with a letter or digit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timezone

from pdj_cli.arns import ResourceArn

MAX_NAME = 63
HASH_LENGTH = 8  # hex digits: 4 billion values, against two requests cut to the same text
REQUEST_PART = 30  # at most this much of the request id, so the group's name shows too
GENERATED_PREFIX = "pdj"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(text: str) -> str:
    """`text` with every run of characters a name cannot hold as one `-`, and no `-` or `_`
    at either end (a name starts with a letter or digit)."""
    return _UNSAFE.sub("-", text).strip("-_")


def request_job_name(request_id: str, group: ResourceArn) -> str:
    """`REQUEST-GROUP-HASH`: the request id and the group's name made safe and cut to fit, then
    8 hex digits of SHA-256 of the whole request id and the whole group ARN.

    The same request and group give the same name on every run; different requests or groups
    give different names even when the cut text is the same (the hash sees everything).
    """
    digest = hashlib.sha256(f"{request_id}\n{group.text}".encode()).hexdigest()[:HASH_LENGTH]
    request = slug(request_id)[:REQUEST_PART].rstrip("-_")
    room = MAX_NAME - HASH_LENGTH - 1 - (len(request) + 1 if request else 0)
    group_part = slug(group.name)[:room].rstrip("-_")
    return "-".join(part for part in (request, group_part, digest) if part)


def generated_job_name(
    group: ResourceArn, now: datetime | None = None, token: str | None = None
) -> str:
    """`pdj-GROUP-YYYYMMDDTHHMMSSZ-XXXX`: the group's name (cut to fit), the UTC time and four
    random hex digits, so two runs in the same second do not collide."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    token = token if token is not None else secrets.token_hex(2)
    room = MAX_NAME - len(GENERATED_PREFIX) - len(stamp) - len(token) - 3
    group_part = slug(group.name)[:room].rstrip("-_")
    return "-".join(part for part in (GENERATED_PREFIX, group_part, stamp, token) if part)
