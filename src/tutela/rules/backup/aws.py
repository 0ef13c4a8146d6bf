"""3.6 Backup and disaster recovery."""

from __future__ import annotations

from tutela.model.aws import DatabaseInstance, S3Bucket
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule
from tutela.rules.settings import Settings


@rule(
    code="BAK001",
    controls=("3.6.1.a.1", "3.6.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Set `backup_retention_period` to at least the organisation's minimum
        (`[settings] backup_retention_days`, default 7 days).
    """,
    snippets={
        "terraform": "backup_retention_period = 14",
        "cloudformation": "BackupRetentionPeriod: 14",
    },
)
def database_backups_retained(db: DatabaseInstance, settings: Settings) -> Verdict:
    """Databases keep automated backups for the required retention.

    Why: a retention of 0 disables automated backups and point-in-time recovery; a
    short one loses the history needed to recover from silent corruption or ransomware.
    """
    if db.member_of_cluster:
        return not_applicable("backups are configured on the cluster")
    days = db.backup_retention_days
    if days is None:
        days = 1  # the AWS default when the setting is omitted
    if days < settings.backup_retention_days:
        what = "automated backups are disabled" if days == 0 else f"backups are kept {days} days"
        return failed(
            f"{what}; the minimum is {settings.backup_retention_days}", at="backup_retention_days"
        )
    return passed(f"backups kept {days} days")


@rule(
    code="BAK002",
    controls=("3.6.1.b.3",),
    severity=Severity.MEDIUM,
    remediation='Enable versioning (`aws_s3_bucket_versioning` with `status = "Enabled"`).',
    snippets={
        "terraform": """
            resource "aws_s3_bucket_versioning" "records" {
              bucket = aws_s3_bucket.records.id
              versioning_configuration {
                status = "Enabled"
              }
            }
        """,
        "cloudformation": """
            VersioningConfiguration:
              Status: Enabled
        """,
    },
)
def bucket_versioning_enabled(bucket: S3Bucket) -> Verdict:
    """S3 buckets keep object versions.

    Why: versioning is S3's point-in-time recovery: without it an overwrite or delete,
    accidental or malicious, is permanent.
    """
    if not bucket.versioning:
        return failed("versioning is not enabled", at="versioning")
    return passed()


@rule(
    code="DR001",
    controls=("3.6.2.a.2", "3.6.2.a.1"),
    severity=Severity.MEDIUM,
    remediation="Set `multi_az = true` for production databases.",
    snippets={"terraform": "multi_az = true", "cloudformation": "MultiAZ: true"},
)
def database_is_multi_az(db: DatabaseInstance) -> Verdict:
    """Database instances fail over automatically to another availability zone.

    Why: a single-AZ instance is down for the whole outage of its zone; Multi-AZ gives
    the automated failover ENG-POL-003 requires for critical systems. Cluster members
    are not applicable: clusters fail over between their instances.
    """
    if db.is_cluster or db.member_of_cluster:
        return not_applicable("cluster availability comes from its instances")
    if not db.multi_az:
        return failed("the instance runs in a single availability zone", at="multi_az")
    return passed()


@rule(
    code="DR002",
    controls=("3.6.2.a.2", "3.6.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="Set `deletion_protection = true` on databases and clusters.",
    snippets={
        "terraform": "deletion_protection = true",
        "cloudformation": "DeletionProtection: true",
    },
)
def database_deletion_protection(db: DatabaseInstance) -> Verdict:
    """Databases are protected against deletion.

    Why: one mistaken `terraform destroy` or a compromised credential should not be
    able to delete a production database and its automated backups in one call.
    """
    if db.member_of_cluster:
        return not_applicable("deletion protection is set on the cluster")
    if not db.deletion_protection:
        return failed("deletion protection is off", at="deletion_protection")
    return passed()
