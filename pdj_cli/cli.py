"""The typer app: commands, the one error boundary, and the console-script entry point."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pdj_cli import __version__
from pdj_cli.boundary import run_guarded
from pdj_cli.commands.batch import batch
from pdj_cli.commands.completion import completion
from pdj_cli.commands.demo import demo
from pdj_cli.commands.describe import describe
from pdj_cli.commands.emulator import emulator
from pdj_cli.commands.list_jobs import list_jobs
from pdj_cli.commands.watch import watch
from pdj_cli.options import DEBUG_META_KEY


class BoundaryGroup(TyperGroup):
    """Runs every command inside the one error boundary (pdj_cli.boundary).

    It lives in the group's invoke (not only in main()) so CliRunner tests see exactly what a
    user sees. typer's own usage errors pass through untouched: typer formats them, exit 2.
    """

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)  # in the order they are registered, not alphabetical

    def invoke(self, ctx: typer.Context) -> Any:
        code = run_guarded(
            lambda: super(BoundaryGroup, self).invoke(ctx),
            debug=lambda: bool(ctx.meta.get(DEBUG_META_KEY)),
            passthrough=(typer.Exit, typer.Abort, typer.TyperException),
        )
        ctx.exit(code)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"pdj {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=BoundaryGroup,
    name="pdj",
    help="Inspect and watch Amazon Personalize data deletion jobs.",
    epilog="Exit codes: 0 ok/COMPLETED, 1 FAILED, 2 usage or invalid input, 3 not terminal, "
    "4 not found, 5 AWS error, 70 internal error, 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # sessions hold credentials
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Inspect and watch Amazon Personalize data deletion jobs."""


app.command("describe")(describe)
app.command("list")(list_jobs)
app.command("watch")(watch)
app.command("batch")(batch)
app.command("emulator")(emulator)
app.command("demo")(demo)
app.command("completion")(completion)


def main() -> Any:
    """The console script (pdj_cli.fastpath.main): a plain describe skips typer altogether."""
    from pdj_cli.fastpath import main as fast_main

    return fast_main()
