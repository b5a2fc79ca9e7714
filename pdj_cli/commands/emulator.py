"""`pdj emulator`: a local Personalize endpoint for trying pdj and testing scripts."""

from __future__ import annotations

import sys
import threading
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pdj_cli.errors import ExitCode, InvalidInputError, interrupted_exit_code

if TYPE_CHECKING:
    from pdj_cli.emulator import Emulator, Scenario

DEFAULT_PORT = 4599


class CreateError(str, Enum):
    """The emulator's create_error switch (pdj_cli.emulator.faults.CREATE_ERRORS, kept here so
    `pdj --help` need not import the emulator)."""

    resource_in_use = "resource-in-use"
    access_denied = "access-denied"
    s3_access_denied = "s3-access-denied"


def emulator(
    port: Annotated[
        int, typer.Option(help="Port on 127.0.0.1 to serve on; 0 picks a free one.")
    ] = DEFAULT_PORT,
    scenario: Annotated[
        Path | None,
        typer.Option(
            help="JSON file of jobs to serve (default: the built-in sample set).",
            show_default=False,
        ),
    ] = None,
    latency: Annotated[float, typer.Option(help="Seconds added before every answer.")] = 0.0,
    throttle_rate: Annotated[
        float, typer.Option(help="Fraction 0..1 of requests answered ThrottlingException.")
    ] = 0.0,
    error_rate: Annotated[
        float, typer.Option(help="Fraction 0..1 of requests answered 500 or 503.")
    ] = 0.0,
    drop_rate: Annotated[
        float, typer.Option(help="Fraction 0..1 of requests whose connection is closed unanswered.")
    ] = 0.0,
    seed: Annotated[
        int | None,
        typer.Option(help="Seed for the fault sequence, so runs repeat.", show_default=False),
    ] = None,
    create_error: Annotated[
        CreateError | None,
        typer.Option(
            metavar="KIND",
            help="Answer every valid create with an error: resource-in-use, access-denied "
            "(the caller) or s3-access-denied (the role cannot read the data).",
            show_default=False,
        ),
    ] = None,
    time_scale: Annotated[
        float, typer.Option(help="How fast job timelines run: 2 = twice real time.")
    ] = 1.0,
    request_log: Annotated[
        Path | None,
        typer.Option(
            help="Append every request as a JSON line to this file.",
            show_default=False,
        ),
    ] = None,
    background: Annotated[
        bool,
        typer.Option(
            "--background",
            help="Serve from a detached process and return at once, printing only the exports "
            "(PDJ_EMULATOR_PID included: `kill` it to stop the emulator).",
        ),
    ] = False,
) -> ExitCode:
    """Serve a local Personalize endpoint with sample deletion jobs, until Ctrl-C.

    The first line printed is the endpoint URL; the next ones are shell exports
    that point pdj (and the AWS CLI) at it, dummy keys included. With
    --background it prints only the exports, for eval, and returns at once.

    [bold]Examples[/bold]

      pdj emulator

      pdj emulator --port 0 --throttle-rate 0.3 --seed 7 --request-log log.jsonl

      pdj emulator --create-error resource-in-use

      eval "$(pdj emulator --background --port 0)"

      pdj list -o text

      kill "$PDJ_EMULATOR_PID"
    """
    # Imported here so `pdj --help` does not pay for the emulator.
    from pdj_cli.emulator import Emulator, FaultConfig, load_scenario, sample_scenario

    try:
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, not {port}")
        if time_scale <= 0:
            raise ValueError(f"time scale must be greater than 0, not {time_scale}")
        faults = FaultConfig(
            latency=latency,
            throttle_rate=throttle_rate,
            error_rate=error_rate,
            drop_rate=drop_rate,
            seed=seed,
            create_error=create_error.value if create_error is not None else None,
        )
        jobs = load_scenario(scenario) if scenario is not None else sample_scenario()
    except ValueError as error:  # ScenarioError included
        raise InvalidInputError(str(error)) from error
    if request_log is not None and not _writable(request_log):
        raise InvalidInputError(f"cannot write the request log {request_log}")

    def start() -> Emulator:
        return Emulator(jobs, port, faults, request_log, time_scale=time_scale).start()

    if background:
        from pdj_cli.emulator.detach import serve_detached

        try:
            endpoint_url, pid = serve_detached(start)
        except NotImplementedError as error:
            raise InvalidInputError(
                f"--background needs fork(), which {sys.platform} lacks",
                "run `pdj emulator` in a terminal of its own",
            ) from error
        except OSError as error:
            raise _cannot_serve(port, error) from error
        lines = [
            *_shell_exports(endpoint_url, jobs),
            f"export PDJ_EMULATOR_PID={pid}",
            *(f"# try: {command}" for command in _suggestions(jobs, scenario is None, 0.0)),
            '# stop it with: kill "$PDJ_EMULATOR_PID"',
        ]
        print("\n".join(lines), flush=True)
        return ExitCode.OK

    try:
        server = start()
    except OSError as error:
        raise _cannot_serve(port, error) from error
    lines = [
        server.endpoint_url,
        *_shell_exports(server.endpoint_url, jobs),
        *(
            f"# try: {command}"
            for command in _suggestions(jobs, scenario is None, server.elapsed())
        ),
        "# Ctrl-C stops the emulator.",
    ]
    code = ExitCode.INTERRUPTED
    try:
        # Printed inside the try: a Ctrl-C sent as soon as the last line is read arrives while
        # print returns, and must end the emulator as quietly as one sent later.
        print("\n".join(lines), flush=True)  # flushed: a parent process may be waiting on it
        threading.Event().wait()  # serve until interrupted; the server runs in its own thread
    except KeyboardInterrupt as interrupt:
        # Ctrl-C (130) and SIGTERM (143) are the emulator's ways to end: quietly, without
        # "pdj: interrupted"
        code = interrupted_exit_code(interrupt)
    finally:
        server.stop()
    return code


def _cannot_serve(port: int, error: OSError) -> InvalidInputError:
    return InvalidInputError(f"cannot serve on 127.0.0.1:{port}: {error.strerror or error}")


def _shell_exports(endpoint_url: str, scenario: Scenario) -> list[str]:
    from pdj_cli.emulator.arns import parse_arn

    # The first job's region, else the first declared group's (a scenario of empty groups).
    first_group = parse_arn(scenario.dataset_groups[0]) if scenario.dataset_groups else None
    region = (
        scenario.jobs[0].region
        if scenario.jobs
        else (first_group.region if first_group else "us-east-1")
    )
    return [
        f"export AWS_ENDPOINT_URL_PERSONALIZE={endpoint_url}",
        "export AWS_ACCESS_KEY_ID=testing",
        "export AWS_SECRET_ACCESS_KEY=testing",
        f"export AWS_REGION={region}",
        f"export AWS_DEFAULT_REGION={region}",  # read by aws CLI v1 and botocore, not AWS_REGION
    ]


def _suggestions(scenario: Scenario, is_sample: bool, now: float) -> list[str]:
    """Commands to try, naming only jobs that exist at `now` (emulated seconds)."""
    from pdj_cli.emulator import BIG_GROUP_ARN, DEMO_FAILING_JOB_ARN, DEMO_JOB_ARN
    from pdj_cli.emulator.scenario import notable_arns

    if is_sample:
        return [
            f"pdj watch {DEMO_JOB_ARN}",
            f"pdj watch {DEMO_FAILING_JOB_ARN}",
            f"pdj list --dataset-group-arn {BIG_GROUP_ARN}",
        ]
    return [f"pdj describe {arn}" for arn in notable_arns(scenario, now=now)]


def _writable(path: Path) -> bool:
    try:
        path.open("a").close()
    except OSError:
        return False
    return True
