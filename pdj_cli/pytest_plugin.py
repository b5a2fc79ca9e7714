"""pdj's pytest plugin: the `personalize_emulator` fixture runs pdj's Personalize emulator for a
test and points the test's AWS environment at it. docs/emulator.md has the guide.

Registered through the `pytest11` entry point under this module's name, so naming it in
`pytest_plugins` as well is no second registration. Importing it costs nothing beyond pytest:
the emulator (and boto3, for `client()`) are imported when a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .emulator_fixture import PersonalizeEmulator

MARKER = "personalize_emulator"
MARKER_HELP = (
    "personalize_emulator(scenario=None, *, jobs=None, region=None, clock='manual', faults=None, "
    "**emulator_options): how pdj's personalize_emulator fixture starts the emulator for this "
    "test: the sample set, a scenario file (relative to the test file) or the given jobs"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: {MARKER_HELP}")


@pytest.fixture
def personalize_emulator_factory(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., PersonalizeEmulator]]:
    """Starts emulators in a test: `personalize_emulator_factory(scenario, jobs=..., ...)` takes
    the marker's options and returns a PersonalizeEmulator. With `environment=True` (default)
    the environment points at the one started last; `environment=False` leaves it alone. Every
    emulator is stopped and the environment restored at the end of the test, failed or not."""
    from .emulator_fixture import forget_boto3_default_session, start_personalize_emulator

    started: list[PersonalizeEmulator] = []
    restore_boto3: list[Callable[[], None]] = []

    def start(scenario: Any = None, *, environment: bool = True, **options: Any) -> Any:
        options.setdefault("base_dir", request.path.parent)
        config_dir = tmp_path_factory.mktemp("personalize-emulator")
        handle = start_personalize_emulator(scenario, config_dir=config_dir, **options)
        started.append(handle)
        if environment:
            for name in handle.unset_variables:
                monkeypatch.delenv(name, raising=False)
            for name, value in handle.env.items():
                monkeypatch.setenv(name, value)
            if not restore_boto3:
                restore_boto3.append(forget_boto3_default_session())
        return handle

    try:
        yield start
    finally:
        for handle in reversed(started):
            handle.stop()
        for restore in restore_boto3:
            restore()


@pytest.fixture
def personalize_emulator(
    request: pytest.FixtureRequest,
    personalize_emulator_factory: Callable[..., PersonalizeEmulator],
) -> PersonalizeEmulator:
    """pdj's Personalize emulator, running for this test on a free port of 127.0.0.1, with the
    environment pointed at it: AWS_ENDPOINT_URL_PERSONALIZE, dummy keys, AWS_REGION and
    AWS_DEFAULT_REGION, empty AWS config and credentials files, no AWS_PROFILE.

    It serves the sample set on a manual clock unless `@pytest.mark.personalize_emulator(...)`
    (on the test, its class or module) or an indirect parameter says otherwise. The object has
    `endpoint_url`, `region`, `requests`, `request_count()`, `add_job()`, `advance(seconds)`,
    `set_faults()`, `client()` and every method of pdj_cli.emulator.Emulator.
    """
    return personalize_emulator_factory(**marker_options(request))


def marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The options of every personalize_emulator marker, the closest winning, then the indirect
    parameter's (a dict of options, or a scenario)."""
    options: dict[str, Any] = {}
    for mark in reversed(list(request.node.iter_markers(MARKER))):
        if len(mark.args) > 1:
            raise pytest.UsageError(f"{MARKER} takes one positional argument, the scenario")
        if mark.args:
            options["scenario"] = mark.args[0]
        options.update(mark.kwargs)
    param = getattr(request, "param", None)
    if isinstance(param, dict):
        options.update(param)
    elif param is not None:
        options["scenario"] = param
    return options
