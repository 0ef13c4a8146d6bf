"""Shared helpers of the store tests: findings and scan results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tutela.engine.findings import Finding, ScanResult
from tutela.model.values import Location
from tutela.rules.api import Severity, Status
from tutela.store import ScanInfo, Store

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def make_finding(
    rule: str,
    address: str,
    status: Status = Status.FAIL,
    *,
    line: int = 1,
    severity: Severity = Severity.HIGH,
    controls: tuple[str, ...] = ("3.3.1.a.3",),
    subject: str | None = None,
) -> Finding:
    return Finding(
        rule_code=rule,
        rule_name=rule.lower(),
        title=f"{rule} title",
        severity=severity,
        controls=controls,
        status=status,
        message=f"{rule} on {address}",
        resource_address=address,
        resource_kind="s3_bucket",
        native_type="aws_s3_bucket",
        source="terraform",
        location=Location("main.tf", line, line + 2),
        subject=subject,
        fingerprint=Finding.make_fingerprint(rule, f"terraform:{address}", subject),
    )


def make_result(findings: Sequence[Finding], targets: tuple[str, ...] = ("infra",)) -> ScanResult:
    return ScanResult(
        findings=tuple(findings),
        parse_errors=(),
        resource_count=len({f.resource_address for f in findings}),
        files_scanned=1,
        rule_count=len({f.rule_code for f in findings}),
        duration_seconds=0.5,
        targets=targets,
    )


def record(
    store: Store, findings: Sequence[Finding], *, at: datetime = T0, **kw: object
) -> ScanInfo:
    return store.record_scan(
        make_result(findings),
        started_at=at,
        finished_at=at + timedelta(seconds=1),
        tool_version="0.1.0",
        catalog_version="ENG-POL-003@test",
        actor="ci",
        **kw,  # type: ignore[arg-type]
    )


def moved(f: Finding, line: int) -> Finding:
    return replace(f, location=Location("main.tf", line, line + 2))
