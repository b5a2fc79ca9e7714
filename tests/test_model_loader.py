"""The model loader that skips botocore's scan of every service gives botocore's own answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.loaders import Loader

from pdj_cli.model_loader import ServiceModelLoader, create_loader
from pdj_cli.service import JobService


@pytest.mark.parametrize("type_name", ["service-2", "endpoint-rule-set-1", "paginators-1"])
def test_it_loads_the_same_models_as_botocore(type_name):
    assert ServiceModelLoader().load_service_model("personalize", type_name) == (
        Loader().load_service_model("personalize", type_name)
    )


def test_a_known_service_is_loaded_without_listing_every_service(mocker):
    loader = ServiceModelLoader()
    listing = mocker.spy(loader, "list_available_services")
    loader.load_service_model("personalize", "service-2")
    loader.load_service_model("sts", "service-2")  # credential providers make sts clients
    assert listing.call_count == 0


def test_an_unknown_service_raises_botocores_own_error():
    with pytest.raises(UnknownServiceError) as ours:
        ServiceModelLoader().load_service_model("personalise", "service-2")
    with pytest.raises(UnknownServiceError) as theirs:
        Loader().load_service_model("personalise", "service-2")
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("name", ["personalize/../sts", "..", "Personalize", ""])
def test_a_name_that_is_not_a_plain_service_name_gets_botocores_check(name):
    """A path, or another letter case (which a case-insensitive disk would find)."""
    with pytest.raises(UnknownServiceError) as ours:
        ServiceModelLoader().load_service_model(name, "service-2")
    with pytest.raises(UnknownServiceError) as theirs:
        Loader().load_service_model(name, "service-2")
    assert str(ours.value) == str(theirs.value)


def test_a_missing_api_version_raises_data_not_found():
    with pytest.raises(DataNotFoundError):
        ServiceModelLoader().load_service_model("personalize", "service-2", "1999-01-01")


def test_the_sdk_extras_are_applied_as_botocore_applies_them(tmp_path: Path):
    version = Loader().determine_latest_version("personalize", "service-2")
    folder = tmp_path / "personalize" / version
    folder.mkdir(parents=True)
    extras = {"merge": {"metadata": {"pdjTestMarker": "extras applied"}}}
    (folder / "service-2.sdk-extras.json").write_text(json.dumps(extras))
    model = create_loader(str(tmp_path)).load_service_model("personalize", "service-2")
    assert model["metadata"]["pdjTestMarker"] == "extras applied"
    assert model["metadata"]["serviceId"] == "Personalize"


def test_aws_data_path_folders_come_first(tmp_path: Path, monkeypatch):
    """A model under AWS_DATA_PATH replaces botocore's own, as it does with botocore's loader."""
    first, second = tmp_path / "first", tmp_path / "second"
    for root, marker in ((first, "first"), (second, "second")):
        folder = root / "personalize" / "2018-05-22"
        folder.mkdir(parents=True)
        model = Loader().load_service_model("personalize", "service-2")
        model["metadata"]["pdjTestMarker"] = marker
        (folder / "service-2.json").write_text(json.dumps(model))
    monkeypatch.setenv("AWS_DATA_PATH", f"{first}:{second}")
    client = JobService().client_for("us-east-1")
    assert client.meta.service_model.metadata["pdjTestMarker"] == "first"


def test_the_service_uses_it_for_every_client():
    service = JobService()
    service.client_for("us-east-1")
    loader = service.session.get_component("data_loader")
    assert isinstance(loader, ServiceModelLoader)
    service.client_for("eu-west-1")
    assert service.session.get_component("data_loader") is loader  # its cache serves both
