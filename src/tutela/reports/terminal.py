"""The human report, written with Rich to the console it is given.

Layout: failures grouped by policy requirement (qualified id and short text,
then each failing finding: severity badge, rule code and title, resource,
file:line and message), rule errors, not-evaluated / suppressed / waived
summaries, parse errors, notes, then one summary line.

- default: failures and errors in detail; not evaluated, suppressed, waived
  and not applicable as counts per rule;
- `verbose`: every non-pass finding in detail;
- `show_passed`: passes listed too, grouped by requirement.

All text from findings goes out as `rich.text.Text` (never markup), so
brackets in resource addresses print as they are; long lines wrap and long
words fold at the console's width. Rich drops colours when the console is not
a terminal.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tutela.collectors import ServiceCoverage
from tutela.engine.findings import Finding, ScanResult
from tutela.reports import requirement_sort_key, sorted_findings, sorted_parse_errors
from tutela.reports.context import ReportContext
from tutela.rules.api import Severity, Status

SEVERITY_STYLE: dict[Severity, str] = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}

STATUS_LABEL: dict[Status, str] = {
    Status.FAIL: "failed",
    Status.ERROR: "error",
    Status.NOT_EVALUATED: "not evaluated",
    Status.SUPPRESSED: "suppressed",
    Status.WAIVED: "waived",
    Status.NOT_APPLICABLE: "not applicable",
    Status.PASS: "passed",
}

STATUS_STYLE: dict[Status, str] = {
    Status.FAIL: "bold red",
    Status.ERROR: "bold magenta",
    Status.NOT_EVALUATED: "yellow",
    Status.SUPPRESSED: "blue",
    Status.WAIVED: "blue",
    Status.NOT_APPLICABLE: "dim",
    Status.PASS: "green",
}

_SHORT_TEXT = 96
_BADGE_WIDTH = max(len(s.label) for s in Severity)


def short_text(text: str, limit: int = _SHORT_TEXT) -> str:
    """The first sentence of a requirement, cut to `limit` characters."""
    first = text.strip().split(". ", 1)[0].rstrip(".")
    if len(first) > limit:
        first = first[: limit - 1].rstrip() + "…"
    return first


def _badge(severity: Severity) -> Text:
    return Text(f" {severity.label.upper():<{_BADGE_WIDTH}} ", style=SEVERITY_STYLE[severity])


def _where(f: Finding) -> str:
    if f.location is not None:
        return f"{f.location.file}:{f.location.start_line}"
    if f.arn and f.arn != f.resource_address:
        return f.arn
    return f"live ({f.source})"


def _resource(f: Finding) -> str:
    return f.resource_address + (f" [{f.subject}]" if f.subject else "")


def _print(console: Console, text: Text) -> None:
    console.print(text, overflow="fold", highlight=False)


def _heading(console: Console, title: str, count: int | None = None, style: str = "bold") -> None:
    console.print()
    label = title if count is None else f"{title} ({count})"
    _print(console, Text(label, style=style))


def _grid(left_width: int | None = None) -> Table:
    """Two columns, the right one wrapping under itself (a hanging indent)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True, width=left_width)
    grid.add_column(overflow="fold")
    return grid


def _finding_detail(console: Console, f: Finding) -> None:
    body = Text.assemble((f.rule_code, "bold"), " ", f.title, "\n")
    body.append(_resource(f), style="cyan")
    body.append("  ")
    body.append(_where(f), style="dim")
    if f.message:
        body.append("\n" + f.message)
    if f.status is Status.SUPPRESSED and f.suppression is not None:
        sup = f.suppression
        body.append(f"\nsuppressed: {sup.reason} ({sup.location})", style="blue")
    _hanging(console, Text.assemble("  ", _badge(f.severity)), body)


def _hanging(console: Console, left: Text, body: Text) -> None:
    """`left`, then `body` wrapped with a hanging indent: what a two-column `_grid` prints,
    laid out by hand (a rich table per finding costs ~1 ms: seconds on a monorepo)."""
    indent = left.cell_len + 1  # the grid's one-space padding
    longest = max((cell_len(line) for line in body.plain.split("\n")), default=0)
    width = max(1, min(longest, console.width - indent))
    lines = body.wrap(console, width, overflow="fold")
    out = Text()
    blank = " " * indent
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
            out.append(blank)
        else:
            out.append_text(left)
            out.append(" ")
        line.pad_right(width - line.cell_len)
        out.append_text(line)
    console.print(out, highlight=False, no_wrap=True, overflow="ignore", crop=False)


def _by_requirement(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        for req in f.controls:
            groups[req].append(f)
    return groups


# Without --verbose, a requirement lists this many findings and then counts the rest:
# a monorepo with thousands of failures stays readable (and fast to print).
PER_REQUIREMENT = 20


def _grouped(
    console: Console, ctx: ReportContext, findings: Sequence[Finding], *, limit: int | None = None
) -> None:
    groups = _by_requirement(findings)
    for req in sorted(groups, key=requirement_sort_key):
        console.print()
        grid = _grid()
        text = ctx.requirement_text.get(req)
        grid.add_row(
            Text(ctx.qualified(req), style="bold underline"),
            Text(short_text(text), style="italic") if text else Text(""),
        )
        console.print(grid, highlight=False)
        shown = groups[req] if limit is None else groups[req][:limit]
        for f in shown:
            _finding_detail(console, f)
        hidden = len(groups[req]) - len(shown)
        if hidden:
            _print(console, Text(f"  … and {hidden} more for this requirement "
                                 "(--verbose lists them all; -f json for machines)", style="dim"))


def _per_rule_counts(console: Console, findings: Sequence[Finding]) -> None:
    per_rule: Counter[tuple[str, str]] = Counter((f.rule_code, f.title) for f in findings)
    for (code, title), n in sorted(per_rule.items()):
        noun = "finding" if n == 1 else "findings"
        _print(console, Text.assemble("  ", (code, "bold"), f" {title}: {n} {noun}"))


def _status_section(
    console: Console, findings: Sequence[Finding], status: Status, *, detail: bool
) -> None:
    chosen = [f for f in findings if f.status is status]
    if not chosen:
        return
    _heading(console, STATUS_LABEL[status].capitalize(), len(chosen), STATUS_STYLE[status])
    if detail:
        for f in chosen:
            _finding_detail(console, f)
    else:
        _per_rule_counts(console, chosen)


def summary_text(result: ScanResult) -> Text:
    counts = result.counts()
    line = Text("Summary: ", style="bold")
    parts: list[Text] = []
    for status in STATUS_LABEL:
        n = counts.get(status, 0)
        if n or status in (Status.FAIL, Status.PASS):
            parts.append(
                Text(f"{n} {STATUS_LABEL[status]}", style=STATUS_STYLE[status] if n else "")
            )
    if result.parse_errors:
        n = len(result.parse_errors)
        parts.append(Text(f"{n} parse error{'s' if n != 1 else ''}", style="bold magenta"))
    line.append_text(Text(", ").join(parts))
    resources = "resource" if result.resource_count == 1 else "resources"
    files = "file" if result.files_scanned == 1 else "files"
    rules = "rule" if result.rule_count == 1 else "rules"
    line.append(
        f" | {result.resource_count} {resources} in {result.files_scanned} {files}, "
        f"{result.rule_count} {rules}, {result.duration_seconds:.2f}s"
    )
    return line


def write_report(
    result: ScanResult,
    ctx: ReportContext,
    console: Console,
    *,
    verbose: bool = False,
    show_passed: bool = False,
) -> None:
    findings = sorted_findings(result.findings)
    header = Text.assemble(("tutela", "bold"), f" {ctx.tool_version} · {ctx.policy_id}")
    if result.targets:
        header.append(" · " + ", ".join(result.targets))
    _print(console, header)

    failures = [f for f in findings if f.status is Status.FAIL]
    if failures:
        _heading(console, "Failures by requirement", len(failures), STATUS_STYLE[Status.FAIL])
        _grouped(console, ctx, failures, limit=None if verbose else PER_REQUIREMENT)
    else:
        console.print()
        _print(console, Text("No failures.", style="green"))

    _status_section(console, findings, Status.ERROR, detail=True)
    for status in (Status.NOT_EVALUATED, Status.SUPPRESSED, Status.WAIVED):
        _status_section(console, findings, status, detail=verbose)
    if verbose:
        _status_section(console, findings, Status.NOT_APPLICABLE, detail=True)

    if show_passed:
        passes = [f for f in findings if f.status is Status.PASS]
        if passes:
            _heading(console, "Passed by requirement", len(passes), STATUS_STYLE[Status.PASS])
            _grouped(console, ctx, passes, limit=None if verbose else PER_REQUIREMENT)

    if result.parse_errors:
        _heading(console, "Parse errors", len(result.parse_errors), "bold magenta")
        for e in sorted_parse_errors(result.parse_errors):
            where = e.file
            if e.line is not None:
                where += f":{e.line}"
                if e.column is not None:
                    where += f":{e.column}"
            _print(console, Text.assemble("  ", (where, "bold"), "  ", e.message))

    if result.coverage:
        _coverage(console, result)

    if result.notes:
        _heading(console, "Notes")
        for note in result.notes:
            _print(console, Text.assemble("  - ", note))

    console.print()
    _print(console, summary_text(result))


COVERAGE_STYLE = {"complete": "green", "partial": "yellow", "failed": "bold red", "skipped": "dim"}


def _coverage(console: Console, result: ScanResult) -> None:
    """Live collections: one row per service (its regions' statuses), then every gap."""
    entries = sorted(result.coverage, key=lambda c: (c.service, c.region))
    by_service: dict[str, list[ServiceCoverage]] = defaultdict(list)
    for c in entries:
        by_service[c.service].append(c)
    _heading(console, "Coverage by service and region", len(entries))
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, pad_edge=False)
    for title in ("  service", "regions", "status", "resources", "API calls"):
        table.add_column(title, no_wrap=True)
    for service, items in by_service.items():
        statuses = Counter(c.status for c in items)
        worst = next((s for s in ("failed", "partial", "skipped") if statuses[s]), "complete")
        detail = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        table.add_row(
            Text("  " + service),
            Text(", ".join(c.region for c in items) if len(items) <= 3 else f"{len(items)}"),
            Text(detail, style=COVERAGE_STYLE.get(worst, "")),
            Text(str(sum(c.resources for c in items))),
            Text(str(sum(c.api_calls for c in items))),
        )
    console.print(table, highlight=False)
    incomplete = [c for c in entries if c.status != "complete"]
    if incomplete:
        _heading(console, "Coverage gaps (rules over what they hide say not evaluated)",
                 len(incomplete), "yellow")
        for c in incomplete:
            _print(console, Text.assemble(
                "  ", (f"{c.service} {c.region}", "bold"), " ",
                (c.status, COVERAGE_STYLE.get(c.status, ""))))
            for g in c.gaps:
                _print(console, Text.assemble("      - ", g.text))


def render_text(result: ScanResult, ctx: ReportContext, *, width: int = 100) -> str:
    """The terminal report as plain text (no colour codes), e.g. for `--output report.txt`."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=False,
        color_system=None,
        no_color=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    write_report(result, ctx, console, verbose=True)
    return buffer.getvalue()
