"""OCSF JSON lines: the attributes OCSF 1.3.0 requires, one event per finding / requirement.

The contract below is OCSF 1.3.0's, as the schema's class and object files state it:
base event (activity_id, category_uid, class_uid, type_uid = class_uid * 100 +
activity_id, severity_id, time, metadata required), the Findings category
(finding_info required, with uid and title), metadata (product and version
required), product (vendor_name; name for us), Compliance Finding (compliance
required, compliance.standards required) and the enumerations used.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tutela.engine.findings import ScanResult
from tutela.reports import render
from tutela.reports.context import ReportContext
from tutela.reports.ocsf import OCSF_VERSION, ocsf_events, render_ocsf
from tutela.rules.api import Status

from .audit_fixtures import GENERATED_AT, HOSTILE_MESSAGE, audit_inputs

BASE_REQUIRED = {
    "activity_id",
    "category_uid",
    "class_uid",
    "type_uid",
    "severity_id",
    "time",
    "metadata",
    "finding_info",
}
ACTIVITY_IDS = {0, 1, 2, 3, 99}
SEVERITY_IDS = {0, 1, 2, 3, 4, 5, 6, 99}
FINDING_STATUS_IDS = {0, 1, 2, 3, 4, 5, 6, 99}
COMPLIANCE_STATUS_IDS = {0, 1, 2, 3, 99}


def check_event(event: dict[str, Any]) -> list[str]:
    """What an OCSF 1.3.0 consumer would reject in a Findings-category event."""
    problems = [f"missing {key}" for key in sorted(BASE_REQUIRED - set(event))]
    if problems:
        return problems
    for key in ("activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time"):
        if not isinstance(event[key], int) or isinstance(event[key], bool):
            problems.append(f"{key} is not an integer")
    if event["category_uid"] != 2:
        problems.append("category_uid is not 2 (Findings)")
    if event["type_uid"] != event["class_uid"] * 100 + event["activity_id"]:
        problems.append("type_uid != class_uid * 100 + activity_id")
    if event["activity_id"] not in ACTIVITY_IDS:
        problems.append("activity_id out of range")
    if event["severity_id"] not in SEVERITY_IDS:
        problems.append("severity_id out of range")
    if "status_id" in event and event["status_id"] not in FINDING_STATUS_IDS:
        problems.append("status_id out of range")
    if event.get("status_id") == 99 and not event.get("status"):
        problems.append("status_id 99 (Other) needs a status label")
    meta = event["metadata"]
    if not meta.get("version") or not isinstance(meta.get("product"), dict):
        problems.append("metadata needs version and product")
    elif not meta["product"].get("vendor_name") or not meta["product"].get("name"):
        problems.append("metadata.product needs name and vendor_name")
    info = event["finding_info"]
    if not info.get("uid") or not info.get("title"):
        problems.append("finding_info needs uid and title")
    if not all(isinstance(t, str) for t in info.get("types", [])):
        problems.append("finding_info.types must be strings")
    for resource in event.get("resources", []):
        if not resource.get("uid"):
            problems.append("a resource without uid")
    if event["class_uid"] == 2003:
        compliance = event.get("compliance")
        if not isinstance(compliance, dict) or not compliance.get("standards"):
            problems.append("compliance.standards is required")
        elif compliance.get("status_id") not in COMPLIANCE_STATUS_IDS:
            problems.append("compliance.status_id out of range")
    if "unmapped" in event and not isinstance(event["unmapped"], dict):
        problems.append("unmapped must be an object")
    return problems


@pytest.fixture
def lines(result: ScanResult, ctx: ReportContext) -> list[dict[str, Any]]:
    text = render_ocsf(audit_inputs(result, ctx))
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_every_event_meets_the_contract(lines: list[dict[str, Any]]) -> None:
    assert lines
    for event in lines:
        assert check_event(event) == [], event["finding_info"]["uid"]
        assert event["metadata"]["version"] == OCSF_VERSION == "1.3.0"
        assert event["metadata"]["product"] == {
            "name": "tutela",
            "vendor_name": "tutela",
            "version": "0.1.0",
        }
        assert event["time"] == int(GENERATED_AT.timestamp() * 1000)


def test_the_contract_catches_broken_events(lines: list[dict[str, Any]]) -> None:
    event = dict(lines[0])
    assert check_event({k: v for k, v in event.items() if k != "metadata"}) == ["missing metadata"]
    assert "type_uid != class_uid * 100 + activity_id" in check_event({**event, "type_uid": 1})
    compliance = next(e for e in lines if e["class_uid"] == 2003)
    assert "compliance.standards is required" in check_event(
        {**compliance, "compliance": {"control": "x"}}
    )


def test_detection_findings(result: ScanResult, lines: list[dict[str, Any]]) -> None:
    detections = [e for e in lines if e["class_uid"] == 2004]
    wanted = [
        f for f in result.findings if f.status in (Status.FAIL, Status.SUPPRESSED, Status.WAIVED)
    ]
    assert len(detections) == len(wanted) + 1  # + the hostile finding of the fixtures
    assert all(e["type_uid"] == 200401 for e in detections)
    by_status = {e["status_code"]: e for e in detections}
    assert by_status["fail"]["status_id"] == 1
    assert by_status["suppressed"]["status_id"] == 3
    assert "public website assets" in by_status["suppressed"]["status_detail"]
    assert (by_status["waived"]["status_id"], by_status["waived"]["status"]) == (99, "Waived")
    ebs = next(e for e in detections if e["finding_info"]["analytic"]["uid"] == "ENC002")
    assert (ebs["severity_id"], ebs["severity"]) == (5, "Critical")
    assert ebs["remediation"]["desc"] == "Set `encrypted = true` on the volume."
    assert ebs["resources"][0]["data"]["file"] == "infra/ebs.tf"
    assert ebs["unmapped"]["requirements"] == ["ENG-POL-003:3.3.1.a.4"]
    assert ebs["unmapped"]["location"] == "infra/ebs.tf:5-9"
    arn = next(e for e in detections if e["resources"][0]["uid"].startswith("arn:"))
    assert arn["resources"][0]["uid"] == "arn:aws:s3:::legacy-bucket"
    assert arn["resources"][0]["cloud_partition"] == "aws"
    fingerprints = {e["finding_info"]["uid"] for e in detections}
    assert fingerprints == {f.fingerprint for f in wanted} | {
        e["finding_info"]["uid"] for e in detections if e["message"] == HOSTILE_MESSAGE
    }


def test_compliance_findings(lines: list[dict[str, Any]]) -> None:
    compliance = [e for e in lines if e["class_uid"] == 2003]
    assert len(compliance) == 135  # one per requirement of ENG-POL-003
    by_control = {e["compliance"]["control"]: e for e in compliance}
    enc = by_control["ENG-POL-003:3.3.1.a.3"]
    assert (enc["compliance"]["status_id"], enc["compliance"]["status"]) == (3, "Fail")
    assert enc["severity_id"] == 4  # worst failing finding: high
    assert enc["compliance"]["standards"][0].startswith("ENG-POL-003 sha256-")
    assert "HIPAA Security Rule" in enc["compliance"]["standards"]
    assert any(c.startswith("HIPAA ") for c in enc["compliance"]["requirements"])
    assert enc["unmapped"]["requirement_id"] == "3.3.1.a.3"
    assert {r["uid"] for r in enc["resources"]} >= {"arn:aws:s3:::legacy-bucket"}
    review = by_control["ENG-POL-003:3.2.2.a.1"]
    assert review["compliance"]["status_id"] == 1
    assert review["unmapped"]["evidence"]["next_due"] == "2025-08-31"
    dr = by_control["ENG-POL-003:3.6.2.a.4"]
    assert dr["compliance"]["status_id"] == 3
    assert dr["unmapped"]["evidence"]["overdue"] is True
    assert all(e["type_uid"] == 200301 for e in compliance)


def test_deterministic_and_one_object_per_line(result: ScanResult, ctx: ReportContext) -> None:
    first = render_ocsf(audit_inputs(result, ctx))
    assert first == render_ocsf(audit_inputs(result, ctx))
    for line in first.splitlines():
        assert line == line.strip() and line.startswith("{")
    uids = [json.loads(line)["metadata"]["uid"] for line in first.splitlines()]
    assert len(uids) == len(set(uids))


def test_hostile_strings_survive_as_data(lines: list[dict[str, Any]]) -> None:
    assert any(e["message"] == HOSTILE_MESSAGE for e in lines)


def test_scan_format(result: ScanResult, ctx: ReportContext) -> None:
    text = render("ocsf", result, ctx)
    events = [json.loads(line) for line in text.splitlines()]
    assert {e["class_uid"] for e in events} == {2003, 2004}
    assert next(iter(ocsf_events(audit_inputs(result, ctx))))["class_uid"] == 2004
