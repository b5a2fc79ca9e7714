"""Isolation for every test: no real AWS configuration, credentials or terminal quirks."""

from __future__ import annotations

import pytest

# pytester: tests of pdj's pytest plugin run pytest on test files of their own. The plugin is
# named here as well as by its entry point, as a user's conftest may do.
pytest_plugins = ["pytester", "pdj_cli.pytest_plugin"]

_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_PERSONALIZE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "PDJ_OUTPUT",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    # GitHub Actions sets these: pdj's own tests run there must not switch GitHub mode on.
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "PDJ_CI",
)


@pytest.fixture(autouse=True)
def isolated_aws(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test runs with dummy keys, empty AWS config files and no metadata service.

    No test can reach a real AWS account, nor depend on the developer's own setup.
    """
    home = tmp_path_factory.mktemp("aws-home")
    for name in _AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TZ", "UTC")
    # The ARN cache: off unless a test turns it on, and never the developer's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("PDJ_NO_CACHE", "1")
    return home
