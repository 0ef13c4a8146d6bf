"""Normalized Google Cloud resources, filled from Terraform (`google` and `google-beta`).

Field conventions (as in `tutela.model.aws`):
- `bool | Unknown` fields hold the effective setting, the google provider's (or,
  where the provider sends nothing, the Google API's) default applied by the
  adapter: a `google_compute_instance` without `shielded_instance_config` has
  `secure_boot = False`, a node pool without `management` has `auto_upgrade = True`.
- `... | None` means "not set"; `Unknown` means "set, but to a value not known
  before apply"; a `Reference` names another resource (a KMS key, a service
  account) whose identity is known although its id is computed at apply.
- `region` is the resource's location in lower case: a region (`us-central1`), a
  multi-region (`us`), a dual-region (`nam4`) or `global`; a zone is reduced to
  its region (`us-central1-a` -> `us-central1`). It is None where the resource
  takes its location from the provider configuration or from another resource
  (a crypto key lives where its key ring does).
- `iam` holds the roles granted on the resource itself, folded from the
  separate `*_iam_member` / `*_iam_binding` / `*_iam_policy` resources (and, for
  buckets and datasets, ACLs and access blocks); grants whose target is not in
  the scan are `IamBinding` resources of their own.
- labels are the resource's `tags`; GCP label keys and values are lower case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tutela.model.base import Resource
from tutela.model.values import Reference, Unknown, UnknownValueError

Flag = bool | Unknown
Text = str | Unknown | None
KeyRef = str | Reference | Unknown | None
Number = int | Unknown | None
Strings = tuple[str, ...] | Unknown

# Members that stand for everyone: anyone on the internet, any Google account.
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
# Levels of the resource hierarchy whose IAM policies every resource below inherits.
HIERARCHY = ("project", "folder", "organization")
EMPTY_FLAGS: Mapping[str, str] = MappingProxyType({})


def _known(value: object) -> None:
    if isinstance(value, Unknown):
        raise UnknownValueError(value)


class GcpResource(Resource):
    """Marker base for Google Cloud resources (rules on it judge every GCP resource)."""

    __slots__ = ()
    provider = "gcp"
    kind = "gcp_resource"


# --- IAM -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IamGrant:
    """One role granted to members on a resource.

    `path` is the field path a finding points at (`iam[0]`); `granted_by` is the
    address of the declaring resource (an IAM member/binding/policy, an ACL).
    """

    role: str | Unknown
    members: tuple[str, ...] | Unknown
    path: str = ""
    granted_by: str = ""
    conditional: bool = False

    def public_members(self) -> tuple[str, ...]:
        """The members that stand for everyone (raises UnknownValueError if not known)."""
        members = self.members
        _known(members)
        assert not isinstance(members, Unknown)
        return tuple(m for m in members if is_public_member(m))


def is_public_member(member: str) -> bool:
    """`allUsers` / `allAuthenticatedUsers` (any case, with or without a `group:`-like prefix)."""
    bare = member.strip().rpartition(":")[2].lower()
    return bare in ("allusers", "allauthenticatedusers")


Grants = tuple[IamGrant, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class IamBinding(GcpResource):
    """A role granted on a project, folder or organization, or on a resource not in the scan.

    `target_kind` is `project`, `folder`, `organization`, `billing_account` or the
    kind of resource the grant is on (`storage_bucket`, `service_account`,
    `kms_key_ring`, `cloud_run_service`...); `target` names it.
    """

    kind = "gcp_iam_binding"

    target_kind: str = "project"
    target: Text = None
    role: Text = None
    members: Strings = ()
    conditional: bool = False

    @property
    def on_hierarchy(self) -> bool:
        return self.target_kind in HIERARCHY


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceAccount(GcpResource):
    """A service account and the user-managed keys declared for it.

    A `google_service_account_key` whose account is not in the scan is a
    ServiceAccount of its own (`declared = False`).
    """

    kind = "gcp_service_account"

    account_id: Text = None
    keys: tuple[str, ...] = ()  # addresses of google_service_account_key resources
    declared: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditConfig(GcpResource):
    """Cloud Audit Logs configuration for one service on a project, folder or organization."""

    kind = "gcp_audit_config"

    scope_kind: str = "project"
    service: Text = None  # "allServices" or a service name
    log_types: Strings = ()  # ADMIN_READ, DATA_READ, DATA_WRITE
    exempted_members: Strings = ()


# --- storage ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StorageBucket(GcpResource):
    kind = "gcs_bucket"

    bucket_name: Text = None
    uniform_access: Flag = False  # provider default false
    public_access_prevention: Text = "inherited"  # provider default "inherited"
    versioning: Flag = False
    kms_key: KeyRef = None  # encryption.default_kms_key_name
    retention_period_seconds: Number = None
    retention_locked: Flag = False
    access_log_bucket: Text = None  # logging.log_bucket
    iam: Grants | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BigQueryDataset(GcpResource):
    kind = "bigquery_dataset"

    dataset_id: Text = None
    kms_key: KeyRef = None  # default_encryption_configuration.kms_key_name
    iam: Grants | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PubSubTopic(GcpResource):
    kind = "pubsub_topic"

    kms_key: KeyRef = None
    iam: Grants | Unknown = ()


# --- compute ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GceMetadata(GcpResource):
    """Compute Engine metadata that changes how instances accept logins and consoles.

    Each is the metadata value as a flag, None when the key is not set:
    `enable-oslogin`, `serial-port-enable`, `block-project-ssh-keys`.
    """

    kind = "gce_metadata"

    os_login: Flag | None = None
    serial_port: Flag | None = None
    block_project_ssh_keys: Flag | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectMetadata(GceMetadata):
    """Project-wide metadata (`google_compute_project_metadata` or one `_item`)."""

    kind = "gce_project_metadata"


@dataclass(frozen=True, slots=True, kw_only=True)
class ComputeInstance(GceMetadata):
    """A Compute Engine instance or instance template (`is_template`).

    `service_account` is None when no service account is attached, `"default"`
    for the Compute Engine default service account, else its email or a
    Reference to the `google_service_account` resource.
    """

    kind = "gce_instance"

    is_template: bool = False
    image: Text = None
    secure_boot: Flag = False  # shielded_instance_config.enable_secure_boot, default false
    vtpm: Flag = True  # enable_vtpm, default true
    integrity_monitoring: Flag = True  # enable_integrity_monitoring, default true
    confidential: Flag = False
    ip_forwarding: Flag = False
    public_ip: Flag = False  # an access_config (or ipv6_access_config) on any interface
    service_account: KeyRef = None
    scopes: Strings = ()

    @property
    def uses_default_service_account(self) -> bool:
        """True when the instance runs as the Compute Engine default service account."""
        account = self.service_account
        _known(account)
        return account is not None and is_default_compute_account(account)


def is_default_compute_account(account: object) -> bool:
    """`default`, `<number>-compute@developer.gserviceaccount.com`, or a reference to
    the `google_compute_default_service_account` data source."""
    if isinstance(account, Reference):
        return account.target.rpartition("data.")[2].startswith(
            "google_compute_default_service_account"
        )
    if not isinstance(account, str):
        return False
    text = account.strip().lower()
    return text == "default" or text.endswith("-compute@developer.gserviceaccount.com")


@dataclass(frozen=True, slots=True, kw_only=True)
class ComputeDisk(GcpResource):
    """A persistent disk, or the boot/attached disk an instance or template creates.

    `kms_key` is the customer-managed key (CMEK); `customer_supplied` is true for
    a raw or RSA-wrapped customer-supplied key (CSEK).
    """

    kind = "gce_disk"

    kms_key: KeyRef = None
    customer_supplied: Flag = False
    attached_to: str | None = None


@dataclass(frozen=True, slots=True)
class FirewallPermission:
    """One `allow`/`deny` entry (or layer-4 config): protocol and port list (empty = all)."""

    protocol: str | Unknown
    ports: tuple[str, ...] | Unknown = ()
    path: str = ""

    def covers_port(self, port: int) -> bool:
        """True when the entry admits `port` (raises UnknownValueError when not known)."""
        proto = self.protocol
        _known(proto)
        assert isinstance(proto, str)
        proto = proto.strip().lower()
        if proto in ("all", "-1"):
            return True
        if proto not in ("tcp", "6", "udp", "17", "sctp", "132"):
            return False
        ports = self.ports
        _known(ports)
        assert not isinstance(ports, Unknown)
        if not ports:
            return True
        for entry in ports:
            low, sep, high = str(entry).strip().partition("-")
            if not low.isdigit() or (sep and not high.isdigit()):
                raise UnknownValueError(Unknown(f"port {entry!r} is not a number or range"))
            if int(low) <= port <= int(high if sep else low):
                return True
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Firewall(GcpResource):
    """A VPC firewall rule, or a rule of a (hierarchical or network) firewall policy.

    `sources_set` is true when the rule names any source (ranges, tags, service
    accounts, address groups...): an ingress rule without one applies to
    0.0.0.0/0. `action` is `allow`, `deny`, or a policy action (`goto_next`...).
    """

    kind = "gcp_firewall"

    direction: Text = "INGRESS"
    action: Text = "allow"
    disabled: Flag = False
    source_ranges: Strings = ()
    sources_set: Flag = False
    permissions: tuple[FirewallPermission, ...] | Unknown = ()
    logging: Flag = False
    priority: Number = 1000

    @property
    def open_to_internet(self) -> bool:
        """Admits traffic from anywhere (raises UnknownValueError if the sources are unknown)."""
        ranges, named = self.source_ranges, self.sources_set
        _known(ranges)
        assert not isinstance(ranges, Unknown)
        if any(r.strip() in ("0.0.0.0/0", "::/0") for r in ranges):
            return True
        if ranges:
            return False
        _known(named)
        return not named


@dataclass(frozen=True, slots=True, kw_only=True)
class Subnetwork(GcpResource):
    kind = "gcp_subnetwork"

    flow_logs: Flag = False  # a log_config block
    purpose: Text = "PRIVATE"
    private_google_access: Flag = False


# --- databases -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SqlDatabaseInstance(GcpResource):
    """A Cloud SQL instance (`is_replica` for read replicas)."""

    kind = "cloud_sql_instance"

    database_version: Text = None
    is_replica: Flag = False
    ipv4_enabled: Flag = True  # provider default true
    authorized_networks: Strings = ()
    private_network: KeyRef = None
    ssl_mode: Text = None  # ALLOW_UNENCRYPTED_AND_ENCRYPTED (API default), ENCRYPTED_ONLY...
    require_ssl: Flag | None = None  # legacy flag (removed in provider v6)
    backups_enabled: Flag = False
    binary_log: Flag = False  # MySQL point-in-time recovery
    point_in_time_recovery: Flag = False  # PostgreSQL / SQL Server
    retained_backups: Number = 7  # API default
    retention_unit: Text = "COUNT"
    availability_type: Text = "ZONAL"
    deletion_protection: Flag = True  # Terraform-side guard, provider default true
    deletion_protection_api: Flag = False  # settings.deletion_protection_enabled
    flags: Mapping[str, str] | Unknown = field(default_factory=lambda: EMPTY_FLAGS)
    kms_key: KeyRef = None

    @property
    def engine(self) -> str | Unknown | None:
        """`postgres`, `mysql` or `sqlserver` from the database version."""
        version = self.database_version
        if not isinstance(version, str):
            return version
        low = version.lower()
        for engine in ("postgres", "mysql", "sqlserver"):
            if low.startswith(engine):
                return engine
        return low


# --- GKE ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GkeCluster(GcpResource):
    """A GKE cluster. Its default node pool (when created) is a GkeNodePool of its own."""

    kind = "gke_cluster"

    autopilot: Flag = False
    private_nodes: Flag = False
    private_endpoint: Flag = False
    # None: no master_authorized_networks_config, the public endpoint accepts any address.
    master_authorized_networks: Strings | None = None
    public_cidrs_access: Flag = False  # gcp_public_cidrs_access_enabled
    workload_pool: Text = None
    shielded_nodes: Flag = True  # provider default true
    legacy_abac: Flag = False
    client_certificate: Flag = False
    basic_auth: Flag = False
    network_policy: Flag = False
    dataplane_v2: Flag = False  # datapath_provider = ADVANCED_DATAPATH enforces policies
    binary_authorization: Text = "DISABLED"  # evaluation mode
    logging_service: Text = "logging.googleapis.com/kubernetes"
    monitoring_service: Text = "monitoring.googleapis.com/kubernetes"
    logging_components: Strings | None = None  # logging_config.enable_components
    release_channel: Text = None  # None: GKE enrolls new clusters in REGULAR
    secrets_encryption: Text = "DECRYPTED"  # database_encryption.state
    secrets_key: KeyRef = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GkeNodePool(GcpResource):
    """A GKE node pool: `google_container_node_pool`, an inline `node_pool`, or the
    cluster's default pool (`is_default`)."""

    kind = "gke_node_pool"

    cluster: Text = None
    is_default: bool = False
    auto_upgrade: Flag = True  # management.auto_upgrade, enabled by default
    auto_repair: Flag = True
    service_account: KeyRef = None  # None: the Compute Engine default service account
    secure_boot: Flag = False
    integrity_monitoring: Flag = True
    workload_metadata: Text = None  # GKE_METADATA, GCE_METADATA; None: the cluster's default

    @property
    def uses_default_service_account(self) -> bool:
        account = self.service_account
        _known(account)
        return account is None or is_default_compute_account(account)


# --- keys -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KmsKeyRing(GcpResource):
    kind = "kms_key_ring"


@dataclass(frozen=True, slots=True, kw_only=True)
class KmsCryptoKey(GcpResource):
    kind = "kms_crypto_key"

    purpose: Text = "ENCRYPT_DECRYPT"
    rotation_period_seconds: Number = None  # None: never rotated automatically
    protection_level: Text = "SOFTWARE"
    key_ring: KeyRef = None
    iam: Grants | Unknown = ()


# --- serverless ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerlessService(GcpResource):
    """What Cloud Functions and Cloud Run services share.

    `ingress` is normalized to `all`, `internal` or `internal-and-gclb`.
    `environment` holds the literal environment values (names -> values); values
    read from Secret Manager are not in it. `public_invoker` is true when the
    service lets anyone invoke it without IAM (Cloud Run `invoker_iam_disabled`).
    """

    kind = "gcp_serverless"

    ingress: Text = "all"
    environment: Mapping[str, object] | Unknown | None = None
    kms_key: KeyRef = None
    vpc_connector: KeyRef = None
    service_account: KeyRef = None
    public_invoker: Flag = False
    iam: Grants | Unknown = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudFunction(ServerlessService):
    """A Cloud Function, 1st (`generation = 1`) or 2nd generation."""

    kind = "cloud_function"

    generation: int = 1
    http_trigger: Flag = False
    https_only: Flag = False  # 1st gen: https_trigger_security_level = SECURE_ALWAYS


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudRunService(ServerlessService):
    kind = "cloud_run_service"


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactRepository(GcpResource):
    kind = "artifact_registry_repository"

    format: Text = None
    kms_key: KeyRef = None
    iam: Grants | Unknown = ()


# --- load balancing, TLS, DNS ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SslPolicy(GcpResource):
    kind = "gcp_ssl_policy"

    min_tls_version: Text = "TLS_1_0"  # provider default
    profile: Text = "COMPATIBLE"  # provider default
    custom_features: Strings = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetProxy(GcpResource):
    """A load balancer's target proxy: `HTTPS`, `SSL` (TLS) or plain `HTTP`.

    `redirects_to_https` is known for HTTP proxies whose URL map is in the scan.
    """

    kind = "gcp_target_proxy"

    protocol: str = "HTTPS"
    ssl_policy: KeyRef = None
    url_map: KeyRef = None
    redirects_to_https: Flag = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsManagedZone(GcpResource):
    kind = "dns_managed_zone"

    visibility: Text = "public"
    dnssec_state: Text = "off"
    key_algorithms: Strings = ()


# --- logging ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggingBucket(GcpResource):
    """A Cloud Logging bucket's configuration (project, folder, organization, billing)."""

    kind = "logging_bucket"

    bucket_id: Text = None
    retention_days: Number = 30  # provider default
    locked: Flag = False
    kms_key: KeyRef = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LogSink(GcpResource):
    """A log router sink; `destination` as written (`storage.googleapis.com/<bucket>`...)."""

    kind = "logging_sink"

    destination: Text = None
    filter: Text = None
    disabled: Flag = False

    @property
    def storage_bucket(self) -> str | None:
        """The Cloud Storage bucket the sink writes to, when that is known."""
        dest = self.destination
        prefix = "storage.googleapis.com/"
        if isinstance(dest, str) and dest.startswith(prefix):
            return dest[len(prefix):].strip("/") or None
        return None
