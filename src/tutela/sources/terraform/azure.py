"""Terraform (HCL and plan JSON) `azurerm_*` resources -> the normalized Azure model.

`adapt_azure` takes the raw resources of one scan and returns model resources,
in the same three linear steps as the AWS adapter:

1. index the resources others point at (storage accounts, security groups,
   servers, and everything a diagnostic setting may target) by address and by
   literal name;
2. fold the separate resources (`azurerm_network_security_rule`,
   `azurerm_storage_account_network_rules`, `azurerm_storage_account_customer_managed_key`,
   `azurerm_mssql_server_extended_auditing_policy`,
   `azurerm_mssql_server_transparent_data_encryption`,
   `azurerm_sql_active_directory_administrator`, flexible server configurations,
   `azurerm_monitor_diagnostic_setting`) into their targets;
3. build the model resources; any other managed `azurerm_*` resource with a
   `location` becomes an `AzureOtherResource` (judged for data residency).

Defaults are the azurerm provider's, v3 and v4 (both attribute names are read
where v4 renamed one: `https_traffic_only_enabled` / `enable_https_traffic_only`,
`rbac_authorization_enabled` / `enable_rbac_authorization`...), and are written
next to each field. Values are never guessed: Unknown stays Unknown, and a
companion whose target is not known makes the affected field of every possible
target in its module Unknown (`tutela.sources.adapting.Fold`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tutela.model.azure import (
    ActivityLogAlert,
    ApplicationGateway,
    AppService,
    AzureOtherResource,
    AzureResource,
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
    tls_version,
)
from tutela.model.base import SOURCE_TERRAFORM_PLAN, Resource
from tutela.model.values import Location, PartialString, Reference, Unknown
from tutela.sources.adapting import (
    Companion,
    F,
    Fold,
    Locations,
    Targets,
    View,
    as_flag,
    as_int,
    as_key,
    as_mapping,
    as_str,
    as_strs,
    coalesce,
    common,
    fold_companion,
    on_off,
    present,
    read,
)
from tutela.sources.raw import RawResource

__all__ = ["PLAN_COMPUTED", "adapt_azure", "normalize_location", "normalize_tls"]

Builder = Callable[[RawResource, "_Scan"], list[Resource]]

# Optional+Computed attributes: in plan JSON they are "known after apply" when the
# configuration leaves them unset, so there an Unknown reads as unset (see View).
PLAN_COMPUTED: Mapping[str, frozenset[str]] = {
    "azurerm_storage_account": frozenset({
        "network_rules", "blob_properties", "customer_managed_key", "identity",
        "queue_properties", "share_properties", "min_tls_version",
        "allow_nested_items_to_be_public", "account_kind",
    }),
    "azurerm_key_vault": frozenset({
        "network_acls", "public_network_access_enabled", "soft_delete_retention_days",
        "enable_rbac_authorization", "rbac_authorization_enabled",
    }),
    "azurerm_kubernetes_cluster": frozenset({
        "network_profile", "network_profile.network_policy", "api_server_access_profile",
        "api_server_authorized_ip_ranges", "azure_active_directory_role_based_access_control",
        "oms_agent", "azure_policy_enabled", "automatic_channel_upgrade",
        "automatic_upgrade_channel", "local_account_disabled", "windows_profile",
    }),
    "azurerm_mssql_server": frozenset({
        "azuread_administrator", "transparent_data_encryption_key_vault_key_id",
        "minimum_tls_version", "extended_auditing_policy",
    }),
    "azurerm_mssql_database": frozenset({
        "transparent_data_encryption_enabled", "storage_account_type",
    }),
    "azurerm_postgresql_flexible_server": frozenset({
        "public_network_access_enabled", "backup_retention_days", "delegated_subnet_id",
    }),
    "azurerm_mysql_flexible_server": frozenset({
        "public_network_access_enabled", "backup_retention_days", "delegated_subnet_id",
    }),
    "azurerm_container_registry": frozenset({"network_rule_set", "public_network_access_enabled"}),
    "azurerm_log_analytics_workspace": frozenset({"retention_in_days"}),
    "azurerm_cosmosdb_account": frozenset({"ip_range_filter", "key_vault_key_id"}),
    "azurerm_application_gateway": frozenset({"ssl_policy", "waf_configuration"}),
    "azurerm_redis_cache": frozenset({"minimum_tls_version", "public_network_access_enabled"}),
    "azurerm_linux_virtual_machine": frozenset({
        "encryption_at_host_enabled", "secure_boot_enabled", "vtpm_enabled",
        "os_disk.disk_encryption_set_id",
    }),
    "azurerm_windows_virtual_machine": frozenset({
        "encryption_at_host_enabled", "secure_boot_enabled", "vtpm_enabled",
        "os_disk.disk_encryption_set_id",
    }),
    "azurerm_recovery_services_vault": frozenset({"immutability"}),
}

# --------------------------------------------------------------------------- normalizing

_LOCATION_SPACE = re.compile(r"[\s_-]+")


def normalize_location(value: Any) -> str | Unknown | None:
    """`"East US"` -> `eastus` (azurerm accepts display names and normalizes them alike)."""
    if value is None:
        return None
    if isinstance(value, PartialString):
        return value
    if isinstance(value, Reference):
        return Unknown(f"location comes from {value}, known only after apply")
    if isinstance(value, Unknown):
        return value
    if not isinstance(value, str):
        return Unknown(f"location: expected text, got {value!r}"[:80])
    return _LOCATION_SPACE.sub("", value).lower()


def normalize_tls(value: Any, default: str | Unknown | None = None,
                  what: str = "tls version") -> str | Unknown | None:
    """A minimum TLS version as `TLS1_2` (see `tls_version`); None means no minimum."""
    text = as_str(value, None, what)
    if text is None:
        return default
    if isinstance(text, Unknown):
        return text
    return tls_version(text)


# --------------------------------------------------------------------------- the scan

# Families of resources that others point at: type -> family (all named by `name`).
_TARGET_TYPES: Mapping[str, str] = {
    "azurerm_storage_account": "storage",
    "azurerm_network_security_group": "nsg",
    "azurerm_mssql_server": "sql_server",
    "azurerm_sql_server": "sql_server",
    "azurerm_postgresql_flexible_server": "postgresql_flexible",
    "azurerm_mysql_flexible_server": "mysql_flexible",
    "azurerm_key_vault": "monitored",
    "azurerm_kubernetes_cluster": "monitored",
}


class _Scan:
    def __init__(self) -> None:
        self.fold = Fold()
        self.targets: dict[str, Targets] = {f: Targets() for f in set(_TARGET_TYPES.values())}
        self.by_address: dict[str, RawResource] = {}
        self.nsg_rules: dict[str, NsgRule] = {}
        self.joined: set[str] = set()
        self.unknown_diagnostics: tuple[Unknown, Location] | None = None

    def view(self, raw: RawResource) -> View:
        return View(raw, PLAN_COMPUTED.get(raw.type, frozenset()))


def adapt_azure(raw: Sequence[RawResource]) -> list[Resource]:
    """Normalized Azure resources from the raw Terraform resources of one scan (HCL or plan)."""
    scan = _Scan()
    managed: list[RawResource] = []
    companions: list[RawResource] = []
    for r in raw:
        scan.by_address[r.address] = r
        if r.mode == "data" or not r.type.startswith("azurerm_"):
            continue
        managed.append(r)
        family = _TARGET_TYPES.get(r.type)
        if family is not None:
            scan.targets[family].add(r, scan.view(r).get("name"))
        if r.type in _FOLDERS:
            companions.append(r)
    for r in companions:
        _FOLDERS[r.type](r, scan)
    out: list[Resource] = []
    for r in managed:
        builder = _BUILDERS.get(r.type)
        if builder is not None:
            out.extend(builder(r, scan))
        elif r.type not in _FOLDERS and r.attributes.get("location") is not None:
            out.extend(_other(r, scan))
    return out


def _model(cls: type[AzureResource], raw: RawResource, view: View, locs: Locations,
           fields: Mapping[str, Any], credentials: Sequence[str] = ()) -> AzureResource:
    base = common(raw, view.get("tags"))
    region = normalize_location(view.get("location"))
    locs.attr("region", "location")
    extra: dict[str, Any] = {}
    if credentials and "plaintext_credentials" not in fields:
        extra["plaintext_credentials"] = _literal_credentials(raw, view, credentials, locs)
    return cls(**base, region=region, **fields, **extra, field_locations=locs.freeze())


def _literal_credentials(raw: RawResource, view: View, paths: Sequence[str],
                         locs: Locations) -> tuple[str, ...] | None:
    """Credential attributes written as literal text (plan JSON cannot tell: None)."""
    if raw.source == SOURCE_TERRAFORM_PLAN:
        return None
    found: list[str] = []
    for path in paths:
        value = view.get(path)
        if isinstance(value, str) and value.strip():
            if not found:
                locs.attr("plaintext_credentials", path)
            found.append(path)
    return tuple(found)


def _simple(cls: type[AzureResource], table: Mapping[str, F],
            extra: Callable[[View, _Scan, dict[str, Any], Locations], None] | None = None,
            credentials: Sequence[str] = ()) -> Builder:
    def build(raw: RawResource, scan: _Scan) -> list[Resource]:
        view = scan.view(raw)
        locs = Locations(raw)
        fields = read(view, locs, table)
        if extra is not None:
            extra(view, scan, fields, locs)
        return [_model(cls, raw, view, locs, fields, credentials)]

    return build


def _other(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    return [_model(AzureOtherResource, raw, view, Locations(raw), {})]


def _text(value: Any) -> str:
    if isinstance(value, Unknown):
        return "(not known before apply)"
    return str(value)


# --------------------------------------------------------------------------- companions


def _fold(family: str, keys: Sequence[str], fields: tuple[str, ...],
          values: Callable[[View], Mapping[str, Any]], loc: str | None = None,
          ) -> Callable[[RawResource, _Scan], None]:
    """Fold a companion pointing at its target by the first of `keys` that is set."""

    def fold(raw: RawResource, scan: _Scan) -> None:
        view = scan.view(raw)
        key = next((k for k in keys if view.get(k) is not None), keys[0])
        spec = Companion(family, key, fields, values, loc)
        fold_companion(spec, view, scan.targets[family], scan.fold, what=family)

    return fold


def _cmk(view: View) -> Mapping[str, Any]:
    key = coalesce(view.get("key_vault_key_id"), view.get("managed_hsm_key_id"),
                   view.get("key_name"))
    return {"customer_managed_key": as_key(key, Unknown("customer-managed key not named"))}


def _auditing(view: View) -> Mapping[str, Any]:
    return {
        "auditing": as_flag(view.get("enabled"), True, "enabled"),
        "audit_retention_days": as_int(view.get("retention_in_days"), 0, "retention_in_days"),
    }


def _server_tde(view: View) -> Mapping[str, Any]:
    return {"tde_key": as_key(coalesce(view.get("key_vault_key_id"),
                                       view.get("managed_hsm_key_id")))}


def _switch(value: Any) -> bool | Unknown:
    """A server parameter's `ON`/`OFF` (any case), or a boolean word."""
    if isinstance(value, str) and value.strip().lower() in ("on", "off"):
        return value.strip().lower() == "on"
    return on_off(value, True, "value")


# Flexible server configurations that decide a model field: name -> (field, reader).
_CONFIGS: Mapping[str, tuple[str, Callable[[Any], Any]]] = {
    "require_secure_transport": ("tls_required", _switch),
    "ssl_min_protocol_version": ("min_tls_version", lambda v: normalize_tls(v, "TLS1_2")),
    "tls_version": ("min_tls_version", lambda v: normalize_tls(v, "TLS1_2")),
}


def _fold_configuration(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    name = as_str(view.get("name"), None, "name")
    if not isinstance(name, str) or name.lower() not in _CONFIGS:
        return
    field, reader = _CONFIGS[name.lower()]
    family = ("postgresql_flexible" if raw.type.startswith("azurerm_postgresql")
              else "mysql_flexible")
    key = "server_id" if view.get("server_id") is not None else "server_name"
    spec = Companion(family, key, (field,), lambda v: {field: reader(v.get("value"))}, "value")
    fold_companion(spec, view, scan.targets[family], scan.fold, what="server")


# Diagnostic log categories that carry audit records, per target type.
_AUDIT_CATEGORIES = {
    "azurerm_key_vault": {"auditevent", "audit", "alllogs"},
    "azurerm_kubernetes_cluster": {"kube-audit", "kube-audit-admin", "audit", "alllogs"},
}


def _fold_diagnostic_setting(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    targets = scan.targets["monitored"]
    pointer = view.get("target_resource_id")
    if isinstance(pointer, str) and pointer.lower().startswith("/subscriptions/"):
        pointer = pointer.rstrip("/").rsplit("/", 1)[-1]  # an ARM id names the resource last
    target = targets.resolve(pointer, raw)
    categories: list[Any] = []
    for name in ("enabled_log", "log"):
        found = view.blocks(name)
        if isinstance(found, Unknown):
            categories.append(found)
            continue
        for block in found:
            if as_flag(block.get("enabled"), True, "enabled") is False:
                continue
            for key in ("category", "category_group"):
                value = as_str(block.get(key), None, key)
                if value is not None:
                    categories.append(value)
    loc = raw.attribute_locations.get("enabled_log") or raw.attribute_locations.get(
        "log", raw.location)
    if isinstance(target, str):
        for category in categories:
            scan.fold.add(target, "diagnostic_categories", category, loc)
        if not categories:
            scan.fold.add(target, "diagnostic_categories", None, loc)
    elif isinstance(target, Unknown) and scan.unknown_diagnostics is None:
        # Diagnostic settings often live in a module of their own, fed with ids: a
        # setting whose target is not known may be the one of any resource in the scan.
        scan.unknown_diagnostics = (Unknown(
            f"{raw.address} sends logs of a resource not known before apply "
            f"({target.reason})"), raw.location)


def _audit_logs(raw: RawResource, scan: _Scan, fields: dict[str, Any], locs: Locations,
                ) -> list[str]:
    """`audit_logs` from the diagnostic settings that target `raw`; the fields decided."""
    wanted = _AUDIT_CATEGORIES[raw.type]
    added = scan.fold.added(raw.address, "diagnostic_categories")
    if not added:
        if scan.unknown_diagnostics is None:
            return []
        fields["audit_logs"], where = scan.unknown_diagnostics
        locs.set("audit_logs", where)
        return ["audit_logs"]
    flag: bool | Unknown = False
    for category, loc in added:
        if isinstance(category, Unknown):
            flag = category
            locs.set("audit_logs", loc)
        elif isinstance(category, str) and category.lower() in wanted:
            fields["audit_logs"] = True
            locs.set("audit_logs", loc)
            return ["audit_logs"]
    fields["audit_logs"] = flag
    if flag is False:
        locs.set("audit_logs", added[0][1])
    return ["audit_logs"]


# --------------------------------------------------------------------------- storage


_STORAGE = {
    "account_kind": F("account_kind", as_str, "StorageV2"),
    "https_only": F("https_traffic_only_enabled", as_flag, True, alt="enable_https_traffic_only"),
    "min_tls_version": F("min_tls_version", as_str, "TLS1_2"),  # v3 and v4 default
    # v3/v4 default true; v2's `allow_blob_public_access` defaulted to false.
    "public_nested_items": F("allow_nested_items_to_be_public", as_flag, True,
                             alt="allow_blob_public_access"),
    "public_network_access": F("public_network_access_enabled", as_flag, True),
    "infrastructure_encryption": F("infrastructure_encryption_enabled", as_flag, False),
    "blob_versioning": F("blob_properties.versioning_enabled", as_flag, False),
}


def _storage_account(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, _STORAGE)
    explicit: list[str] = []
    rules = view.get("network_rules")
    if present(rules):
        fields["network_default_action"] = as_str(
            view.get("network_rules.default_action"), "Allow", "default_action")
        locs.attr("network_default_action", "network_rules.default_action", "network_rules")
        explicit.append("network_default_action")
    fields["customer_managed_key"] = as_key(coalesce(
        view.get("customer_managed_key.key_vault_key_id"),
        view.get("customer_managed_key.managed_hsm_key_id")))
    locs.attr("customer_managed_key", "customer_managed_key")
    blob = view.get("blob_properties")
    if isinstance(blob, Unknown):
        fields["blob_soft_delete_days"] = blob
    elif present(blob):
        policy = view.get("blob_properties.delete_retention_policy")
        if isinstance(policy, Unknown):
            fields["blob_soft_delete_days"] = policy
        elif present(policy):
            fields["blob_soft_delete_days"] = as_int(
                view.get("blob_properties.delete_retention_policy.days"), 7, "days")
    locs.attr("blob_soft_delete_days", "blob_properties")
    name = view.get("name")
    scan.fold.apply(raw, fields, locs, explicit, family="storage",
                    unnamed=isinstance(name, Unknown))
    return [_model(StorageAccount, raw, view, locs, fields)]


def _managed_disk(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    settings = view.get("encryption_settings")
    ade: bool | Unknown = False
    if isinstance(settings, Unknown):
        ade = settings
    elif present(settings):
        ade = as_flag(view.get("encryption_settings.enabled"), True, "enabled")
    locs.attr("ade_enabled", "encryption_settings")
    locs.attr("disk_encryption_set", "disk_encryption_set_id",
              "secure_vm_disk_encryption_set_id")
    fields = {
        "disk_encryption_set": as_key(coalesce(view.get("disk_encryption_set_id"),
                                               view.get("secure_vm_disk_encryption_set_id"))),
        "ade_enabled": ade,
    }
    return [_model(ManagedDisk, raw, view, locs, fields)]


# --------------------------------------------------------------------------- network


def _nsg_rule(values: Mapping[str, Any], path: str) -> NsgRule:
    """One rule from an inline `security_rule` block or an `azurerm_network_security_rule`."""

    def joined(single: str, many: str) -> tuple[str, ...] | Unknown:
        one = as_strs(values.get(single), (), single)
        more = as_strs(values.get(many), (), many)
        if isinstance(one, Unknown):
            return one
        if isinstance(more, Unknown):
            return more
        return (*one, *more)

    name = as_str(values.get("name"), None, "name")
    return NsgRule(
        name=name,
        direction=_required(values.get("direction"), "direction"),
        access=_required(values.get("access"), "access"),
        protocol=_required(values.get("protocol"), "protocol"),
        priority=as_int(values.get("priority"), None, "priority"),
        source_prefixes=joined("source_address_prefix", "source_address_prefixes"),
        destination_ports=joined("destination_port_range", "destination_port_ranges"),
        path=path,
    )


def _required(value: Any, what: str) -> str | Unknown:
    text = as_str(value, None, what)
    return Unknown(f"{what} is not set") if text is None else text


def _fold_nsg_rule(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    rule = _nsg_rule(raw.attributes, "rules[0]")
    scan.nsg_rules[raw.address] = rule
    group = scan.targets["nsg"].resolve(view.get("network_security_group_name"), raw)
    if isinstance(group, str):
        scan.fold.add(group, "rules", rule, raw.location)
        scan.joined.add(raw.address)


def _standalone_nsg_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A rule whose group is not in the scan (or not known) is judged on its own."""
    if raw.address in scan.joined:
        return []
    view = scan.view(raw)
    locs = Locations(raw)
    locs.set("rules[0]", raw.location)
    return [_model(NetworkSecurityGroup, raw, view, locs,
                   {"rules": (scan.nsg_rules[raw.address],)})]


def _network_security_group(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    found = view.blocks("security_rule")
    rules: list[NsgRule] = []
    unknown: Unknown | None = None
    if isinstance(found, Unknown):
        unknown = found
        locs.attr("rules", "security_rule")
    else:
        for i, block in enumerate(found):
            rules.append(_nsg_rule(block, f"rules[{i}]"))
            locs.indexed(f"rules[{i}]", "security_rule", i)
    for rule, loc in scan.fold.added(raw.address, "rules"):
        index = len(rules)
        rules.append(replace(rule, path=f"rules[{index}]"))
        locs.set(f"rules[{index}]", loc)
    fields = {"rules": unknown if unknown is not None else tuple(rules)}
    return [_model(NetworkSecurityGroup, raw, view, locs, fields)]


_FLOW_LOG = {
    "enabled": F("enabled", as_flag, True),
    "retention_enabled": F("retention_policy.enabled", as_flag, False),
    "retention_days": F("retention_policy.days", as_int, 0),
}


def _app_gateway_extra(view: View, scan: _Scan, fields: dict[str, Any],
                       locs: Locations) -> None:
    waf = view.get("waf_configuration")
    if isinstance(waf, Unknown):
        fields["waf_enabled"] = waf
    elif present(waf):
        fields["waf_enabled"] = as_flag(view.get("waf_configuration.enabled"), False, "enabled")
        fields["waf_mode"] = as_str(view.get("waf_configuration.firewall_mode"), None,
                                    "firewall_mode")
    locs.attr("waf_enabled", "waf_configuration", "sku")
    policy = view.get("ssl_policy")
    if isinstance(policy, Unknown):
        fields["ssl_policy_declared"] = policy
    elif present(policy):
        fields["ssl_policy_declared"] = True
        fields["ssl_policy_name"] = as_str(view.get("ssl_policy.policy_name"), None,
                                           "policy_name")
        minimum = normalize_tls(view.get("ssl_policy.min_protocol_version"), None)
        disabled = as_strs(view.get("ssl_policy.disabled_protocols"), (), "disabled_protocols")
        if minimum is None and isinstance(disabled, tuple) and disabled:
            off = {normalize_tls(d) for d in disabled}
            minimum = next((v for v in ("TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3")
                            if v not in off), None)
        elif minimum is None and isinstance(disabled, Unknown):
            minimum = disabled
        fields["ssl_min_protocol"] = minimum
    locs.attr("ssl_policy_name", "ssl_policy")
    locs.attr("ssl_min_protocol", "ssl_policy")
    listeners = view.blocks("http_listener")
    if isinstance(listeners, Unknown):
        fields["has_https_listener"] = listeners
    else:
        https: bool | Unknown = False
        for listener in listeners:
            proto = as_str(listener.get("protocol"), None, "protocol")
            if isinstance(proto, Unknown):
                https = proto
            elif isinstance(proto, str) and proto.lower() == "https":
                https = True
                break
        fields["has_https_listener"] = https


_APP_GATEWAY = {
    "sku_tier": F("sku.tier", as_str),
    "firewall_policy": F("firewall_policy_id", as_key),
}


# --------------------------------------------------------------------------- databases


def _sql_server_extra(view: View, scan: _Scan, fields: dict[str, Any],
                      locs: Locations) -> None:
    raw = view.raw
    admin = view.get("azuread_administrator")
    fields["entra_admin"] = admin if isinstance(admin, Unknown) else present(admin)
    fields["entra_only"] = as_flag(view.get("azuread_administrator.azuread_authentication_only"),
                                   False, "azuread_authentication_only")
    locs.attr("entra_admin", "azuread_administrator")
    explicit = []
    auditing = view.get("extended_auditing_policy")
    if isinstance(auditing, Unknown):
        fields["auditing"] = auditing
        explicit.append("auditing")
    elif present(auditing):
        fields["auditing"] = True
        fields["audit_retention_days"] = as_int(
            view.get("extended_auditing_policy.retention_in_days"), 0, "retention_in_days")
        locs.attr("auditing", "extended_auditing_policy")
        locs.attr("audit_retention_days", "extended_auditing_policy")
        explicit += ["auditing", "audit_retention_days"]
    if raw.type == "azurerm_sql_server":
        fields["min_tls_version"] = Unknown(
            "azurerm_sql_server cannot set a minimum TLS version; it is the server's own setting")
    name = view.get("name")
    scan.fold.apply(raw, fields, locs, explicit, family="sql_server",
                    unnamed=isinstance(name, Unknown))


_SQL_SERVER = {
    "min_tls_version": F("minimum_tls_version", as_str, "1.2"),  # v3 and v4 default
    "public_network_access": F("public_network_access_enabled", as_flag, True),
    "tde_key": F("transparent_data_encryption_key_vault_key_id", as_key),
}

_SQL_DATABASE = {
    "tde_enabled": F("transparent_data_encryption_enabled", as_flag, True),
    "backup_redundancy": F("storage_account_type", as_str, "Geo"),
    "server": F("server_id", as_key, None, alt="server_name"),
}


def _db_server(engine: str, flexible: bool) -> Builder:
    family = f"{engine}_flexible" if flexible else ""

    def build(raw: RawResource, scan: _Scan) -> list[Resource]:
        view = scan.view(raw)
        locs = Locations(raw)
        fields: dict[str, Any] = read(view, locs, {
            "geo_redundant_backup": F("geo_redundant_backup_enabled", as_flag, False),
            "backup_retention_days": F("backup_retention_days", as_int, 7),
            "create_mode": F("create_mode", as_str),
        })
        fields["engine"] = engine
        fields["is_flexible"] = flexible
        if flexible:
            subnet = view.get("delegated_subnet_id")
            if subnet is not None and not isinstance(subnet, Unknown):
                fields["public_network_access"] = False  # VNet-integrated: private access only
                locs.attr("public_network_access", "delegated_subnet_id")
            else:
                fields["public_network_access"] = as_flag(
                    view.get("public_network_access_enabled"), True,
                    "public_network_access_enabled")
                locs.attr("public_network_access", "public_network_access_enabled")
            name = view.get("name")
            scan.fold.apply(raw, fields, locs, family=family, unnamed=isinstance(name, Unknown))
            credentials: tuple[str, ...] = ("administrator_password",)
        else:
            fields["public_network_access"] = as_flag(
                view.get("public_network_access_enabled"), True, "public_network_access_enabled")
            locs.attr("public_network_access", "public_network_access_enabled")
            enforced = coalesce(view.get("ssl_enforcement_enabled"), view.get("ssl_enforcement"))
            fields["tls_required"] = on_off(enforced, Unknown("ssl_enforcement_enabled is not set"),
                                            "ssl_enforcement_enabled")
            locs.attr("tls_required", "ssl_enforcement_enabled", "ssl_enforcement")
            default = "TLS1_2" if raw.type != "azurerm_mariadb_server" else None
            fields["min_tls_version"] = normalize_tls(
                view.get("ssl_minimal_tls_version_enforced"), default)
            if fields["tls_required"] is False:
                fields["min_tls_version"] = None
            locs.attr("min_tls_version", "ssl_minimal_tls_version_enforced",
                      "ssl_enforcement_enabled")
            credentials = ("administrator_login_password",)
        return [_model(DatabaseServer, raw, view, locs, fields, credentials)]

    return build


_FIREWALL_RULE = {
    "start_ip": F("start_ip_address", as_str),
    "end_ip": F("end_ip_address", as_str),
}


def _replicas(view: View, path: str, fields: dict[str, Any], locs: Locations) -> None:
    """`replica_regions` from repeated blocks' `location` (`geo_location`, `georeplications`)."""
    found = view.blocks(path)
    regions: list[str] = []
    if isinstance(found, Unknown):
        fields["replica_regions"] = found
    else:
        for block in found:
            region = normalize_location(block.get("location"))
            if isinstance(region, Unknown):
                fields["replica_regions"] = region
                break
            if region is not None:
                regions.append(region)
        else:
            fields["replica_regions"] = tuple(regions)
    locs.attr("replica_regions", path)


def _registry_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    _replicas(view, "georeplications", fields, locs)


def _cosmos_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    _replicas(view, "geo_location", fields, locs)
    value = view.get("ip_range_filter")
    ranges = as_strs(value, (), "ip_range_filter")
    if isinstance(ranges, tuple):  # v3: one comma-separated string; v4: a set
        ranges = tuple(p.strip() for item in ranges for p in item.split(",") if p.strip())
    fields["ip_range_filter"] = ranges
    locs.attr("ip_range_filter", "ip_range_filter")


_COSMOS = {
    "public_network_access": F("public_network_access_enabled", as_flag, True),
    "virtual_network_filter": F("is_virtual_network_filter_enabled", as_flag, False),
    "key_vault_key": F("key_vault_key_id", as_key),
    "local_auth_disabled": F("local_authentication_disabled", as_flag, False),
}

_REDIS = {
    "non_ssl_port": F("non_ssl_port_enabled", as_flag, False, alt="enable_non_ssl_port"),
    # The provider's default, v3 and v4 alike, is "1.0".
    "min_tls_version": F("minimum_tls_version", as_str, "1.0"),
    "public_network_access": F("public_network_access_enabled", as_flag, True),
}


# --------------------------------------------------------------------------- keys


def _key_vault(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "purge_protection": F("purge_protection_enabled", as_flag, False),
        # Soft delete cannot be turned off since provider v3 (v2's soft_delete_enabled could).
        "soft_delete": F("soft_delete_enabled", as_flag, True),
        "soft_delete_retention_days": F("soft_delete_retention_days", as_int, 90),
        "rbac_authorization": F("rbac_authorization_enabled", as_flag, False,
                                alt="enable_rbac_authorization"),
        "public_network_access": F("public_network_access_enabled", as_flag, True),
    })
    acls = view.get("network_acls")
    if present(acls):
        fields["network_default_action"] = as_str(view.get("network_acls.default_action"),
                                                  Unknown("default_action is not set"),
                                                  "default_action")
        locs.attr("network_default_action", "network_acls.default_action", "network_acls")
    explicit = _audit_logs(raw, scan, fields, locs)
    scan.fold.apply(raw, fields, locs, explicit, family="monitored")
    return [_model(KeyVault, raw, view, locs, fields)]


def _key_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    automatic = view.get("rotation_policy.automatic")
    fields["rotation_automatic"] = (automatic if isinstance(automatic, Unknown)
                                    else present(automatic))
    locs.attr("rotation_automatic", "rotation_policy")


_KEY = {
    "key_type": F("key_type", as_str),
    "expiration_date": F("expiration_date", as_str),
    "rotation_expire_after": F("rotation_policy.expire_after", as_str),
}

_SECRET = {
    "expiration_date": F("expiration_date", as_str),
    "content_type": F("content_type", as_str),
}


# --------------------------------------------------------------------------- compute


def _vm(os_type: str | None, *, scale_set: bool = False, legacy: bool = False) -> Builder:
    def build(raw: RawResource, scan: _Scan) -> list[Resource]:
        view = scan.view(raw)
        locs = Locations(raw)
        fields: dict[str, Any] = {"is_scale_set": scale_set}
        credentials: tuple[str, ...] = ("admin_password",)
        if legacy:  # azurerm_virtual_machine(_scale_set): no Trusted Launch, no host encryption
            linux = present(view.get("os_profile_linux_config"))
            windows = present(view.get("os_profile_windows_config"))
            fields["os_type"] = "linux" if linux else "windows" if windows else Unknown(
                "neither os_profile_linux_config nor os_profile_windows_config is set")
            fields["password_auth_disabled"] = as_flag(
                view.get("os_profile_linux_config.disable_password_authentication"), False,
                "disable_password_authentication")
            locs.attr("password_auth_disabled", "os_profile_linux_config")
            locs.attr("secure_boot", "os_profile")
            credentials = ("os_profile.admin_password",)
        elif os_type is None:  # azurerm_orchestrated_virtual_machine_scale_set
            linux_cfg = view.get("os_profile.linux_configuration")
            windows_cfg = view.get("os_profile.windows_configuration")
            fields["os_type"] = ("linux" if present(linux_cfg) else "windows"
                                 if present(windows_cfg) else Unknown("os_profile is not set"))
            fields["password_auth_disabled"] = as_flag(
                view.get("os_profile.linux_configuration.disable_password_authentication"),
                True, "disable_password_authentication")
            locs.attr("password_auth_disabled", "os_profile")
            fields.update(_trusted_launch(view, locs))
            credentials = ("os_profile.linux_configuration.admin_password",
                           "os_profile.windows_configuration.admin_password")
        else:
            fields["os_type"] = os_type
            if os_type == "linux":
                fields["password_auth_disabled"] = as_flag(
                    view.get("disable_password_authentication"), True,
                    "disable_password_authentication")
                locs.attr("password_auth_disabled", "disable_password_authentication",
                          "admin_password")
            fields.update(_trusted_launch(view, locs))
        return [_model(VirtualMachine, raw, view, locs, fields, credentials)]

    return build


def _trusted_launch(view: View, locs: Locations) -> dict[str, Any]:
    out = {
        "encryption_at_host": as_flag(coalesce(view.get("encryption_at_host_enabled"),
                                               view.get("host_encryption_enabled")), False,
                                      "encryption_at_host_enabled"),
        "secure_boot": as_flag(view.get("secure_boot_enabled"), False, "secure_boot_enabled"),
        "vtpm": as_flag(view.get("vtpm_enabled"), False, "vtpm_enabled"),
        "os_disk_encryption_set": as_key(view.get("os_disk.disk_encryption_set_id")),
    }
    locs.attr("encryption_at_host", "encryption_at_host_enabled", "host_encryption_enabled")
    locs.attr("secure_boot", "secure_boot_enabled", "vtpm_enabled")
    locs.attr("vtpm", "vtpm_enabled", "secure_boot_enabled")
    locs.attr("os_disk_encryption_set", "os_disk")
    return out


def _aks(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "rbac_enabled": F("role_based_access_control_enabled", as_flag, True,
                          alt="role_based_access_control.enabled"),
        "local_accounts_disabled": F("local_account_disabled", as_flag, False),
        "private_cluster": F("private_cluster_enabled", as_flag, False,
                             alt="private_link_enabled"),
        "azure_policy": F("azure_policy_enabled", as_flag, False,
                          alt="addon_profile.azure_policy.enabled"),
        "upgrade_channel": F("automatic_upgrade_channel", as_str, None,
                             alt="automatic_channel_upgrade"),
    })
    entra = coalesce(view.get("azure_active_directory_role_based_access_control"),
                     view.get("role_based_access_control.azure_active_directory"))
    fields["entra_integration"] = entra if isinstance(entra, Unknown) else present(entra)
    locs.attr("entra_integration", "azure_active_directory_role_based_access_control",
              "role_based_access_control")
    policy = view.get("network_profile.network_policy")
    text = as_str(policy, None, "network_policy")
    fields["network_policy"] = None if isinstance(text, str) and text.lower() == "none" else text
    locs.attr("network_policy", "network_profile.network_policy", "network_profile")
    ranges = coalesce(view.get("api_server_access_profile.authorized_ip_ranges"),
                      view.get("api_server_authorized_ip_ranges"))
    fields["authorized_ip_ranges"] = as_strs(ranges, (), "authorized_ip_ranges")
    locs.attr("authorized_ip_ranges", "api_server_access_profile",
              "api_server_authorized_ip_ranges")
    oms = view.get("oms_agent")
    if isinstance(oms, Unknown):
        fields["oms_agent"] = oms
    else:
        fields["oms_agent"] = present(oms) or as_flag(
            view.get("addon_profile.oms_agent.enabled"), False, "oms_agent.enabled")
    locs.attr("oms_agent", "oms_agent", "addon_profile")
    explicit = _audit_logs(raw, scan, fields, locs)
    scan.fold.apply(raw, fields, locs, explicit, family="monitored")
    return [_model(KubernetesCluster, raw, view, locs, fields,
                   ("windows_profile.admin_password",))]


_REGISTRY = {
    "sku": F("sku", as_str),
    "admin_enabled": F("admin_enabled", as_flag, False),
    "public_network_access": F("public_network_access_enabled", as_flag, True),
    "network_default_action": F("network_rule_set.default_action", as_str, "Allow"),
    "anonymous_pull": F("anonymous_pull_enabled", as_flag, False),
}

_LEGACY_APPS = frozenset({"azurerm_app_service", "azurerm_app_service_slot",
                          "azurerm_function_app", "azurerm_function_app_slot"})


def _app_service(function: bool) -> Builder:
    def build(raw: RawResource, scan: _Scan) -> list[Resource]:
        view = scan.view(raw)
        locs = Locations(raw)
        legacy = raw.type in _LEGACY_APPS
        table = {
            "https_only": F("https_only", as_flag, False),
            "min_tls_version": F("site_config.minimum_tls_version", as_str, "1.2",
                                 alt="site_config.min_tls_version"),
            # New app resources default to Disabled; the legacy ones send nothing and
            # keep whatever App Service applies (historically AllAllowed).
            "ftps_state": F("site_config.ftps_state", as_str, Unknown(
                f"ftps_state is not set on {raw.type}: App Service's own default applies")
                if legacy else "Disabled"),
        }
        fields = read(view, locs, table)
        fields["is_function"] = function
        identity = view.get("identity")
        fields["managed_identity"] = identity if isinstance(identity, Unknown) else present(
            identity)
        locs.attr("managed_identity", "identity")
        fields["app_settings"] = as_mapping(view.get("app_settings"), "app_settings")
        locs.attr("app_settings", "app_settings")
        return [_model(AppService, raw, view, locs, fields)]

    return build


# --------------------------------------------------------------------------- backup

_VAULT = {
    "storage_mode": F("storage_mode_type", as_str, "GeoRedundant"),
    "soft_delete": F("soft_delete_enabled", as_flag, True),
    "cross_region_restore": F("cross_region_restore_enabled", as_flag, False),
    "immutability": F("immutability", as_str),
}

# Days each retention block's `count` stands for.
_RETENTION_UNITS = (("retention_daily", 1), ("retention_weekly", 7),
                    ("retention_monthly", 30), ("retention_yearly", 365))


def _backup_policy(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    longest: int | Unknown | None = None
    for name, days in _RETENTION_UNITS:
        found = view.blocks(name)
        counts = [found] if isinstance(found, Unknown) else [
            as_int(block.get("count"), None, f"{name}.count") for block in found]
        for count in counts:
            if isinstance(count, Unknown):
                locs.attr("retention_days", name)
                return [_model(BackupPolicy, raw, view, locs, {"retention_days": count})]
            if count is not None and (longest is None or count * days > longest):
                longest = count * days
                locs.attr("retention_days", name)
    return [_model(BackupPolicy, raw, view, locs, {"retention_days": longest})]


# --------------------------------------------------------------------------- identity

# Built-in roles by their role definition GUID.
BUILT_IN_ROLES: Mapping[str, str] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
}
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_PRINCIPAL_TYPES = {
    "azuread_user": "User",
    "azuread_group": "Group",
    "azuread_service_principal": "ServicePrincipal",
    "azuread_application": "ServicePrincipal",
    "azurerm_user_assigned_identity": "ServicePrincipal",
}


def _role_name(view: View, scan: _Scan) -> str | Unknown | None:
    name = view.get("role_definition_name")
    if name is not None:
        return as_str(name, None, "role_definition_name")
    role_id = view.get("role_definition_id")
    if role_id is None:
        return None
    if isinstance(role_id, Reference):
        target = scan.by_address.get(role_id.target)
        if target is None:
            return Unknown(f"role_definition_id comes from {role_id}, not in this scan")
        if target.type == "azurerm_role_definition" and target.mode != "data":
            custom = as_str(target.attributes.get("name"), None, "name")
            return f"custom:{custom}" if isinstance(custom, str) else custom
        tview = View(target)
        if tview.get("name") is not None:
            return as_str(tview.get("name"), None, "name")
        return _role_from_id(tview.get("role_definition_id"))
    return _role_from_id(role_id)


def _role_from_id(value: Any) -> str | Unknown | None:
    text = value.template if isinstance(value, PartialString) else value
    if isinstance(text, Unknown):
        return text
    if not isinstance(text, str):
        return Unknown("role_definition_id is not known before apply")
    found = _GUID.findall(text)
    if not found:
        return Unknown(f"role_definition_id {text!r} names no role definition id")
    guid = found[-1].lower()
    return BUILT_IN_ROLES.get(guid, f"role:{guid}")


def _scope_level(value: Any) -> str | Unknown | None:
    """root, management_group, subscription, resource_group or resource."""
    if value is None:
        return None
    if isinstance(value, Reference):
        return _scope_of_ref(value)
    if isinstance(value, PartialString):
        first = value.parts[0] if value.parts else ""
        rest = "".join(p if isinstance(p, str) else "x" for p in value.parts[1:])
        if isinstance(first, str):
            return _scope_of_text(first + rest)
        if isinstance(first, Reference):
            base = _scope_of_ref(first)
            if not rest.strip("/") or isinstance(base, Unknown):
                return base
            if base == "subscription":
                return _scope_of_text("/subscriptions/x" + rest)
            if base == "management_group":
                return _scope_of_text("/providers/Microsoft.Management/managementGroups/x" + rest)
            return "resource"
        if "/resourcegroups/" in rest.lower():
            return _scope_of_text("/subscriptions/x" + rest)
        return Unknown(f"scope {value.template} is not known before apply")
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        return _scope_of_text(value)
    return Unknown("scope is not text")


_SCOPE_TYPES = {
    "azurerm_subscription": "subscription",
    "azurerm_resource_group": "resource_group",
    "azurerm_management_group": "management_group",
}


def _scope_of_ref(ref: Reference) -> str | Unknown:
    kind = next((p for p in ref.target.split(".") if p.startswith("azurerm_")), None)
    if kind is None or ref.attribute not in (None, "id"):
        return Unknown(f"scope comes from {ref}, known only after apply")
    return _SCOPE_TYPES.get(kind, "resource")


def _scope_of_text(text: str) -> str | Unknown:
    parts = [p for p in text.strip().split("/") if p]
    if not parts:
        return "root"
    low = [p.lower() for p in parts]
    if low[0] == "subscriptions":
        if len(parts) <= 2:
            return "subscription"
        if low[2] == "resourcegroups" and len(parts) <= 4:
            return "resource_group"
        return "resource"
    if low[:3] == ["providers", "microsoft.management", "managementgroups"]:
        return "management_group" if len(parts) <= 4 else "resource"
    return Unknown(f"scope {text!r} is not a resource id")


def _principal_kind(view: View) -> str | Unknown | None:
    declared = view.get("principal_type")
    if declared is not None:
        return as_str(declared, None, "principal_type")
    principal = view.get("principal_id")
    if isinstance(principal, Reference):
        target = principal.target.split(".")
        if target[0] == "module":
            return Unknown(f"principal comes from {principal}")
        kind = target[1] if target[0] == "data" else target[0]
        if kind == "azurerm_client_config":
            return Unknown("the principal is whoever runs Terraform")
        if kind in _PRINCIPAL_TYPES:
            return _PRINCIPAL_TYPES[kind]
        if kind.startswith("azurerm_"):
            return "ServicePrincipal"  # an Azure resource's managed identity, never a person
        return Unknown(f"principal comes from {principal}, whose kind is not known")
    if isinstance(principal, Unknown):
        return principal
    return Unknown("principal_type is not set, so the principal may be a user")


def _role_assignment(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    scope = view.get("scope")
    fields = {
        "role_name": _role_name(view, scan),
        "scope": as_str(scope.template if isinstance(scope, PartialString) else scope,
                        None, "scope") if not isinstance(scope, Reference) else str(scope),
        "scope_level": _scope_level(scope),
        "principal_kind": _principal_kind(view),
    }
    locs.attr("role_name", "role_definition_name", "role_definition_id")
    locs.attr("scope", "scope")
    locs.attr("scope_level", "scope")
    locs.attr("principal_kind", "principal_type", "principal_id")
    return [_model(RoleAssignment, raw, view, locs, fields)]


def _role_definition(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    permissions = view.blocks("permissions")
    actions: tuple[str, ...] | Unknown = ()
    if isinstance(permissions, Unknown):
        actions = permissions
    else:
        collected: list[str] = []
        for block in permissions:
            found = as_strs(block.get("actions"), (), "actions")
            if isinstance(found, Unknown):
                actions = found
                break
            collected.extend(found)
        else:
            actions = tuple(collected)
    locs.attr("actions", "permissions")
    locs.attr("assignable_scopes", "assignable_scopes")
    fields = {
        "role_name": as_str(view.get("name"), None, "name"),
        "actions": actions,
        "assignable_scopes": as_strs(view.get("assignable_scopes"), (), "assignable_scopes"),
    }
    return [_model(RoleDefinition, raw, view, locs, fields)]


# --------------------------------------------------------------------------- monitoring


def _alert_extra(view: View, scan: _Scan, fields: dict[str, Any], locs: Locations) -> None:
    actions = view.blocks("action")
    if isinstance(actions, Unknown):
        fields["has_action"] = actions
    else:
        fields["has_action"] = any(
            block.get("action_group_id") is not None for block in actions)
    locs.attr("has_action", "action")


_ALERT = {
    "enabled": F("enabled", as_flag, True),
    "operation": F("criteria.operation_name", as_str),
}

_DEFENDER = {
    "tier": F("tier", as_str),
    "resource_type": F("resource_type", as_str, "VirtualMachines"),
}

_WORKSPACE = {
    # Unset: the workspace keeps data 30 days (the service default; 7 on the Free tier).
    "retention_days": F("retention_in_days", as_int, 30),
}


# --------------------------------------------------------------------------- tables


# Key Vault also holds configuration that is not secret (`sql-server-name`, `api-url`).
_CONFIG_SECRET_NAME = re.compile(
    r"[-_.](name|id|ids|url|uri|endpoint|host|hostname|fqdn|username|user|login|region"
    r"|location|port|database|tenant|subscription|audience|issuer)$", re.IGNORECASE)


def _key_vault_secret(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, _SECRET)
    name = view.get("name")
    if isinstance(name, str) and _CONFIG_SECRET_NAME.search(name):
        fields["plaintext_credentials"] = None  # configuration, not a credential: not judged
    return [_model(KeyVaultSecret, raw, view, locs, fields, ("value",))]


_COMPANIONS: Iterable[tuple[str, Callable[[RawResource, _Scan], None]]] = (
    ("azurerm_storage_account_network_rules", _fold(
        "storage", ("storage_account_id", "storage_account_name"), ("network_default_action",),
        lambda v: {"network_default_action": as_str(v.get("default_action"), None,
                                                    "default_action")},
        "default_action")),
    ("azurerm_storage_account_customer_managed_key", _fold(
        "storage", ("storage_account_id",), ("customer_managed_key",), _cmk)),
    ("azurerm_mssql_server_extended_auditing_policy", _fold(
        "sql_server", ("server_id",), ("auditing", "audit_retention_days"), _auditing)),
    ("azurerm_sql_server_extended_auditing_policy", _fold(
        "sql_server", ("server_id",), ("auditing", "audit_retention_days"), _auditing)),
    ("azurerm_mssql_server_transparent_data_encryption", _fold(
        "sql_server", ("server_id",), ("tde_key",), _server_tde)),
    ("azurerm_sql_active_directory_administrator", _fold(
        "sql_server", ("server_name", "server_id"), ("entra_admin",),
        lambda v: {"entra_admin": True})),
)

_FOLDERS: Mapping[str, Callable[[RawResource, _Scan], None]] = {
    **dict(_COMPANIONS),
    "azurerm_postgresql_flexible_server_configuration": _fold_configuration,
    "azurerm_mysql_flexible_server_configuration": _fold_configuration,
    "azurerm_monitor_diagnostic_setting": _fold_diagnostic_setting,
    "azurerm_network_security_rule": _fold_nsg_rule,
}

_APP_TYPES = {
    **{t: _app_service(False) for t in (
        "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot",
        "azurerm_windows_web_app_slot", "azurerm_app_service", "azurerm_app_service_slot")},
    **{t: _app_service(True) for t in (
        "azurerm_linux_function_app", "azurerm_windows_function_app",
        "azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot",
        "azurerm_function_app", "azurerm_function_app_slot",
        "azurerm_function_app_flex_consumption")},
}

_FIREWALL_TYPES = (
    "azurerm_mssql_firewall_rule", "azurerm_sql_firewall_rule",
    "azurerm_postgresql_flexible_server_firewall_rule", "azurerm_postgresql_firewall_rule",
    "azurerm_mysql_flexible_server_firewall_rule", "azurerm_mysql_firewall_rule",
    "azurerm_mariadb_firewall_rule", "azurerm_synapse_firewall_rule",
)

_BUILDERS: Mapping[str, Builder] = {
    "azurerm_storage_account": _storage_account,
    "azurerm_managed_disk": _managed_disk,
    "azurerm_network_security_group": _network_security_group,
    "azurerm_network_security_rule": _standalone_nsg_rule,
    "azurerm_network_watcher_flow_log": _simple(FlowLog, _FLOW_LOG),
    "azurerm_application_gateway": _simple(ApplicationGateway, _APP_GATEWAY, _app_gateway_extra),
    "azurerm_mssql_server": _simple(SqlServer, _SQL_SERVER, _sql_server_extra,
                                    ("administrator_login_password",)),
    "azurerm_sql_server": _simple(SqlServer, {
        "public_network_access": F("public_network_access_enabled", as_flag, True),
    }, _sql_server_extra, ("administrator_login_password",)),
    "azurerm_mssql_database": _simple(SqlDatabase, _SQL_DATABASE),
    "azurerm_sql_database": _simple(SqlDatabase, {"server": F("server_name", as_key)}),
    "azurerm_postgresql_flexible_server": _db_server("postgresql", True),
    "azurerm_mysql_flexible_server": _db_server("mysql", True),
    "azurerm_postgresql_server": _db_server("postgresql", False),
    "azurerm_mysql_server": _db_server("mysql", False),
    "azurerm_mariadb_server": _db_server("mariadb", False),
    **{t: _simple(DatabaseFirewallRule, _FIREWALL_RULE) for t in _FIREWALL_TYPES},
    "azurerm_cosmosdb_account": _simple(CosmosDbAccount, _COSMOS, _cosmos_extra),
    "azurerm_redis_cache": _simple(RedisCache, _REDIS),
    "azurerm_key_vault": _key_vault,
    "azurerm_key_vault_key": _simple(KeyVaultKey, _KEY, _key_extra),
    "azurerm_key_vault_secret": _key_vault_secret,
    "azurerm_linux_virtual_machine": _vm("linux"),
    "azurerm_windows_virtual_machine": _vm("windows"),
    "azurerm_linux_virtual_machine_scale_set": _vm("linux", scale_set=True),
    "azurerm_windows_virtual_machine_scale_set": _vm("windows", scale_set=True),
    "azurerm_orchestrated_virtual_machine_scale_set": _vm(None, scale_set=True),
    "azurerm_virtual_machine": _vm(None, legacy=True),
    "azurerm_virtual_machine_scale_set": _vm(None, scale_set=True, legacy=True),
    "azurerm_kubernetes_cluster": _aks,
    "azurerm_container_registry": _simple(ContainerRegistry, _REGISTRY, _registry_extra),
    **_APP_TYPES,
    "azurerm_recovery_services_vault": _simple(RecoveryServicesVault, _VAULT),
    "azurerm_backup_policy_vm": _backup_policy,
    "azurerm_backup_policy_vm_workload": _backup_policy,
    "azurerm_backup_policy_file_share": _backup_policy,
    "azurerm_role_assignment": _role_assignment,
    "azurerm_role_definition": _role_definition,
    "azurerm_log_analytics_workspace": _simple(LogAnalyticsWorkspace, _WORKSPACE),
    "azurerm_security_center_subscription_pricing": _simple(DefenderPlan, _DEFENDER),
    "azurerm_monitor_activity_log_alert": _simple(ActivityLogAlert, _ALERT, _alert_extra),
}

