"""OCSF 1.3.0 JSON lines for SIEMs and security lakes.

Two classes of the Findings category (`category_uid` 2):

- **Detection Finding** (`class_uid` 2004), one per failing, suppressed or
  waived finding (rule x resource): `finding_info.uid` is the finding's
  stable fingerprint, `resources` the resource (uid = ARN, else
  `source:address`; file:line in `data`), `remediation` the rule's.
  `status_id` is New (1) for a failure, Suppressed (3) for an inline
  suppression, and Other (99, `status` "Waived") for a waived failure, which
  is an accepted risk rather than a false positive.
- **Compliance Finding** (`class_uid` 2003), one per requirement of the
  catalog: `compliance.control` is the qualified requirement id,
  `compliance.standards` the policy and the frameworks section 4 maps it to,
  `compliance.requirements` those framework controls, `compliance.status_id`
  Pass (1: pass, attested), Fail (3: failing or overdue), Warning (2: not
  evaluated or no verification) or Other (99: waived).

Every event carries the base attributes OCSF requires (`activity_id` 1
Create, `type_uid` = class_uid * 100 + activity_id, `severity_id`, `time` in
epoch milliseconds, `metadata.product` and `metadata.version`) and tutela's own
fields under `unmapped` (requirement ids, rule code, scan id, location).
`metadata.uid` is a uuid5 of the run and the finding, so the same inputs give
the same lines.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from tutela.catalog.oscal import TUTELA_NS
from tutela.engine.findings import Finding
from tutela.engine.posture_model import RequirementPosture, RequirementState
from tutela.evidence.model import EvidenceState
from tutela.reports import section_of, sorted_findings
from tutela.reports.audit import AuditInputs, catalog_version
from tutela.rules.api import Severity, Status

__all__ = [
    "COMPLIANCE_FINDING",
    "DETECTION_FINDING",
    "OCSF_VERSION",
    "ocsf_events",
    "render_ocsf",
]

OCSF_VERSION = "1.3.0"
CATEGORY_FINDINGS = 2
DETECTION_FINDING = 2004
COMPLIANCE_FINDING = 2003
ACTIVITY_CREATE = 1

DETECTED_STATUSES = (Status.FAIL, Status.SUPPRESSED, Status.WAIVED)

SEVERITY_ID: dict[Severity, tuple[int, str]] = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}

FINDING_STATUS: dict[Status, tuple[int, str]] = {
    Status.FAIL: (1, "New"),
    Status.SUPPRESSED: (3, "Suppressed"),
    Status.WAIVED: (99, "Waived"),
}

COMPLIANCE_STATUS: dict[RequirementState, tuple[int, str]] = {
    RequirementState.PASS: (1, "Pass"),
    RequirementState.ATTESTED: (1, "Pass"),
    RequirementState.FAIL: (3, "Fail"),
    RequirementState.NOT_EVALUATED: (2, "Warning"),
    RequirementState.NO_VERIFICATION: (2, "Warning"),
    RequirementState.WAIVED: (99, "Waived"),
}

_BASE = uuid.uuid5(uuid.NAMESPACE_URL, f"{TUTELA_NS}/ocsf")


def _ms(inputs: AuditInputs) -> int:
    moment = inputs.generated_at
    return int(moment.timestamp() * 1000)


def _class_fields(class_uid: int, class_name: str) -> dict[str, Any]:
    return {
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_FINDINGS,
        "category_name": "Findings",
        "class_uid": class_uid,
        "class_name": class_name,
        "type_uid": class_uid * 100 + ACTIVITY_CREATE,
        "type_name": f"{class_name}: Create",
    }


def _metadata(inputs: AuditInputs, event_uid: str) -> dict[str, Any]:
    return {
        "version": OCSF_VERSION,
        "uid": event_uid,
        "product": {
            "name": "tutela",
            "vendor_name": "tutela",
            "version": inputs.ctx.tool_version,
        },
        "log_name": "tutela",
        "labels": [inputs.catalog.policy_id],
    }


def _resource(f: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {"source": f.source, "kind": f.resource_kind}
    if f.location is not None:
        data.update(
            file=f.location.file, start_line=f.location.start_line, end_line=f.location.end_line
        )
    if f.subject:
        data["subject"] = f.subject
    resource: dict[str, Any] = {
        "uid": f.arn or f"{f.source}:{f.resource_address}",
        "name": f.resource_address,
        "type": f.native_type or f.resource_kind,
        "data": data,
    }
    if f.arn:
        parts = f.arn.split(":")
        if len(parts) > 3:
            resource["cloud_partition"] = parts[1]
            if parts[3]:
                resource["region"] = parts[3]
    return resource


def _where(f: Finding) -> str:
    if f.location is not None:
        return str(f.location)
    return f.arn or f.resource_address


def detection_finding(inputs: AuditInputs, f: Finding) -> dict[str, Any]:
    rule = inputs.ctx.ruleset.get(f.rule_code)
    catalog = inputs.catalog
    sev_id, sev = SEVERITY_ID[f.severity]
    status_id, status = FINDING_STATUS[f.status]
    event: dict[str, Any] = {
        **_class_fields(DETECTION_FINDING, "Detection Finding"),
        "severity_id": sev_id,
        "severity": sev,
        "time": _ms(inputs),
        "status_id": status_id,
        "status": status,
        "status_code": f.status.value,
        "message": f.message or f.title,
        "metadata": _metadata(
            inputs, str(uuid.uuid5(_BASE, f"detection|{inputs.run_key}|{f.fingerprint}"))
        ),
        "finding_info": {
            "uid": f.fingerprint,
            "title": f.title,
            "desc": (rule.description if rule is not None else "") or f.title,
            "types": ["Policy Violation", f"{catalog.policy_id} {section_of(f.controls[0])}"]
            if f.controls
            else ["Policy Violation"],
            "analytic": {
                "uid": f.rule_code,
                "name": f.rule_name,
                "type_id": 1,
                "type": "Rule",
            },
        },
        "resources": [_resource(f)],
        "unmapped": {
            "requirements": [catalog.qualified(c) for c in f.controls],
            "rule_code": f.rule_code,
            "location": _where(f),
            "scan_id": inputs.scan_id,
        },
    }
    if rule is not None:
        remediation: dict[str, Any] = {"desc": rule.remediation}
        if rule.references:
            remediation["references"] = list(rule.references)
        event["remediation"] = remediation
    if f.status is Status.SUPPRESSED and f.suppression is not None:
        event["status_detail"] = (
            f"suppressed in source at {f.suppression.location}: {f.suppression.reason}"
        )
    elif f.status is Status.WAIVED:
        event["status_detail"] = f.message or "waived by an approved policy exception"
    return event


def _requirement_severity(rp: RequirementPosture, findings: list[Finding]) -> tuple[int, str]:
    failing = [f.severity for f in findings if f.status is Status.FAIL]
    if failing:
        return SEVERITY_ID[max(failing)]
    if rp.state is RequirementState.FAIL:  # overdue evidence
        return SEVERITY_ID[Severity.MEDIUM]
    return SEVERITY_ID[Severity.INFO]


def compliance_finding(
    inputs: AuditInputs, rp: RequirementPosture, findings: list[Finding]
) -> dict[str, Any]:
    catalog = inputs.catalog
    req = catalog.get(rp.requirement_id)
    status_id, status = COMPLIANCE_STATUS[rp.state]
    sev_id, sev = _requirement_severity(rp, findings)
    frameworks: dict[str, None] = {}
    for ref in req.references:
        version = f" {ref.version}" if ref.version else ""
        frameworks.setdefault(f"{ref.framework_name}{version}", None)
    controls = sorted({f"{ref.framework} {ref.control}" for ref in req.references})
    resources: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.status is not Status.NOT_APPLICABLE:
            resource = _resource(f)
            resources.setdefault(resource["uid"], resource)
    evidence = inputs.evidence_by_requirement().get(rp.requirement_id)
    detail = "; ".join(rp.reasons) or rp.state.value.replace("_", " ")
    event: dict[str, Any] = {
        **_class_fields(COMPLIANCE_FINDING, "Compliance Finding"),
        "severity_id": sev_id,
        "severity": sev,
        "time": _ms(inputs),
        "status_id": 1,
        "status": "New",
        "status_code": rp.state.value,
        "message": f"{catalog.qualified(req.id)}: {rp.state.value.replace('_', ' ')}",
        "metadata": _metadata(
            inputs, str(uuid.uuid5(_BASE, f"compliance|{inputs.run_key}|{req.id}"))
        ),
        "finding_info": {
            "uid": catalog.qualified(req.id),
            "title": f"{req.id} {req.group_title}",
            "desc": req.text,
            "types": ["Compliance", f"{req.area} {req.area_title}"],
        },
        "compliance": {
            "control": catalog.qualified(req.id),
            "standards": [f"{catalog.policy_id} {catalog_version(catalog)}", *frameworks],
            "requirements": controls,
            "status_id": status_id,
            "status": status,
            "status_code": rp.state.value,
            "status_detail": detail,
        },
        "unmapped": {
            "requirement_id": req.id,
            "section": req.section,
            "state": rp.state.value,
            "counts": dict(rp.counts),
            "verification": req.verification.kind.value,
            "scan_id": inputs.scan_id,
        },
    }
    if resources:
        event["resources"] = [resources[k] for k in sorted(resources)]
    if evidence is not None:
        event["unmapped"]["evidence"] = {
            "state": evidence.state.value,
            "last_performed": evidence.last_performed.isoformat()
            if evidence.last_performed
            else None,
            "next_due": evidence.next_due.isoformat() if evidence.next_due else None,
            "overdue": evidence.state is EvidenceState.OVERDUE,
        }
    return event


def ocsf_events(inputs: AuditInputs) -> Iterator[dict[str, Any]]:
    """Detection findings (sorted like every report), then one compliance finding per
    requirement (catalog order)."""
    findings = sorted_findings(inputs.result.findings)
    for f in findings:
        if f.status in DETECTED_STATUSES:
            yield detection_finding(inputs, f)
    by_requirement: dict[str, list[Finding]] = {}
    for f in findings:
        for c in f.controls:
            by_requirement.setdefault(c, []).append(f)
    states = inputs.requirement_states()
    for req in inputs.catalog.requirements:
        rp = states.get(req.id) or RequirementPosture(req.id, RequirementState.NO_VERIFICATION)
        yield compliance_finding(inputs, rp, by_requirement.get(req.id, []))


def render_ocsf(inputs: AuditInputs) -> str:
    """One JSON object per line (UTF-8, no trailing spaces), ending with a newline."""
    lines = [
        json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        for event in ocsf_events(inputs)
    ]
    return "\n".join(lines) + ("\n" if lines else "")
