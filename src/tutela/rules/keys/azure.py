"""3.3.2 Key management on Azure: Key Vault protection, key lifetimes, customer-managed keys."""

from __future__ import annotations

from tutela.model.azure import KeyVault, KeyVaultKey, ManagedDisk, SqlServer, StorageAccount
from tutela.model.base import Resource
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


def _ephi_scope(resource: Resource, settings: Settings) -> Verdict | None:
    """A verdict when the resource is out of scope (or its tags unknown), else None."""
    if is_unknown(resource.tags):
        return unknown("tags are not known before apply", at="tags")
    if not settings.is_ephi(resource.tags):
        return not_applicable("not tagged as holding ePHI")
    return None


@rule(
    code="KEY101",
    controls=("3.3.2.a.1", "3.6.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `purge_protection_enabled = true` (it cannot be turned off again) and keep
        `soft_delete_retention_days` at 7-90 days (default 90).
    """,
    snippets={
        "terraform": """
            purge_protection_enabled   = true
            soft_delete_retention_days = 90
        """,
    },
)
def key_vault_purge_protection(vault: KeyVault) -> Verdict:
    """Key Vaults are protected against purge, with soft delete on.

    Why: without purge protection a deleted vault, and every key in it, can be purged
    at once; data encrypted with those keys (ePHI, backups) becomes unrecoverable, a
    favourite move of ransomware operators.
    """
    if vault.soft_delete is False:
        return failed("soft delete is disabled", at="soft_delete")
    if not vault.purge_protection:
        return failed("purge protection is off", at="purge_protection")
    days = vault.soft_delete_retention_days
    if isinstance(days, int) and days < 7:
        return failed(f"soft-deleted items are kept {days} days only",
                      at="soft_delete_retention_days")
    return passed()


@rule(
    code="KEY102",
    controls=("3.3.2.a.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Give keys a lifetime: a `rotation_policy` with `expire_after` (preferred, it moves
        with each rotation) or an `expiration_date`.
    """,
    snippets={
        "terraform": """
            rotation_policy {
              expire_after         = "P1Y"
              notify_before_expiry = "P30D"
              automatic {
                time_before_expiry = "P30D"
              }
            }
        """,
    },
)
def key_vault_key_expires(key: KeyVaultKey) -> Verdict:
    """Key Vault keys have an expiration.

    Why: keys without an end of life encrypt ever more data under one version and are
    never forced through the rotation schedule the policy requires.
    """
    if key.rotation_expire_after or key.expiration_date:
        return passed()
    return failed("the key never expires", at="expiration_date")


@rule(
    code="KEY103",
    controls=("3.3.2.a.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Add a `rotation_policy` with an `automatic` block (`time_before_expiry` or
        `time_after_creation`), so Key Vault creates new key versions itself.
    """,
    snippets={
        "terraform": """
            rotation_policy {
              expire_after = "P1Y"
              automatic {
                time_before_expiry = "P30D"
              }
            }
        """,
    },
)
def key_vault_key_rotates_automatically(key: KeyVaultKey) -> Verdict:
    """Key Vault keys rotate automatically.

    Why: ENG-POL-003 requires enforced, automated rotation; manual rotation is the step
    that gets skipped.
    """
    if not key.rotation_automatic:
        return failed("no automatic rotation policy", at="rotation_automatic")
    return passed()


@rule(
    code="KEY104",
    controls=("3.3.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Encrypt ePHI storage accounts with a customer-managed Key Vault key:
        `customer_managed_key { key_vault_key_id, user_assigned_identity_id }` or an
        `azurerm_storage_account_customer_managed_key`.
    """,
    snippets={
        "terraform": """
            resource "azurerm_storage_account_customer_managed_key" "records" {
              storage_account_id = azurerm_storage_account.records.id
              key_vault_id       = azurerm_key_vault.data.id
              key_name           = azurerm_key_vault_key.records.name
            }
        """,
    },
)
def ephi_storage_uses_customer_managed_key(account: StorageAccount,
                                           settings: Settings) -> Verdict:
    """Storage accounts tagged as holding ePHI use a customer-managed key.

    Why: ENG-POL-003 requires customer-managed keys for ePHI, so the organisation
    controls, audits and can revoke the key; Microsoft-managed keys offer none of that.
    """
    scope = _ephi_scope(account, settings)
    if scope is not None:
        return scope
    if not account.customer_managed_key:
        return failed("encrypted with a Microsoft-managed key", at="customer_managed_key")
    return passed()


@rule(
    code="KEY105",
    controls=("3.3.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Use a customer-managed TDE protector: `transparent_data_encryption_key_vault_key_id`
        on the server, or an `azurerm_mssql_server_transparent_data_encryption` with
        `key_vault_key_id`.
    """,
    snippets={
        "terraform": """
            resource "azurerm_mssql_server_transparent_data_encryption" "claims" {
              server_id        = azurerm_mssql_server.claims.id
              key_vault_key_id = azurerm_key_vault_key.tde.id
            }
        """,
    },
)
def ephi_sql_server_uses_customer_managed_tde(server: SqlServer, settings: Settings) -> Verdict:
    """Azure SQL servers tagged as holding ePHI protect TDE with a customer-managed key.

    Why: with a service-managed protector the organisation cannot revoke access to the
    databases' encryption keys or audit their use.
    """
    scope = _ephi_scope(server, settings)
    if scope is not None:
        return scope
    if not server.tde_key:
        return failed("TDE uses the service-managed key", at="tde_key")
    return passed()


@rule(
    code="KEY106",
    controls=("3.3.2.a.2", "3.3.1.a.1"),
    severity=Severity.MEDIUM,
    remediation="Encrypt ePHI disks with a disk encryption set: `disk_encryption_set_id`.",
    snippets={"terraform": "disk_encryption_set_id = azurerm_disk_encryption_set.ephi.id"},
)
def ephi_disk_uses_customer_managed_key(disk: ManagedDisk, settings: Settings) -> Verdict:
    """Managed disks tagged as holding ePHI are encrypted with a customer-managed key.

    Why: platform-managed keys cannot be revoked or audited by the organisation; a disk
    encryption set puts the key in the organisation's Key Vault.
    """
    scope = _ephi_scope(disk, settings)
    if scope is not None:
        return scope
    if not disk.disk_encryption_set:
        return failed("encrypted with a platform-managed key", at="disk_encryption_set")
    return passed()
