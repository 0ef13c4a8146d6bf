"""The `tutela` command line: the only place that prints for users and picks exit codes.

Sub-command modules import their heavy dependencies inside the command
functions, so `tutela --version` and `--help` stay instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Optional

import typer

from tutela import __version__
from tutela.cli.common import CliState

HELP = (
    "Turn ENG-POL-003, a written cloud security policy, into running, provable controls.\n\n"
    "Scan Terraform, CloudFormation, Kubernetes and Dockerfiles against the policy's "
    "requirements, and explore the policy itself as a catalog."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tutela {__version__}")
        raise typer.Exit()


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


def _scan(app: typer.Typer) -> None:
    from tutela.cli.scan import scan_command

    app.command("scan")(scan_command)


def _aws(app: typer.Typer) -> None:
    from tutela.cli.aws import aws_command

    app.command("aws")(aws_command)


def _rules(app: typer.Typer) -> None:
    from tutela.cli.rules import rules_app

    app.add_typer(rules_app, name="rules")


def _catalog(app: typer.Typer) -> None:
    from tutela.cli.catalog import catalog_app

    app.add_typer(catalog_app, name="catalog")


def _history(app: typer.Typer) -> None:
    from tutela.cli.history import history_command

    app.command("history")(history_command)


def _diff(app: typer.Typer) -> None:
    from tutela.cli.history import diff_command

    app.command("diff")(diff_command)


def _evidence(app: typer.Typer) -> None:
    from tutela.cli.evidence import evidence_app

    app.add_typer(evidence_app, name="evidence")


def _waiver(app: typer.Typer) -> None:
    from tutela.cli.waiver import waiver_app

    app.add_typer(waiver_app, name="waiver")


def _posture(app: typer.Typer) -> None:
    from tutela.cli.posture import posture_command

    app.command("posture")(posture_command)


def _audit(app: typer.Typer) -> None:
    from tutela.cli.audit import audit_app

    app.add_typer(audit_app, name="audit")


def _report(app: typer.Typer) -> None:
    from tutela.cli.report import report_app

    app.add_typer(report_app, name="report")


# Sub-commands in help order. Typer converts every registered command's options when it
# runs, so `main` registers only the one invoked (help and typos get them all).
COMMANDS: dict[str, Callable[[typer.Typer], None]] = {
    "scan": _scan,
    "aws": _aws,
    "rules": _rules,
    "catalog": _catalog,
    "history": _history,
    "diff": _diff,
    "evidence": _evidence,
    "waiver": _waiver,
    "posture": _posture,
    "audit": _audit,
    "report": _report,
}


def build_app(only: str | None = None) -> typer.Typer:
    """The command line, with every sub-command or just `only` (a key of COMMANDS)."""
    app = typer.Typer(
        name="tutela",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
    )
    app.callback()(root)
    for name, register in COMMANDS.items():
        if only is None or name == only:
            register(app)
    return app


def invoked_command(argv: Sequence[str]) -> str | None:
    """The sub-command `argv` names, skipping the root options (None: help or unknown)."""
    args = iter(argv)
    for arg in args:
        if arg == "--catalog":
            next(args, None)  # its value
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def __getattr__(name: str) -> typer.Typer:
    # `tutela.cli.app`: the whole command line (tests and embedders), built on demand.
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    build_app(invoked_command(sys.argv[1:]))()
