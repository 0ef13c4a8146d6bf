"""`tutela posture`: where the organisation stands, per requirement, section and framework."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from tutela.cli.common import fail, load_catalog
from tutela.cli.state import (
    AsOfOption,
    DbOption,
    FormatOption,
    check_format,
    console,
    echo_json,
    now,
    parse_date,
    today,
)

_STATE_STYLE = {
    "fail": "red",
    "not_evaluated": "magenta",
    "waived": "blue",
    "pass": "green",
    "attested": "green",
    "no_verification": "dim",
}


def posture_command(
    ctx: typer.Context,
    framework: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--framework",
            help="Only this framework's controls: HIPAA, SOC2, HITRUST, NIST or CIS.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    trend: Annotated[
        int, typer.Option("--trend", help="Recorded scans in the trend (0: none).", min=0)
    ] = 10,
    due_soon: Annotated[
        int,
        typer.Option("--due-soon", help="Days before a due date that count as due soon.", min=0),
    ] = 14,
    interval: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--interval",
            help="KIND_OR_REQUIREMENT=DAYS due intervals (repeatable).",
            show_default=False,
        ),
    ] = None,
    show_requirements: Annotated[
        bool, typer.Option("--requirements", help="List every requirement, not only failing.")
    ] = False,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Roll findings and evidence up per requirement, section and framework control.

    Requirements are pass, fail, waived, not evaluated, attested (evidence current)
    or without verification; overdue evidence fails. Findings come from the latest
    recorded scan of each kind (IaC, live AWS), plus open access revocations.
    """
    from tutela.catalog.model import framework_key
    from tutela.cli.evidence import open_revocations
    from tutela.cli.state import existing_store
    from tutela.engine.posture import posture_record
    from tutela.evidence.cadence import parse_intervals
    from tutela.store.queries import posture_from_store

    fmt = check_format(fmt)
    catalog = load_catalog(ctx)
    key = None
    if framework:
        key = framework_key(framework)
        if key not in catalog.frameworks():
            fail(f"unknown framework {framework!r} (choose from {', '.join(catalog.frameworks())})")
    try:
        intervals = parse_intervals(interval or ())
    except ValueError as exc:
        fail(str(exc))
    day = parse_date(as_of, "--as-of", default=today())
    store = existing_store(db)
    try:
        if store is not None and as_of is None:
            open_revocations(store)
        posture = posture_from_store(
            store,
            catalog,
            today=day,
            now=now(),
            framework=key,
            trend=trend,
            due_soon_days=due_soon,
            intervals=intervals,
        )
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        echo_json({"as_of": day, "framework": key, **posture_record(posture)})
        return
    _print(posture, key, day, show_requirements, catalog)


def _print(posture: Any, framework: str | None, day: Any, show_all: bool, catalog: Any) -> None:
    from rich.table import Table

    out = console()
    overall = posture.overall
    states = ("fail", "not_evaluated", "waived", "pass", "attested", "no_verification")
    heads = ("Fail", "Not eval.", "Waived", "Pass", "Attested", "No verif.")

    def table(title: str, rollups: Any) -> Any:
        t = Table(title=title, title_justify="left")
        t.add_column("Key", overflow="fold")
        t.add_column("Title", overflow="fold")
        t.add_column("%", justify="right")
        for h in heads:
            t.add_column(h, justify="right")
        for r in rollups:
            t.add_row(
                r.key, r.title, f"{r.percent:.1f}", *(str(r.states.get(s, 0) or "") for s in states)
            )
        return t

    if overall is not None:
        summary = ", ".join(
            f"[{_STATE_STYLE[s]}]{overall.states.get(s, 0)} {s.replace('_', ' ')}[/]"
            for s in states
        )
        out.print(
            f"[bold]{overall.title}[/bold] as of {day}: [bold]{overall.percent:.1f}%[/bold] "
            f"({summary})"
        )
    if framework is None:
        out.print(table("Sections", posture.sections))
    out.print(table(f"{framework or 'Framework'} controls", posture.frameworks))
    shown = [p for p in posture.requirements if show_all or p.state.value == "fail"]
    if shown:
        t = Table(
            title="Requirements" if show_all else "Failing requirements", title_justify="left"
        )
        for col in ("Requirement", "State", "Evidence", "Why"):
            t.add_column(col, overflow="fold")
        wanted = None
        if framework is not None:
            wanted = {rid for r in posture.frameworks for rid in r.requirement_ids}
        for p in shown:
            if wanted is not None and p.requirement_id not in wanted:
                continue
            style = _STATE_STYLE[p.state.value]
            t.add_row(
                p.requirement_id,
                f"[{style}]{p.state.value.replace('_', ' ')}[/]",
                (p.evidence_state or "").replace("_", " "),
                "\n".join(p.reasons),
            )
        out.print(t)
    if posture.trend:
        points = ", ".join(
            f"scan {t.scan_id} {t.at:%Y-%m-%d}: {t.percent:.1f}% ({t.failing} failing)"
            for t in posture.trend
        )
        out.print(f"Trend: {points}", highlight=False)
