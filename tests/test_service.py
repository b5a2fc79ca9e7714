"""The service over a real botocore client: Stubber checks every request and response shape."""

from __future__ import annotations

import socket

import botocore.session
import pytest
from botocore.stub import Stubber

from pdj_cli.arns import parse_dataset_group_arn, parse_job_arn
from pdj_cli.errors import AwsError, ExitCode, InvalidInputError, JobNotFoundError
from pdj_cli.service import DEFAULT_MAX_ATTEMPTS, REFUSED_CONNECTION_ATTEMPTS, JobService
from tests.factories import GROUP, api_job, job_arn, summary

ARN = parse_job_arn(job_arn())


@pytest.fixture
def service() -> JobService:
    return JobService(session=botocore.session.Session())


@pytest.fixture
def stubbed(service: JobService):
    """A Stubber on the us-east-1 client; every stubbed response must be used."""
    with Stubber(service.client_for("us-east-1")) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_describe_sends_the_arn_and_returns_a_job(service, stubbed):
    stubbed.add_response(
        "describe_data_deletion_job",
        {"dataDeletionJob": api_job()},
        expected_params={"dataDeletionJobArn": ARN.text},
    )
    job = service.describe(ARN)
    assert job.name == "erase-42"
    assert job.status == "COMPLETED"
    assert job.num_deleted == 1200


@pytest.mark.parametrize(
    ("code", "status", "error_type", "exit_code", "transient"),
    [
        ("ResourceNotFoundException", 400, JobNotFoundError, ExitCode.NOT_FOUND, False),
        ("InvalidInputException", 400, InvalidInputError, ExitCode.USAGE, False),
        ("AccessDeniedException", 400, AwsError, ExitCode.AWS_ERROR, False),
        ("UnrecognizedClientException", 400, AwsError, ExitCode.AWS_ERROR, False),
        ("ExpiredTokenException", 400, AwsError, ExitCode.AWS_ERROR, False),
        ("ThrottlingException", 400, AwsError, ExitCode.AWS_ERROR, True),
        ("InternalFailure", 500, AwsError, ExitCode.AWS_ERROR, True),
        ("ServiceUnavailable", 503, AwsError, ExitCode.AWS_ERROR, True),
    ],
)
def test_service_errors_become_pdj_errors_with_the_service_code(
    service, stubbed, code, status, error_type, exit_code, transient
):
    stubbed.add_client_error(
        "describe_data_deletion_job",
        service_error_code=code,
        service_message="details from the service",
        http_status_code=status,
        expected_params={"dataDeletionJobArn": ARN.text},
    )
    with pytest.raises(error_type) as caught:
        service.describe(ARN)
    assert caught.value.code == code
    assert caught.value.exit_code == exit_code
    assert getattr(caught.value, "transient", False) is transient
    assert "\n" not in caught.value.message


def test_credential_and_access_errors_carry_a_hint(service, stubbed):
    stubbed.add_client_error("describe_data_deletion_job", "AccessDeniedException", "no")
    with pytest.raises(AwsError) as caught:
        service.describe(ARN)
    assert "personalize:DescribeDataDeletionJob" in caught.value.hint


def test_list_reads_every_page_passing_each_token_back(service, stubbed):
    group = parse_dataset_group_arn(GROUP)
    pages = [
        ([summary("c"), summary("b")], "token-1"),
        ([summary("a", status="FAILED")], "token-2"),
        ([], None),
    ]
    token = None
    for jobs, next_token in pages:
        expected = {"datasetGroupArn": GROUP, "maxResults": 100}
        if token:
            expected["nextToken"] = token
        response = {"dataDeletionJobs": jobs}
        if next_token:
            response["nextToken"] = next_token
        stubbed.add_response("list_data_deletion_jobs", response, expected_params=expected)
        token = next_token
    result = list(service.iter_job_pages(group))
    assert [[job.name for job in page] for page in result] == [["c", "b"], ["a"], []]
    assert result[1][0].failure_reason == "Access denied to s3://bucket"


def test_list_without_a_group_lists_the_region(service, stubbed, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    stubbed.add_response(
        "list_data_deletion_jobs",
        {"dataDeletionJobs": [summary()]},
        expected_params={"maxResults": 100},
    )
    assert [job.name for page in service.iter_job_pages() for job in page] == ["erase-42"]


def test_an_error_on_a_later_page_is_translated_too(service, stubbed):
    stubbed.add_response(
        "list_data_deletion_jobs", {"dataDeletionJobs": [summary()], "nextToken": "t"}
    )
    stubbed.add_client_error("list_data_deletion_jobs", "InvalidNextTokenException", "bad")
    pages = service.iter_job_pages(parse_dataset_group_arn(GROUP))
    assert len(next(pages)) == 1
    with pytest.raises(AwsError) as caught:
        next(pages)
    assert caught.value.code == "InvalidNextTokenException"


# -- regions ---------------------------------------------------------------------------------


def test_region_explicit_option_wins_over_the_arn(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert JobService(region="eu-west-1").resolve_region("us-east-1") == "eu-west-1"


def test_region_of_the_arn_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert JobService().resolve_region("us-east-1") == "us-east-1"


def test_region_falls_back_to_aws_region_then_aws_default_region(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert JobService().resolve_region(None) == "eu-central-1"
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert JobService().resolve_region(None) == "ap-south-1"


def test_region_falls_back_to_the_profile(isolated_aws, monkeypatch):
    (isolated_aws / "config").write_text("[profile work]\nregion = sa-east-1\n")
    assert JobService(profile="work").resolve_region(None) == "sa-east-1"


def test_no_region_anywhere_is_an_aws_error_with_a_hint():
    with pytest.raises(AwsError) as caught:
        JobService().resolve_region(None)
    assert caught.value.exit_code == ExitCode.AWS_ERROR
    assert "--region" in caught.value.hint


def test_an_unknown_profile_is_invalid_input(isolated_aws):
    with pytest.raises(InvalidInputError, match="'nope' does not exist"):
        JobService(profile="nope").client_for("us-east-1")


def test_one_client_per_region_created_once():
    service = JobService()
    east = service.client_for("us-east-1")
    assert service.client_for("us-east-1") is east
    west = service.client_for("eu-west-1")
    assert west is not east
    assert west.meta.region_name == "eu-west-1"


# -- retries ---------------------------------------------------------------------------------


def test_default_retries_are_standard_mode_with_a_generous_budget():
    retries = JobService().client_for("us-east-1").meta.config.retries
    assert retries == {"total_max_attempts": DEFAULT_MAX_ATTEMPTS, "mode": "standard"}


def test_environment_retry_settings_win(monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    retries = JobService().client_for("us-east-1").meta.config.retries
    assert retries == {"total_max_attempts": 3, "mode": "adaptive"}


def test_profile_retry_settings_win(isolated_aws):
    (isolated_aws / "config").write_text("[default]\nmax_attempts = 4\nretry_mode = legacy\n")
    retries = JobService().client_for("us-east-1").meta.config.retries
    assert retries == {"total_max_attempts": 4, "mode": "legacy"}


def test_a_refused_connection_gives_up_after_a_few_attempts(monkeypatch):
    import botocore.endpoint

    monkeypatch.setattr(botocore.endpoint.time, "sleep", lambda seconds: None)
    with socket.socket() as probe:  # held, never listening: once freed, anyone may serve it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        service = JobService(endpoint_url=f"http://127.0.0.1:{port}")
        client = service.client_for("us-east-1")
        attempts = []
        client.meta.events.register("before-send", lambda **kwargs: attempts.append(1))
        with pytest.raises(AwsError) as caught:
            service.describe(ARN)
    assert caught.value.code == "EndpointConnectionError"
    assert caught.value.transient
    assert len(attempts) == REFUSED_CONNECTION_ATTEMPTS


def test_missing_credentials_are_an_aws_error_with_the_configure_hint(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(AwsError) as caught:
        JobService().describe(ARN)
    assert caught.value.code == "NoCredentials"
    assert "aws configure" in caught.value.hint


@pytest.mark.parametrize(
    ("code", "configuration"),
    [
        ("UnrecognizedClientException", True),
        ("ExpiredTokenException", True),
        ("AccessDeniedException", False),  # may be one job's resource policy
        ("ResourceNotFoundException", False),
        ("ThrottlingException", False),
    ],
)
def test_setup_errors_are_marked_as_configuration(service, stubbed, code, configuration):
    stubbed.add_client_error("describe_data_deletion_job", code, "details")
    with pytest.raises(Exception) as caught:
        service.describe(ARN)
    assert caught.value.configuration is configuration


def test_missing_credentials_are_a_configuration_error(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(AwsError) as caught:
        JobService().describe(ARN)
    assert caught.value.configuration


@pytest.mark.parametrize(
    ("wire", "iso"),
    [
        (1780243717.123, "2026-05-31T16:08:37.123000+00:00"),
        (1780243717, "2026-05-31T16:08:37+00:00"),
        ("2026-05-31T16:08:37.123Z", "2026-05-31T16:08:37.123000+00:00"),
        ("2026-05-31T18:08:37+02:00", "2026-05-31T16:08:37+00:00"),
    ],
)
def test_timestamps_are_parsed_straight_to_utc(wire, iso):
    from pdj_cli.service import utc_timestamp

    parsed = utc_timestamp(wire)
    assert parsed.utcoffset().total_seconds() == 0
    assert parsed.isoformat() == iso


def test_the_service_session_parses_timestamps_to_utc():
    from datetime import timezone

    session = JobService().session
    model = session.get_service_model("personalize")
    shape = model.operation_model("DescribeDataDeletionJob").output_shape
    body = b'{"dataDeletionJob": {"dataDeletionJobArn": "a", "creationDateTime": 1780243717.5}}'
    parser = session.get_component("response_parser_factory").create_parser("json")
    parsed = parser.parse({"status_code": 200, "headers": {}, "body": body}, shape)
    created = parsed["dataDeletionJob"]["creationDateTime"]
    assert created.tzinfo is timezone.utc  # not the machine's zone (dateutil's tzlocal)
    assert created.isoformat() == "2026-05-31T16:08:37.500000+00:00"


# -- a client that cannot be made ------------------------------------------------------------


def test_a_client_that_cannot_be_made_is_a_configuration_error(monkeypatch):
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")  # a key ID without its secret
    with pytest.raises(AwsError) as caught:
        JobService().client_for("us-east-1")
    assert caught.value.code == "PartialCredentialsError"
    assert caught.value.configuration  # a batch stops once instead of failing every ARN


# -- secrets for the debug log ---------------------------------------------------------------


def test_secret_values_are_those_of_the_credentials_in_use(monkeypatch):
    monkeypatch.setenv("AWS_SESSION_TOKEN", "token-123")
    service = JobService()
    assert service.secret_values() == []  # no client yet: nothing resolved, nothing to leak
    service.client_for("us-east-1")
    assert service.secret_values() == ["testing-secret", "token-123"]


def _refreshable(refresh):
    from botocore.credentials import DeferredRefreshableCredentials

    return DeferredRefreshableCredentials(refresh_using=refresh, method="assume-role")


def _fresh(secret: str) -> dict[str, str]:
    from datetime import datetime, timedelta, timezone

    expiry = datetime.now(timezone.utc) + timedelta(hours=1)
    return {
        "access_key": "ASIAEXAMPLE",
        "secret_key": secret,
        "token": f"token-of-{secret}",
        "expiry_time": expiry.isoformat(),
    }


def test_secret_values_never_start_a_refresh(mocker):
    refresh = mocker.Mock(return_value=_fresh("first"))
    credentials = _refreshable(refresh)
    service = JobService()
    mocker.patch.object(service.session, "get_credentials", return_value=credentials)
    service.client_for("us-east-1")
    assert service.secret_values() == []  # a refresh is due (deferred): the last values, none
    assert refresh.call_count == 0
    credentials.get_frozen_credentials()  # the first request refreshes them
    assert service.secret_values() == ["first", "token-of-first"]
    assert refresh.call_count == 1


def test_the_debug_log_does_not_hang_while_botocore_logs_a_refresh(mocker, monkeypatch):
    """botocore logs from inside a refresh, under a lock that is not re-entrant."""
    import io
    import logging
    import threading

    from pdj_cli.debuglog import enable_wire_log

    def refresh() -> dict[str, str]:
        logging.getLogger("botocore.credentials").warning("refreshing credentials")
        return _fresh("second")

    credentials = _refreshable(refresh)
    service = JobService()
    mocker.patch.object(service.session, "get_credentials", return_value=credentials)
    service.client_for("us-east-1")
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    loggers = [logging.getLogger(name) for name in ("botocore", "urllib3")]
    saved = [(logger.level, list(logger.handlers), logger.propagate) for logger in loggers]
    try:
        enable_wire_log(service.secret_values)
        worker = threading.Thread(target=credentials.get_frozen_credentials, daemon=True)
        worker.start()
        worker.join(timeout=30)  # a deadlock never ends; a refresh takes microseconds
        assert not worker.is_alive(), "the refresh deadlocked in the debug log"
        assert "refreshing credentials" in stderr.getvalue()
        logging.getLogger("botocore.endpoint").debug("sent with token-of-second")
        assert "token-of-second" not in stderr.getvalue()
    finally:
        for logger, (level, handlers, propagate) in zip(loggers, saved, strict=True):
            logger.setLevel(level)
            logger.handlers[:] = handlers
            logger.propagate = propagate


# -- counting requests (batch --debug) -----------------------------------------------------------


def test_requests_are_counted_only_when_asked_for(service):
    assert service.request_counter is None
    answers = service.session.emit("before-send.personalize.DescribeDataDeletionJob", request=None)
    assert answers == []  # no handler on the requests at all


@pytest.mark.parametrize("own_session", [True, False])
def test_every_client_counts_its_requests_by_operation(own_session):
    session = botocore.session.Session() if own_session else None
    service = JobService(session=session, count_requests=True)
    events = service.client_for("us-east-1").meta.events  # the client copies the session's
    for operation in ("DescribeDataDeletionJob", "ListDataDeletionJobs", "ListDataDeletionJobs"):
        events.emit(f"before-send.personalize.{operation}", request=None)
    assert service.request_counter is not None
    assert service.request_counter.summary() == (
        "3 requests (DescribeDataDeletionJob 1, ListDataDeletionJobs 2)"
    )
