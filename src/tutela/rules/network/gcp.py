"""3.1 on Google Cloud: data residency, exposure to the internet and instance baselines."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import (
    BigQueryDataset,
    ComputeInstance,
    Firewall,
    GceMetadata,
    GcpResource,
    GkeCluster,
    Grants,
    SqlDatabaseInstance,
    StorageBucket,
)
from tutela.model.values import Unknown, UnknownValueError, is_unknown
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.settings import Settings

ADMIN_PORTS = {22: "SSH", 3389: "RDP", 23: "Telnet", 5985: "WinRM", 5986: "WinRM over TLS"}
DATABASE_PORTS = {
    1433: "SQL Server",
    1521: "Oracle",
    3306: "MySQL",
    5432: "PostgreSQL",
    6379: "Redis",
    9042: "Cassandra",
    9200: "Elasticsearch",
    11211: "Memcached",
    27017: "MongoDB",
}
WORLD = ("0.0.0.0/0", "::/0")


def public_grant_verdicts(
    grants: Grants | Unknown, *, include_acl: bool = True, what: str = "resource"
) -> Iterator[Verdict]:
    """One failure per grant to allUsers/allAuthenticatedUsers, unknowns per unknown grant,
    else one pass. ACL grants (`acl:<ROLE>`) are skipped when `include_acl` is false
    (uniform bucket-level access disables ACLs)."""
    if is_unknown(grants):
        yield unknown(f"the IAM grants are not known before apply: {grants.reason}", at="iam")
        return

    def problems() -> Iterator[Verdict]:
        for grant in grants:
            role = grant.role
            if not include_acl and isinstance(role, str) and role.startswith("acl:"):
                continue
            try:
                public = grant.public_members()
            except UnknownValueError as exc:
                yield unknown(f"members granted by {grant.granted_by} are not known: "
                              f"{exc.unknown.reason}", at=grant.path, subject=grant.granted_by)
                continue
            if public:
                role_text = role if isinstance(role, str) else "a role not known before apply"
                yield failed(f"{grant.granted_by} grants {role_text} to {', '.join(public)}",
                             at=grant.path, subject=grant.granted_by)

    yield from or_passed(problems(), f"no {what} access for allUsers or allAuthenticatedUsers")


# --- data residency -------------------------------------------------------------------------


@rule(
    code="NET212",
    controls=("3.1.1.b.3",),
    severity=Severity.HIGH,
    remediation="""
        Create resources only in approved locations (`[settings] approved_gcp_locations`,
        default the US regions, the `us` multi-region and the `nam4` dual-region). Enforce
        it for the whole organisation with the `gcp.resourceLocations` policy constraint.
    """,
    snippets={
        "terraform": """
            resource "google_storage_bucket" "records" {
              name     = "acme-records"
              location = "US-EAST4"
            }
        """,
    },
)
def gcp_resource_in_approved_location(resource: GcpResource, settings: Settings
                                      ) -> Iterator[Verdict]:
    """Google Cloud resources are created in approved locations.

    Why: ePHI must stay in the geographies the organisation and its regulators approve;
    a bucket, database or cluster in another location moves regulated data abroad.
    Resources that take their location from the provider configuration or from another
    resource (a crypto key from its key ring) are judged where that location is declared.
    """
    region = resource.region
    if region is None:
        return
    if is_unknown(region):
        yield unknown(f"the location is not known before apply: {region.reason}", at="region")
        return
    approved = {r.lower() for r in settings.approved_gcp_locations}
    if region.lower() not in approved:
        yield failed(f"location {region!r} is not an approved location", at="region")
        return
    yield passed(f"location {region}")


# --- firewalls --------------------------------------------------------------------------------


def _exposed(rule_: Firewall, ports: dict[int, str]) -> Iterator[Verdict]:
    direction = rule_.direction
    if is_unknown(direction):
        yield unknown(f"direction not known: {direction.reason}", at="direction")
        return
    if direction != "INGRESS":
        yield not_applicable("an egress rule")
        return
    action = rule_.action
    if is_unknown(action):
        yield unknown(f"action not known: {action.reason}", at="action")
        return
    if action not in ("allow",):
        yield not_applicable(f"a {action} rule admits nothing")
        return
    if rule_.disabled is True:
        yield passed("the rule is disabled")
        return
    if is_unknown(rule_.disabled):
        yield unknown(f"disabled not known: {rule_.disabled.reason}", at="disabled")
        return
    try:
        world = rule_.open_to_internet
    except UnknownValueError as exc:
        yield unknown(f"the sources are not known before apply: {exc.unknown.reason}",
                      at="source_ranges")
        return
    if not world:
        yield passed("the rule admits specific sources only")
        return
    permissions = rule_.permissions
    if is_unknown(permissions):
        yield unknown(f"the allowed protocols are not known: {permissions.reason}",
                      at="permissions")
        return

    def problems() -> Iterator[Verdict]:
        for perm in permissions:
            try:
                hit = sorted(p for p in ports if perm.covers_port(p))
            except UnknownValueError as exc:
                yield unknown(f"protocol or ports not known: {exc.unknown.reason}",
                              at=perm.path, subject=perm.path)
                continue
            if hit:
                names = ", ".join(f"{p} ({ports[p]})" for p in hit)
                yield failed(f"ingress from 0.0.0.0/0 allowed on {names}", at=perm.path,
                             subject=perm.path)

    yield from or_passed(problems(), "no listed port is open to the internet")


@rule(
    code="NET201",
    controls=("3.1.2.a.2",),
    severity=Severity.CRITICAL,
    remediation="""
        Remove `0.0.0.0/0` (and `::/0`) from firewall rules that allow SSH, RDP or other
        administrative ports; reach instances through Identity-Aware Proxy TCP forwarding
        (source `35.235.240.0/20`) or a bastion restricted to known ranges.
    """,
    snippets={
        "terraform": """
            resource "google_compute_firewall" "iap_ssh" {
              name          = "allow-ssh-from-iap"
              network       = google_compute_network.main.id
              source_ranges = ["35.235.240.0/20"]
              allow {
                protocol = "tcp"
                ports    = ["22"]
              }
            }
        """,
    },
)
def gcp_firewall_blocks_admin_ports_from_internet(rule_: Firewall) -> Iterator[Verdict]:
    """Firewall rules do not open SSH, RDP or other admin ports to the internet.

    Why: remote administration ports reachable from anywhere are scanned within minutes
    of creation and are the commonest way into cloud hosts. An ingress rule without any
    source, with protocol `all` or with a port range that covers the port counts as open;
    disabled rules, deny rules and egress rules admit nothing.
    """
    yield from _exposed(rule_, ADMIN_PORTS)


@rule(
    code="NET202",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Allow database, cache and search ports only from the application's subnets,
        network tags or service accounts, never from `0.0.0.0/0` or `::/0`.
    """,
    snippets={
        "terraform": """
            resource "google_compute_firewall" "db_from_app" {
              name        = "allow-postgres-from-app"
              network     = google_compute_network.main.id
              source_tags = ["app"]
              target_tags = ["postgres"]
              allow {
                protocol = "tcp"
                ports    = ["5432"]
              }
            }
        """,
    },
)
def gcp_firewall_blocks_database_ports_from_internet(rule_: Firewall) -> Iterator[Verdict]:
    """Firewall rules do not open database, cache or search ports to the internet.

    Why: data stores reachable from anywhere put ePHI one leaked or weak password away
    from an attacker.
    """
    yield from _exposed(rule_, DATABASE_PORTS)


# --- data stores ------------------------------------------------------------------------------


@rule(
    code="NET203",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Remove `0.0.0.0/0` from `authorized_networks`; connect through private IP
        (`private_network`) or the Cloud SQL Auth Proxy, and set `ipv4_enabled = false`.
    """,
    snippets={
        "terraform": """
            ip_configuration {
              ipv4_enabled    = false
              private_network = google_compute_network.main.id
              ssl_mode        = "ENCRYPTED_ONLY"
            }
        """,
    },
)
def cloud_sql_not_open_to_internet(db: SqlDatabaseInstance) -> Verdict:
    """Cloud SQL instances do not accept connections from the whole internet.

    Why: an authorized network of 0.0.0.0/0 exposes the database listener to every
    address on the internet; ePHI stores belong on private IP, reached from the
    application tier or through the Auth Proxy.
    """
    if db.ipv4_enabled is False:
        return passed("no public IP address")
    networks = db.authorized_networks
    if is_unknown(networks):
        return unknown(f"authorized networks not known: {networks.reason}",
                       at="authorized_networks")
    if any(n.strip() in WORLD for n in networks):
        return failed("an authorized network admits 0.0.0.0/0", at="authorized_networks")
    return passed("no authorized network admits the whole internet")


@rule(
    code="NET204",
    controls=("3.1.2.a.2", "3.2.1.a.3"),
    severity=Severity.CRITICAL,
    remediation="""
        Remove IAM members (and ACL entries) for `allUsers` and `allAuthenticatedUsers`;
        serve public content through a load balancer or signed URLs, and set
        `public_access_prevention = "enforced"`.
    """,
    snippets={
        "terraform": """
            resource "google_storage_bucket_iam_member" "reader" {
              bucket = google_storage_bucket.records.name
              role   = "roles/storage.objectViewer"
              member = "serviceAccount:${google_service_account.reports.email}"
            }
        """,
    },
)
def gcs_bucket_not_public(bucket: StorageBucket) -> Iterator[Verdict]:
    """Cloud Storage buckets grant nothing to allUsers or allAuthenticatedUsers.

    Why: `allUsers` is anyone on the internet and `allAuthenticatedUsers` any Google
    account; a grant to either publishes the bucket's objects. ACL grants count unless
    uniform bucket-level access (which disables ACLs) is on.
    """
    yield from public_grant_verdicts(bucket.iam, include_acl=bucket.uniform_access is not True,
                                     what="public")


@rule(
    code="NET205",
    controls=("3.1.2.a.2", "3.3.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `public_access_prevention = "enforced"` on buckets labelled as holding ePHI,
        so no IAM grant or ACL can ever make them public.
    """,
    snippets={"terraform": 'public_access_prevention = "enforced"'},
)
def gcs_ephi_bucket_enforces_public_access_prevention(bucket: StorageBucket,
                                                      settings: Settings) -> Verdict:
    """Buckets labelled as holding ePHI enforce public access prevention.

    Why: `inherited` leaves the bucket's protection to an organisation policy that may
    not exist or may change; enforcing it on the bucket makes a later public grant fail
    instead of exposing patient data. Buckets without ePHI labels are not applicable.
    """
    if is_unknown(bucket.tags):
        return unknown(f"labels not known: {bucket.tags.reason}")
    if not settings.is_ephi(bucket.tags):
        return not_applicable("not labelled as holding ePHI")
    pap = bucket.public_access_prevention
    if is_unknown(pap):
        return unknown(f"public_access_prevention not known: {pap.reason}",
                       at="public_access_prevention")
    if (pap or "").lower() != "enforced":
        return failed(f"public access prevention is {pap!r}, not 'enforced'",
                      at="public_access_prevention")
    return passed("public access prevention enforced")


@rule(
    code="NET206",
    controls=("3.1.2.a.2", "3.2.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Remove `allUsers` / `allAuthenticatedUsers` from the dataset's `access` blocks,
        `google_bigquery_dataset_access` and IAM members; grant named groups instead.
    """,
    snippets={
        "terraform": """
            access {
              role           = "READER"
              group_by_email = "analysts@example.com"
            }
        """,
    },
)
def bigquery_dataset_not_public(dataset: BigQueryDataset) -> Iterator[Verdict]:
    """BigQuery datasets are not shared with allUsers or allAuthenticatedUsers.

    Why: a dataset readable by anyone with a Google account exposes every table in it;
    analytics copies of clinical data are as sensitive as the source systems.
    """
    yield from public_grant_verdicts(dataset.iam, what="public")


# --- instances --------------------------------------------------------------------------------


@rule(
    code="NET207",
    controls=("3.1.2.a.2",),
    severity=Severity.MEDIUM,
    remediation="""
        Remove `access_config` (and `ipv6_access_config`) from `network_interface`; give
        instances outbound access through Cloud NAT and inbound access through a load
        balancer or Identity-Aware Proxy.
    """,
    snippets={
        "terraform": """
            network_interface {
              subnetwork = google_compute_subnetwork.private.id
              # no access_config: no external IP
            }
        """,
    },
)
def gce_instance_has_no_public_ip(instance: ComputeInstance) -> Verdict:
    """Compute Engine instances and templates have no external IP address.

    Why: an external IP puts every listening service of the VM on the internet, one
    firewall mistake away from exposure; the CIS benchmark asks for none.
    """
    if is_unknown(instance.public_ip):
        return unknown(f"network interfaces not known: {instance.public_ip.reason}",
                       at="public_ip")
    if instance.public_ip:
        return failed("a network interface has an external IP (access_config)", at="public_ip")
    return passed("no external IP address")


@rule(
    code="NET208",
    controls=("3.1.2.a.2",),
    severity=Severity.MEDIUM,
    remediation="""
        Remove `serial-port-enable` from instance and project metadata (or set it to
        `FALSE`); use OS Login and IAP for troubleshooting access.
    """,
    snippets={"terraform": 'metadata = { serial-port-enable = "FALSE" }'},
)
def gce_serial_port_access_disabled(meta: GceMetadata) -> Verdict:
    """Interactive serial console access is not enabled.

    Why: the serial console accepts connections from any IP address and bypasses the
    VPC firewall; the CIS benchmark requires it off on instances and projects.
    """
    flag = meta.serial_port
    if is_unknown(flag):
        return unknown(f"serial-port-enable not known: {flag.reason}", at="serial_port")
    if flag is True:
        return failed("serial-port-enable turns on the interactive serial console",
                      at="serial_port")
    return passed("serial port access not enabled")


@rule(
    code="NET209",
    controls=("3.1.2.b.1", "3.1.2.a.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Use a Shielded VM image and enable Secure Boot, vTPM and integrity monitoring.
    """,
    snippets={
        "terraform": """
            shielded_instance_config {
              enable_secure_boot          = true
              enable_vtpm                 = true
              enable_integrity_monitoring = true
            }
        """,
    },
)
def gce_instance_is_shielded(instance: ComputeInstance) -> Iterator[Verdict]:
    """Compute Engine instances and templates run as Shielded VMs.

    Why: Secure Boot refuses unsigned boot components and vTPM-backed integrity
    monitoring detects boot-level rootkits, the hardened-baseline protections the CIS
    benchmark requires. Secure Boot is off unless enabled; vTPM and integrity monitoring
    are on unless disabled.
    """
    parts = (("secure_boot", instance.secure_boot, "Secure Boot"),
             ("vtpm", instance.vtpm, "vTPM"),
             ("integrity_monitoring", instance.integrity_monitoring, "integrity monitoring"))

    def problems() -> Iterator[Verdict]:
        for field, flag, label in parts:
            if is_unknown(flag):
                yield unknown(f"{label} not known: {flag.reason}", at=field, subject=field)
            elif not flag:
                yield failed(f"{label} is disabled", at=field, subject=field)

    return or_passed(problems(), "Secure Boot, vTPM and integrity monitoring enabled")


# --- GKE --------------------------------------------------------------------------------------


@rule(
    code="NET210",
    controls=("3.1.2.a.2", "3.5.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Create nodes without external IPs: `private_cluster_config { enable_private_nodes
        = true }`, with Cloud NAT for egress.
    """,
    snippets={
        "terraform": """
            private_cluster_config {
              enable_private_nodes    = true
              enable_private_endpoint = false
              master_ipv4_cidr_block  = "172.16.0.32/28"
            }
        """,
    },
)
def gke_nodes_are_private(cluster: GkeCluster) -> Verdict:
    """GKE cluster nodes have no external IP addresses.

    Why: nodes with public IPs expose the kubelet and every NodePort service to the
    internet; private nodes reach the internet only through NAT.
    """
    flag = cluster.private_nodes
    if is_unknown(flag):
        return unknown(f"enable_private_nodes not known: {flag.reason}", at="private_nodes")
    if not flag:
        return failed("nodes get external IP addresses (private nodes are off)",
                      at="private_nodes")
    return passed("private nodes")


@rule(
    code="NET211",
    controls=("3.1.2.a.2", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Restrict the control plane: add `master_authorized_networks_config` with the
        administrative ranges only, or make the endpoint private.
    """,
    snippets={
        "terraform": """
            master_authorized_networks_config {
              cidr_blocks {
                cidr_block   = "10.20.0.0/16"
                display_name = "admin-vpn"
              }
            }
        """,
    },
)
def gke_control_plane_not_open_to_internet(cluster: GkeCluster) -> Verdict:
    """GKE control plane endpoints are not open to the whole internet.

    Why: a public Kubernetes API reachable from any address leaves only credentials
    between the world and cluster-admin; authorized networks or a private endpoint
    limit who can even try. Allowing all Google Cloud public IPs admits any GCE VM.
    """
    private = cluster.private_endpoint
    if private is True:
        return passed("private control plane endpoint")
    if is_unknown(private):
        return unknown(f"enable_private_endpoint not known: {private.reason}",
                       at="private_endpoint")
    networks = cluster.master_authorized_networks
    if networks is None:
        return failed("the public endpoint accepts any address (no authorized networks)",
                      at="master_authorized_networks")
    if is_unknown(networks):
        return unknown(f"authorized networks not known: {networks.reason}",
                       at="master_authorized_networks")
    if any(n.strip() in WORLD for n in networks):
        return failed("an authorized network admits 0.0.0.0/0", at="master_authorized_networks")
    public = cluster.public_cidrs_access
    if is_unknown(public):
        return unknown(f"gcp_public_cidrs_access_enabled not known: {public.reason}",
                       at="public_cidrs_access")
    if public:
        return failed("all Google Cloud public IP addresses may reach the control plane",
                      at="public_cidrs_access")
    return passed("control plane restricted to authorized networks")
