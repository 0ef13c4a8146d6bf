"""The Azure rules on the model: one table of cases per rule, Unknown values included."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
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
    NsgRule,
    RecoveryServicesVault,
    RedisCache,
    RoleAssignment,
    RoleDefinition,
    SqlDatabase,
    SqlServer,
    StorageAccount,
    VirtualMachine,
)
from tutela.model.base import Resource
from tutela.model.values import Reference, Unknown
from tutela.rules import default_rules
from tutela.rules.api import Rule, Status, Verdict
from tutela.rules.settings import DEFAULT_SETTINGS, Settings

RULES = {r.code: r for r in default_rules()}
PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
U = Unknown("var.x has no value")
EPHI = MappingProxyType({"data_classification": "ephi"})
KEY = Reference("azurerm_key_vault_key.k", "id")


def make(cls: type[Resource], **fields: Any) -> Resource:
    return cls(address=f"azurerm.{cls.__name__.lower()}", native_type="azurerm_x",
               source="terraform", **fields)


def rule_(name: str = "r", *, direction: str | Unknown = "Inbound",
          access: str | Unknown = "Allow", protocol: str | Unknown = "Tcp",
          priority: int | Unknown | None = 200, src: tuple[str, ...] | Unknown = ("*",),
          ports: tuple[str, ...] | Unknown = ("22",), index: int = 0) -> NsgRule:
    return NsgRule(name=name, direction=direction, access=access, protocol=protocol,
                   priority=priority, source_prefixes=src, destination_ports=ports,
                   path=f"rules[{index}]")


def nsg(*rules: NsgRule) -> Resource:
    return make(NetworkSecurityGroup, rules=rules)


@dataclass(frozen=True)
class Case:
    code: str
    resource: Resource
    want: set[Status]
    id: str
    settings: Settings = DEFAULT_SETTINGS


CASES: list[Case] = []


def case(code: str, id_: str, resource: Resource, *want: Status,
         settings: Settings | None = None) -> None:
    CASES.append(Case(code, resource, set(want), f"{code}-{id_}", settings or DEFAULT_SETTINGS))


# --- NET101 residency ----------------------------------------------------------------------
case("NET101", "approved", make(StorageAccount, region="eastus2"), PASS)
case("NET101", "elsewhere", make(StorageAccount, region="westeurope"), FAIL)
case("NET101", "unknown", make(StorageAccount, region=U), NE)
case("NET101", "global", make(ActivityLogAlert, region="global"), NA)
case("NET101", "no-location", make(RoleAssignment, region=None))  # no verdict at all
case("NET101", "other-type", make(AzureOtherResource, region="brazilsouth"), FAIL)
case("NET101", "replica-elsewhere", make(CosmosDbAccount, region="eastus",
                                         replica_regions=("eastus", "northeurope")), FAIL)
case("NET101", "replicas-approved", make(ContainerRegistry, region="eastus",
                                         replica_regions=("westus3",)), PASS)
case("NET101", "replicas-unknown", make(CosmosDbAccount, region="eastus", replica_regions=U),
     NE)
case("NET101", "configured", make(StorageAccount, region="westeurope"), PASS,
     settings=Settings(approved_azure_locations=("West Europe",)))

# --- NET102/NET103 NSG exposure ------------------------------------------------------------
case("NET102", "ssh-anywhere", nsg(rule_()), FAIL)
case("NET102", "internet-tag", nsg(rule_(src=("Internet",), ports=("3389",))), FAIL)
case("NET102", "all-ports-any-protocol", nsg(rule_(protocol="*", ports=("*",))), FAIL)
case("NET102", "range", nsg(rule_(ports=("20-25",))), FAIL)
case("NET102", "ipv6-any", nsg(rule_(src=("::/0",))), FAIL)
case("NET102", "private-source", nsg(rule_(src=("10.0.0.0/8",))), PASS)
case("NET102", "service-tag", nsg(rule_(src=("VirtualNetwork",))), PASS)
case("NET102", "udp", nsg(rule_(protocol="Udp")), PASS)
case("NET102", "outbound", nsg(rule_(direction="Outbound")), PASS)
case("NET102", "deny", nsg(rule_(access="Deny")), PASS)
case("NET102", "https-only", nsg(rule_(ports=("443",))), PASS)
case("NET102", "shadowed-by-deny", nsg(
    rule_("deny", access="Deny", priority=100, src=("Internet",), ports=("22",)),
    rule_("allow", priority=200, index=1)), PASS)
case("NET102", "deny-after-allow", nsg(
    rule_("allow", priority=100),
    rule_("deny", access="Deny", priority=200, ports=("22",), index=1)), FAIL)
case("NET102", "unknown-rules", make(NetworkSecurityGroup, rules=U), NE)
case("NET102", "unknown-source", nsg(rule_(src=U)), NE)
case("NET102", "unknown-ports", nsg(rule_(ports=U)), NE)
case("NET102", "no-rules", nsg(), PASS)
case("NET103", "postgres-anywhere", nsg(rule_(ports=("5432",))), FAIL)
case("NET103", "sql-in-list", nsg(rule_(ports=("80", "1433"))), FAIL)
case("NET103", "ssh-only", nsg(rule_()), PASS)

# --- public endpoints ----------------------------------------------------------------------
case("NET104", "default", make(StorageAccount), FAIL)
case("NET104", "deny", make(StorageAccount, network_default_action="Deny"), PASS)
case("NET104", "public-off", make(StorageAccount, public_network_access=False), PASS)
case("NET104", "unknown-action", make(StorageAccount, network_default_action=U), NE)
case("NET104", "unknown-public-deny", make(StorageAccount, public_network_access=U,
                                           network_default_action="Deny"), PASS)
case("NET104", "unknown-public-allow", make(StorageAccount, public_network_access=U), NE)
case("NET105", "default", make(StorageAccount), FAIL)
case("NET105", "off", make(StorageAccount, public_nested_items=False), PASS)
case("NET105", "file-storage", make(StorageAccount, account_kind="FileStorage"), NA)
case("NET105", "unknown", make(StorageAccount, public_nested_items=U), NE)
case("NET106", "default", make(SqlServer), FAIL)
case("NET106", "off", make(SqlServer, public_network_access=False), PASS)
case("NET106", "unknown", make(SqlServer, public_network_access=U), NE)
case("NET107", "default", make(DatabaseServer), FAIL)
case("NET107", "private", make(DatabaseServer, public_network_access=False), PASS)
case("NET108", "office", make(DatabaseFirewallRule, start_ip="203.0.113.1",
                              end_ip="203.0.113.9"), PASS)
case("NET108", "internet", make(DatabaseFirewallRule, start_ip="0.0.0.0",
                                end_ip="255.255.255.255"), FAIL)
case("NET108", "half", make(DatabaseFirewallRule, start_ip="0.0.0.0",
                            end_ip="127.255.255.255"), FAIL)
case("NET108", "azure-services", make(DatabaseFirewallRule, start_ip="0.0.0.0",
                                      end_ip="0.0.0.0"), FAIL)
case("NET108", "unknown", make(DatabaseFirewallRule, start_ip=U, end_ip=U), NE)
case("NET108", "not-an-ip", make(DatabaseFirewallRule, start_ip="x", end_ip="y"), NE)
case("NET109", "default", make(CosmosDbAccount), FAIL)
case("NET109", "filtered", make(CosmosDbAccount, ip_range_filter=("203.0.113.0/24",)), PASS)
case("NET109", "vnet", make(CosmosDbAccount, virtual_network_filter=True), PASS)
case("NET109", "open-filter", make(CosmosDbAccount, ip_range_filter=("0.0.0.0/0",)), FAIL)
case("NET109", "azure-datacenters", make(CosmosDbAccount, ip_range_filter=("0.0.0.0",
                                                                           "203.0.113.7")), FAIL)
case("NET109", "off", make(CosmosDbAccount, public_network_access=False), PASS)
case("NET109", "unknown", make(CosmosDbAccount, ip_range_filter=U), NE)
case("NET110", "default", make(ContainerRegistry), FAIL)
case("NET110", "off", make(ContainerRegistry, public_network_access=False), PASS)
case("NET110", "deny", make(ContainerRegistry, network_default_action="Deny"), PASS)
case("NET110", "anonymous", make(ContainerRegistry, public_network_access=False,
                                 anonymous_pull=True), FAIL)
case("NET111", "default", make(KeyVault), FAIL)
case("NET111", "deny", make(KeyVault, network_default_action="Deny"), PASS)
case("NET111", "off", make(KeyVault, public_network_access=False), PASS)
case("NET112", "default", make(KubernetesCluster), FAIL)
case("NET112", "private", make(KubernetesCluster, private_cluster=True), PASS)
case("NET112", "ranges", make(KubernetesCluster, authorized_ip_ranges=("203.0.113.0/24",)),
     PASS)
case("NET112", "open-range", make(KubernetesCluster, authorized_ip_ranges=("0.0.0.0/0",)),
     FAIL)
case("NET112", "unknown", make(KubernetesCluster, authorized_ip_ranges=U), NE)

# --- VMs, edge -----------------------------------------------------------------------------
case("NET113", "default", make(VirtualMachine), PASS)
case("NET113", "passwords", make(VirtualMachine, password_auth_disabled=False), FAIL)
case("NET113", "windows", make(VirtualMachine, os_type="windows"), NA)
case("NET113", "unknown", make(VirtualMachine, password_auth_disabled=U), NE)
case("NET114", "default", make(VirtualMachine), FAIL)
case("NET114", "trusted", make(VirtualMachine, secure_boot=True, vtpm=True), PASS)
case("NET114", "no-vtpm", make(VirtualMachine, secure_boot=True), FAIL)
case("NET114", "unknown", make(VirtualMachine, secure_boot=U, vtpm=True), NE)
case("NET115", "none", make(ApplicationGateway), FAIL)
case("NET115", "policy", make(ApplicationGateway, firewall_policy=KEY), PASS)
case("NET115", "prevention", make(ApplicationGateway, waf_enabled=True, waf_mode="Prevention"),
     PASS)
case("NET115", "detection", make(ApplicationGateway, waf_enabled=True, waf_mode="Detection"),
     FAIL)
case("NET115", "unknown-mode", make(ApplicationGateway, waf_enabled=True, waf_mode=U), NE)

# --- identity -------------------------------------------------------------------------------
case("IAM101", "wildcard", make(RoleDefinition, actions=("*",)), FAIL)
case("IAM101", "scoped-wildcard", make(RoleDefinition, actions=("Microsoft.Storage/*",)), PASS)
case("IAM101", "unknown", make(RoleDefinition, actions=U), NE)


def assignment(role: str | Unknown | None = "Owner", level: str | Unknown | None = "subscription",
               kind: str | Unknown | None = "User") -> Resource:
    return make(RoleAssignment, role_name=role, scope_level=level, principal_kind=kind)


case("IAM102", "owner-user-sub", assignment(), FAIL)
case("IAM102", "uaa-user-mg", assignment("User Access Administrator", "management_group"), FAIL)
case("IAM102", "owner-user-root", assignment(level="root"), FAIL)
case("IAM102", "owner-group", assignment(kind="Group"), PASS)
case("IAM102", "owner-sp", assignment(kind="ServicePrincipal"), PASS)
case("IAM102", "owner-user-rg", assignment(level="resource_group"), PASS)
case("IAM102", "contributor-user", assignment("Contributor"), NA)
case("IAM102", "custom-role", assignment("custom:Ops"), NA)
case("IAM102", "unknown-principal", assignment(kind=U), NE)
case("IAM102", "unknown-scope", assignment(level=U), NE)
case("IAM102", "unknown-role", assignment(role=U), NE)
case("IAM103", "default", make(KubernetesCluster), PASS)
case("IAM103", "off", make(KubernetesCluster, rbac_enabled=False), FAIL)
case("IAM104", "default", make(KubernetesCluster), FAIL)
case("IAM104", "entra-local", make(KubernetesCluster, entra_integration=True), FAIL)
case("IAM104", "entra-only", make(KubernetesCluster, entra_integration=True,
                                  local_accounts_disabled=True), PASS)
case("IAM104", "unknown", make(KubernetesCluster, entra_integration=U), NE)
case("IAM105", "default", make(ContainerRegistry), PASS)
case("IAM105", "admin", make(ContainerRegistry, admin_enabled=True), FAIL)
case("IAM106", "none", make(SqlServer), FAIL)
case("IAM106", "entra", make(SqlServer, entra_admin=True), PASS)

# --- encryption -----------------------------------------------------------------------------
case("ENC101", "default", make(StorageAccount), PASS)
case("ENC101", "http", make(StorageAccount, https_only=False), FAIL)
case("ENC101", "unknown", make(StorageAccount, https_only=U), NE)
case("ENC102", "default", make(StorageAccount), PASS)
case("ENC102", "tls10", make(StorageAccount, min_tls_version="TLS1_0"), FAIL)
case("ENC102", "unknown", make(StorageAccount, min_tls_version=U), NE)
case("ENC102", "stricter-setting", make(StorageAccount), FAIL,
     settings=Settings(minimum_tls_version="1.3"))
case("ENC103", "ephi-off", make(StorageAccount, tags=EPHI), FAIL)
case("ENC103", "ephi-on", make(StorageAccount, tags=EPHI, infrastructure_encryption=True), PASS)
case("ENC103", "not-ephi", make(StorageAccount), NA)
case("ENC103", "unknown-tags", make(StorageAccount, tags=U), NE)
case("ENC104", "default", make(SqlDatabase), PASS)
case("ENC104", "off", make(SqlDatabase, tde_enabled=False), FAIL)
case("ENC105", "default", make(SqlServer), PASS)
case("ENC105", "disabled", make(SqlServer, min_tls_version="Disabled"), FAIL)
case("ENC105", "legacy-unknown", make(SqlServer, min_tls_version=U), NE)
case("ENC106", "default", make(DatabaseServer), PASS)
case("ENC106", "off", make(DatabaseServer, tls_required=False), FAIL)
case("ENC106", "unknown", make(DatabaseServer, tls_required=U), NE)
case("ENC107", "default", make(DatabaseServer), PASS)
case("ENC107", "tls11", make(DatabaseServer, min_tls_version="TLS1_1"), FAIL)
case("ENC107", "no-minimum", make(DatabaseServer, min_tls_version=None), FAIL)
case("ENC107", "tls-off", make(DatabaseServer, tls_required=False, min_tls_version=None), NA)
case("ENC108", "default", make(RedisCache), FAIL)
case("ENC108", "tls12", make(RedisCache, min_tls_version="1.2"), PASS)
case("ENC108", "plain-port", make(RedisCache, non_ssl_port=True, min_tls_version="1.2"), FAIL)
case("ENC109", "default", make(AppService), FAIL)
case("ENC109", "https", make(AppService, https_only=True), PASS)
case("ENC110", "default", make(AppService), PASS)
case("ENC110", "tls13", make(AppService, min_tls_version="1.3"), PASS)
case("ENC110", "tls10", make(AppService, min_tls_version="1.0"), FAIL)
case("ENC111", "default", make(AppService), PASS)
case("ENC111", "ftps-only", make(AppService, ftps_state="FtpsOnly"), PASS)
case("ENC111", "all", make(AppService, ftps_state="AllAllowed"), FAIL)
case("ENC111", "legacy-unset", make(AppService, ftps_state=U), NE)
case("ENC112", "no-https", make(ApplicationGateway, has_https_listener=False), NA)
case("ENC112", "no-policy", make(ApplicationGateway, has_https_listener=True), NE)
case("ENC112", "modern", make(ApplicationGateway, has_https_listener=True,
                              ssl_policy_declared=True,
                              ssl_policy_name="AppGwSslPolicy20220101"), PASS)
case("ENC112", "old", make(ApplicationGateway, has_https_listener=True,
                           ssl_policy_declared=True,
                           ssl_policy_name="AppGwSslPolicy20170401"), FAIL)
case("ENC112", "custom-12", make(ApplicationGateway, has_https_listener=True,
                                 ssl_policy_declared=True, ssl_min_protocol="TLS1_2"), PASS)
case("ENC112", "custom-11", make(ApplicationGateway, has_https_listener=True,
                                 ssl_policy_declared=True, ssl_min_protocol="TLS1_1"), FAIL)
case("ENC113", "ephi-off", make(VirtualMachine, tags=EPHI), FAIL)
case("ENC113", "ephi-on", make(VirtualMachine, tags=EPHI, encryption_at_host=True), PASS)
case("ENC113", "not-ephi", make(VirtualMachine), NA)

# --- keys -----------------------------------------------------------------------------------
case("KEY101", "default", make(KeyVault), FAIL)
case("KEY101", "protected", make(KeyVault, purge_protection=True), PASS)
case("KEY101", "no-soft-delete", make(KeyVault, purge_protection=True, soft_delete=False), FAIL)
case("KEY101", "unknown", make(KeyVault, purge_protection=U), NE)
case("KEY102", "none", make(KeyVaultKey), FAIL)
case("KEY102", "policy", make(KeyVaultKey, rotation_expire_after="P1Y"), PASS)
case("KEY102", "date", make(KeyVaultKey, expiration_date="2027-01-01T00:00:00Z"), PASS)
case("KEY102", "unknown-date", make(KeyVaultKey, expiration_date=U), NE)
case("KEY103", "none", make(KeyVaultKey), FAIL)
case("KEY103", "automatic", make(KeyVaultKey, rotation_automatic=True), PASS)
case("KEY104", "ephi-no-key", make(StorageAccount, tags=EPHI), FAIL)
case("KEY104", "ephi-key", make(StorageAccount, tags=EPHI, customer_managed_key=KEY), PASS)
case("KEY104", "ephi-unknown-key", make(StorageAccount, tags=EPHI, customer_managed_key=U), NE)
case("KEY104", "not-ephi", make(StorageAccount), NA)
case("KEY105", "ephi-service-key", make(SqlServer, tags=EPHI), FAIL)
case("KEY105", "ephi-cmk", make(SqlServer, tags=EPHI, tde_key=KEY), PASS)
case("KEY106", "ephi-platform-key", make(ManagedDisk, tags=EPHI), FAIL)
case("KEY106", "ephi-des", make(ManagedDisk, tags=EPHI, disk_encryption_set=KEY), PASS)
case("KEY106", "unknown-tags", make(ManagedDisk, tags=U), NE)

# --- secrets ---------------------------------------------------------------------------------
case("SEC101", "literal", make(SqlServer, plaintext_credentials=("administrator_login_password",)),
     FAIL)
case("SEC101", "clean", make(VirtualMachine, plaintext_credentials=()), PASS)
case("SEC101", "not-judged", make(StorageAccount))
case("SEC102", "none", make(KeyVaultSecret), FAIL)
case("SEC102", "dated", make(KeyVaultSecret, expiration_date="2026-01-01T00:00:00Z"), PASS)
case("SEC103", "none", make(AppService), PASS)
case("SEC103", "key-vault-ref", make(AppService, app_settings={
    "DB_PASSWORD": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)"}),
    PASS)
case("SEC103", "literal", make(AppService, app_settings={"API_TOKEN": "tok_live_123456"}), FAIL)
case("SEC103", "connection-string", make(AppService, app_settings={
    "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abcdef123"}),
    FAIL)
case("SEC103", "reference", make(AppService, app_settings={
    "DB_PASSWORD": Reference("azurerm_key_vault_secret.db", "value")}), PASS)
case("SEC103", "unknown", make(AppService, app_settings=U), NE)

# --- containers, serverless ---------------------------------------------------------------
case("CTR101", "none", make(KubernetesCluster), FAIL)
case("CTR101", "calico", make(KubernetesCluster, network_policy="calico"), PASS)
case("CTR101", "unknown", make(KubernetesCluster, network_policy=U), NE)
case("CTR102", "off", make(KubernetesCluster), FAIL)
case("CTR102", "on", make(KubernetesCluster, azure_policy=True), PASS)
case("FN101", "none", make(AppService), FAIL)
case("FN101", "identity", make(AppService, managed_identity=True), PASS)

# --- backup ----------------------------------------------------------------------------------
case("BAK101", "long", make(BackupPolicy, retention_days=30), PASS)
case("BAK101", "short", make(BackupPolicy, retention_days=3), FAIL)
case("BAK101", "none", make(BackupPolicy, retention_days=None), FAIL)
case("BAK101", "unknown", make(BackupPolicy, retention_days=U), NE)
case("BAK101", "stricter-setting", make(BackupPolicy, retention_days=30), FAIL,
     settings=Settings(backup_retention_days=90))
case("BAK102", "default", make(RecoveryServicesVault), PASS)
case("BAK102", "lrs", make(RecoveryServicesVault, storage_mode="LocallyRedundant"), FAIL)
case("BAK102", "zrs", make(RecoveryServicesVault, storage_mode="ZoneRedundant"), FAIL)
case("BAK102", "unknown", make(RecoveryServicesVault, storage_mode=U), NE)
case("BAK103", "default", make(RecoveryServicesVault), PASS)
case("BAK103", "off", make(RecoveryServicesVault, soft_delete=False), FAIL)
case("BAK104", "default", make(DatabaseServer), FAIL)
case("BAK104", "geo", make(DatabaseServer, geo_redundant_backup=True), PASS)
case("BAK104", "replica", make(DatabaseServer, create_mode="Replica"), NA)
case("BAK105", "replica", make(DatabaseServer, create_mode="Replica",
                               backup_retention_days=1), NA)
case("BAK105", "default", make(DatabaseServer), PASS)
case("BAK105", "short", make(DatabaseServer, backup_retention_days=3), FAIL)
case("BAK105", "unknown", make(DatabaseServer, backup_retention_days=U), NE)
case("BAK106", "none", make(StorageAccount), FAIL)
case("BAK106", "on", make(StorageAccount, blob_soft_delete_days=7), PASS)
case("BAK106", "file-storage", make(StorageAccount, account_kind="FileStorage"), NA)
case("BAK106", "unknown", make(StorageAccount, blob_soft_delete_days=U), NE)
case("DR101", "default", make(SqlDatabase), PASS)
case("DR101", "local", make(SqlDatabase, backup_redundancy="Local"), FAIL)
case("DR101", "geozone", make(SqlDatabase, backup_redundancy="GeoZone"), PASS)

# --- monitoring ------------------------------------------------------------------------------
case("LOG101", "default", make(LogAnalyticsWorkspace), FAIL)
case("LOG101", "year", make(LogAnalyticsWorkspace, retention_days=365), PASS)
case("LOG101", "unknown", make(LogAnalyticsWorkspace, retention_days=U), NE)
case("LOG101", "relaxed-setting", make(LogAnalyticsWorkspace, retention_days=90), PASS,
     settings=Settings(log_retention_days=90))
case("LOG102", "none", make(KubernetesCluster), FAIL)
case("LOG102", "on", make(KubernetesCluster, audit_logs=True), PASS)
case("LOG102", "unknown", make(KubernetesCluster, audit_logs=U), NE)
case("LOG103", "none", make(KeyVault), FAIL)
case("LOG103", "on", make(KeyVault, audit_logs=True), PASS)
case("LOG104", "none", make(SqlServer), FAIL)
case("LOG104", "forever", make(SqlServer, auditing=True), PASS)
case("LOG104", "short", make(SqlServer, auditing=True, audit_retention_days=30), FAIL)
case("LOG104", "year", make(SqlServer, auditing=True, audit_retention_days=400), PASS)
case("LOG105", "standard", make(DefenderPlan, tier="Standard"), PASS)
case("LOG105", "free-core", make(DefenderPlan, tier="Free", resource_type="KeyVaults"), FAIL)
case("LOG105", "free-other", make(DefenderPlan, tier="Free", resource_type="Dns"), NA)
case("LOG105", "unknown", make(DefenderPlan, tier=U), NE)
case("LOG106", "action", make(ActivityLogAlert, has_action=True), PASS)
case("LOG106", "silent", make(ActivityLogAlert), FAIL)
case("LOG106", "disabled", make(ActivityLogAlert, enabled=False, has_action=True), FAIL)
case("LOG107", "year", make(FlowLog, retention_enabled=True, retention_days=365), PASS)
case("LOG107", "forever", make(FlowLog, retention_enabled=True, retention_days=0), PASS)
case("LOG107", "short", make(FlowLog, retention_enabled=True, retention_days=7), FAIL)
case("LOG107", "disabled", make(FlowLog, enabled=False), FAIL)


def outcomes(rule: Rule, resource: Resource, settings: Settings) -> set[Status]:
    return {f.status for f in evaluate([resource], RuleSet.of([rule]), settings=settings)}


@pytest.mark.parametrize("c", [pytest.param(c, id=c.id) for c in CASES])
def test_rule_case(c: Case) -> None:
    assert outcomes(RULES[c.code], c.resource, c.settings) == c.want


def test_every_azure_rule_has_cases() -> None:
    azure = {code for code, r in RULES.items() if r.resource_type.provider == "azure"}
    covered = {c.code for c in CASES}
    assert azure <= covered, sorted(azure - covered)


def test_no_case_errors() -> None:
    errors: list[str] = []
    for c in CASES:
        for f in evaluate([c.resource], RuleSet.of([RULES[c.code]]), settings=c.settings):
            if f.status is Status.ERROR:
                errors.append(f"{c.id}: {f.message}")
    assert not errors


FAILS_POINT_AT: list[tuple[str, Callable[[], Resource], str]] = [
    ("NET102", lambda: nsg(rule_(index=0)), "rules[0]"),
    ("ENC101", lambda: make(StorageAccount, https_only=False), "https_only"),
    ("IAM102", lambda: assignment(), "principal_kind"),
    ("KEY101", lambda: make(KeyVault), "purge_protection"),
]


@pytest.mark.parametrize(("code", "build", "field"), FAILS_POINT_AT,
                         ids=[c for c, _, _ in FAILS_POINT_AT])
def test_failures_name_the_offending_field(code: str, build: Callable[[], Resource],
                                           field: str) -> None:
    verdicts = list(_verdicts(RULES[code], build()))
    assert any(v.at == field for v in verdicts if v.status is FAIL)


def _verdicts(rule: Rule, resource: Resource) -> list[Verdict]:
    result = rule(resource, **({"settings": Settings()} if rule.wants_settings else {}))
    return [result] if isinstance(result, Verdict) else list(result)
