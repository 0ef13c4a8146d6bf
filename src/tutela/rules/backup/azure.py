"""3.6 Backup and disaster recovery on Azure."""

from __future__ import annotations

from tutela.model.azure import (
    BackupPolicy,
    DatabaseServer,
    RecoveryServicesVault,
    SqlDatabase,
    StorageAccount,
)
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


@rule(
    code="BAK101",
    controls=("3.6.1.b.1", "3.6.1.a.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep backups at least as long as the organisation's minimum
        (`[settings] backup_retention_days`, default 7): `retention_daily { count = 30 }`,
        with weekly/monthly/yearly retention for longer history.
    """,
    snippets={
        "terraform": """
            retention_daily {
              count = 30
            }
            retention_monthly {
              count    = 12
              weekdays = ["Sunday"]
              weeks    = ["First"]
            }
        """,
    },
)
def backup_policy_retention(policy: BackupPolicy, settings: Settings) -> Verdict:
    """Backup policies keep recovery points for the required retention.

    Why: a short retention loses the history needed to recover from silent corruption
    or ransomware discovered weeks later. The longest of the daily, weekly, monthly and
    yearly retentions counts.
    """
    days = policy.retention_days
    if days is None:
        return failed("the policy declares no retention", at="retention_days")
    if days < settings.backup_retention_days:
        return failed(f"recovery points are kept {days} days, below the minimum of "
                      f"{settings.backup_retention_days}", at="retention_days")
    return passed(f"recovery points kept up to {days} days")


@rule(
    code="BAK102",
    controls=("3.6.1.a.2", "3.6.2.a.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep `storage_mode_type = "GeoRedundant"` (the default), ideally with
        `cross_region_restore_enabled = true`.
    """,
    snippets={
        "terraform": """
            storage_mode_type            = "GeoRedundant"
            cross_region_restore_enabled = true
        """,
    },
)
def recovery_vault_geo_redundant(vault: RecoveryServicesVault) -> Verdict:
    """Recovery Services vaults replicate backups to the paired region.

    Why: locally or zone-redundant vaults lose every backup with their region; the
    policy requires geographic distribution of backups.
    """
    mode = vault.storage_mode
    if is_unknown(mode):
        return unknown(f"storage mode not known: {mode.reason}", at="storage_mode")
    if str(mode).lower() != "georedundant":
        return failed(f"backups are stored {mode}, in one region", at="storage_mode")
    return passed()


@rule(
    code="BAK103",
    controls=("3.6.1.a.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Keep `soft_delete_enabled = true` (the default) and consider
        `immutability = "Locked"`.
    """,
    snippets={"terraform": "soft_delete_enabled = true"},
)
def recovery_vault_soft_delete(vault: RecoveryServicesVault) -> Verdict:
    """Recovery Services vaults keep deleted backups recoverable (soft delete).

    Why: with soft delete off, anyone able to delete backup items destroys the recovery
    points immediately, the first step of most ransomware playbooks.
    """
    if not vault.soft_delete:
        return failed("soft delete is disabled", at="soft_delete")
    return passed()


def _is_replica(server: DatabaseServer) -> bool:
    mode = server.create_mode
    return isinstance(mode, str) and mode.lower() == "replica"


@rule(
    code="BAK104",
    controls=("3.6.1.a.2",),
    severity=Severity.MEDIUM,
    remediation="""
        Create the server with `geo_redundant_backup_enabled = true` (it can only be set
        at creation).
    """,
    snippets={"terraform": "geo_redundant_backup_enabled = true"},
)
def database_server_geo_redundant_backup(server: DatabaseServer) -> Verdict:
    """PostgreSQL and MySQL servers keep geo-redundant backups.

    Why: locally redundant backups are lost with their region; geo-redundant ones allow
    a geo-restore into the paired region. Read replicas are not applicable.
    """
    if _is_replica(server):
        return not_applicable("a read replica: backups are its source server's")
    if not server.geo_redundant_backup:
        return failed("backups are not geo-redundant", at="geo_redundant_backup")
    return passed()


@rule(
    code="BAK105",
    controls=("3.6.1.b.1", "3.6.1.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `backup_retention_days` to at least the organisation's minimum
        (`[settings] backup_retention_days`, default 7; the service allows 7-35).
    """,
    snippets={"terraform": "backup_retention_days = 35"},
)
def database_server_backup_retention(server: DatabaseServer, settings: Settings) -> Verdict:
    """PostgreSQL and MySQL servers keep point-in-time backups long enough.

    Why: the retention bounds how far back point-in-time restore can go. Read replicas
    are not applicable.
    """
    if _is_replica(server):
        return not_applicable("a read replica: backups are its source server's")
    days = server.backup_retention_days
    if days is None:
        days = 7
    if days < settings.backup_retention_days:
        return failed(f"backups are kept {days} days, below the minimum of "
                      f"{settings.backup_retention_days}", at="backup_retention_days")
    return passed(f"backups kept {days} days")


@rule(
    code="BAK106",
    controls=("3.6.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Enable blob soft delete (`blob_properties { delete_retention_policy { days = 14 } }`),
        and versioning for data that must be recoverable to a point in time.
    """,
    snippets={
        "terraform": """
            blob_properties {
              versioning_enabled = true
              delete_retention_policy {
                days = 14
              }
            }
        """,
    },
)
def storage_blob_soft_delete(account: StorageAccount) -> Verdict:
    """Storage accounts keep deleted blobs recoverable (soft delete).

    Why: without soft delete an accidental or malicious delete or overwrite of a blob is
    permanent.
    """
    if account.has_blob_service is False:
        return not_applicable(f"{account.account_kind} accounts have no blob service")
    days = account.blob_soft_delete_days
    if is_unknown(days):
        return unknown(f"blob properties not known: {days.reason}", at="blob_soft_delete_days")
    if days is None:
        return failed("blob soft delete is not enabled", at="blob_soft_delete_days")
    return passed(f"deleted blobs kept {days} days")


@rule(
    code="DR101",
    controls=("3.6.1.a.2", "3.6.2.a.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep `storage_account_type = "Geo"` (the default) or `GeoZone` for database
        backups.
    """,
    snippets={"terraform": 'storage_account_type = "GeoZone"'},
)
def sql_database_geo_redundant_backups(db: SqlDatabase) -> Verdict:
    """Azure SQL database backups are geo-redundant.

    Why: `Local` or `Zone` backup storage cannot be geo-restored into another region
    after a regional disaster.
    """
    redundancy = db.backup_redundancy
    if is_unknown(redundancy):
        return unknown(f"backup redundancy not known: {redundancy.reason}",
                       at="backup_redundancy")
    if str(redundancy).lower() not in ("geo", "geozone"):
        return failed(f"backups are stored {redundancy}-redundant, in one region",
                      at="backup_redundancy")
    return passed()
