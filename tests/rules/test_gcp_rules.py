"""The GCP rules on the model: one table of cases per rule, Unknown handling included."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.base import Resource
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
from tutela.model.values import Reference, Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.backup import gcp as backup
from tutela.rules.containers import gcp as containers
from tutela.rules.encryption import gcp as encryption
from tutela.rules.identity import gcp as identity
from tutela.rules.keys import gcp as keys
from tutela.rules.monitoring import gcp as monitoring
from tutela.rules.network import gcp as network
from tutela.rules.secrets import gcp as secrets
from tutela.rules.serverless import gcp as serverless
from tutela.rules.settings import Settings

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
U = Unknown("var.x has no value")
EPHI = {"data_classification": "ephi"}
R = TypeVar("R", bound=Resource)


def make(cls: type[R], **fields: Any) -> R:
    """A model resource with only the fields a case is about."""
    return cls(address=f"google_{cls.kind}.x", native_type=f"google_{cls.kind}",
               source="terraform", **fields)


def outcomes(rule: Rule, *resources: Resource, settings: Settings | None = None) -> set[Status]:
    """The statuses the engine gives `rule` on the first resource (the others are context)."""
    findings = evaluate(list(resources), RuleSet.of([rule]), settings=settings or Settings())
    return {f.status for f in findings if f.resource_address == resources[0].address}


def case(name: str, rule: Rule, resource: Resource, expected: set[Status],
         *context: Resource) -> Any:
    return pytest.param(rule, resource, context, expected, id=f"{rule.code}-{name}")


def grant(member: str | Unknown, role: str = "roles/viewer", path: str = "iam[0]") -> IamGrant:
    members = member if isinstance(member, Unknown) else (member,)
    return IamGrant(role, members, path, "google_x_iam_member.m")


def perm(protocol: str | Unknown = "tcp", *ports: str, index: int = 0) -> FirewallPermission:
    return FirewallPermission(protocol, tuple(ports), f"permissions[{index}]")


def firewall(*perms: FirewallPermission, ranges: Any = ("0.0.0.0/0",), **fields: Any) -> Firewall:
    return make(Firewall, permissions=perms, source_ranges=ranges, **fields)


def sql(**fields: Any) -> SqlDatabaseInstance:
    return make(SqlDatabaseInstance, **{"database_version": "POSTGRES_15", **fields})


# --- network --------------------------------------------------------------------------------

NETWORK = [
    case("ssh-world", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22")), {FAIL}),
    case("ipv6-world", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "3389"), ranges=("::/0",)), {FAIL}),
    case("range-covers-ssh", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "1-1024")), {FAIL}),
    case("all-protocols", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("all")), {FAIL}),
    case("tcp-all-ports", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp")), {FAIL}),
    case("numeric-protocol", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("6", "22")), {FAIL}),
    case("no-source-at-all", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), ranges=()), {FAIL}),
    case("source-tags-only", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), ranges=(), sources_set=True), {PASS}),
    case("iap-range", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), ranges=("35.235.240.0/20",)), {PASS}),
    case("https-world", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "443", "80")), {PASS}),
    case("icmp-world", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("icmp")), {PASS}),
    case("disabled", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), disabled=True), {PASS}),
    case("deny-rule", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), action="deny"), {NA}),
    case("egress", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), direction="EGRESS"), {NA}),
    case("ranges-unknown", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), ranges=U), {NE}),
    case("ports-unknown", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(FirewallPermission("tcp", U, "permissions[0]")), {NE}),
    case("protocol-unknown", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm(U, "22")), {NE}),
    case("disabled-unknown", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), disabled=U), {NE}),
    case("policy-goto-next", network.gcp_firewall_blocks_admin_ports_from_internet,
         firewall(perm("tcp", "22"), action="goto_next"), {NA}),
    case("postgres-world", network.gcp_firewall_blocks_database_ports_from_internet,
         firewall(perm("tcp", "5432")), {FAIL}),
    case("ssh-not-a-db", network.gcp_firewall_blocks_database_ports_from_internet,
         firewall(perm("tcp", "22")), {PASS}),
    case("sql-world", network.cloud_sql_not_open_to_internet,
         sql(authorized_networks=("0.0.0.0/0",)), {FAIL}),
    case("sql-office", network.cloud_sql_not_open_to_internet,
         sql(authorized_networks=("203.0.113.0/24",)), {PASS}),
    case("sql-private", network.cloud_sql_not_open_to_internet,
         sql(ipv4_enabled=False, authorized_networks=("0.0.0.0/0",)), {PASS}),
    case("sql-networks-unknown", network.cloud_sql_not_open_to_internet,
         sql(authorized_networks=U), {NE}),
    case("bucket-all-users", network.gcs_bucket_not_public,
         make(StorageBucket, iam=(grant("allUsers"),)), {FAIL}),
    case("bucket-all-auth", network.gcs_bucket_not_public,
         make(StorageBucket, iam=(grant("allAuthenticatedUsers"),)), {FAIL}),
    case("bucket-named", network.gcs_bucket_not_public,
         make(StorageBucket, iam=(grant("group:team@example.com"),)), {PASS}),
    case("bucket-member-unknown", network.gcs_bucket_not_public,
         make(StorageBucket, iam=(grant(U),)), {NE}),
    case("bucket-acl-ignored-with-ubla", network.gcs_bucket_not_public,
         make(StorageBucket, uniform_access=True, iam=(grant("allUsers", "acl:READER"),)),
         {PASS}),
    case("bucket-acl-public", network.gcs_bucket_not_public,
         make(StorageBucket, iam=(grant("allUsers", "acl:READER"),)), {FAIL}),
    case("pap-ephi-enforced", network.gcs_ephi_bucket_enforces_public_access_prevention,
         make(StorageBucket, tags=EPHI, public_access_prevention="enforced"), {PASS}),
    case("pap-ephi-inherited", network.gcs_ephi_bucket_enforces_public_access_prevention,
         make(StorageBucket, tags=EPHI), {FAIL}),
    case("pap-not-ephi", network.gcs_ephi_bucket_enforces_public_access_prevention,
         make(StorageBucket), {NA}),
    case("pap-labels-unknown", network.gcs_ephi_bucket_enforces_public_access_prevention,
         make(StorageBucket, tags=U), {NE}),
    case("dataset-public", network.bigquery_dataset_not_public,
         make(BigQueryDataset, iam=(grant("allAuthenticatedUsers", "READER"),)), {FAIL}),
    case("dataset-private", network.bigquery_dataset_not_public, make(BigQueryDataset), {PASS}),
    case("vm-public-ip", network.gce_instance_has_no_public_ip,
         make(ComputeInstance, public_ip=True), {FAIL}),
    case("vm-private", network.gce_instance_has_no_public_ip, make(ComputeInstance), {PASS}),
    case("vm-ip-unknown", network.gce_instance_has_no_public_ip,
         make(ComputeInstance, public_ip=U), {NE}),
    case("serial-on", network.gce_serial_port_access_disabled,
         make(ComputeInstance, serial_port=True), {FAIL}),
    case("serial-project", network.gce_serial_port_access_disabled,
         make(ProjectMetadata, serial_port=True), {FAIL}),
    case("serial-unset", network.gce_serial_port_access_disabled, make(ComputeInstance), {PASS}),
    case("serial-unknown", network.gce_serial_port_access_disabled,
         make(ComputeInstance, serial_port=U), {NE}),
    case("shielded", network.gce_instance_is_shielded,
         make(ComputeInstance, secure_boot=True), {PASS}),
    case("no-secure-boot", network.gce_instance_is_shielded, make(ComputeInstance), {FAIL}),
    case("vtpm-off", network.gce_instance_is_shielded,
         make(ComputeInstance, secure_boot=True, vtpm=False), {FAIL}),
    case("secure-boot-unknown", network.gce_instance_is_shielded,
         make(ComputeInstance, secure_boot=U), {NE}),
    case("private-nodes", network.gke_nodes_are_private,
         make(GkeCluster, private_nodes=True), {PASS}),
    case("public-nodes", network.gke_nodes_are_private, make(GkeCluster), {FAIL}),
    case("private-nodes-unknown", network.gke_nodes_are_private,
         make(GkeCluster, private_nodes=U), {NE}),
    case("cp-open", network.gke_control_plane_not_open_to_internet, make(GkeCluster), {FAIL}),
    case("cp-authorized", network.gke_control_plane_not_open_to_internet,
         make(GkeCluster, master_authorized_networks=("10.0.0.0/8",)), {PASS}),
    case("cp-authorized-empty", network.gke_control_plane_not_open_to_internet,
         make(GkeCluster, master_authorized_networks=()), {PASS}),
    case("cp-authorized-world", network.gke_control_plane_not_open_to_internet,
         make(GkeCluster, master_authorized_networks=("0.0.0.0/0",)), {FAIL}),
    case("cp-gcp-public-cidrs", network.gke_control_plane_not_open_to_internet,
         make(GkeCluster, master_authorized_networks=(), public_cidrs_access=True), {FAIL}),
    case("cp-private-endpoint", network.gke_control_plane_not_open_to_internet,
         make(GkeCluster, private_endpoint=True), {PASS}),
    case("cp-networks-unknown", network.gke_control_plane_not_open_to_internet,
         make(GkeCluster, master_authorized_networks=U), {NE}),
    case("region-us", network.gcp_resource_in_approved_location,
         make(StorageBucket, region="us"), {PASS}),
    case("region-us-east4", network.gcp_resource_in_approved_location,
         make(KmsKeyRing, region="us-east4"), {PASS}),
    case("region-eu", network.gcp_resource_in_approved_location,
         make(StorageBucket, region="europe-west3"), {FAIL}),
    case("region-global", network.gcp_resource_in_approved_location,
         make(KmsKeyRing, region="global"), {FAIL}),
    case("region-unknown", network.gcp_resource_in_approved_location,
         make(GkeCluster, region=U), {NE}),
    case("region-unset", network.gcp_resource_in_approved_location,
         make(Firewall), set()),
]

# --- identity -------------------------------------------------------------------------------


def binding(role: str | Unknown, *members: str, target_kind: str = "project",
            unknown_members: bool = False) -> IamBinding:
    return make(IamBinding, target_kind=target_kind, target="acme", role=role,
                members=U if unknown_members else members)


IDENTITY = [
    case("editor-to-sa", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/editor", "serviceAccount:ci@p.iam.gserviceaccount.com"), {FAIL}),
    case("owner-to-user", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/owner", "user:a@example.com"), {FAIL}),
    case("owner-to-group", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/owner", "group:breakglass@example.com"), {PASS}),
    case("folder-editor-user", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/editor", "user:a@example.com", target_kind="folder"), {FAIL}),
    case("predefined-role", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/cloudsql.client", "user:a@example.com"), {PASS}),
    case("resource-level", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/owner", "user:a@example.com", target_kind="storage_bucket"), set()),
    case("role-unknown", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding(U, "user:a@example.com"), {NE}),
    case("members-unknown", identity.gcp_no_primitive_roles_for_users_or_service_accounts,
         binding("roles/editor", unknown_members=True), {NE}),
    case("token-creator-project", identity.gcp_no_project_wide_service_account_impersonation,
         binding("roles/iam.serviceAccountTokenCreator", "group:ops@example.com"), {FAIL}),
    case("sa-user-project", identity.gcp_no_project_wide_service_account_impersonation,
         binding("roles/iam.serviceAccountUser", "user:a@example.com"), {FAIL}),
    case("sa-user-on-sa", identity.gcp_no_project_wide_service_account_impersonation,
         binding("roles/iam.serviceAccountUser", "user:a@example.com",
                 target_kind="service_account"), set()),
    case("impersonation-unknown-role",
         identity.gcp_no_project_wide_service_account_impersonation,
         binding(U, "user:a@example.com"), {NE}),
    case("public-topic", identity.gcp_iam_grants_not_public,
         binding("roles/pubsub.publisher", "allAuthenticatedUsers",
                 target_kind="pubsub_topic"), {FAIL}),
    case("public-orphan-run", identity.gcp_iam_grants_not_public,
         binding("roles/run.invoker", "allUsers", target_kind="cloud_run_service"), {NE}),
    case("named-member", identity.gcp_iam_grants_not_public,
         binding("roles/viewer", "group:a@example.com"), {PASS}),
    case("public-members-unknown", identity.gcp_iam_grants_not_public,
         binding("roles/viewer", unknown_members=True), {NE}),
    case("sa-with-key", identity.gcp_service_account_has_no_user_managed_keys,
         make(ServiceAccount, keys=("google_service_account_key.k",)), {FAIL}),
    case("sa-without-key", identity.gcp_service_account_has_no_user_managed_keys,
         make(ServiceAccount), {PASS}),
    case("vm-default-sa", identity.gce_instance_not_default_service_account,
         make(ComputeInstance, service_account="default", scopes=("cloud-platform",)), {FAIL}),
    case("vm-default-sa-email", identity.gce_instance_not_default_service_account,
         make(ComputeInstance,
              service_account="123-compute@developer.gserviceaccount.com"), {FAIL}),
    case("vm-default-sa-data", identity.gce_instance_not_default_service_account,
         make(ComputeInstance, service_account=Reference(
             "data.google_compute_default_service_account.default", "email")), {FAIL}),
    case("vm-dedicated-sa", identity.gce_instance_not_default_service_account,
         make(ComputeInstance, service_account=Reference("google_service_account.app", "email")),
         {PASS}),
    case("vm-no-sa", identity.gce_instance_not_default_service_account,
         make(ComputeInstance), {PASS}),
    case("vm-sa-unknown", identity.gce_instance_not_default_service_account,
         make(ComputeInstance, service_account=U), {NE}),
    case("pool-default-sa", identity.gke_nodes_not_default_service_account,
         make(GkeNodePool), {FAIL}),
    case("pool-dedicated-sa", identity.gke_nodes_not_default_service_account,
         make(GkeNodePool, service_account="nodes@p.iam.gserviceaccount.com"), {PASS}),
    case("pool-sa-unknown", identity.gke_nodes_not_default_service_account,
         make(GkeNodePool, service_account=U), {NE}),
    case("wi-on", identity.gke_workload_identity_enabled,
         make(GkeCluster, workload_pool="p.svc.id.goog"), {PASS}),
    case("wi-off", identity.gke_workload_identity_enabled, make(GkeCluster), {FAIL}),
    case("wi-autopilot", identity.gke_workload_identity_enabled,
         make(GkeCluster, autopilot=True), {PASS}),
    case("wi-unknown", identity.gke_workload_identity_enabled,
         make(GkeCluster, workload_pool=U), {NE}),
    case("abac-on", identity.gke_legacy_abac_disabled,
         make(GkeCluster, legacy_abac=True), {FAIL}),
    case("abac-off", identity.gke_legacy_abac_disabled, make(GkeCluster), {PASS}),
    case("client-cert", identity.gke_no_static_cluster_credentials,
         make(GkeCluster, client_certificate=True), {FAIL}),
    case("basic-auth", identity.gke_no_static_cluster_credentials,
         make(GkeCluster, basic_auth=True), {FAIL}),
    case("no-static-creds", identity.gke_no_static_cluster_credentials,
         make(GkeCluster), {PASS}),
    case("oslogin-on", identity.gce_os_login_enabled,
         make(ComputeInstance, os_login=True), {PASS}),
    case("oslogin-off", identity.gce_os_login_enabled,
         make(ComputeInstance, os_login=False), {FAIL}),
    case("oslogin-unset-no-project", identity.gce_os_login_enabled,
         make(ComputeInstance), {NE}),
    case("oslogin-from-project", identity.gce_os_login_enabled, make(ComputeInstance), {PASS},
         replace(make(ProjectMetadata, os_login=True), address="pm")),
    case("oslogin-project-off", identity.gce_os_login_enabled, make(ComputeInstance), {FAIL},
         replace(make(ProjectMetadata, os_login=False), address="pm")),
    case("oslogin-project-item-other-key", identity.gce_os_login_enabled,
         make(ProjectMetadata), {NA}),
    case("oslogin-unknown", identity.gce_os_login_enabled,
         make(ComputeInstance, os_login=U), {NE}),
    case("ubla-on", identity.gcs_bucket_uniform_access,
         make(StorageBucket, uniform_access=True), {PASS}),
    case("ubla-off", identity.gcs_bucket_uniform_access, make(StorageBucket), {FAIL}),
    case("ubla-unknown", identity.gcs_bucket_uniform_access,
         make(StorageBucket, uniform_access=U), {NE}),
]

# --- encryption -----------------------------------------------------------------------------

ENCRYPTION = [
    case("ssl-mode-encrypted", encryption.cloud_sql_requires_tls,
         sql(ssl_mode="ENCRYPTED_ONLY"), {PASS}),
    case("ssl-mode-certs", encryption.cloud_sql_requires_tls,
         sql(ssl_mode="TRUSTED_CLIENT_CERTIFICATE_REQUIRED"), {PASS}),
    case("require-ssl-legacy", encryption.cloud_sql_requires_tls,
         sql(require_ssl=True), {PASS}),
    case("ssl-default", encryption.cloud_sql_requires_tls, sql(), {FAIL}),
    case("ssl-allow-both", encryption.cloud_sql_requires_tls,
         sql(ssl_mode="ALLOW_UNENCRYPTED_AND_ENCRYPTED"), {FAIL}),
    case("ssl-mode-unknown", encryption.cloud_sql_requires_tls, sql(ssl_mode=U), {NE}),
    case("policy-modern", encryption.gcp_ssl_policy_is_modern,
         make(SslPolicy, min_tls_version="TLS_1_2", profile="MODERN"), {PASS}),
    case("policy-restricted", encryption.gcp_ssl_policy_is_modern,
         make(SslPolicy, min_tls_version="TLS_1_2", profile="RESTRICTED"), {PASS}),
    case("policy-defaults", encryption.gcp_ssl_policy_is_modern, make(SslPolicy), {FAIL}),
    case("policy-modern-tls10", encryption.gcp_ssl_policy_is_modern,
         make(SslPolicy, profile="MODERN"), {FAIL}),
    case("policy-custom-rsa", encryption.gcp_ssl_policy_is_modern,
         make(SslPolicy, min_tls_version="TLS_1_2", profile="CUSTOM",
              custom_features=("TLS_RSA_WITH_AES_256_GCM_SHA384",)), {FAIL}),
    case("policy-custom-ecdhe", encryption.gcp_ssl_policy_is_modern,
         make(SslPolicy, min_tls_version="TLS_1_2", profile="CUSTOM",
              custom_features=("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",)), {PASS}),
    case("policy-unknown", encryption.gcp_ssl_policy_is_modern,
         make(SslPolicy, min_tls_version=U, profile="MODERN"), {NE}),
    case("https-no-policy", encryption.gcp_tls_proxy_has_ssl_policy,
         make(TargetProxy), {FAIL}),
    case("https-policy", encryption.gcp_tls_proxy_has_ssl_policy,
         make(TargetProxy, ssl_policy=Reference("google_compute_ssl_policy.p", "id")), {PASS}),
    case("https-http-proxy", encryption.gcp_tls_proxy_has_ssl_policy,
         make(TargetProxy, protocol="HTTP"), {NA}),
    case("http-redirect", encryption.gcp_http_proxy_redirects_to_https,
         make(TargetProxy, protocol="HTTP", redirects_to_https=True), {PASS}),
    case("http-serves", encryption.gcp_http_proxy_redirects_to_https,
         make(TargetProxy, protocol="HTTP"), {FAIL}),
    case("http-url-map-unknown", encryption.gcp_http_proxy_redirects_to_https,
         make(TargetProxy, protocol="HTTP", redirects_to_https=U), {NE}),
    case("fn-secure-always", encryption.cloud_function_https_only,
         make(CloudFunction, http_trigger=True, https_only=True), {PASS}),
    case("fn-secure-optional", encryption.cloud_function_https_only,
         make(CloudFunction, http_trigger=True), {FAIL}),
    case("fn-event", encryption.cloud_function_https_only, make(CloudFunction), {NA}),
    case("fn-gen2", encryption.cloud_function_https_only,
         make(CloudFunction, generation=2, http_trigger=True), {NA}),
    case("dnssec-on", encryption.dns_public_zone_dnssec,
         make(DnsManagedZone, dnssec_state="on"), {PASS}),
    case("dnssec-off", encryption.dns_public_zone_dnssec, make(DnsManagedZone), {FAIL}),
    case("dnssec-rsasha1", encryption.dns_public_zone_dnssec,
         make(DnsManagedZone, dnssec_state="on", key_algorithms=("rsasha1",)), {FAIL}),
    case("dnssec-private", encryption.dns_public_zone_dnssec,
         make(DnsManagedZone, visibility="private"), {NA}),
    case("dnssec-unknown", encryption.dns_public_zone_dnssec,
         make(DnsManagedZone, dnssec_state=U), {NE}),
]

# --- keys -----------------------------------------------------------------------------------

KEY_REF = Reference("google_kms_crypto_key.k", "id")
KEYS = [
    case("rotation-90d", keys.kms_crypto_key_rotates,
         make(KmsCryptoKey, rotation_period_seconds=90 * 86400), {PASS}),
    case("rotation-none", keys.kms_crypto_key_rotates, make(KmsCryptoKey), {FAIL}),
    case("rotation-1y", keys.kms_crypto_key_rotates,
         make(KmsCryptoKey, rotation_period_seconds=365 * 86400), {FAIL}),
    case("rotation-asymmetric", keys.kms_crypto_key_rotates,
         make(KmsCryptoKey, purpose="ASYMMETRIC_SIGN"), {NA}),
    case("rotation-unknown", keys.kms_crypto_key_rotates,
         make(KmsCryptoKey, rotation_period_seconds=U), {NE}),
    case("hsm-high-value", keys.kms_high_value_key_in_hsm,
         make(KmsCryptoKey, tags={"high_value": "true"}, protection_level="HSM"), {PASS}),
    case("software-high-value", keys.kms_high_value_key_in_hsm,
         make(KmsCryptoKey, tags={"high_value": "true"}), {FAIL}),
    case("software-ordinary", keys.kms_high_value_key_in_hsm, make(KmsCryptoKey), {NA}),
    case("hsm-labels-unknown", keys.kms_high_value_key_in_hsm,
         make(KmsCryptoKey, tags=U), {NE}),
    case("key-public", keys.kms_crypto_key_not_public,
         make(KmsCryptoKey, iam=(grant("allUsers", "roles/cloudkms.cryptoKeyDecrypter"),)),
         {FAIL}),
    case("key-private", keys.kms_crypto_key_not_public, make(KmsCryptoKey), {PASS}),
    case("key-iam-unknown", keys.kms_crypto_key_not_public, make(KmsCryptoKey, iam=U), {NE}),
    case("bucket-cmek", keys.gcs_ephi_bucket_uses_cmek,
         make(StorageBucket, tags=EPHI, kms_key=KEY_REF), {PASS}),
    case("bucket-google-key", keys.gcs_ephi_bucket_uses_cmek,
         make(StorageBucket, tags=EPHI), {FAIL}),
    case("bucket-not-ephi", keys.gcs_ephi_bucket_uses_cmek, make(StorageBucket), {NA}),
    case("bucket-key-unknown", keys.gcs_ephi_bucket_uses_cmek,
         make(StorageBucket, tags=EPHI, kms_key=U), {NE}),
    case("disk-csek", keys.gce_ephi_disk_uses_cmek,
         make(ComputeDisk, tags=EPHI, customer_supplied=True), {PASS}),
    case("disk-google-key", keys.gce_ephi_disk_uses_cmek, make(ComputeDisk, tags=EPHI), {FAIL}),
    case("sql-cmek", keys.cloud_sql_ephi_uses_cmek, sql(tags=EPHI, kms_key=KEY_REF), {PASS}),
    case("sql-google-key", keys.cloud_sql_ephi_uses_cmek, sql(tags={"phi": "true"}), {FAIL}),
    case("dataset-google-key", keys.bigquery_ephi_dataset_uses_cmek,
         make(BigQueryDataset, tags=EPHI), {FAIL}),
    case("topic-cmek", keys.pubsub_ephi_topic_uses_cmek,
         make(PubSubTopic, tags=EPHI, kms_key=KEY_REF), {PASS}),
    case("gke-secrets-encrypted", keys.gke_secrets_encrypted_with_kms,
         make(GkeCluster, secrets_encryption="ENCRYPTED"), {PASS}),
    case("gke-secrets-plain", keys.gke_secrets_encrypted_with_kms, make(GkeCluster), {FAIL}),
]

# --- secrets, serverless --------------------------------------------------------------------

PUBLIC = {"exposure": "public"}
SERVERLESS = [
    case("env-token", secrets.gcp_serverless_environment_has_no_plaintext_secrets,
         make(CloudFunction, environment={"API_TOKEN": "tok_live_1234567890"}), {FAIL}),
    case("env-plain-config", secrets.gcp_serverless_environment_has_no_plaintext_secrets,
         make(CloudRunService, environment={"LOG_LEVEL": "info"}), {PASS}),
    case("env-secret-ref", secrets.gcp_serverless_environment_has_no_plaintext_secrets,
         make(CloudRunService,
              environment={"DB_PASSWORD": "projects/p/secrets/db/versions/latest"}), {PASS}),
    case("env-none", secrets.gcp_serverless_environment_has_no_plaintext_secrets,
         make(CloudRunService), {PASS}),
    case("env-unknown", secrets.gcp_serverless_environment_has_no_plaintext_secrets,
         make(CloudRunService, environment=U), {NE}),
    case("invoker-all-users", serverless.gcp_serverless_requires_authenticated_invocation,
         make(CloudRunService, iam=(grant("allUsers", "roles/run.invoker"),)), {FAIL}),
    case("invoker-iam-disabled", serverless.gcp_serverless_requires_authenticated_invocation,
         make(CloudRunService, public_invoker=True), {FAIL}),
    case("invoker-public-label", serverless.gcp_serverless_requires_authenticated_invocation,
         make(CloudRunService, tags=PUBLIC, iam=(grant("allUsers", "roles/run.invoker"),)),
         {NA}),
    case("invoker-sa", serverless.gcp_serverless_requires_authenticated_invocation,
         make(CloudFunction, iam=(grant("serviceAccount:a@p.iam.gserviceaccount.com"),)),
         {PASS}),
    case("invoker-labels-unknown", serverless.gcp_serverless_requires_authenticated_invocation,
         make(CloudFunction, tags=U), {NE}),
    case("ingress-all", serverless.gcp_serverless_ingress_restricted,
         make(CloudRunService), {FAIL}),
    case("ingress-internal", serverless.gcp_serverless_ingress_restricted,
         make(CloudRunService, ingress="internal-and-gclb"), {PASS}),
    case("ingress-public-label", serverless.gcp_serverless_ingress_restricted,
         make(CloudRunService, tags=PUBLIC), {NA}),
    case("ingress-event-function", serverless.gcp_serverless_ingress_restricted,
         make(CloudFunction), {NA}),
    case("ingress-http-function", serverless.gcp_serverless_ingress_restricted,
         make(CloudFunction, http_trigger=True), {FAIL}),
    case("ingress-unknown", serverless.gcp_serverless_ingress_restricted,
         make(CloudRunService, ingress=U), {NE}),
    case("serverless-cmek", serverless.gcp_serverless_ephi_uses_cmek,
         make(CloudRunService, tags=EPHI, kms_key=KEY_REF), {PASS}),
    case("serverless-google-key", serverless.gcp_serverless_ephi_uses_cmek,
         make(CloudFunction, tags=EPHI), {FAIL}),
]

# --- containers -----------------------------------------------------------------------------

CONTAINERS = [
    case("binauthz-enforced", containers.gke_binary_authorization_enforced,
         make(GkeCluster, binary_authorization="PROJECT_SINGLETON_POLICY_ENFORCE"), {PASS}),
    case("binauthz-off", containers.gke_binary_authorization_enforced,
         make(GkeCluster), {FAIL}),
    case("binauthz-unknown", containers.gke_binary_authorization_enforced,
         make(GkeCluster, binary_authorization=U), {NE}),
    case("channel-regular", containers.gke_release_channel_enrolled,
         make(GkeCluster, release_channel="REGULAR"), {PASS}),
    case("channel-unset", containers.gke_release_channel_enrolled, make(GkeCluster), {PASS}),
    case("channel-unspecified", containers.gke_release_channel_enrolled,
         make(GkeCluster, release_channel="UNSPECIFIED"), {FAIL}),
    case("auto-upgrade-default", containers.gke_node_pool_auto_upgrade,
         make(GkeNodePool), {PASS}),
    case("auto-upgrade-off", containers.gke_node_pool_auto_upgrade,
         make(GkeNodePool, auto_upgrade=False), {FAIL}),
    case("auto-repair-unknown", containers.gke_node_pool_auto_upgrade,
         make(GkeNodePool, auto_repair=U), {NE}),
    case("netpol-dpv2", containers.gke_network_policy_enforced,
         make(GkeCluster, dataplane_v2=True), {PASS}),
    case("netpol-calico", containers.gke_network_policy_enforced,
         make(GkeCluster, network_policy=True), {PASS}),
    case("netpol-none", containers.gke_network_policy_enforced, make(GkeCluster), {FAIL}),
    case("netpol-autopilot", containers.gke_network_policy_enforced,
         make(GkeCluster, autopilot=True), {PASS}),
    case("shielded-default", containers.gke_shielded_nodes, make(GkeCluster), {PASS}),
    case("shielded-off", containers.gke_shielded_nodes,
         make(GkeCluster, shielded_nodes=False), {FAIL}),
    case("node-secure-boot", containers.gke_node_pool_secure_boot,
         make(GkeNodePool, secure_boot=True), {PASS}),
    case("node-no-secure-boot", containers.gke_node_pool_secure_boot,
         make(GkeNodePool), {FAIL}),
    case("metadata-gke", containers.gke_node_metadata_not_exposed,
         make(GkeNodePool, workload_metadata="GKE_METADATA"), {PASS}),
    case("metadata-gce", containers.gke_node_metadata_not_exposed,
         make(GkeNodePool, workload_metadata="GCE_METADATA"), {FAIL}),
    case("metadata-unset", containers.gke_node_metadata_not_exposed,
         make(GkeNodePool), {PASS}),
    case("registry-public", containers.artifact_registry_not_public,
         make(ArtifactRepository, iam=(grant("allUsers", "roles/artifactregistry.reader"),)),
         {FAIL}),
    case("registry-private", containers.artifact_registry_not_public,
         make(ArtifactRepository), {PASS}),
]

# --- backup and recovery --------------------------------------------------------------------

BACKUP = [
    case("backups-on", backup.cloud_sql_backups_retained, sql(backups_enabled=True), {PASS}),
    case("backups-off", backup.cloud_sql_backups_retained, sql(), {FAIL}),
    case("backups-short", backup.cloud_sql_backups_retained,
         sql(backups_enabled=True, retained_backups=3), {FAIL}),
    case("backups-replica", backup.cloud_sql_backups_retained, sql(is_replica=True), {NA}),
    case("backups-unknown", backup.cloud_sql_backups_retained, sql(backups_enabled=U), {NE}),
    case("pitr-postgres", backup.cloud_sql_point_in_time_recovery,
         sql(backups_enabled=True, point_in_time_recovery=True), {PASS}),
    case("pitr-mysql-binlog", backup.cloud_sql_point_in_time_recovery,
         sql(database_version="MYSQL_8_0", backups_enabled=True, binary_log=True), {PASS}),
    case("pitr-mysql-no-binlog", backup.cloud_sql_point_in_time_recovery,
         sql(database_version="MYSQL_8_0", backups_enabled=True,
             point_in_time_recovery=True), {FAIL}),
    case("pitr-off", backup.cloud_sql_point_in_time_recovery,
         sql(backups_enabled=True), {FAIL}),
    case("pitr-without-backups", backup.cloud_sql_point_in_time_recovery,
         sql(point_in_time_recovery=True), {FAIL}),
    case("pitr-unknown", backup.cloud_sql_point_in_time_recovery,
         sql(backups_enabled=True, point_in_time_recovery=U), {NE}),
    case("versioning-on", backup.gcs_bucket_versioning,
         make(StorageBucket, versioning=True), {PASS}),
    case("versioning-retention", backup.gcs_bucket_versioning,
         make(StorageBucket, retention_period_seconds=86400), {PASS}),
    case("versioning-off", backup.gcs_bucket_versioning, make(StorageBucket), {FAIL}),
    case("versioning-unknown", backup.gcs_bucket_versioning,
         make(StorageBucket, versioning=U), {NE}),
    case("ha-regional", backup.cloud_sql_high_availability,
         sql(availability_type="REGIONAL"), {PASS}),
    case("ha-zonal", backup.cloud_sql_high_availability, sql(), {FAIL}),
    case("ha-replica", backup.cloud_sql_high_availability, sql(is_replica=True), {NA}),
    case("delete-protected-default", backup.cloud_sql_deletion_protection, sql(), {PASS}),
    case("delete-protected-api", backup.cloud_sql_deletion_protection,
         sql(deletion_protection=False, deletion_protection_api=True), {PASS}),
    case("delete-unprotected", backup.cloud_sql_deletion_protection,
         sql(deletion_protection=False), {FAIL}),
    case("delete-unknown", backup.cloud_sql_deletion_protection,
         sql(deletion_protection=U), {NE}),
]

# --- monitoring -----------------------------------------------------------------------------

SINK = replace(make(LogSink, destination="storage.googleapis.com/acme-logs"), address="sink")
MONITORING = [
    case("audit-all", monitoring.gcp_audit_config_records_data_access,
         make(AuditConfig, service="allServices",
              log_types=("ADMIN_READ", "DATA_READ", "DATA_WRITE")), {PASS}),
    case("audit-no-read", monitoring.gcp_audit_config_records_data_access,
         make(AuditConfig, service="allServices", log_types=("DATA_WRITE",)), {FAIL}),
    case("audit-exempt", monitoring.gcp_audit_config_records_data_access,
         make(AuditConfig, service="allServices", log_types=("DATA_READ", "DATA_WRITE"),
              exempted_members=("user:a@example.com",)), {FAIL}),
    case("audit-one-service", monitoring.gcp_audit_config_records_data_access,
         make(AuditConfig, service="storage.googleapis.com", log_types=("DATA_READ",)), {PASS}),
    case("audit-unknown", monitoring.gcp_audit_config_records_data_access,
         make(AuditConfig, service="allServices", log_types=U), {NE}),
    case("log-bucket-400d", monitoring.logging_bucket_retention_meets_minimum,
         make(LoggingBucket, retention_days=400), {PASS}),
    case("log-bucket-default", monitoring.logging_bucket_retention_meets_minimum,
         make(LoggingBucket), {FAIL}),
    case("log-bucket-unknown", monitoring.logging_bucket_retention_meets_minimum,
         make(LoggingBucket, retention_days=U), {NE}),
    case("gcs-log-locked", monitoring.gcs_log_bucket_retention_locked,
         make(StorageBucket, bucket_name="acme-logs", retention_period_seconds=400 * 86400,
              retention_locked=True), {PASS}, SINK),
    case("gcs-log-unlocked", monitoring.gcs_log_bucket_retention_locked,
         make(StorageBucket, bucket_name="acme-logs", retention_period_seconds=400 * 86400),
         {FAIL}, SINK),
    case("gcs-log-short", monitoring.gcs_log_bucket_retention_locked,
         make(StorageBucket, bucket_name="acme-logs", retention_period_seconds=86400,
              retention_locked=True), {FAIL}, SINK),
    case("gcs-log-no-policy", monitoring.gcs_log_bucket_retention_locked,
         make(StorageBucket, bucket_name="acme-logs"), {FAIL}, SINK),
    case("gcs-not-a-log-bucket", monitoring.gcs_log_bucket_retention_locked,
         make(StorageBucket, bucket_name="acme-data"), {NA}, SINK),
    case("gcs-access-log-target", monitoring.gcs_log_bucket_retention_locked,
         make(StorageBucket, bucket_name="acme-usage"), {FAIL},
         replace(make(StorageBucket, access_log_bucket="acme-usage"), address="other")),
    case("gke-logging-default", monitoring.gke_logging_and_monitoring_enabled,
         make(GkeCluster), {PASS}),
    case("gke-logging-none", monitoring.gke_logging_and_monitoring_enabled,
         make(GkeCluster, logging_service="none"), {FAIL}),
    case("gke-components-empty", monitoring.gke_logging_and_monitoring_enabled,
         make(GkeCluster, logging_components=()), {FAIL}),
    case("pg-connection-logs", monitoring.cloud_sql_postgres_logs_connections,
         sql(flags={"log_connections": "on", "log_disconnections": "on"}), {PASS}),
    case("pg-no-connection-logs", monitoring.cloud_sql_postgres_logs_connections,
         sql(), {FAIL}),
    case("mysql-not-applicable", monitoring.cloud_sql_postgres_logs_connections,
         sql(database_version="MYSQL_8_0"), {NA}),
    case("pg-flags-unknown", monitoring.cloud_sql_postgres_logs_connections,
         sql(flags=U), {NE}),
    case("subnet-flow-logs", monitoring.gcp_subnetwork_flow_logs,
         make(Subnetwork, flow_logs=True), {PASS}),
    case("subnet-no-flow-logs", monitoring.gcp_subnetwork_flow_logs, make(Subnetwork), {FAIL}),
    case("subnet-proxy-only", monitoring.gcp_subnetwork_flow_logs,
         make(Subnetwork, purpose="REGIONAL_MANAGED_PROXY"), {NA}),
]


@pytest.mark.parametrize(
    ("rule", "resource", "context", "expected"),
    [*NETWORK, *IDENTITY, *ENCRYPTION, *KEYS, *SERVERLESS, *CONTAINERS, *BACKUP, *MONITORING],
)
def test_gcp_rule(rule: Rule, resource: Resource, context: tuple[Resource, ...],
                  expected: set[Status]) -> None:
    assert outcomes(rule, resource, *context) == expected


# --- details ----------------------------------------------------------------------------------


def test_one_failure_per_offending_firewall_entry() -> None:
    fw = firewall(perm("tcp", "22", index=0), perm("tcp", "443", index=1),
                  perm("tcp", "3389", index=2))
    findings = evaluate([fw], RuleSet.of([network.gcp_firewall_blocks_admin_ports_from_internet]))
    assert [(f.status, f.subject) for f in findings] == [
        (FAIL, "permissions[0]"), (FAIL, "permissions[2]")]


def test_an_unknown_grant_never_lets_the_bucket_pass() -> None:
    bucket = make(StorageBucket, iam=(grant(U, path="iam[0]"),
                                      grant("group:a@example.com", path="iam[1]")))
    assert outcomes(network.gcs_bucket_not_public, bucket) == {NE}


def test_approved_locations_come_from_settings() -> None:
    bucket = make(StorageBucket, region="europe-west3")
    settings = Settings(approved_gcp_locations=("europe-west3", "eu"))
    assert outcomes(network.gcp_resource_in_approved_location, bucket,
                    settings=settings) == {PASS}


def test_ssl_policy_minimum_follows_the_tls_setting() -> None:
    policy = make(SslPolicy, min_tls_version="TLS_1_2", profile="RESTRICTED")
    strict = Settings(minimum_tls_version="1.3")
    assert outcomes(encryption.gcp_ssl_policy_is_modern, policy, settings=strict) == {FAIL}


def test_backup_minimum_follows_settings() -> None:
    db = sql(backups_enabled=True, retained_backups=14)
    assert outcomes(backup.cloud_sql_backups_retained, db,
                    settings=Settings(backup_retention_days=30)) == {FAIL}


def test_public_and_high_value_labels_are_configurable() -> None:
    service = make(CloudRunService, tags={"tier": "edge"})
    settings = Settings(public_exposure_tags=("tier=edge",))
    assert outcomes(serverless.gcp_serverless_ingress_restricted, service,
                    settings=settings) == {NA}
    key = make(KmsCryptoKey, tags={"crown_jewel": "yes"})
    settings = Settings(high_value_key_tags=("crown_jewel=yes",))
    assert outcomes(keys.kms_high_value_key_in_hsm, key, settings=settings) == {FAIL}


def test_failures_name_the_offending_field() -> None:
    fn = make(CloudFunction, environment={"STRIPE_API_KEY": "sk_live_abcdefghijklmnop"})
    (finding,) = evaluate(
        [fn], RuleSet.of([secrets.gcp_serverless_environment_has_no_plaintext_secrets]))
    assert finding.status is FAIL
    assert finding.subject == "STRIPE_API_KEY"
    assert "abcdefghijklmnop" not in finding.message  # masked
