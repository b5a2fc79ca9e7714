"""The floor for `pdj --help` / `pdj --version`: a bare two-command typer app (rich installed)."""

import typer

app = typer.Typer(help="A bare two-command app.", add_completion=False)


@app.command()
def describe(arn: str) -> None:
    """Show one job."""
    typer.echo(arn)


@app.command("list")
def list_jobs(group: str = "") -> None:
    """List jobs."""
    typer.echo(group)


if __name__ == "__main__":
    app()
