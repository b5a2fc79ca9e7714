"""The model loader that skips botocore's scan of every service gives botocore's own answers."""

from __future__ import annotations

import json
import threading
import types
from pathlib import Path

import botocore.loaders
import pytest
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.loaders import Loader
from typer.testing import CliRunner

from pdj_cli.cli import app
from pdj_cli.emulator import DEMO_GROUP_ARN, DEMO_JOB_ARN, Emulator
from pdj_cli.entry import main
from pdj_cli.model_loader import ServiceModelLoader, create_loader
from pdj_cli.service import JobService


def write_extras(data_path: Path, text: str) -> None:
    """A personalize sdk-extras file for the latest API version, under an AWS_DATA_PATH folder."""
    version = Loader().determine_latest_version("personalize", "service-2")
    folder = data_path / "personalize" / version
    folder.mkdir(parents=True)
    (folder / "service-2.sdk-extras.json").write_text(text)


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
    extras = {"merge": {"metadata": {"pdjTestMarker": "extras applied"}}}
    write_extras(tmp_path, json.dumps(extras))
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


# -- a botocore whose private hooks changed ------------------------------------------------------
# The shortcut uses two private parts of botocore's Loader: `_find_extras` (a method) and
# `_extras_processor` (set by Loader.__init__). A botocore release may rename or change them;
# its own load_service_model then still works, under the new names, and pdj must not break.


def _rename_hooks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """botocore after a rename: the names pdj uses are gone, botocore's own method still works."""
    find_extras = Loader._find_extras
    botocores_method = Loader.load_service_model
    botocores_init = Loader.__init__
    lock = threading.Lock()
    loaded_by_botocore: list[tuple[str, ...]] = []

    def init_without_hooks(self, *args, **kwargs):
        botocores_init(self, *args, **kwargs)
        self._renamed_extras_processor = self.__dict__.pop("_extras_processor")

    def botocores_method_after_the_rename(self, *args, **kwargs):
        with lock:  # it lends the hooks back for its own call only; batch loads from threads
            loaded_by_botocore.append(args)
            self._find_extras = types.MethodType(find_extras, self)
            self._extras_processor = self._renamed_extras_processor
            try:
                return botocores_method(self, *args, **kwargs)
            finally:
                del self._find_extras, self._extras_processor

    monkeypatch.delattr(Loader, "_find_extras")
    monkeypatch.setattr(Loader, "__init__", init_without_hooks)
    monkeypatch.setattr(Loader, "load_service_model", botocores_method_after_the_rename)
    return loaded_by_botocore


def _fail_hook(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[str, ...]]:
    """botocore after a change of signature: pdj's calls to a private hook raise.

    `_find_extras` on the Loader, or `process` on the Loader's `_extras_processor`.
    """
    owner = Loader if name == "_find_extras" else botocore.loaders.ExtrasProcessor
    hook = getattr(owner, name)
    botocores_method = Loader.load_service_model
    calls_from_botocore = threading.local()
    loaded_by_botocore: list[tuple[str, ...]] = []

    def hook_with_a_new_signature(self, *args, **kwargs):
        if not getattr(calls_from_botocore, "active", False):
            raise TypeError(f"{name}() takes 3 positional arguments but 4 were given")
        return hook(self, *args, **kwargs)

    def botocores_own_call(self, *args, **kwargs):
        calls_from_botocore.active = True
        loaded_by_botocore.append(args)
        try:
            return botocores_method(self, *args, **kwargs)
        finally:
            calls_from_botocore.active = False

    monkeypatch.setattr(owner, name, hook_with_a_new_signature)
    monkeypatch.setattr(Loader, "load_service_model", botocores_own_call)
    return loaded_by_botocore


@pytest.fixture
def renamed_hooks(monkeypatch):
    return _rename_hooks(monkeypatch)


@pytest.fixture(params=["_find_extras", "process"])
def failing_hooks(request, monkeypatch):
    return _fail_hook(monkeypatch, request.param)


@pytest.fixture(params=["renamed", "_find_extras fails", "process fails"])
def changed_hooks(request, monkeypatch):
    """What botocore's own method loaded, under each change."""
    if request.param == "renamed":
        return _rename_hooks(monkeypatch)
    return _fail_hook(monkeypatch, request.param.split()[0])


@pytest.fixture(scope="module")
def botocores_models():
    """The models botocore's own loader gives, read before any test changes botocore."""
    types_ = ("service-2", "endpoint-rule-set-1", "paginators-1")
    return {name: Loader().load_service_model("personalize", name) for name in types_}


def test_with_renamed_hooks_it_loads_the_same_model_as_botocore(botocores_models, renamed_hooks):
    assert not hasattr(Loader, "_find_extras")
    assert not hasattr(ServiceModelLoader(), "_extras_processor")
    for type_name, model in botocores_models.items():
        assert ServiceModelLoader().load_service_model("personalize", type_name) == model
    assert len(renamed_hooks) == len(botocores_models)  # each one through botocore's method


def test_with_failing_hooks_it_loads_the_same_model_as_botocore(botocores_models, failing_hooks):
    for type_name, model in botocores_models.items():
        assert ServiceModelLoader().load_service_model("personalize", type_name) == model
    assert len(failing_hooks) == len(botocores_models)


def test_with_changed_hooks_the_sdk_extras_are_still_applied(changed_hooks, tmp_path: Path):
    extras = {"merge": {"metadata": {"pdjTestMarker": "extras applied"}}}
    write_extras(tmp_path, json.dumps(extras))
    model = create_loader(str(tmp_path)).load_service_model("personalize", "service-2")
    assert model["metadata"]["pdjTestMarker"] == "extras applied"


def test_with_changed_hooks_errors_are_still_botocores(changed_hooks):
    with pytest.raises(UnknownServiceError):
        ServiceModelLoader().load_service_model("personalise", "service-2")
    with pytest.raises(DataNotFoundError):
        ServiceModelLoader().load_service_model("personalize", "service-2", "1999-01-01")


def test_a_broken_extras_file_raises_botocores_own_error(tmp_path: Path):
    """The fallback is botocore's method, so its error is the one botocore raises."""
    write_extras(tmp_path, '{"merge": ')
    with pytest.raises(ValueError) as ours:
        create_loader(str(tmp_path)).load_service_model("personalize", "service-2")
    with pytest.raises(ValueError) as theirs:
        botocore.loaders.create_loader(str(tmp_path)).load_service_model("personalize", "service-2")
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_a_loader_that_cannot_be_built_gives_botocores_plain_loader(monkeypatch, tmp_path):
    def changed_constructor(self, *args, **kwargs):
        raise TypeError("__init__() got an unexpected keyword argument 'extra_search_paths'")

    monkeypatch.setattr(ServiceModelLoader, "__init__", changed_constructor)
    loader = create_loader(str(tmp_path))
    assert type(loader) is Loader
    assert loader.search_paths[0] == str(tmp_path)


def test_the_service_falls_back_to_botocores_loader_if_pdjs_cannot_be_made(monkeypatch):
    def broken(search_path_string):
        raise AttributeError("module 'botocore.loaders' has no attribute 'create_loader'")

    monkeypatch.setattr("pdj_cli.model_loader.create_loader", broken)
    service = JobService()
    client = service.client_for("us-east-1")
    assert client.meta.service_model.service_name == "personalize"
    assert type(service.session.get_component("data_loader")) is Loader


# -- every AWS command, in-process (a subprocess would not see the patched botocore) ---------------

OLD_JOB = "arn:aws:personalize:us-east-1:123456789012:data-deletion-job/demo-erasure-2026-10"


@pytest.fixture
def emulated_aws(monkeypatch):
    emulator = Emulator().start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", emulator.endpoint_url)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    yield emulator
    emulator.stop()


@pytest.mark.parametrize(
    "args",
    [
        ["describe", OLD_JOB],  # typer's describe; the fast path's is tested below
        ["list", "--dataset-group-arn", DEMO_GROUP_ARN],
        ["watch", OLD_JOB, "--interval", "0.1", "-o", "jsonl"],
        ["batch", DEMO_JOB_ARN, OLD_JOB, "-o", "json"],
    ],
    ids=["describe", "list", "watch", "batch"],
)
def test_every_aws_command_works_with_changed_hooks(changed_hooks, emulated_aws, args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert ("personalize", "service-2") in [call[:2] for call in changed_hooks]


def test_the_fast_path_describe_works_with_changed_hooks(changed_hooks, emulated_aws, capsys):
    assert main(["describe", OLD_JOB]) == 0
    assert json.loads(capsys.readouterr().out)["dataDeletionJob"]["dataDeletionJobArn"] == OLD_JOB
    assert ("personalize", "service-2") in [call[:2] for call in changed_hooks]
