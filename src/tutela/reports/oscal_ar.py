"""OSCAL 1.1 assessment-results and plan-of-action-and-milestones (JSON), for auditors.

Assessment results (one `result` per scan):

- `observations`: one per evaluated finding (rule x resource; methods TEST,
  subject = an inventory item of the result's local definitions) and one per
  procedural requirement's evidence status (methods EXAMINE, the attachments
  with their SHA-256 as relevant evidence);
- `findings`: one per assessed requirement, targeting the requirement's
  statement in the OSCAL catalog export (`eng-pol-003-3.3.1.a.3_smt`) with
  objective status `satisfied` (pass, attested) or `not-satisfied` (fail,
  not evaluated, waived: a waiver accepts a deviation, it does not satisfy
  the objective);
- `risks`: one per waiver (`deviation-approved`, `deadline` = the expiry;
  an expired waiver is `open` again) and one per open failure (`open`, with
  the rule's remediation as a recommendation);
- `import-ap` points at a back-matter resource naming the policy and rule set
  that made up the assessment plan.

The POA&M lists the open failures, overdue evidence and active waivers as
`poam-items`, each with its observation and risk.

Identifiers are uuid5 values derived from content: observations and findings
from the run (scan id, else the time) and the finding fingerprint or
requirement id; risks and POA&M items from the fingerprint or waiver id
alone, so a weakness keeps its identity from one scan to the next; the
document uuid from the whole body. The time is a parameter, so the same scan
always gives the same document.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import quote

from tutela.catalog.model import Catalog, Requirement
from tutela.catalog.oscal import OSCAL_VERSION, TUTELA_NS, control_id
from tutela.engine.findings import Finding
from tutela.engine.posture_model import RequirementPosture, RequirementState
from tutela.evidence.model import EvidenceState, EvidenceStatus
from tutela.reports import requirement_sort_key, sorted_findings
from tutela.reports.audit import (
    AuditInputs,
    WaiverLike,
    canonical_json,
    catalog_version,
    iso_utc,
    waiver_applies,
    waiver_expired,
)
from tutela.rules.api import Status

__all__ = [
    "OSCAL_VERSION",
    "assessment_results",
    "plan_of_action",
    "render_oscal_ar",
    "render_poam",
]

_BASE = uuid.uuid5(uuid.NAMESPACE_URL, f"{TUTELA_NS}/assessment")

OBSERVED_STATUSES = frozenset(
    {
        Status.PASS,
        Status.FAIL,
        Status.WAIVED,
        Status.SUPPRESSED,
        Status.NOT_EVALUATED,
        Status.ERROR,
    }
)
"""Findings that become observations (not-applicable ones say nothing about a requirement)."""

SATISFIED = frozenset({RequirementState.PASS, RequirementState.ATTESTED})


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_BASE, "\x1f".join(parts)))


def _line(text: str, limit: int = 200) -> str:
    """A single-line, trimmed string (OSCAL's markup-line and string patterns)."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat or "-"


def _prop(name: str, value: str, *, cls: str | None = None) -> dict[str, str]:
    prop = {"name": name, "ns": TUTELA_NS, "value": _line(value, 1000)}
    if cls:
        prop["class"] = re.sub(r"[^A-Za-z0-9._-]+", "-", cls).strip("-").lower() or "x"
    return prop


def _prune(value: Any) -> Any:
    """Drop empty lists and None values (OSCAL arrays have minItems 1)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v != [] and v is not None}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _short_title(req: Requirement) -> str:
    subject = re.split(r"\s+shall\s+", req.text, maxsplit=1)[0].strip()
    if 0 < len(subject) <= 120 and subject != req.text:
        return subject
    return f"{req.group_title} ({req.item})"


def _identity(f: Finding) -> str:
    return f.arn or f"{f.source}:{f.resource_address}"


def _where(f: Finding) -> str:
    if f.location is not None:
        return str(f.location)
    return f.arn or f.resource_address


def _end_of_day(day: Any) -> str:
    return iso_utc(datetime.combine(day, time(23, 59, 59), tzinfo=UTC))


class _Builder:
    """Shared pieces of both documents."""

    def __init__(self, inputs: AuditInputs) -> None:
        self.inputs = inputs
        self.catalog: Catalog = inputs.catalog
        self.ctx = inputs.ctx
        self.now = iso_utc(inputs.generated_at)
        self.run = inputs.run_key
        self.tool_uuid = _uuid("tool", "tutela")
        unique: dict[str, Finding] = {}
        for f in sorted_findings(inputs.result.findings):
            if f.fingerprint:
                unique.setdefault(f.fingerprint, f)  # one observation per fingerprint
        self.findings = list(unique.values())
        self.states: dict[str, RequirementPosture] = inputs.requirement_states()
        self.waivers = sorted(inputs.waivers, key=lambda w: w.id)

    # identifiers ------------------------------------------------------------------------------

    def observation_uuid(self, f: Finding) -> str:
        return _uuid("observation", self.run, f.fingerprint)

    def evidence_observation_uuid(self, e: EvidenceStatus) -> str:
        return _uuid("evidence-observation", self.run, e.requirement_id)

    def item_uuid(self, f: Finding) -> str:
        return _uuid("inventory-item", _identity(f))

    def risk_uuid(self, f: Finding) -> str:
        return _uuid("risk", f.fingerprint)

    def waiver_uuid(self, w: WaiverLike) -> str:
        return _uuid("waiver", w.id)

    def evidence_risk_uuid(self, e: EvidenceStatus) -> str:
        return _uuid("evidence-risk", e.requirement_id)

    # pieces -----------------------------------------------------------------------------------

    def metadata(self, title: str) -> dict[str, Any]:
        catalog = self.catalog
        props = [
            _prop("policy-id", catalog.policy_id),
            _prop("catalog-version", catalog_version(catalog)),
            _prop("tool", "tutela"),
            _prop("tool-version", self.ctx.tool_version),
        ]
        if self.inputs.scan_id:
            props.append(_prop("scan-id", self.inputs.scan_id))
        props.extend(_prop("target", t) for t in self.inputs.result.targets)
        return {
            "title": title,
            "last-modified": self.now,
            "version": _line(self.run),
            "oscal-version": OSCAL_VERSION,
            "props": props,
            "roles": [{"id": "assessor", "title": "Assessor"}],
            "remarks": (
                f"Generated by tutela {self.ctx.tool_version} from a scan against "
                f"{catalog.policy_id} ({catalog.title})."
            ),
        }

    def tool_component(self) -> dict[str, Any]:
        return {
            "uuid": self.tool_uuid,
            "type": "software",
            "title": f"tutela {self.ctx.tool_version}",
            "description": (
                "Policy-as-code scanner: evaluates Infrastructure-as-Code and cloud "
                f"inventories against {self.catalog.policy_id} and records evidence."
            ),
            "props": [_prop("version", self.ctx.tool_version)],
            "status": {"state": "operational"},
        }

    def origins(self) -> list[dict[str, Any]]:
        return [{"actors": [{"type": "tool", "actor-uuid": self.tool_uuid}]}]

    def inventory_items(self, findings: Iterable[Finding]) -> list[dict[str, Any]]:
        items: dict[str, dict[str, Any]] = {}
        for f in findings:
            key = self.item_uuid(f)
            if key in items:
                continue
            props = [
                _prop("resource-address", f.resource_address),
                _prop("resource-kind", f.resource_kind or "unknown"),
                _prop("source", f.source),
            ]
            if f.native_type:
                props.append(_prop("native-type", f.native_type))
            if f.arn:
                props.append(_prop("arn", f.arn))
            if f.location is not None:
                props.append(_prop("file", f.location.file))
            items[key] = {
                "uuid": key,
                "description": f"{f.native_type or f.resource_kind} `{f.resource_address}` "
                f"({f.source})",
                "props": props,
            }
        return [items[k] for k in sorted(items)]

    def observation(self, f: Finding) -> dict[str, Any]:
        props = [
            _prop("rule-code", f.rule_code),
            _prop("result", f.status.value),
            _prop("severity", f.severity.label),
            _prop("fingerprint", f.fingerprint),
            _prop("location", _where(f)),
        ]
        props.extend(_prop("requirement", self.catalog.qualified(c)) for c in f.controls)
        remarks = None
        if f.suppression is not None:
            remarks = f"Suppressed in source ({f.suppression.location}): {f.suppression.reason}"
        obs: dict[str, Any] = {
            "uuid": self.observation_uuid(f),
            "title": _line(f"{f.rule_code} {f.status.value}: {f.resource_address}"),
            "description": f.message or f.title,
            "props": props,
            "methods": ["TEST"],
            "types": ["finding"] if f.status is not Status.PASS else [],
            "origins": self.origins(),
            "subjects": [
                {
                    "subject-uuid": self.item_uuid(f),
                    "type": "inventory-item",
                    "title": _line(f.resource_address),
                }
            ],
            "relevant-evidence": [{"description": f"{f.title}: evaluated at {_where(f)}"}],
            "collected": self.now,
        }
        if remarks:
            obs["remarks"] = remarks
        return obs

    def evidence_observation(self, e: EvidenceStatus) -> dict[str, Any]:
        record = e.record
        props = [
            _prop("requirement", self.catalog.qualified(e.requirement_id)),
            _prop("evidence-state", e.state.value),
        ]
        if e.last_performed:
            props.append(_prop("last-performed", e.last_performed.isoformat()))
        if e.next_due:
            props.append(_prop("next-due", e.next_due.isoformat()))
        evidence: list[dict[str, Any]] = []
        if record is None:
            description = f"No evidence is recorded for {e.requirement_id}."
            collected = self.now
        else:
            props.append(_prop("performed-by", record.performed_by))
            props.append(_prop("evidence-record", record.id))
            description = (
                f"{e.requirement_id} performed on {record.performed_on.isoformat()} "
                f"by {record.performed_by}."
            )
            if record.note:
                description += f"\n\n{record.note}"
            collected = iso_utc(record.recorded_at)
            for a in record.attachments:
                evidence.append(
                    {
                        "href": quote(f"evidence/{record.id}/{a.name}"),
                        "props": [_prop("sha256", a.sha256)],
                        "description": f"{a.name} (SHA-256 {a.sha256})",
                    }
                )
            if not evidence:
                evidence.append({"description": f"Attestation {record.id} (no attached files)"})
        return {
            "uuid": self.evidence_observation_uuid(e),
            "title": _line(f"Evidence for {e.requirement_id}: {e.state.value}"),
            "description": description,
            "props": props,
            "methods": ["EXAMINE"],
            "types": ["control-objective"],
            "origins": self.origins(),
            "relevant-evidence": evidence,
            "collected": collected,
        }

    def failure_risk(self, f: Finding) -> dict[str, Any]:
        rule = self.ctx.ruleset.get(f.rule_code)
        remediation = rule.remediation if rule is not None else ""
        statement = (rule.description if rule is not None else "") or f.title
        risk: dict[str, Any] = {
            "uuid": self.risk_uuid(f),
            "title": _line(f"{f.rule_code}: {f.title} ({f.resource_address})"),
            "description": f.message or f.title,
            "statement": statement,
            "props": [
                _prop("severity", f.severity.label),
                _prop("rule-code", f.rule_code),
                _prop("fingerprint", f.fingerprint),
            ],
            "status": "open",
            "origins": self.origins(),
            "related-observations": [{"observation-uuid": self.observation_uuid(f)}],
        }
        if remediation:
            risk["remediations"] = [
                {
                    "uuid": _uuid("remediation", f.fingerprint),
                    "lifecycle": "recommendation",
                    "title": _line(f"Remediate {f.rule_code}"),
                    "description": remediation,
                    "origins": self.origins(),
                }
            ]
        return risk

    def waiver_scope(self, w: WaiverLike) -> str:
        parts = []
        if w.rule:
            parts.append(f"rule {w.rule}")
        if w.requirement:
            parts.append(f"requirement {w.requirement}")
        parts.append(f"resources {w.resource or '*'}")
        return ", ".join(parts)

    def waiver_risk(self, w: WaiverLike, covered: Sequence[Finding]) -> dict[str, Any]:
        expired = waiver_expired(w, self.inputs.today)
        approvers = list(w.approved_by)
        props = [_prop("waiver-id", w.id), _prop("resource-pattern", w.resource or "*")]
        if w.rule:
            props.append(_prop("rule-code", w.rule))
        if w.requirement:
            props.append(_prop("requirement", self.catalog.qualified(w.requirement)))
        props.extend(_prop("approved-by", a) for a in approvers)
        state = "expired" if expired else "active"
        props.append(_prop("waiver-state", state))
        statement = (
            f"Deviation from {self.waiver_scope(w)} accepted by "
            f"{', '.join(approvers) or 'nobody'} until {w.expires_on.isoformat()}."
        )
        if expired:
            statement += " The waiver has expired: the findings it covered count as failing again."
        return {
            "uuid": self.waiver_uuid(w),
            "title": _line(f"Waiver {w.id}: {self.waiver_scope(w)}"),
            "description": w.reason or "(no reason given)",
            "statement": statement,
            "props": props,
            "status": "open" if expired else "deviation-approved",
            "deadline": _end_of_day(w.expires_on),
            "related-observations": [
                {"observation-uuid": self.observation_uuid(f)} for f in covered
            ],
        }

    def evidence_risk(self, e: EvidenceStatus) -> dict[str, Any]:
        due = e.next_due.isoformat() if e.next_due else "unknown"
        risk: dict[str, Any] = {
            "uuid": self.evidence_risk_uuid(e),
            "title": _line(f"Overdue evidence for {e.requirement_id}"),
            "description": (
                f"The procedural requirement {e.requirement_id} was last performed on "
                f"{e.last_performed.isoformat() if e.last_performed else 'never'} and was due "
                f"on {due}."
            ),
            "statement": self.requirement_text(e.requirement_id),
            "props": [_prop("requirement", self.catalog.qualified(e.requirement_id))],
            "status": "open",
            "related-observations": [{"observation-uuid": self.evidence_observation_uuid(e)}],
        }
        if e.next_due:
            risk["deadline"] = _end_of_day(e.next_due)
        return risk

    def requirement_text(self, requirement_id: str) -> str:
        try:
            return self.catalog.get(requirement_id).text
        except Exception:  # an id outside the catalog: keep the report going
            return requirement_id

    def covered_by(self, w: WaiverLike) -> list[Finding]:
        wanted = (Status.WAIVED,) if not waiver_expired(w, self.inputs.today) else (Status.FAIL,)
        return [f for f in self.findings if f.status in wanted and waiver_applies(w, f)]

    def overdue_evidence(self) -> list[EvidenceStatus]:
        return sorted(
            (e for e in self.inputs.evidence if e.state is EvidenceState.OVERDUE),
            key=lambda e: requirement_sort_key(e.requirement_id),
        )

    def finalize(self, root: str, body: dict[str, Any]) -> dict[str, Any]:
        body = _prune(body)
        document_uuid = str(uuid.uuid5(_BASE, canonical_json({root: body})))
        return {root: {"uuid": document_uuid, **body}}


# --- assessment results --------------------------------------------------------------------


def _objective_status(rp: RequirementPosture) -> dict[str, str]:
    if rp.state in SATISFIED:
        return {"state": "satisfied", "reason": "pass"}
    if rp.state is RequirementState.FAIL:
        return {"state": "not-satisfied", "reason": "fail"}
    remarks = {
        RequirementState.WAIVED: "Failures are covered by approved waivers (accepted deviation).",
        RequirementState.NOT_EVALUATED: "Could not be evaluated (unknown values or errors).",
    }.get(rp.state, "Not verified.")
    return {"state": "not-satisfied", "reason": "other", "remarks": remarks}


def assessment_results(inputs: AuditInputs, *, import_ap_href: str | None = None) -> dict[str, Any]:
    """The OSCAL assessment-results document (a dict ready for `json.dumps`)."""
    b = _Builder(inputs)
    catalog = b.catalog
    observed = [f for f in b.findings if f.status in OBSERVED_STATUSES]
    evidence = sorted(inputs.evidence, key=lambda e: requirement_sort_key(e.requirement_id))
    failing = [f for f in observed if f.status is Status.FAIL]

    by_requirement: dict[str, list[Finding]] = {}
    for f in observed:
        for c in f.controls:
            by_requirement.setdefault(c, []).append(f)
    evidence_map = {e.requirement_id: e for e in evidence}
    waiver_covers = {w.id: b.covered_by(w) for w in b.waivers}

    findings: list[dict[str, Any]] = []
    assessed: list[str] = []
    unassessed: list[str] = []
    for req in catalog.requirements:
        rp = b.states.get(req.id)
        if rp is None or rp.state is RequirementState.NO_VERIFICATION:
            unassessed.append(req.id)
            continue
        assessed.append(req.id)
        related_obs = [
            {"observation-uuid": b.observation_uuid(f)} for f in by_requirement.get(req.id, ())
        ]
        if req.id in evidence_map:
            related_obs.append(
                {"observation-uuid": b.evidence_observation_uuid(evidence_map[req.id])}
            )
        related_risks = [
            {"risk-uuid": b.risk_uuid(f)}
            for f in by_requirement.get(req.id, ())
            if f.status is Status.FAIL
        ]
        if req.id in evidence_map and evidence_map[req.id].state is EvidenceState.OVERDUE:
            related_risks.append({"risk-uuid": b.evidence_risk_uuid(evidence_map[req.id])})
        for w in b.waivers:
            if any(req.id in f.controls for f in waiver_covers[w.id]):
                related_risks.append({"risk-uuid": b.waiver_uuid(w)})
        finding: dict[str, Any] = {
            "uuid": _uuid("finding", b.run, req.id),
            "title": _line(f"{req.id} {_short_title(req)}"),
            "description": req.text,
            "props": [
                _prop("requirement", catalog.qualified(req.id)),
                _prop("requirement-state", rp.state.value),
            ],
            "origins": b.origins(),
            "target": {
                "type": "statement-id",
                "target-id": f"{control_id(catalog, req.id)}_smt",
                "status": _objective_status(rp),
            },
            "related-observations": related_obs,
            "related-risks": related_risks,
        }
        if rp.reasons:
            finding["remarks"] = "; ".join(rp.reasons)
        findings.append(finding)

    risks = [b.waiver_risk(w, waiver_covers[w.id]) for w in b.waivers]
    risks += [b.failure_risk(f) for f in failing]
    risks += [b.evidence_risk(e) for e in b.overdue_evidence()]

    plan_uuid = _uuid("assessment-plan", catalog.policy_id, catalog_version(catalog))
    rules = sorted(r.code for r in inputs.ctx.ruleset)
    result = inputs.result
    counts = result.counts()
    summary = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts.get(s))
    result_props = [
        _prop("resources", str(result.resource_count)),
        _prop("files", str(result.files_scanned)),
        _prop("rules", str(result.rule_count)),
        _prop("parse-errors", str(len(result.parse_errors))),
    ]
    remarks = []
    if unassessed:
        remarks.append(
            f"{len(unassessed)} requirement(s) have no verification in this run: "
            + ", ".join(unassessed)
        )
    remarks.extend(str(e) for e in result.parse_errors)
    body: dict[str, Any] = {
        "metadata": b.metadata(f"{catalog.policy_id} assessment results"),
        "import-ap": {
            "href": import_ap_href or f"#{plan_uuid}",
            "remarks": "The plan: the policy catalog, evaluated with tutela's rule set.",
        },
        "results": [
            {
                "uuid": _uuid("result", b.run),
                "title": _line(
                    f"tutela scan of {', '.join(result.targets) or 'the given targets'}"
                ),
                "description": (
                    f"Automated assessment of {result.resource_count} resource(s) in "
                    f"{result.files_scanned} file(s) with {result.rule_count} rule(s)"
                    f"{': ' + summary if summary else ''}; evidence of "
                    f"{len(evidence)} procedural requirement(s)."
                ),
                "start": b.now,
                "end": b.now,
                "props": result_props,
                "local-definitions": {
                    "inventory-items": b.inventory_items(observed),
                    "assessment-assets": {
                        "components": [b.tool_component()],
                        "assessment-platforms": [
                            {
                                "uuid": _uuid("platform", "tutela"),
                                "title": "tutela",
                                "uses-components": [{"component-uuid": b.tool_uuid}],
                            }
                        ],
                    },
                },
                "reviewed-controls": {
                    "control-selections": [
                        {
                            "include-controls": [
                                {"control-id": control_id(catalog, rid)} for rid in assessed
                            ]
                        }
                        if assessed
                        else {"include-all": {}}
                    ]
                },
                "observations": [b.observation(f) for f in observed]
                + [b.evidence_observation(e) for e in evidence],
                "risks": risks,
                "findings": findings,
                "remarks": "\n\n".join(remarks) or None,
            }
        ],
        "back-matter": {
            "resources": [
                {
                    "uuid": plan_uuid,
                    "title": f"{catalog.policy_id} assessment plan",
                    "description": (
                        f"Controls: the OSCAL catalog of {catalog.policy_id} "
                        f"({catalog.title}), version {catalog_version(catalog)}, as exported by "
                        "`tutela catalog export`. Methods: tutela's rules "
                        f"({', '.join(rules) or 'none'}) over the scanned targets, and "
                        "recorded evidence for procedural requirements."
                    ),
                    "props": [_prop("catalog-version", catalog_version(catalog))],
                }
            ]
        },
    }
    return b.finalize("assessment-results", body)


# --- POA&M ---------------------------------------------------------------------------------


def plan_of_action(inputs: AuditInputs) -> dict[str, Any]:
    """The OSCAL plan-of-action-and-milestones document: open failures, overdue evidence,
    active and expired waivers."""
    b = _Builder(inputs)
    catalog = b.catalog
    failing = [f for f in b.findings if f.status is Status.FAIL]
    overdue = b.overdue_evidence()
    waiver_covers = {w.id: b.covered_by(w) for w in b.waivers}
    waived = sorted(
        {
            f.fingerprint: f
            for fs in waiver_covers.values()
            for f in fs
            if f.status is Status.WAIVED
        }.values(),
        key=lambda f: f.fingerprint,
    )
    observed = sorted_findings({f.fingerprint: f for f in failing + waived}.values())

    items: list[dict[str, Any]] = []
    for f in failing:
        rule = inputs.ctx.ruleset.get(f.rule_code)
        items.append(
            {
                "uuid": _uuid("poam-item", f.fingerprint),
                "title": _line(f"{f.rule_code}: {f.title} ({f.resource_address})"),
                "description": (
                    f"{f.message or f.title}\n\nLocation: {_where(f)}"
                    + (f"\n\nRemediation: {rule.remediation}" if rule is not None else "")
                ),
                "props": [_prop("severity", f.severity.label), _prop("rule-code", f.rule_code)]
                + [_prop("requirement", catalog.qualified(c)) for c in f.controls],
                "origins": b.origins(),
                "related-observations": [{"observation-uuid": b.observation_uuid(f)}],
                "related-risks": [{"risk-uuid": b.risk_uuid(f)}],
            }
        )
    for e in overdue:
        items.append(
            {
                "uuid": _uuid("poam-item-evidence", e.requirement_id),
                "title": _line(f"Perform and record {e.requirement_id} (evidence overdue)"),
                "description": b.requirement_text(e.requirement_id),
                "props": [_prop("requirement", catalog.qualified(e.requirement_id))],
                "related-observations": [{"observation-uuid": b.evidence_observation_uuid(e)}],
                "related-risks": [{"risk-uuid": b.evidence_risk_uuid(e)}],
            }
        )
    for w in b.waivers:
        covered = waiver_covers[w.id]
        items.append(
            {
                "uuid": _uuid("poam-item-waiver", w.id),
                "title": _line(f"Waiver {w.id} expires {w.expires_on.isoformat()}"),
                "description": (
                    f"Accepted deviation ({b.waiver_scope(w)}): {w.reason or '(no reason)'}. "
                    "Remediate or renew before the deadline."
                ),
                "props": [_prop("waiver-id", w.id)],
                "related-observations": [
                    {"observation-uuid": b.observation_uuid(f)} for f in covered
                ],
                "related-risks": [{"risk-uuid": b.waiver_uuid(w)}],
            }
        )
    if not items:
        items.append(
            {
                "uuid": _uuid("poam-item-none", b.run),
                "title": "No open items",
                "description": (
                    "The assessment found no open failure, no overdue evidence and no waiver."
                ),
            }
        )

    risks = [b.failure_risk(f) for f in failing]
    risks += [b.evidence_risk(e) for e in overdue]
    risks += [b.waiver_risk(w, waiver_covers[w.id]) for w in b.waivers]
    body: dict[str, Any] = {
        "metadata": b.metadata(f"{catalog.policy_id} plan of action and milestones"),
        "system-id": {
            "identifier-type": TUTELA_NS,
            "id": f"{catalog.policy_id}:{','.join(inputs.result.targets) or 'scan'}",
        },
        "local-definitions": {
            "components": [b.tool_component()],
            "inventory-items": b.inventory_items(observed),
        },
        "observations": [b.observation(f) for f in observed]
        + [b.evidence_observation(e) for e in overdue],
        "risks": risks,
        "poam-items": items,
    }
    return b.finalize("plan-of-action-and-milestones", body)


def render_oscal_ar(inputs: AuditInputs, *, import_ap_href: str | None = None) -> str:
    """Assessment results as JSON text (two-space indented, trailing newline)."""
    document = assessment_results(inputs, import_ap_href=import_ap_href)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_poam(inputs: AuditInputs) -> str:
    """The POA&M as JSON text (two-space indented, trailing newline)."""
    return json.dumps(plan_of_action(inputs), indent=2, ensure_ascii=False) + "\n"
