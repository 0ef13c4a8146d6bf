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
    from tutela.cli.aws import aws_command
    from tutela.cli.catalog import catalog_app
    from tutela.cli.report import report_app
    from tutela.cli.rules import rules_app
    from tutela.cli.scan import scan_command

    app.command("scan")(scan_command)
    app.command("aws")(aws_command)
    app.add_typer(rules_app, name="rules")
    app.add_typer(catalog_app, name="catalog")
    _register_state()
    app.add_typer(report_app, name="report")


def _register_state() -> None:
    """History, diff, evidence, waivers, posture and audit (`tutela.cli.state` and friends)."""
    from tutela.cli.audit import audit_app
    from tutela.cli.evidence import evidence_app
    from tutela.cli.history import diff_command, history_command
    from tutela.cli.posture import posture_command
    from tutela.cli.waiver import waiver_app

    app.command("history")(history_command)
    app.command("diff")(diff_command)
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(waiver_app, name="waiver")
    app.command("posture")(posture_command)
    app.add_typer(audit_app, name="audit")


_register()


def main() -> None:
    app()
