from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tutela.engine.findings import ScanResult
from tutela.reports import render
from tutela.reports.context import ReportContext

SCHEMA_PATH = Path(__file__).parents[2] / "docs" / "schemas" / "scan-result.v1.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _doc(result: ScanResult, ctx: ReportContext) -> dict[str, Any]:
    return json.loads(render("json", result, ctx))


def test_schema_is_versioned() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("v1")
    assert schema["properties"]["schema_version"] == {
        "const": "1",
        "description": "Version of this document's shape.",
    }


def test_report_validates_against_docs_schema(result, ctx, validator) -> None:
    doc = _doc(result, ctx)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_empty_report_validates(empty_result, ctx, validator) -> None:
    doc = _doc(empty_result, ctx)
    validator.validate(doc)
    assert doc["findings"] == [] and doc["parse_errors"] == []


def test_schema_rejects_finding_without_rule_code(result, ctx, validator) -> None:
    doc = _doc(result, ctx)
    broken = copy.deepcopy(doc)
    del broken["findings"][0]["rule_code"]
    errors = list(validator.iter_errors(broken))
    assert errors
    assert any("rule_code" in e.message for e in errors)


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda d: d["findings"][0].update(status="ok"), "unknown status"),
        (lambda d: d["findings"][0].update(extra="x"), "undocumented field"),
        (lambda d: d.update(schema_version="2"), "other version"),
        (lambda d: d["parse_errors"][0].pop("line"), "parse error without line"),
        (
            lambda d: next(f for f in d["findings"] if f["status"] == "suppressed").update(
                suppression=None
            ),
            "suppressed finding without its suppression",
        ),
    ],
)
def test_schema_rejects_malformed_documents(result, ctx, validator, mutate, why) -> None:
    doc = _doc(result, ctx)
    mutate(doc)
    assert list(validator.iter_errors(doc)), why


def test_top_level_shape_and_order(result, ctx) -> None:
    doc = _doc(result, ctx)
    assert list(doc) == [
        "schema_version",
        "tool",
        "policy",
        "targets",
        "summary",
        "findings",
        "parse_errors",
        "notes",
    ]
    assert doc["schema_version"] == "1"
    assert doc["tool"] == {"name": "tutela", "version": "0.1.0"}
    assert doc["policy"] == "ENG-POL-003"
    assert doc["targets"] == ["infra", "k8s"]
    assert doc["notes"] == ["1 file skipped: infra/big.bin (binary)"]


def test_summary_counts(result, ctx) -> None:
    s = _doc(result, ctx)["summary"]
    assert s["findings"] == 11
    assert s["by_status"] == {
        "pass": 2,
        "fail": 4,
        "not_evaluated": 1,
        "not_applicable": 1,
        "error": 1,
        "suppressed": 1,
        "waived": 1,
    }
    assert s["fail_by_severity"] == {"critical": 1, "high": 2, "medium": 1, "low": 0, "info": 0}
    assert (s["parse_errors"], s["resources"], s["files"], s["rules"]) == (2, 6, 4, 3)
    assert s["duration_seconds"] == 0.427


def test_all_findings_included_and_sorted(result, ctx) -> None:
    findings = _doc(result, ctx)["findings"]
    assert len(findings) == len(result.findings)
    keys = [
        (f["file"] is None, f["file"] or "", f["start_line"] or 0, f["rule_code"]) for f in findings
    ]
    assert keys == sorted(keys)
    assert findings[0]["file"] == "infra/ebs.tf"
    assert findings[-1]["file"] is None  # live resources last


def test_finding_fields(result, ctx) -> None:
    findings = _doc(result, ctx)["findings"]
    enc = next(
        f
        for f in findings
        if f["rule_code"] == "ENC001" and f["resource_address"] == "aws_s3_bucket.data"
    )
    assert enc == {
        "rule_code": "ENC001",
        "rule_name": "bucket_encrypted_at_rest",
        "title": "Object storage is encrypted at rest",
        "requirements": ["3.3.1.a.3", "3.1.1.a.2"],
        "status": "fail",
        "severity": "high",
        "message": "no default server-side encryption",
        "resource_address": "aws_s3_bucket.data",
        "resource_kind": "s3_bucket",
        "native_type": "aws_s3_bucket",
        "source": "terraform",
        "file": "infra/main.tf",
        "start_line": 3,
        "end_line": 8,
        "arn": None,
        "subject": None,
        "fingerprint": enc["fingerprint"],
        "suppression": None,
    }
    assert len(enc["fingerprint"]) == 32

    live = next(f for f in findings if f["source"] == "aws" and f["status"] == "fail")
    assert (live["file"], live["start_line"], live["end_line"]) == (None, None, None)
    assert live["arn"] == "arn:aws:s3:::legacy-bucket"

    sup = next(f for f in findings if f["status"] == "suppressed")
    assert sup["suppression"] == {
        "codes": ["ENC001"],
        "reason": "public website assets, no regulated data",
        "file": "infra/web.tf",
        "start_line": 2,
        "end_line": 2,
    }


def test_parse_errors(result, ctx) -> None:
    assert _doc(result, ctx)["parse_errors"] == [
        {
            "file": "infra/broken.tf",
            "line": 7,
            "column": 12,
            "message": "unexpected token '}'",
            "source": "terraform",
        },
        {
            "file": "k8s/bad.yaml",
            "line": None,
            "column": None,
            "message": "not valid YAML",
            "source": "kubernetes",
        },
    ]


def test_deterministic_regardless_of_input_order(result, ctx) -> None:
    reversed_result = ScanResult(
        findings=tuple(reversed(result.findings)),
        parse_errors=tuple(reversed(result.parse_errors)),
        resource_count=result.resource_count,
        files_scanned=result.files_scanned,
        rule_count=result.rule_count,
        duration_seconds=result.duration_seconds,
        targets=result.targets,
        notes=result.notes,
    )
    assert render("json", result, ctx) == render("json", reversed_result, ctx)


def test_unknown_format_is_rejected(result, ctx) -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render("xml", result, ctx)


@pytest.mark.parametrize("fmt", ["terminal", "json", "sarif", "junit", "csv"])
def test_every_format_renders_parse_errors(result, ctx, fmt) -> None:
    from tutela.reports import FORMATS

    assert fmt in FORMATS
    text = render(fmt, result, ctx)
    assert "infra/broken.tf" in text and "unexpected token" in text
    assert "k8s/bad.yaml" in text


def test_fast_encoding_writes_what_json_dumps_writes(result, ctx) -> None:
    """The findings list is written by templates: the bytes must be json.dumps' own."""
    from tutela.reports.json_report import build_document, dumps_document

    doc = build_document(result, ctx)
    assert dumps_document(doc) == json.dumps(doc, indent=2, ensure_ascii=False)
    odd = copy.deepcopy(doc)
    odd["findings"][0]["message"] = 'quote " back\\slash \u2028 é \x00 \t'
    odd["findings"][0]["requirements"] = []
    odd["findings"][0]["suppression"] = {"codes": ["X1"], "reason": "r", "n": 1.5, "b": True}
    odd["findings"][1]["start_line"] = None
    odd["findings"].append({"unexpected": [1, {"shape": None}]})
    assert dumps_document(odd) == json.dumps(odd, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("count", [0, 1, 511, 512, 513, 1024, 1300])
def test_streamed_report_is_the_rendered_report(result, ctx, count: int) -> None:
    """`write_json` writes the report in chunks (a monorepo's is tens of MB): the bytes
    are json.dumps' own whatever the number of findings."""
    import dataclasses
    import io

    from tutela.reports.json_report import build_document, write_json

    many = dataclasses.replace(result, findings=tuple((list(result.findings) * 1300)[:count]))
    out = io.StringIO()
    write_json(many, ctx, out)
    doc = build_document(many, ctx)
    assert out.getvalue() == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
