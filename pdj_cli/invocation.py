"""What one invocation asked for: AWS settings and output choices. typer-free, so the fast
path (pdj_cli.fastpath) and the typer commands build the same object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pdj_cli.formats import OutputFormat, default_format

if TYPE_CHECKING:
    from pdj_cli.render import Renderer


@dataclass(frozen=True)
class AwsOptions:
    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    output: OutputFormat | None = None
    query: str | None = None
    no_color: bool = False
    debug: bool = False

    @property
    def format(self) -> OutputFormat:
        return self.output or default_format()

    def renderer(self) -> Renderer:
        from pdj_cli.query import compile_query
        from pdj_cli.render import Renderer

        return Renderer(self.format, compile_query(self.query), color=not self.no_color)

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
