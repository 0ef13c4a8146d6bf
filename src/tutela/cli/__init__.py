"""The `tutela` command line: the only place that prints for users and picks exit codes.

Sub-command modules import their heavy dependencies inside the command
functions, so `tutela --version` and `--help` stay instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tutela import __version__
from tutela.cli.common import CliState

app = typer.Typer(
    name="tutela",
    help=(
        "Turn ENG-POL-003, a written cloud security policy, into running, provable controls.\n\n"
        "Scan Terraform, CloudFormation, Kubernetes and Dockerfiles against the policy's "
        "requirements, and explore the policy itself as a catalog."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tutela {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    catalog: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on 3.11
        typer.Option(
            "--catalog",
            envvar="TUTELA_CATALOG",
            help=(
                "Use this catalog file (from `tutela catalog import`) "
                "instead of the shipped ENG-POL-003."
            ),
            dir_okay=False,
        ),
    ] = None,
) -> None:
    ctx.obj = CliState(catalog_path=catalog)


def _register() -> None:
    from tutela.cli.catalog import catalog_app
    from tutela.cli.rules import rules_app
    from tutela.cli.scan import scan_command

    app.command("scan")(scan_command)
    app.add_typer(rules_app, name="rules")
    app.add_typer(catalog_app, name="catalog")


_register()


def main() -> None:
    app()
