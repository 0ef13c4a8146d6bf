"""Shared CLI plumbing: state passed from the root callback, error reporting, exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass
class CliState:
    """Options given before the sub-command (`tutela --catalog FILE ...`)."""

    catalog_path: Path | None = None


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, CliState) else CliState()


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error on stderr and exit with `code`."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def load_catalog(ctx: typer.Context) -> Catalog:
    """The catalog every command uses: `--catalog FILE`, else the shipped one."""
    from tutela.catalog.loader import load_catalog as _load
    from tutela.errors import TutelaError

    try:
        return _load(state(ctx).catalog_path)
    except TutelaError as exc:
        fail(str(exc))
