"""3.5.1 on Google Cloud: GKE cluster and node pool hardening, Artifact Registry access."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import ArtifactRepository, GkeCluster, GkeNodePool
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, or_passed, passed, rule, unknown
from tutela.rules.network.gcp import public_grant_verdicts

_ENFORCING_MODES = (
    "PROJECT_SINGLETON_POLICY_ENFORCE",
    "POLICY_BINDINGS",
    "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE",
)


@rule(
    code="CTR201",
    controls=("3.5.1.a.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Enforce Binary Authorization so only images attested by your build pipeline run:
        `binary_authorization { evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE" }`.
    """,
    snippets={
        "terraform": """
            binary_authorization {
              evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
            }
        """,
    },
)
def gke_binary_authorization_enforced(cluster: GkeCluster) -> Verdict:
    """GKE clusters enforce Binary Authorization.

    Why: ENG-POL-003 requires image signing and verification; Binary Authorization
    refuses to start images that were not signed (attested) by the trusted pipeline.
    """
    mode = cluster.binary_authorization
    if is_unknown(mode):
        return unknown(f"evaluation mode not known: {mode.reason}", at="binary_authorization")
    if mode not in _ENFORCING_MODES:
        return failed(f"Binary Authorization is not enforced ({mode})",
                      at="binary_authorization")
    return passed(f"evaluation mode {mode}")


@rule(
    code="CTR202",
    controls=("3.5.1.a.3", "3.1.2.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Enroll the cluster in a release channel (`release_channel { channel = "REGULAR" }`
        or `STABLE`) so GKE patches the control plane and nodes automatically.
    """,
    snippets={
        "terraform": """
            release_channel {
              channel = "REGULAR"
            }
        """,
    },
)
def gke_release_channel_enrolled(cluster: GkeCluster) -> Verdict:
    """GKE clusters are enrolled in a release channel.

    Why: a cluster outside release channels (`UNSPECIFIED`) keeps old Kubernetes and
    node versions until someone upgrades it by hand, missing security patches. New
    clusters that do not set a channel are enrolled in REGULAR by GKE.
    """
    if cluster.autopilot is True:
        return passed("Autopilot clusters are always in a release channel")
    channel = cluster.release_channel
    if is_unknown(channel):
        return unknown(f"release channel not known: {channel.reason}", at="release_channel")
    if channel is None:
        return passed("no channel set: GKE enrolls the cluster in REGULAR")
    if channel == "UNSPECIFIED":
        return failed("the cluster is not enrolled in a release channel",
                      at="release_channel")
    return passed(f"release channel {channel}")


@rule(
    code="CTR203",
    controls=("3.5.1.a.3", "3.1.2.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Keep node auto-upgrade and auto-repair on:
        `management { auto_upgrade = true, auto_repair = true }`.
    """,
    snippets={
        "terraform": """
            management {
              auto_upgrade = true
              auto_repair  = true
            }
        """,
    },
)
def gke_node_pool_auto_upgrade(pool: GkeNodePool) -> Iterator[Verdict]:
    """GKE node pools upgrade and repair themselves automatically.

    Why: nodes run the container runtime and kernel; auto-upgrade applies their security
    patches and auto-repair replaces unhealthy nodes. Both are on unless turned off.
    """

    def problems() -> Iterator[Verdict]:
        for field, flag, label in (("auto_upgrade", pool.auto_upgrade, "auto-upgrade"),
                                   ("auto_repair", pool.auto_repair, "auto-repair")):
            if is_unknown(flag):
                yield unknown(f"{label} not known: {flag.reason}", at=field, subject=field)
            elif not flag:
                yield failed(f"node {label} is disabled", at=field, subject=field)

    return or_passed(problems(), "auto-upgrade and auto-repair on")


@rule(
    code="CTR204",
    controls=("3.5.1.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Enforce Kubernetes NetworkPolicies: use GKE Dataplane V2
        (`datapath_provider = "ADVANCED_DATAPATH"`) or enable Calico network policy.
    """,
    snippets={"terraform": 'datapath_provider = "ADVANCED_DATAPATH"'},
)
def gke_network_policy_enforced(cluster: GkeCluster) -> Verdict:
    """GKE clusters enforce Kubernetes network policies.

    Why: without an enforcing dataplane, NetworkPolicy objects are accepted and ignored,
    so every pod can reach every other pod. Autopilot always uses Dataplane V2.
    """
    if cluster.autopilot is True:
        return passed("Autopilot: Dataplane V2 enforces network policies")
    for field, flag, label in (("dataplane_v2", cluster.dataplane_v2, "Dataplane V2"),
                               ("network_policy", cluster.network_policy, "network policy")):
        if flag is True:
            return passed(f"{label} enforces network policies")
        if is_unknown(flag):
            return unknown(f"{label} not known: {flag.reason}", at=field)
    return failed("network policies are not enforced", at="network_policy")


@rule(
    code="CTR205",
    controls=("3.5.1.b.1", "3.1.2.b.1"),
    severity=Severity.MEDIUM,
    remediation="Keep `enable_shielded_nodes = true` (the default).",
    snippets={"terraform": "enable_shielded_nodes = true"},
)
def gke_shielded_nodes(cluster: GkeCluster) -> Verdict:
    """GKE clusters use Shielded GKE Nodes.

    Why: shielded nodes prove their identity to the control plane, so a compromised pod
    cannot impersonate a node to read the cluster's secrets; they are on by default.
    """
    if cluster.autopilot is True:
        return passed("Autopilot nodes are always shielded")
    flag = cluster.shielded_nodes
    if is_unknown(flag):
        return unknown(f"enable_shielded_nodes not known: {flag.reason}", at="shielded_nodes")
    if not flag:
        return failed("Shielded GKE Nodes are disabled", at="shielded_nodes")
    return passed()


@rule(
    code="CTR206",
    controls=("3.5.1.b.1", "3.1.2.b.1"),
    severity=Severity.LOW,
    remediation="""
        Turn on Secure Boot for node pools:
        `node_config { shielded_instance_config { enable_secure_boot = true } }`.
    """,
    snippets={
        "terraform": """
            node_config {
              shielded_instance_config {
                enable_secure_boot          = true
                enable_integrity_monitoring = true
              }
            }
        """,
    },
)
def gke_node_pool_secure_boot(pool: GkeNodePool) -> Iterator[Verdict]:
    """GKE nodes boot with Secure Boot and integrity monitoring.

    Why: Secure Boot keeps unsigned kernel modules and bootkits off the nodes that run
    every workload; integrity monitoring reports boot-time tampering. Secure Boot is
    off unless enabled.
    """

    def problems() -> Iterator[Verdict]:
        for field, flag, label in (("secure_boot", pool.secure_boot, "Secure Boot"),
                                   ("integrity_monitoring", pool.integrity_monitoring,
                                    "integrity monitoring")):
            if is_unknown(flag):
                yield unknown(f"{label} not known: {flag.reason}", at=field, subject=field)
            elif not flag:
                yield failed(f"{label} is disabled", at=field, subject=field)

    return or_passed(problems(), "Secure Boot and integrity monitoring on")


@rule(
    code="CTR207",
    controls=("3.5.1.b.1", "3.2.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Use the GKE metadata server: `workload_metadata_config { mode = "GKE_METADATA" }`
        (or leave it unset with Workload Identity enabled on the cluster).
    """,
    snippets={
        "terraform": """
            node_config {
              workload_metadata_config {
                mode = "GKE_METADATA"
              }
            }
        """,
    },
)
def gke_node_metadata_not_exposed(pool: GkeNodePool) -> Verdict:
    """GKE node pools do not expose the node's metadata server to pods.

    Why: `GCE_METADATA` lets every pod fetch the node service account's token and the
    kube-env bootstrap credentials. A pool that does not set the mode follows the
    cluster's Workload Identity setting (judged on the cluster).
    """
    mode = pool.workload_metadata
    if is_unknown(mode):
        return unknown(f"metadata mode not known: {mode.reason}", at="workload_metadata")
    if mode in ("GCE_METADATA", "EXPOSE"):
        return failed(f"pods can reach the node metadata server ({mode})",
                      at="workload_metadata")
    if mode is None:
        return passed("follows the cluster's Workload Identity setting")
    return passed(f"metadata mode {mode}")


@rule(
    code="CTR208",
    controls=("3.5.1.a.5", "3.2.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Remove `allUsers` / `allAuthenticatedUsers` from Artifact Registry IAM; grant
        `roles/artifactregistry.reader` to the node and build service accounts.
    """,
    snippets={
        "terraform": """
            resource "google_artifact_registry_repository_iam_member" "nodes" {
              repository = google_artifact_registry_repository.apps.name
              location   = google_artifact_registry_repository.apps.location
              role       = "roles/artifactregistry.reader"
              member     = "serviceAccount:${google_service_account.gke_nodes.email}"
            }
        """,
    },
)
def artifact_registry_not_public(repo: ArtifactRepository) -> Iterator[Verdict]:
    """Artifact Registry repositories are private.

    Why: ENG-POL-003 requires private registries with access control; public images
    leak internal code, configuration and sometimes embedded credentials.
    """
    yield from public_grant_verdicts(repo.iam, what="public")
