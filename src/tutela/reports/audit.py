"""What the auditor reports (HTML, OCSF, OSCAL, the bundle) are written from.

A scan result alone answers "what is wrong now"; an auditor also wants the
posture per section and framework, the waivers that accept a risk (who, until
when), the evidence of procedural requirements and the trend. `AuditInputs`
carries all of it, with the time the report is generated as a parameter, so
the same inputs always render the same bytes.

Waivers are read through `WaiverLike`, the few fields the reports show, so
any waiver type with those attributes fits (the store's, or `WaiverEntry`).

When no computed `Posture` is given (a plain `tutela scan -f html`), the
reports ask the engine's `compute_posture` over the scan's rules (what
`tutela posture` shows); `scan_posture` is a plain findings-and-evidence
rollup for callers without the engine's posture (and for tests).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tutela.engine.findings import Finding, ScanResult, Suppression
from tutela.engine.posture_model import (
    Posture,
    RequirementPosture,
    RequirementState,
    Rollup,
)
from tutela.evidence.model import EvidenceState, EvidenceStatus
from tutela.model.values import Location
from tutela.reports import requirement_sort_key, section_of
from tutela.reports.context import ReportContext
from tutela.rules.api import Severity, Status
from tutela.sources.raw import ParseError

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog

__all__ = [
    "GOOD_STATES",
    "STATE_ORDER",
    "AuditInputs",
    "WaiverEntry",
    "WaiverLike",
    "catalog_version",
    "framework_rollups",
    "iso_utc",
    "report_time",
    "scan_posture",
    "scan_result_from_json",
    "section_rollups",
    "waiver_applies",
    "waiver_expired",
]

STATE_ORDER: tuple[RequirementState, ...] = tuple(RequirementState)
"""Worst first, as the posture model declares them."""

GOOD_STATES = frozenset({RequirementState.PASS, RequirementState.ATTESTED, RequirementState.WAIVED})

FRAMEWORK_ORDER: tuple[str, ...] = ("HITRUST", "HIPAA", "SOC2", "NIST", "CIS")


@runtime_checkable
class WaiverLike(Protocol):
    """The fields of a waiver (a policy exception) that the reports read."""

    @property
    def id(self) -> str: ...

    @property
    def rule(self) -> str | None:
        """Rule code the waiver covers (None: any rule of `requirement`)."""
        ...

    @property
    def requirement(self) -> str | None:
        """Requirement id the waiver covers (None: any requirement of `rule`)."""
        ...

    @property
    def resource(self) -> str:
        """Glob over resource addresses or ARNs (`*` for all)."""
        ...

    @property
    def reason(self) -> str: ...

    @property
    def approved_by(self) -> Sequence[str]: ...

    @property
    def expires_on(self) -> date: ...


@dataclass(frozen=True, slots=True)
class WaiverEntry:
    """A plain waiver value (tests, JSON input, adapters from other waiver types)."""

    id: str
    reason: str
    approved_by: tuple[str, ...]
    expires_on: date
    rule: str | None = None
    requirement: str | None = None
    resource: str = "*"
    requested_by: str = ""
    approved_on: date | None = None


def waiver_expired(waiver: WaiverLike, today: date) -> bool:
    """A waiver applies through its expiry day and stops the day after."""
    return waiver.expires_on < today


def waiver_applies(waiver: WaiverLike, finding: Finding) -> bool:
    """Whether the waiver covers the finding: the waiver that waived it (`waiver_id`), else
    the waiver's own scope test (`covers`) when it has one, else its rule, requirement and
    resource glob."""
    if finding.waiver_id is not None:
        return finding.waiver_id == waiver.id
    covers = getattr(waiver, "covers", None)
    if callable(covers):
        return bool(covers(finding))
    if waiver.rule and waiver.rule.upper() != finding.rule_code.upper():
        return False
    if waiver.requirement and waiver.requirement not in finding.controls:
        return False
    pattern = waiver.resource or "*"
    names = [finding.resource_address] + ([finding.arn] if finding.arn else [])
    return any(fnmatchcase(name, pattern) for name in names)


def iso_utc(moment: datetime) -> str:
    """`2025-06-30T12:00:00Z`: UTC, seconds precision (what OSCAL's pattern accepts)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def report_time() -> datetime:
    """Now (UTC, whole seconds), or `SOURCE_DATE_EPOCH` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def catalog_version(catalog: Catalog) -> str:
    """The catalog's version as the OSCAL catalog export names it."""
    return f"sha256-{catalog.source_sha256[:16]}" if catalog.source_sha256 else "unversioned"


@dataclass(frozen=True)
class AuditInputs:
    """Everything an auditor report is rendered from.

    - `generated_at`: the report's time (a parameter: same inputs, same bytes).
    - `posture`: computed posture (store, evidence, waivers); None rolls the
      findings up with `scan_posture`.
    - `evidence`: where each procedural requirement stands today.
    - `waivers`: every waiver known, active or expired.
    - `scan_id`: the store's id of the scan, when it was recorded.
    """

    result: ScanResult
    ctx: ReportContext
    generated_at: datetime
    posture: Posture | None = None
    evidence: tuple[EvidenceStatus, ...] = ()
    waivers: tuple[WaiverLike, ...] = ()
    scan_id: str | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def catalog(self) -> Catalog:
        """The context's catalog, else the shipped one."""
        found = self._cache.get("catalog")
        if found is None:
            found = self.ctx.catalog
            if found is None:
                from tutela.catalog.loader import load_catalog

                found = load_catalog(None)
            self._cache["catalog"] = found
        catalog: Catalog = found
        return catalog

    @property
    def today(self) -> date:
        return (
            self.generated_at.astimezone(UTC).date()
            if self.generated_at.tzinfo
            else (self.generated_at.date())
        )

    @property
    def run_key(self) -> str:
        """What identifies this run in derived identifiers: the scan id, else the time."""
        return self.scan_id or iso_utc(self.generated_at)

    def effective_posture(self) -> Posture:
        if self.posture is not None:
            return self.posture
        found = self._cache.get("posture")
        if found is None:
            found = self._cache["posture"] = _compute_posture(self)
        posture: Posture = found
        return posture

    def requirement_states(self) -> dict[str, RequirementPosture]:
        return {rp.requirement_id: rp for rp in self.effective_posture().requirements}

    def evidence_by_requirement(self) -> dict[str, EvidenceStatus]:
        return {e.requirement_id: e for e in self.evidence}


# --- posture from a scan -------------------------------------------------------------------


def _compute_posture(inputs: AuditInputs) -> Posture:
    """The engine's posture (`tutela posture`) over the scan's rules, else `scan_posture`."""
    try:
        from tutela.engine.posture import compute_posture
    except ImportError:  # pragma: no cover - the engine's posture is optional here
        return scan_posture(
            inputs.result, inputs.catalog, inputs.evidence, generated_at=inputs.generated_at
        )
    return compute_posture(
        inputs.catalog,
        inputs.result.findings,
        inputs.evidence_by_requirement(),
        inputs.ctx.ruleset.rules,
        now=inputs.generated_at,
    )


_EVIDENCE_STATE: dict[EvidenceState, RequirementState] = {
    EvidenceState.ATTESTED: RequirementState.ATTESTED,
    EvidenceState.DUE_SOON: RequirementState.ATTESTED,
    EvidenceState.OVERDUE: RequirementState.FAIL,
    EvidenceState.MISSING: RequirementState.NO_VERIFICATION,
}


def _requirement_posture(
    requirement_id: str, findings: Sequence[Finding], evidence: EvidenceStatus | None
) -> RequirementPosture:
    counts = Counter(f.status.value for f in findings)
    reasons: list[str] = []
    failing = sorted({f.rule_code for f in findings if f.status is Status.FAIL})
    unknown = sorted(
        {f.rule_code for f in findings if f.status in (Status.NOT_EVALUATED, Status.ERROR)}
    )
    if failing:
        state = RequirementState.FAIL
        reasons.append(f"failing: {', '.join(failing)}")
    elif unknown:
        state = RequirementState.NOT_EVALUATED
        reasons.append(f"not evaluated: {', '.join(unknown)}")
    elif counts.get(Status.WAIVED.value) or counts.get(Status.SUPPRESSED.value):
        state = RequirementState.WAIVED
        reasons.append("every failure is waived or suppressed")
    elif counts.get(Status.PASS.value):
        state = RequirementState.PASS
    else:
        state = RequirementState.NO_VERIFICATION
    evidence_state = None
    if evidence is not None:
        evidence_state = evidence.state.value
        from_evidence = _EVIDENCE_STATE[evidence.state]
        if evidence.state is EvidenceState.OVERDUE:
            due = f" (due {evidence.next_due.isoformat()})" if evidence.next_due else ""
            reasons.append(f"evidence overdue{due}")
        elif evidence.state is EvidenceState.MISSING:
            reasons.append("no evidence recorded")
        if STATE_ORDER.index(from_evidence) < STATE_ORDER.index(state) or (
            state is RequirementState.NO_VERIFICATION
        ):
            state = from_evidence
    return RequirementPosture(
        requirement_id=requirement_id,
        state=state,
        counts=dict(sorted(counts.items())),
        evidence_state=evidence_state,
        reasons=tuple(reasons),
    )


def scan_posture(
    result: ScanResult,
    catalog: Catalog,
    evidence: Iterable[EvidenceStatus] = (),
    *,
    generated_at: datetime,
) -> Posture:
    """Roll a scan's findings (and evidence statuses) up per requirement, section, framework."""
    by_requirement: dict[str, list[Finding]] = {}
    for f in result.findings:
        for control in f.controls:
            by_requirement.setdefault(control, []).append(f)
    evidence_map = {e.requirement_id: e for e in evidence}
    requirements = tuple(
        _requirement_posture(req.id, by_requirement.get(req.id, ()), evidence_map.get(req.id))
        for req in catalog.requirements
    )
    return Posture(
        generated_at=generated_at,
        requirements=requirements,
        sections=section_rollups(catalog, requirements),
        frameworks=framework_control_rollups(catalog, requirements),
    )


def _rollup(key: str, title: str, states: Iterable[RequirementPosture]) -> Rollup:
    members = list(states)
    counts = Counter(rp.state.value for rp in members)
    ordered = {s.value: counts.get(s.value, 0) for s in STATE_ORDER}
    return Rollup(
        key=key,
        title=title,
        states=ordered,
        requirement_ids=tuple(rp.requirement_id for rp in members),
    )


def section_rollups(
    catalog: Catalog, requirements: Sequence[RequirementPosture]
) -> tuple[Rollup, ...]:
    """One rollup per policy area (3.1 ... 3.7), in catalog order."""
    by_id = {rp.requirement_id: rp for rp in requirements}
    out: list[Rollup] = []
    for area in catalog.areas:
        members = [
            by_id[req.id] for req in catalog.requirements if req.area == area.id and req.id in by_id
        ]
        out.append(_rollup(area.id, area.title, members))
    return tuple(out)


def framework_rollups(
    catalog: Catalog, requirements: Sequence[RequirementPosture]
) -> tuple[Rollup, ...]:
    """One rollup per framework (HITRUST, HIPAA, SOC2, NIST, CIS...): requirements mapped to it."""
    by_id = {rp.requirement_id: rp for rp in requirements}
    names: dict[str, str] = {}
    members: dict[str, list[RequirementPosture]] = {}
    for req in catalog.requirements:
        for ref in req.references:
            version = f" {ref.version}" if ref.version else ""
            names.setdefault(ref.framework, f"{ref.framework_name}{version}")
            bucket = members.setdefault(ref.framework, [])
            if req.id in by_id and (not bucket or bucket[-1].requirement_id != req.id):
                bucket.append(by_id[req.id])
    keys = sorted(
        members,
        key=lambda k: (FRAMEWORK_ORDER.index(k) if k in FRAMEWORK_ORDER else 99, k),
    )
    return tuple(_rollup(k, names[k], members[k]) for k in keys)


def framework_control_rollups(
    catalog: Catalog, requirements: Sequence[RequirementPosture]
) -> tuple[Rollup, ...]:
    """One rollup per framework control (`HIPAA:45 CFR § 164.312(b)`)."""
    by_id = {rp.requirement_id: rp for rp in requirements}
    titles: dict[str, str] = {}
    members: dict[str, dict[str, RequirementPosture]] = {}
    for req in catalog.requirements:
        for ref in req.references:
            key = f"{ref.framework}:{ref.control}"
            titles.setdefault(key, ref.title or ref.label)
            if req.id in by_id:
                members.setdefault(key, {})[req.id] = by_id[req.id]

    def order(key: str) -> tuple[int, str, tuple[tuple[int, int, str], ...]]:
        fw, _, control = key.partition(":")
        rank = FRAMEWORK_ORDER.index(fw) if fw in FRAMEWORK_ORDER else 99
        return (rank, fw, requirement_sort_key(control))

    return tuple(
        _rollup(key, titles[key], members.get(key, {}).values())
        for key in sorted(titles, key=order)
    )


def state_counts(rollup: Rollup) -> list[tuple[RequirementState, int]]:
    return [(s, int(rollup.states.get(s.value, 0))) for s in STATE_ORDER]


def requirement_section(requirement_id: str) -> str:
    return section_of(requirement_id)


# --- scan results from the JSON report -----------------------------------------------------


def _location(file: object, start: object, end: object) -> Location | None:
    if not isinstance(file, str) or not file:
        return None
    first = start if isinstance(start, int) else 0
    last = end if isinstance(end, int) else first
    return Location(file, first, last)


def scan_result_from_json(document: Mapping[str, Any]) -> ScanResult:
    """A `ScanResult` back from `tutela scan -f json` output (schema version 1).

    Raises ValueError when the document is not a tutela JSON report.
    """
    if not isinstance(document, Mapping) or document.get("schema_version") != "1":
        raise ValueError("not a tutela JSON scan report (schema_version 1)")
    findings: list[Finding] = []
    for n, record in enumerate(document.get("findings") or ()):
        try:
            sup = record.get("suppression")
            suppression = None
            if isinstance(sup, Mapping):
                where = _location(sup.get("file"), sup.get("start_line"), sup.get("end_line"))
                suppression = Suppression(
                    codes=tuple(sup.get("codes") or ()),
                    reason=str(sup.get("reason") or ""),
                    location=where or Location("", 0, 0),
                )
            identity = record.get("arn") or f"{record['source']}:{record['resource_address']}"
            findings.append(
                Finding(
                    rule_code=str(record["rule_code"]),
                    rule_name=str(record.get("rule_name") or record["rule_code"]),
                    title=str(record.get("title") or record["rule_code"]),
                    severity=Severity.parse(str(record["severity"])),
                    controls=tuple(str(c) for c in record.get("requirements") or ()),
                    status=Status(record["status"]),
                    message=str(record.get("message") or ""),
                    resource_address=str(record["resource_address"]),
                    resource_kind=str(record.get("resource_kind") or ""),
                    native_type=str(record.get("native_type") or ""),
                    source=str(record["source"]),
                    location=_location(
                        record.get("file"), record.get("start_line"), record.get("end_line")
                    ),
                    arn=record.get("arn"),
                    subject=record.get("subject"),
                    suppression=suppression,
                    waiver_id=record.get("waiver_id"),
                    fingerprint=str(
                        record.get("fingerprint")
                        or Finding.make_fingerprint(
                            str(record["rule_code"]), str(identity), record.get("subject")
                        )
                    ),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"finding {n}: {exc}") from None
    errors = tuple(
        ParseError(
            str(e.get("file") or ""),
            e.get("line"),
            e.get("column"),
            str(e.get("message") or ""),
            str(e.get("source") or ""),
        )
        for e in document.get("parse_errors") or ()
    )
    summary = document.get("summary") or {}
    return ScanResult(
        findings=tuple(findings),
        parse_errors=errors,
        resource_count=int(summary.get("resources") or 0),
        files_scanned=int(summary.get("files") or 0),
        rule_count=int(summary.get("rules") or 0),
        duration_seconds=float(summary.get("duration_seconds") or 0.0),
        targets=tuple(str(t) for t in document.get("targets") or ()),
        notes=tuple(str(n) for n in document.get("notes") or ()),
    )


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces: what content-derived identifiers are computed over."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
