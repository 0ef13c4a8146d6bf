"""JUnit XML for CI test views: one testsuite per policy section (3.1 ... 3.7).

- a testcase per (finding, section): classname `ENG-POL-003:<requirement>/<RULE>`
  (the finding's first requirement in that section), name the resource address
  (plus ` [part]` for per-part findings); a finding whose requirements span two
  sections appears in both suites, since it bears on both;
- fail -> `<failure>`; error -> `<error>`; not_evaluated, not_applicable,
  suppressed and waived -> `<skipped>` with the reason; pass -> an empty testcase;
- parse errors form a last testsuite `parse errors`, one `<error>` testcase per file.

Suite and root attributes `tests`, `failures`, `errors` and `skipped` are counted
from the testcases written. Only the root carries a time (the scan's duration).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass

from tutela.engine.findings import Finding, ScanResult
from tutela.reports import requirement_sort_key, section_of, sorted_findings, sorted_parse_errors
from tutela.reports.context import ReportContext
from tutela.rules.api import Status

# Characters XML 1.0 cannot carry at all (escaping does not help): drop them.
_INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_SKIPPED = frozenset(
    {Status.NOT_EVALUATED, Status.NOT_APPLICABLE, Status.SUPPRESSED, Status.WAIVED}
)


@dataclass
class _Counts:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0

    def add(self, other: _Counts) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.skipped += other.skipped

    def apply(self, element: ET.Element) -> None:
        element.set("tests", str(self.tests))
        element.set("failures", str(self.failures))
        element.set("errors", str(self.errors))
        element.set("skipped", str(self.skipped))


def _details(f: Finding, ctx: ReportContext, requirements: list[str]) -> str:
    lines = [
        f"{f.rule_code} {f.title}",
        f"status: {f.status.value}",
        f"severity: {f.severity.label}",
        f"requirements: {', '.join(ctx.qualified(r) for r in requirements)}",
        f"resource: {f.resource_address} ({f.resource_kind}, {f.native_type}, {f.source})",
    ]
    if f.subject:
        lines.append(f"part: {f.subject}")
    if f.location is not None:
        lines.append(f"location: {f.location}")
    if f.arn:
        lines.append(f"arn: {f.arn}")
    lines.append(f"message: {f.message}")
    rule = ctx.ruleset.get(f.rule_code)
    if rule is not None and rule.remediation and f.status in (Status.FAIL, Status.ERROR):
        lines.append(f"remediation: {rule.remediation}")
    return "\n".join(lines)


def _skip_reason(f: Finding) -> str:
    if f.status is Status.SUPPRESSED:
        reason = f.suppression.reason if f.suppression else f.message
        where = f" ({f.suppression.location})" if f.suppression else ""
        return f"suppressed: {reason}{where}"
    return f"{f.status.value.replace('_', ' ')}: {f.message}"


def _testcase(
    parent: ET.Element, f: Finding, ctx: ReportContext, requirements: list[str]
) -> _Counts:
    case = ET.SubElement(parent, "testcase")
    case.set("classname", f"{ctx.qualified(requirements[0])}/{f.rule_code}")
    case.set("name", f.resource_address + (f" [{f.subject}]" if f.subject else ""))
    if f.location is not None:
        case.set("file", f.location.file)
        case.set("line", str(f.location.start_line))
    props = ET.SubElement(case, "properties")
    for name, value in (
        ("rule", f"{f.rule_code} {f.rule_name}"),
        ("requirements", ";".join(ctx.qualified(r) for r in f.controls)),
        ("status", f.status.value),
        ("severity", f.severity.label),
        ("resource_kind", f.resource_kind),
        ("native_type", f.native_type),
        ("source", f.source),
    ):
        prop = ET.SubElement(props, "property")
        prop.set("name", name)
        prop.set("value", value)
    counts = _Counts(tests=1)
    if f.status is Status.FAIL:
        el = ET.SubElement(case, "failure")
        el.set("message", f.message)
        el.set("type", f"{f.severity.label}")
        el.text = _details(f, ctx, requirements)
        counts.failures = 1
    elif f.status is Status.ERROR:
        el = ET.SubElement(case, "error")
        el.set("message", f.message)
        el.set("type", "rule_error")
        el.text = _details(f, ctx, requirements)
        counts.errors = 1
    elif f.status in _SKIPPED:
        el = ET.SubElement(case, "skipped")
        el.set("message", _skip_reason(f))
        counts.skipped = 1
    return counts


def build_tree(result: ScanResult, ctx: ReportContext) -> ET.Element:
    root = ET.Element("testsuites")
    root.set("name", f"tutela {ctx.policy_id}")
    total = _Counts()

    by_section: dict[str, list[tuple[Finding, list[str]]]] = defaultdict(list)
    for f in sorted_findings(result.findings):
        grouped: dict[str, list[str]] = {}
        for req in f.controls:
            grouped.setdefault(section_of(req), []).append(req)
        for section, reqs in grouped.items():
            by_section[section].append((f, sorted(reqs, key=requirement_sort_key)))

    for section in sorted(by_section, key=requirement_sort_key):
        suite = ET.SubElement(root, "testsuite")
        title = ctx.section_titles.get(section)
        suite.set("name", f"{ctx.policy_id} {section}" + (f" {title}" if title else ""))
        counts = _Counts()
        for f, reqs in by_section[section]:
            counts.add(_testcase(suite, f, ctx, reqs))
        counts.apply(suite)
        total.add(counts)

    if result.parse_errors:
        suite = ET.SubElement(root, "testsuite")
        suite.set("name", "parse errors")
        counts = _Counts()
        for e in sorted_parse_errors(result.parse_errors):
            case = ET.SubElement(suite, "testcase")
            case.set("classname", f"tutela.parse.{e.source}" if e.source else "tutela.parse")
            case.set("name", e.file)
            case.set("file", e.file)
            if e.line is not None:
                case.set("line", str(e.line))
            el = ET.SubElement(case, "error")
            el.set("message", e.message)
            el.set("type", "parse_error")
            el.text = str(e)
            counts.add(_Counts(tests=1, errors=1))
        counts.apply(suite)
        total.add(counts)

    total.apply(root)
    root.set("time", f"{result.duration_seconds:.3f}")
    for el in root.iter():
        for key, value in el.attrib.items():
            el.set(key, _INVALID_XML.sub("", value))
        if el.text:
            el.text = _INVALID_XML.sub("", el.text)
    return root


def render_junit(result: ScanResult, ctx: ReportContext) -> str:
    root = build_tree(result, ctx)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
