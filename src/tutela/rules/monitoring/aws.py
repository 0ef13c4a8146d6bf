"""3.2.2 and 3.7.1: audit logging, log retention, integrity and coverage."""

from __future__ import annotations

from tutela.model.aws import CloudTrail, EksCluster, LogGroup, S3Bucket
from tutela.model.inventory import Inventory
from tutela.model.values import Reference
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule
from tutela.rules.settings import Settings


@rule(
    code="LOG001",
    controls=("3.2.2.b.3", "3.7.1.b.1"),
    severity=Severity.HIGH,
    remediation="Set `is_multi_region_trail = true` so activity in every region is recorded.",
    snippets={
        "terraform": "is_multi_region_trail = true",
        "cloudformation": "IsMultiRegionTrail: true",
    },
)
def trail_is_multi_region(trail: CloudTrail) -> Verdict:
    """CloudTrail trails record every region.

    Why: attackers use the regions nobody watches; a single-region trail leaves API
    activity elsewhere unrecorded.
    """
    if not trail.multi_region:
        return failed("the trail records a single region", at="multi_region")
    return passed()


@rule(
    code="LOG002",
    controls=("3.7.1.b.5", "3.7.1.b.4"),
    severity=Severity.MEDIUM,
    remediation="Set `enable_log_file_validation = true` to get signed digest files.",
    snippets={
        "terraform": "enable_log_file_validation = true",
        "cloudformation": "EnableLogFileValidation: true",
    },
)
def trail_log_file_validation_enabled(trail: CloudTrail) -> Verdict:
    """CloudTrail log file validation is enabled.

    Why: digest files let investigators prove that audit logs were not modified or
    deleted after delivery; ENG-POL-003 requires tamper detection for logs.
    """
    if not trail.log_file_validation:
        return failed("log file validation is disabled", at="log_file_validation")
    return passed()


@rule(
    code="LOG003",
    controls=("3.7.1.b.4", "3.3.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="Encrypt trail logs with a customer-managed KMS key: set `kms_key_id`.",
    snippets={
        "terraform": "kms_key_id = aws_kms_key.audit.arn",
        "cloudformation": "KMSKeyId: !Ref AuditKey",
    },
)
def trail_encrypted_with_kms(trail: CloudTrail) -> Verdict:
    """CloudTrail logs are encrypted with a KMS key.

    Why: audit logs reveal the whole estate's structure and activity; encrypting them
    with a key whose use is itself logged restricts who can read them.
    """
    if not trail.kms_key:
        return failed("the trail's logs are not encrypted with a KMS key", at="kms_key")
    return passed()


@rule(
    code="LOG004",
    controls=("3.7.1.b.2", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `retention_in_days` to at least the organisation's minimum (default 365;
        `[settings] log_retention_days` in .tutela.toml), or leave it unset to never expire.
    """,
    snippets={"terraform": "retention_in_days = 365", "cloudformation": "RetentionInDays: 365"},
)
def log_group_retention_meets_minimum(group: LogGroup, settings: Settings) -> Verdict:
    """Log groups keep logs at least as long as the retention policy requires.

    Why: HIPAA and forensic investigations need logs that reach back far enough; a
    short retention silently destroys evidence.
    """
    days = group.retention_days
    if days is None or days == 0:
        return passed("logs never expire")
    if days < settings.log_retention_days:
        return failed(
            f"retention is {days} days, below the minimum of {settings.log_retention_days}",
            at="retention_days",
        )
    return passed(f"retention {days} days")


@rule(
    code="LOG005",
    controls=("3.7.1.b.1", "3.2.2.b.3"),
    severity=Severity.LOW,
    remediation="""
        Enable server access logging to a dedicated log bucket
        (`aws_s3_bucket_logging`), or CloudTrail S3 data events.
    """,
    snippets={
        "terraform": """
            resource "aws_s3_bucket_logging" "records" {
              bucket        = aws_s3_bucket.records.id
              target_bucket = aws_s3_bucket.access_logs.id
              target_prefix = "records/"
            }
        """,
        "cloudformation": """
            LoggingConfiguration:
              DestinationBucketName: !Ref AccessLogBucket
              LogFilePrefix: records/
        """,
    },
)
def bucket_access_logging_enabled(bucket: S3Bucket, inventory: Inventory) -> Verdict:
    """S3 buckets log access requests.

    Why: without access logs nobody can say who read which object, which HIPAA audit
    controls and breach investigations require. Buckets that receive other buckets'
    access logs are exempt (logging a log bucket into itself loops).
    """
    if bucket.access_logging:
        return passed()
    if _is_log_target(bucket, inventory):
        return not_applicable("this bucket receives access logs")
    return failed("server access logging is not enabled", at="access_logging")


def _is_log_target(bucket: S3Bucket, inventory: Inventory) -> bool:
    targets = inventory.memo("s3-access-log-targets", lambda: _log_targets(inventory))
    return bucket.address in targets or str(bucket.bucket_name) in targets


def _log_targets(inventory: Inventory) -> frozenset[str]:
    """Addresses and names of the buckets that receive other buckets' access logs."""
    out: set[str] = set()
    for other in inventory.of(S3Bucket):
        target = other.log_target
        if isinstance(target, Reference):
            out.add(target.target)
        elif isinstance(target, str):
            out.add(target)
    return frozenset(out)


REQUIRED_EKS_LOGS = ("api", "audit", "authenticator")


@rule(
    code="LOG006",
    controls=("3.2.2.b.3", "3.7.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="Enable the api, audit and authenticator control-plane log types.",
    snippets={"terraform": 'enabled_cluster_log_types = ["api", "audit", "authenticator"]'},
)
def eks_control_plane_logging_enabled(cluster: EksCluster) -> Verdict:
    """EKS clusters send API, audit and authenticator logs to CloudWatch.

    Why: the Kubernetes audit log is the only record of who did what in the cluster.
    """
    missing = [t for t in REQUIRED_EKS_LOGS if t not in cluster.log_types]
    if missing:
        return failed(f"control-plane log types missing: {', '.join(missing)}", at="log_types")
    return passed()
