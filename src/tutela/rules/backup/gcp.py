"""3.6 on Google Cloud: Cloud SQL backups, point-in-time recovery, availability; bucket
versioning."""

from __future__ import annotations

from tutela.model.gcp import SqlDatabaseInstance, StorageBucket
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


def _replica(db: SqlDatabaseInstance) -> Verdict | None:
    if db.is_replica is True:
        return not_applicable("a read replica: backups and failover belong to the primary")
    return None


@rule(
    code="BAK201",
    controls=("3.6.1.a.1", "3.6.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Enable automated backups and keep at least the organisation's minimum
        (`[settings] backup_retention_days`, default 7):
        `backup_configuration { enabled = true, backup_retention_settings {
        retained_backups = 14 } }`.
    """,
    snippets={
        "terraform": """
            backup_configuration {
              enabled                        = true
              point_in_time_recovery_enabled = true
              backup_retention_settings {
                retained_backups = 14
              }
            }
        """,
    },
)
def cloud_sql_backups_retained(db: SqlDatabaseInstance, settings: Settings) -> Verdict:
    """Cloud SQL instances take automated backups and keep them long enough.

    Why: without automated backups a dropped table or ransomware leaves nothing to
    restore; retention shorter than policy loses the history needed to recover from
    silent corruption. Backups are daily, so retained backups count days.
    """
    skip = _replica(db)
    if skip is not None:
        return skip
    enabled = db.backups_enabled
    if is_unknown(enabled):
        return unknown(f"backup_configuration.enabled not known: {enabled.reason}",
                       at="backups_enabled")
    if not enabled:
        return failed("automated backups are disabled", at="backups_enabled")
    unit, count = db.retention_unit, db.retained_backups
    if is_unknown(unit):
        return unknown(f"retention unit not known: {unit.reason}", at="retained_backups")
    if is_unknown(count):
        return unknown(f"retained backups not known: {count.reason}", at="retained_backups")
    if unit == "COUNT" and count is not None and count < settings.backup_retention_days:
        return failed(f"only {count} daily backups are kept; the minimum is "
                      f"{settings.backup_retention_days}", at="retained_backups")
    return passed(f"{count} backups kept")


@rule(
    code="BAK202",
    controls=("3.6.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Enable point-in-time recovery: `point_in_time_recovery_enabled = true`
        (PostgreSQL, SQL Server) or `binary_log_enabled = true` (MySQL).
    """,
    snippets={
        "terraform": """
            backup_configuration {
              enabled                        = true
              point_in_time_recovery_enabled = true
            }
        """,
    },
)
def cloud_sql_point_in_time_recovery(db: SqlDatabaseInstance) -> Verdict:
    """Cloud SQL instances can be restored to any point in time.

    Why: daily backups lose up to a day of clinical records; point-in-time recovery
    replays the transaction log to the second before the incident.
    """
    skip = _replica(db)
    if skip is not None:
        return skip
    engine = db.engine
    if is_unknown(engine):
        return unknown(f"database version not known: {engine.reason}")
    if engine == "mysql":
        flag, field, label = db.binary_log, "binary_log", "binary logging"
    else:
        flag, field = db.point_in_time_recovery, "point_in_time_recovery"
        label = "point-in-time recovery"
    if is_unknown(flag):
        return unknown(f"{label} not known: {flag.reason}", at=field)
    if db.backups_enabled is False:
        return failed(f"automated backups (which {label} requires) are disabled",
                      at="backups_enabled")
    if not flag:
        return failed(f"{label} is disabled", at=field)
    return passed(f"{label} enabled")


@rule(
    code="BAK203",
    controls=("3.6.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Enable object versioning (`versioning { enabled = true }`) with a lifecycle rule for
        old versions, or protect the objects with a retention policy.
    """,
    snippets={
        "terraform": """
            versioning {
              enabled = true
            }
        """,
    },
)
def gcs_bucket_versioning(bucket: StorageBucket) -> Verdict:
    """Cloud Storage buckets keep object versions (or hold objects under retention).

    Why: without versioning an overwrite or delete, accidental or malicious, is final.
    A retention policy also prevents deletion and overwrite (and cannot be combined with
    versioning), so it counts.
    """
    versioning = bucket.versioning
    if versioning is True:
        return passed("versioning enabled")
    if bucket.retention_period_seconds is not None and not is_unknown(
            bucket.retention_period_seconds):
        return passed("a retention policy protects objects")
    if is_unknown(versioning):
        return unknown(f"versioning not known: {versioning.reason}", at="versioning")
    return failed("object versioning is not enabled", at="versioning")


@rule(
    code="DR201",
    controls=("3.6.2.a.2", "3.6.2.a.1"),
    severity=Severity.MEDIUM,
    remediation='Set `availability_type = "REGIONAL"` for production Cloud SQL instances.',
    snippets={"terraform": 'availability_type = "REGIONAL"'},
)
def cloud_sql_high_availability(db: SqlDatabaseInstance) -> Verdict:
    """Cloud SQL instances fail over automatically to another zone.

    Why: a ZONAL instance (the default) is down for the whole outage of its zone;
    REGIONAL keeps a synchronous standby and fails over automatically.
    """
    skip = _replica(db)
    if skip is not None:
        return skip
    kind = db.availability_type
    if is_unknown(kind):
        return unknown(f"availability_type not known: {kind.reason}", at="availability_type")
    if kind != "REGIONAL":
        return failed(f"availability type is {kind}: no automatic failover",
                      at="availability_type")
    return passed("REGIONAL")


@rule(
    code="DR202",
    controls=("3.6.2.a.2", "3.6.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep `deletion_protection = true` (Terraform's guard, the default) or set
        `settings.deletion_protection_enabled = true` (Cloud SQL's own guard).
    """,
    snippets={
        "terraform": """
            deletion_protection = true
            settings {
              deletion_protection_enabled = true
            }
        """,
    },
)
def cloud_sql_deletion_protection(db: SqlDatabaseInstance) -> Verdict:
    """Cloud SQL instances are protected against deletion.

    Why: one mistaken `terraform destroy` or a compromised credential should not be
    able to delete a production database and its automated backups in one call.
    """
    if db.deletion_protection is True or db.deletion_protection_api is True:
        return passed("deletion protection on")
    for field, flag in (("deletion_protection", db.deletion_protection),
                        ("deletion_protection_api", db.deletion_protection_api)):
        if is_unknown(flag):
            return unknown(f"{field} not known: {flag.reason}", at=field)
    return failed("deletion protection is off", at="deletion_protection")
