"""Coverage of requirements by verifiers (rules and evidence types)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tutela.catalog.coverage import CoverageStatus, Verifier, compute_coverage
from tutela.catalog.model import Catalog, VerificationKind
from tutela.engine.verifiers import default_verifiers


@dataclass(frozen=True)
class FakeVerifier:
    kind: str
    code: str
    title: str
    controls: tuple[str, ...]


def test_a_frozen_dataclass_is_a_verifier() -> None:
    assert isinstance(FakeVerifier("rule", "X1", "x", ()), Verifier)


def test_without_verifiers_everything_is_uncovered(catalog: Catalog) -> None:
    report = compute_coverage(catalog, [])
    assert report.totals.total == 135
    assert report.totals.uncovered == 135
    assert report.totals.covered == report.totals.partial == 0
    assert report.totals.automated + report.totals.hybrid + report.totals.evidence == 135
    assert len(report.sections) == 14
    assert sum(s.total for s in report.sections) == 135
    assert report.sections[-1].section == "3.7.2" and report.sections[-1].total == 5
    entry = report.requirements[0]
    assert (entry.requirement, entry.status, entry.missing) == (
        "3.1.1.a.1",
        CoverageStatus.UNCOVERED,
        ("rule",),
    )


def test_statuses_follow_the_verification_kind(catalog: Catalog) -> None:
    assert catalog.get("3.3.1.a.3").verification.kind is VerificationKind.AUTOMATED
    assert catalog.get("3.1.2.a.4").verification.kind is VerificationKind.HYBRID
    assert catalog.get("3.2.2.a.1").verification.kind is VerificationKind.EVIDENCE
    verifiers = [
        FakeVerifier("rule", "ENC001", "Buckets encrypted", ("3.3.1.a.3",)),
        FakeVerifier("rule", "VUL001", "Scanner enabled", ("3.1.2.a.4", "3.3.1.a.2")),
        FakeVerifier("evidence", "EV-AR", "Quarterly access review", ("3.2.2.a.1", "3.3.1.a.1")),
        FakeVerifier("evidence", "EV-PATCH", "Patch SLA report", ("3.1.2.a.4",)),
        FakeVerifier("rule", "TYPO1", "Typo", ("3.3.1.a.33",)),
    ]
    report = compute_coverage(catalog, verifiers)
    entries = {e.requirement: e for e in report.requirements}
    assert entries["3.3.1.a.3"].status is CoverageStatus.COVERED
    assert [v.code for v in entries["3.3.1.a.3"].verifiers] == ["ENC001"]
    assert entries["3.1.2.a.4"].status is CoverageStatus.COVERED
    assert [v.code for v in entries["3.1.2.a.4"].verifiers] == ["EV-PATCH", "VUL001"]
    assert entries["3.2.2.a.1"].status is CoverageStatus.COVERED
    # an automated requirement with only evidence is partial
    assert (entries["3.3.1.a.1"].status, entries["3.3.1.a.1"].missing) == (
        CoverageStatus.PARTIAL,
        ("rule",),
    )
    assert entries["3.3.1.a.4"].status is CoverageStatus.UNCOVERED
    assert [(u.code, u.control) for u in report.unknown_controls] == [("TYPO1", "3.3.1.a.33")]
    section = next(s for s in report.sections if s.section == "3.3.1")
    assert (section.covered, section.partial, section.uncovered) == (2, 1, 7)
    assert (report.totals.rules, report.totals.evidence_types) == (3, 2)


def test_hybrid_with_one_kind_is_partial(catalog: Catalog) -> None:
    report = compute_coverage(catalog, [FakeVerifier("rule", "VUL001", "Scanner", ("3.1.2.a.4",))])
    entry = next(e for e in report.requirements if e.requirement == "3.1.2.a.4")
    assert (entry.status, entry.missing) == (CoverageStatus.PARTIAL, ("evidence",))


def test_unknown_verifier_kind(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="kind 'check'"):
        compute_coverage(catalog, [FakeVerifier("check", "C1", "c", ())])


def test_default_verifiers_are_verifiers_of_this_catalog(catalog: Catalog) -> None:
    verifiers = default_verifiers(catalog)
    for verifier in verifiers:
        assert isinstance(verifier, Verifier)
        assert verifier.kind in ("rule", "evidence")
    report = compute_coverage(catalog, verifiers)
    totals = report.totals
    assert totals.covered + totals.partial + totals.uncovered == 135
    assert totals.rules + totals.evidence_types == len(verifiers)
    claimed = {c for v in verifiers for c in v.controls if c in catalog}
    verified = {e.requirement for e in report.requirements if e.verifiers}
    assert verified == claimed
