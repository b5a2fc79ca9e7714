"""`--debug`: botocore's wire log on stderr, with every secret redacted."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterable

REDACTED = "<redacted>"
# botocore logs the signed headers and, on credential lookups, the raw STS/SSO answers: the
# patterns catch secrets there even when the values in use are not known yet (during a refresh).
_PATTERNS = (
    # Every spelling botocore logs a SigV4 signature in: `Signature=` in the Authorization header
    # and presigned URLs, and botocore.auth's own `Signature:` line with the hex on the next line.
    re.compile(r"((?:X-Amz-)?Signature['\"]?\s*[:=]\s*['\"]?)[0-9a-fA-F]{16,}", re.IGNORECASE),
    re.compile(
        r"((?:X-Amz-Security-Token|x-amz-security-token)['\"]?\s*[:=]\s*b?['\"]?)[^'\"\s,}]+"
    ),
    re.compile(
        r"((?:SecretAccessKey|SessionToken|secretAccessKey|sessionToken|accessToken|"
        r"aws_secret_access_key|aws_session_token)['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+"
    ),
    # STS answers in XML (AssumeRole, AssumeRoleWithWebIdentity).
    re.compile(r"(<(?:SecretAccessKey|SessionToken)>)[^<]+"),
)


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Callable[[], Iterable[str]]) -> None:
        super().__init__("%(asctime)s %(name)s [%(levelname)s] %(message)s")
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets())


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


def enable_wire_log(secrets: Callable[[], Iterable[str]]) -> None:
    """Send botocore's and urllib3's debug log to stderr through the redacting formatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(_safe(secrets)))
    for name in ("botocore", "urllib3"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        logger.propagate = False


def _safe(secrets: Callable[[], Iterable[str]]) -> Callable[[], Iterable[str]]:
    # Resolving credentials must never break logging, nor recurse into it.
    def values() -> Iterable[str]:
        try:
            return list(secrets())
        except Exception:
            return []

    return values
