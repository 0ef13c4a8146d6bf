from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tutela.engine.findings import ScanResult
from tutela.model.aws import S3Bucket
from tutela.reports import render
from tutela.reports.context import ReportContext
from tutela.reports.sarif import artifact_location, build_log, rule_descriptor
from tutela.rules.api import Severity, Status, Verdict, passed, rule

from .conftest import RULES, make_finding

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    raw = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "vendored schema was modified"
    schema = json.loads(raw)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _log(result: ScanResult, ctx: ReportContext) -> dict[str, Any]:
    return json.loads(render("sarif", result, ctx))


def _errors(validator: jsonschema.Draft7Validator, log: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def test_validates_against_official_schema(result, ctx, validator) -> None:
    assert _errors(validator, _log(result, ctx)) == []


def test_empty_scan_validates(empty_result, ctx, validator) -> None:
    log = _log(empty_result, ctx)
    assert _errors(validator, log) == []
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda log: log.update(version="2.0.0"), "wrong version"),
        (lambda log: log["runs"][0]["results"][0].update(level="fatal"), "unknown level"),
        (lambda log: log["runs"][0]["results"][0]["message"].pop("text"), "message without text"),
        (
            lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
                "region"
            ].update(startLine=0),
            "line 0",
        ),
        (
            lambda log: log["runs"][0]["tool"]["driver"]["rules"][0].update(unexpected=True),
            "property the spec does not define",
        ),
    ],
)
def test_official_schema_rejects_broken_logs(result, ctx, validator, mutate, why) -> None:
    log = copy.deepcopy(_log(result, ctx))
    mutate(log)
    assert _errors(validator, log), why


def test_top_level(result, ctx) -> None:
    log = _log(result, ctx)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "tutela"
    assert driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")


def test_rule_descriptors(result, ctx) -> None:
    rules = _log(result, ctx)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ENC001", "ENC002", "LOG002"]
    enc = rules[0]
    assert enc["name"] == "BucketEncryptedAtRest"
    assert enc["shortDescription"]["text"] == "Object storage is encrypted at rest"
    assert enc["fullDescription"]["text"].startswith("Why: an unencrypted bucket")
    assert enc["properties"]["tags"] == [
        "security",
        "ENG-POL-003:3.3.1.a.3",
        "ENG-POL-003:3.1.1.a.2",
    ]
    assert enc["properties"]["security-severity"] == "8.0"
    assert enc["defaultConfiguration"]["level"] == "error"
    for field in ("text", "markdown"):
        help_text = enc["help"][field]
        assert "Why: an unencrypted bucket" in help_text
        assert "Enable default server-side encryption (SSE-KMS)." in help_text
        assert "aws_s3_bucket_server_side_encryption_configuration" in help_text
        assert "ENG-POL-003:3.3.1.a.3" in help_text
    assert "```hcl" in enc["help"]["markdown"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["ENC002"]["properties"]["security-severity"] == "9.5"
    assert by_id["LOG002"]["properties"]["security-severity"] == "5.5"
    assert by_id["LOG002"]["defaultConfiguration"]["level"] == "warning"


def test_security_severity_scale(ctx) -> None:
    from tutela.reports.sarif import LEVEL, SECURITY_SEVERITY
    from tutela.rules.api import Severity

    assert {s.label: SECURITY_SEVERITY[s] for s in Severity} == {
        "info": "0.0",
        "low": "3.0",
        "medium": "5.5",
        "high": "8.0",
        "critical": "9.5",
    }
    assert {s.label: LEVEL[s] for s in Severity} == {
        "info": "note",
        "low": "note",
        "medium": "warning",
        "high": "error",
        "critical": "error",
    }


def test_results_only_for_actionable_statuses(result, ctx) -> None:
    results = _log(result, ctx)["runs"][0]["results"]
    statuses = sorted(r["properties"]["status"] for r in results)
    assert statuses == [
        "error",
        "fail",
        "fail",
        "fail",
        "fail",
        "not_evaluated",
        "suppressed",
        "waived",
    ]


def test_result_fields(result, ctx) -> None:
    run = _log(result, ctx)["runs"][0]
    enc = next(
        r
        for r in run["results"]
        if r["ruleId"] == "ENC001"
        and r["properties"]["status"] == "fail"
        and r["properties"]["source"] == "terraform"
    )
    assert enc["level"] == "error"
    assert enc["message"]["text"] == "aws_s3_bucket.data: no default server-side encryption"
    phys = enc["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "infra/main.tf", "uriBaseId": "%SRCROOT%"}
    assert phys["region"] == {"startLine": 3, "endLine": 8}
    assert enc["locations"][0]["logicalLocations"][0]["name"] == "aws_s3_bucket.data"
    assert enc["properties"]["requirements"] == ["ENG-POL-003:3.3.1.a.3", "ENG-POL-003:3.1.1.a.2"]
    assert enc["properties"]["resourceKind"] == "s3_bucket"
    assert enc["properties"]["nativeType"] == "aws_s3_bucket"
    expected = next(
        f.fingerprint
        for f in result.findings
        if f.rule_code == "ENC001" and f.resource_address == "aws_s3_bucket.data"
    )
    assert enc["partialFingerprints"] == {"tutelaFingerprint/v1": expected}

    levels = {
        (r["ruleId"], r["properties"]["status"], r["properties"]["source"]): r["level"]
        for r in run["results"]
    }
    assert levels[("ENC002", "fail", "terraform")] == "error"  # critical
    assert levels[("LOG002", "fail", "terraform")] == "warning"  # medium
    assert levels[("ENC001", "not_evaluated", "terraform")] == "note"
    assert levels[("LOG002", "error", "terraform")] == "note"

    not_eval = next(r for r in run["results"] if r["properties"]["status"] == "not_evaluated")
    assert "Not evaluated" in not_eval["message"]["text"]
    assert "var.sse" in not_eval["message"]["text"]
    err = next(r for r in run["results"] if r["properties"]["status"] == "error")
    assert "KeyError" in err["message"]["text"]


def test_suppressed_result(result, ctx) -> None:
    run = _log(result, ctx)["runs"][0]
    sup = next(r for r in run["results"] if r["properties"]["status"] == "suppressed")
    assert sup["suppressions"][0]["kind"] == "inSource"
    assert sup["suppressions"][0]["justification"] == "public website assets, no regulated data"
    comment = sup["suppressions"][0]["location"]["physicalLocation"]
    assert comment["artifactLocation"]["uri"] == "infra/web.tf"
    assert comment["region"]["startLine"] == 2
    others = [r for r in run["results"] if r["properties"]["status"] in ("fail", "error")]
    assert all("suppressions" not in r for r in others)


def test_live_resource_has_logical_location_only(result, ctx) -> None:
    run = _log(result, ctx)["runs"][0]
    live = next(
        r
        for r in run["results"]
        if r["properties"]["source"] == "aws" and r["properties"]["status"] == "fail"
    )
    assert "physicalLocation" not in live["locations"][0]
    logical = live["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"] == "arn:aws:s3:::legacy-bucket"
    assert live["properties"]["arn"] == "arn:aws:s3:::legacy-bucket"


def test_parse_errors_are_notifications(result, ctx) -> None:
    inv = _log(result, ctx)["runs"][0]["invocations"]
    assert len(inv) == 1
    assert inv[0]["executionSuccessful"] is True
    notes = inv[0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error"]
    first = notes[0]
    assert "unexpected token" in first["message"]["text"]
    phys = first["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == "infra/broken.tf"
    assert phys["region"] == {"startLine": 7, "startColumn": 12}
    assert "region" not in notes[1]["locations"][0]["physicalLocation"]


def test_github_constraints(result, ctx) -> None:
    """What code scanning checks on upload, beyond the schema."""
    run = _log(result, ctx)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        sev = float(r["properties"]["security-severity"])
        assert 0.0 <= sev <= 10.0
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        assert res["locations"], "every result needs a location"
        loc = res["locations"][0]
        if res["properties"]["source"] != "aws":
            phys = loc["physicalLocation"]
            uri = phys["artifactLocation"]["uri"]
            assert not uri.startswith("/") and "\\" not in uri
            assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            assert phys["region"]["startLine"] >= 1
            assert phys["region"]["endLine"] >= phys["region"]["startLine"]
        assert len(res["partialFingerprints"]["tutelaFingerprint/v1"]) == 32


def test_rule_missing_from_ruleset_still_gets_descriptor(result, validator) -> None:
    from tutela.engine.ruleset import RuleSet
    from tutela.reports.context import ReportContext

    narrow = ReportContext(ruleset=RuleSet.of(RULES[:1]), tool_version="0.1.0")
    log = json.loads(render("sarif", result, narrow))
    assert _errors(validator, log) == []
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["ENC001", "ENC002", "LOG002"]
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_paths_are_relative_posix(tmp_path, ctx) -> None:
    assert artifact_location("./infra/a b.tf") == {
        "uri": "infra/a%20b.tf",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("infra\\win.tf")["uri"] == "infra/win.tf"
    inside = tmp_path / "repo" / "main.tf"
    assert artifact_location(str(inside), cwd=tmp_path) == {
        "uri": "repo/main.tf",
        "uriBaseId": "%SRCROOT%",
    }
    outside = artifact_location("/elsewhere/x.tf", cwd=tmp_path)
    assert outside == {"uri": "file:///elsewhere/x.tf"}

    f = make_finding(RULES[0], Status.FAIL, "aws_s3_bucket.a", file=str(inside), line=2)
    log = build_log(
        ScanResult(
            findings=(f,),
            parse_errors=(),
            resource_count=1,
            files_scanned=1,
            rule_count=1,
            duration_seconds=0.1,
        ),
        ctx,
        cwd=tmp_path,
    )
    phys = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == "repo/main.tf"


def test_deterministic(result, ctx) -> None:
    assert render("sarif", result, ctx) == render("sarif", result, ctx)


def test_help_uri_only_from_web_references(ctx) -> None:
    @rule(
        code="TST001",
        controls=("3.3.1.a.3",),
        severity=Severity.LOW,
        remediation="Do the thing.",
        references=("CIS AWS 2.1.1", "https://example.org/s3-encryption"),
    )
    def referenced(bucket: S3Bucket) -> Verdict:
        """A rule with references."""
        return passed()

    d = rule_descriptor(referenced, ctx)
    assert d["helpUri"] == "https://example.org/s3-encryption"
    assert d["properties"]["security-severity"] == "3.0"
    assert d["fullDescription"]["text"] == "A rule with references"
    assert "CIS AWS 2.1.1" in d["help"]["text"]
