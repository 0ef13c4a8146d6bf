"""`tutela audit`: the hash-chained log of recorded scans, evidence and waiver changes."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tutela.cli.common import EXIT_FINDINGS, EXIT_OK, fail
from tutela.cli.state import DbOption, FormatOption, check_format, console, echo_json

audit_app = typer.Typer(
    help="The audit trail: every recorded scan, evidence record and waiver change, "
    "hash-chained so that an edited, removed or reordered entry is detected.",
    no_args_is_help=True,
)


@audit_app.command("verify")
def verify_command(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """Check the chain; exit 1 naming the first bad entry (edited, removed or reordered)."""
    from tutela.cli.state import existing_store

    fmt = check_format(fmt)
    store = existing_store(db)
    if store is None:
        fail("no tutela store to verify")
    try:
        problem = store.verify_audit()
        head = store.audit_head()
        count = len(store.audit_entries())
    finally:
        store.close()
    if fmt == "json":
        echo_json(
            {
                "ok": problem is None,
                "entries": count,
                "head": None if head is None else {"seq": head.seq, "hash": head.hash},
                "problem": None
                if problem is None
                else {"seq": problem.seq, "problem": problem.problem, "detail": problem.detail},
            }
        )
    elif problem is None:
        tip = f", head {head.hash[:16]}..." if head else ""
        typer.echo(f"audit log intact: {count} entries{tip}")
    else:
        typer.secho(f"audit log broken: {problem}", err=True, fg=typer.colors.RED)
    raise typer.Exit(EXIT_OK if problem is None else EXIT_FINDINGS)


@audit_app.command("log")
def log_command(
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--limit", "-n", help="Only the last N entries.", min=1),
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List the audit entries, oldest first."""
    from tutela.cli.state import existing_store

    fmt = check_format(fmt)
    store = existing_store(db)
    entries = [] if store is None else store.audit_entries()
    if store is not None:
        store.close()
    if limit is not None:
        entries = entries[-limit:]
    if fmt == "json":
        echo_json({"entries": entries})
        return
    from rich.table import Table

    table = Table(title="Audit log")
    for col in ("Seq", "At (UTC)", "Actor", "Action", "Payload", "Hash"):
        table.add_column(col, overflow="fold")
    for e in entries:
        payload = e.payload if len(e.payload) <= 120 else e.payload[:117] + "..."
        table.add_row(str(e.seq), e.at, e.actor, e.action, payload, e.hash[:16])
    console().print(table)
