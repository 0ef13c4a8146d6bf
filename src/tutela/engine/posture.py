"""Posture: findings and evidence rolled up per requirement, section and framework control.

Per requirement, the parts that verify it each give a state, and the worst
one wins (FAIL > NOT_EVALUATED > WAIVED > PASS > ATTESTED > NO_VERIFICATION):

- findings of its rules: any FAIL fails it; a failure suppressed inline
  (`tutela:ignore`) fails it too, since only an approved waiver excuses a
  failure in posture; then errors and unknowns make it NOT_EVALUATED; failures
  all covered by waivers make it WAIVED; else passes make it PASS. Rules that
  exist but judged no scanned resource leave it NOT_EVALUATED; an automated
  requirement without any rule has NO_VERIFICATION.
- evidence (evidence and hybrid requirements): attested or due soon gives
  ATTESTED, overdue gives FAIL, never attested gives NOT_EVALUATED.

Sections (3.1 ... 3.7 and 3.x.y) and the framework controls of section 4
count the states of their requirements; `Rollup.percent` is the share that
pass, are attested or waived among those that something verifies. The trend
gives, per recorded scan, that percentage over the whole policy and the
number of failing requirements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tutela.catalog.model import Catalog, Requirement, VerificationKind
from tutela.engine.findings import Finding
from tutela.engine.posture_model import (
    Posture,
    RequirementPosture,
    RequirementState,
    Rollup,
    TrendPoint,
)
from tutela.evidence.model import EvidenceState, EvidenceStatus
from tutela.rules.api import Status

ORDER = (
    RequirementState.FAIL,
    RequirementState.NOT_EVALUATED,
    RequirementState.WAIVED,
    RequirementState.PASS,
    RequirementState.ATTESTED,
    RequirementState.NO_VERIFICATION,
)
_RANK = {s: i for i, s in enumerate(ORDER)}
MAX_REASONS = 5


@dataclass(frozen=True)
class ScanPoint:
    """One recorded scan for the trend; `evidence` as of the scan (None: the current one)."""

    scan_id: str
    at: datetime
    findings: Sequence[Finding]
    evidence: Mapping[str, EvidenceStatus] | None = None


def worst(states: Iterable[RequirementState]) -> RequirementState:
    return min(states, key=lambda s: _RANK[s], default=RequirementState.NO_VERIFICATION)


def _where(f: Finding) -> str:
    part = f" ({f.subject})" if f.subject else ""
    return f"{f.rule_code} on {f.resource_address}{part}"


def _listed(prefix: str, items: Sequence[str]) -> list[str]:
    shown = [f"{prefix}{x}" for x in items[:MAX_REASONS]]
    if len(items) > MAX_REASONS:
        shown.append(f"... and {len(items) - MAX_REASONS} more")
    return shown


def _from_findings(
    findings: Sequence[Finding], rule_codes: Sequence[str]
) -> tuple[RequirementState, list[str]]:
    if not findings:
        if rule_codes:
            return RequirementState.NOT_EVALUATED, [
                f"no scanned resource in scope of {', '.join(rule_codes)}"
            ]
        return RequirementState.NO_VERIFICATION, ["no rule verifies it yet"]
    by: dict[Status, list[Finding]] = {}
    for f in findings:
        by.setdefault(f.status, []).append(f)
    if Status.FAIL in by:
        return RequirementState.FAIL, _listed("failing: ", [_where(f) for f in by[Status.FAIL]])
    if Status.SUPPRESSED in by:
        return RequirementState.FAIL, _listed(
            "suppressed inline, not an approved waiver: ",
            [_where(f) for f in by[Status.SUPPRESSED]],
        )
    unknown = by.get(Status.ERROR, []) + by.get(Status.NOT_EVALUATED, [])
    if unknown:
        return RequirementState.NOT_EVALUATED, _listed(
            "not evaluated: ", [_where(f) for f in unknown]
        )
    if Status.WAIVED in by:
        return RequirementState.WAIVED, _listed(
            "waived: ", [f"{_where(f)} by {f.waiver_id or 'a waiver'}" for f in by[Status.WAIVED]]
        )
    if Status.PASS in by:
        return RequirementState.PASS, []
    return RequirementState.NOT_EVALUATED, ["its rules apply to no scanned resource"]


def _from_evidence(
    requirement: Requirement, status: EvidenceStatus | None
) -> tuple[RequirementState, list[str]]:
    if status is None or status.state is EvidenceState.MISSING:
        return RequirementState.NOT_EVALUATED, [
            f"no evidence recorded (tutela evidence record {requirement.id})"
        ]
    if status.state is EvidenceState.OVERDUE:
        return RequirementState.FAIL, [
            f"evidence overdue since {status.next_due} (last performed {status.last_performed})"
        ]
    if status.state is EvidenceState.DUE_SOON:
        return RequirementState.ATTESTED, [f"evidence due on {status.next_due}"]
    return RequirementState.ATTESTED, []


def requirement_posture(
    requirement: Requirement,
    findings: Sequence[Finding],
    evidence: EvidenceStatus | None,
    rule_codes: Sequence[str],
) -> RequirementPosture:
    kind = requirement.verification.kind
    parts: list[tuple[RequirementState, list[str]]] = []
    if kind in (VerificationKind.AUTOMATED, VerificationKind.HYBRID) or findings:
        if kind is VerificationKind.HYBRID and not findings and not rule_codes:
            parts.append((RequirementState.NO_VERIFICATION, []))
        else:
            parts.append(_from_findings(findings, rule_codes))
    evidence_state: str | None = None
    if kind in (VerificationKind.EVIDENCE, VerificationKind.HYBRID):
        evidence_state = (evidence.state if evidence else EvidenceState.MISSING).value
        parts.append(_from_evidence(requirement, evidence))
    state = worst(s for s, _ in parts)
    reasons = tuple(r for s, rs in parts if s is state for r in rs) or tuple(
        r for _, rs in parts for r in rs
    )
    counts = Counter(f.status.value for f in findings)
    return RequirementPosture(
        requirement_id=requirement.id,
        state=state,
        counts=dict(sorted(counts.items())),
        evidence_state=evidence_state,
        reasons=reasons,
    )


def _by_requirement(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        for c in dict.fromkeys(f.controls):
            out.setdefault(c, []).append(f)
    return out


def _rule_codes(verifiers: Iterable[object]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in verifiers:
        if getattr(v, "kind", "rule") != "rule":
            continue
        for c in getattr(v, "controls", ()):
            out.setdefault(c, []).append(str(getattr(v, "code", "?")))
    return {k: sorted(set(v)) for k, v in out.items()}


def requirement_postures(
    catalog: Catalog,
    findings: Iterable[Finding],
    evidence_statuses: Mapping[str, EvidenceStatus],
    verifiers: Iterable[object],
) -> tuple[RequirementPosture, ...]:
    by_req = _by_requirement(findings)
    codes = _rule_codes(verifiers)
    return tuple(
        requirement_posture(
            req, by_req.get(req.id, []), evidence_statuses.get(req.id), codes.get(req.id, [])
        )
        for req in catalog.requirements
    )


def _rollup(key: str, title: str, postures: Sequence[RequirementPosture]) -> Rollup:
    counts = Counter(p.state.value for p in postures)
    return Rollup(
        key=key,
        title=title,
        states={s.value: counts.get(s.value, 0) for s in ORDER},
        requirement_ids=tuple(p.requirement_id for p in postures),
    )


def section_rollups(catalog: Catalog, postures: Sequence[RequirementPosture]) -> tuple[Rollup, ...]:
    out: list[Rollup] = []
    for area in catalog.areas:
        under = [p for p in postures if p.requirement_id.startswith(area.id + ".")]
        out.append(_rollup(area.id, area.title, under))
        for section in area.sections:
            inside = [p for p in under if p.requirement_id.startswith(section.id + ".")]
            out.append(_rollup(section.id, section.title, inside))
    return tuple(out)


def framework_key_of(framework: str, control: str) -> str:
    """The rollup key of a framework control: `HIPAA:45 CFR § 164.312(b)`."""
    return f"{framework}:{control}"


def framework_rollups(
    catalog: Catalog,
    postures: Sequence[RequirementPosture],
    *,
    framework: str | None = None,
) -> tuple[Rollup, ...]:
    by_id = {p.requirement_id: p for p in postures}
    groups: dict[str, tuple[str, list[str]]] = {}
    order = {f: i for i, f in enumerate(catalog.frameworks())}
    for req in catalog.requirements:
        for ref in req.references:
            if framework is not None and ref.framework != framework:
                continue
            key = framework_key_of(ref.framework, ref.control)
            title = ref.title or f"{ref.framework_name} {ref.control}"
            entry = groups.setdefault(key, (title, []))
            if req.id not in entry[1]:
                entry[1].append(req.id)
    keys = sorted(groups, key=lambda k: (order.get(k.split(":", 1)[0], len(order)),))
    return tuple(
        _rollup(k, groups[k][0], [by_id[r] for r in groups[k][1] if r in by_id]) for k in keys
    )


def overall_rollup(catalog: Catalog, postures: Sequence[RequirementPosture]) -> Rollup:
    return _rollup(catalog.policy_id, catalog.title, postures)


def compute_posture(
    catalog: Catalog,
    findings: Iterable[Finding],
    evidence_statuses: Mapping[str, EvidenceStatus],
    verifiers: Iterable[object],
    *,
    now: datetime,
    history: Sequence[ScanPoint] = (),
    framework: str | None = None,
) -> Posture:
    """The posture of `catalog` given the current findings and evidence.

    `verifiers`: rules and evidence types (`kind`, `code`, `controls`), to tell
    "no resource in scope" from "no rule at all". `history`: recorded scans,
    oldest first, for the trend. `framework`: only that framework's controls
    (a key: HIPAA, SOC2, HITRUST, NIST, CIS).
    """
    verifier_list = list(verifiers)
    postures = requirement_postures(catalog, findings, evidence_statuses, verifier_list)
    trend: list[TrendPoint] = []
    for point in history:
        evidence = point.evidence if point.evidence is not None else evidence_statuses
        then = requirement_postures(catalog, point.findings, evidence, verifier_list)
        trend.append(
            TrendPoint(
                scan_id=point.scan_id,
                at=point.at,
                percent=overall_rollup(catalog, then).percent,
                failing=sum(p.state is RequirementState.FAIL for p in then),
            )
        )
    return Posture(
        generated_at=now,
        requirements=postures,
        sections=section_rollups(catalog, postures),
        frameworks=framework_rollups(catalog, postures, framework=framework),
        trend=tuple(trend),
        overall=overall_rollup(catalog, postures),
    )


def rollup_record(rollup: Rollup) -> dict[str, Any]:
    return {
        "key": rollup.key,
        "title": rollup.title,
        "percent": rollup.percent,
        "states": dict(rollup.states),
        "requirements": list(rollup.requirement_ids),
    }


def posture_record(posture: Posture) -> dict[str, Any]:
    """The posture as plain JSON values (the `tutela posture --format json` document)."""
    return {
        "generated_at": posture.generated_at.isoformat(),
        "overall": rollup_record(posture.overall) if posture.overall is not None else None,
        "sections": [rollup_record(r) for r in posture.sections],
        "frameworks": [rollup_record(r) for r in posture.frameworks],
        "requirements": [
            {
                "requirement": p.requirement_id,
                "state": p.state.value,
                "counts": dict(p.counts),
                "evidence_state": p.evidence_state,
                "reasons": list(p.reasons),
            }
            for p in posture.requirements
        ],
        "trend": [
            {"scan": t.scan_id, "at": t.at.isoformat(), "percent": t.percent, "failing": t.failing}
            for t in posture.trend
        ],
    }
