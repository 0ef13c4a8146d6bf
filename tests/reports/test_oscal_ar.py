"""OSCAL assessment results and POA&M: valid against NIST's schemas, deterministic, faithful."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import regex
from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators

from tutela.engine.findings import ScanResult
from tutela.reports.audit import AuditInputs
from tutela.reports.context import ReportContext
from tutela.reports.oscal_ar import (
    assessment_results,
    plan_of_action,
    render_oscal_ar,
    render_poam,
)

from .audit_fixtures import GENERATED_AT, WAIVERS, audit_inputs

SCHEMAS = Path(__file__).parent / "schemas" / "oscal"
AR_SCHEMA = SCHEMAS / "oscal_assessment-results_schema.json"
POAM_SCHEMA = SCHEMAS / "oscal_poam_schema.json"
UUID5 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """`pattern` with the `regex` engine, which knows the schema's \\p{L} and \\p{N} classes."""
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})
FORMATS = FormatChecker()


@FORMATS.checks("regex", raises=regex.error)
def _is_regex(instance: object) -> bool:
    if isinstance(instance, str):
        regex.compile(instance)
    return True


def _validator(path: Path, model: str) -> Any:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$id"] == f"http://csrc.nist.gov/ns/oscal/1.2.3/oscal-{model}-schema.json"
    Draft7Validator.check_schema(schema, format_checker=FORMATS)
    return OscalValidator(schema, format_checker=FORMATS)


@pytest.fixture(scope="module")
def ar_validator() -> Any:
    return _validator(AR_SCHEMA, "ar")


@pytest.fixture(scope="module")
def poam_validator() -> Any:
    return _validator(POAM_SCHEMA, "poam")


def errors(validator: Any, document: dict[str, Any]) -> list[str]:
    """Every error, including those nested in anyOf/oneOf branches."""
    found: list[str] = []

    def walk(error: ValidationError) -> None:
        found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
        for sub in error.context or ():
            walk(sub)

    for error in validator.iter_errors(document):
        walk(error)
    return found


@pytest.fixture
def inputs(result: ScanResult, ctx: ReportContext) -> AuditInputs:
    return audit_inputs(result, ctx)


@pytest.fixture
def ar(inputs: AuditInputs) -> dict[str, Any]:
    return assessment_results(inputs)


@pytest.fixture
def poam(inputs: AuditInputs) -> dict[str, Any]:
    return plan_of_action(inputs)


def test_vendored_schemas_are_the_published_ones() -> None:
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    for path in (AR_SCHEMA, POAM_SCHEMA):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in readme, f"{path.name}: sha256 {digest} is not the one the README names"


def test_assessment_results_validate(ar_validator: Any, ar: dict[str, Any]) -> None:
    assert errors(ar_validator, ar) == []


def test_poam_validates(poam_validator: Any, poam: dict[str, Any]) -> None:
    assert errors(poam_validator, poam) == []


def test_empty_scan_validates(
    ar_validator: Any, poam_validator: Any, empty_result: ScanResult, ctx: ReportContext
) -> None:
    bare = AuditInputs(result=empty_result, ctx=ctx, generated_at=GENERATED_AT)
    ar = assessment_results(bare)
    poam = plan_of_action(bare)
    assert errors(ar_validator, ar) == []
    assert errors(poam_validator, poam) == []
    assert [i["title"] for i in poam["plan-of-action-and-milestones"]["poam-items"]] == [
        "No open items"
    ]


def _result(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = doc["assessment-results"]["results"][0]
    return result


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: _result(d)["findings"][0].pop("target"), "'target' is a required property"),
        (
            lambda d: _result(d)["findings"][0]["target"]["status"].update(state="partly"),
            "is not one of ['satisfied', 'not-satisfied']",
        ),
        (lambda d: _result(d)["observations"][0].update(uuid="not-a-uuid"), "does not match"),
        (lambda d: _result(d)["risks"][0].update(deadline="31/12/2026"), "does not match"),
        (lambda d: _result(d).update(bogus=True), "Additional properties"),
        (lambda d: d["assessment-results"].pop("import-ap"), "'import-ap' is a required"),
        (lambda d: _result(d)["observations"][0].update(methods=[]), "should be non-empty"),
    ],
)
def test_a_broken_document_is_rejected(
    ar_validator: Any,
    ar: dict[str, Any],
    mutate: Callable[[dict[str, Any]], object],
    expected: str,
) -> None:
    broken = copy.deepcopy(ar)
    mutate(broken)
    found = errors(ar_validator, broken)
    assert found and any(expected in message for message in found), found


def test_a_broken_poam_is_rejected(poam_validator: Any, poam: dict[str, Any]) -> None:
    broken = copy.deepcopy(poam)
    broken["plan-of-action-and-milestones"]["poam-items"] = []
    assert any("should be non-empty" in m for m in errors(poam_validator, broken))


def test_parse_as_oscal_11_models(ar: dict[str, Any], poam: dict[str, Any]) -> None:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.poam import PlanOfActionAndMilestones

    parsed = AssessmentResults.parse_obj(ar["assessment-results"])
    assert parsed.metadata.oscal_version.__root__ == "1.1.2"
    assert parsed.results[0].findings
    plan = PlanOfActionAndMilestones.parse_obj(poam["plan-of-action-and-milestones"])
    assert plan.poam_items


def test_deterministic(result: ScanResult, ctx: ReportContext) -> None:
    first = render_oscal_ar(audit_inputs(result, ctx))
    assert first == render_oscal_ar(audit_inputs(result, ctx))
    assert render_poam(audit_inputs(result, ctx)) == render_poam(audit_inputs(result, ctx))
    doc = json.loads(first)["assessment-results"]
    assert UUID5.match(doc["uuid"])
    assert doc["metadata"]["last-modified"] == "2025-06-30T12:00:00Z"
    uuids = _all_uuids(doc)
    assert len(uuids) == len(set(uuids)), "uuids repeat inside the document"
    # another scan (other findings): other document, same identities for the same weakness
    later = dataclasses.replace(result, findings=result.findings[1:])
    other = json.loads(render_oscal_ar(audit_inputs(later, ctx, scan_id="scan-5")))
    assert other["assessment-results"]["uuid"] != doc["uuid"]
    risk_ids = {r["uuid"] for r in doc["results"][0]["risks"]}
    assert risk_ids & {r["uuid"] for r in other["assessment-results"]["results"][0]["risks"]}


def _all_uuids(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "uuid" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_all_uuids(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_all_uuids(value))
    return found


def _observations_by_uuid(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["uuid"]: o for o in _result(doc)["observations"]}


def _props(node: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in node.get("props", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out


def test_findings_per_requirement(ar: dict[str, Any]) -> None:
    result = _result(ar)
    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    enc = findings["eng-pol-003-3.3.1.a.3_smt"]
    assert enc["target"]["type"] == "statement-id"
    assert enc["target"]["status"] == {"state": "not-satisfied", "reason": "fail"}
    observations = _observations_by_uuid(ar)
    related = [observations[r["observation-uuid"]] for r in enc["related-observations"]]
    assert {_props(o)["rule-code"][0] for o in related} == {"ENC001"}
    assert all("TEST" in o["methods"] for o in related)
    attested = findings["eng-pol-003-3.2.2.a.1_smt"]
    assert attested["target"]["status"]["state"] == "satisfied"
    overdue = findings["eng-pol-003-3.6.2.a.4_smt"]
    assert overdue["target"]["status"]["state"] == "not-satisfied"
    # every reviewed control has its finding, and only those
    reviewed = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert {c["control-id"] + "_smt" for c in reviewed} == set(findings)


def test_evidence_observations(ar: dict[str, Any]) -> None:
    examine = [o for o in _result(ar)["observations"] if o["methods"] == ["EXAMINE"]]
    by_req = {_props(o)["requirement"][0]: o for o in examine}
    review = by_req["ENG-POL-003:3.2.2.a.1"]
    assert _props(review)["evidence-state"] == ["attested"]
    assert _props(review)["next-due"] == ["2025-08-31"]
    evidence = review["relevant-evidence"][0]
    assert evidence["href"] == "evidence/ev-3.2.2.a.1/access-review.csv"
    assert "ab" * 32 in evidence["description"]
    assert _props(by_req["ENG-POL-003:3.1.2.b.5"])["evidence-state"] == ["missing"]


def test_waivers_are_risks_with_deviation_status_and_deadline(ar: dict[str, Any]) -> None:
    risks = {_props(r).get("waiver-id", [""])[0]: r for r in _result(ar)["risks"]}
    active = risks["W-12"]
    assert active["status"] == "deviation-approved"
    assert active["deadline"] == "2026-12-31T23:59:59Z"
    assert _props(active)["approved-by"] == ["ciso", "privacy-officer"]
    observations = _observations_by_uuid(ar)
    covered = [observations[r["observation-uuid"]] for r in active["related-observations"]]
    assert [_props(o)["result"] for o in covered] == [["waived"]]
    expired = risks["W-07"]
    assert expired["status"] == "open"
    assert expired["deadline"] == "2025-05-31T23:59:59Z"
    assert "expired" in expired["statement"]
    assert {w.id for w in WAIVERS} <= set(risks)


def test_open_failures_are_risks_with_remediation(ar: dict[str, Any]) -> None:
    failures = [r for r in _result(ar)["risks"] if "fingerprint" in _props(r)]
    assert failures and all(r["status"] == "open" for r in failures)
    enc = next(r for r in failures if _props(r)["rule-code"] == ["ENC002"])
    assert enc["remediations"][0]["lifecycle"] == "recommendation"
    assert "encrypted = true" in enc["remediations"][0]["description"]


def test_import_ap_points_into_back_matter(inputs: AuditInputs, ar: dict[str, Any]) -> None:
    doc = ar["assessment-results"]
    href = doc["import-ap"]["href"]
    assert href.startswith("#")
    assert href[1:] in {r["uuid"] for r in doc["back-matter"]["resources"]}
    custom = assessment_results(inputs, import_ap_href="assessment-plan.json")
    assert custom["assessment-results"]["import-ap"]["href"] == "assessment-plan.json"


def test_poam_items(poam: dict[str, Any]) -> None:
    body = poam["plan-of-action-and-milestones"]
    titles = [i["title"] for i in body["poam-items"]]
    assert sum(t.startswith(("ENC001", "ENC002", "LOG002")) for t in titles) == 5  # failures
    assert "Perform and record 3.6.2.a.4 (evidence overdue)" in titles
    assert any(t.startswith("Waiver W-12 expires 2026-12-31") for t in titles)
    risks = {r["uuid"] for r in body["risks"]}
    observations = {o["uuid"] for o in body["observations"]}
    for item in body["poam-items"]:
        for ref in item.get("related-risks", []):
            assert ref["risk-uuid"] in risks
        for ref in item.get("related-observations", []):
            assert ref["observation-uuid"] in observations
    items = {i["uuid"] for i in body["local-definitions"]["inventory-items"]}
    for o in body["observations"]:
        for s in o.get("subjects", []):
            assert s["subject-uuid"] in items


def test_references_resolve(ar: dict[str, Any]) -> None:
    result = _result(ar)
    observations = {o["uuid"] for o in result["observations"]}
    risks = {r["uuid"] for r in result["risks"]}
    for f in result["findings"]:
        assert {r["observation-uuid"] for r in f.get("related-observations", [])} <= observations
        assert {r["risk-uuid"] for r in f.get("related-risks", [])} <= risks
    tool = result["local-definitions"]["assessment-assets"]["components"][0]["uuid"]
    for o in result["observations"]:
        assert o["origins"][0]["actors"][0]["actor-uuid"] == tool


def test_hostile_strings_stay_single_line_where_oscal_requires(ar: dict[str, Any]) -> None:
    text = json.dumps(ar)
    assert "alert" in text  # kept (it is data), as JSON strings
    for o in _result(ar)["observations"]:
        assert "\n" not in o.get("title", "")
