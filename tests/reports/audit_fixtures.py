"""Inputs of the auditor reports built by hand: evidence, waivers, a trend, hostile strings."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from tutela.engine.findings import Finding, ScanResult
from tutela.engine.posture_model import TrendPoint
from tutela.evidence.model import Attachment, EvidenceRecord, EvidenceState, EvidenceStatus
from tutela.reports.audit import AuditInputs, WaiverEntry, scan_posture
from tutela.reports.context import ReportContext
from tutela.rules.api import Status

from .conftest import RULES, make_finding

GENERATED_AT = datetime(2025, 6, 30, 12, 0, 0, tzinfo=UTC)
TODAY = GENERATED_AT.date()

HOSTILE_ADDRESS = 'aws_s3_bucket.x"><script>alert("address")</script>'
HOSTILE_MESSAGE = "<img src=x onerror=alert('message')> & </td></tr></table><b>bold</b>"
HOSTILE_FILE = "infra/<svg onload=alert(1)>.tf"


def hostile_finding() -> Finding:
    enc = RULES[0]
    return make_finding(
        enc, Status.FAIL, HOSTILE_ADDRESS, file=HOSTILE_FILE, line=4, message=HOSTILE_MESSAGE
    )


def _record(rid: str, performed: date, by: str, *files: tuple[str, str]) -> EvidenceRecord:
    return EvidenceRecord(
        id=f"ev-{rid}",
        requirement_id=rid,
        performed_on=performed,
        performed_by=by,
        recorded_at=datetime.combine(performed, datetime.min.time(), tzinfo=UTC),
        note="Reviewed in the quarterly access review meeting.",
        attachments=tuple(
            Attachment(name=name, sha256=digest, stored_path=f"evidence/{name}")
            for name, digest in files
        ),
    )


EVIDENCE: tuple[EvidenceStatus, ...] = (
    EvidenceStatus(
        requirement_id="3.2.2.a.1",
        state=EvidenceState.ATTESTED,
        last_performed=date(2025, 6, 1),
        next_due=date(2025, 8, 31),
        record=_record(
            "3.2.2.a.1", date(2025, 6, 1), "Dana Reviewer", ("access-review.csv", "ab" * 32)
        ),
    ),
    EvidenceStatus(
        requirement_id="3.6.2.a.4",
        state=EvidenceState.OVERDUE,
        last_performed=date(2024, 3, 1),
        next_due=date(2025, 3, 1),
        record=_record("3.6.2.a.4", date(2024, 3, 1), "Sam <Ops>", ("dr-test.pdf", "cd" * 32)),
    ),
    EvidenceStatus(
        requirement_id="3.2.2.a.2",
        state=EvidenceState.DUE_SOON,
        last_performed=date(2024, 7, 10),
        next_due=date(2025, 7, 10),
        record=_record("3.2.2.a.2", date(2024, 7, 10), "Dana Reviewer"),
    ),
    EvidenceStatus(requirement_id="3.1.2.b.5", state=EvidenceState.MISSING),
)

WAIVERS: tuple[WaiverEntry, ...] = (
    WaiverEntry(
        id="W-12",
        rule="LOG002",
        requirement=None,
        resource="arn:aws:s3:::legacy-*",
        reason="Legacy bucket is read-only until its migration <Q3>.",
        requested_by="alex",
        approved_by=("ciso", "privacy-officer"),
        approved_on=date(2025, 1, 2),
        expires_on=date(2026, 12, 31),
    ),
    WaiverEntry(
        id="W-07",
        rule="ENC001",
        requirement="3.3.1.a.3",
        resource="arn:aws:s3:::legacy-bucket",
        reason="Vendor appliance could not use KMS.",
        requested_by="jo",
        approved_by=("ciso",),
        approved_on=date(2024, 5, 1),
        expires_on=date(2025, 5, 31),
    ),
)

TREND = (
    TrendPoint("scan-1", datetime(2025, 4, 1, tzinfo=UTC), 41.0, 30),
    TrendPoint("scan-2", datetime(2025, 5, 1, tzinfo=UTC), 55.5, 21),
    TrendPoint("scan-3", datetime(2025, 6, 1, tzinfo=UTC), 62.0, 14),
    TrendPoint("scan-4", datetime(2025, 6, 30, tzinfo=UTC), 60.0, 16),
)


def audit_inputs(
    result: ScanResult,
    ctx: ReportContext,
    *,
    hostile: bool = True,
    trend: bool = True,
    scan_id: str | None = "scan-4",
) -> AuditInputs:
    if hostile:
        result = dataclasses.replace(result, findings=(*result.findings, hostile_finding()))
    base = AuditInputs(result=result, ctx=ctx, generated_at=GENERATED_AT)
    posture = scan_posture(result, base.catalog, EVIDENCE, generated_at=GENERATED_AT)
    if trend:
        posture = dataclasses.replace(posture, trend=TREND)
    return AuditInputs(
        result=result,
        ctx=ctx,
        generated_at=GENERATED_AT,
        posture=posture,
        evidence=EVIDENCE,
        waivers=WAIVERS,
        scan_id=scan_id,
    )
