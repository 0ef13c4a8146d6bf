"""The JSON report, schema version 1 (`docs/schemas/scan-result.v1.schema.json`).

Keys come out in a fixed order (the order they are built in here); findings in
`sorted_findings` order; every finding is included, passes too.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from json.encoder import encode_basestring as _str  # what json.dumps uses, ensure_ascii=False
from typing import Any, TextIO

from tutela.collectors import ServiceCoverage
from tutela.engine.findings import Finding, FindingList, ScanResult
from tutela.reports import sorted_findings, sorted_parse_errors
from tutela.reports.context import ReportContext
from tutela.rules.api import Severity, Status
from tutela.sources.raw import ParseError

SCHEMA_VERSION = "1"
SCHEMA_ID = "urn:tutela:schema:scan-result:v1"
TOOL_NAME = "tutela"


# Enum properties are slow to read (a descriptor call each): the values, once.
_STATUS_VALUE = {s: s.value for s in Status}
_SEVERITY_LABEL = {s: s.label for s in Severity}


def finding_record(f: Finding) -> dict[str, Any]:
    """One finding as a flat record (the JSON finding object; CSV uses the same fields)."""
    loc = f.location
    sup = f.suppression
    status = _STATUS_VALUE.get(f.status)
    severity = _SEVERITY_LABEL.get(f.severity)
    return {
        "rule_code": f.rule_code,
        "rule_name": f.rule_name,
        "title": f.title,
        "requirements": list(f.controls),
        "status": f.status.value if status is None else status,
        "severity": f.severity.label if severity is None else severity,
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
    for (status, severity), n in result.tally().items():
        if status is Status.FAIL:
            fail_by_severity[severity.label] += n
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


def coverage_record(c: ServiceCoverage) -> dict[str, Any]:
    """One (service, region) of a live collection: what was collected and what was not."""
    return {
        "service": c.service,
        "region": c.region,
        "status": c.status,
        "resources": c.resources,
        "api_calls": c.api_calls,
        "gaps": [
            {
                "call": g.call,
                "reason": g.reason,
                "error_code": g.error_code or None,
                "count": g.count,
                "example": g.example,
            }
            for g in c.gaps
        ],
    }


def build_document(result: ScanResult, ctx: ReportContext) -> dict[str, Any]:
    """The JSON report as a dict (before serialization)."""
    doc = _base_document(result, ctx)
    if result.coverage:  # live collections only; IaC reports keep their shape
        doc["coverage"] = [coverage_record(c) for c in result.coverage]
    return doc


def _base_document(result: ScanResult, ctx: ReportContext) -> dict[str, Any]:
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
    out = io.StringIO()
    write_json(result, ctx, out)
    return out.getvalue()


def write_json(result: ScanResult, ctx: ReportContext, out: TextIO) -> None:
    """The report written to `out` piece by piece: a large repository's report is tens of
    MB, never held (let alone copied) as one string. Same bytes as `render_json`."""
    if isinstance(result.findings, FindingList) and len(result.findings):
        head, texts, tail = _batched_parts(result, ctx)
    else:
        doc = build_document(result, ctx)
        parts = _split(doc)
        if parts is None:
            out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            return
        head, tail = parts
        texts = map(_finding_text, doc["findings"])
    out.write(head)
    out.write("[\n")
    chunk: list[str] = []
    separator = ""  # before every chunk but the first
    for text in texts:
        chunk.append(text)
        if len(chunk) == 512:
            out.write(separator + ",\n".join(chunk))
            separator = ",\n"
            chunk.clear()
    if chunk:
        out.write(separator + ",\n".join(chunk))
    out.write("\n  ]")
    out.write(tail)
    out.write("\n")


def finding_text(f: Finding) -> str:
    """One finding exactly as it appears in the report's `findings` list."""
    return _finding_text(finding_record(f))


def _batched_parts(result: ScanResult, ctx: ReportContext) -> tuple[str, Iterator[str], str]:
    """An incremental scan's report: findings from their stored texts, in `sorted_findings`
    order (their stored sort keys); the rest as usual."""
    assert isinstance(result.findings, FindingList)
    keys: list[str] = []
    texts: list[str] = []
    for batch in result.findings.batches:
        keys += batch.keys
        texts += batch.texts
    order = sorted(range(len(keys)), key=keys.__getitem__)
    doc = _base_document(dataclasses.replace(result, findings=()), ctx)
    doc["summary"] = summary_record(result)
    if result.coverage:
        doc["coverage"] = [coverage_record(c) for c in result.coverage]
    doc["findings"] = _TOKEN
    skeleton = json.dumps(doc, indent=2, ensure_ascii=False)
    head, tail = skeleton.split(json.dumps(_TOKEN))
    return head, (texts[i] for i in order), tail


def _split(doc: dict[str, Any]) -> tuple[str, str] | None:
    """The document around its findings list (None: no findings, plain json.dumps)."""
    findings = doc.get("findings")
    if not isinstance(findings, list) or not findings:
        return None
    skeleton = json.dumps({**doc, "findings": _TOKEN}, indent=2, ensure_ascii=False)
    marker = json.dumps(_TOKEN)
    if skeleton.count(marker) != 1:  # pragma: no cover - the token cannot occur elsewhere
        return None
    head, tail = skeleton.split(marker)
    return head, tail


# --------------------------------------------------------------------------- fast encoding
# `json.dumps(..., indent=2)` runs the pure-Python encoder (the C one cannot indent): ~20 us
# per finding, most of a large scan's report time. The findings list is written below with
# the same bytes, one template per record; everything else still goes through json.dumps.

_TOKEN = "\x00findings\x00"
_FINDING_KEYS = (
    "rule_code", "rule_name", "title", "requirements", "status", "severity", "message",
    "resource_address", "resource_kind", "native_type", "source", "file", "start_line",
    "end_line", "arn", "subject", "fingerprint", "suppression",
)


def dumps_document(doc: dict[str, Any]) -> str:
    """Exactly `json.dumps(doc, indent=2, ensure_ascii=False)`, faster on many findings."""
    parts = _split(doc)
    if parts is None:
        return json.dumps(doc, indent=2, ensure_ascii=False)
    head, tail = parts
    return "".join((head, "[\n", ",\n".join(map(_finding_text, doc["findings"])), "\n  ]", tail))


def _scalar(v: Any) -> str:
    """A finding field's value as json.dumps writes it (fields are 6 spaces deep)."""
    if v.__class__ is str:
        return _str(v)
    if v is None:
        return "null"
    if v.__class__ is int:
        return int.__repr__(v)
    if v.__class__ is list and v and all(x.__class__ is str for x in v):
        return "[\n        " + ",\n        ".join(map(_str, v)) + "\n      ]"
    return _nested(v, "      ")


def _nested(v: Any, indent: str) -> str:
    """Any JSON value as json.dumps writes it `indent` deep."""
    return json.dumps(v, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def _finding_text(rec: Any) -> str:
    if rec.__class__ is not dict or tuple(rec) != _FINDING_KEYS:
        return "    " + _nested(rec, "    ")
    s = _scalar
    return f"""    {{
      "rule_code": {s(rec["rule_code"])},
      "rule_name": {s(rec["rule_name"])},
      "title": {s(rec["title"])},
      "requirements": {s(rec["requirements"])},
      "status": {s(rec["status"])},
      "severity": {s(rec["severity"])},
      "message": {s(rec["message"])},
      "resource_address": {s(rec["resource_address"])},
      "resource_kind": {s(rec["resource_kind"])},
      "native_type": {s(rec["native_type"])},
      "source": {s(rec["source"])},
      "file": {s(rec["file"])},
      "start_line": {s(rec["start_line"])},
      "end_line": {s(rec["end_line"])},
      "arn": {s(rec["arn"])},
      "subject": {s(rec["subject"])},
      "fingerprint": {s(rec["fingerprint"])},
      "suppression": {s(rec["suppression"])}
    }}"""
