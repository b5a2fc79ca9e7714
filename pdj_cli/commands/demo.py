"""`pdj demo`: pdj's main jobs against an in-process emulator, no AWS account needed."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from typing import Annotated

import typer

from pdj_cli.errors import ExitCode

# What each step shows a newcomer, as the command line they would type themselves.
Step = tuple[str, list[str]]


DEMO_ROLE = "arn:aws:iam::123456789012:role/PersonalizeDeletion"
DEMO_LOCATION = "s3://privacy-requests/PRIV-1234/users.csv"


def demo_steps(
    demo_job: str, failing_job: str, demo_group: str, retail_group: str, fresh_group: str
) -> list[Step]:
    create = [
        "create",
        "--dataset-group-arn",
        fresh_group,
        "--data-location",
        DEMO_LOCATION,
        "--role-arn",
        DEMO_ROLE,
        "--request-id",
        "PRIV-1234",
        "--yes",
    ]
    return [
        ("Start a deletion job for a privacy request (--yes: no question):", create),
        ("Run the same request again: it finds its job, and creates nothing:", create),
        ("Every job of a dataset group, all pages:", ["list", "--dataset-group-arn", demo_group]),
        (
            "Follow a running job until it ends (exit 0 COMPLETED, 1 FAILED):",
            ["watch", demo_job, "--interval", "1"],
        ),
        (
            "Pick one field for a script:",
            ["describe", demo_job, "--query", "dataDeletionJob.numDeleted", "-o", "text"],
        ),
        (
            "Many jobs at once; with --exit-status a failed one sets the exit code:",
            ["batch", "--dataset-group-arn", retail_group, failing_job, "--exit-status"],
        ),
    ]


def demo(
    speed: Annotated[
        float,
        typer.Option(min=0.1, help="How fast the sample jobs advance: 2 = twice real time."),
    ] = 2.0,
) -> ExitCode:
    """Show pdj at work on sample jobs, on a local emulator (no AWS account needed).

    Starts the emulator in this process, then runs create (twice, creating once),
    list, watch, describe and batch against it, printing each command line first
    so you can run it again.

    [bold]Examples[/bold]

      pdj demo

      pdj demo --speed 4
    """
    from pdj_cli.cli import app
    from pdj_cli.emulator import (
        DEMO_FAILING_JOB_ARN,
        DEMO_GROUP_ARN,
        DEMO_JOB_ARN,
        FRESH_GROUP_ARN,
        RETAIL_GROUP_ARN,
        Emulator,
    )

    steps = demo_steps(
        DEMO_JOB_ARN, DEMO_FAILING_JOB_ARN, DEMO_GROUP_ARN, RETAIL_GROUP_ARN, FRESH_GROUP_ARN
    )
    with Emulator(time_scale=speed) as emulator:
        _use_emulator(emulator.endpoint_url)
        say = _narrator()
        say(f"A local Personalize emulator is serving sample jobs at {emulator.endpoint_url}.")
        codes = []
        for caption, args in steps:
            say("")
            say(caption)
            say(f"$ pdj {shlex.join(args)}", style="bold")
            codes.append(_run(app, args))
        say("")
        say(
            "Exit codes above: "
            + ", ".join(f"{args[0]} {code}" for (_, args), code in zip(steps, codes, strict=True))
        )
        say("Run `pdj emulator` for an endpoint of your own, and `pdj COMMAND --help` for more.")
    # The demo's own answer is the watch's: the main job, followed to its end.
    watched = next(code for (_, args), code in zip(steps, codes, strict=True) if args[0] == "watch")
    return ExitCode(watched)


def _use_emulator(endpoint_url: str) -> None:
    # The emulator checks that requests are signed, not by whom: dummy keys, never real ones.
    os.environ["AWS_ENDPOINT_URL_PERSONALIZE"] = endpoint_url
    os.environ["AWS_ACCESS_KEY_ID"] = "demo"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "demo"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    os.environ["PDJ_NO_CACHE"] = "1"  # the sample's ARNs are not for the user's Tab


def _run(app: typer.Typer, args: list[str]) -> int:
    try:
        result = app(args, prog_name="pdj", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    return int(result or 0)


def _narrator() -> Callable[..., None]:
    from pdj_cli.ui.terminal import Terminal

    terminal = Terminal()
    console = terminal.console(terminal.stderr)

    def say(text: str, style: str | None = None) -> None:
        console.print(text, style=style or "dim", markup=False, soft_wrap=True)

    return say
