"""What one invocation asked for: AWS settings and output choices. typer-free, so the fast
path (pdj_cli.fast_describe) and the typer commands build the same object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pdj_cli.formats import OutputFormat

if TYPE_CHECKING:
    from pdj_cli.ui.output import Output
    from pdj_cli.ui.terminal import Terminal
    from pdj_cli.ui.watch_view import Timekeeping


@dataclass(frozen=True)
class AwsOptions:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    output: OutputFormat | None = None
    query: str | None = None
    no_color: bool = False
    debug: bool = False
    # Not an option: the time a watch runs on; None is real time. A caller (a test) hands a
    # fake one in through typer's context object: `invoke(app, args, obj={"clock": ...})`.
    clock: Timekeeping | None = None

    def terminal(self) -> Terminal:
        """The terminal policy for this invocation (--no-color, the environment, the streams)."""
        from pdj_cli.ui.terminal import Terminal

        return Terminal(no_color_flag=self.no_color)

    def renderer(self) -> Output:
        """The one output object a command renders through."""
        from pdj_cli.query import compile_query
        from pdj_cli.ui.output import Output

        terminal = self.terminal()
        fmt = self.output or terminal.default_format()
        return Output(fmt, compile_query(self.query), terminal)

    def service(self, **settings: Any) -> Any:
        """The JobService these options describe; the wire log is switched on with --debug."""
        from pdj_cli.service import JobService

        service = JobService(
            profile=self.profile, region=self.region, endpoint_url=self.endpoint_url, **settings
        )
        if self.debug:
            from pdj_cli.debuglog import enable_wire_log

            enable_wire_log(service.secret_values)
        return service
