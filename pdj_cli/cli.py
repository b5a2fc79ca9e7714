"""The typer app: commands, the one error boundary, and the console-script entry point."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pdj_cli import __version__
from pdj_cli.commands.batch import batch
from pdj_cli.commands.completion import completion
from pdj_cli.commands.demo import demo
from pdj_cli.commands.describe import describe
from pdj_cli.commands.emulator import emulator
from pdj_cli.commands.list_jobs import list_jobs
from pdj_cli.commands.watch import watch
from pdj_cli.errors import ExitCode, PdjError
from pdj_cli.options import DEBUG_META_KEY

REPORT_REQUEST = (
    "this is a bug in pdj; please report it with the output of the same command run with --debug"
)


class BoundaryGroup(TyperGroup):
    """The one error boundary: pdj's errors, botocore's, Ctrl-C and bugs become exit codes.

    It lives in the group's invoke (not only in main()) so CliRunner tests see exactly what a
    user sees. Click's own usage errors pass through untouched: typer formats them, exit 2.
    """

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)  # in the order they are registered, not alphabetical

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe surfaces here, inside the boundary
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own exits and usage errors, formatted by typer
        except KeyboardInterrupt:
            _err("pdj: interrupted")
            ctx.exit(ExitCode.INTERRUPTED)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(ExitCode.OK)
        except PdjError as error:
            _report(error, ctx)
            ctx.exit(error.exit_code)
        except Exception as error:
            from pdj_cli.service import translate_error

            translated = translate_error(error) if "botocore" in sys.modules else None
            if translated is not None:
                _report(translated, ctx)
                ctx.exit(translated.exit_code)
            if _debug(ctx):
                traceback.print_exc()
            _err(f"pdj: error: internal error: {type(error).__name__}: {_one_line(error)}")
            _err(f"pdj: {REPORT_REQUEST}")
            ctx.exit(ExitCode.INTERNAL)
        ctx.exit(int(result) if isinstance(result, int) else ExitCode.OK)


def _report(error: PdjError, ctx: typer.Context) -> None:
    if _debug(ctx):
        traceback.print_exception(error)
    _err(f"pdj: error: {_one_line(error.message)}")
    if error.hint:
        _err(f"hint: {error.hint}")


def _debug(ctx: typer.Context) -> bool:
    return bool(ctx.meta.get(DEBUG_META_KEY))


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _err(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at devnull so that flush cannot fail loudly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
    return app(prog_name="pdj")
