"""Findings and scan results built by hand: every status, every location shape, parse errors."""

from __future__ import annotations

import pytest

from tutela.engine.findings import Finding, ScanResult, Suppression
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import EbsVolume, S3Bucket
from tutela.model.values import Location
from tutela.reports.context import ReportContext
from tutela.rules.api import Rule, Severity, Status, Verdict, failed, passed, rule
from tutela.sources.raw import ParseError


@rule(
    code="ENC001",
    controls=("3.3.1.a.3", "3.1.1.a.2"),
    severity=Severity.HIGH,
    remediation="Enable default server-side encryption (SSE-KMS).",
    snippets={"terraform": 'resource "aws_s3_bucket_server_side_encryption_configuration" "x" {}'},
)
def bucket_encrypted_at_rest(bucket: S3Bucket) -> Verdict:
    """Object storage is encrypted at rest.

    Why: an unencrypted bucket exposes regulated data once access control fails.
    """
    return passed() if bucket.encryption.enabled else failed("no default encryption")


@rule(
    code="LOG002",
    controls=("3.7.1.a.1",),
    severity=Severity.MEDIUM,
    remediation="Turn on server access logging.",
)
def bucket_access_logged(bucket: S3Bucket) -> Verdict:
    """Object storage access is logged.

    Why: access logs are the evidence of who read what.
    """
    return passed() if bucket.access_logging else failed("access logging is off")


@rule(
    code="ENC002",
    controls=("3.3.1.a.4",),
    severity=Severity.CRITICAL,
    remediation="Set `encrypted = true` on the volume.",
)
def volume_encrypted(volume: EbsVolume) -> Verdict:
    """Block volumes are encrypted.

    Why: snapshots of unencrypted volumes leak data.
    """
    return passed() if volume.encryption.enabled else failed("volume is not encrypted")


RULES: tuple[Rule, ...] = (bucket_encrypted_at_rest, bucket_access_logged, volume_encrypted)

REQUIREMENT_TEXT = {
    "3.3.1.a.3": "Data at rest shall be encrypted using AES-256 or stronger. Keys are managed.",
    "3.3.1.a.4": "Block storage volumes shall be encrypted.",
    "3.1.1.a.2": "Data protection shall be implemented through encryption at rest and in transit.",
    "3.7.1.a.1": "Security event logging shall be enabled for all infrastructure components.",
}

SECTION_TITLES = {
    "3.1": "Cloud Infrastructure Security Framework",
    "3.3": "Data Protection and Encryption",
    "3.3.1": "Encryption Implementation",
    "3.7": "Monitoring and Incident Response",
}


def make_finding(
    r: Rule,
    status: Status,
    address: str,
    *,
    file: str | None = "infra/main.tf",
    line: int = 1,
    end: int | None = None,
    message: str = "",
    arn: str | None = None,
    subject: str | None = None,
    suppression: Suppression | None = None,
    native_type: str = "aws_s3_bucket",
    source: str = "terraform",
) -> Finding:
    identity = arn or f"{source}:{address}"
    return Finding(
        rule_code=r.code,
        rule_name=r.name,
        title=r.title,
        severity=r.severity,
        controls=r.controls,
        status=status,
        message=message or f"{r.title}: {status.value}",
        resource_address=address,
        resource_kind=r.resource_kind,
        native_type=native_type,
        source=source,
        location=None if file is None else Location(file, line, end if end is not None else line),
        arn=arn,
        subject=subject,
        suppression=suppression,
        fingerprint=Finding.make_fingerprint(r.code, identity, subject),
    )


SUPPRESSION = Suppression(
    codes=("ENC001",),
    reason="public website assets, no regulated data",
    location=Location("infra/web.tf", 2, 2),
)


def sample_findings() -> tuple[Finding, ...]:
    enc, log, vol = RULES
    return (
        # deliberately out of order: renderers sort
        make_finding(log, Status.PASS, "aws_s3_bucket.logs", line=10, end=18),
        make_finding(
            enc,
            Status.FAIL,
            "aws_s3_bucket.data",
            line=3,
            end=8,
            message="no default server-side encryption",
        ),
        make_finding(
            vol,
            Status.FAIL,
            'aws_ebs_volume.db["primary"]',
            file="infra/ebs.tf",
            line=5,
            end=9,
            message="volume is not encrypted",
            native_type="aws_ebs_volume",
        ),
        make_finding(
            enc,
            Status.PASS,
            "aws_s3_bucket.logs",
            line=10,
            end=18,
            message="encrypted with aws:kms",
        ),
        make_finding(
            log, Status.FAIL, "aws_s3_bucket.data", line=3, end=8, message="access logging is off"
        ),
        make_finding(
            enc,
            Status.NOT_EVALUATED,
            "aws_s3_bucket.vars",
            line=20,
            end=24,
            message="not evaluated: encryption depends on var.sse",
        ),
        make_finding(
            enc,
            Status.SUPPRESSED,
            "aws_s3_bucket.site",
            file="infra/web.tf",
            line=3,
            end=7,
            message="no default server-side encryption",
            suppression=SUPPRESSION,
        ),
        make_finding(
            log,
            Status.ERROR,
            "aws_s3_bucket.vars",
            line=20,
            end=24,
            message="rule raised KeyError: 'x'",
        ),
        make_finding(
            vol,
            Status.NOT_APPLICABLE,
            "aws_ebs_volume.scratch",
            file="infra/ebs.tf",
            line=12,
            message="ephemeral volume",
            native_type="aws_ebs_volume",
        ),
        make_finding(
            log,
            Status.WAIVED,
            "arn:aws:s3:::legacy-bucket",
            file=None,
            arn="arn:aws:s3:::legacy-bucket",
            message="waived until 2026-12-31 (W-12)",
            native_type="AWS::S3::Bucket",
            source="aws",
        ),
        make_finding(
            enc,
            Status.FAIL,
            "arn:aws:s3:::legacy-bucket",
            file=None,
            arn="arn:aws:s3:::legacy-bucket",
            message="no default server-side encryption",
            native_type="AWS::S3::Bucket",
            source="aws",
        ),
    )


PARSE_ERRORS = (
    ParseError("infra/broken.tf", 7, 12, "unexpected token '}'", "terraform"),
    ParseError("k8s/bad.yaml", None, None, "not valid YAML", "kubernetes"),
)


@pytest.fixture
def ctx() -> ReportContext:
    return ReportContext(
        ruleset=RuleSet.of(RULES),
        tool_version="0.1.0",
        requirement_text=REQUIREMENT_TEXT,
        section_titles=SECTION_TITLES,
    )


@pytest.fixture
def result() -> ScanResult:
    return ScanResult(
        findings=sample_findings(),
        parse_errors=PARSE_ERRORS,
        resource_count=6,
        files_scanned=4,
        rule_count=3,
        duration_seconds=0.4271,
        targets=("infra", "k8s"),
        notes=("1 file skipped: infra/big.bin (binary)",),
    )


@pytest.fixture
def empty_result() -> ScanResult:
    return ScanResult(
        findings=(),
        parse_errors=(),
        resource_count=0,
        files_scanned=0,
        rule_count=3,
        duration_seconds=0.0,
    )
