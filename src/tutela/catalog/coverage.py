"""What verifies each requirement: rules, evidence types, or nothing yet.

`compute_coverage(catalog, verifiers)` matches verifiers (rules and evidence
types, anything with `kind`, `code`, `title` and `controls`) to the
requirements they name, and says per requirement whether its verification is
covered:

- automated: covered by at least one rule;
- evidence: covered by at least one evidence type;
- hybrid: covered by a rule and an evidence type, partial with only one;

a requirement that no fitting verifier names is uncovered (a verifier of the
other kind only makes it partial). Verifiers naming ids the catalog does not
contain are reported too, so a typo in `controls` is not silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from tutela.catalog.model import Catalog, VerificationKind

__all__ = [
    "CoverageEntry",
    "CoverageReport",
    "CoverageStatus",
    "SectionCoverage",
    "Verifier",
    "VerifierRef",
    "compute_coverage",
]

RULE = "rule"
EVIDENCE = "evidence"
VERIFIER_KINDS = (RULE, EVIDENCE)


@runtime_checkable
class Verifier(Protocol):
    """A rule or an evidence type, as far as coverage is concerned."""

    @property
    def kind(self) -> str:
        """ "rule" or "evidence"."""
        ...

    @property
    def code(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def controls(self) -> tuple[str, ...]:
        """Requirement ids (`3.3.1.a.3`) this verifier verifies."""
        ...


class CoverageStatus(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    """Some verifier, not all that are needed: a hybrid requirement with a rule or an evidence
    type only, or a requirement verified only by the other kind."""
    UNCOVERED = "uncovered"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VerifierRef(_Model):
    kind: str
    code: str
    title: str


class CoverageEntry(_Model):
    requirement: str
    section: str
    verification: VerificationKind
    status: CoverageStatus
    verifiers: tuple[VerifierRef, ...]
    missing: tuple[str, ...]
    """Verifier kinds still needed ("rule", "evidence")."""


class SectionCoverage(_Model):
    section: str
    title: str
    total: int
    covered: int
    partial: int
    uncovered: int


class UnknownControl(_Model):
    kind: str
    code: str
    control: str


class CoverageTotals(_Model):
    total: int
    covered: int
    partial: int
    uncovered: int
    automated: int
    hybrid: int
    evidence: int
    rules: int
    evidence_types: int


class CoverageReport(_Model):
    policy_id: str
    totals: CoverageTotals
    sections: tuple[SectionCoverage, ...]
    requirements: tuple[CoverageEntry, ...]
    unknown_controls: tuple[UnknownControl, ...]


_NEEDS: dict[VerificationKind, tuple[str, ...]] = {
    VerificationKind.AUTOMATED: (RULE,),
    VerificationKind.EVIDENCE: (EVIDENCE,),
    VerificationKind.HYBRID: (RULE, EVIDENCE),
}


def compute_coverage(catalog: Catalog, verifiers: Iterable[Verifier]) -> CoverageReport:
    """Coverage of every requirement of `catalog` by `verifiers`."""
    verifiers = tuple(verifiers)
    for verifier in verifiers:
        if verifier.kind not in VERIFIER_KINDS:
            raise ValueError(
                f"verifier {verifier.code!r} has kind {verifier.kind!r}; "
                "expected 'rule' or 'evidence'"
            )
    by_requirement: dict[str, list[VerifierRef]] = {}
    unknown: list[UnknownControl] = []
    for verifier in sorted(verifiers, key=lambda v: (v.kind, v.code)):
        ref = VerifierRef(kind=verifier.kind, code=verifier.code, title=verifier.title)
        for control in verifier.controls:
            if control in catalog:
                known = by_requirement.setdefault(control, [])
                if ref not in known:
                    known.append(ref)
            else:
                unknown.append(
                    UnknownControl(kind=verifier.kind, code=verifier.code, control=control)
                )

    entries: list[CoverageEntry] = []
    for req in catalog.requirements:
        refs = tuple(by_requirement.get(req.id, ()))
        have = {ref.kind for ref in refs}
        needs = _NEEDS[req.verification.kind]
        missing = tuple(kind for kind in needs if kind not in have)
        if not missing:
            status = CoverageStatus.COVERED
        elif refs:
            status = CoverageStatus.PARTIAL
        else:
            status = CoverageStatus.UNCOVERED
        entries.append(
            CoverageEntry(
                requirement=req.id,
                section=req.section,
                verification=req.verification.kind,
                status=status,
                verifiers=refs,
                missing=missing,
            )
        )

    sections: list[SectionCoverage] = []
    for section in catalog.sections():
        rows = [entry for entry in entries if entry.section == section.id]
        sections.append(
            SectionCoverage(
                section=section.id,
                title=section.title,
                total=len(rows),
                covered=sum(e.status is CoverageStatus.COVERED for e in rows),
                partial=sum(e.status is CoverageStatus.PARTIAL for e in rows),
                uncovered=sum(e.status is CoverageStatus.UNCOVERED for e in rows),
            )
        )

    totals = CoverageTotals(
        total=len(entries),
        covered=sum(e.status is CoverageStatus.COVERED for e in entries),
        partial=sum(e.status is CoverageStatus.PARTIAL for e in entries),
        uncovered=sum(e.status is CoverageStatus.UNCOVERED for e in entries),
        automated=sum(e.verification is VerificationKind.AUTOMATED for e in entries),
        hybrid=sum(e.verification is VerificationKind.HYBRID for e in entries),
        evidence=sum(e.verification is VerificationKind.EVIDENCE for e in entries),
        rules=sum(v.kind == RULE for v in verifiers),
        evidence_types=sum(v.kind == EVIDENCE for v in verifiers),
    )
    return CoverageReport(
        policy_id=catalog.policy_id,
        totals=totals,
        sections=tuple(sections),
        requirements=tuple(entries),
        unknown_controls=tuple(unknown),
    )
