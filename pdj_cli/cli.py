"""The typer app: the command table, and the group that runs each command inside the one error
boundary. The console script (pdj_cli.entry) hands it every command line but a plain describe."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info
from typer.models import CommandInfo

from pdj_cli import __version__, startup_gc

if TYPE_CHECKING:
    # typer 0.29 hands its groups the Context and HelpFormatter of the click it vendors; it
    # has no public name for them, and they are needed for type checking only.
    from typer._click import Context, HelpFormatter


class LazyCommand(NamedTuple):
    module: str
    function: str
    summary: str  # the first line of the command's help; tests/test_app.py keeps them equal
    # It runs for minutes or hours (or makes its clients late, in the commands it runs): the
    # collector comes back on before its body runs. A short one runs to the end without it.
    long_running: bool


# In the order `pdj --help` lists them. A command's module is imported, and typer builds its
# options, only when that command runs (or its own help or a completion script is asked for):
# `pdj --help` and each command then pay for one command, not seven.
COMMANDS = {
    "describe": LazyCommand(
        "pdj_cli.commands.describe",
        "describe",
        "Show one data deletion job, once.",
        long_running=False,
    ),
    "list": LazyCommand(
        "pdj_cli.commands.list_jobs",
        "list_jobs",
        "List every deletion job of a dataset group, or of the region, newest first.",
        long_running=False,
    ),
    "watch": LazyCommand(
        "pdj_cli.commands.watch",
        "watch",
        "Watch one data deletion job until it is COMPLETED or FAILED.",
        long_running=True,
    ),
    "batch": LazyCommand(
        "pdj_cli.commands.batch",
        "batch",
        "Describe many data deletion jobs at once, concurrently, in several regions.",
        long_running=True,
    ),
    "create": LazyCommand(
        "pdj_cli.commands.create",
        "create",
        "Start deletion jobs: one per dataset group, confirmed, idempotent by request.",
        long_running=True,
    ),
    "emulator": LazyCommand(
        "pdj_cli.commands.emulator",
        "emulator",
        "Serve a local Personalize endpoint with sample deletion jobs, until Ctrl-C.",
        long_running=True,
    ),
    "demo": LazyCommand(
        "pdj_cli.commands.demo",
        "demo",
        "Show pdj at work on sample jobs, on a local emulator (no AWS account needed).",
        long_running=True,
    ),
    "completion": LazyCommand(
        "pdj_cli.commands.completion",
        "completion",
        "Print the Tab-completion script for bash, zsh or fish.",
        long_running=False,
    ),
}


class PlainHelpCommand(TyperCommand):
    """A command whose help shows metavars, not typer's type labels (pdj_cli.usage)."""

    def get_params(self, ctx: Context) -> list[Any]:
        from pdj_cli.usage import plain_params

        return plain_params(super().get_params(ctx))

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return _with_context(ctx, lambda: super(PlainHelpCommand, self).parse_args(ctx, args))


def _with_context(ctx: Context, parse: Callable[[], list[str]]) -> list[str]:
    """click's parser raises some usage errors without the command ("requires an argument"):
    attach it, so the message's `Try` line names the command that was being parsed."""
    from typer._click.exceptions import UsageError

    try:
        return parse()
    except UsageError as error:
        if error.ctx is None:
            error.ctx, error.cmd = ctx, ctx.command
        raise


class BoundaryGroup(TyperGroup):
    """pdj's group: commands built on first use, each run inside the one error boundary.

    The boundary (pdj_cli.boundary) lives in the group's invoke and main, not in the console
    script, so CliRunner tests see exactly what a user sees. Every usage error, whichever
    command raised it, is printed here plainly (pdj_cli.usage), exit 2.
    """

    _listing = False  # while the group's own help is drawn, summaries are enough

    def get_params(self, ctx: Context) -> list[Any]:
        from pdj_cli.usage import plain_params

        return plain_params(super().get_params(ctx))

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return _with_context(ctx, lambda: super(BoundaryGroup, self).parse_args(ctx, args))

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """typer's main without its rich panels: usage errors and output failures, plainly."""
        from pdj_cli.boundary import run_guarded

        arguments = list(sys.argv[1:] if args is None else args)
        extra.pop("windows_expand_args", None)
        code = run_guarded(lambda: self._parse_and_invoke(arguments, prog_name or "pdj", extra))
        if standalone_mode:
            sys.exit(code)
        return code

    def _parse_and_invoke(self, args: list[str], prog_name: str, extra: dict[str, Any]) -> int:
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

        from pdj_cli.boundary import say

        try:
            with self.make_context(prog_name, args, **extra) as ctx:
                self.invoke(ctx)  # ends in ctx.exit(code)
                return 0
        except typer.Exit as exit:
            return exit.exit_code
        except NoArgsIsHelpError as error:
            error.show()  # `pdj` alone: the help, on stderr, exit 2 as before
            return 2
        except UsageError as error:
            from pdj_cli.usage import usage_lines

            for line in usage_lines(error):
                say(line)
            return 2
        except ClickException as error:
            say(f"pdj: error: {error.format_message()}")
            return error.exit_code
        except typer.Abort:
            say("pdj: aborted")
            return 1

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        lazy = COMMANDS.get(cmd_name)
        if cmd_name in self.commands or lazy is None:
            return self.commands.get(cmd_name)
        if self._listing:
            return TyperCommand(name=cmd_name, help=lazy.summary)
        function = getattr(importlib.import_module(lazy.module), lazy.function)
        command = get_command_from_info(
            CommandInfo(name=cmd_name, callback=function, cls=PlainHelpCommand),
            pretty_exceptions_short=True,  # unused: the boundary reports every exception
            rich_markup_mode=self.rich_markup_mode,
        )
        if lazy.long_running and command.callback is not None:
            command.callback = _collecting(command.callback)
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Context) -> Any:
        # Imported here: `pdj --help` and `pdj --version` end before any command is invoked.
        from pdj_cli.boundary import run_guarded
        from pdj_cli.options import DEBUG_META_KEY

        code = run_guarded(
            lambda: super(BoundaryGroup, self).invoke(ctx),
            debug=lambda: bool(ctx.meta.get(DEBUG_META_KEY)),
            passthrough=(typer.Exit, typer.Abort, typer.TyperException),
        )
        ctx.exit(code)


def _collecting(callback: Callable[..., Any]) -> Callable[..., Any]:
    """`callback` with the collector back on first: the one place a long run turns it on."""

    @functools.wraps(callback)
    def collecting(*args: Any, **kwargs: Any) -> Any:
        startup_gc.started()
        return callback(*args, **kwargs)

    return collecting


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


def version_text() -> str:
    """`pdj 0.1.0` (scripts read this line), then what a bug report needs, one item a line.

    The versions come from the installed distributions' metadata: nothing is imported.
    """
    import platform
    from importlib import metadata

    lines = [f"pdj {__version__}"]
    lines.append(f"Python {platform.python_version()} ({platform.python_implementation()})")
    for name in ("botocore", "typer", "rich"):
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} not installed")
    system = platform.uname()
    lines.append(f"platform {system.system} {system.release} {system.machine}")
    return "\n".join(lines)


app = typer.Typer(
    cls=BoundaryGroup,
    name="pdj",
    help="Inspect, watch and start Amazon Personalize data deletion jobs.",
    epilog="A command's AWS and output options may come before it too: pdj --region R list. "
    "Exit codes: 0 ok/COMPLETED, 1 FAILED, 2 usage or invalid input, 3 not terminal, "
    "4 not found, 5 AWS error, 70 internal error, 74 output not written, 130 interrupted, "
    "143 terminated.",
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
    """Inspect, watch and start Amazon Personalize data deletion jobs."""
