"""Scan report formats: terminal (Rich), JSON, SARIF 2.1.0, JUnit XML, CSV, and for
auditors HTML, OCSF and OSCAL (assessment results, POA&M).

`render(fmt, result, ctx)` returns a machine format as text (each format's
module is imported only when asked for); `render_terminal(...)` writes the
human report to the Rich console it is given. Renderers never print anywhere
else, and every one of them lists findings in one deterministic order
(`sorted_findings`), so the same scan renders the same text except for the
duration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tutela.engine.findings import Finding, FindingList, ScanResult
from tutela.reports.context import ReportContext
from tutela.sources.raw import ParseError

if TYPE_CHECKING:
    from rich.console import Console

    from tutela.reports.audit import AuditInputs

__all__ = [
    "AUDIT_FORMATS",
    "FORMATS",
    "MACHINE_FORMATS",
    "ReportContext",
    "finding_sort_key",
    "render",
    "render_audit",
    "render_terminal",
    "requirement_sort_key",
    "section_of",
    "sorted_findings",
    "sorted_parse_errors",
]

FORMATS: tuple[str, ...] = (
    "terminal",
    "json",
    "sarif",
    "junit",
    "csv",
    "html",
    "ocsf",
    "oscal",
    "oscal-poam",
)
MACHINE_FORMATS: tuple[str, ...] = ("json", "sarif", "junit", "csv", "ocsf", "oscal", "oscal-poam")
AUDIT_FORMATS: tuple[str, ...] = ("html", "ocsf", "oscal", "oscal-poam")
"""Formats for auditors: they read the catalog and posture (`tutela.reports.audit`)."""


def render(fmt: str, result: ScanResult, ctx: ReportContext) -> str:
    """Render `result` as `fmt` (one of FORMATS).

    `terminal` gives the human report as plain text (no colour codes), for
    writing to a file; interactive use goes through `render_terminal`.
    """
    name = fmt.strip().lower()
    if name == "json":
        from tutela.reports.json_report import render_json

        return render_json(result, ctx)
    if name == "sarif":
        from tutela.reports.sarif import render_sarif

        return render_sarif(result, ctx)
    if name == "junit":
        from tutela.reports.junit import render_junit

        return render_junit(result, ctx)
    if name == "csv":
        from tutela.reports.csv_report import render_csv

        return render_csv(result, ctx)
    if name == "terminal":
        from tutela.reports.terminal import render_text

        return render_text(result, ctx)
    if name in AUDIT_FORMATS:
        from tutela.reports.audit import AuditInputs, report_time

        return render_audit(name, AuditInputs(result=result, ctx=ctx, generated_at=report_time()))
    raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def render_audit(fmt: str, inputs: AuditInputs) -> str:
    """Render an auditor format (html, ocsf, oscal, oscal-poam) from full audit inputs."""
    name = fmt.strip().lower()
    if name == "html":
        from tutela.reports.html import render_html

        return render_html(inputs)
    if name == "ocsf":
        from tutela.reports.ocsf import render_ocsf

        return render_ocsf(inputs)
    if name == "oscal":
        from tutela.reports.oscal_ar import render_oscal_ar

        return render_oscal_ar(inputs)
    if name == "oscal-poam":
        from tutela.reports.oscal_ar import render_poam

        return render_poam(inputs)
    raise ValueError(f"unknown audit format {fmt!r} (choose from {', '.join(AUDIT_FORMATS)})")


def render_terminal(
    result: ScanResult,
    ctx: ReportContext,
    console: Console,
    *,
    verbose: bool = False,
    show_passed: bool = False,
) -> None:
    """Write the human report to `console` (Rich drops colour when it is not a terminal)."""
    from tutela.reports.terminal import write_report

    write_report(result, ctx, console, verbose=verbose, show_passed=show_passed)


# --- shared ordering -----------------------------------------------------------------------


def finding_sort_key(f: Finding) -> tuple[int, str, int, int, str, str, str, str, str]:
    """File, line, rule code, resource address (live resources, without a file, last)."""
    loc = f.location
    return (
        1 if loc is None else 0,
        loc.file if loc else "",
        loc.start_line if loc else 0,
        loc.end_line if loc else 0,
        f.rule_code,
        f.resource_address,
        f.subject or "",
        f.status.value,
        f.message,
    )


def _key_part(text: str) -> str:
    # Order-preserving escape of the separator, so joined keys sort as the tuples do.
    if "\x00" in text or "\x01" in text:
        return text.replace("\x01", "\x01\x02").replace("\x00", "\x01\x01")
    return text


def sort_text(f: Finding) -> str:
    """`finding_sort_key` as one string that sorts the same way (faster to store, load
    and compare): parts joined by NUL, numbers zero-padded."""
    k = finding_sort_key(f)
    return "\x00".join(
        (
            str(k[0]),
            _key_part(k[1]),
            f"{k[2]:012d}",
            f"{k[3]:012d}",
            *(_key_part(part) for part in k[4:]),
        )
    )


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    if isinstance(findings, FindingList):
        # An incremental scan's findings carry their keys as strings: cheaper to compare.
        keys = [k for batch in findings.batches for k in batch.keys]
        items = findings[:]
        return [items[i] for i in sorted(range(len(keys)), key=keys.__getitem__)]
    return sorted(findings, key=finding_sort_key)


def sorted_parse_errors(errors: Iterable[ParseError]) -> list[ParseError]:
    return sorted(errors, key=lambda e: (e.file, e.line or 0, e.column or 0, e.message))


_PART = re.compile(r"\d+|\D+")


def requirement_sort_key(requirement_id: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order of catalog ids: `3.3.1.a.9` before `3.3.1.a.10`."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in _PART.findall(requirement_id)
    )


def section_of(requirement_id: str) -> str:
    """The policy section of a requirement id: `3.3.1.a.3` -> `3.3`."""
    return ".".join(requirement_id.split(".")[:2])
