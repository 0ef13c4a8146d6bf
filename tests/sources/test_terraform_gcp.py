"""Terraform GCP adapter: raw resources (HCL or plan shape) -> the normalized GCP model."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan
from tutela.model.base import Resource
from tutela.model.gcp import (
    AuditConfig,
    BigQueryDataset,
    CloudFunction,
    CloudRunService,
    ComputeDisk,
    ComputeInstance,
    DnsManagedZone,
    Firewall,
    GkeCluster,
    GkeNodePool,
    IamBinding,
    KmsCryptoKey,
    LoggingBucket,
    LogSink,
    ProjectMetadata,
    ServiceAccount,
    SqlDatabaseInstance,
    SslPolicy,
    StorageBucket,
    Subnetwork,
    TargetProxy,
)
from tutela.model.values import Location, PartialString, Reference, Unknown, is_unknown
from tutela.rules import default_rules
from tutela.rules.api import Status
from tutela.sources.raw import RawResource
from tutela.sources.terraform import load_plan, load_terraform
from tutela.sources.terraform.gcp import adapt_gcp

R = TypeVar("R", bound=Resource)
U = Unknown("var.x has no value")
_line = iter(range(1, 10**9, 100))


def raw(type_: str, name: str = "x", attrs: Mapping[str, Any] | None = None, *,
        module: str = "", key: str | None = None, source: str = "terraform",
        mode: str = "managed") -> RawResource:
    """A raw resource as the loader makes it; each top-level attribute gets its own line."""
    start = next(_line)
    attrs = dict(attrs or {})
    local = f"{type_}.{name}" + (f'["{key}"]' if key is not None else "")
    if mode == "data":
        local = f"data.{local}"
    address = f"{module}.{local}" if module else local
    locs = {k: Location("main.tf", start + 1 + i, start + 1 + i) for i, k in enumerate(attrs)}
    return RawResource(address=address, type=type_, mode=mode, attributes=attrs,
                       location=Location("main.tf", start, start + 50), source=source,
                       attribute_locations=locs, module=module, name=name)


def ref(target: str | RawResource, attribute: str | None = "id") -> Reference:
    return Reference(target.address if isinstance(target, RawResource) else target, attribute)


def all_of(resources: list[Resource], cls: type[R]) -> list[R]:
    return [r for r in resources if type(r) is cls]


def only(resources: list[Resource], cls: type[R], address: str | None = None) -> R:
    found = [r for r in all_of(resources, cls) if address is None or r.address == address]
    assert len(found) == 1, f"expected one {cls.__name__} {address or ''}, got {found}"
    return found[0]


def adapt1(cls: type[R], *raws: RawResource) -> R:
    return only(adapt_gcp(raws), cls, raws[0].address)


# --------------------------------------------------------------------------- common


def test_common_fields_labels_and_location() -> None:
    bucket = adapt1(StorageBucket, raw("google_storage_bucket", "b", {
        "name": "acme-b", "location": "US-EAST4", "labels": {"data_classification": "ephi"}}))
    assert bucket.region == "us-east4"
    assert dict(bucket.tags) == {"data_classification": "ephi"}
    assert bucket.native_type == "google_storage_bucket"
    assert bucket.location_of("region") is not None


@pytest.mark.parametrize(("value", "region"), [
    ("us-central1-a", "us-central1"),
    ("US", "us"),
    ("northamerica-northeast1-b", "northamerica-northeast1"),
    ("europe-west3", "europe-west3"),
    ("global", "global"),
])
def test_zones_reduce_to_their_region(value: str, region: str) -> None:
    disk = adapt1(ComputeDisk, raw("google_compute_disk", "d", {"zone": value}))
    assert disk.region == region


def test_unset_or_unknown_locations() -> None:
    sql = adapt1(SqlDatabaseInstance, raw("google_sql_database_instance", "db", {
        "database_version": "POSTGRES_15", "settings": [{"tier": "db-f1-micro"}]}))
    assert sql.region is None  # the provider's region: judged nowhere
    ring = adapt_gcp([raw("google_kms_key_ring", "r", {"location": U})])[0]
    assert is_unknown(ring.region)
    dataset = adapt1(BigQueryDataset, raw("google_bigquery_dataset", "d", {"dataset_id": "d"}))
    assert dataset.region == "us"  # provider default location US


def test_non_google_and_data_resources_yield_nothing() -> None:
    assert adapt_gcp([raw("aws_s3_bucket", "b", {"bucket": "x"}),
                      raw("google_iam_policy", "p", {}, mode="data"),
                      raw("google_unknown_thing", "t", {})]) == []


# --------------------------------------------------------------------------- IAM


def test_bucket_iam_members_fold_by_name_and_reference() -> None:
    bucket = raw("google_storage_bucket", "b", {"name": "acme-b", "location": "US"})
    by_name = raw("google_storage_bucket_iam_member", "pub", {
        "bucket": "acme-b", "role": "roles/storage.objectViewer", "member": "allUsers"})
    by_ref = raw("google_storage_bucket_iam_binding", "team", {
        "bucket": ref(bucket, "name"), "role": "roles/storage.admin",
        "members": ["group:team@example.com"]})
    out = adapt_gcp([bucket, by_name, by_ref])
    model = only(out, StorageBucket)
    assert [(g.role, g.members, g.path) for g in model.iam] == [
        ("roles/storage.objectViewer", ("allUsers",), "iam[0]"),
        ("roles/storage.admin", ("group:team@example.com",), "iam[1]"),
    ]
    assert model.location_of("iam[0]") == by_name.attribute_locations["member"]
    assert not all_of(out, IamBinding)  # joined grants are not resources of their own


def test_grants_on_resources_outside_the_scan_are_bindings_of_their_own() -> None:
    grant = raw("google_storage_bucket_iam_member", "ext", {
        "bucket": "someone-elses-bucket", "role": "roles/storage.objectViewer",
        "member": "allAuthenticatedUsers"})
    binding = adapt1(IamBinding, grant)
    assert (binding.target_kind, binding.target) == ("storage_bucket", "someone-elses-bucket")
    assert binding.members == ("allAuthenticatedUsers",)


def test_full_ids_match_by_last_segment() -> None:
    key = raw("google_kms_crypto_key", "k", {"name": "records", "key_ring": "ring"})
    member = raw("google_kms_crypto_key_iam_member", "m", {
        "crypto_key_id": "projects/p/locations/us/keyRings/clinical/cryptoKeys/records",
        "role": "roles/cloudkms.cryptoKeyDecrypter", "member": "allUsers"})
    model = only(adapt_gcp([key, member]), KmsCryptoKey)
    assert model.iam[0].members == ("allUsers",)


def test_project_grants_with_partly_known_members() -> None:
    member = PartialString(("serviceAccount:", Reference("google_service_account.app", "email")),
                           "email known after apply")
    binding = adapt1(IamBinding, raw("google_project_iam_member", "m", {
        "project": "p", "role": "roles/editor", "member": member}))
    assert binding.target_kind == "project"
    assert binding.members == ("serviceAccount:${google_service_account.app.email}",)
    fully_unknown = adapt1(IamBinding, raw("google_project_iam_member", "u", {
        "project": "p", "role": "roles/editor", "member": U}))
    assert is_unknown(fully_unknown.members)


def test_iam_policy_reads_the_policy_data_source() -> None:
    policy = raw("google_iam_policy", "p", {"binding": [
        {"role": "roles/viewer", "members": ["group:g@example.com"]},
        {"role": "roles/editor", "members": ["user:u@example.com"]},
    ]}, mode="data")
    project = raw("google_project_iam_policy", "pp", {
        "project": "p", "policy_data": ref(policy, "policy_data")})
    bindings = all_of(adapt_gcp([policy, project]), IamBinding)
    assert [(b.role, b.members) for b in bindings] == [
        ("roles/viewer", ("group:g@example.com",)), ("roles/editor", ("user:u@example.com",))]
    assert [b.address for b in bindings] == [f"{project.address}/binding[0]",
                                             f"{project.address}/binding[1]"]


def test_iam_policy_json_and_unknown() -> None:
    doc = json.dumps({"bindings": [{"role": "roles/run.invoker", "members": ["allUsers"]}]})
    service = raw("google_cloud_run_service", "s", {"name": "api", "location": "us-east4"})
    pol = raw("google_cloud_run_service_iam_policy", "p", {"service": "api", "policy_data": doc})
    run = only(adapt_gcp([service, pol]), CloudRunService)
    assert run.iam[0].members == ("allUsers",)
    unknown_policy = raw("google_project_iam_policy", "u", {"project": "p", "policy_data": U})
    binding = adapt1(IamBinding, unknown_policy)
    assert is_unknown(binding.members) and is_unknown(binding.role)


def test_bucket_acls_become_grants() -> None:
    bucket = raw("google_storage_bucket", "b", {"name": "acme-b", "location": "US"})
    acl = raw("google_storage_bucket_acl", "a", {
        "bucket": "acme-b", "role_entity": ["OWNER:project-owners-1", "READER:allUsers"]})
    predefined = raw("google_storage_default_object_acl", "d", {
        "bucket": "acme-b", "predefined_acl": "publicRead"})
    model = only(adapt_gcp([bucket, acl, predefined]), StorageBucket)
    assert [(g.role, g.members) for g in model.iam] == [
        ("acl:OWNER", ("project-owners-1",)), ("acl:READER", ("allUsers",)),
        ("acl:READER", ("allUsers",))]


def test_dataset_access_blocks_and_access_resources() -> None:
    dataset = raw("google_bigquery_dataset", "d", {"dataset_id": "claims", "access": [
        {"role": "READER", "special_group": "allAuthenticatedUsers"},
        {"role": "WRITER", "user_by_email": "etl@p.iam.gserviceaccount.com"}]})
    access = raw("google_bigquery_dataset_access", "a", {
        "dataset_id": "claims", "role": "READER", "iam_member": "allUsers"})
    model = only(adapt_gcp([dataset, access]), BigQueryDataset)
    assert [g.members for g in model.iam] == [
        ("allAuthenticatedUsers",), ("user:etl@p.iam.gserviceaccount.com",), ("allUsers",)]


def test_service_account_keys_join_their_account() -> None:
    account = raw("google_service_account", "sa", {"account_id": "etl"})
    key = raw("google_service_account_key", "k", {"service_account_id": ref(account, "name")})
    by_email = raw("google_service_account_key", "k2", {
        "service_account_id": "projects/p/serviceAccounts/etl@p.iam.gserviceaccount.com"})
    orphan = raw("google_service_account_key", "k3", {
        "service_account_id": "projects/p/serviceAccounts/other@p.iam.gserviceaccount.com"})
    out = adapt_gcp([account, key, by_email, orphan])
    sa = only(out, ServiceAccount, account.address)
    assert sa.keys == (key.address, by_email.address)
    stand_in = only(out, ServiceAccount, orphan.address)
    assert (stand_in.declared, stand_in.keys) == (False, (orphan.address,))


def test_audit_configs() -> None:
    config = adapt1(AuditConfig, raw("google_folder_iam_audit_config", "a", {
        "folder": "folders/1", "service": "allServices", "audit_log_config": [
            {"log_type": "DATA_READ", "exempted_members": ["user:a@example.com"]},
            {"log_type": "data_write"}]}))
    assert config.scope_kind == "folder"
    assert config.log_types == ("DATA_READ", "DATA_WRITE")
    assert config.exempted_members == ("user:a@example.com",)


# --------------------------------------------------------------------------- compute


def _vm(**attrs: Any) -> RawResource:
    base = {"name": "vm", "zone": "us-east4-a", "machine_type": "e2-small",
            "boot_disk": [{"initialize_params": [{"image": "debian-cloud/debian-12"}]}],
            "network_interface": [{"network": "default"}]}
    return raw("google_compute_instance", "vm", {**base, **attrs})


def test_instance_defaults() -> None:
    out = adapt_gcp([_vm()])
    vm = only(out, ComputeInstance)
    assert (vm.secure_boot, vm.vtpm, vm.integrity_monitoring) == (False, True, True)
    assert (vm.public_ip, vm.ip_forwarding, vm.service_account) == (False, False, None)
    assert (vm.os_login, vm.serial_port, vm.image) == (None, None, "debian-cloud/debian-12")
    disk = only(out, ComputeDisk)
    assert disk.address == "google_compute_instance.vm/boot_disk"
    assert (disk.kms_key, disk.customer_supplied) == (None, False)


@pytest.mark.parametrize(("block", "expected"), [
    ({"scopes": ["cloud-platform"]}, "default"),
    ({"email": "default", "scopes": []}, "default"),
    ({"email": Reference("google_service_account.app", "email"), "scopes": []},
     Reference("google_service_account.app", "email")),
])
def test_instance_service_account(block: dict[str, Any], expected: object) -> None:
    vm = adapt1(ComputeInstance, _vm(service_account=[block]))
    assert vm.service_account == expected


def test_instance_metadata_public_ip_and_cmek_boot_disk() -> None:
    out = adapt_gcp([_vm(
        metadata={"enable-oslogin": "TRUE", "serial-port-enable": "1",
                  "block-project-ssh-keys": True},
        network_interface=[{"network": "default", "access_config": [{}]}],
        boot_disk=[{"kms_key_self_link": "projects/p/locations/l/keyRings/r/cryptoKeys/k",
                    "initialize_params": [{"image": "img"}]}],
        labels={"data_classification": "ephi"},
    )])
    vm = only(out, ComputeInstance)
    assert (vm.os_login, vm.serial_port, vm.block_project_ssh_keys) == (True, True, True)
    assert vm.public_ip is True
    disk = only(out, ComputeDisk)
    assert disk.kms_key == "projects/p/locations/l/keyRings/r/cryptoKeys/k"
    assert dict(disk.tags) == {"data_classification": "ephi"}  # the instance's labels


def test_unknown_metadata_is_unknown_for_every_switch() -> None:
    vm = adapt1(ComputeInstance, _vm(metadata=U))
    assert is_unknown(vm.os_login) and is_unknown(vm.serial_port)


def test_attached_source_disks_are_judged_where_declared() -> None:
    out = adapt_gcp([_vm(boot_disk=[{"source": Reference("google_compute_disk.boot", "id")}])])
    assert not all_of(out, ComputeDisk)


def test_instance_template_disks_and_region() -> None:
    out = adapt_gcp([raw("google_compute_region_instance_template", "t", {
        "region": "us-central1",
        "disk": [{"source_image": "cos", "boot": True},
                 {"disk_size_gb": 100, "disk_encryption_key": [{"kms_key_self_link": "k"}]}],
        "network_interface": [{"network": "default"}],
    })])
    template = only(out, ComputeInstance)
    assert (template.is_template, template.image, template.region) == (True, "cos", "us-central1")
    disks = all_of(out, ComputeDisk)
    assert [d.kms_key for d in disks] == [None, "k"]


def test_project_metadata_item_and_map() -> None:
    item = adapt1(ProjectMetadata, raw("google_compute_project_metadata_item", "i", {
        "key": "enable-oslogin", "value": "TRUE"}))
    assert (item.os_login, item.serial_port) == (True, None)
    other = adapt1(ProjectMetadata, raw("google_compute_project_metadata_item", "o", {
        "key": "ssh-keys", "value": "u:ssh-ed25519 AAAA"}))
    assert other.os_login is None
    whole = adapt1(ProjectMetadata, raw("google_compute_project_metadata", "m", {
        "metadata": {"serial-port-enable": "false"}}))
    assert whole.serial_port is False


def test_firewall_shapes() -> None:
    fw = adapt1(Firewall, raw("google_compute_firewall", "f", {
        "network": "default", "allow": [{"protocol": "TCP", "ports": [22, "8000-8080"]},
                                        {"protocol": "icmp"}]}))
    assert (fw.direction, fw.action, fw.disabled, fw.priority) == ("INGRESS", "allow", False, 1000)
    assert [(p.protocol, p.ports, p.path) for p in fw.permissions] == [
        ("tcp", ("22", "8000-8080"), "permissions[0]"), ("icmp", (), "permissions[1]")]
    assert fw.open_to_internet  # no source at all
    tagged = adapt1(Firewall, raw("google_compute_firewall", "t", {
        "network": "default", "source_tags": ["app"], "allow": [{"protocol": "tcp"}]}))
    assert not tagged.open_to_internet
    deny = adapt1(Firewall, raw("google_compute_firewall", "d", {
        "network": "default", "deny": [{"protocol": "all"}], "source_ranges": ["0.0.0.0/0"],
        "log_config": [{"metadata": "INCLUDE_ALL_METADATA"}]}))
    assert (deny.action, deny.logging) == ("deny", True)


def test_firewall_policy_rule() -> None:
    rule = adapt1(Firewall, raw("google_compute_network_firewall_policy_rule", "r", {
        "direction": "INGRESS", "action": "allow", "priority": 100,
        "match": [{"src_ip_ranges": ["0.0.0.0/0"],
                   "layer4_configs": [{"ip_protocol": "tcp", "ports": ["3389"]}]}]}))
    assert rule.open_to_internet
    assert rule.permissions[0].covers_port(3389)


def test_subnetwork() -> None:
    subnet = adapt1(Subnetwork, raw("google_compute_subnetwork", "s", {
        "region": "us-east4", "ip_cidr_range": "10.0.0.0/24", "log_config": [{}]}))
    assert (subnet.flow_logs, subnet.purpose, subnet.region) == (True, "PRIVATE", "us-east4")


# --------------------------------------------------------------------------- Cloud SQL


def test_cloud_sql_defaults() -> None:
    db = adapt1(SqlDatabaseInstance, raw("google_sql_database_instance", "db", {
        "database_version": "POSTGRES_15", "settings": [{"tier": "db-f1-micro"}]}))
    assert (db.ipv4_enabled, db.authorized_networks, db.ssl_mode) == (True, (), None)
    assert (db.backups_enabled, db.point_in_time_recovery, db.retained_backups) == (False, False, 7)
    assert (db.availability_type, db.deletion_protection, db.deletion_protection_api) == (
        "ZONAL", True, False)
    assert (db.is_replica, db.engine) == (False, "postgres")


def test_cloud_sql_settings() -> None:
    db = adapt1(SqlDatabaseInstance, raw("google_sql_database_instance", "db", {
        "database_version": "MYSQL_8_0", "region": "us-east1",
        "master_instance_name": "primary", "encryption_key_name": "k",
        "settings": [{
            "availability_type": "regional",
            "user_labels": {"data_classification": "ephi"},
            "ip_configuration": [{"ssl_mode": "ENCRYPTED_ONLY", "authorized_networks": [
                {"name": "a", "value": "10.0.0.0/8"}, {"value": "0.0.0.0/0"}]}],
            "backup_configuration": [{"enabled": True, "binary_log_enabled": True,
                                      "backup_retention_settings": [{"retained_backups": 30}]}],
            "database_flags": [{"name": "Log_Connections", "value": "ON"}],
        }]}))
    assert db.authorized_networks == ("10.0.0.0/8", "0.0.0.0/0")
    assert (db.ssl_mode, db.availability_type, db.binary_log) == ("ENCRYPTED_ONLY", "REGIONAL",
                                                                   True)
    assert (db.retained_backups, db.is_replica, db.kms_key) == (30, True, "k")
    assert dict(db.flags) == {"log_connections": "on"}
    assert dict(db.tags) == {"data_classification": "ephi"}


def test_enterprise_plus_pitr_default_is_not_guessed() -> None:
    db = adapt1(SqlDatabaseInstance, raw("google_sql_database_instance", "db", {
        "database_version": "POSTGRES_16",
        "settings": [{"edition": "ENTERPRISE_PLUS", "backup_configuration": [{"enabled": True}]}]}))
    assert is_unknown(db.point_in_time_recovery)


# --------------------------------------------------------------------------- GKE


def test_cluster_defaults_and_default_pool() -> None:
    out = adapt_gcp([raw("google_container_cluster", "c", {
        "name": "c", "location": "us-central1-c", "initial_node_count": 1})])
    cluster = only(out, GkeCluster)
    assert (cluster.region, cluster.shielded_nodes, cluster.legacy_abac) == (
        "us-central1", True, False)
    assert (cluster.master_authorized_networks, cluster.workload_pool) == (None, None)
    assert (cluster.binary_authorization, cluster.release_channel) == ("DISABLED", None)
    pool = only(out, GkeNodePool)
    assert (pool.address, pool.is_default, pool.cluster) == (
        "google_container_cluster.c/default_node_pool", True, "c")
    assert pool.uses_default_service_account


def test_cluster_without_default_pool() -> None:
    removed = adapt_gcp([raw("google_container_cluster", "r", {
        "name": "r", "remove_default_node_pool": True, "initial_node_count": 1})])
    autopilot = adapt_gcp([raw("google_container_cluster", "a", {
        "name": "a", "enable_autopilot": True})])
    assert not all_of(removed, GkeNodePool) and not all_of(autopilot, GkeNodePool)
    inline = adapt_gcp([raw("google_container_cluster", "i", {"name": "i", "node_pool": [
        {"name": "p1", "node_config": [{"service_account": "n@p.iam.gserviceaccount.com"}]},
        {"name": "p2", "management": [{"auto_upgrade": False}]}]})])
    pools = all_of(inline, GkeNodePool)
    assert [(p.address.rpartition("/")[2], p.auto_upgrade) for p in pools] == [
        ("node_pool[0]", True), ("node_pool[1]", False)]
    assert not pools[0].uses_default_service_account


def test_cluster_settings() -> None:
    cluster = adapt1(GkeCluster, raw("google_container_cluster", "c", {
        "name": "c", "remove_default_node_pool": True,
        "private_cluster_config": [{"enable_private_nodes": True}],
        "master_authorized_networks_config": [{"cidr_blocks": [{"cidr_block": "10.0.0.0/8"}]}],
        "workload_identity_config": [{"workload_pool": "p.svc.id.goog"}],
        "enable_binary_authorization": True,
        "datapath_provider": "ADVANCED_DATAPATH",
        "database_encryption": [{"state": "ENCRYPTED", "key_name": "k"}],
        "logging_config": [{"enable_components": []}],
        "master_auth": [{"client_certificate_config": [{"issue_client_certificate": True}]}],
        "resource_labels": {"env": "prod"},
    }))
    assert cluster.private_nodes is True
    assert cluster.master_authorized_networks == ("10.0.0.0/8",)
    assert cluster.workload_pool == "p.svc.id.goog"
    assert cluster.binary_authorization == "PROJECT_SINGLETON_POLICY_ENFORCE"
    assert (cluster.dataplane_v2, cluster.secrets_encryption) == (True, "ENCRYPTED")
    assert (cluster.logging_components, cluster.client_certificate) == ((), True)
    assert dict(cluster.tags) == {"env": "prod"}


def test_node_pool() -> None:
    pool = adapt1(GkeNodePool, raw("google_container_node_pool", "p", {
        "cluster": Reference("google_container_cluster.c", "name"), "location": "us-east4",
        "node_config": [{"service_account": "default",
                         "shielded_instance_config": [{"enable_secure_boot": True}],
                         "workload_metadata_config": [{"mode": "GKE_METADATA"}]}]}))
    assert pool.cluster == "google_container_cluster.c"
    assert pool.uses_default_service_account  # "default" names the default account
    assert (pool.secure_boot, pool.workload_metadata, pool.region) == (
        True, "GKE_METADATA", "us-east4")


# --------------------------------------------------------------------------- KMS, TLS, DNS, logs


@pytest.mark.parametrize(("period", "seconds"), [
    ("7776000s", 7776000), ("100000.5s", 100000), (None, None)])
def test_crypto_key_rotation_period(period: str | None, seconds: int | None) -> None:
    attrs = {"name": "k", "key_ring": "r"} | ({"rotation_period": period} if period else {})
    key = adapt1(KmsCryptoKey, raw("google_kms_crypto_key", "k", attrs))
    assert key.rotation_period_seconds == seconds
    assert (key.purpose, key.protection_level, key.region) == ("ENCRYPT_DECRYPT", "SOFTWARE", None)


def test_ssl_policy_defaults() -> None:
    policy = adapt1(SslPolicy, raw("google_compute_ssl_policy", "p", {"name": "p"}))
    assert (policy.min_tls_version, policy.profile) == ("TLS_1_0", "COMPATIBLE")


def test_http_proxy_follows_its_url_map() -> None:
    redirect = raw("google_compute_url_map", "r", {
        "name": "redir", "default_url_redirect": [{"https_redirect": True}]})
    serving = raw("google_compute_url_map", "s", {"name": "app", "default_service": "b"})
    out = adapt_gcp([
        redirect, serving,
        raw("google_compute_target_http_proxy", "a", {"url_map": ref(redirect)}),
        raw("google_compute_target_http_proxy", "b", {"url_map": ref(serving)}),
        raw("google_compute_target_http_proxy", "c", {"url_map": "elsewhere"}),
        raw("google_compute_target_https_proxy", "d", {"url_map": ref(serving)}),
    ])
    proxies = {p.name: p for p in all_of(out, TargetProxy)}
    assert proxies["a"].redirects_to_https is True
    assert proxies["b"].redirects_to_https is False
    assert is_unknown(proxies["c"].redirects_to_https)
    assert (proxies["d"].protocol, proxies["d"].ssl_policy) == ("HTTPS", None)


def test_dns_zone() -> None:
    zone = adapt1(DnsManagedZone, raw("google_dns_managed_zone", "z", {
        "dns_name": "a.example.", "dnssec_config": [{"state": "on", "default_key_specs": [
            {"algorithm": "rsasha256", "key_type": "keySigning"}]}]}))
    assert (zone.visibility, zone.dnssec_state, zone.key_algorithms) == (
        "public", "on", ("rsasha256",))


def test_logging_bucket_and_sinks() -> None:
    bucket = raw("google_storage_bucket", "logs", {"name": "acme-logs", "location": "US"})
    sink = raw("google_logging_project_sink", "s", {"destination": PartialString(
        ("storage.googleapis.com/", Reference(bucket.address, "name")), "name")})
    literal = raw("google_logging_project_sink", "l", {
        "destination": "storage.googleapis.com/acme-logs"})
    config = raw("google_logging_project_bucket_config", "c", {
        "bucket_id": "audit", "location": "global"})
    out = adapt_gcp([bucket, sink, literal, config])
    sinks = {s.name: s for s in all_of(out, LogSink)}
    assert sinks["s"].storage_bucket == bucket.address
    assert sinks["l"].storage_bucket == "acme-logs"
    log_bucket = only(out, LoggingBucket)
    assert (log_bucket.retention_days, log_bucket.locked, log_bucket.region) == (
        30, False, "global")


# --------------------------------------------------------------------------- serverless


def test_cloud_functions_gen1_and_gen2() -> None:
    gen1 = raw("google_cloudfunctions_function", "f1", {
        "name": "f1", "region": "us-central1", "trigger_http": True,
        "environment_variables": {"A": "1"}, "build_environment_variables": {"B": "2"}})
    gen2 = raw("google_cloudfunctions2_function", "f2", {
        "name": "f2", "location": "us-east4", "event_trigger": [{"event_type": "x"}],
        "service_config": [{"ingress_settings": "ALLOW_INTERNAL_ONLY",
                            "environment_variables": {"C": "3"}}]})
    invoker = raw("google_cloud_run_service_iam_member", "i", {
        "service": "f2", "location": "us-east4", "role": "roles/run.invoker",
        "member": "allUsers"})
    out = adapt_gcp([gen1, gen2, invoker])
    f1 = only(out, CloudFunction, gen1.address)
    assert (f1.generation, f1.http_trigger, f1.https_only, f1.ingress) == (1, True, False, "all")
    assert dict(f1.environment or {}) == {"A": "1", "B": "2"}
    f2 = only(out, CloudFunction, gen2.address)
    assert (f2.generation, f2.http_trigger, f2.ingress) == (2, False, "internal")
    assert f2.iam[0].members == ("allUsers",)  # Cloud Run IAM on the function's service


def test_cloud_run_v1_and_v2() -> None:
    v1 = adapt1(CloudRunService, raw("google_cloud_run_service", "v1", {
        "name": "v1", "location": "us-east4",
        "metadata": [{"annotations": {
            "run.googleapis.com/ingress": "internal-and-cloud-load-balancing"},
            "labels": {"exposure": "public"}}],
        "template": [{"metadata": [{"annotations": {"run.googleapis.com/encryption-key": "k"}}],
                      "spec": [{"containers": [{"image": "i", "env": [
                          {"name": "A", "value": "x"},
                          {"name": "B", "value_from": [{"secret_key_ref": [{"name": "s"}]}]}]}]}]}],
    }))
    assert (v1.ingress, v1.kms_key) == ("internal-and-gclb", "k")
    assert dict(v1.environment or {}) == {"A": "x"}
    assert dict(v1.tags) == {"exposure": "public"}
    v2 = adapt1(CloudRunService, raw("google_cloud_run_v2_service", "v2", {
        "name": "v2", "location": "us-east4", "invoker_iam_disabled": True,
        "template": [{"containers": [{"image": "i"}]}]}))
    assert (v2.ingress, v2.public_invoker, v2.environment) == ("all", True, {})


# --------------------------------------------------------------------------- plan JSON


def _plan(resources: list[dict[str, Any]], unknown: dict[str, dict[str, Any]],
          config: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
             "change": {"actions": ["create"], "after": r["values"],
                        "after_unknown": unknown.get(r["address"], {})}}
            for r in resources],
        "configuration": {"root_module": {"resources": [
            {"address": a, "expressions": e} for a, e in (config or {}).items()]}},
    }


def _resource(type_: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": f"{type_}.{name}", "mode": "managed", "type": type_, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/google", "values": values}


def test_plan_computed_attributes_read_as_unset(tmp_path: Path) -> None:
    doc = _plan(
        [_resource("google_storage_bucket", "b", {"name": "acme-b", "location": "US"}),
         _resource("google_sql_database_instance", "db", {
             "database_version": "POSTGRES_15", "settings": [{"tier": "db-f1-micro"}]}),
         _resource("google_kms_crypto_key", "k", {"name": "k", "rotation_period": "7776000s"}),
         _resource("google_kms_crypto_key_iam_member", "m", {
             "role": "roles/cloudkms.cryptoKeyDecrypter", "member": "allUsers"})],
        {"google_storage_bucket.b": {"public_access_prevention": True,
                                     "uniform_bucket_level_access": True},
         "google_sql_database_instance.db": {"region": True, "settings": [{
             "backup_configuration": True, "ip_configuration": True,
             "availability_type": True}]},
         "google_kms_crypto_key.k": {"key_ring": True, "version_template": True},
         "google_kms_crypto_key_iam_member.m": {"crypto_key_id": True}},
        {"google_kms_crypto_key_iam_member.m": {
            "crypto_key_id": {"references": ["google_kms_crypto_key.k.id",
                                             "google_kms_crypto_key.k"]}}},
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc, indent=2))
    out = adapt_gcp(load_plan(path, root=tmp_path).resources)
    bucket = only(out, StorageBucket)
    assert (bucket.public_access_prevention, bucket.uniform_access) == ("inherited", False)
    db = only(out, SqlDatabaseInstance)
    assert (db.region, db.backups_enabled, db.ipv4_enabled, db.availability_type) == (
        None, False, True, "ZONAL")
    key = only(out, KmsCryptoKey)
    assert key.protection_level == "SOFTWARE"
    assert key.iam[0].members == ("allUsers",)  # joined through the configuration's reference
    assert bucket.source == "terraform-plan"


# --------------------------------------------------------------------------- end to end


HCL = """\
variable "project_id" {
  type    = string
  default = "acme-clinical-prod"
}

resource "google_storage_bucket" "exports" {
  name     = "acme-exports"
  location = "US"
}

resource "google_storage_bucket_iam_member" "public" {
  for_each = toset(["allUsers", "group:exports@acme-health.example"])
  bucket   = google_storage_bucket.exports.name
  role     = "roles/storage.objectViewer"
  member   = each.value
}

resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

module "db" {
  source = "./db"
  name   = "records"
}
"""

MODULE = """\
variable "name" {
  type = string
}

resource "google_sql_database_instance" "this" {
  name             = var.name
  database_version = "POSTGRES_15"
  region           = "europe-west3"
  settings {
    tier = "db-custom-2-7680"
  }
}
"""


def test_hcl_scan_reports_gcp_findings_at_their_lines(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text(HCL)
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "main.tf").write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    codes = {"NET201", "NET204", "NET212", "ENC201"}
    rules = RuleSet.of([r for r in default_rules() if r.code in codes])
    result = scan([Path(".")], rules)
    assert not result.parse_errors
    failures = {(f.rule_code, f.resource_address, f.location.file if f.location else None,
                 f.location.start_line if f.location else None)
                for f in result.findings if f.status is Status.FAIL}
    assert ("NET201", "google_compute_firewall.ssh", "main.tf", 22) in failures
    assert ("NET204", "google_storage_bucket.exports", "main.tf", 15) in failures
    assert ("NET212", "module.db.google_sql_database_instance.this", "db/main.tf", 8) in failures
    assert ("ENC201", "module.db.google_sql_database_instance.this", "db/main.tf", 9) in failures


def test_hcl_loader_output_adapts(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(HCL)
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "main.tf").write_text(MODULE)
    loaded = load_terraform([tmp_path], root=tmp_path)
    out = adapt_gcp(loaded.resources)
    bucket = only(out, StorageBucket)
    assert sorted(g.members for g in bucket.iam) == [
        ("allUsers",), ("group:exports@acme-health.example",)]
    db = only(out, SqlDatabaseInstance)
    assert db.name == "this" and db.region == "europe-west3"


# --------------------------------------------------------------------------- robustness


_ODD_VALUES: list[Any] = [U, "weird", 7, True, [], [U], [{"a": U}], {"k": U}, [1, "x"],
                          Reference("google_x.y", "id"), PartialString(("a:", U), "p")]
_ATTRIBUTES = sorted({
    *(a.split(".")[0] for paths in __import__(
        "tutela.sources.terraform.gcp", fromlist=["PLAN_COMPUTED"]).PLAN_COMPUTED.values()
      for a in paths),
    "name", "member", "members", "role", "bucket", "policy_data", "allow", "deny", "settings",
    "key", "value", "predefined_acl", "role_entity", "entity", "access", "template", "disk",
    "node_pool", "audit_log_config", "service", "destination", "url_map", "match", "action",
    "rotation_period", "service_account_id", "crypto_key_id", "cloud_function", "dataset_id",
})


@pytest.mark.parametrize("value", _ODD_VALUES, ids=repr)
def test_odd_shapes_never_crash_the_adapter(value: Any) -> None:
    from tutela.sources.terraform.gcp import _BUILDERS

    raws = [raw(type_, f"r{i}", dict.fromkeys(_ATTRIBUTES, value))
            for i, type_ in enumerate(sorted(_BUILDERS))]
    out = adapt_gcp(raws)
    assert out  # every type still yields its resource(s)
    gcp_rules = RuleSet.of([r for r in default_rules() if r.resource_type.provider == "gcp"])
    errors = [(f.rule_code, f.resource_address, f.message)
              for f in evaluate(out, gcp_rules) if f.status is Status.ERROR]
    assert not errors


def test_instance_disks_carry_the_instance_labels() -> None:
    out = adapt_gcp([_vm(labels={"data_classification": "ephi"}, boot_disk=[
        {"initialize_params": [{"image": "img", "labels": {"disk": "boot"}}]}])])
    disk = only(out, ComputeDisk)
    assert dict(disk.tags) == {"data_classification": "ephi", "disk": "boot"}


def test_plan_labels_include_provider_default_labels() -> None:
    bucket = adapt1(StorageBucket, raw("google_storage_bucket", "b", {
        "name": "b", "location": "US", "labels": None,
        "terraform_labels": {"data_classification": "ephi", "team": "records"}},
        source="terraform-plan"))
    assert dict(bucket.tags) == {"data_classification": "ephi", "team": "records"}


def test_system_log_buckets_are_not_judged_for_location() -> None:
    default = adapt1(LoggingBucket, raw("google_logging_project_bucket_config", "d", {
        "bucket_id": "_Default", "location": "global", "retention_days": 400}))
    assert default.region is None
