"""`tutela catalog ...`: the policy as data.

Heavy modules (pydantic, yaml, rich) are imported inside the commands so
that `tutela --version` and `--help` stay instant.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from tutela.cli.common import EXIT_FINDINGS, EXIT_OK, fail, load_catalog

if TYPE_CHECKING:
    from rich.console import Console

    from tutela.catalog.model import Catalog, Requirement

catalog_app = typer.Typer(
    help=(
        "Explore the policy as a catalog: requirements, owners, cadence, verification and the "
        "section-4 framework mapping. Uses the shipped ENG-POL-003 catalog, or the file given "
        "with `tutela --catalog FILE`."
    ),
    no_args_is_help=True,
)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    oscal = "oscal"
    yaml = "yaml"
    json = "json"


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _owners(req: Requirement) -> str:
    return ", ".join(o.role + (" (inferred)" if o.inferred else "") for o in req.owners)


def _cadence(req: Requirement) -> str:
    cadence = req.cadence
    return f"{cadence.kind.value} ({cadence.trigger})" if cadence.trigger else cadence.kind.value


def _write(text: str, output: Path | None, what: str) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    typer.echo(f"wrote {what} to {output}", err=True)


def _check_scope(catalog: Catalog, section: str) -> str:
    wanted = section.strip().rstrip(".")
    known = {a.id for a in catalog.areas}
    for sec in catalog.sections():
        known.add(sec.id)
        known.update(g.id for g in sec.groups)
    if wanted not in known and wanted not in catalog:
        areas = ", ".join(a.id for a in catalog.areas)
        fail(f"no section {section!r} in {catalog.policy_id} (areas: {areas})")
    return wanted


def _check_framework(catalog: Catalog, framework: str) -> str:
    from tutela.catalog.model import framework_key

    key = framework_key(framework)
    known = catalog.frameworks()
    if key not in known:
        fail(
            f"no framework {framework!r} in {catalog.policy_id}'s mapping "
            f"(known: {', '.join(known)})"
        )
    return key


# --------------------------------------------------------------------------- import


@catalog_app.command("import")
def import_command(
    policy: Annotated[
        Path, typer.Argument(help="Policy markdown (ENG-POL-003 layout).", dir_okay=False)
    ],
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer needs Optional on 3.11
        typer.Option(
            "--output", "-o", help="Write the catalog YAML here (default: stdout).", dir_okay=False
        ),
    ] = None,
    policy_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--policy-id", help="Policy id, when the title does not carry one like '(ENG-POL-003)'."
        ),
    ] = None,
) -> None:
    """Generate a catalog from an (edited) policy markdown file.

    Use the result everywhere with `tutela --catalog FILE <command>`.
    """
    from tutela.catalog.importer import import_policy
    from tutela.catalog.loader import dump_catalog
    from tutela.errors import TutelaError

    try:
        catalog = import_policy(policy, policy_id=policy_id)
    except TutelaError as exc:
        fail(str(exc))
    counts = {kind: 0 for kind in ("automated", "hybrid", "evidence")}
    for req in catalog.requirements:
        counts[req.verification.kind.value] += 1
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    _write(dump_catalog(catalog), output, f"{len(catalog.requirements)} requirements ({summary})")


# --------------------------------------------------------------------------- list


@catalog_app.command("list")
def list_command(
    ctx: typer.Context,
    section: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--section", "-s", help="Only this area, section or group (3.3, 3.3.1, 3.3.1.a)."
        ),
    ] = None,
    framework: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--framework",
            "-f",
            help="Only requirements mapped to this framework (HITRUST, HIPAA, SOC2, NIST, CIS; "
            "case-insensitive), showing only its references.",
        ),
    ] = None,
    control: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--control",
            help="With --framework: only requirements mapped to this control (e.g. 16.c).",
        ),
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
) -> None:
    """List requirements (id, group, text, verification, cadence, owners).

    JSON is an array of requirement objects with every field of the catalog
    (text, titles, owners, cadence, verification, references).
    """
    catalog = load_catalog(ctx)
    requirements = list(catalog.requirements)
    if section:
        requirements = list(catalog.select(_check_scope(catalog, section)))
    key: str | None = None
    if control and not framework:
        fail("--control needs --framework")
    if framework:
        key = _check_framework(catalog, framework)
        requirements = [
            req
            for req in requirements
            if any(
                ref.framework == key and (control is None or ref.control.lower() == control.lower())
                for ref in req.references
            )
        ]

    def references(req: Requirement) -> list[Any]:
        return [ref for ref in req.references if key is None or ref.framework == key]

    if fmt is ListFormat.json:
        rows = []
        for req in requirements:
            data = req.model_dump(mode="json")
            data["references"] = [ref.model_dump(mode="json") for ref in references(req)]
            rows.append(data)
        _echo_json(rows)
        return
    if fmt is ListFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "area",
                "section",
                "group",
                "group_title",
                "verification",
                "cadence",
                "owners",
                "references",
                "text",
            ]
        )
        for req in requirements:
            writer.writerow(
                [
                    req.id,
                    req.area,
                    req.section,
                    req.group_id,
                    req.group_title,
                    req.verification.kind.value,
                    req.cadence.kind.value,
                    "; ".join(o.role for o in req.owners),
                    "; ".join(ref.label for ref in references(req)),
                    req.text,
                ]
            )
        typer.echo(buffer.getvalue(), nl=False)
        return

    from rich.table import Table

    title = f"{catalog.policy_id}: {len(requirements)} requirements"
    if key:
        title += f" mapped to {key}" + (f" {control}" if control else "")
    table = Table(title=title, show_lines=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("Group")
    table.add_column("Requirement")
    table.add_column("Verification")
    table.add_column("Cadence")
    table.add_column("Owners")
    if key:
        table.add_column(key)
    for req in requirements:
        cells = [
            req.id,
            req.group_title,
            req.text,
            req.verification.kind.value,
            _cadence(req),
            ", ".join(o.role for o in req.owners),
        ]
        if key:
            cells.append(", ".join(dict.fromkeys(ref.control for ref in references(req))))
        table.add_row(*cells)
    _console().print(table)


# --------------------------------------------------------------------------- show


@catalog_app.command("show")
def show_command(
    ctx: typer.Context,
    requirement_id: Annotated[
        str, typer.Argument(metavar="ID", help="Requirement id, e.g. 3.6.2.a.4.")
    ],
    fmt: Annotated[ShowFormat, typer.Option("--format", help="Output format.")] = ShowFormat.text,
) -> None:
    """Show one requirement: text, titles, owners, cadence, verification, framework references."""
    from tutela.errors import UnknownRequirementError

    catalog = load_catalog(ctx)
    try:
        req = catalog.get(requirement_id)
    except UnknownRequirementError as exc:
        fail(str(exc))
    if fmt is ShowFormat.json:
        _echo_json({"qualified_id": catalog.qualified(req.id), **req.model_dump(mode="json")})
        return

    lines = [
        catalog.qualified(req.id),
        f"  {req.text}",
        "",
        f"Area:          {req.area} {req.area_title}",
        f"Section:       {req.section} {req.section_title}",
        f"Group:         {req.group_id} {req.group_title} (item {req.item})",
        f"Policy line:   {req.line}",
        "Owners:",
    ]
    for owner in req.owners:
        mark = " (inferred)" if owner.inferred else ""
        lines.append(f"  - {owner.role}{mark}: {owner.basis}")
    cadence = req.cadence
    text = cadence.kind.value
    if cadence.interval_days:
        text += f", every {cadence.interval_days} days"
    if cadence.trigger:
        text += f", trigger: {cadence.trigger}"
    if cadence.phrase:
        text += f' ("{cadence.phrase}")'
    lines.append(f"Cadence:       {text}")
    lines.append(f"Verification:  {req.verification.kind.value}: {req.verification.rationale}")
    lines.append("References:")
    for ref in req.references:
        version = f" {ref.version}" if ref.version else ""
        title = f" - {ref.title}" if ref.title else ""
        lines.append(
            f"  - {ref.framework} {ref.control}{title}  "
            f"[{ref.framework_name}{version}; section 4 row '{ref.scope}', line {ref.line}]"
        )
    typer.echo("\n".join(lines))


# --------------------------------------------------------------------------- coverage


@catalog_app.command("coverage")
def coverage_command(
    ctx: typer.Context,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.table,
) -> None:
    """For each requirement: its verification type and the rules/evidence types that verify it.

    Status per requirement: covered (an automated requirement has a rule, an
    evidence requirement an evidence type, a hybrid one both), partial (a
    hybrid requirement with only one of them, or a verifier of the other kind
    only), uncovered (nothing verifies it).

    JSON (stable; keys never renamed within catalog format tutela-catalog/1):
    {"policy_id": str,
     "totals": {"total", "covered", "partial", "uncovered", "automated", "hybrid",
                "evidence", "rules", "evidence_types": int},
     "sections": [{"section", "title": str, "total", "covered", "partial", "uncovered": int}],
     "requirements": [{"requirement", "section": str,
                       "verification": "automated"|"hybrid"|"evidence",
                       "status": "covered"|"partial"|"uncovered",
                       "verifiers": [{"kind": "rule"|"evidence", "code", "title": str}],
                       "missing": ["rule"|"evidence", ...]}],
     "unknown_controls": [{"kind", "code", "control": str}]}
    in catalog order.
    """
    from tutela.catalog.coverage import compute_coverage
    from tutela.engine.verifiers import default_verifiers

    catalog = load_catalog(ctx)
    report = compute_coverage(catalog, default_verifiers(catalog))
    if fmt is ReportFormat.json:
        _echo_json(report.model_dump(mode="json"))
        return

    from rich.table import Table

    console = _console()
    summary = Table(title=f"{catalog.policy_id} coverage by section")
    for column in ("Section", "Title", "Total", "Covered", "Partial", "Uncovered"):
        summary.add_column(
            column, justify="right" if column not in ("Section", "Title") else "left"
        )
    for sec in report.sections:
        summary.add_row(
            sec.section,
            sec.title,
            *(str(n) for n in (sec.total, sec.covered, sec.partial, sec.uncovered)),
        )
    t = report.totals
    summary.add_row(
        "all", "", str(t.total), str(t.covered), str(t.partial), str(t.uncovered), style="bold"
    )
    console.print(summary)

    detail = Table(title="Requirements")
    for column in ("ID", "Verification", "Status", "Verified by", "Missing"):
        detail.add_column(column)
    for entry in report.requirements:
        by = ", ".join(f"{v.kind} {v.code}" for v in entry.verifiers) or "-"
        detail.add_row(
            entry.requirement,
            entry.verification.value,
            entry.status.value,
            by,
            ", ".join(entry.missing) or "-",
        )
    console.print(detail)
    console.print(
        f"{t.covered} covered, {t.partial} partial, {t.uncovered} uncovered of {t.total} "
        f"({t.automated} automated, {t.hybrid} hybrid, {t.evidence} evidence; "
        f"{t.rules} rules, {t.evidence_types} evidence types)"
    )
    for unknown in report.unknown_controls:
        console.print(
            f"[yellow]{unknown.kind} {unknown.code} names unknown requirement {unknown.control}[/]"
        )


# --------------------------------------------------------------------------- lint


@catalog_app.command("lint")
def lint_command(
    ctx: typer.Context,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there is any finding.")
    ] = False,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="Output format.")
    ] = ReportFormat.table,
) -> None:
    """Report problems in the section-4 framework mapping (never changes it).

    Each finding names the section-4 row (policy line and row text) it comes
    from. Exit 0, or 1 with --strict when there are findings; 2 on usage errors.

    JSON: {"policy_id": str, "counts": {"error", "warning", "info": int},
    "findings": [{"code", "severity", "message", "line", "row", "framework",
    "control", "requirements"}]}.
    """
    from tutela.catalog.lint import Severity, lint_catalog

    catalog = load_catalog(ctx)
    findings = lint_catalog(catalog)
    counts = {
        severity.value: sum(f.severity is severity for f in findings) for severity in Severity
    }
    if fmt is ReportFormat.json:
        _echo_json(
            {
                "policy_id": catalog.policy_id,
                "counts": counts,
                "findings": [f.model_dump(mode="json") for f in findings],
            }
        )
    else:
        from rich.markup import escape
        from rich.table import Table

        console = _console()
        if findings:
            table = Table(title=f"{catalog.policy_id} mapping lint", show_lines=True)
            for column in ("Severity", "Code", "Line", "Finding", "Section-4 row"):
                table.add_column(column, no_wrap=column in ("Severity", "Code", "Line"))
            colors = {"error": "red", "warning": "yellow", "info": "cyan"}
            for f in findings:
                table.add_row(
                    f"[{colors[f.severity.value]}]{f.severity.value}[/]",
                    f.code,
                    str(f.line) if f.line is not None else "-",
                    escape(f.message),
                    escape(f.row or "-"),
                )
            console.print(table)
        console.print(
            f"{len(findings)} findings ({counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info)"
        )
    raise typer.Exit(EXIT_FINDINGS if strict and findings else EXIT_OK)


# --------------------------------------------------------------------------- export


@catalog_app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", help="oscal: OSCAL 1.1.2 catalog JSON; yaml/json: tutela's catalog."
        ),
    ] = ExportFormat.oscal,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write here (default: stdout).", dir_okay=False),
    ] = None,
    last_modified: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--last-modified",
            help="OSCAL metadata last-modified (ISO 8601 with timezone). Default: a fixed time, "
            "so the same catalog always exports the same bytes.",
        ),
    ] = None,
) -> None:
    """Export the catalog (OSCAL catalog JSON by default)."""
    catalog = load_catalog(ctx)
    if fmt is ExportFormat.oscal:
        from tutela.catalog.oscal import DEFAULT_LAST_MODIFIED, dump_oscal

        moment: datetime | str = DEFAULT_LAST_MODIFIED
        if last_modified:
            try:
                parsed = datetime.fromisoformat(last_modified.replace("Z", "+00:00"))
            except ValueError:
                fail(f"--last-modified {last_modified!r} is not an ISO 8601 date-time")
            if parsed.tzinfo is None:
                fail("--last-modified needs a timezone (e.g. 2025-01-31T12:00:00Z)")
            moment = parsed
        text = dump_oscal(catalog, last_modified=moment)
    elif fmt is ExportFormat.yaml:
        from tutela.catalog.loader import dump_catalog

        text = dump_catalog(catalog)
    else:
        text = json.dumps(catalog.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    _write(text, output, f"{fmt.value} catalog of {len(catalog.requirements)} requirements")
