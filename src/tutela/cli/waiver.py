"""`tutela waiver`: approved, expiring exceptions kept in `.tutela-waivers.yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from tutela.cli.common import EXIT_FINDINGS, EXIT_OK, fail, load_catalog
from tutela.cli.state import (
    AsOfOption,
    DbOption,
    FormatOption,
    actor,
    check_format,
    console,
    echo_json,
    now,
    open_store,
    parse_date,
    today,
    waiver_rules,
)

if TYPE_CHECKING:
    from tutela.engine.waivers import Waiver, WaiverFile, WaiverRules

waiver_app = typer.Typer(
    help="Waivers: approved, expiring exceptions (ENG-POL-003 3.2.2), reviewed in "
    ".tutela-waivers.yaml. Waived findings stay visible as waived; expired waivers stop "
    "applying and are reported.",
    no_args_is_help=True,
)

FileOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--file",
        help="The waiver file [default: the nearest .tutela-waivers.yaml upward from the "
        "working directory, else ./.tutela-waivers.yaml].",
        dir_okay=False,
        show_default=False,
    ),
]


def _file(path: Path | None) -> Path:
    from tutela.engine.waivers import WAIVER_FILE, find_waiver_file

    if path is not None:
        return path
    return find_waiver_file(Path.cwd()) or Path(WAIVER_FILE)


def _load(path: Path) -> WaiverFile:
    from tutela.engine.waivers import WaiverError, load_waivers

    try:
        return load_waivers(path)
    except WaiverError as exc:
        fail(str(exc))


@waiver_app.command("add")
def add_command(
    ctx: typer.Context,
    reason: Annotated[str, typer.Option("--reason", help="Why the risk is accepted.")],
    requested_by: Annotated[str, typer.Option("--requested-by", help="Who asks for it.")],
    approved_by: Annotated[
        list[str],
        typer.Option(
            "--approved-by",
            help="Who approved it; repeat for a second approver "
            "(required for critical rules). Never the requester.",
        ),
    ],
    expires_on: Annotated[
        str,
        typer.Option(
            "--expires-on",
            help="Mandatory expiry (YYYY-MM-DD), at most max_days (default 365) after approval.",
        ),
    ],
    resource: Annotated[
        str,
        typer.Option(
            "--resource",
            help="Glob over resource addresses or ARNs ('aws_s3_bucket.legacy_*', '*').",
        ),
    ],
    rule: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--rule", help="Rule code to waive (ENC001).", show_default=False),
    ] = None,
    requirement: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--requirement", help="Or a requirement id (3.3.1.a.3).", show_default=False),
    ] = None,
    source: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--source",
            help="Only findings from this source (terraform, aws...).",
            show_default=False,
        ),
    ] = None,
    account: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--account",
            help="Only resources of this AWS account (from the ARN).",
            show_default=False,
        ),
    ] = None,
    approved_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--approved-on", help="Approval date [default: today].", show_default=False),
    ] = None,
    waiver_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--id", help="Waiver id [default: the next W-NNNN].", show_default=False),
    ] = None,
    file: FileOption = None,
    db: DbOption = None,
) -> None:
    """Add a waiver to the file, after checking it; the change goes to the audit log.

    Refused (exit 2): a self-approval, one approver on a critical rule, no
    expiry or one beyond max_days, an unknown rule or requirement.

      tutela waiver add --rule ENC001 --resource 'aws_s3_bucket.legacy_*' \\
          --reason "migrated in Q3" --requested-by alice --approved-by bob \\
          --expires-on 2025-09-30
    """
    from tutela.engine.waivers import Waiver, WaiverError, add_waiver, check_waiver, next_waiver_id

    if (rule is None) == (requirement is None):
        fail("give exactly one of --rule or --requirement")
    path = _file(file)
    loaded = _load(path)
    catalog = load_catalog(ctx)
    day = today()
    approved = parse_date(approved_on, "--approved-on", default=day)
    expires = parse_date(expires_on, "--expires-on")
    wid = waiver_id or next_waiver_id(
        [w.id for w in loaded.waivers] + [p.waiver_id for p in loaded.problems if p.waiver_id]
    )
    if loaded.get(wid) is not None:
        fail(f"{path}: a waiver with id {wid} already exists")
    waiver = Waiver(
        id=wid,
        reason=reason.strip(),
        requested_by=requested_by.strip(),
        approved_by=tuple(a.strip() for a in approved_by if a.strip()),
        approved_on=approved,
        expires_on=expires,
        rule=rule.strip().upper() if rule else None,
        requirement=requirement.strip() if requirement else None,
        resource=resource.strip() or "*",
        source=source.strip() if source else None,
        account=account.strip() if account else None,
    )
    if not waiver.reason:
        fail("--reason must not be empty")
    rules = _rules(catalog, loaded.max_days)
    problems = check_waiver(waiver, rules, today=day)
    if problems:
        fail("waiver refused:\n" + "\n".join(f"  - {p.message}" for p in problems))
    try:
        add_waiver(path, waiver)
    except WaiverError as exc:
        fail(str(exc))
    store = open_store(db)
    try:
        store.record_waiver_event(waiver, "added", actor=actor(), at=now())
    finally:
        store.close()
    typer.echo(f"added {waiver.id} to {path}: {waiver.scope}, until {waiver.expires_on}")


def _rules(catalog: object, max_days: int) -> WaiverRules:
    from dataclasses import replace

    from tutela.catalog.model import Catalog

    base = waiver_rules(catalog if isinstance(catalog, Catalog) else None)
    return replace(base, max_days=max_days)


def _state(waiver: Waiver, problems: list[str], day: object) -> str:
    from datetime import date

    assert isinstance(day, date)
    if waiver.is_expired(day):
        return "expired"
    if problems:
        return "invalid"
    return "active"


@waiver_app.command("list")
def list_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    file: FileOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List the waivers of the file with their state: active, expired or invalid."""
    from tutela.engine.waivers import ProblemKind, check_waiver

    fmt = check_format(fmt)
    path = _file(file)
    loaded = _load(path)
    day = parse_date(as_of, "--as-of", default=today())
    rules = _rules(load_catalog(ctx), loaded.max_days)
    rows = []
    for w in loaded.waivers:
        problems = [
            p.message
            for p in check_waiver(w, rules, today=day)
            if p.kind is not ProblemKind.EXPIRED
        ]
        rows.append((w, _state(w, problems, day), problems))
    if fmt == "json":
        echo_json(
            {
                "file": str(path),
                "as_of": day,
                "max_days": loaded.max_days,
                "waivers": [
                    {**w.to_dict(), "line": w.line, "state": state, "problems": problems}
                    for w, state, problems in rows
                ],
                "malformed": [str(p) for p in loaded.problems],
            }
        )
        return
    if not rows and not loaded.problems:
        typer.echo(f"No waivers in {path}.")
        return
    from rich.table import Table

    styles = {"active": "blue", "expired": "red", "invalid": "red"}
    table = Table(title=f"Waivers in {path} as of {day}")
    for col in ("Id", "Scope", "Reason", "Requested", "Approved", "Expires", "State"):
        table.add_column(col, overflow="fold")
    for w, state, problems in rows:
        table.add_row(
            w.id,
            w.scope,
            w.reason,
            w.requested_by,
            f"{', '.join(w.approved_by)} on {w.approved_on}",
            str(w.expires_on),
            f"[{styles[state]}]{state}[/]" + (f": {'; '.join(problems)}" if problems else ""),
        )
    out = console()
    out.print(table)
    for p in loaded.problems:
        out.print(f"[red]malformed[/red] {p}", highlight=False)


@waiver_app.command("expire")
def expire_command(
    waiver_id: Annotated[str, typer.Argument(help="The waiver to end.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it ends now.")] = "",
    file: FileOption = None,
    db: DbOption = None,
) -> None:
    """End a waiver now (or clear one that has expired): it is removed from the file and
    the findings it covered fail again; its history stays in the store and the audit log."""
    from tutela.engine.waivers import WaiverError, remove_waiver

    path = _file(file)
    loaded = _load(path)
    waiver = loaded.get(waiver_id)
    if waiver is None:
        fail(f"{path}: no waiver with id {waiver_id}")
    try:
        remove_waiver(path, waiver_id)
    except WaiverError as exc:
        fail(str(exc))
    store = open_store(db)
    try:
        store.record_waiver_event(waiver, "expired", actor=actor(), at=now(), note=reason)
    finally:
        store.close()
    typer.echo(f"expired {waiver_id}: removed from {path}")


@waiver_app.command("lint")
def lint_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    file: FileOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Check the waiver file for CI: exit 1 on a malformed, self-approved, under-approved,
    expired or over-long waiver, naming file and line."""
    from tutela.engine.waivers import lint_waivers

    fmt = check_format(fmt)
    path = _file(file)
    loaded = _load(path)
    day = parse_date(as_of, "--as-of", default=today())
    problems = lint_waivers(loaded, _rules(load_catalog(ctx), loaded.max_days), today=day)
    if fmt == "json":
        echo_json(
            {
                "file": str(path),
                "waivers": len(loaded.waivers),
                "problems": [
                    {"line": p.line, "waiver": p.waiver_id, "kind": p.kind, "message": p.message}
                    for p in problems
                ],
            }
        )
    elif problems:
        for p in problems:
            typer.echo(str(p))
        typer.secho(f"{len(problems)} problem(s) in {path}", err=True, fg=typer.colors.RED)
    else:
        exists = path.is_file()
        typer.echo(
            f"{path}: {len(loaded.waivers)} waiver(s), no problem"
            if exists
            else f"{path}: no waiver file"
        )
    raise typer.Exit(EXIT_FINDINGS if problems else EXIT_OK)


@waiver_app.command("history")
def history_command(
    waiver_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="Only this waiver.", show_default=False),
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Every recorded change of the waivers: added, changed, expired, removed."""
    from tutela.cli.state import existing_store

    fmt = check_format(fmt)
    store = existing_store(db)
    events = [] if store is None else store.waiver_history(waiver_id)
    if store is not None:
        store.close()
    if fmt == "json":
        echo_json({"events": events})
        return
    if not events:
        typer.echo("No waiver changes recorded.")
        return
    from rich.table import Table

    table = Table(title="Waiver history")
    for col in ("When (UTC)", "Waiver", "Action", "By", "Expires", "Reason"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(
            e.at.strftime("%Y-%m-%d %H:%M"),
            e.waiver_id,
            e.action,
            e.actor,
            str(e.data.get("expires_on", "")),
            str(e.data.get("note") or e.data.get("reason", "")),
        )
    console().print(table)
