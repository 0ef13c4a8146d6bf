"""`tutela history` and `tutela diff`: recorded scans, and what changed between two."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from tutela.cli.common import EXIT_FINDINGS, EXIT_OK, fail
from tutela.cli.state import DbOption, FormatOption, check_format, console, echo_json, finding_row


def history_command(
    db: DbOption = None,
    fmt: FormatOption = "table",
    limit: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--limit", "-n", help="Only the most recent N scans.", min=1),
    ] = None,
) -> None:
    """List recorded scans (`tutela scan PATH --record`), oldest first."""
    from tutela.cli.state import existing_store

    fmt = check_format(fmt)
    store = existing_store(db)
    scans = [] if store is None else store.scans(limit=limit)
    if store is not None:
        store.close()
    if fmt == "json":
        echo_json({"scans": scans})
        return
    if not scans:
        typer.echo("No scans recorded yet (tutela scan PATH --record).")
        return
    from rich.table import Table

    table = Table(title=f"{len(scans)} recorded scan(s)")
    for col in ("Scan", "Started (UTC)", "Kind", "Targets", "Fail", "Waived", "Findings", "Tool"):
        table.add_column(col, overflow="fold")
    for s in scans:
        table.add_row(
            str(s.id),
            s.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            s.kind,
            ", ".join(s.targets),
            str(s.failing),
            str(s.counts.get("waived", 0)),
            str(s.total),
            s.tool_version,
        )
    console().print(table)


def diff_command(
    scan_a: Annotated[
        Optional[int],  # noqa: UP045
        typer.Argument(
            help="Baseline scan id [default: the one before SCAN_B].", show_default=False
        ),
    ] = None,
    scan_b: Annotated[
        Optional[int],  # noqa: UP045
        typer.Argument(help="Later scan id [default: the latest].", show_default=False),
    ] = None,
    fail_on_new: Annotated[
        bool,
        typer.Option(
            "--fail-on-new",
            help="Exit 1 when a finding fails in SCAN_B that did not "
            "fail in SCAN_A (a gate for CI in a repository that is not clean yet).",
        ),
    ] = False,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Show new, fixed and still-failing findings between two recorded scans.

    Findings are matched by fingerprint (rule, resource identity and part, no line
    numbers). Without arguments: the last two scans. With one: that scan against the latest.
    """
    from tutela.cli.state import existing_store
    from tutela.engine.history import diff_scans
    from tutela.rules.api import Status
    from tutela.store import StoreError

    fmt = check_format(fmt)
    store = existing_store(db)
    if store is None:
        fail("no scans recorded yet (tutela scan PATH --record)")
    try:
        scans = store.scans()
        if scan_a is None and scan_b is None:
            if len(scans) < 2:
                fail(f"diff needs two recorded scans; {len(scans)} recorded")
            a, b = scans[-2], scans[-1]
        elif scan_b is None:
            assert scan_a is not None
            a, b = store.scan(scan_a), scans[-1]
        else:
            assert scan_a is not None
            a, b = store.scan(scan_a), store.scan(scan_b)
        result = diff_scans(store.findings(a.id), store.findings(b.id))
        seen = store.seen(
            [f.fingerprint for f in (*result.new, *result.still_failing)], status=Status.FAIL
        )
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()

    def rows(findings: Any) -> list[dict[str, Any]]:
        out = []
        for f in findings:
            row = finding_row(f)
            span = seen.get(f.fingerprint)
            if span is not None:
                row["first_seen"] = span.first_seen
                row["first_seen_scan"] = span.first_scan
                row["last_seen"] = span.last_seen
            out.append(row)
        return out

    if fmt == "json":
        echo_json(
            {
                "baseline": a.id,
                "current": b.id,
                "new": rows(result.new),
                "fixed": rows(result.fixed),
                "still_failing": rows(result.still_failing),
                "no_longer_failing": rows(result.no_longer_failing),
            }
        )
    else:
        from rich.table import Table

        out = console()
        out.print(
            f"[bold]scan {a.id}[/bold] ({a.started_at:%Y-%m-%d %H:%M}) -> "
            f"[bold]scan {b.id}[/bold] ({b.started_at:%Y-%m-%d %H:%M}): "
            f"[red]{len(result.new)} new[/red], [green]{len(result.fixed)} fixed[/green], "
            f"{len(result.still_failing)} still failing, "
            f"{len(result.no_longer_failing)} no longer failing (waived, suppressed or unknown)"
        )
        for title, items, style in (
            ("New", result.new, "red"),
            ("Fixed", result.fixed, "green"),
            ("Still failing", result.still_failing, "yellow"),
            ("No longer failing", result.no_longer_failing, "blue"),
        ):
            if not items:
                continue
            table = Table(title=f"{title} ({len(items)})", title_style=style, title_justify="left")
            for col in ("Rule", "Severity", "Resource", "Where", "Status", "Failing since"):
                table.add_column(col, overflow="fold")
            for f in items:
                span = seen.get(f.fingerprint)
                table.add_row(
                    f.rule_code,
                    f.severity.label,
                    f.resource_address + (f" ({f.subject})" if f.subject else ""),
                    str(f.location) if f.location else (f.arn or ""),
                    f.status.value,
                    f"scan {span.first_scan}, {span.first_seen:%Y-%m-%d}" if span else "",
                )
            out.print(table)
    raise typer.Exit(EXIT_FINDINGS if fail_on_new and result.new else EXIT_OK)
