"""Personalize data deletion jobs over botocore: clients per region, describe, list.

Knows nothing of typer or rich and never prints. botocore is imported lazily (inside functions)
so that `pdj --help` and shell completion never pay for it. The plain `botocore.session` is used
rather than boto3: pdj needs only a low-level client, and boto3's import adds ~0.1 s to start.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pdj_cli import __version__, aws_errors
from pdj_cli.arns import ResourceArn
from pdj_cli.aws_errors import guarded
from pdj_cli.errors import AwsError, PdjError
from pdj_cli.models import DeletionJob
from pdj_cli.request_counter import RequestCounter

if TYPE_CHECKING:
    import botocore.session

# Every call pdj makes reads a job and is idempotent, so it can afford a generous budget:
# bursts of throttling and 5xx are ridden out inside botocore and never reach the user.
DEFAULT_MAX_ATTEMPTS = 10
DEFAULT_RETRY_MODE = "standard"
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
# A refused or timed-out connection (nothing listening, a bad host) is tried this many times in
# all, not ten: ten attempts with backoff would make a wrong --endpoint-url take a minute.
REFUSED_CONNECTION_ATTEMPTS = 3
LIST_PAGE_SIZE = 100  # the service's maximum: fewest requests for a full listing
_UNREAD = object()  # JobService's credentials before its first look (None: there are none)


class JobService:
    """Reads data deletion jobs. Thread-safe: batch shares one service across its workers."""

    def __init__(
        self,
        *,
        profile: str | None = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        retry_mode: str = DEFAULT_RETRY_MODE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        max_pool_connections: int = 10,
        session: botocore.session.Session | None = None,
        count_requests: bool = False,
    ) -> None:
        self._profile = profile
        self._region = region
        self._endpoint_url = endpoint_url
        self._retry_mode = retry_mode
        self._max_attempts = max_attempts
        self._max_pool_connections = max_pool_connections
        self._session = session
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._model_loader_set = False
        self._credentials: Any = _UNREAD
        self._last_secrets: list[str] = []
        self._secrets_lookup = threading.local()
        # A handler on every request: only when asked for (--debug prints the count at the end).
        self.request_counter = RequestCounter() if count_requests else None
        if self.request_counter is not None and session is not None:
            self.request_counter.attach(session)

    # -- jobs -------------------------------------------------------------------------------

    def describe(self, arn: ResourceArn) -> DeletionJob:
        client = self.client_for(arn.region)
        response = guarded(client.describe_data_deletion_job, dataDeletionJobArn=arn.text)
        return DeletionJob.from_api(response["dataDeletionJob"])

    def iter_job_pages(
        self, dataset_group: ResourceArn | None = None, page_size: int = LIST_PAGE_SIZE
    ) -> Iterator[list[DeletionJob]]:
        """Every page of ListDataDeletionJobs, newest first as the service returns them.

        botocore ships no paginator for this operation, so one is built from botocore's own
        Paginator class with the operation's token names: it already detects a repeated
        token (a service bug that would otherwise loop forever) and needs no hand-written loop.
        """
        from botocore.paginate import Paginator

        client = self.client_for(dataset_group.region if dataset_group else None)
        paginator = Paginator(
            client.list_data_deletion_jobs,
            {
                "input_token": "nextToken",
                "output_token": "nextToken",
                "limit_key": "maxResults",
                "result_key": "dataDeletionJobs",
            },
            client.meta.service_model.operation_model("ListDataDeletionJobs"),
        )
        params: dict[str, Any] = {"PaginationConfig": {"PageSize": page_size}}
        if dataset_group is not None:
            params["datasetGroupArn"] = dataset_group.text
        pages = iter(paginator.paginate(**params))
        while True:
            page = guarded(next, pages, None)
            if page is None:
                return
            yield [DeletionJob.from_api(item) for item in page.get("dataDeletionJobs", [])]

    def create_job(self, params: dict[str, Any], group: ResourceArn) -> str:
        """CreateDataDeletionJob in the group's region; the new job's ARN.

        Not idempotent, yet botocore's retries stay on: a retry whose first attempt did create
        the job answers ResourceAlreadyExists, which `pdj create` recognises as its own.
        """
        client = self.client_for(group.region)
        try:
            response = guarded(client.create_data_deletion_job, **params)
        except PdjError as error:
            raise aws_errors.create_error(error, params) from error
        return str(response["dataDeletionJobArn"])

    # -- clients ----------------------------------------------------------------------------

    def client_for(self, arn_region: str | None) -> Any:
        """The one client of a region, created on first use and reused (one connection pool)."""
        region = self.resolve_region(arn_region)
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                guarded(self._check_settings, region, self._region_source(arn_region))
                client = self._clients[region] = self._new_client(region)
            return client

    def _check_settings(self, region: str, region_source: str) -> None:
        # Before botocore sees them: its errors for these name no option (or are exit 70).
        from pdj_cli import aws_settings

        aws_settings.check_region(region, region_source)
        profile_config = self.session.get_scoped_config()
        endpoint = aws_settings.endpoint_in_effect(self._endpoint_url, profile_config)
        if endpoint is not None:
            aws_settings.check_endpoint_url(*endpoint)
        aws_settings.check_retry_settings(profile_config)

    def _new_client(self, region: str) -> Any:
        try:
            return guarded(self._create_client, region)
        except PdjError as error:
            # No client, no request: what stopped this one stops every job of the region alike.
            error.configuration = True
            raise

    # Where the region comes from, in order: --region, the ARN's own, AWS_REGION (botocore
    # ignores it; AWS CLI v2 honours it), then botocore's AWS_DEFAULT_REGION or the profile's.
    _REGION_SOURCES = (
        "--region",
        "the ARN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION or the AWS config file",
    )

    def _region_candidates(self, arn_region: str | None) -> Iterator[str | None]:
        yield self._region
        yield arn_region
        yield os.environ.get("AWS_REGION")
        yield guarded(self.session.get_config_variable, "region")

    def _region_source(self, arn_region: str | None) -> str:
        for source, value in zip(
            self._REGION_SOURCES, self._region_candidates(arn_region), strict=True
        ):
            if value:
                return source
        return self._REGION_SOURCES[-1]

    def resolve_region(self, arn_region: str | None = None) -> str:
        """--region, else the ARN's own region, else AWS_REGION, AWS_DEFAULT_REGION, profile."""
        region = next((value for value in self._region_candidates(arn_region) if value), None)
        if not region:
            raise AwsError(
                "no AWS region: no --region given and none is configured",
                "pass --region, set AWS_REGION, or run `aws configure`",
                code="NoRegion",
                configuration=True,
            )
        return region

    @property
    def session(self) -> botocore.session.Session:
        if self._session is None:
            import botocore.session

            self._session = botocore.session.Session(profile=self._profile)
            # As the AWS CLI does for its own timestamp format: set the parser's default.
            parsers = self._session.get_component("response_parser_factory")
            parsers.set_parser_defaults(timestamp_parser=utc_timestamp)
            if self.request_counter is not None:  # before any client: every client inherits it
                self.request_counter.attach(self._session)
        return self._session

    def secret_values(self) -> list[str]:
        """The secret key and session token in use, so a debug log can redact them.

        The debug log asks on every line, and botocore logs while it resolves or refreshes
        credentials (a refresh holds a lock that is not re-entrant), so this starts neither: it
        reads what botocore resolved for the first client, and gives the values read last while
        a refresh is due or a lookup is under way on this thread. The log's patterns still catch
        the keys in an STS or SSO answer.
        """
        if not self._clients or getattr(self._secrets_lookup, "busy", False):
            return self._last_secrets
        self._secrets_lookup.busy = True
        try:
            if self._credentials is _UNREAD:
                self._credentials = self.session.get_credentials()  # botocore's, cached
            credentials = self._credentials
            if credentials is None:
                return []
            refresh_due = getattr(credentials, "refresh_needed", None)
            if refresh_due is None or not refresh_due():
                frozen = credentials.get_frozen_credentials()
                self._last_secrets = [v for v in (frozen.secret_key, frozen.token) if v]
            return self._last_secrets
        finally:
            self._secrets_lookup.busy = False

    def _create_client(self, region: str) -> Any:
        from botocore.config import Config

        session = self.session
        if not self._model_loader_set:  # before botocore loads its first model
            self._model_loader_set = True
            try:
                from pdj_cli.model_loader import create_loader

                loader = create_loader(session.get_config_variable("data_path"))
                session.register_component("data_loader", loader)
            except Exception:  # a botocore pdj's loader cannot work with: its own loader serves
                pass
        retries: dict[str, Any] = {}
        # AWS_MAX_ATTEMPTS / AWS_RETRY_MODE and the profile's settings win over pdj's defaults.
        profile_config = session.get_scoped_config()
        if not (os.environ.get("AWS_MAX_ATTEMPTS") or profile_config.get("max_attempts")):
            retries["total_max_attempts"] = self._max_attempts
        if not (os.environ.get("AWS_RETRY_MODE") or profile_config.get("retry_mode")):
            retries["mode"] = self._retry_mode
        config = Config(
            retries=retries,
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            max_pool_connections=self._max_pool_connections,
            user_agent_extra=f"pdj/{__version__}",
        )
        client = session.create_client(
            "personalize", region_name=region, endpoint_url=self._endpoint_url, config=config
        )
        client.meta.events.register_first("needs-retry.personalize", _give_up_on_refused)
        client.meta.events.register_first(
            "needs-retry.personalize.CreateDataDeletionJob", _no_retry_at_the_limit
        )
        aws_errors.note_endpoint(client.meta.endpoint_url)  # a local one changes the key hint
        return client


def utc_timestamp(value: Any) -> datetime:
    """Timestamps parsed straight to UTC, the zone pdj prints.

    botocore's default parser gives datetimes in the machine's zone through dateutil's tzlocal,
    whose every conversion asks the C library again: converting them back to UTC cost a batch of
    1,000 jobs about a quarter of its main thread. The instants are the same either way.
    """
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    from botocore.utils import parse_timestamp

    return parse_timestamp(value).astimezone(timezone.utc)


def _give_up_on_refused(attempts: int, caught_exception: Exception | None, **_: Any) -> None:
    """Stop retrying a refused connection early (see REFUSED_CONNECTION_ATTEMPTS).

    A needs-retry handler cannot veto botocore's retry decision portably, but an exception it
    raises ends the call, so the connection error is re-raised once the small budget is spent.
    """
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, SSLError

    if isinstance(caught_exception, SSLError):
        raise caught_exception  # a TLS handshake that failed fails the same way every time
    refused = (EndpointConnectionError, ConnectTimeoutError)
    if isinstance(caught_exception, refused) and attempts >= REFUSED_CONNECTION_ATTEMPTS:
        raise caught_exception


def _no_retry_at_the_limit(response: Any, operation: Any = None, **_: Any) -> None:
    """A create refused for the group's five-PENDING limit is not retried.

    botocore counts LimitExceededException as throttling and retries it with backoff; a full
    group does not empty in seconds, so that only delays the answer (`pdj create` lists the
    group instead, or waits with --wait-for-slot). Raising ends the call with botocore's own
    error for the answer.
    """
    if not response:
        return
    parsed = response[1]
    if parsed.get("Error", {}).get("Code") == "LimitExceededException":
        from botocore.exceptions import ClientError

        raise ClientError(parsed, "CreateDataDeletionJob")
