"""Normalized Azure resources, filled from Terraform (`azurerm_*`, HCL and plan JSON).

Field conventions (as in `tutela.model.aws`):
- `bool | Unknown` and text fields hold the effective setting, provider defaults
  applied by the adapter (an `azurerm_storage_account` without
  `https_traffic_only_enabled` is `True`). Where the azurerm provider's v3 and v4
  defaults differ and the configuration does not say which applies, the field is
  `Unknown`.
- `... | None` means "not set"; `Unknown` means "set, but to a value not known
  before apply"; a `Reference` names another resource (a Key Vault key, a Log
  Analytics workspace) whose identity is known even though its id is computed at
  apply time.
- Settings declared on separate resources (`azurerm_network_security_rule`,
  `azurerm_storage_account_network_rules`, `azurerm_mssql_server_extended_auditing_policy`,
  `azurerm_monitor_diagnostic_setting`...) are folded into their targets.
- `region` holds the normalized location (`"East US"` -> `eastus`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tutela.model.base import Resource
from tutela.model.values import Reference, Unknown, UnknownValueError

Flag = bool | Unknown
Text = str | Unknown | None
KeyRef = str | Reference | Unknown | None
Number = int | Unknown | None
Strings = tuple[str, ...] | Unknown


def _raise(value: Unknown) -> None:
    raise UnknownValueError(value)


_TLS = re.compile(r"(\d)[._]?(\d)")


def tls_version(text: str) -> str | None:
    """`1.2`, `TLS1_2`, `TLSv1.2`, `Tls12` -> `TLS1_2`; a list (`TLSv1.2,TLSv1.3`) -> its lowest.

    Values that name no version (`Disabled`, `TLSEnforcementDisabled`) mean no minimum: None.
    """
    found = sorted(_TLS.findall(text))
    if not found:
        return None
    major, minor = found[0]
    return f"TLS{major}_{minor}"


def tls_at_least(version: str | Unknown | None, minimum: str) -> bool:
    """True when the minimum TLS `version` is at least `minimum` (`1.2`); no minimum is False.

    Raises UnknownValueError for an Unknown version (the engine reports "not evaluated").
    """
    if isinstance(version, Unknown):
        _raise(version)
    if version is None:
        return False
    have, want = tls_version(str(version)), tls_version(minimum)
    return have is not None and want is not None and have >= want


@dataclass(frozen=True, slots=True, kw_only=True)
class AzureResource(Resource):
    """Base of every Azure resource.

    `plaintext_credentials` names the credential attributes (admin passwords, secret
    values) written as literal text in the code; None when the type has none or the
    source cannot tell (plan JSON holds final values, wherever they came from).
    `replica_regions` are the other locations the resource copies its data to (Cosmos
    DB `geo_location`s, container registry geo-replications).
    """

    kind = "azure_resource"
    provider = "azure"

    plaintext_credentials: tuple[str, ...] | None = None
    replica_regions: tuple[str, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AzureOtherResource(AzureResource):
    """Any other `azurerm_*` resource with a location (networks, resource groups...)."""

    kind = "azure_other"


# --- storage -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StorageAccount(AzureResource):
    """A storage account with its separately declared network rules and key folded in."""

    kind = "storage_account"

    account_kind: Text = "StorageV2"
    https_only: Flag = True
    min_tls_version: Text = "TLS1_2"
    public_nested_items: Flag = True  # allow_nested_items_to_be_public
    public_network_access: Flag = True
    network_default_action: Text = "Allow"  # no network rules: every network is allowed
    infrastructure_encryption: Flag = False
    customer_managed_key: KeyRef = None
    blob_soft_delete_days: Number = None  # None: blob soft delete off
    blob_versioning: Flag = False

    @property
    def has_blob_service(self) -> bool | Unknown:
        kind = self.account_kind
        if isinstance(kind, Unknown):
            return kind
        return kind in (None, "StorageV2", "BlobStorage", "BlockBlobStorage", "Storage")


@dataclass(frozen=True, slots=True, kw_only=True)
class ManagedDisk(AzureResource):
    """A managed disk: always encrypted by the platform; `disk_encryption_set` is a CMK."""

    kind = "managed_disk"

    disk_encryption_set: KeyRef = None
    ade_enabled: Flag = False  # encryption_settings (Azure Disk Encryption)


# --- network -----------------------------------------------------------------------------

INTERNET_SOURCES = frozenset({"*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0"})


@dataclass(frozen=True, slots=True)
class NsgRule:
    """One security rule of a network security group (inline or `azurerm_network_security_rule`).

    `source_prefixes` gathers `source_address_prefix(es)`; `destination_ports`
    gathers `destination_port_range(s)` (`*`, `22`, `1000-2000`). Application
    security groups as source make `source_prefixes` empty (not the internet).
    """

    name: str | Unknown | None
    direction: str | Unknown
    access: str | Unknown
    protocol: str | Unknown
    priority: int | Unknown | None
    source_prefixes: Strings = ()
    destination_ports: Strings = ()
    path: str = ""

    def _known(self, value: str | Unknown) -> str:
        if isinstance(value, Unknown):
            _raise(value)
        return str(value).lower()

    @property
    def is_inbound_allow(self) -> bool:
        return self._known(self.direction) == "inbound" and self._known(self.access) == "allow"

    @property
    def is_inbound_deny(self) -> bool:
        return self._known(self.direction) == "inbound" and self._known(self.access) == "deny"

    @property
    def from_internet(self) -> bool:
        """The source is any address (`*`, `Internet`, `Any`, `0.0.0.0/0`, `::/0`)."""
        prefixes = self.source_prefixes
        if isinstance(prefixes, Unknown):
            _raise(prefixes)
        return any(p.strip().lower() in INTERNET_SOURCES for p in prefixes)

    def covers_port(self, port: int) -> bool:
        """TCP (or any protocol) to `port` is matched by the destination ports."""
        proto = self._known(self.protocol)
        if proto not in ("tcp", "*", "any"):
            return False
        ports = self.destination_ports
        if isinstance(ports, Unknown):
            _raise(ports)
        for text in ports:
            spec = text.strip()
            if spec in ("*", "0-65535"):
                return True
            low, sep, high = spec.partition("-")
            try:
                lo = int(low)
                hi = int(high) if sep else lo
            except ValueError:
                continue
            if lo <= port <= hi:
                return True
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkSecurityGroup(AzureResource):
    """A network security group with inline and separately declared rules folded in."""

    kind = "network_security_group"

    rules: tuple[NsgRule, ...] | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowLog(AzureResource):
    """A Network Watcher flow log (NSG or virtual network)."""

    kind = "network_watcher_flow_log"

    enabled: Flag = True
    retention_enabled: Flag = False
    retention_days: Number = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationGateway(AzureResource):
    """An Application Gateway: WAF and TLS policy."""

    kind = "application_gateway"

    sku_tier: Text = None
    waf_enabled: Flag = False
    waf_mode: Text = None  # Detection | Prevention
    firewall_policy: KeyRef = None
    ssl_policy_name: Text = None  # predefined policy, or None
    ssl_min_protocol: Text = None  # custom policy's minimum (TLSv1_2...)
    ssl_policy_declared: Flag = False
    has_https_listener: Flag = False


# --- databases ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SqlServer(AzureResource):
    """An Azure SQL logical server (`azurerm_mssql_server`, legacy `azurerm_sql_server`)."""

    kind = "sql_server"

    min_tls_version: Text = "1.2"
    public_network_access: Flag = True
    entra_admin: Flag = False
    entra_only: Flag = False
    auditing: Flag = False
    audit_retention_days: Number = 0  # 0: kept forever
    tde_key: KeyRef = None  # customer-managed TDE protector


@dataclass(frozen=True, slots=True, kw_only=True)
class SqlDatabase(AzureResource):
    kind = "sql_database"

    tde_enabled: Flag = True
    backup_redundancy: Text = "Geo"  # storage_account_type: Geo, GeoZone, Local, Zone
    server: KeyRef = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseServer(AzureResource):
    """A PostgreSQL or MySQL server, flexible (`is_flexible`) or single, with its
    server configurations (`require_secure_transport`, TLS versions) folded in."""

    kind = "database_server"

    engine: str = "postgresql"  # postgresql | mysql | mariadb
    is_flexible: bool = True
    public_network_access: Flag = True
    tls_required: Flag = True
    min_tls_version: Text = "TLS1_2"  # normalized TLS1_0 / TLS1_1 / TLS1_2 / TLS1_3 / None
    geo_redundant_backup: Flag = False
    backup_retention_days: Number = 7
    create_mode: Text = None  # Replica servers take backup settings from their source


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseFirewallRule(AzureResource):
    """A server-level firewall rule of Azure SQL, PostgreSQL, MySQL or MariaDB."""

    kind = "database_firewall_rule"

    start_ip: Text = None
    end_ip: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CosmosDbAccount(AzureResource):
    kind = "cosmosdb_account"

    public_network_access: Flag = True
    ip_range_filter: Strings = ()
    virtual_network_filter: Flag = False
    key_vault_key: KeyRef = None
    local_auth_disabled: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RedisCache(AzureResource):
    kind = "redis_cache"

    non_ssl_port: Flag = False
    min_tls_version: Text = "1.0"
    public_network_access: Flag = True


# --- keys and secrets --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyVault(AzureResource):
    """A Key Vault with the diagnostic settings that target it folded in (`audit_logs`)."""

    kind = "key_vault"

    purge_protection: Flag = False
    soft_delete: Flag = True
    soft_delete_retention_days: Number = 90
    rbac_authorization: Flag = False
    public_network_access: Flag = True
    network_default_action: Text = "Allow"  # no network_acls: every network is allowed
    audit_logs: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyVaultKey(AzureResource):
    kind = "key_vault_key"

    key_type: Text = None
    expiration_date: Text = None
    rotation_expire_after: Text = None
    rotation_automatic: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyVaultSecret(AzureResource):
    kind = "key_vault_secret"

    expiration_date: Text = None
    content_type: Text = None


# --- compute and containers --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VirtualMachine(AzureResource):
    """A virtual machine or scale set (`is_scale_set`), Linux or Windows."""

    kind = "virtual_machine"

    os_type: str | Unknown = "linux"  # linux | windows
    is_scale_set: bool = False
    password_auth_disabled: Flag = True  # Linux only
    encryption_at_host: Flag = False
    secure_boot: Flag = False
    vtpm: Flag = False
    os_disk_encryption_set: KeyRef = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KubernetesCluster(AzureResource):
    """An AKS cluster with the diagnostic settings that target it folded in (`audit_logs`)."""

    kind = "aks_cluster"

    rbac_enabled: Flag = True
    entra_integration: Flag = False
    local_accounts_disabled: Flag = False
    network_policy: Text = None
    private_cluster: Flag = False
    authorized_ip_ranges: Strings = ()
    azure_policy: Flag = False
    upgrade_channel: Text = None
    oms_agent: Flag = False
    audit_logs: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ContainerRegistry(AzureResource):
    kind = "container_registry"

    sku: Text = None
    admin_enabled: Flag = False
    public_network_access: Flag = True
    network_default_action: Text = "Allow"
    anonymous_pull: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AppService(AzureResource):
    """A web app or function app (`is_function`), including deployment slots."""

    kind = "app_service"

    is_function: bool = False
    https_only: Flag = False
    min_tls_version: Text = "1.2"
    ftps_state: Text = "Disabled"
    managed_identity: Flag = False
    app_settings: Mapping[str, object] | Unknown | None = None


# --- backup ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoveryServicesVault(AzureResource):
    kind = "recovery_services_vault"

    storage_mode: Text = "GeoRedundant"
    soft_delete: Flag = True
    cross_region_restore: Flag = False
    immutability: Text = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BackupPolicy(AzureResource):
    """A VM (or file share / VM workload) backup policy: the longest retention it keeps."""

    kind = "backup_policy"

    retention_days: Number = None


# --- identity ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleDefinition(AzureResource):
    kind = "role_definition"

    role_name: Text = None
    actions: Strings = ()
    assignable_scopes: Strings = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleAssignment(AzureResource):
    """A role assignment. `principal_kind` is User, Group or ServicePrincipal when known."""

    kind = "role_assignment"

    role_name: Text = None  # built-in role name, resolved from role_definition_id when possible
    scope: Text = None
    scope_level: Text = None  # root | management_group | subscription | resource_group | resource
    principal_kind: Text = None


# --- monitoring --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LogAnalyticsWorkspace(AzureResource):
    kind = "log_analytics_workspace"

    retention_days: Number = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class DefenderPlan(AzureResource):
    """A Microsoft Defender for Cloud plan (`azurerm_security_center_subscription_pricing`)."""

    kind = "defender_plan"

    tier: Text = None
    resource_type: Text = "VirtualMachines"


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityLogAlert(AzureResource):
    kind = "activity_log_alert"

    enabled: Flag = True
    has_action: Flag = False
    operation: Text = None
