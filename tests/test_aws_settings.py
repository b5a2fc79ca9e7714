"""AWS settings a user types or sets are checked before botocore sees them, naming their source."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdj_cli.aws_settings import (
    check_endpoint_url,
    check_region,
    check_retry_settings,
    endpoint_in_effect,
)
from pdj_cli.errors import ExitCode, InvalidInputError


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("notaurl", "no scheme"),
        ("", "empty"),
        ("   ", "empty"),
        ("http://127.0.0.1:99999", "Port out of range"),
        ("http://127.0.0.1:port", "Port"),
        ("ftp://x", "the scheme 'ftp'"),
        ("http://[::1", "Invalid IPv6 URL"),
        ("http://", "no host"),
        ("http:///path", "no host"),
        ("http://host name", "whitespace"),
        (" http://localhost:4566", "whitespace"),
        ("http://localhost:0", "port 0"),
    ],
)
def test_a_malformed_endpoint_is_exit_2_naming_its_source(url, reason):
    with pytest.raises(InvalidInputError) as error:
        check_endpoint_url(url, "AWS_ENDPOINT_URL")
    assert error.value.exit_code == ExitCode.USAGE
    assert error.value.configuration  # a batch stops with one line
    assert f"{url!r} (AWS_ENDPOINT_URL)" in error.value.message
    assert reason in error.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:4566",
        "https://personalize.us-east-1.amazonaws.com",
        "http://[::1]:8080/",
        "http://localhost",
        "https://vpce-1.personalize.us-east-1.vpce.amazonaws.com/prefix",
    ],
)
def test_well_formed_endpoints_pass(url):
    check_endpoint_url(url, "--endpoint-url")


@given(st.text())
def test_any_endpoint_text_passes_or_is_invalid_input(url):
    with contextlib.suppress(InvalidInputError):  # anything else would fail the test
        check_endpoint_url(url, "--endpoint-url")


def test_the_endpoint_in_effect_follows_botocores_order():
    config = {"endpoint_url": "http://from-config"}
    both = {"AWS_ENDPOINT_URL_PERSONALIZE": "http://service", "AWS_ENDPOINT_URL": "http://all"}
    assert endpoint_in_effect("http://flag", config, both) == ("http://flag", "--endpoint-url")
    assert endpoint_in_effect(None, config, both) == (
        "http://service",
        "AWS_ENDPOINT_URL_PERSONALIZE",
    )
    assert endpoint_in_effect(None, config, {"AWS_ENDPOINT_URL": "x"}) == ("x", "AWS_ENDPOINT_URL")
    assert endpoint_in_effect(None, config, {})[1] == "endpoint_url in the AWS config file"
    assert endpoint_in_effect(None, {}, {}) is None
    ignored = {**both, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}
    assert endpoint_in_effect(None, config, ignored) is None


@pytest.mark.parametrize("region", ["x y", "", "us_east_1", "-us-east-1", "a" * 64, "eu-west-1\n"])
def test_a_region_botocore_would_refuse_is_exit_2(region):
    with pytest.raises(InvalidInputError, match=r"invalid region .* \(--region\)"):
        check_region(region, "--region")


@given(st.from_regex(r"[a-z]{2}(-[a-z]{1,10}){1,3}-[0-9]", fullmatch=True))
def test_region_names_like_aws_pass(region):
    check_region(region, "--region")


@pytest.mark.parametrize(
    ("env", "config", "expected"),
    [
        ({"AWS_MAX_ATTEMPTS": "abc"}, {}, "invalid AWS_MAX_ATTEMPTS 'abc'"),
        ({"AWS_MAX_ATTEMPTS": "1.5"}, {}, "invalid AWS_MAX_ATTEMPTS '1.5'"),
        ({"AWS_MAX_ATTEMPTS": "0"}, {}, "at least 1"),
        ({}, {"max_attempts": "many"}, "invalid max_attempts in the AWS config file 'many'"),
        ({"AWS_RETRY_MODE": "bogus"}, {}, "invalid AWS_RETRY_MODE 'bogus': choose from"),
        ({}, {"retry_mode": "fast"}, "invalid retry_mode in the AWS config file 'fast'"),
    ],
)
def test_retry_settings_botocore_cannot_read_are_exit_2(env, config, expected):
    with pytest.raises(InvalidInputError) as error:
        check_retry_settings(config, env)
    assert expected in error.value.message
    assert error.value.exit_code == ExitCode.USAGE


def test_empty_variables_count_as_unset_as_botocore_reads_them():
    config = {"endpoint_url": "http://from-config"}
    env = {"AWS_ENDPOINT_URL_PERSONALIZE": "", "AWS_ENDPOINT_URL": "http://all"}
    assert endpoint_in_effect(None, config, env) == ("http://all", "AWS_ENDPOINT_URL")
    assert endpoint_in_effect(None, {"endpoint_url": ""}, {"AWS_ENDPOINT_URL": ""}) is None
    check_retry_settings({}, {"AWS_MAX_ATTEMPTS": "", "AWS_RETRY_MODE": ""})
    with pytest.raises(InvalidInputError, match="max_attempts in the AWS config file"):
        check_retry_settings({"max_attempts": "x"}, {"AWS_MAX_ATTEMPTS": ""})


def test_good_retry_settings_pass_and_the_variable_wins_over_the_config():
    check_retry_settings({"max_attempts": "bad"}, {"AWS_MAX_ATTEMPTS": "3"})
    check_retry_settings({"retry_mode": "adaptive"}, {})
    check_retry_settings({}, {"AWS_MAX_ATTEMPTS": "10", "AWS_RETRY_MODE": "standard"})
