"""`tutela evidence`: record and follow evidence for procedural requirements."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

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
    finding_row,
    now,
    open_store,
    parse_date,
    today,
)

if TYPE_CHECKING:
    from tutela.evidence.access_review import AccessDecision

evidence_app = typer.Typer(
    help="Evidence for procedural requirements: who did what, when, with which files; "
    "due dates from each requirement's cadence; access reviews.",
    no_args_is_help=True,
)
access_review_app = typer.Typer(
    help="Access reviews (3.2.2.a.1 quarterly, 3.2.2.a.2 annual): a CSV sheet of principals "
    "and privileges to decide keep or revoke.",
    no_args_is_help=True,
)
evidence_app.add_typer(access_review_app, name="access-review")

IntervalOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--interval",
        help="Give a cadence or requirement a due interval: KIND_OR_REQUIREMENT=DAYS "
        "(on_event=365, 3.2.2.a.5=180). Repeatable.",
        show_default=False,
    ),
]
DueSoonOption = Annotated[
    int, typer.Option("--due-soon", help="Days before the due date that count as due soon.", min=0)
]


@evidence_app.command("record")
def record_command(
    ctx: typer.Context,
    requirement: Annotated[str, typer.Argument(help="Requirement id, e.g. 3.2.2.a.1.")],
    performed_on: Annotated[
        str, typer.Option("--performed-on", help="When it was performed (YYYY-MM-DD).")
    ],
    by: Annotated[str, typer.Option("--by", help="Who performed it.")],
    attach: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--attach", help="A file to keep as evidence (repeatable).", dir_okay=False),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="What was done, what was found.")] = "",
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Record that a procedural requirement was performed.

    Attachments are copied into the evidence folder beside the store
    (`.tutela/evidence/<sha256>`) and their SHA-256 kept with the record; the
    record is appended to the audit log.

      tutela evidence record 3.6.2.a.4 --performed-on 2025-03-02 --by "DR team" \\
          --attach dr-test-report.pdf --note "failover to us-west-2 in 38 min"
    """
    from tutela.errors import TutelaError
    from tutela.evidence.records import record_evidence

    fmt = check_format(fmt)
    catalog = load_catalog(ctx)
    day = parse_date(performed_on, "--performed-on")
    store = open_store(db)
    try:
        rec = record_evidence(
            store,
            catalog,
            requirement,
            performed_on=day,
            performed_by=by,
            today=today(),
            now=now(),
            actor=actor(),
            attach=list(attach or ()),
            note=note,
        )
    except TutelaError as exc:
        fail(str(exc))
    finally:
        store.close()
    if fmt == "json":
        echo_json(rec)
        return
    typer.echo(
        f"recorded {rec.id}: {rec.requirement_id} performed on {rec.performed_on} "
        f"by {rec.performed_by}"
    )
    for a in rec.attachments:
        typer.echo(f"  {a.name}  sha256 {a.sha256}")


def _statuses(ctx: typer.Context, store: Any, day: Any, due_soon: int, intervals: Any) -> Any:
    from tutela.evidence.cadence import evidence_statuses

    catalog = load_catalog(ctx)
    records = store.evidence_records() if store is not None else []
    return catalog, evidence_statuses(
        catalog, records, today=day, due_soon_days=due_soon, intervals=intervals
    )


def _intervals(values: list[str] | None) -> dict[str, int]:
    from tutela.evidence.cadence import parse_intervals

    try:
        return parse_intervals(values or ())
    except ValueError as exc:
        fail(str(exc))


def open_revocations(store: Any) -> list[AccessDecision]:
    from tutela.evidence.access_review import refresh_revocations

    if store is None:
        return []
    return refresh_revocations(store, actor=actor(), now=now())


@evidence_app.command("status")
def status_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    due_soon: DueSoonOption = 14,
    interval: IntervalOption = None,
    fail_on_overdue: Annotated[
        bool, typer.Option("--fail-on-overdue", help="Exit 1 when a requirement is overdue.")
    ] = False,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Show every evidence or hybrid requirement: attested, due soon, overdue or missing,
    with its last performance and next due date, and the open access revocations."""
    from tutela.cli.state import existing_store
    from tutela.evidence.access_review import revocation_findings
    from tutela.evidence.model import EvidenceState

    fmt = check_format(fmt)
    day = parse_date(as_of, "--as-of", default=today())
    store = existing_store(db)
    try:
        catalog, statuses = _statuses(ctx, store, day, due_soon, _intervals(interval))
        revocations = open_revocations(store)
    finally:
        if store is not None:
            store.close()
    order = {
        EvidenceState.OVERDUE: 0,
        EvidenceState.DUE_SOON: 1,
        EvidenceState.MISSING: 2,
        EvidenceState.ATTESTED: 3,
    }
    reqs = {r.id: r for r in catalog.requirements}
    rows = sorted(statuses.values(), key=lambda s: (order[s.state], s.requirement_id))
    overdue = sum(s.state is EvidenceState.OVERDUE for s in rows)
    if fmt == "json":
        echo_json(
            {
                "as_of": day,
                "requirements": [
                    {
                        "requirement": s.requirement_id,
                        "cadence": reqs[s.requirement_id].cadence.kind.value,
                        "verification": reqs[s.requirement_id].verification.kind.value,
                        "state": s.state,
                        "last_performed": s.last_performed,
                        "next_due": s.next_due,
                        "record": s.record,
                    }
                    for s in rows
                ],
                "open_revocations": [finding_row(f) for f in revocation_findings(revocations)],
            }
        )
    else:
        from rich.table import Table

        styles = {
            EvidenceState.OVERDUE: "red",
            EvidenceState.DUE_SOON: "yellow",
            EvidenceState.MISSING: "dim",
            EvidenceState.ATTESTED: "green",
        }
        table = Table(title=f"Evidence as of {day}")
        for col in ("Requirement", "Cadence", "State", "Last performed", "Next due", "By"):
            table.add_column(col, overflow="fold")
        for s in rows:
            table.add_row(
                s.requirement_id,
                reqs[s.requirement_id].cadence.kind.value,
                f"[{styles[s.state]}]{s.state.value.replace('_', ' ')}[/]",
                str(s.last_performed or ""),
                str(s.next_due or ""),
                s.record.performed_by if s.record else "",
            )
        out = console()
        out.print(table)
        counts = {st: sum(s.state is st for s in rows) for st in order}
        out.print(", ".join(f"{n} {st.value.replace('_', ' ')}" for st, n in counts.items()))
        _print_revocations(revocations)
    raise typer.Exit(EXIT_FINDINGS if fail_on_overdue and overdue else EXIT_OK)


def _print_revocations(revocations: list[AccessDecision]) -> None:
    if not revocations:
        return
    out = console()
    out.print(f"[red]{len(revocations)} open revocation(s)[/red] (ACCESS-REVOKE, 3.2.2.a.4):")
    for d in revocations:
        e = d.entry
        out.print(
            f"  {e.principal_kind} {e.principal}: {e.privilege}  "
            f"(review {d.record_id}, {d.reviewer})",
            highlight=False,
        )


@access_review_app.command("start")
def access_review_start(
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            help="The sheet to write [default: access-review-<date>.csv].",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    snapshot: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--snapshot", help="Review this saved AWS snapshot.", dir_okay=False),
    ] = None,
    from_paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--from", help="Review the IAM of these IaC files or directories."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a review sheet (CSV) of principals and their privileges.

    From --snapshot or --from when given; else the latest recorded AWS snapshot;
    else the targets of the latest recorded scan (IAM users, roles and inline
    policies declared in IaC). Fill `decision` (keep or revoke) and `reviewer`
    per row, then `tutela evidence access-review complete SHEET`.
    """
    import hashlib

    from tutela.evidence.access_review import (
        AccessReviewError,
        load_access_view,
        review_sources,
        sheet_text,
    )

    store = open_store(db)
    try:
        paths, described = review_sources(store, snapshot=snapshot, paths=list(from_paths or ()))
        entries = load_access_view(paths)
        target = output or Path(f"access-review-{today().isoformat()}.csv")
        text = sheet_text(entries)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        store.append_audit(
            "access_review.started",
            {
                "sheet": str(target),
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "source": described,
                "rows": len(entries),
            },
            actor=actor(),
        )
    except AccessReviewError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the sheet: {exc}")
    finally:
        store.close()
    principals = len({(e.principal_kind, e.principal) for e in entries})
    typer.echo(
        f"wrote {target}: {len(entries)} privilege(s) of {principals} principal(s) from {described}"
    )
    if not entries:
        typer.secho("warning: no IAM principal found to review", err=True, fg=typer.colors.YELLOW)


@access_review_app.command("complete")
def access_review_complete(
    ctx: typer.Context,
    sheet: Annotated[Path, typer.Argument(help="The filled review sheet.", dir_okay=False)],
    by: Annotated[str, typer.Option("--by", help="Who performed the review.")],
    performed_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--performed-on", help="When it was completed [default: today].", show_default=False
        ),
    ] = None,
    annual: Annotated[
        bool,
        typer.Option(
            "--annual",
            help="The annual comprehensive review (3.2.2.a.2) rather than "
            "the quarterly one (3.2.2.a.1).",
        ),
    ] = False,
    note: Annotated[str, typer.Option("--note", help="Anything the auditor should know.")] = "",
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Record a completed review sheet as evidence, with every decision.

    Rows decided `revoke` stay open findings (ACCESS-REVOKE on 3.2.2.a.4) until a
    later recorded scan or snapshot no longer shows the privilege.
    """
    from tutela.errors import TutelaError
    from tutela.evidence.access_review import (
        ANNUAL_REVIEW,
        QUARTERLY_REVIEW,
        read_sheet,
        revocation_findings,
    )
    from tutela.evidence.records import record_evidence

    fmt = check_format(fmt)
    catalog = load_catalog(ctx)
    day = parse_date(performed_on, "--performed-on", default=today())
    requirement = ANNUAL_REVIEW if annual else QUARTERLY_REVIEW
    store = open_store(db)
    try:
        decisions = read_sheet(sheet, default_reviewer=by)
        rec = record_evidence(
            store,
            catalog,
            requirement,
            performed_on=day,
            performed_by=by,
            today=today(),
            now=now(),
            actor=actor(),
            attach=[sheet],
            note=note,
            kind="access_review",
            decisions=decisions,
        )
        revocations = open_revocations(store)
    except TutelaError as exc:
        fail(str(exc))
    finally:
        store.close()
    revoke = sum(d.decision == "revoke" for d in decisions)
    if fmt == "json":
        echo_json(
            {
                "record": rec,
                "decisions": {"keep": len(decisions) - revoke, "revoke": revoke},
                "open_revocations": [finding_row(f) for f in revocation_findings(revocations)],
            }
        )
        return
    typer.echo(
        f"recorded {rec.id}: access review {requirement} on {rec.performed_on} by {by}: "
        f"{len(decisions) - revoke} keep, {revoke} revoke"
    )
    _print_revocations(revocations)


@access_review_app.command("status")
def access_review_status(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """List the open revocations (checked against the latest recorded scan first)."""
    from tutela.cli.state import existing_store
    from tutela.evidence.access_review import revocation_findings

    fmt = check_format(fmt)
    store = existing_store(db)
    try:
        revocations = open_revocations(store)
    finally:
        if store is not None:
            store.close()
    if fmt == "json":
        echo_json({"open_revocations": [finding_row(f) for f in revocation_findings(revocations)]})
        return
    if not revocations:
        typer.echo("No open revocations.")
    _print_revocations(revocations)
