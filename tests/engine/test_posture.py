"""Posture per requirement, section and framework control, and the trend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from tutela.catalog.loader import load_catalog
from tutela.catalog.model import Catalog
from tutela.engine.findings import Finding
from tutela.engine.posture import ScanPoint, compute_posture, posture_record, worst
from tutela.engine.posture_model import Posture, RequirementPosture, RequirementState
from tutela.evidence.cadence import evidence_statuses
from tutela.evidence.model import EvidenceRecord
from tutela.rules.api import Severity, Status

TODAY = date(2025, 6, 1)
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
QUARTERLY = "3.2.2.a.1"  # evidence, quarterly
ENCRYPTED = "3.3.1.a.3"  # automated, ENC001
NO_RULE = "3.1.1.a.2"  # automated, no rule in these tests
HYBRID = "3.3.2.a.3"  # hybrid: key rotation (rule + evidence)


@dataclass(frozen=True)
class V:
    code: str
    controls: tuple[str, ...]
    kind: str = "rule"
    title: str = "a rule"


VERIFIERS = [V("ENC001", (ENCRYPTED,)), V("KEY001", (HYBRID,))]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


def finding(
    rule: str, requirement: str, status: Status, address: str = "aws_s3_bucket.a"
) -> Finding:
    return Finding(
        rule_code=rule,
        rule_name=rule.lower(),
        title="t",
        severity=Severity.HIGH,
        controls=(requirement,),
        status=status,
        message="m",
        resource_address=address,
        resource_kind="s3_bucket",
        native_type="aws_s3_bucket",
        source="terraform",
        location=None,
        waiver_id="W-0001" if status is Status.WAIVED else None,
        fingerprint=Finding.make_fingerprint(rule, address, None),
    )


def attested(requirement: str, days_ago: int) -> EvidenceRecord:
    return EvidenceRecord(
        id=f"EV-{requirement}-{days_ago}",
        requirement_id=requirement,
        performed_on=TODAY - timedelta(days=days_ago),
        performed_by="alice",
        recorded_at=NOW,
    )


def posture(
    catalog: Catalog,
    findings: list[Finding] | tuple[Finding, ...] = (),
    records: tuple[EvidenceRecord, ...] = (),
    **kw: object,
) -> Posture:
    statuses = evidence_statuses(catalog, records, today=TODAY)
    return compute_posture(catalog, findings, statuses, VERIFIERS, now=NOW, **kw)  # type: ignore[arg-type]


def req(p: Posture, requirement_id: str) -> RequirementPosture:
    return next(r for r in p.requirements if r.requirement_id == requirement_id)


def test_quarterly_attested_100_days_ago_fails_and_yesterday_passes(catalog: Catalog) -> None:
    overdue = req(posture(catalog, records=(attested(QUARTERLY, 100),)), QUARTERLY)
    assert overdue.state is RequirementState.FAIL
    assert overdue.evidence_state == "overdue"
    assert overdue.reasons == (
        f"evidence overdue since {TODAY - timedelta(days=9)} "
        f"(last performed {TODAY - timedelta(days=100)})",
    )
    current = req(posture(catalog, records=(attested(QUARTERLY, 1),)), QUARTERLY)
    assert current.state is RequirementState.ATTESTED
    assert current.evidence_state == "attested"
    missing = req(posture(catalog), QUARTERLY)
    assert (missing.state, missing.evidence_state) == (RequirementState.NOT_EVALUATED, "missing")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((Status.PASS, Status.FAIL, Status.WAIVED), RequirementState.FAIL),
        ((Status.PASS, Status.SUPPRESSED), RequirementState.FAIL),
        ((Status.PASS, Status.NOT_EVALUATED, Status.WAIVED), RequirementState.NOT_EVALUATED),
        ((Status.PASS, Status.ERROR), RequirementState.NOT_EVALUATED),
        ((Status.PASS, Status.WAIVED), RequirementState.WAIVED),
        ((Status.PASS, Status.NOT_APPLICABLE), RequirementState.PASS),
        ((Status.NOT_APPLICABLE,), RequirementState.NOT_EVALUATED),
    ],
)
def test_findings_roll_up_worst_first(
    catalog: Catalog, statuses: tuple[Status, ...], expected: RequirementState
) -> None:
    findings = [
        finding("ENC001", ENCRYPTED, s, address=f"aws_s3_bucket.b{i}")
        for i, s in enumerate(statuses)
    ]
    r = req(posture(catalog, findings), ENCRYPTED)
    assert r.state is expected
    assert sum(r.counts.values()) == len(statuses)


def test_reasons_name_the_failures_and_waivers(catalog: Catalog) -> None:
    r = req(posture(catalog, [finding("ENC001", ENCRYPTED, Status.FAIL)]), ENCRYPTED)
    assert r.reasons == ("failing: ENC001 on aws_s3_bucket.a",)
    r = req(posture(catalog, [finding("ENC001", ENCRYPTED, Status.WAIVED)]), ENCRYPTED)
    assert r.reasons == ("waived: ENC001 on aws_s3_bucket.a by W-0001",)


def test_without_findings_or_rules(catalog: Catalog) -> None:
    p = posture(catalog)
    assert req(p, ENCRYPTED).state is RequirementState.NOT_EVALUATED
    assert "ENC001" in req(p, ENCRYPTED).reasons[0]
    assert req(p, NO_RULE).state is RequirementState.NO_VERIFICATION


def test_hybrid_takes_the_worst_part(catalog: Catalog) -> None:
    passing = [finding("KEY001", HYBRID, Status.PASS)]
    assert req(posture(catalog, passing), HYBRID).state is RequirementState.NOT_EVALUATED
    both = posture(catalog, passing, (attested(HYBRID, 3),))
    assert req(both, HYBRID).state is RequirementState.PASS
    failing = [finding("KEY001", HYBRID, Status.FAIL)]
    assert req(posture(catalog, failing, (attested(HYBRID, 3),)), HYBRID).state is (
        RequirementState.FAIL
    )


def test_sections_and_frameworks(catalog: Catalog) -> None:
    p = posture(
        catalog,
        [finding("ENC001", ENCRYPTED, Status.PASS)],
        (attested(QUARTERLY, 100),),
    )
    keys = [r.key for r in p.sections]
    assert keys[:3] == ["3.1", "3.1.1", "3.1.2"]
    assert {"3.7", "3.7.2"} <= set(keys)
    s322 = next(r for r in p.sections if r.key == "3.2.2")
    assert s322.states["fail"] == 1
    assert sum(s322.states.values()) == len(s322.requirement_ids) == len(catalog.select("3.2.2"))
    s331 = next(r for r in p.sections if r.key == "3.3.1")
    assert s331.states["pass"] == 1
    assert p.overall is not None and sum(p.overall.states.values()) == len(catalog.requirements)

    hipaa = next(r for r in p.frameworks if r.key == "HIPAA:45 CFR § 164.308(a)(4)")
    assert QUARTERLY in hipaa.requirement_ids and hipaa.states["fail"] >= 1
    only = posture(catalog, framework="HIPAA")
    assert only.frameworks and all(r.key.startswith("HIPAA:") for r in only.frameworks)
    frameworks = {r.key.split(":")[0] for r in p.frameworks}
    assert frameworks == {"HITRUST", "HIPAA", "SOC2", "NIST", "CIS"}


def test_percent_counts_good_states_among_verified(catalog: Catalog) -> None:
    p = posture(catalog, [finding("ENC001", ENCRYPTED, Status.PASS)])
    s = next(r for r in p.sections if r.key == "3.3.1")
    verified = sum(v for k, v in s.states.items() if k != "no_verification")
    assert s.percent == round(100 * 1 / verified, 1)


def test_trend_over_recorded_scans(catalog: Catalog) -> None:
    fail = [finding("ENC001", ENCRYPTED, Status.FAIL)]
    ok = [finding("ENC001", ENCRYPTED, Status.PASS)]
    history = [
        ScanPoint("1", NOW - timedelta(days=2), fail),
        ScanPoint("2", NOW - timedelta(days=1), ok),
    ]
    p = posture(catalog, ok, history=history)
    assert [t.scan_id for t in p.trend] == ["1", "2"]
    assert p.trend[0].failing == 1 and p.trend[1].failing == 0
    assert p.trend[0].percent < p.trend[1].percent
    assert p.overall is not None and p.trend[1].percent == p.overall.percent


def test_record_is_json(catalog: Catalog) -> None:
    p = posture(catalog, [finding("ENC001", ENCRYPTED, Status.FAIL)])
    doc = json.loads(json.dumps(posture_record(p)))
    assert doc["overall"]["key"] == "ENG-POL-003"
    assert {r["requirement"]: r["state"] for r in doc["requirements"]}[ENCRYPTED] == "fail"


def test_worst() -> None:
    assert worst([RequirementState.PASS, RequirementState.WAIVED]) is RequirementState.WAIVED
    assert worst([]) is RequirementState.NO_VERIFICATION
