"""Fixtures for the emulator's tests: a running emulator on a manual clock, clients, raw HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import botocore.session
import pytest
from botocore.config import Config

from pdj_cli.emulator import Emulator, ManualClock

from .helpers import EPOCH


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No test can read the developer's AWS setup or reach a real account."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_PERSONALIZE",
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emu(clock: ManualClock) -> Iterator[Emulator]:
    with Emulator(clock=clock, epoch=EPOCH) as emulator:
        yield emulator


ClientFactory = Callable[..., Any]


@pytest.fixture(scope="session")
def botocore_session() -> Any:
    return botocore.session.get_session()  # shared: loading the service model once saves time


@pytest.fixture
def make_client(botocore_session: Any) -> Iterator[ClientFactory]:
    """make_client(emulator, region="us-east-1", attempts=1): a real botocore client."""
    clients: list[Any] = []

    def make(
        emulator: Emulator, region: str = "us-east-1", attempts: int = 1, **config: Any
    ) -> Any:
        client = botocore_session.create_client(
            "personalize",
            region_name=region,
            endpoint_url=emulator.endpoint_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(
                retries={"mode": "standard", "total_max_attempts": attempts},
                connect_timeout=2,
                read_timeout=5,
                **config,
            ),
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(emu: Emulator, make_client: ClientFactory) -> Any:
    return make_client(emu)


@pytest.fixture(scope="session")
def service_model(botocore_session: Any) -> Any:
    return botocore_session.get_service_model("personalize")
