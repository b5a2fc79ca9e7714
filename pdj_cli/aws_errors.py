"""botocore's exceptions as pdj's errors: one exit code, one message and a hint for each.

typer- and rich-free; botocore is imported only when there is an exception to translate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pdj_cli.errors import (
    AlreadyExistsError,
    AwsError,
    InvalidInputError,
    JobNotFoundError,
    LimitExceededError,
    PdjError,
)

_THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
    }
)
_EXPIRED_CODES = frozenset(
    {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
)
_DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException"})
_BAD_KEY_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "IncompleteSignatureException",
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
    }
)
CONFIGURE_HINT = "run `aws configure` or set AWS_PROFILE"
# A local endpoint (the emulator, LocalStack, moto) checks that requests are signed, not by whom.
LOCAL_KEYS_HINT = (
    "the endpoint {endpoint} is local, where any keys do: "
    "export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
)
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
_endpoints: list[str] = []  # the endpoints of the clients made so far (one, as a rule)


def note_endpoint(endpoint_url: str | None) -> None:
    """Remember a client's endpoint, for the hint of a credentials error met through it."""
    if endpoint_url and endpoint_url not in _endpoints:
        _endpoints.append(endpoint_url)


def forget_endpoints() -> None:
    """For tests that make clients in their own process."""
    _endpoints.clear()


def is_local_endpoint(endpoint_url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(endpoint_url).hostname or "").lower()
    except ValueError:
        return False
    return host in _LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")


def credentials_hint() -> str:
    """`aws configure`, unless every endpoint in use is local: then dummy keys do."""
    if _endpoints and all(is_local_endpoint(url) for url in _endpoints):
        return LOCAL_KEYS_HINT.format(endpoint=_endpoints[0])
    return CONFIGURE_HINT


def guarded(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a botocore call, turning its exceptions into pdj's own errors."""
    try:
        return function(*args, **kwargs)
    except PdjError:
        raise
    except Exception as error:
        translated = translate_error(error)
        if translated is None:
            raise
        raise translated from error


def translate_error(error: BaseException) -> PdjError | None:
    """pdj's error for a botocore exception; None for anything else (a bug, surfaced as 70).

    Its message never carries a secret: a service or proxy that echoes the request's
    Authorization header or token in its answer is redacted as --debug's log is.
    """
    translated = _translate(error)
    if translated is not None:
        translated.message = _scrubbed(translated.message)
        translated.args = (translated.message,)
        # --debug's traceback shows the botocore exception too (the cause): scrub its text
        error.args = tuple(_scrubbed(a) if isinstance(a, str) else a for a in error.args)
    return translated


def _scrubbed(text: str) -> str:
    import os

    from pdj_cli.debuglog import redact

    known = (os.environ.get(name, "") for name in _SECRET_VARIABLES)
    return redact(text, [value for value in known if len(value) >= 8])


_SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def _translate(error: BaseException) -> PdjError | None:
    import botocore.exceptions as bce

    if isinstance(error, bce.ClientError):
        return _translate_client_error(error)
    if isinstance(error, bce.NoCredentialsError):
        return AwsError(
            "no AWS credentials found",
            credentials_hint(),
            code="NoCredentials",
            configuration=True,
        )
    if isinstance(error, bce.NoRegionError):
        return AwsError(
            "no AWS region configured",
            "pass --region or set AWS_REGION",
            code="NoRegion",
            configuration=True,
        )
    if isinstance(error, bce.ProfileNotFound):
        return InvalidInputError(
            f"the AWS profile {error.kwargs.get('profile')!r} does not exist",
            "`aws configure list-profiles` shows the profiles you have",
            code="ProfileNotFound",
            configuration=True,
        )
    if isinstance(
        error, (bce.TokenRetrievalError, bce.SSOTokenLoadError, bce.UnauthorizedSSOTokenError)
    ):
        return AwsError(
            f"the SSO session has expired or is missing: {error}",
            "run `aws sso login`",
            code="ExpiredToken",
            configuration=True,
        )
    if isinstance(error, bce.CredentialRetrievalError):
        return AwsError(
            f"could not get AWS credentials: {error}",
            credentials_hint(),
            code="NoCredentials",
            configuration=True,
        )
    if isinstance(error, bce.SSLError):  # https:// at a plain-HTTP endpoint, say
        url = error.kwargs.get("endpoint_url", "")
        return AwsError(
            f"the TLS handshake with {url} failed: {error.kwargs.get('error', error)}",
            "an endpoint that speaks plain HTTP (a local emulator) needs an http:// URL",
            code="SSLError",
            configuration=True,
        )
    if isinstance(error, bce.EndpointConnectionError):
        return AwsError(
            f"could not connect to the endpoint {error.kwargs.get('endpoint_url', '')}".rstrip(),
            "check --endpoint-url, AWS_ENDPOINT_URL_PERSONALIZE and your network",
            code="EndpointConnectionError",
            transient=True,
            configuration=True,
        )
    if isinstance(
        error, (bce.ConnectionClosedError, bce.ReadTimeoutError, bce.ConnectTimeoutError)
    ):
        return AwsError(
            f"the connection to AWS failed after every retry: {error}",
            "check your network, or try again later",
            code=type(error).__name__,
            transient=True,
            # never connected at all: a wrong endpoint, not one request's bad luck
            configuration=isinstance(error, bce.ConnectTimeoutError),
        )
    if isinstance(error, bce.ParamValidationError):
        return InvalidInputError(str(error).replace("\n", " "), code="InvalidInputException")
    if isinstance(error, bce.BotoCoreError):
        return AwsError(str(error).replace("\n", " "), code=type(error).__name__)
    return None


def _translate_client_error(error: Any) -> PdjError:
    details = error.response.get("Error", {})
    code = details.get("Code", "Unknown")
    message = details.get("Message") or str(error)
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    if code == "ResourceNotFoundException":
        return JobNotFoundError(message, code=code)
    if code == "InvalidInputException":
        return InvalidInputError(f"the service rejected the input: {message}", code=code)
    if code == "TooManyTagsException":
        return InvalidInputError(
            f"too many tags: {message}", "a resource has at most 50 tags", code=code
        )
    if code == "ResourceAlreadyExistsException":
        return AlreadyExistsError(f"it already exists: {message}", code=code)
    if code == "LimitExceededException":
        return LimitExceededError(f"a service limit was reached: {message}", code=code)
    if code == "ResourceInUseException":
        return AwsError(
            f"the resource is in use: {message}",
            "wait for the operation under way on it to finish, then try again",
            code=code,
        )
    if code in _THROTTLING_CODES:
        return AwsError(
            f"throttled by AWS past every retry ({code}): {message}",
            "try again later, or raise the retry budget with AWS_MAX_ATTEMPTS",
            code=code,
            transient=True,
        )
    if code in _EXPIRED_CODES:
        return AwsError(
            f"the AWS credentials have expired ({code})",
            "refresh them (`aws sso login`, or new keys), then try again",
            code=code,
            configuration=True,
        )
    if code in _DENIED_CODES:
        return AwsError(
            f"access denied: {message}",
            "the identity needs personalize:DescribeDataDeletionJob and "
            "personalize:ListDataDeletionJobs",
            code=code,
        )
    if code in _BAD_KEY_CODES:
        return AwsError(
            f"AWS rejected the credentials ({code}): {message}",
            CONFIGURE_HINT,
            code=code,
            configuration=True,
        )
    if status >= 500:
        return AwsError(
            f"AWS failed past every retry ({code}, HTTP {status}): {message}",
            "try again later",
            code=code,
            transient=True,
        )
    return AwsError(f"AWS error {code}: {message}", code=code)


def create_error(error: PdjError, params: dict[str, Any]) -> PdjError:
    """A CreateDataDeletionJob error, reworded to name what the user gave and what to check."""
    group = params.get("datasetGroupArn", "")
    role = params.get("roleArn", "")
    location = (params.get("dataSource") or {}).get("dataLocation", "")
    code = error.code
    detail = _service_message(error)
    if code == "ResourceNotFoundException":
        return JobNotFoundError(
            f"the dataset group {group} was not found: {detail}",
            "check the ARN's account and region; "
            "`aws personalize list-dataset-groups` lists the groups of a region",
            code=code,
        )
    if code in _DENIED_CODES:
        if any(word in detail.lower() for word in ("s3", "bucket", "role")):
            hint = (
                f"the role {role} must trust personalize.amazonaws.com and may read "
                f"{location} (s3:GetObject and s3:ListBucket); a KMS-encrypted bucket needs "
                "kms:Decrypt too"
            )
        else:
            hint = (
                "the identity needs personalize:CreateDataDeletionJob and iam:PassRole on "
                f"{role}; the role must be able to read {location}"
            )
        return AwsError(f"access denied: {detail}", hint, code=code)
    if code == "ResourceInUseException":
        return AwsError(
            f"the dataset group {group} is busy: {detail}",
            "another operation on the group is under way (a dataset import, a deletion job "
            "starting, the group being created or deleted); wait for it, then run again",
            code=code,
        )
    if code == "TooManyTagsException":
        return InvalidInputError(
            f"too many tags for the job: {detail}",
            "a job has at most 50 tags, --request-id's included",
            code=code,
        )
    return error


def _service_message(error: PdjError) -> str:
    """The service's own words, without the prefix the generic translation put before them."""
    cause = error.__cause__
    response = getattr(cause, "response", None)
    if isinstance(response, dict):
        message = response.get("Error", {}).get("Message")
        if message:
            return str(_scrubbed(message))
    return error.message
