"""Terraform (HCL and plan JSON) Google Cloud resources -> the normalized GCP model.

`adapt_gcp` takes the raw resources of one scan (the `google` and `google-beta`
providers share type names) and returns model resources, in three linear steps:

1. index the resources others point at (buckets, crypto keys, functions, Cloud
   Run services, repositories, datasets, topics, service accounts, URL maps) by
   address and by literal name (a full id such as
   `projects/p/locations/l/keyRings/r/cryptoKeys/k` is matched by its last segment);
2. fold the companions into their targets: `*_iam_member`, `*_iam_binding` and
   `*_iam_policy` (with `data.google_iam_policy` documents) become `IamGrant`s on
   buckets, keys, functions, services, repositories, datasets and topics; bucket
   and object ACLs and `google_bigquery_dataset_access` become grants too;
   `google_service_account_key` joins its service account. A grant whose target
   is not in the scan, or is on a project, folder or organization, is an
   `IamBinding` of its own; a key whose account is not in the scan is a
   stand-in `ServiceAccount`;
3. build one or more model resources per raw resource (a GKE cluster also yields
   its default and inline node pools, an instance its boot disk).

Defaults are the google provider's (v5/v6 schema documentation) or the Google
API's where the provider sends nothing; each is written next to its field.
Values are never guessed: Unknown stays Unknown. Data sources and unknown
types yield nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from tutela.model.base import SOURCE_TERRAFORM_PLAN, Resource
from tutela.model.gcp import (
    ArtifactRepository,
    AuditConfig,
    BigQueryDataset,
    CloudFunction,
    CloudRunService,
    ComputeDisk,
    ComputeInstance,
    DnsManagedZone,
    Firewall,
    FirewallPermission,
    GkeCluster,
    GkeNodePool,
    IamBinding,
    IamGrant,
    KmsCryptoKey,
    KmsKeyRing,
    LoggingBucket,
    LogSink,
    ProjectMetadata,
    PubSubTopic,
    ServiceAccount,
    SqlDatabaseInstance,
    SslPolicy,
    StorageBucket,
    Subnetwork,
    TargetProxy,
)
from tutela.model.values import Location, PartialString, Reference, Unknown
from tutela.sources.adapting import (
    F,
    Locations,
    Targets,
    View,
    after_apply,
    as_flag,
    as_int,
    as_key,
    as_mapping,
    as_str,
    as_strs,
    as_upper,
    blocks,
    coalesce,
    common,
    present,
    read,
)
from tutela.sources.raw import RawResource

__all__ = ["PLAN_COMPUTED", "adapt_gcp"]

Builder = Callable[[RawResource, "_Scan"], list[Resource]]

# Optional+Computed attributes: in plan JSON they are "known after apply" when the
# configuration leaves them unset, so there an Unknown reads as unset (see View).
PLAN_COMPUTED: Mapping[str, frozenset[str]] = {
    "google_storage_bucket": frozenset({
        "public_access_prevention", "uniform_bucket_level_access", "versioning", "encryption",
        "retention_policy", "logging", "labels",
    }),
    "google_compute_instance": frozenset({
        "shielded_instance_config", "shielded_instance_config.enable_secure_boot",
        "shielded_instance_config.enable_vtpm",
        "shielded_instance_config.enable_integrity_monitoring", "confidential_instance_config",
        "service_account", "service_account.email", "metadata", "boot_disk.kms_key_self_link",
        "boot_disk.initialize_params", "boot_disk.initialize_params.image", "boot_disk.source",
        "can_ip_forward", "zone",
    }),
    "google_compute_instance_template": frozenset({
        "shielded_instance_config", "confidential_instance_config", "service_account",
        "service_account.email", "metadata", "can_ip_forward", "region",
    }),
    "google_compute_disk": frozenset({"disk_encryption_key", "zone", "labels"}),
    "google_compute_firewall": frozenset({
        "direction", "source_ranges", "source_tags", "source_service_accounts", "priority",
        "log_config", "disabled",
    }),
    "google_compute_subnetwork": frozenset({
        "log_config", "purpose", "private_ip_google_access", "region",
    }),
    "google_sql_database_instance": frozenset({
        "region", "settings.ip_configuration", "settings.ip_configuration.ipv4_enabled",
        "settings.ip_configuration.ssl_mode", "settings.ip_configuration.require_ssl",
        "settings.ip_configuration.authorized_networks", "settings.backup_configuration",
        "settings.backup_configuration.enabled",
        "settings.backup_configuration.point_in_time_recovery_enabled",
        "settings.backup_configuration.binary_log_enabled",
        "settings.backup_configuration.backup_retention_settings",
        "settings.availability_type", "settings.database_flags", "settings.user_labels",
        "settings.deletion_protection_enabled", "settings.edition", "encryption_key_name",
        "master_instance_name", "replica_configuration",
    }),
    "google_container_cluster": frozenset({
        "private_cluster_config", "private_cluster_config.enable_private_nodes",
        "private_cluster_config.enable_private_endpoint", "master_authorized_networks_config",
        "workload_identity_config", "enable_shielded_nodes", "enable_legacy_abac",
        "master_auth", "network_policy", "datapath_provider", "binary_authorization",
        "logging_service", "monitoring_service", "logging_config", "release_channel",
        "database_encryption", "node_config", "node_pool", "enable_autopilot",
        "resource_labels", "location",
    }),
    "google_container_node_pool": frozenset({
        "management", "management.auto_upgrade", "management.auto_repair", "node_config",
        "node_config.service_account", "node_config.shielded_instance_config",
        "node_config.workload_metadata_config", "location",
    }),
    "google_kms_crypto_key": frozenset({"version_template", "purpose", "rotation_period"}),
    "google_cloudfunctions_function": frozenset({
        "https_trigger_security_level", "ingress_settings", "environment_variables",
        "build_environment_variables", "kms_key_name", "vpc_connector", "region",
        "service_account_email", "trigger_http",
    }),
    "google_cloudfunctions2_function": frozenset({
        "service_config", "service_config.ingress_settings",
        "service_config.environment_variables", "service_config.vpc_connector",
        "service_config.service_account_email", "build_config.environment_variables",
        "kms_key_name",
    }),
    "google_cloud_run_service": frozenset({
        "metadata", "metadata.annotations", "metadata.labels", "template.metadata",
        "template.metadata.annotations", "template.spec.service_account_name",
    }),
    "google_cloud_run_v2_service": frozenset({
        "ingress", "template.encryption_key", "template.vpc_access", "template.service_account",
        "invoker_iam_disabled",
    }),
    "google_compute_ssl_policy": frozenset({"min_tls_version", "profile", "custom_features"}),
    "google_compute_region_ssl_policy": frozenset({"min_tls_version", "profile",
                                                   "custom_features"}),
    "google_compute_target_https_proxy": frozenset({"ssl_policy"}),
    "google_compute_region_target_https_proxy": frozenset({"ssl_policy"}),
    "google_compute_target_ssl_proxy": frozenset({"ssl_policy"}),
    "google_dns_managed_zone": frozenset({"visibility", "dnssec_config"}),
    "google_logging_project_bucket_config": frozenset({"retention_days", "locked"}),
    "google_bigquery_dataset": frozenset({
        "location", "access", "default_encryption_configuration",
    }),
    "google_pubsub_topic": frozenset({"kms_key_name"}),
    "google_artifact_registry_repository": frozenset({"kms_key_name", "location"}),
}

# --------------------------------------------------------------------------- targets

# Resources others point at: type -> (family, attribute holding the literal name).
_TARGET_TYPES: Mapping[str, tuple[tuple[str, ...], str]] = {
    "google_storage_bucket": (("bucket",), "name"),
    "google_kms_crypto_key": (("crypto_key",), "name"),
    "google_cloudfunctions_function": (("function",), "name"),
    "google_cloudfunctions2_function": (("function", "run"), "name"),  # gen2 runs on Cloud Run
    "google_cloud_run_service": (("run",), "name"),
    "google_cloud_run_v2_service": (("run",), "name"),
    "google_artifact_registry_repository": (("repository",), "repository_id"),
    "google_bigquery_dataset": (("dataset",), "dataset_id"),
    "google_pubsub_topic": (("topic",), "name"),
    "google_service_account": (("service_account",), "account_id"),
    "google_compute_url_map": (("url_map",), "name"),
    "google_compute_region_url_map": (("url_map",), "name"),
}
_FAMILIES = ("bucket", "crypto_key", "function", "run", "repository", "dataset", "topic",
             "service_account", "url_map")

# IAM resources by prefix (+ `_member`, `_binding`, `_policy`):
# (family folded into, or None; attribute naming the target; target kind for IamBinding).
_IAM: Mapping[str, tuple[str | None, str, str]] = {
    "google_project_iam": (None, "project", "project"),
    "google_folder_iam": (None, "folder", "folder"),
    "google_organization_iam": (None, "org_id", "organization"),
    "google_billing_account_iam": (None, "billing_account_id", "billing_account"),
    "google_storage_bucket_iam": ("bucket", "bucket", "storage_bucket"),
    "google_kms_crypto_key_iam": ("crypto_key", "crypto_key_id", "kms_crypto_key"),
    "google_kms_key_ring_iam": (None, "key_ring_id", "kms_key_ring"),
    "google_cloudfunctions_function_iam": ("function", "cloud_function", "cloud_function"),
    "google_cloudfunctions2_function_iam": ("function", "cloud_function", "cloud_function"),
    "google_cloud_run_service_iam": ("run", "service", "cloud_run_service"),
    "google_cloud_run_v2_service_iam": ("run", "name", "cloud_run_service"),
    "google_artifact_registry_repository_iam": (
        "repository", "repository", "artifact_registry_repository"),
    "google_bigquery_dataset_iam": ("dataset", "dataset_id", "bigquery_dataset"),
    "google_bigquery_table_iam": (None, "table_id", "bigquery_table"),
    "google_pubsub_topic_iam": ("topic", "topic", "pubsub_topic"),
    "google_pubsub_subscription_iam": (None, "subscription", "pubsub_subscription"),
    "google_secret_manager_secret_iam": (None, "secret_id", "secret_manager_secret"),
    "google_service_account_iam": (None, "service_account_id", "service_account"),
}
_IAM_TYPES: Mapping[str, tuple[str, str]] = {
    f"{prefix}_{style}": (prefix, style)
    for prefix in _IAM for style in ("member", "binding", "policy")
}

# Bucket and object ACL resources, folded into the bucket as `acl:<ROLE>` grants.
_ACL_TYPES = (
    "google_storage_bucket_acl", "google_storage_default_object_acl", "google_storage_object_acl",
    "google_storage_bucket_access_control", "google_storage_default_object_access_control",
    "google_storage_object_access_control",
)
_PREDEFINED_ACL = {
    "publicread": ("allUsers", "READER"),
    "publicreadwrite": ("allUsers", "WRITER"),
    "authenticatedread": ("allAuthenticatedUsers", "READER"),
}


@dataclass(frozen=True, slots=True)
class _Grant:
    grant: IamGrant
    location: Location


class _Scan:
    """What the build step needs to know about the whole scan."""

    def __init__(self) -> None:
        self.targets: dict[str, Targets] = {f: Targets() for f in _FAMILIES}
        self.by_address: dict[str, RawResource] = {}
        self.grants: dict[str, list[_Grant]] = {}
        self.orphans: dict[str, list[tuple[str, IamGrant]]] = {}  # raw address -> grants
        self.keys: dict[str, list[tuple[str, Location]]] = {}
        self.joined: set[str] = set()

    def view(self, raw: RawResource) -> View:
        return View(raw, PLAN_COMPUTED.get(raw.type, frozenset()))

    def resolve(self, family: str, value: Any, by: RawResource) -> str | Unknown | None:
        return self.targets[family].resolve(_pointer(value, family), by)


def _pointer(value: Any, family: str) -> Any:
    """A literal id (`projects/p/.../cryptoKeys/k`, `b/bucket`) reads as its last segment;
    a service account id (`projects/p/serviceAccounts/sa@p.iam...`) as the account id."""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, str):
        value = value.rstrip("/").rpartition("/")[2]
        if family == "service_account" and "@" in value:
            value = value.partition("@")[0]
    return value


def adapt_gcp(raw: Sequence[RawResource]) -> list[Resource]:
    """Normalized Google Cloud resources from the raw Terraform resources of one scan."""
    scan = _Scan()
    managed: list[RawResource] = []
    for r in raw:
        if not r.type.startswith("google_"):
            continue
        scan.by_address[r.address] = r
        if r.mode == "data":
            continue
        managed.append(r)
        entry = _TARGET_TYPES.get(r.type)
        if entry is not None:
            families, name_attr = entry
            name = scan.view(r).get(name_attr)
            for family in families:
                scan.targets[family].add(r, name)
    for r in managed:
        if r.type in _IAM_TYPES:
            _fold_iam(r, scan)
        elif r.type in _ACL_TYPES:
            _fold_acl(r, scan)
        elif r.type == "google_bigquery_dataset_access":
            _fold_dataset_access(r, scan)
        elif r.type == "google_service_account_key":
            _fold_key(r, scan)
    out: list[Resource] = []
    for r in managed:
        builder = _BUILDERS.get(r.type)
        if builder is not None:
            out.extend(builder(r, scan))
    return out


def _model(cls: type[Resource], raw: RawResource, view: View, locs: Locations,
           fields: Mapping[str, Any], *, labels: str | None = "labels") -> Resource:
    return cls(**common(raw, _labels(raw, view, labels)), **fields,
               field_locations=locs.freeze())


def _labels(raw: RawResource, view: View, path: str | None = "labels") -> Any:
    """The resource's labels. A plan also knows the provider's `default_labels`: its
    `terraform_labels` (labels merged with them) are used when known."""
    if path is None:
        return None
    if path == "labels" and raw.source == SOURCE_TERRAFORM_PLAN:
        merged = view.get("terraform_labels")
        if isinstance(merged, Mapping) and merged:
            return merged
    return view.get(path)


# --------------------------------------------------------------------------- coercion


_ZONE = re.compile(r"^([a-z]+(?:-[a-z]+)*\d+)-[a-z]$")


def _region(value: Any, what: str = "location") -> str | Unknown | None:
    """A location in lower case, a zone reduced to its region."""
    if value is None:
        return None
    if isinstance(value, Reference):
        return after_apply(value, what)
    text = as_str(value, None, what)
    if not isinstance(text, str):
        return text
    low = text.strip().lower()
    if not low:
        return None
    m = _ZONE.match(low)
    return m.group(1) if m else low


def _meta_flag(value: Any, what: str) -> bool | Unknown | None:
    """A metadata value used as a switch: TRUE/FALSE, true/false, 1/0 (None when unset)."""
    if value is None:
        return None
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "1", "yes", "on", "y"):
            return True
        if low in ("false", "0", "no", "off", "n", ""):
            return False
    return as_flag(value, False, what)


def _seconds(value: Any, default: Any = None, what: str = "") -> int | Unknown | None:
    """A duration such as `7776000s` (or `7776000.5s`) in whole seconds."""
    if value is None:
        return None
    if isinstance(value, str):
        m = re.match(r"^\s*(\d+)(?:\.\d+)?s?\s*$", value)
        if m:
            return int(m.group(1))
    return as_int(value, None, what)


def _role(value: Any) -> str | Unknown:
    role = as_str(value, None, "role")
    if role is None:
        return Unknown("role is not set")
    return role


# Computed attributes that always hold a service account member (`serviceAccount:...`):
# `google_service_account.x.member`, a log sink's `writer_identity`.
_MEMBER_ATTRIBUTES = ("member", "writer_identity")


def _members(value: Any, what: str = "members") -> tuple[str, ...] | Unknown:
    """IAM members. A partly known member whose type is known (`user:${var.email}`) is
    kept as its template: the rules judge member types, not addresses."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, PartialString):
            head = item.parts[0] if item.parts else None
            if isinstance(head, str) and ":" in head:
                out.append(item.template)
                continue
            return item
        if isinstance(item, Unknown):
            return item
        if isinstance(item, Reference):
            if item.attribute not in _MEMBER_ATTRIBUTES:
                return after_apply(item, what)
            out.append(f"serviceAccount:${{{item}}}")
        elif isinstance(item, str):
            out.append(item)
        else:
            return Unknown(f"{what}: expected text, got {type(item).__name__}")
    return tuple(out)


def _text(value: Any, what: str) -> Any:
    """Text for display: a reference by its address, a partly known string by its template."""
    if isinstance(value, Reference):
        return value.target
    if isinstance(value, PartialString):
        return value.template
    return as_str(value, None, what)


# --------------------------------------------------------------------------- IAM


def _fold_iam(raw: RawResource, scan: _Scan) -> None:
    """One IAM resource -> grants on its target (or IamBindings of its own)."""
    prefix, style = _IAM_TYPES[raw.type]
    family, pointer_attr, _kind = _IAM[prefix]
    view = scan.view(raw)
    grants = list(_grants_of(raw, view, style, scan))
    target: str | Unknown | None = None
    if family is not None:
        target = scan.resolve(family, view.get(pointer_attr), raw)
    if isinstance(target, str):
        loc = raw.attribute_locations.get("member") or raw.attribute_locations.get(
            "members") or raw.location
        scan.grants.setdefault(target, []).extend(_Grant(g, loc) for g in grants)
        scan.joined.add(raw.address)
    else:
        scan.orphans[raw.address] = [(raw.address, g) for g in grants]


def _grants_of(raw: RawResource, view: View, style: str, scan: _Scan) -> Iterable[IamGrant]:
    conditional = present(view.get("condition"))
    if style == "member":
        yield IamGrant(_role(view.get("role")), _members(view.get("member"), "member"),
                       granted_by=raw.address, conditional=conditional)
        return
    if style == "binding":
        yield IamGrant(_role(view.get("role")), _members(view.get("members")),
                       granted_by=raw.address, conditional=conditional)
        return
    yield from _policy_grants(raw, view.get("policy_data"), scan)


def _policy_grants(raw: RawResource, data: Any, scan: _Scan) -> Iterable[IamGrant]:
    """Bindings of an `*_iam_policy`'s `policy_data`: a `data.google_iam_policy`, or JSON."""
    bindings: Any = None
    if isinstance(data, Reference):
        source = scan.by_address.get(data.target)
        if source is not None and source.type == "google_iam_policy":
            bindings = View(source).blocks("binding")
            if not isinstance(bindings, Unknown):
                bindings = [{"role": b.get("role"), "members": b.get("members"),
                             "condition": b.get("condition")} for b in bindings]
    elif isinstance(data, Unknown):
        structure = getattr(data, "value", None)
        if isinstance(structure, Mapping):
            bindings = structure.get("bindings", [])
    elif isinstance(data, str):
        try:
            doc = json.loads(data)
        except ValueError:
            doc = None
        if isinstance(doc, Mapping):
            bindings = doc.get("bindings", [])
    if bindings is None or isinstance(bindings, Unknown) or not isinstance(bindings, list):
        why = bindings if isinstance(bindings, Unknown) else Unknown(
            f"{raw.address}: policy_data is not known before apply")
        yield IamGrant(why, why, granted_by=raw.address)
        return
    for b in bindings:
        if not isinstance(b, Mapping):
            continue
        yield IamGrant(_role(b.get("role")), _members(b.get("members")), granted_by=raw.address,
                       conditional=present(b.get("condition")))


def _fold_acl(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    grants: list[IamGrant] = []
    predefined = as_str(view.get("predefined_acl"), None, "predefined_acl")
    if isinstance(predefined, Unknown):
        grants.append(IamGrant("acl:predefined", predefined, granted_by=raw.address))
    elif isinstance(predefined, str) and predefined.lower() in _PREDEFINED_ACL:
        member, role = _PREDEFINED_ACL[predefined.lower()]
        grants.append(IamGrant(f"acl:{role}", (member,), granted_by=raw.address))
    entries = as_strs(view.get("role_entity"), (), "role_entity")
    if isinstance(entries, Unknown):
        grants.append(IamGrant("acl:role_entity", entries, granted_by=raw.address))
    else:
        for entry in entries:
            role, _, entity = entry.partition(":")
            grants.append(IamGrant(f"acl:{role.upper()}", (entity,), granted_by=raw.address))
    entity_value = view.get("entity")
    if entity_value is not None:
        entity_text = as_str(entity_value, None, "entity")
        role_value = as_upper(view.get("role"), "READER", "role")
        grants.append(IamGrant(f"acl:{role_value}" if isinstance(role_value, str) else "acl",
                               entity_text if isinstance(entity_text, Unknown)
                               else (str(entity_text),),
                               granted_by=raw.address))
    _attach(raw, scan, "bucket", view.get("bucket"), grants, "storage_bucket")


def _fold_dataset_access(raw: RawResource, scan: _Scan) -> None:
    view = scan.view(raw)
    grants = list(_access_grants([dict(raw.attributes)], raw.address))
    _attach(raw, scan, "dataset", view.get("dataset_id"), grants, "bigquery_dataset")


def _attach(raw: RawResource, scan: _Scan, family: str, pointer: Any, grants: list[IamGrant],
            kind: str) -> None:
    target = scan.resolve(family, pointer, raw)
    if isinstance(target, str):
        scan.grants.setdefault(target, []).extend(_Grant(g, raw.location) for g in grants)
        scan.joined.add(raw.address)
    else:
        scan.orphans[raw.address] = [(raw.address, g) for g in grants]


def _access_grants(blocks: Iterable[Mapping[str, Any]], by: str) -> Iterable[IamGrant]:
    """BigQuery `access` entries: `special_group`, `iam_member`, `user_by_email`..."""
    for block in blocks:
        role = _role(block.get("role"))
        for attr, prefix in (("special_group", ""), ("iam_member", ""), ("user_by_email", "user:"),
                             ("group_by_email", "group:"), ("domain", "domain:")):
            value = block.get(attr)
            if value is None:
                continue
            text = as_str(value, None, attr)
            members: tuple[str, ...] | Unknown = (
                text if isinstance(text, Unknown) else (f"{prefix}{text}",))
            yield IamGrant(role, members, granted_by=by)


def _fold_key(raw: RawResource, scan: _Scan) -> None:
    account = scan.resolve("service_account", scan.view(raw).get("service_account_id"), raw)
    if isinstance(account, str):
        scan.keys.setdefault(account, []).append((raw.address, raw.location))
        scan.joined.add(raw.address)


def _iam_fields(raw: RawResource, scan: _Scan, locs: Locations,
                extra: Sequence[tuple[IamGrant, Location]] = ()) -> tuple[IamGrant, ...]:
    """The grants folded into `raw`, with their paths (`iam[i]`) and locations."""
    out: list[IamGrant] = []
    found = [(g.grant, g.location) for g in scan.grants.get(raw.address, ())]
    for grant, loc in [*extra, *found]:
        path = f"iam[{len(out)}]"
        out.append(IamGrant(grant.role, grant.members, path, grant.granted_by, grant.conditional))
        locs.set(path, loc)
    return tuple(out)


def _iam_binding(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A hierarchy-level grant, or a resource-level one whose target is not in the scan."""
    if raw.address in scan.joined:
        return []
    prefix = _IAM_TYPES[raw.type][0] if raw.type in _IAM_TYPES else ""
    _family, pointer_attr, kind = _IAM.get(prefix, (None, "bucket", "storage_bucket"))
    if raw.type in _ACL_TYPES:
        pointer_attr, kind = "bucket", "storage_bucket"
    elif raw.type == "google_bigquery_dataset_access":
        pointer_attr, kind = "dataset_id", "bigquery_dataset"
    view = scan.view(raw)
    grants = scan.orphans.get(raw.address, [])
    target = _text(view.get(pointer_attr), pointer_attr)
    out: list[Resource] = []
    for i, (_, grant) in enumerate(grants):
        locs = Locations(raw)
        locs.attr("members", "member", "members", "policy_data", "role_entity", "entity",
                  "predefined_acl", "special_group", "iam_member")
        locs.attr("role", "role")
        locs.attr("target", pointer_attr)
        address = raw.address if len(grants) == 1 else f"{raw.address}/binding[{i}]"
        out.append(IamBinding(
            address=address, native_type=raw.type, source=raw.source, location=raw.location,
            name=raw.name or None, field_locations=locs.freeze(),
            target_kind=kind,
            target=target, role=grant.role, members=grant.members,
            conditional=grant.conditional,
        ))
    return out


def _service_account(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    keys = scan.keys.get(raw.address, [])
    if keys:
        locs.set("keys", keys[0][1])
    locs.attr("account_id", "account_id")
    return [_model(ServiceAccount, raw, view, locs, {
        "account_id": as_str(view.get("account_id"), None, "account_id"),
        "keys": tuple(k for k, _ in keys),
    })]


def _orphan_key(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A key for a service account not in the scan is judged on its own."""
    if raw.address in scan.joined:
        return []
    view = scan.view(raw)
    locs = Locations(raw)
    locs.set("keys", raw.location)
    account = _text(view.get("service_account_id"), "service_account_id")
    return [_model(ServiceAccount, raw, view, locs, {
        "account_id": account, "keys": (raw.address,), "declared": False,
    })]


def _audit_config(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    scope = raw.type.removeprefix("google_").partition("_iam_audit_config")[0]
    out: list[Resource] = []
    blocks = view.blocks("audit_log_config")
    locs = Locations(raw)
    locs.attr("log_types", "audit_log_config")
    locs.attr("exempted_members", "audit_log_config")
    locs.attr("service", "service")
    if isinstance(blocks, Unknown):
        log_types: tuple[str, ...] | Unknown = blocks
        exempted: tuple[str, ...] | Unknown = blocks
    else:
        types: list[str] = []
        members: list[str] = []
        log_types = exempted = ()
        for block in blocks:
            kind = as_upper(block.get("log_type"), None, "log_type")
            if isinstance(kind, Unknown):
                log_types = kind
                break
            if kind:
                types.append(kind)
            found = _members(block.get("exempted_members"), "exempted_members")
            if isinstance(found, Unknown):
                exempted = found
            else:
                members.extend(found)
        if not isinstance(log_types, Unknown):
            log_types = tuple(types)
        if not isinstance(exempted, Unknown):
            exempted = tuple(members)
    out.append(_model(AuditConfig, raw, view, locs, {
        "scope_kind": scope or "project",
        "service": as_str(view.get("service"), None, "service"),
        "log_types": log_types,
        "exempted_members": exempted,
    }))
    return out


# --------------------------------------------------------------------------- storage


def _bucket(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "bucket_name": F("name", as_str),
        "uniform_access": F("uniform_bucket_level_access", as_flag, False),
        "public_access_prevention": F("public_access_prevention", as_str, "inherited"),
        "versioning": F("versioning.enabled", as_flag, False),
        "kms_key": F("encryption.default_kms_key_name", as_key),
        "retention_period_seconds": F("retention_policy.retention_period", as_int),
        "retention_locked": F("retention_policy.is_locked", as_flag, False),
        "access_log_bucket": F("logging.log_bucket", _name_of),
    })
    fields["region"] = _region(view.get("location"))
    locs.attr("region", "location")
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(StorageBucket, raw, view, locs, fields)]


def _name_of(value: Any, default: Any = None, what: str = "") -> Any:
    if isinstance(value, Reference):
        return value.target
    return as_str(value, default, what)


def _dataset(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "dataset_id": F("dataset_id", as_str),
        "kms_key": F("default_encryption_configuration.kms_key_name", as_key),
    })
    fields["region"] = _region(coalesce(view.get("location"), "US"))  # provider default US
    locs.attr("region", "location")
    access = view.blocks("access")
    extra: list[tuple[IamGrant, Location]] = []
    loc = raw.attribute_locations.get("access", raw.location)
    if isinstance(access, Unknown):
        extra.append((IamGrant("access", access, granted_by=raw.address), loc))
    else:
        extra.extend((g, loc) for g in _access_grants(access, raw.address))
    fields["iam"] = _iam_fields(raw, scan, locs, extra)
    return [_model(BigQueryDataset, raw, view, locs, fields)]


def _topic(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {"kms_key": F("kms_key_name", as_key)})
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(PubSubTopic, raw, view, locs, fields)]


# --------------------------------------------------------------------------- compute


def _metadata_fields(view: View, locs: Locations, path: str = "metadata") -> dict[str, Any]:
    metadata = as_mapping(view.get(path), path)
    out: dict[str, Any] = {}
    for field, key in (("os_login", "enable-oslogin"), ("serial_port", "serial-port-enable"),
                       ("block_project_ssh_keys", "block-project-ssh-keys")):
        if isinstance(metadata, Unknown):
            out[field] = metadata
            locs.attr(field, path)
        elif metadata is not None and metadata.get(key) is not None:
            out[field] = _meta_flag(metadata.get(key), key)
            locs.attr(field, path)
        else:
            out[field] = None
    return out


def _service_account_fields(view: View, locs: Locations) -> dict[str, Any]:
    """No `service_account` block: no account; a block without email: the default one."""
    block = view.get("service_account")
    locs.attr("service_account", "service_account")
    locs.attr("scopes", "service_account")
    if not present(block):
        return {"service_account": None, "scopes": ()}
    if isinstance(block, Unknown):
        return {"service_account": block, "scopes": block}
    email = view.get("service_account.email")
    account = "default" if email is None else as_key(email, "default", "email")
    return {"service_account": account,
            "scopes": as_strs(view.get("service_account.scopes"), (), "scopes")}


def _public_ip(view: View) -> bool | Unknown:
    interfaces = view.blocks("network_interface")
    if isinstance(interfaces, Unknown):
        return interfaces
    for nic in interfaces:
        for attr in ("access_config", "ipv6_access_config"):
            value = nic.get(attr)
            if isinstance(value, Unknown):
                return value
            if present(value):
                return True
    return False


def _shielded(view: View, locs: Locations, prefix: str = "shielded_instance_config"
              ) -> dict[str, Any]:
    locs.attr("secure_boot", prefix)
    locs.attr("vtpm", prefix)
    locs.attr("integrity_monitoring", prefix)
    return {
        "secure_boot": as_flag(view.get(f"{prefix}.enable_secure_boot"), False, "secure_boot"),
        "vtpm": as_flag(view.get(f"{prefix}.enable_vtpm"), True, "enable_vtpm"),
        "integrity_monitoring": as_flag(view.get(f"{prefix}.enable_integrity_monitoring"), True,
                                        "enable_integrity_monitoring"),
    }


def _instance(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    template = raw.type != "google_compute_instance"
    fields: dict[str, Any] = {"is_template": template}
    fields.update(_metadata_fields(view, locs))
    fields.update(_service_account_fields(view, locs))
    fields.update(_shielded(view, locs))
    fields["confidential"] = as_flag(
        view.get("confidential_instance_config.enable_confidential_compute"), False,
        "enable_confidential_compute")
    fields["ip_forwarding"] = as_flag(view.get("can_ip_forward"), False, "can_ip_forward")
    fields["public_ip"] = _public_ip(view)
    locs.attr("confidential", "confidential_instance_config")
    locs.attr("ip_forwarding", "can_ip_forward")
    locs.attr("public_ip", "network_interface")
    disks: list[Resource] = []
    if template:
        fields["region"] = _region(view.get("region"), "region")
        locs.attr("region", "region")
        boot = None
        found = view.blocks("disk")
        for i, disk in enumerate(found if isinstance(found, list) else []):
            if as_flag(disk.get("boot"), False, "boot") is True:
                boot = disk
            disks.extend(_inline_disk(raw, view, f"disk[{i}]", "disk", disk,
                                      kms="disk_encryption_key.kms_key_self_link"))
        image = boot.get("source_image") if boot is not None else None
    else:
        fields["region"] = _region(view.get("zone"), "zone")
        locs.attr("region", "zone")
        image = view.get("boot_disk.initialize_params.image")
        boot_disk = view.get("boot_disk")
        if isinstance(boot_disk, Mapping) or (
                isinstance(boot_disk, list) and boot_disk and isinstance(boot_disk[0], Mapping)):
            block = boot_disk[0] if isinstance(boot_disk, list) else boot_disk
            disks.extend(_inline_disk(raw, view, "boot_disk", "boot_disk", block,
                                      kms="kms_key_self_link", csek="disk_encryption_key_raw"))
    fields["image"] = as_str(image, None, "image")
    locs.attr("image", "boot_disk", "disk")
    return [_model(ComputeInstance, raw, view, locs, fields), *disks]


def _inline_disk(raw: RawResource, view: View, path: str, attr: str, disk: Mapping[str, Any],
                 *, kms: str, csek: str | None = None) -> list[Resource]:
    """The disk an instance (or template) creates; one attached from a `source` disk is
    judged where that disk is declared."""
    sub = View(RawResource(raw.address, raw.type, raw.mode, disk, raw.location, raw.source),
               frozenset({"source", kms}))
    source = sub.get("source")
    if source is not None and not (isinstance(source, str) and not source):
        return []
    loc = raw.attribute_locations.get(attr, raw.location)
    supplied = coalesce(sub.get(csek) if csek else None,
                        sub.get("disk_encryption_key.raw_key"),
                        sub.get("disk_encryption_key.rsa_encrypted_key"))
    # The disk holds what the instance holds: its labels, then the disk's own.
    labels = _labels(raw, view)
    disk_labels = coalesce(sub.get("labels"), sub.get("initialize_params.labels"))
    if isinstance(labels, Mapping) and isinstance(disk_labels, Mapping):
        labels = {**labels, **disk_labels}
    else:
        labels = coalesce(disk_labels, labels)
    return [ComputeDisk(
        address=f"{raw.address}/{path}", native_type=raw.type, source=raw.source, location=loc,
        field_locations={"kms_key": loc, "customer_supplied": loc}, name=raw.name or None,
        tags=common(raw, labels)["tags"],
        kms_key=as_key(sub.get(kms)),
        customer_supplied=supplied if isinstance(supplied, Unknown) else supplied is not None,
        attached_to=raw.address,
    )]


def _disk(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {
        "kms_key": as_key(view.get("disk_encryption_key.kms_key_self_link")),
        "customer_supplied": present(coalesce(
            view.get("disk_encryption_key.raw_key"),
            view.get("disk_encryption_key.rsa_encrypted_key"))),
        "region": _region(coalesce(view.get("zone"), view.get("region")), "zone"),
    }
    locs.attr("kms_key", "disk_encryption_key")
    locs.attr("customer_supplied", "disk_encryption_key")
    locs.attr("region", "zone", "region")
    return [_model(ComputeDisk, raw, view, locs, fields)]


def _project_metadata(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    if raw.type == "google_compute_project_metadata_item":
        key = as_str(view.get("key"), None, "key")
        if isinstance(key, Unknown):
            fields = {f: key for f in ("os_login", "serial_port", "block_project_ssh_keys")}
        else:
            metadata = {key: view.get("value")} if key else {}
            sub = View(RawResource(raw.address, raw.type, raw.mode, {"metadata": metadata},
                                   raw.location, raw.source))
            fields = _metadata_fields(sub, Locations(raw))
        for name in fields:
            locs.attr(name, "value")
    else:
        fields = _metadata_fields(view, locs)
    return [_model(ProjectMetadata, raw, view, locs, fields)]


# --------------------------------------------------------------------------- network


def _permissions(blocks: list[Mapping[str, Any]] | Unknown, proto: str, ports: str,
                 path: str, start: int = 0) -> tuple[FirewallPermission, ...] | Unknown:
    if isinstance(blocks, Unknown):
        return blocks
    out: list[FirewallPermission] = []
    for i, block in enumerate(blocks):
        protocol = as_str(block.get(proto), Unknown(f"{proto} is not set"), proto)
        assert protocol is not None
        out.append(FirewallPermission(
            protocol=protocol.lower() if isinstance(protocol, str) else protocol,
            ports=as_strs(block.get(ports), (), ports),
            path=f"{path}[{start + i}]",
        ))
    return tuple(out)


def _firewall(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    allow = view.blocks("allow")
    deny = view.blocks("deny")
    action = "allow" if present(allow) or not present(deny) else "deny"
    blocks = allow if action == "allow" else deny
    permissions = _permissions(blocks, "protocol", "ports", "permissions")
    if not isinstance(permissions, Unknown):
        for i, _ in enumerate(permissions):
            locs.attr(f"permissions[{i}]", action)
    locs.attr("permissions", action)
    ranges = as_strs(view.get("source_ranges"), (), "source_ranges")
    named = _any_set(view, "source_tags", "source_service_accounts")
    fields: dict[str, Any] = {
        "direction": as_upper(view.get("direction"), "INGRESS", "direction"),
        "action": action,
        "disabled": as_flag(view.get("disabled"), False, "disabled"),
        "source_ranges": ranges,
        "sources_set": named,
        "permissions": permissions,
        "logging": _firewall_logging(view),
        "priority": as_int(view.get("priority"), 1000, "priority"),
    }
    for name, attr in (("direction", "direction"), ("disabled", "disabled"),
                       ("source_ranges", "source_ranges"), ("logging", "log_config"),
                       ("priority", "priority")):
        locs.attr(name, attr)
    return [_model(Firewall, raw, view, locs, fields)]


def _any_set(view: View, *attrs: str) -> bool | Unknown:
    """True when any of `attrs` holds a non-empty list (Unknown when one is not known)."""
    unknown: Unknown | None = None
    for attr in attrs:
        value = view.get(attr)
        if isinstance(value, Unknown):
            unknown = value
        elif isinstance(value, Reference | list | tuple | str) and value:
            return True
    return unknown if unknown is not None else False


def _firewall_logging(view: View) -> bool | Unknown:
    """A `log_config` block turns logging on (the deprecated `enable_logging` too)."""
    block = view.get("log_config")
    if isinstance(block, Unknown):
        return block
    if present(block):
        return True
    return as_flag(view.get("enable_logging"), False, "enable_logging")


def _policy_rule(raw: RawResource, scan: _Scan) -> list[Resource]:
    """A firewall policy rule (hierarchical, global or regional network policy)."""
    view = scan.view(raw)
    locs = Locations(raw)
    direction = as_upper(view.get("direction"), Unknown("direction is not set"), "direction")
    match = "match"
    configs = view.blocks(f"{match}.layer4_configs")
    permissions = _permissions(configs, "ip_protocol", "ports", "permissions")
    v4 = as_strs(view.get(f"{match}.src_ip_ranges"), (), "src_ip_ranges")
    named = _any_set(view, f"{match}.src_secure_tags", f"{match}.src_address_groups",
                     f"{match}.src_fqdns", f"{match}.src_region_codes",
                     f"{match}.src_threat_intelligences", f"{match}.src_network_scope",
                     f"{match}.src_networks")
    action = as_str(view.get("action"), Unknown("action is not set"), "action")
    fields: dict[str, Any] = {
        "direction": direction,
        "action": action.lower() if isinstance(action, str) else action,
        "disabled": as_flag(view.get("disabled"), False, "disabled"),
        "source_ranges": v4,
        "sources_set": named,
        "permissions": permissions,
        "logging": as_flag(view.get("enable_logging"), False, "enable_logging"),
        "priority": as_int(view.get("priority"), None, "priority"),
    }
    for name, attr in (("direction", "direction"), ("disabled", "disabled"),
                       ("source_ranges", "match"), ("permissions", "match"),
                       ("logging", "enable_logging"), ("priority", "priority"),
                       ("action", "action")):
        locs.attr(name, attr)
    return [_model(Firewall, raw, view, locs, fields)]


def _subnetwork(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    log_config = view.get("log_config")
    fields: dict[str, Any] = {
        "flow_logs": log_config if isinstance(log_config, Unknown) else present(log_config),
        "purpose": as_upper(view.get("purpose"), "PRIVATE", "purpose"),
        "private_google_access": as_flag(view.get("private_ip_google_access"), False,
                                         "private_ip_google_access"),
        "region": _region(view.get("region"), "region"),
    }
    for name, attr in (("flow_logs", "log_config"), ("purpose", "purpose"),
                       ("private_google_access", "private_ip_google_access"),
                       ("region", "region")):
        locs.attr(name, attr)
    return [_model(Subnetwork, raw, view, locs, fields)]


# --------------------------------------------------------------------------- Cloud SQL


def _sql(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    s = "settings"
    ip = f"{s}.ip_configuration"
    backup = f"{s}.backup_configuration"
    fields = read(view, locs, {
        "database_version": F("database_version", as_str),
        "ipv4_enabled": F(f"{ip}.ipv4_enabled", as_flag, True),
        "private_network": F(f"{ip}.private_network", as_key),
        "ssl_mode": F(f"{ip}.ssl_mode", as_upper),
        "require_ssl": F(f"{ip}.require_ssl", as_flag),
        "backups_enabled": F(f"{backup}.enabled", as_flag, False),
        "binary_log": F(f"{backup}.binary_log_enabled", as_flag, False),
        "retained_backups": F(f"{backup}.backup_retention_settings.retained_backups", as_int, 7),
        "retention_unit": F(f"{backup}.backup_retention_settings.retention_unit", as_upper,
                            "COUNT"),
        "availability_type": F(f"{s}.availability_type", as_upper, "ZONAL"),
        "deletion_protection": F("deletion_protection", as_flag, True),
        "deletion_protection_api": F(f"{s}.deletion_protection_enabled", as_flag, False),
        "kms_key": F("encryption_key_name", as_key),
    })
    pitr = view.get(f"{backup}.point_in_time_recovery_enabled")
    edition = as_upper(view.get(f"{s}.edition"), "ENTERPRISE", "edition")
    if pitr is None and edition == "ENTERPRISE_PLUS":
        fields["point_in_time_recovery"] = Unknown(
            "point-in-time recovery is left to the Enterprise Plus edition's default")
    else:
        fields["point_in_time_recovery"] = as_flag(pitr, False, "point_in_time_recovery_enabled")
    master = view.get("master_instance_name")
    fields["is_replica"] = present(master)
    fields["region"] = _region(view.get("region"), "region")
    networks = view.blocks(f"{ip}.authorized_networks")
    if isinstance(networks, Unknown):
        fields["authorized_networks"] = networks
    else:
        values: list[Any] = [n.get("value") for n in networks]
        fields["authorized_networks"] = as_strs(values, (), "authorized_networks")
    fields["flags"] = _flags(view.blocks(f"{s}.database_flags"))
    for name in ("authorized_networks", "ssl_mode", "require_ssl", "ipv4_enabled"):
        locs.attr(name, s)
    for name in ("backups_enabled", "binary_log", "point_in_time_recovery", "retained_backups",
                 "availability_type", "flags", "deletion_protection_api"):
        locs.attr(name, s)
    locs.attr("deletion_protection", "deletion_protection")
    locs.attr("region", "region")
    locs.attr("is_replica", "master_instance_name")
    return [_model(SqlDatabaseInstance, raw, view, locs, fields, labels=f"{s}.user_labels")]


def _flags(blocks: list[Mapping[str, Any]] | Unknown) -> Mapping[str, str] | Unknown:
    if isinstance(blocks, Unknown):
        return blocks
    out: dict[str, str] = {}
    for block in blocks:
        name = as_str(block.get("name"), None, "name")
        value = as_str(block.get("value"), None, "value")
        if isinstance(name, Unknown):
            return name
        if name is None:
            continue
        if isinstance(value, Unknown):
            return Unknown(f"database flag {name} is not known before apply")
        out[name.lower()] = (value or "").strip().lower()
    return MappingProxyType(out)


# --------------------------------------------------------------------------- GKE


def _cluster(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "autopilot": F("enable_autopilot", as_flag, False),
        "private_nodes": F("private_cluster_config.enable_private_nodes", as_flag, False),
        "private_endpoint": F("private_cluster_config.enable_private_endpoint", as_flag, False),
        "public_cidrs_access": F(
            "master_authorized_networks_config.gcp_public_cidrs_access_enabled", as_flag, False),
        "workload_pool": F("workload_identity_config.workload_pool", as_str,
                           alt="workload_identity_config.identity_namespace"),
        "shielded_nodes": F("enable_shielded_nodes", as_flag, True),
        "legacy_abac": F("enable_legacy_abac", as_flag, False),
        "client_certificate": F(
            "master_auth.client_certificate_config.issue_client_certificate", as_flag, False),
        "network_policy": F("network_policy.enabled", as_flag, False),
        "logging_service": F("logging_service", as_str, "logging.googleapis.com/kubernetes"),
        "monitoring_service": F("monitoring_service", as_str,
                                "monitoring.googleapis.com/kubernetes"),
        "release_channel": F("release_channel.channel", as_upper),
        "secrets_encryption": F("database_encryption.state", as_upper, "DECRYPTED"),
        "secrets_key": F("database_encryption.key_name", as_key),
    })
    fields["region"] = _region(view.get("location"))
    locs.attr("region", "location")
    man = view.get("master_authorized_networks_config")
    locs.attr("master_authorized_networks", "master_authorized_networks_config")
    if isinstance(man, Unknown):
        fields["master_authorized_networks"] = man
    elif present(man):
        blocks = view.blocks("master_authorized_networks_config.cidr_blocks")
        fields["master_authorized_networks"] = blocks if isinstance(blocks, Unknown) else as_strs(
            [b.get("cidr_block") for b in blocks], (), "cidr_block")
    else:
        fields["master_authorized_networks"] = None
    username = as_str(view.get("master_auth.username"), "", "username")
    fields["basic_auth"] = username if isinstance(username, Unknown) else bool(username)
    locs.attr("basic_auth", "master_auth")
    datapath = as_upper(view.get("datapath_provider"), None, "datapath_provider")
    fields["dataplane_v2"] = datapath if isinstance(datapath, Unknown) else (
        datapath == "ADVANCED_DATAPATH")
    locs.attr("dataplane_v2", "datapath_provider")
    fields["binary_authorization"] = _binauthz(view, locs)
    components = view.get("logging_config.enable_components")
    fields["logging_components"] = None if components is None else as_strs(
        components, (), "enable_components")
    locs.attr("logging_components", "logging_config")
    cluster = _model(GkeCluster, raw, view, locs, fields, labels="resource_labels")
    pools: list[Resource] = []
    inline = view.blocks("node_pool")
    autopilot = fields["autopilot"]
    if isinstance(inline, list) and inline:
        for i, block in enumerate(inline):
            pools.append(_pool_from(raw, view, block, f"node_pool[{i}]", "node_pool", scan,
                                    cluster_name=_name_text(view.get("name"))))
    elif autopilot is False and isinstance(inline, list):
        removed = as_flag(view.get("remove_default_node_pool"), False, "remove_default_node_pool")
        if removed is False:
            block = {"node_config": view.get("node_config")}
            pools.append(_pool_from(raw, view, block, "default_node_pool", "node_config", scan,
                                    cluster_name=_name_text(view.get("name")), default=True))
    return [cluster, *pools]


def _name_text(value: Any) -> str | None:
    text = as_str(value, None, "name")
    return text if isinstance(text, str) else None


def _binauthz(view: View, locs: Locations) -> Any:
    locs.attr("binary_authorization", "binary_authorization", "enable_binary_authorization")
    mode = view.get("binary_authorization.evaluation_mode")
    if mode is not None:
        return as_upper(mode, "DISABLED", "evaluation_mode")
    enabled = coalesce(view.get("binary_authorization.enabled"),
                       view.get("enable_binary_authorization"))
    flag = as_flag(enabled, False, "binary_authorization.enabled")
    if isinstance(flag, Unknown):
        return flag
    return "PROJECT_SINGLETON_POLICY_ENFORCE" if flag else "DISABLED"


def _pool_from(raw: RawResource, view: View, block: Mapping[str, Any], path: str, attr: str,
               scan: _Scan, *, cluster_name: str | None, default: bool = False) -> Resource:
    computed = PLAN_COMPUTED["google_container_node_pool"]
    sub = View(RawResource(raw.address, raw.type, raw.mode, block, raw.location, raw.source),
               computed)
    loc = raw.attribute_locations.get(attr, raw.location)
    fields = _pool_fields(sub)
    return GkeNodePool(
        address=f"{raw.address}/{path}", native_type=raw.type, source=raw.source, location=loc,
        field_locations={k: loc for k in fields}, name=raw.name or None,
        tags=common(raw, view.get("resource_labels"))["tags"], cluster=cluster_name,
        is_default=default, **fields,
    )


def _pool_fields(view: View) -> dict[str, Any]:
    nc = "node_config"
    return {
        "auto_upgrade": as_flag(view.get("management.auto_upgrade"), True, "auto_upgrade"),
        "auto_repair": as_flag(view.get("management.auto_repair"), True, "auto_repair"),
        "service_account": as_key(view.get(f"{nc}.service_account")),
        "secure_boot": as_flag(view.get(f"{nc}.shielded_instance_config.enable_secure_boot"),
                               False, "enable_secure_boot"),
        "integrity_monitoring": as_flag(
            view.get(f"{nc}.shielded_instance_config.enable_integrity_monitoring"), True,
            "enable_integrity_monitoring"),
        "workload_metadata": as_upper(coalesce(
            view.get(f"{nc}.workload_metadata_config.mode"),
            view.get(f"{nc}.workload_metadata_config.node_metadata")), None, "mode"),
    }


def _node_pool(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = _pool_fields(view)
    for name, attr in (("auto_upgrade", "management"), ("auto_repair", "management"),
                       ("service_account", "node_config"), ("secure_boot", "node_config"),
                       ("integrity_monitoring", "node_config"),
                       ("workload_metadata", "node_config")):
        locs.attr(name, attr)
    cluster = view.get("cluster")
    fields["cluster"] = cluster.target if isinstance(cluster, Reference) else as_str(
        cluster, None, "cluster")
    fields["region"] = _region(view.get("location"))
    locs.attr("region", "location")
    return [_model(GkeNodePool, raw, view, locs, fields, labels="node_config.resource_labels")]


# --------------------------------------------------------------------------- KMS


def _crypto_key(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "purpose": F("purpose", as_upper, "ENCRYPT_DECRYPT"),
        "rotation_period_seconds": F("rotation_period", _seconds),
        "protection_level": F("version_template.protection_level", as_upper, "SOFTWARE"),
        "key_ring": F("key_ring", as_key),
    })
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(KmsCryptoKey, raw, view, locs, fields)]


def _key_ring(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    locs.attr("region", "location")
    return [_model(KmsKeyRing, raw, view, locs, {"region": _region(view.get("location"))})]


# --------------------------------------------------------------------------- serverless

_INGRESS = {
    "allow_all": "all", "all": "all", "ingress_traffic_all": "all",
    "allow_internal_only": "internal", "internal": "internal",
    "ingress_traffic_internal_only": "internal",
    "allow_internal_and_gclb": "internal-and-gclb",
    "internal-and-cloud-load-balancing": "internal-and-gclb",
    "ingress_traffic_internal_load_balancer": "internal-and-gclb",
}


def _ingress(value: Any, what: str) -> str | Unknown:
    text = as_str(value, "all", what)
    if not isinstance(text, str):
        return text if isinstance(text, Unknown) else "all"
    return _INGRESS.get(text.strip().lower(), text.strip().lower())


def _env(*values: Any) -> Mapping[str, object] | Unknown | None:
    """Literal environment variables from one or more maps (None when none is set)."""
    out: dict[str, object] = {}
    seen = False
    for value in values:
        if value is None:
            continue
        seen = True
        found = as_mapping(value, "environment_variables")
        if isinstance(found, Unknown):
            return found
        if found:
            out.update(found)
    return MappingProxyType(out) if seen else None


def _function(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    if raw.type == "google_cloudfunctions_function":
        http = as_flag(view.get("trigger_http"), False, "trigger_http")
        level = as_upper(view.get("https_trigger_security_level"), "SECURE_OPTIONAL",
                         "https_trigger_security_level")
        fields: dict[str, Any] = {
            "generation": 1,
            "http_trigger": http,
            "https_only": level if isinstance(level, Unknown) else level == "SECURE_ALWAYS",
            "ingress": _ingress(view.get("ingress_settings"), "ingress_settings"),
            "environment": _env(view.get("environment_variables"),
                                view.get("build_environment_variables")),
            "kms_key": as_key(view.get("kms_key_name")),
            "vpc_connector": as_key(view.get("vpc_connector")),
            "service_account": as_key(view.get("service_account_email")),
            "region": _region(view.get("region"), "region"),
        }
        for name, attr in (("http_trigger", "trigger_http"),
                           ("https_only", "https_trigger_security_level"),
                           ("ingress", "ingress_settings"),
                           ("environment", "environment_variables"),
                           ("kms_key", "kms_key_name"), ("vpc_connector", "vpc_connector"),
                           ("region", "region")):
            locs.attr(name, attr)
        if not locs.attr("environment", "environment_variables"):
            locs.attr("environment", "build_environment_variables")
    else:
        sc = "service_config"
        fields = {
            "generation": 2,
            "http_trigger": not present(view.get("event_trigger")),
            "https_only": True,  # 2nd gen functions are served over HTTPS only
            "ingress": _ingress(view.get(f"{sc}.ingress_settings"), "ingress_settings"),
            "environment": _env(view.get(f"{sc}.environment_variables"),
                                view.get("build_config.environment_variables")),
            "kms_key": as_key(view.get("kms_key_name")),
            "vpc_connector": as_key(view.get(f"{sc}.vpc_connector")),
            "service_account": as_key(view.get(f"{sc}.service_account_email")),
            "region": _region(view.get("location")),
        }
        for name, attr in (("ingress", sc), ("environment", sc), ("vpc_connector", sc),
                           ("kms_key", "kms_key_name"), ("region", "location")):
            locs.attr(name, attr)
        if fields["environment"] is not None and not locs.attr("environment", sc):
            locs.attr("environment", "build_config")
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(CloudFunction, raw, view, locs, fields)]


def _run_env(containers: list[Mapping[str, Any]] | Unknown) -> Mapping[str, object] | Unknown:
    if isinstance(containers, Unknown):
        return containers
    out: dict[str, object] = {}
    for container in containers:
        envs = blocks(container.get("env"), "env")
        if isinstance(envs, Unknown):
            return envs
        for env in envs:
            name = as_str(env.get("name"), None, "name")
            if not isinstance(name, str):
                continue
            value = env.get("value")
            if value is not None:
                out[name] = value if isinstance(value, Unknown | str) else str(value)
    return MappingProxyType(out)


def _run_v1(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    annotations = as_mapping(view.get("metadata.annotations"), "metadata.annotations")
    ingress: Any = "all"
    if isinstance(annotations, Unknown):
        ingress = annotations
    elif annotations is not None and annotations.get("run.googleapis.com/ingress") is not None:
        ingress = _ingress(annotations.get("run.googleapis.com/ingress"), "ingress")
    template = as_mapping(view.get("template.metadata.annotations"), "template annotations")
    key: Any = None
    connector: Any = None
    if isinstance(template, Unknown):
        key = connector = template
    elif template is not None:
        key = as_key(template.get("run.googleapis.com/encryption-key"))
        connector = as_key(template.get("run.googleapis.com/vpc-access-connector"))
    fields: dict[str, Any] = {
        "ingress": ingress,
        "environment": _run_env(view.blocks("template.spec.containers")),
        "kms_key": key,
        "vpc_connector": connector,
        "service_account": as_key(view.get("template.spec.service_account_name")),
        "region": _region(view.get("location")),
    }
    for name, attr in (("ingress", "metadata"), ("environment", "template"),
                       ("kms_key", "template"), ("vpc_connector", "template"),
                       ("service_account", "template"), ("region", "location")):
        locs.attr(name, attr)
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(CloudRunService, raw, view, locs, fields, labels="metadata.labels")]


def _run_v2(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields: dict[str, Any] = {
        "ingress": _ingress(view.get("ingress"), "ingress"),
        "environment": _run_env(view.blocks("template.containers")),
        "kms_key": as_key(view.get("template.encryption_key")),
        "vpc_connector": as_key(coalesce(view.get("template.vpc_access.connector"),
                                            view.get("template.vpc_access.network_interfaces"))),
        "service_account": as_key(view.get("template.service_account")),
        "public_invoker": as_flag(view.get("invoker_iam_disabled"), False,
                                  "invoker_iam_disabled"),
        "region": _region(view.get("location")),
    }
    for name, attr in (("ingress", "ingress"), ("environment", "template"),
                       ("kms_key", "template"), ("vpc_connector", "template"),
                       ("service_account", "template"), ("public_invoker", "invoker_iam_disabled"),
                       ("region", "location")):
        locs.attr(name, attr)
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(CloudRunService, raw, view, locs, fields)]


def _repository(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "format": F("format", as_upper),
        "kms_key": F("kms_key_name", as_key),
    })
    fields["region"] = _region(view.get("location"))
    locs.attr("region", "location")
    fields["iam"] = _iam_fields(raw, scan, locs)
    return [_model(ArtifactRepository, raw, view, locs, fields)]


# --------------------------------------------------------------------------- TLS, LB, DNS


def _ssl_policy(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "min_tls_version": F("min_tls_version", as_upper, "TLS_1_0"),
        "profile": F("profile", as_upper, "COMPATIBLE"),
        "custom_features": F("custom_features", as_strs, ()),
    })
    fields["region"] = _region(view.get("region"), "region")
    locs.attr("region", "region")
    return [_model(SslPolicy, raw, view, locs, fields)]


_PROXY_PROTOCOL = {
    "google_compute_target_https_proxy": "HTTPS",
    "google_compute_region_target_https_proxy": "HTTPS",
    "google_compute_target_ssl_proxy": "SSL",
    "google_compute_target_http_proxy": "HTTP",
    "google_compute_region_target_http_proxy": "HTTP",
}


def _proxy(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    protocol = _PROXY_PROTOCOL[raw.type]
    fields: dict[str, Any] = {
        "protocol": protocol,
        "ssl_policy": as_key(view.get("ssl_policy")),
        "url_map": as_key(view.get("url_map")),
        "redirects_to_https": False,
    }
    locs.attr("ssl_policy", "ssl_policy")
    locs.attr("url_map", "url_map")
    if protocol == "HTTP":
        fields["redirects_to_https"] = _redirects(view.get("url_map"), raw, scan, locs)
    return [_model(TargetProxy, raw, view, locs, fields, labels=None)]


def _redirects(pointer: Any, raw: RawResource, scan: _Scan, locs: Locations) -> bool | Unknown:
    """The HTTP proxy's URL map redirects every request to HTTPS (its default redirect)."""
    target = scan.targets["url_map"].get(scan.resolve("url_map", pointer, raw))
    locs.attr("redirects_to_https", "url_map")
    if target is None:
        return Unknown("the URL map is not in this scan")
    uview = scan.view(target)
    flag = as_flag(uview.get("default_url_redirect.https_redirect"), False, "https_redirect")
    locs.set("redirects_to_https", target.attribute_locations.get(
        "default_url_redirect", target.location))
    if flag is not True:
        return flag
    # A redirect map with host rules or path matchers may still serve some paths over HTTP.
    if present(uview.get("path_matcher")) or present(uview.get("host_rule")):
        return Unknown("the URL map's path matchers decide some routes")
    return True


def _dns_zone(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "visibility": F("visibility", as_str, "public"),
        "dnssec_state": F("dnssec_config.state", as_str, "off"),
    })
    specs = view.blocks("dnssec_config.default_key_specs")
    fields["key_algorithms"] = specs if isinstance(specs, Unknown) else as_strs(
        [s.get("algorithm") for s in specs if s.get("algorithm") is not None], (), "algorithm")
    locs.attr("dnssec_state", "dnssec_config")
    locs.attr("key_algorithms", "dnssec_config")
    return [_model(DnsManagedZone, raw, view, locs, fields)]


# --------------------------------------------------------------------------- logging


def _log_bucket(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    fields = read(view, locs, {
        "bucket_id": F("bucket_id", as_str),
        "retention_days": F("retention_days", as_int, 30),
        "locked": F("locked", as_flag, False),
        "kms_key": F("cmek_settings.kms_key_name", as_key),
    })
    # `_Default` and `_Required` exist from the project's creation, where the
    # organisation's default settings placed them: their configuration cannot move them.
    bucket_id = fields["bucket_id"]
    system = isinstance(bucket_id, str) and bucket_id.startswith("_")
    fields["region"] = None if system else _region(view.get("location"))
    locs.attr("region", "location")
    return [_model(LoggingBucket, raw, view, locs, fields, labels=None)]


def _sink(raw: RawResource, scan: _Scan) -> list[Resource]:
    view = scan.view(raw)
    locs = Locations(raw)
    destination = view.get("destination")
    if isinstance(destination, PartialString):
        text: Any = destination.template
    else:
        text = as_str(destination, None, "destination")
    if isinstance(text, str):
        text = _bucket_destination(text, raw, scan)
    fields: dict[str, Any] = {
        "destination": text,
        "filter": as_str(view.get("filter"), None, "filter"),
        "disabled": as_flag(view.get("disabled"), False, "disabled"),
    }
    locs.attr("destination", "destination")
    locs.attr("filter", "filter")
    return [_model(LogSink, raw, view, locs, fields, labels=None)]


_TEMPLATE_REF = re.compile(r"^\$\{([^}]+)\}$")


def _bucket_destination(text: str, raw: RawResource, scan: _Scan) -> str:
    """`storage.googleapis.com/${google_storage_bucket.logs.name}` names the bucket by address."""
    prefix = "storage.googleapis.com/"
    if not text.startswith(prefix):
        return text
    rest = text[len(prefix):]
    m = _TEMPLATE_REF.match(rest)
    if m:
        ref = m.group(1)
        target, _, _attr = ref.rpartition(".")
        found = scan.targets["bucket"].resolve(Reference(target or ref, None), raw)
        if isinstance(found, str):
            return prefix + found
    return text


# --------------------------------------------------------------------------- dispatch


_BUILDERS: Mapping[str, Builder] = {
    "google_storage_bucket": _bucket,
    "google_bigquery_dataset": _dataset,
    "google_pubsub_topic": _topic,
    "google_compute_instance": _instance,
    "google_compute_instance_template": _instance,
    "google_compute_region_instance_template": _instance,
    "google_compute_disk": _disk,
    "google_compute_region_disk": _disk,
    "google_compute_project_metadata": _project_metadata,
    "google_compute_project_metadata_item": _project_metadata,
    "google_compute_firewall": _firewall,
    "google_compute_firewall_policy_rule": _policy_rule,
    "google_compute_network_firewall_policy_rule": _policy_rule,
    "google_compute_region_network_firewall_policy_rule": _policy_rule,
    "google_compute_subnetwork": _subnetwork,
    "google_sql_database_instance": _sql,
    "google_container_cluster": _cluster,
    "google_container_node_pool": _node_pool,
    "google_kms_crypto_key": _crypto_key,
    "google_kms_key_ring": _key_ring,
    "google_cloudfunctions_function": _function,
    "google_cloudfunctions2_function": _function,
    "google_cloud_run_service": _run_v1,
    "google_cloud_run_v2_service": _run_v2,
    "google_artifact_registry_repository": _repository,
    "google_compute_ssl_policy": _ssl_policy,
    "google_compute_region_ssl_policy": _ssl_policy,
    **{t: _proxy for t in _PROXY_PROTOCOL},
    "google_dns_managed_zone": _dns_zone,
    "google_logging_project_bucket_config": _log_bucket,
    "google_logging_folder_bucket_config": _log_bucket,
    "google_logging_organization_bucket_config": _log_bucket,
    "google_logging_billing_account_bucket_config": _log_bucket,
    "google_logging_project_sink": _sink,
    "google_logging_folder_sink": _sink,
    "google_logging_organization_sink": _sink,
    "google_logging_billing_account_sink": _sink,
    "google_service_account": _service_account,
    "google_service_account_key": _orphan_key,
    **{t: _audit_config for t in (
        "google_project_iam_audit_config", "google_folder_iam_audit_config",
        "google_organization_iam_audit_config")},
    **{t: _iam_binding for t in (*_IAM_TYPES, *_ACL_TYPES, "google_bigquery_dataset_access")},
}
