"""Terraform Azure adapter: raw `azurerm_*` resources (HCL or plan shape) -> the Azure model."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tutela.model.azure import (
    ActivityLogAlert,
    ApplicationGateway,
    AppService,
    AzureOtherResource,
    BackupPolicy,
    ContainerRegistry,
    CosmosDbAccount,
    DatabaseFirewallRule,
    DatabaseServer,
    DefenderPlan,
    FlowLog,
    KeyVault,
    KeyVaultKey,
    KeyVaultSecret,
    KubernetesCluster,
    LogAnalyticsWorkspace,
    ManagedDisk,
    NetworkSecurityGroup,
    RecoveryServicesVault,
    RedisCache,
    RoleAssignment,
    RoleDefinition,
    SqlDatabase,
    SqlServer,
    StorageAccount,
    VirtualMachine,
    tls_at_least,
    tls_version,
)
from tutela.model.base import Resource
from tutela.model.values import Location, PartialString, Reference, Unknown, is_unknown
from tutela.sources.raw import RawResource
from tutela.sources.terraform import load_plan, load_terraform
from tutela.sources.terraform.azure import adapt_azure, normalize_location

R = TypeVar("R", bound=Resource)
_line = iter(range(1, 10**9, 100))
U = Unknown("var.x has no value")


def raw(type_: str, name: str = "x", attrs: Mapping[str, Any] | None = None, *,
        module: str = "", key: str | None = None, source: str = "terraform",
        mode: str = "managed") -> RawResource:
    """A raw resource as the loader makes it; each top-level attribute on its own line."""
    start = next(_line)
    attrs = dict(attrs or {})
    local = f"{type_}.{name}" + (f'["{key}"]' if key is not None else "")
    address = f"{module}.{local}" if module else local
    file = "main.tf" if not module else f"{module}.tf"
    locs = {k: Location(file, start + 1 + i, start + 1 + i) for i, k in enumerate(attrs)}
    return RawResource(address=address, type=type_, mode=mode, attributes=attrs,
                       location=Location(file, start, start + 50), source=source,
                       attribute_locations=locs, module=module, name=name)


def ref(target: str | RawResource, attribute: str | None = "id") -> Reference:
    return Reference(target.address if isinstance(target, RawResource) else target, attribute)


def only(resources: list[Resource], cls: type[R], address: str | None = None) -> R:
    found = [r for r in resources if isinstance(r, cls)
             and (address is None or r.address == address)]
    assert len(found) == 1, f"expected one {cls.__name__} {address or ''}, got {found}"
    return found[0]


def adapt1(cls: type[R], *raws: RawResource) -> R:
    return only(adapt_azure(raws), cls, raws[0].address)


# --------------------------------------------------------------------------- common


def test_common_fields_region_and_tags() -> None:
    sa = adapt1(StorageAccount, raw("azurerm_storage_account", "logs", {
        "name": "stlogs", "location": "East US 2", "tags": {"data_classification": "ephi"},
    }))
    assert sa.region == "eastus2"
    assert dict(sa.tags) == {"data_classification": "ephi"}
    assert sa.native_type == "azurerm_storage_account"
    assert sa.location_of("region") is not None


@pytest.mark.parametrize(("value", "want"), [
    ("West US 3", "westus3"), ("eastus", "eastus"), ("Global", "global"), (None, None),
])
def test_locations_are_normalized(value: str | None, want: str | None) -> None:
    assert normalize_location(value) == want


def test_unknown_and_referenced_locations_stay_unknown() -> None:
    assert is_unknown(normalize_location(U))
    assert is_unknown(normalize_location(Reference("azurerm_resource_group.rg", "location")))


def test_data_sources_other_providers_and_unlocated_types_yield_nothing() -> None:
    out = adapt_azure([
        raw("azurerm_storage_account", "existing", {"name": "x"}, mode="data"),
        raw("aws_s3_bucket", "b", {"bucket": "b"}),
        raw("azurerm_subnet", "s", {"name": "s", "address_prefixes": ["10.0.0.0/24"]}),
    ])
    assert out == []


def test_other_located_resources_are_kept_for_residency() -> None:
    rg = adapt1(AzureOtherResource, raw("azurerm_resource_group", "rg", {
        "name": "rg", "location": "westeurope"}))
    assert rg.region == "westeurope"


def test_tls_versions_are_normalized_and_compared() -> None:
    assert tls_version("TLS1_2") == tls_version("1.2") == tls_version("TLSv1.2") == "TLS1_2"
    assert tls_version("Tls12") == "TLS1_2"
    assert tls_version("TLSv1.1,TLSv1.2") == "TLS1_1"
    assert tls_version("Disabled") is None
    assert tls_at_least("1.3", "1.2") and not tls_at_least("TLS1_0", "1.2")
    assert not tls_at_least(None, "1.2")


# --------------------------------------------------------------------------- storage


def test_storage_account_defaults_v4() -> None:
    sa = adapt1(StorageAccount, raw("azurerm_storage_account", "a", {"name": "sta"}))
    assert sa.https_only is True
    assert sa.min_tls_version == "TLS1_2"
    assert sa.public_nested_items is True
    assert sa.public_network_access is True
    assert sa.network_default_action == "Allow"
    assert sa.infrastructure_encryption is False
    assert sa.customer_managed_key is None
    assert sa.blob_soft_delete_days is None


def test_storage_account_v3_and_v2_attribute_names() -> None:
    sa = adapt1(StorageAccount, raw("azurerm_storage_account", "a", {
        "name": "sta", "enable_https_traffic_only": False, "allow_blob_public_access": False,
    }))
    assert sa.https_only is False
    assert sa.public_nested_items is False
    assert "https_only" in sa.field_locations


def test_storage_account_inline_blocks() -> None:
    sa = adapt1(StorageAccount, raw("azurerm_storage_account", "a", {
        "name": "sta",
        "network_rules": [{"default_action": "Deny", "ip_rules": ["203.0.113.1"]}],
        "blob_properties": [{"versioning_enabled": True, "delete_retention_policy": [{}]}],
        "customer_managed_key": [{"key_vault_key_id": Reference("azurerm_key_vault_key.k",
                                                                "versionless_id")}],
    }))
    assert sa.network_default_action == "Deny"
    assert sa.blob_soft_delete_days == 7  # the block's default
    assert sa.blob_versioning is True
    assert isinstance(sa.customer_managed_key, Reference)


def test_storage_companions_join_by_reference_and_by_name() -> None:
    a = raw("azurerm_storage_account", "a", {"name": "sta"})
    b = raw("azurerm_storage_account", "b", {"name": "stb"})
    rules_a = raw("azurerm_storage_account_network_rules", "a", {
        "storage_account_id": ref(a), "default_action": "Deny"})
    rules_b = raw("azurerm_storage_account_network_rules", "b", {
        "storage_account_name": "stb", "resource_group_name": "rg", "default_action": "Deny"})
    cmk = raw("azurerm_storage_account_customer_managed_key", "a", {
        "storage_account_id": ref(a), "key_vault_id": ref("azurerm_key_vault.kv"),
        "key_name": ref("azurerm_key_vault_key.k", "name")})
    out = adapt_azure([a, b, rules_a, rules_b, cmk])
    sa, sb = only(out, StorageAccount, a.address), only(out, StorageAccount, b.address)
    assert sa.network_default_action == sb.network_default_action == "Deny"
    assert sa.customer_managed_key == Reference("azurerm_key_vault_key.k", "name")
    assert sa.location_of("network_default_action") == rules_a.attribute_locations[
        "default_action"]
    assert sb.customer_managed_key is None


def test_storage_companion_on_an_ambiguous_instance_makes_the_field_unknown() -> None:
    a = raw("azurerm_storage_account", "sa", {"name": "sta"}, key="a", module="module.m")
    b = raw("azurerm_storage_account", "sa", {"name": "stb"}, key="b", module="module.m")
    rules = raw("azurerm_storage_account_network_rules", "r", {
        "storage_account_id": ref("azurerm_storage_account.sa"), "default_action": "Deny"},
        module="module.m")
    out = adapt_azure([a, b, rules])
    assert all(is_unknown(s.network_default_action) for s in out
               if isinstance(s, StorageAccount))


def test_for_each_companions_join_their_own_instance() -> None:
    a = raw("azurerm_storage_account", "sa", {"name": "sta"}, key="a")
    b = raw("azurerm_storage_account", "sa", {"name": "stb"}, key="b")
    ra = raw("azurerm_storage_account_network_rules", "r", {
        "storage_account_id": ref(a), "default_action": "Deny"}, key="a")
    rb = raw("azurerm_storage_account_network_rules", "r", {
        "storage_account_id": ref(b), "default_action": "Allow"}, key="b")
    out = adapt_azure([a, b, ra, rb])
    assert only(out, StorageAccount, a.address).network_default_action == "Deny"
    assert only(out, StorageAccount, b.address).network_default_action == "Allow"


def test_managed_disk_encryption_set() -> None:
    disk = adapt1(ManagedDisk, raw("azurerm_managed_disk", "d", {
        "name": "d", "disk_encryption_set_id": ref("azurerm_disk_encryption_set.des")}))
    assert isinstance(disk.disk_encryption_set, Reference)
    assert disk.ade_enabled is False


# --------------------------------------------------------------------------- network


def _rule(**over: Any) -> dict[str, Any]:
    base = {"name": "r", "priority": 100, "direction": "Inbound", "access": "Allow",
            "protocol": "Tcp", "source_port_range": "*", "destination_port_range": "22",
            "source_address_prefix": "*", "destination_address_prefix": "*"}
    return {**base, **over}


def test_nsg_inline_rules_and_separate_rules_are_folded() -> None:
    nsg = raw("azurerm_network_security_group", "web", {
        "name": "nsg-web", "security_rule": [_rule(name="ssh")]})
    sep = raw("azurerm_network_security_rule", "rdp", {
        **_rule(name="rdp", destination_port_range=None,
                destination_port_ranges=["3389", "5000-5100"],
                source_address_prefix=None, source_address_prefixes=["Internet"]),
        "network_security_group_name": ref(nsg, "name"), "resource_group_name": "rg"})
    by_name = raw("azurerm_network_security_rule", "https", {
        **_rule(name="https", destination_port_range="443"),
        "network_security_group_name": "nsg-web", "resource_group_name": "rg"})
    out = adapt_azure([nsg, sep, by_name])
    group = only(out, NetworkSecurityGroup, nsg.address)
    assert not isinstance(group.rules, Unknown)
    assert [r.name for r in group.rules] == ["ssh", "rdp", "https"]
    rdp = group.rules[1]
    assert rdp.path == "rules[1]"
    assert rdp.source_prefixes == ("Internet",)
    assert rdp.destination_ports == ("3389", "5000-5100")
    assert rdp.covers_port(3389) and rdp.covers_port(5050) and not rdp.covers_port(22)
    assert group.location_of("rules[1]") == sep.location
    assert len([r for r in out if isinstance(r, NetworkSecurityGroup)]) == 1


def test_rule_of_a_group_outside_the_scan_is_judged_alone() -> None:
    sep = raw("azurerm_network_security_rule", "ssh", {
        **_rule(), "network_security_group_name": "nsg-shared", "resource_group_name": "rg"})
    group = adapt1(NetworkSecurityGroup, sep)
    assert not isinstance(group.rules, Unknown)
    assert group.rules[0].from_internet
    assert group.location_of("rules[0]") == sep.location


def test_nsg_rules_from_a_dynamic_block_over_unknown_are_unknown() -> None:
    group = adapt1(NetworkSecurityGroup, raw("azurerm_network_security_group", "g", {
        "name": "g", "security_rule": U}))
    assert is_unknown(group.rules)


def test_nsg_rule_with_unknown_direction_stays_unknown() -> None:
    group = adapt1(NetworkSecurityGroup, raw("azurerm_network_security_group", "g", {
        "name": "g", "security_rule": [_rule(direction=U)]}))
    assert not isinstance(group.rules, Unknown)
    assert is_unknown(group.rules[0].direction)


def test_flow_log_and_application_gateway() -> None:
    fl = adapt1(FlowLog, raw("azurerm_network_watcher_flow_log", "f", {
        "enabled": True, "retention_policy": [{"enabled": True, "days": 90}]}))
    assert (fl.enabled, fl.retention_enabled, fl.retention_days) == (True, True, 90)
    gw = adapt1(ApplicationGateway, raw("azurerm_application_gateway", "g", {
        "sku": [{"name": "WAF_v2", "tier": "WAF_v2"}],
        "waf_configuration": [{"enabled": True, "firewall_mode": "Prevention"}],
        "http_listener": [{"name": "h", "protocol": "Https"}],
        "ssl_policy": [{"policy_type": "Custom", "disabled_protocols": ["TLSv1_0", "TLSv1_1"]}],
    }))
    assert gw.waf_enabled is True and gw.waf_mode == "Prevention"
    assert gw.has_https_listener is True
    assert gw.ssl_policy_declared is True
    assert gw.ssl_min_protocol == "TLS1_2"
    bare = adapt1(ApplicationGateway, raw("azurerm_application_gateway", "h", {
        "http_listener": [{"protocol": "Http"}]}))
    assert bare.ssl_policy_declared is False and bare.has_https_listener is False


# --------------------------------------------------------------------------- databases


def test_sql_server_defaults_and_companions() -> None:
    server = raw("azurerm_mssql_server", "s", {"name": "sql-s", "version": "12.0"})
    audit = raw("azurerm_mssql_server_extended_auditing_policy", "s", {
        "server_id": ref(server), "retention_in_days": 90})
    tde = raw("azurerm_mssql_server_transparent_data_encryption", "s", {
        "server_id": ref(server), "key_vault_key_id": ref("azurerm_key_vault_key.tde")})
    out = adapt_azure([server, audit, tde])
    sql = only(out, SqlServer)
    assert sql.min_tls_version == "1.2"
    assert sql.public_network_access is True
    assert sql.auditing is True and sql.audit_retention_days == 90
    assert isinstance(sql.tde_key, Reference)
    assert sql.entra_admin is False
    assert sql.plaintext_credentials == ()


def test_sql_server_auditing_disabled_by_its_policy() -> None:
    server = raw("azurerm_mssql_server", "s", {"name": "sql-s"})
    audit = raw("azurerm_mssql_server_extended_auditing_policy", "s", {
        "server_id": ref(server), "enabled": False})
    assert only(adapt_azure([server, audit]), SqlServer).auditing is False


def test_legacy_sql_server() -> None:
    server = raw("azurerm_sql_server", "old", {
        "name": "sql-old", "administrator_login_password": "Passw0rd!Passw0rd",
        "extended_auditing_policy": [{"retention_in_days": 0}]})
    admin = raw("azurerm_sql_active_directory_administrator", "old", {
        "server_name": "sql-old", "resource_group_name": "rg", "login": "admins"})
    sql = only(adapt_azure([server, admin]), SqlServer)
    assert is_unknown(sql.min_tls_version)
    assert sql.entra_admin is True
    assert sql.auditing is True
    assert sql.plaintext_credentials == ("administrator_login_password",)


def test_sql_database() -> None:
    db = adapt1(SqlDatabase, raw("azurerm_mssql_database", "d", {"name": "d"}))
    assert db.tde_enabled is True and db.backup_redundancy == "Geo"
    db = adapt1(SqlDatabase, raw("azurerm_mssql_database", "e", {
        "transparent_data_encryption_enabled": False, "storage_account_type": "Local"}))
    assert db.tde_enabled is False and db.backup_redundancy == "Local"


def test_flexible_servers_with_configurations() -> None:
    pg = raw("azurerm_postgresql_flexible_server", "pg", {"name": "psql-a"})
    pg_cfg = raw("azurerm_postgresql_flexible_server_configuration", "tls", {
        "name": "require_secure_transport", "server_id": ref(pg), "value": "OFF"})
    my = raw("azurerm_mysql_flexible_server", "my", {
        "name": "mysql-a", "delegated_subnet_id": ref("azurerm_subnet.s")})
    my_cfg = raw("azurerm_mysql_flexible_server_configuration", "tls", {
        "name": "tls_version", "server_name": ref(my, "name"), "resource_group_name": "rg",
        "value": "TLSv1.2,TLSv1.3"})
    other = raw("azurerm_mysql_flexible_server_configuration", "tz", {
        "name": "time_zone", "server_name": "mysql-a", "value": "+00:00"})
    out = adapt_azure([pg, pg_cfg, my, my_cfg, other])
    p, m = only(out, DatabaseServer, pg.address), only(out, DatabaseServer, my.address)
    assert p.tls_required is False and p.min_tls_version == "TLS1_2"
    assert p.public_network_access is True
    assert p.backup_retention_days == 7 and p.geo_redundant_backup is False
    assert m.engine == "mysql" and m.min_tls_version == "TLS1_2"
    assert m.public_network_access is False  # VNet-integrated
    assert m.tls_required is True


def test_single_servers() -> None:
    s = adapt1(DatabaseServer, raw("azurerm_postgresql_server", "s", {
        "name": "psql-s", "ssl_enforcement_enabled": True,
        "ssl_minimal_tls_version_enforced": "TLS1_0"}))
    assert not s.is_flexible and s.tls_required is True and s.min_tls_version == "TLS1_0"
    off = adapt1(DatabaseServer, raw("azurerm_mysql_server", "m", {
        "name": "mysql-m", "ssl_enforcement_enabled": False}))
    assert off.tls_required is False and off.min_tls_version is None
    unset = adapt1(DatabaseServer, raw("azurerm_mysql_server", "n", {"name": "mysql-n"}))
    assert is_unknown(unset.tls_required)


def test_firewall_cosmos_and_redis() -> None:
    fw = adapt1(DatabaseFirewallRule, raw("azurerm_mssql_firewall_rule", "f", {
        "start_ip_address": "0.0.0.0", "end_ip_address": "0.0.0.0"}))
    assert (fw.start_ip, fw.end_ip) == ("0.0.0.0", "0.0.0.0")
    v3 = adapt1(CosmosDbAccount, raw("azurerm_cosmosdb_account", "c", {
        "ip_range_filter": "203.0.113.1, 0.0.0.0"}))
    v4 = adapt1(CosmosDbAccount, raw("azurerm_cosmosdb_account", "d", {
        "ip_range_filter": ["203.0.113.1", "0.0.0.0"]}))
    assert v3.ip_range_filter == v4.ip_range_filter == ("203.0.113.1", "0.0.0.0")
    assert v4.replica_regions == ()
    geo = adapt1(CosmosDbAccount, raw("azurerm_cosmosdb_account", "g", {"geo_location": [
        {"location": "East US", "failover_priority": 0},
        {"location": "West US 3", "failover_priority": 1}]}))
    assert geo.replica_regions == ("eastus", "westus3")
    acr = adapt1(ContainerRegistry, raw("azurerm_container_registry", "r", {
        "georeplications": [{"location": var} for var in (U,)]}))
    assert is_unknown(acr.replica_regions)
    redis = adapt1(RedisCache, raw("azurerm_redis_cache", "r", {"enable_non_ssl_port": True}))
    assert redis.non_ssl_port is True and redis.min_tls_version == "1.0"


# --------------------------------------------------------------------------- keys


def test_key_vault_names_and_network() -> None:
    v4 = adapt1(KeyVault, raw("azurerm_key_vault", "a", {
        "name": "kv-a", "rbac_authorization_enabled": True,
        "network_acls": [{"default_action": "Deny", "bypass": "AzureServices"}]}))
    v3 = adapt1(KeyVault, raw("azurerm_key_vault", "b", {
        "name": "kv-b", "enable_rbac_authorization": True, "purge_protection_enabled": True}))
    assert v4.rbac_authorization is True and v3.rbac_authorization is True
    assert v4.network_default_action == "Deny" and v3.network_default_action == "Allow"
    assert v4.purge_protection is False and v3.purge_protection is True
    assert v4.soft_delete is True and v4.soft_delete_retention_days == 90
    assert v4.audit_logs is False


def test_keys_and_secrets() -> None:
    key = adapt1(KeyVaultKey, raw("azurerm_key_vault_key", "k", {
        "key_type": "RSA", "rotation_policy": [{"expire_after": "P1Y",
                                                "automatic": [{"time_before_expiry": "P30D"}]}]}))
    assert key.rotation_expire_after == "P1Y" and key.rotation_automatic is True
    bare = adapt1(KeyVaultKey, raw("azurerm_key_vault_key", "l", {"key_type": "RSA"}))
    assert bare.rotation_automatic is False and bare.expiration_date is None
    literal = adapt1(KeyVaultSecret, raw("azurerm_key_vault_secret", "s", {"value": "hunter22"}))
    generated = adapt1(KeyVaultSecret, raw("azurerm_key_vault_secret", "t", {
        "value": ref("random_password.p", "result")}))
    from_var = adapt1(KeyVaultSecret, raw("azurerm_key_vault_secret", "u", {"value": U}))
    assert literal.plaintext_credentials == ("value",)
    config = adapt1(KeyVaultSecret, raw("azurerm_key_vault_secret", "c", {
        "name": "sql-server-name", "value": "sql-claims-prod"}))
    assert config.plaintext_credentials is None
    assert generated.plaintext_credentials == () == from_var.plaintext_credentials


def test_plan_values_cannot_tell_literals() -> None:
    secret = adapt1(KeyVaultSecret, raw("azurerm_key_vault_secret", "s", {"value": "x" * 12},
                                        source="terraform-plan"))
    assert secret.plaintext_credentials is None


# --------------------------------------------------------------------------- diagnostics


def test_diagnostic_settings_fold_audit_logs() -> None:
    kv = raw("azurerm_key_vault", "kv", {"name": "kv"})
    aks = raw("azurerm_kubernetes_cluster", "aks", {"name": "aks"})
    kv_diag = raw("azurerm_monitor_diagnostic_setting", "kv", {
        "target_resource_id": ref(kv), "enabled_log": [{"category_group": "allLogs"}]})
    aks_diag = raw("azurerm_monitor_diagnostic_setting", "aks", {
        "target_resource_id": ref(aks), "log": [{"category": "kube-audit", "enabled": False},
                                                {"category": "kube-apiserver"}]})
    out = adapt_azure([kv, aks, kv_diag, aks_diag])
    assert only(out, KeyVault).audit_logs is True
    cluster = only(out, KubernetesCluster)
    assert cluster.audit_logs is False  # the audit category is disabled
    assert cluster.location_of("audit_logs") == aks_diag.attribute_locations["log"]


def test_diagnostic_setting_on_an_unknown_target_makes_audit_logs_unknown() -> None:
    kv = raw("azurerm_key_vault", "kv", {"name": "kv"}, key="a")
    kv2 = raw("azurerm_key_vault", "kv", {"name": "kv2"}, key="b")
    elsewhere = raw("azurerm_kubernetes_cluster", "aks", {"name": "aks"}, module="module.k")
    diag = raw("azurerm_monitor_diagnostic_setting", "d", {
        "target_resource_id": ref("azurerm_key_vault.kv"),
        "enabled_log": [{"category": "AuditEvent"}]})
    unset = raw("azurerm_monitor_diagnostic_setting", "e", {
        "target_resource_id": U, "enabled_log": [{"category": "AuditEvent"}]},
        module="module.diag")
    out = adapt_azure([kv, kv2, elsewhere, diag, unset])
    assert all(is_unknown(v.audit_logs) for v in out if isinstance(v, KeyVault))
    assert is_unknown(only(out, KubernetesCluster).audit_logs)


def test_diagnostic_setting_by_literal_resource_id() -> None:
    kv = raw("azurerm_key_vault", "kv", {"name": "kv-records"})
    diag = raw("azurerm_monitor_diagnostic_setting", "d", {
        "target_resource_id": "/subscriptions/0000/resourceGroups/rg/providers/"
                              "Microsoft.KeyVault/vaults/kv-records",
        "enabled_log": [{"category": "AuditEvent"}]})
    assert only(adapt_azure([kv, diag]), KeyVault).audit_logs is True


# --------------------------------------------------------------------------- compute


def test_aks_v3_and_v4_attribute_names() -> None:
    v4 = adapt1(KubernetesCluster, raw("azurerm_kubernetes_cluster", "a", {
        "automatic_upgrade_channel": "patch", "local_account_disabled": True,
        "azure_active_directory_role_based_access_control": [{"azure_rbac_enabled": True}],
        "network_profile": [{"network_plugin": "azure", "network_policy": "azure"}],
        "api_server_access_profile": [{"authorized_ip_ranges": ["203.0.113.0/24"]}],
        "oms_agent": [{"log_analytics_workspace_id": ref("azurerm_log_analytics_workspace.w")}],
    }))
    assert v4.upgrade_channel == "patch" and v4.local_accounts_disabled is True
    assert v4.entra_integration is True and v4.network_policy == "azure"
    assert v4.authorized_ip_ranges == ("203.0.113.0/24",) and v4.oms_agent is True
    v3 = adapt1(KubernetesCluster, raw("azurerm_kubernetes_cluster", "b", {
        "automatic_channel_upgrade": "stable", "api_server_authorized_ip_ranges": ["10.0.0.0/8"],
        "network_profile": [{"network_plugin": "kubenet", "network_policy": "none"}]}))
    assert v3.upgrade_channel == "stable" and v3.authorized_ip_ranges == ("10.0.0.0/8",)
    assert v3.network_policy is None and v3.rbac_enabled is True and v3.azure_policy is False
    v2 = adapt1(KubernetesCluster, raw("azurerm_kubernetes_cluster", "c", {
        "role_based_access_control": [{"enabled": False}],
        "addon_profile": [{"azure_policy": [{"enabled": True}]}]}))
    assert v2.rbac_enabled is False and v2.azure_policy is True


def test_virtual_machines() -> None:
    linux = adapt1(VirtualMachine, raw("azurerm_linux_virtual_machine", "l", {
        "admin_password": ref("random_password.p", "result"),
        "disable_password_authentication": False, "secure_boot_enabled": True}))
    assert linux.os_type == "linux" and linux.password_auth_disabled is False
    assert linux.secure_boot is True and linux.vtpm is False
    assert linux.plaintext_credentials == ()
    windows = adapt1(VirtualMachine, raw("azurerm_windows_virtual_machine", "w", {
        "admin_password": "Winter2024!", "encryption_at_host_enabled": True}))
    assert windows.os_type == "windows" and windows.encryption_at_host is True
    assert windows.plaintext_credentials == ("admin_password",)
    legacy = adapt1(VirtualMachine, raw("azurerm_virtual_machine", "v", {
        "os_profile": [{"admin_password": "Summer2024!"}],
        "os_profile_linux_config": [{"disable_password_authentication": True}]}))
    assert legacy.os_type == "linux" and legacy.password_auth_disabled is True
    assert legacy.secure_boot is False
    assert legacy.plaintext_credentials == ("os_profile.admin_password",)
    vmss = adapt1(VirtualMachine, raw("azurerm_orchestrated_virtual_machine_scale_set", "o", {
        "os_profile": [{"linux_configuration": [{"admin_username": "a"}]}]}))
    assert vmss.is_scale_set and vmss.os_type == "linux" and vmss.password_auth_disabled


def test_registry_and_apps() -> None:
    acr = adapt1(ContainerRegistry, raw("azurerm_container_registry", "r", {"sku": "Basic"}))
    assert (acr.admin_enabled, acr.public_network_access, acr.network_default_action) == (
        False, True, "Allow")
    new = adapt1(AppService, raw("azurerm_linux_function_app", "f", {
        "site_config": [{}], "identity": [{"type": "SystemAssigned"}],
        "app_settings": {"A": "b"}}))
    assert new.is_function and new.ftps_state == "Disabled" and new.min_tls_version == "1.2"
    assert new.https_only is False and new.managed_identity is True
    assert new.app_settings == {"A": "b"}
    legacy = adapt1(AppService, raw("azurerm_app_service", "a", {
        "site_config": [{"min_tls_version": "1.1"}]}))
    assert is_unknown(legacy.ftps_state) and legacy.min_tls_version == "1.1"


# --------------------------------------------------------------------------- backup, monitoring


def test_backup_policy_longest_retention() -> None:
    policy = adapt1(BackupPolicy, raw("azurerm_backup_policy_vm", "p", {
        "retention_daily": [{"count": 14}], "retention_weekly": [{"count": 8}],
        "retention_monthly": [{"count": 12}]}))
    assert policy.retention_days == 360
    assert policy.location_of("retention_days") is not None
    unknown = adapt1(BackupPolicy, raw("azurerm_backup_policy_vm", "q", {
        "retention_daily": [{"count": U}]}))
    assert is_unknown(unknown.retention_days)
    assert adapt1(BackupPolicy, raw("azurerm_backup_policy_vm", "r", {})).retention_days is None


def test_vault_workspace_defender_and_alerts() -> None:
    vault = adapt1(RecoveryServicesVault, raw("azurerm_recovery_services_vault", "v", {}))
    assert vault.storage_mode == "GeoRedundant" and vault.soft_delete is True
    ws = adapt1(LogAnalyticsWorkspace, raw("azurerm_log_analytics_workspace", "w", {}))
    assert ws.retention_days == 30
    plan = adapt1(DefenderPlan, raw("azurerm_security_center_subscription_pricing", "p", {
        "tier": "Standard"}))
    assert plan.resource_type == "VirtualMachines"
    alert = adapt1(ActivityLogAlert, raw("azurerm_monitor_activity_log_alert", "a", {
        "action": [{"action_group_id": ref("azurerm_monitor_action_group.g")}]}))
    assert alert.has_action is True and alert.enabled is True


def test_plan_computed_attributes_read_as_unset() -> None:
    ws = adapt1(LogAnalyticsWorkspace, raw("azurerm_log_analytics_workspace", "w", {
        "retention_in_days": Unknown("known after apply")}, source="terraform-plan"))
    assert ws.retention_days == 30
    sa = adapt1(StorageAccount, raw("azurerm_storage_account", "s", {
        "network_rules": Unknown("known after apply")}, source="terraform-plan"))
    assert sa.network_default_action == "Allow"
    hcl = adapt1(StorageAccount, raw("azurerm_storage_account", "t", {
        "min_tls_version": U}))
    assert is_unknown(hcl.min_tls_version)


# --------------------------------------------------------------------------- identity


def test_role_definition_actions() -> None:
    role = adapt1(RoleDefinition, raw("azurerm_role_definition", "r", {
        "name": "ops", "permissions": [{"actions": ["*"]}, {"actions": ["x/read"]}]}))
    assert role.actions == ("*", "x/read")
    dyn = adapt1(RoleDefinition, raw("azurerm_role_definition", "s", {"permissions": U}))
    assert is_unknown(dyn.actions)


SUB = Reference("data.azurerm_subscription.current", "id")
OWNER_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"


@pytest.mark.parametrize(("attrs", "role", "level", "principal"), [
    ({"role_definition_name": "Owner", "scope": SUB,
      "principal_id": Reference("azuread_user.ana", "object_id")},
     "Owner", "subscription", "User"),
    ({"role_definition_id": PartialString((SUB, f"/providers/Microsoft.Authorization/"
                                                f"roleDefinitions/{OWNER_ID}"), "r"),
      "scope": PartialString(("/subscriptions/", U), "s"),
      "principal_id": Reference("data.azuread_group.admins", "object_id")},
     "Owner", "subscription", "Group"),
    ({"role_definition_name": "Reader",
      "scope": "/subscriptions/0000/resourceGroups/rg-app",
      "principal_id": Reference("azurerm_user_assigned_identity.app", "principal_id")},
     "Reader", "resource_group", "ServicePrincipal"),
    ({"role_definition_name": "Contributor",
      "scope": Reference("azurerm_storage_account.sa", "id"),
      "principal_id": Reference("azurerm_linux_function_app.f", "identity")},
     "Contributor", "resource", "ServicePrincipal"),
    ({"role_definition_name": "Owner",
      "scope": "/providers/Microsoft.Management/managementGroups/corp",
      "principal_id": "1111", "principal_type": "User"},
     "Owner", "management_group", "User"),
    ({"role_definition_name": "Owner",
      "scope": PartialString((SUB, "/resourceGroups/rg-a"), "s"),
      "principal_id": "1111"},
     "Owner", "resource_group", None),
])
def test_role_assignments(attrs: dict[str, Any], role: str, level: str,
                          principal: str | None) -> None:
    ra = adapt1(RoleAssignment, raw("azurerm_role_assignment", "a", attrs))
    assert ra.role_name == role
    assert ra.scope_level == level
    if principal is None:
        assert is_unknown(ra.principal_kind)
    else:
        assert ra.principal_kind == principal


def test_role_name_from_a_data_source_and_a_custom_role() -> None:
    owner = raw("azurerm_role_definition", "owner", {"name": "Owner"}, mode="data")
    custom = raw("azurerm_role_definition", "ops", {"name": "Ops"})
    a = raw("azurerm_role_assignment", "a", {"role_definition_id": ref(owner), "scope": SUB,
                                             "principal_id": "1"})
    b = raw("azurerm_role_assignment", "b", {
        "role_definition_id": ref(custom, "role_definition_resource_id"), "scope": SUB,
        "principal_id": Reference("data.azurerm_client_config.current", "object_id")})
    out = adapt_azure([owner, custom, a, b])
    assert only(out, RoleAssignment, a.address).role_name == "Owner"
    rb = only(out, RoleAssignment, b.address)
    assert rb.role_name == "custom:Ops"
    assert is_unknown(rb.principal_kind)


# --------------------------------------------------------------------------- through the loader


def test_hcl_module_with_for_each_and_companions(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('''
module "data" {
  source   = "./data"
  location = "East US"
}
''')
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "main.tf").write_text('''
variable "location" {}
resource "azurerm_storage_account" "sa" {
  for_each                 = toset(["raw", "curated"])
  name                     = "st${each.key}"
  location                 = var.location
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}
resource "azurerm_storage_account_network_rules" "sa" {
  for_each           = azurerm_storage_account.sa
  storage_account_id = each.value.id
  default_action     = "Deny"
}
''')
    loaded = load_terraform([tmp_path], root=tmp_path)
    assert not loaded.errors
    accounts = [r for r in adapt_azure(loaded.resources) if isinstance(r, StorageAccount)]
    assert len(accounts) == 2
    assert {a.network_default_action for a in accounts} == {"Deny"}
    assert {a.region for a in accounts} == {"eastus"}
    for account in accounts:
        loc = account.location_of("network_default_action")
        assert loc is not None and loc.file == "data/main.tf"


def test_plan_json_with_a_companion_and_computed_blocks(tmp_path: Path) -> None:
    account = "azurerm_storage_account.records"
    rules = "azurerm_storage_account_network_rules.records"

    def entry(address: str, values: dict[str, Any]) -> dict[str, Any]:
        type_, name = address.split(".")
        return {"address": address, "mode": "managed", "type": type_, "name": name,
                "values": values, "sensitive_values": {}}

    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": [
            entry(account, {"name": "strecords", "location": "eastus",
                            "min_tls_version": "TLS1_2", "https_traffic_only_enabled": True,
                            "allow_nested_items_to_be_public": False,
                            "tags": {"data_classification": "ephi"}}),
            entry(rules, {"default_action": "Deny", "bypass": ["AzureServices"]}),
        ]}},
        "resource_changes": [
            {"address": account, "change": {"actions": ["create"], "after_unknown": {
                "network_rules": True, "blob_properties": True, "id": True}}},
            {"address": rules, "change": {"actions": ["create"], "after_unknown": {
                "storage_account_id": True, "id": True}}},
        ],
        "configuration": {"root_module": {"resources": [
            {"address": rules, "mode": "managed",
             "type": "azurerm_storage_account_network_rules", "name": "records",
             "expressions": {"storage_account_id": {"references": [f"{account}.id", account]}}},
        ]}},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=2))
    loaded = load_plan(path, root=tmp_path)
    assert not loaded.errors
    sa = only(adapt_azure(loaded.resources), StorageAccount)
    assert sa.source == "terraform-plan"
    assert sa.network_default_action == "Deny"
    assert sa.blob_soft_delete_days is None  # computed, unset in the configuration
    assert sa.public_nested_items is False
    assert sa.plaintext_credentials is None
