"""`tutela rules`: what tutela checks, and why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tutela.cli.common import EXIT_FINDINGS, fail, load_catalog

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog
    from tutela.rules.api import Rule

rules_app = typer.Typer(
    help="List and explain the rules, each tied to ENG-POL-003 requirements.", no_args_is_help=True
)

LIST_FORMATS = ("table", "json", "csv")
SHOW_FORMATS = ("text", "markdown", "json")


def _all_rules() -> list[Rule]:
    from tutela.rules import default_rules

    return sorted(default_rules(), key=lambda r: r.code)


def _section_filter(rules: list[Rule], section: str) -> list[Rule]:
    wanted = section.strip().removeprefix("ENG-POL-003:").rstrip(".")
    if not wanted or not all(part.isalnum() for part in wanted.split(".")):
        fail(f"--section {section!r} is not a section or requirement id (3.3, 3.3.1.a.3)")
    return [r for r in rules if any(c == wanted or c.startswith(wanted + ".") for c in r.controls)]


def _source_filter(rules: list[Rule], source: str) -> list[Rule]:
    wanted = source.strip().lower()
    known = sorted({s for r in rules for s in r.sources})
    if wanted not in known:
        fail(f"unknown source {source!r} (choose from {', '.join(known)})")
    return [r for r in rules if wanted in r.sources]


def _row(r: Rule) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "title": r.title,
        "severity": r.severity.label,
        "requirements": list(r.controls),
        "resource": r.resource_kind,
        "sources": list(r.sources),
    }


@rules_app.command("list")
def list_rules(
    section: Annotated[
        str | None,
        typer.Option(help="Only rules verifying this section or requirement (3.3, 3.3.1.a.3)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="Only rules for this source: terraform, terraform-plan, cloudformation, "
            "kubernetes, dockerfile, aws (live)."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """List rules with their code, severity, requirements and sources.

    JSON is an array of {"code", "name", "title", "severity", "requirements": [str],
    "resource", "sources": [str]}, sorted by code.
    """
    if fmt not in LIST_FORMATS:
        fail(f"unknown format {fmt!r} ({', '.join(LIST_FORMATS)})")
    rules = _all_rules()
    if section:
        rules = _section_filter(rules, section)
    if source:
        rules = _source_filter(rules, source)
    rows = [_row(r) for r in rules]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        import csv
        import sys

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["code", "name", "severity", "requirements", "resource", "sources", "title"])
        for row in rows:
            w.writerow(
                [
                    row["code"],
                    row["name"],
                    row["severity"],
                    ";".join(row["requirements"]),
                    row["resource"],
                    ";".join(row["sources"]),
                    row["title"],
                ]
            )
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(rows)} rules", show_lines=False)
        for col in ("Code", "Severity", "Requirements", "Resource", "Sources", "Title"):
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(
                str(row["code"]),
                str(row["severity"]),
                ", ".join(row["requirements"]),
                str(row["resource"]),
                ", ".join(row["sources"]),
                str(row["title"]),
            )
        Console().print(table)


def _find(code: str, rules: list[Rule]) -> Rule:
    wanted = code.strip().lower()
    match = next((r for r in rules if wanted in (r.code.lower(), r.name.lower())), None)
    if match is None:
        import difflib

        names = [r.code for r in rules] + [r.name for r in rules]
        close = difflib.get_close_matches(code.strip().upper(), names, n=3) or (
            difflib.get_close_matches(code.strip().lower(), names, n=3)
        )
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        fail(f"no rule {code!r}{hint}")
    return match


def _rule_json(r: Rule, catalog: Catalog) -> dict[str, Any]:
    from tutela.rules.docs import example_names

    by_id = {req.id: req for req in catalog.requirements}
    return {
        **_row(r),
        "description": r.description,
        "requirements": [
            {"id": c, "text": by_id[c].text if c in by_id else None} for c in r.controls
        ],
        "remediation": r.remediation,
        "snippets": dict(r.remediation_snippets),
        "examples": example_names(r.code),
    }


@rules_app.command("show")
def show_rule(
    ctx: typer.Context,
    code: Annotated[
        str, typer.Argument(help="Rule code (ENC001) or name (bucket_encrypted_at_rest).")
    ],
    fmt: Annotated[str, typer.Option("--format", help="text, markdown or json.")] = "text",
) -> None:
    """Explain one rule: what it checks, why, how to fix, and the requirements it verifies."""
    if fmt not in SHOW_FORMATS:
        fail(f"unknown format {fmt!r} ({', '.join(SHOW_FORMATS)})")
    from tutela.rules.docs import example_names, rule_markdown

    match = _find(code, _all_rules())
    catalog = load_catalog(ctx)
    if fmt == "json":
        typer.echo(json.dumps(_rule_json(match, catalog), indent=2))
        return
    page = rule_markdown(match, catalog, examples=example_names(match.code))
    if fmt == "markdown":
        typer.echo(page, nl=False)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console().print(Markdown(page))


@rules_app.command("docs")
def write_docs(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the generated pages.")
    ] = Path("docs/rules"),
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 when the folder is not up to date (for CI)."
        ),
    ] = False,
) -> None:
    """Generate one Markdown page per rule, plus an index, from the rules themselves.

    Pages of rules that no longer exist are removed.
    """
    from tutela.rules.docs import is_generated_page, render_docs

    pages = render_docs(_all_rules(), load_catalog(ctx))
    existing = (
        {p.name: p for p in output.glob("*.md") if is_generated_page(p)}
        if (output.is_dir())
        else {}
    )
    stale = sorted(n for n in existing if n not in pages)
    changed = sorted(
        n
        for n, text in pages.items()
        if n not in existing or existing[n].read_text(encoding="utf-8") != text
    )
    if check:
        if stale or changed:
            typer.echo(
                f"{output} is out of date ({len(changed)} to write, {len(stale)} to remove): "
                "run `tutela rules docs`"
            )
            raise typer.Exit(EXIT_FINDINGS)
        typer.echo(f"{output} is up to date ({len(pages)} pages)")
        return
    output.mkdir(parents=True, exist_ok=True)
    for name in changed:
        (output / name).write_text(pages[name], encoding="utf-8")
    for name in stale:
        existing[name].unlink()
    typer.echo(
        f"wrote {len(changed)} of {len(pages)} pages to {output}"
        + (f", removed {len(stale)} stale" if stale else "")
    )
