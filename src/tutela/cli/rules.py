"""`tutela rules`: what tutela checks, and why."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tutela.cli.common import fail, load_catalog

rules_app = typer.Typer(
    help="List and explain the rules, each tied to ENG-POL-003 requirements.", no_args_is_help=True
)


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
            "kubernetes, dockerfile."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """List rules with their code, severity, requirements and sources."""
    from tutela.rules import default_rules

    rules = sorted(default_rules(), key=lambda r: r.code)
    if section:
        rules = [
            r for r in rules if any(c == section or c.startswith(section + ".") for c in r.controls)
        ]
    if source:
        rules = [r for r in rules if source in r.sources]
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "title": r.title,
            "severity": r.severity.label,
            "requirements": list(r.controls),
            "resource": r.resource_kind,
            "sources": list(r.sources),
        }
        for r in rules
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        import csv
        import sys

        w = csv.writer(sys.stdout)
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
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(rows)} rules", show_lines=False)
        for col in ("Code", "Severity", "Requirements", "Resource", "Title"):
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(
                str(row["code"]),
                str(row["severity"]),
                ", ".join(row["requirements"]),
                str(row["resource"]),
                str(row["title"]),
            )
        Console().print(table)
    else:
        fail(f"unknown format {fmt!r} (table, json or csv)")


@rules_app.command("show")
def show_rule(
    ctx: typer.Context,
    code: Annotated[
        str, typer.Argument(help="Rule code (ENC001) or name (bucket_encrypted_at_rest).")
    ],
) -> None:
    """Explain one rule: what it checks, why, how to fix, and the requirements it verifies."""
    from rich.console import Console
    from rich.markdown import Markdown

    from tutela.rules import default_rules
    from tutela.rules.docs import rule_markdown

    wanted = code.strip().lower()
    rules = default_rules()
    match = next((r for r in rules if wanted in (r.code.lower(), r.name.lower())), None)
    if match is None:
        import difflib

        names = [r.code for r in rules] + [r.name for r in rules]
        close = difflib.get_close_matches(code, names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        fail(f"no rule {code!r}{hint}")
    Console().print(Markdown(rule_markdown(match, load_catalog(ctx))))


@rules_app.command("docs")
def write_docs(
    ctx: typer.Context,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Folder for the generated pages.")
    ] = "docs/rules",
) -> None:
    """Generate one Markdown page per rule, plus an index, from the rules themselves."""
    from pathlib import Path

    from tutela.rules import default_rules
    from tutela.rules.docs import index_markdown, rule_markdown

    catalog = load_catalog(ctx)
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    rules = default_rules()
    for r in rules:
        (folder / f"{r.code}.md").write_text(rule_markdown(r, catalog), encoding="utf-8")
    (folder / "README.md").write_text(index_markdown(rules), encoding="utf-8")
    typer.echo(f"wrote {len(rules) + 1} pages to {folder}")
