"""The hint after a credentials error: dummy keys for a local endpoint, `aws configure` else."""

from __future__ import annotations

import botocore.exceptions
import pytest

from pdj_cli import aws_errors
from pdj_cli.aws_errors import CONFIGURE_HINT, translate_error

DUMMY_KEYS = "export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"


@pytest.fixture(autouse=True)
def _no_endpoints():
    aws_errors.forget_endpoints()
    yield
    aws_errors.forget_endpoints()


def hint_for(error: Exception) -> str | None:
    translated = translate_error(error)
    assert translated is not None
    return translated.hint


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:4599",
        "http://localhost:4566",
        "http://[::1]:4599",
        "http://127.0.0.2:80",
        "http://moto.localhost:5000",
    ],
)
def test_a_local_endpoint_gets_the_dummy_keys_hint(endpoint: str):
    aws_errors.note_endpoint(endpoint)
    hint = hint_for(botocore.exceptions.NoCredentialsError())
    assert hint == f"the endpoint {endpoint} is local, where any keys do: {DUMMY_KEYS}"
    retrieval = botocore.exceptions.CredentialRetrievalError(provider="p", error_msg="x")
    assert DUMMY_KEYS in (hint_for(retrieval) or "")


@pytest.mark.parametrize(
    "endpoints",
    [
        [],
        ["https://personalize.us-east-1.amazonaws.com"],
        ["http://127.0.0.1:4599", "https://personalize.eu-west-1.amazonaws.com"],
        ["http://10.0.0.5:4599"],
    ],
)
def test_aws_itself_gets_aws_configure(endpoints: list[str]):
    for endpoint in endpoints:
        aws_errors.note_endpoint(endpoint)
    assert hint_for(botocore.exceptions.NoCredentialsError()) == CONFIGURE_HINT
