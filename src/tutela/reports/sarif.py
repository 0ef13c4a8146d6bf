"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

One run. `tool.driver.rules` lists every rule that produced a finding (sorted by
code; `ruleIndex` points into that list). Results are written for the statuses
someone must act on or that must stay visible:

- fail: level by severity (critical/high `error`, medium `warning`, low/info `note`);
- not_evaluated and error: level `note`, the message says why;
- suppressed: the failure with `suppressions: [{"kind": "inSource", ...}]` and
  the comment's location;
- waived: the failure with an `external` suppression (a policy exception lives
  outside the code), so a waiver never reads as a fix.

Passes and not-applicable findings are counted in the run's properties only.
Parse errors become `invocations[0].toolExecutionNotifications` (level error);
the invocation still succeeded, since a scan reports unreadable files rather
than stopping on them.

File paths are written relative to the working directory when they lie under
it, with `uriBaseId` `%SRCROOT%` (run tutela from the repository root for
GitHub); other absolute paths become `file://` URIs.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from tutela.engine.findings import Finding, ScanResult
from tutela.model.values import Location
from tutela.reports import sorted_findings, sorted_parse_errors
from tutela.reports.context import ReportContext
from tutela.rules.api import Rule, Severity, Status

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "tutela"
INFORMATION_URI = "https://pypi.org/project/tutela/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "tutelaFingerprint/v1"

SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}

LEVEL: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

# `problem.severity` is what GitHub shows for results without security-severity.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}

RESULT_STATUSES = frozenset(
    {Status.FAIL, Status.SUPPRESSED, Status.WAIVED, Status.NOT_EVALUATED, Status.ERROR}
)


def pascal_case(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def artifact_location(file: str, cwd: Path | None = None) -> dict[str, str]:
    """A relative posix URI under %SRCROOT% (or a file:// URI for paths outside it)."""
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute():
        base = (cwd if cwd is not None else Path.cwd()).resolve()
        try:
            path = PurePosixPath(Path(path).resolve().relative_to(base).as_posix())
        except ValueError:
            return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": SRCROOT}


def _physical(loc: Location, cwd: Path | None) -> dict[str, Any]:
    start = max(1, loc.start_line)
    end = max(start, loc.end_line)
    return {
        "artifactLocation": artifact_location(loc.file, cwd),
        "region": {"startLine": start, "endLine": end},
    }


def _help(rule: Rule, ctx: ReportContext) -> tuple[str, str]:
    reqs = ", ".join(ctx.qualified(c) for c in rule.controls)
    text = [rule.title + ".", ""]
    md = [f"**{rule.title}**", ""]
    if rule.description:
        text += [rule.description, ""]
        md += [rule.description, ""]
    text += [f"Requirements: {reqs}", ""]
    md += [
        "Requirements: " + ", ".join(f"`{ctx.qualified(c)}`" for c in rule.controls),
        "",
    ]
    for c in rule.controls:
        req_text = ctx.requirement_text.get(c)
        if req_text:
            text.append(f"- {c}: {req_text}")
            md.append(f"- `{c}`: {req_text}")
    if any(c in ctx.requirement_text for c in rule.controls):
        text.append("")
        md.append("")
    if rule.remediation:
        text += ["Remediation: " + rule.remediation, ""]
        md += ["### Remediation", "", rule.remediation, ""]
    for fmt in sorted(rule.remediation_snippets):
        snippet = rule.remediation_snippets[fmt].strip("\n")
        text += [f"{fmt}:", snippet, ""]
        fence = "````" if "```" in snippet else "```"
        lang = {"terraform": "hcl", "cloudformation": "yaml", "kubernetes": "yaml"}.get(fmt, fmt)
        md += [f"{fence}{lang}", snippet, fence, ""]
    if rule.references:
        text += ["References: " + ", ".join(rule.references)]
        md += ["References:", *[f"- {r}" for r in rule.references]]
    return "\n".join(text).strip(), "\n".join(md).strip()


def _tags(controls: tuple[str, ...], ctx: ReportContext) -> list[str]:
    return ["security", *(ctx.qualified(c) for c in controls)]


def rule_descriptor(rule: Rule, ctx: ReportContext) -> dict[str, Any]:
    text, markdown = _help(rule, ctx)
    level = LEVEL[rule.severity]
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": _tags(rule.controls, ctx),
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "problem.severity": _PROBLEM_SEVERITY[level],
            "precision": "high",
            "severity": rule.severity.label,
            "requirements": [ctx.qualified(c) for c in rule.controls],
            "resourceKind": rule.resource_kind,
        },
    }
    links = [r for r in rule.references if r.startswith(("https://", "http://"))]
    if links:
        descriptor["helpUri"] = links[0]
    return descriptor


def _descriptor_from_finding(f: Finding, ctx: ReportContext) -> dict[str, Any]:
    """For a finding whose rule is not in the context's rule set (defensive)."""
    level = LEVEL[f.severity]
    return {
        "id": f.rule_code,
        "name": pascal_case(f.rule_name),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f.title},
        "help": {"text": f.title, "markdown": f.title},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": _tags(f.controls, ctx),
            "security-severity": SECURITY_SEVERITY[f.severity],
            "problem.severity": _PROBLEM_SEVERITY[level],
            "precision": "high",
            "severity": f.severity.label,
            "requirements": [ctx.qualified(c) for c in f.controls],
        },
    }


def _message(f: Finding) -> str:
    where = f.resource_address + (f" [{f.subject}]" if f.subject else "")
    text = f.message or f.title
    if f.status is Status.NOT_EVALUATED:
        return f"Not evaluated for {where}: {text}"
    if f.status is Status.ERROR:
        return f"Rule error for {where} (the resource was not judged): {text}"
    return f"{where}: {text}"


def _fingerprint(f: Finding) -> str:
    if f.fingerprint:
        return f.fingerprint
    identity = f.arn or f"{f.source}:{f.resource_address}"
    return Finding.make_fingerprint(f.rule_code, identity, f.subject)


def _result(f: Finding, index: int, ctx: ReportContext, cwd: Path | None) -> dict[str, Any]:
    acted_on = f.status in (Status.FAIL, Status.SUPPRESSED, Status.WAIVED)
    level = LEVEL[f.severity] if acted_on else "note"
    logical: dict[str, Any] = {"name": f.resource_address, "kind": "resource"}
    logical["fullyQualifiedName"] = f.arn or f.resource_address
    location: dict[str, Any] = {"logicalLocations": [logical]}
    if f.location is not None:
        location = {"physicalLocation": _physical(f.location, cwd), **location}
    properties: dict[str, Any] = {
        "status": f.status.value,
        "severity": f.severity.label,
        "requirements": [ctx.qualified(c) for c in f.controls],
        "resourceAddress": f.resource_address,
        "resourceKind": f.resource_kind,
        "nativeType": f.native_type,
        "source": f.source,
    }
    if f.arn:
        properties["arn"] = f.arn
    if f.subject:
        properties["subject"] = f.subject
    result: dict[str, Any] = {
        "ruleId": f.rule_code,
        "ruleIndex": index,
        "level": level,
        "message": {"text": _message(f)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(f)},
        "properties": properties,
    }
    if f.status is Status.SUPPRESSED:
        # `status` is left out: it defaults to "accepted", and schema copies in circulation
        # disagree on its name (`status` in the standard, `state` in some copies).
        suppression: dict[str, Any] = {"kind": "inSource"}
        if f.suppression is not None:
            suppression["justification"] = f.suppression.reason
            suppression["location"] = {"physicalLocation": _physical(f.suppression.location, cwd)}
        result["suppressions"] = [suppression]
    elif f.status is Status.WAIVED:
        result["suppressions"] = [{"kind": "external", "justification": f.message or "waived"}]
    return result


def build_log(result: ScanResult, ctx: ReportContext, *, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log as a dict; `cwd` (default: the working directory) roots relative paths."""
    findings = sorted_findings(result.findings)

    codes = sorted({f.rule_code for f in findings})
    first_finding: dict[str, Finding] = {}
    for f in findings:
        first_finding.setdefault(f.rule_code, f)
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for code in codes:
        rule = ctx.ruleset.get(code)
        index[code] = len(descriptors)
        descriptors.append(
            rule_descriptor(rule, ctx)
            if rule is not None
            else _descriptor_from_finding(first_finding[code], ctx)
        )

    results = [
        _result(f, index[f.rule_code], ctx, cwd) for f in findings if f.status in RESULT_STATUSES
    ]

    notifications: list[dict[str, Any]] = []
    for e in sorted_parse_errors(result.parse_errors):
        physical: dict[str, Any] = {"artifactLocation": artifact_location(e.file, cwd)}
        if e.line is not None and e.line >= 1:
            region: dict[str, int] = {"startLine": e.line}
            if e.column is not None and e.column >= 1:
                region["startColumn"] = e.column
            physical["region"] = region
        notifications.append(
            {
                "level": "error",
                "message": {"text": f"{e.file}: {e.message}"},
                "descriptor": {"id": "parse-error"},
                "locations": [{"physicalLocation": physical}],
                "properties": {"source": e.source},
            }
        )
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    counts = result.counts()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": ctx.tool_version,
                "semanticVersion": ctx.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "policy": ctx.policy_id,
            "targets": list(result.targets),
            "summary": {s.value: counts.get(s, 0) for s in Status},
            "parseErrors": len(result.parse_errors),
            "resources": result.resource_count,
            "files": result.files_scanned,
            "rules": result.rule_count,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(result: ScanResult, ctx: ReportContext) -> str:
    return json.dumps(build_log(result, ctx), indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "FINGERPRINT_KEY",
    "LEVEL",
    "SECURITY_SEVERITY",
    "artifact_location",
    "build_log",
    "render_sarif",
    "rule_descriptor",
]
