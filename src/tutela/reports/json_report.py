"""The JSON report, schema version 1 (`docs/schemas/scan-result.v1.schema.json`).

Keys come out in a fixed order (the order they are built in here); findings in
`sorted_findings` order; every finding is included, passes too.
"""

from __future__ import annotations

import json
from typing import Any

from tutela.engine.findings import Finding, ScanResult
from tutela.reports import sorted_findings, sorted_parse_errors
from tutela.reports.context import ReportContext
from tutela.rules.api import Severity, Status
from tutela.sources.raw import ParseError

SCHEMA_VERSION = "1"
SCHEMA_ID = "urn:tutela:schema:scan-result:v1"
TOOL_NAME = "tutela"


def finding_record(f: Finding) -> dict[str, Any]:
    """One finding as a flat record (the JSON finding object; CSV uses the same fields)."""
    loc = f.location
    sup = f.suppression
    return {
        "rule_code": f.rule_code,
        "rule_name": f.rule_name,
        "title": f.title,
        "requirements": list(f.controls),
        "status": f.status.value,
        "severity": f.severity.label,
        "message": f.message,
        "resource_address": f.resource_address,
        "resource_kind": f.resource_kind,
        "native_type": f.native_type,
        "source": f.source,
        "file": loc.file if loc else None,
        "start_line": loc.start_line if loc else None,
        "end_line": loc.end_line if loc else None,
        "arn": f.arn,
        "subject": f.subject,
        "fingerprint": f.fingerprint or None,
        "suppression": None
        if sup is None
        else {
            "codes": list(sup.codes),
            "reason": sup.reason,
            "file": sup.location.file,
            "start_line": sup.location.start_line,
            "end_line": sup.location.end_line,
        },
    }


def parse_error_record(e: ParseError) -> dict[str, Any]:
    return {
        "file": e.file,
        "line": e.line,
        "column": e.column,
        "message": e.message,
        "source": e.source,
    }


def summary_record(result: ScanResult) -> dict[str, Any]:
    counts = result.counts()
    by_status = {s.value: counts.get(s, 0) for s in Status}
    fail_by_severity = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for f in result.findings:
        if f.status is Status.FAIL:
            fail_by_severity[f.severity.label] += 1
    return {
        "findings": len(result.findings),
        "by_status": by_status,
        "fail_by_severity": fail_by_severity,
        "parse_errors": len(result.parse_errors),
        "resources": result.resource_count,
        "files": result.files_scanned,
        "rules": result.rule_count,
        "duration_seconds": round(result.duration_seconds, 3),
    }


def build_document(result: ScanResult, ctx: ReportContext) -> dict[str, Any]:
    """The JSON report as a dict (before serialization)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": ctx.tool_version},
        "policy": ctx.policy_id,
        "targets": list(result.targets),
        "summary": summary_record(result),
        "findings": [finding_record(f) for f in sorted_findings(result.findings)],
        "parse_errors": [parse_error_record(e) for e in sorted_parse_errors(result.parse_errors)],
        "notes": list(result.notes),
    }


def render_json(result: ScanResult, ctx: ReportContext) -> str:
    return json.dumps(build_document(result, ctx), indent=2, ensure_ascii=False) + "\n"
