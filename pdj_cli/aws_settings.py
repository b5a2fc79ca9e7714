"""The AWS settings a user types or sets, checked before a client is made.

botocore meets a malformed endpoint, region or retry setting deep inside client creation or the
first request, as a bare ValueError or a message that names no option. These checks name the
option, variable or config file the value came from, as exit 2 (the error is a configuration
error, so a batch stops with one line instead of one record per input).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pdj_cli.errors import InvalidInputError

ENDPOINT_HINT = (
    "an endpoint URL is http://HOST[:PORT] or https://HOST[:PORT], e.g. http://127.0.0.1:4566"
)
RETRY_MODES = ("legacy", "standard", "adaptive")
# botocore.utils.validate_region_name's rule (a DNS label): checked here to name the source.
_REGION = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")


def endpoint_in_effect(
    explicit: str | None, profile_config: Mapping[str, Any], env: Mapping[str, str] = os.environ
) -> tuple[str, str] | None:
    """The endpoint URL botocore will use for Personalize and where it was set, if anywhere.

    The order is botocore's: the client argument (--endpoint-url), the service-specific
    variable, the global variable, then the profile's `endpoint_url`.
    """
    if explicit is not None:
        return explicit, "--endpoint-url"
    if env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    # An empty value counts as unset, as botocore reads it (`if endpoint_url:`).
    for variable in ("AWS_ENDPOINT_URL_PERSONALIZE", "AWS_ENDPOINT_URL"):
        if env.get(variable):
            return env[variable], variable
    configured = profile_config.get("endpoint_url")
    if isinstance(configured, str) and configured:
        return configured, "endpoint_url in the AWS config file"
    return None


def check_endpoint_url(url: str, source: str) -> None:
    """InvalidInputError naming `source` unless `url` is an http(s) URL with a host."""
    reason = _endpoint_flaw(url)
    if reason:
        raise InvalidInputError(
            f"invalid endpoint URL {url!r} ({source}): {reason}",
            ENDPOINT_HINT,
            configuration=True,
        )


def _endpoint_flaw(url: str) -> str | None:
    if not url.strip():
        return "it is empty"
    if url != url.strip() or any(ch.isspace() or not ch.isprintable() for ch in url):
        return "it contains whitespace or a control character"
    try:
        parts = urlsplit(url)
        port = parts.port  # urllib raises ValueError for a port out of range or not a number
    except ValueError as error:
        return str(error)
    if parts.scheme not in ("http", "https"):
        scheme = f"the scheme {parts.scheme!r}" if parts.scheme else "no scheme"
        return f"it has {scheme}, not http or https"
    if not parts.hostname:
        return "it names no host"
    if port == 0:
        return "port 0 is not a port a server listens on"
    return None


def check_region(region: str, source: str) -> None:
    """InvalidInputError naming `source` unless botocore would accept `region`."""
    if not _REGION.fullmatch(region):
        raise InvalidInputError(
            f"invalid region {region!r} ({source}): a region is a name like us-east-1 "
            "(letters, digits and '-', at most 63 characters)",
            configuration=True,
        )


def check_retry_settings(
    profile_config: Mapping[str, Any], env: Mapping[str, str] = os.environ
) -> None:
    """AWS_MAX_ATTEMPTS / AWS_RETRY_MODE and their config-file keys, as botocore will read them."""
    attempts, attempts_source = _setting("AWS_MAX_ATTEMPTS", "max_attempts", profile_config, env)
    if attempts is not None and not re.fullmatch(r"\s*\+?\d+\s*", attempts, re.ASCII):
        raise InvalidInputError(
            f"invalid {attempts_source} {attempts!r}: it must be a whole number of attempts, "
            "at least 1",
            configuration=True,
        )
    if attempts is not None and int(attempts) < 1:
        raise InvalidInputError(
            f"invalid {attempts_source} {attempts!r}: it must be at least 1", configuration=True
        )
    mode, mode_source = _setting("AWS_RETRY_MODE", "retry_mode", profile_config, env)
    if mode is not None and mode not in RETRY_MODES:
        raise InvalidInputError(
            f"invalid {mode_source} {mode!r}: choose from {', '.join(RETRY_MODES)}",
            configuration=True,
        )


def _setting(
    variable: str, key: str, profile_config: Mapping[str, Any], env: Mapping[str, str]
) -> tuple[str | None, str]:
    # The variable first, then the profile's key; empty counts as unset, as service.py
    # treats it (pdj's own retry default then applies).
    if env.get(variable):
        return env[variable], variable
    value = profile_config.get(key)
    return (None if value is None else str(value)), f"{key} in the AWS config file"
