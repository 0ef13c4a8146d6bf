"""3.2.1 Cloud IAM on Google Cloud: least privilege, service accounts, cluster and VM access."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import (
    ComputeInstance,
    GceMetadata,
    GkeCluster,
    GkeNodePool,
    IamBinding,
    ProjectMetadata,
    ServiceAccount,
    StorageBucket,
    is_public_member,
)
from tutela.model.inventory import Inventory
from tutela.model.values import is_unknown
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

PRIMITIVE_ROLES = ("roles/owner", "roles/editor")
IMPERSONATION_ROLES = ("roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator")
# Invoker roles on serverless services: public by design is decided by the service's labels.
_SERVERLESS_KINDS = ("cloud_function", "cloud_run_service")


def _members_of(binding: IamBinding, prefixes: tuple[str, ...]) -> list[str]:
    """Members whose type is one of `prefixes` (an Unknown list raises UnknownValueError)."""
    return [m for m in binding.members if m.strip().lower().startswith(prefixes)]


@rule(
    code="IAM201",
    controls=("3.2.1.a.3",),
    severity=Severity.HIGH,
    remediation="""
        Replace `roles/owner` and `roles/editor` with predefined roles scoped to the job
        (`roles/cloudsql.client`, `roles/storage.objectViewer`...), granted to groups;
        keep owners to a break-glass group.
    """,
    snippets={
        "terraform": """
            resource "google_project_iam_member" "app_sql" {
              project = var.project_id
              role    = "roles/cloudsql.client"
              member  = "serviceAccount:${google_service_account.app.email}"
            }
        """,
    },
)
def gcp_no_primitive_roles_for_users_or_service_accounts(binding: IamBinding
                                                         ) -> Iterator[Verdict]:
    """Owner and Editor are not granted to users or service accounts in the hierarchy.

    Why: on a project, folder or organization, the basic roles carry thousands of
    permissions across every service; a user or workload holding them defeats least
    privilege and role-based access control.
    The CIS benchmark forbids them for service accounts, and per-user grants escape
    group-based access reviews. Grants to groups are left to the access review.
    """
    if not binding.on_hierarchy:
        return
    role = binding.role
    if is_unknown(role):
        yield unknown(f"role not known: {role.reason}", at="role")
        return
    if role not in PRIMITIVE_ROLES:
        yield passed(f"{role} is not a basic role")
        return
    if is_unknown(binding.members):
        yield unknown(f"members not known: {binding.members.reason}", at="members")
        return
    bad = _members_of(binding, ("user:", "serviceaccount:"))
    if bad:
        yield failed(f"{role} granted to {', '.join(bad)}", at="members")
        return
    yield passed(f"{role} granted to groups only")


@rule(
    code="IAM202",
    controls=("3.2.1.a.3", "3.2.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Grant Service Account User and Token Creator on the specific service account
        (`google_service_account_iam_member`), not on the project, folder or organization.
    """,
    snippets={
        "terraform": """
            resource "google_service_account_iam_member" "deployer_acts_as_app" {
              service_account_id = google_service_account.app.name
              role               = "roles/iam.serviceAccountUser"
              member             = "serviceAccount:${google_service_account.deployer.email}"
            }
        """,
    },
)
def gcp_no_project_wide_service_account_impersonation(binding: IamBinding) -> Iterator[Verdict]:
    """Service Account User and Token Creator are not granted project-wide.

    Why: at project level these roles let the grantee act as every service account of
    the project, present and future, including ones far more privileged than itself.
    """
    if not binding.on_hierarchy:
        return
    role = binding.role
    if is_unknown(role):
        yield unknown(f"role not known: {role.reason}", at="role")
        return
    if role not in IMPERSONATION_ROLES:
        yield passed(f"{role} is neither Service Account User nor Token Creator")
        return
    members = binding.members
    if not is_unknown(members) and not members:
        yield passed(f"{role} granted to nobody")
        return
    yield failed(f"{role} granted on the {binding.target_kind}: the grantee may impersonate "
                 "every service account in it", at="role")


@rule(
    code="IAM203",
    controls=("3.2.1.a.3", "3.1.2.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Remove `allUsers` and `allAuthenticatedUsers` from IAM members and bindings;
        grant the groups or service accounts that need access.
    """,
    snippets={
        "terraform": """
            resource "google_secret_manager_secret_iam_member" "app" {
              secret_id = google_secret_manager_secret.db_password.id
              role      = "roles/secretmanager.secretAccessor"
              member    = "serviceAccount:${google_service_account.app.email}"
            }
        """,
    },
)
def gcp_iam_grants_not_public(binding: IamBinding) -> Iterator[Verdict]:
    """IAM grants do not give access to allUsers or allAuthenticatedUsers.

    Why: `allUsers` is anyone on the internet and `allAuthenticatedUsers` any Google
    account. This judges grants on projects and on resources outside the scan (buckets,
    keys, secrets, topics, service accounts); grants on resources in the scan are judged
    with them. Invoker grants on serverless services outside the scan are not evaluated:
    whether such a service is public by design is read from its labels.
    """
    members = binding.members
    if is_unknown(members):
        yield unknown(f"members not known: {members.reason}", at="members")
        return
    public = [m for m in members if is_public_member(m)]
    if not public:
        yield passed("no public member")
        return
    if binding.target_kind in _SERVERLESS_KINDS:
        yield unknown(f"{', '.join(public)} may invoke {binding.target or 'a service'}, which "
                      "is not in this scan: its public-by-design labels cannot be checked",
                      at="members")
        return
    role = binding.role if isinstance(binding.role, str) else "a role"
    yield failed(f"{role} granted to {', '.join(public)} on {binding.target_kind} "
                 f"{binding.target or ''}".rstrip(), at="members")


@rule(
    code="IAM204",
    controls=("3.2.1.b.2",),
    severity=Severity.MEDIUM,
    remediation="""
        Do not create user-managed service account keys: use attached service accounts,
        Workload Identity (GKE) or Workload Identity Federation (CI, other clouds). Enforce
        `iam.disableServiceAccountKeyCreation` for the organisation.
    """,
    snippets={
        "terraform": """
            resource "google_service_account_iam_member" "ci_federation" {
              service_account_id = google_service_account.deployer.name
              role               = "roles/iam.workloadIdentityUser"
              member             = "principalSet://iam.googleapis.com/${local.pool}/attribute.repository/acme/infra"
            }
        """,
    },
)
def gcp_service_account_has_no_user_managed_keys(account: ServiceAccount) -> Iterator[Verdict]:
    """Service accounts have no user-managed keys declared in code.

    Why: a downloaded key is a long-lived bearer credential that Google never rotates;
    it ends up in state files, laptops and CI variables. Google-managed keys rotate
    automatically, and federation avoids keys altogether.
    """
    if not account.keys:
        yield passed("no user-managed keys")
        return
    for key in account.keys:
        yield failed(f"{key} creates a user-managed key", at="keys", subject=key)


@rule(
    code="IAM205",
    controls=("3.2.1.b.1", "3.2.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Attach a dedicated service account with only the roles the workload needs
        (`service_account { email = google_service_account.app.email, scopes =
        ["cloud-platform"] }`), never the Compute Engine default service account.
    """,
    snippets={
        "terraform": """
            service_account {
              email  = google_service_account.app.email
              scopes = ["cloud-platform"]
            }
        """,
    },
)
def gce_instance_not_default_service_account(instance: ComputeInstance) -> Verdict:
    """Instances and templates do not run as the Compute Engine default service account.

    Why: the default service account is shared by every VM of the project and is
    granted Editor on it by default; with the `cloud-platform` scope any process on the
    VM can use all of it. A `service_account` block without `email` selects it.
    """
    if is_unknown(instance.service_account):
        return unknown(f"service account not known: {instance.service_account.reason}",
                       at="service_account")
    if instance.service_account is None:
        return passed("no service account attached")
    if instance.uses_default_service_account:
        scopes = instance.scopes
        full = not is_unknown(scopes) and any(s.rstrip("/").endswith("cloud-platform")
                                              for s in scopes)
        extra = " with access to all Cloud APIs (cloud-platform scope)" if full else ""
        return failed(f"runs as the Compute Engine default service account{extra}",
                      at="service_account")
    return passed("a dedicated service account")


@rule(
    code="IAM206",
    controls=("3.2.1.b.1", "3.5.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Give node pools a dedicated, minimally privileged service account
        (`roles/logging.logWriter`, `roles/monitoring.metricWriter`,
        `roles/artifactregistry.reader`): `node_config { service_account = ... }`.
    """,
    snippets={
        "terraform": """
            node_config {
              service_account = google_service_account.gke_nodes.email
              oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
            }
        """,
    },
)
def gke_nodes_not_default_service_account(pool: GkeNodePool) -> Verdict:
    """GKE nodes do not run as the Compute Engine default service account.

    Why: every pod that can reach the metadata server inherits the node's identity; the
    default service account holds Editor on the project. Without
    `node_config.service_account` GKE uses the default one.
    """
    if is_unknown(pool.service_account):
        return unknown(f"node service account not known: {pool.service_account.reason}",
                       at="service_account")
    if pool.uses_default_service_account:
        return failed("nodes run as the Compute Engine default service account",
                      at="service_account")
    return passed("a dedicated node service account")


@rule(
    code="IAM207",
    controls=("3.2.1.b.1", "3.5.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable Workload Identity so pods use their own Kubernetes service accounts'
        IAM identities instead of the node's.
    """,
    snippets={
        "terraform": """
            workload_identity_config {
              workload_pool = "${var.project_id}.svc.id.goog"
            }
        """,
    },
)
def gke_workload_identity_enabled(cluster: GkeCluster) -> Verdict:
    """GKE clusters use Workload Identity.

    Why: without it every pod can read the node service account's token from the
    metadata server, so one compromised container gets the node's cloud permissions.
    Autopilot clusters always use Workload Identity.
    """
    if cluster.autopilot is True:
        return passed("Autopilot: Workload Identity is always on")
    pool = cluster.workload_pool
    if is_unknown(pool):
        return unknown(f"workload pool not known: {pool.reason}", at="workload_pool")
    if not pool:
        return failed("Workload Identity is not enabled", at="workload_pool")
    return passed(f"workload pool {pool}")


@rule(
    code="IAM208",
    controls=("3.2.1.a.3", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="Set `enable_legacy_abac = false` and grant access with Kubernetes RBAC.",
    snippets={"terraform": "enable_legacy_abac = false"},
)
def gke_legacy_abac_disabled(cluster: GkeCluster) -> Verdict:
    """GKE clusters do not use legacy ABAC authorization.

    Why: legacy ABAC grants broad, static permissions that bypass RBAC, so role-based
    least privilege inside the cluster cannot be enforced.
    """
    flag = cluster.legacy_abac
    if is_unknown(flag):
        return unknown(f"enable_legacy_abac not known: {flag.reason}", at="legacy_abac")
    if flag:
        return failed("legacy ABAC is enabled", at="legacy_abac")
    return passed()


@rule(
    code="IAM209",
    controls=("3.2.1.a.1", "3.5.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Authenticate to GKE with Google identities only: no basic-auth username and
        `issue_client_certificate = false`.
    """,
    snippets={
        "terraform": """
            master_auth {
              client_certificate_config {
                issue_client_certificate = false
              }
            }
        """,
    },
)
def gke_no_static_cluster_credentials(cluster: GkeCluster) -> Iterator[Verdict]:
    """GKE clusters issue no client certificates or basic-auth passwords.

    Why: static cluster credentials never expire, cannot be revoked individually and
    bypass the organisation's identity provider and MFA.
    """

    def problems() -> Iterator[Verdict]:
        for field, flag, label in (("client_certificate", cluster.client_certificate,
                                    "a client certificate is issued"),
                                   ("basic_auth", cluster.basic_auth,
                                    "basic authentication is on")):
            if is_unknown(flag):
                yield unknown(f"{field} not known: {flag.reason}", at=field, subject=field)
            elif flag:
                yield failed(label, at=field, subject=field)

    return or_passed(problems(), "no static credentials")


@rule(
    code="IAM210",
    controls=("3.2.1.a.1", "3.2.1.a.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable OS Login (`enable-oslogin = "TRUE"`) in project metadata, and do not turn it
        off on instances; SSH access then follows IAM (with 2-step verification through
        `enable-oslogin-2fa`) instead of keys pasted into metadata.
    """,
    snippets={
        "terraform": """
            resource "google_compute_project_metadata_item" "oslogin" {
              key   = "enable-oslogin"
              value = "TRUE"
            }
        """,
    },
)
def gce_os_login_enabled(meta: GceMetadata, inventory: Inventory) -> Verdict:
    """Compute Engine SSH access goes through OS Login.

    Why: OS Login ties SSH to IAM identities (central identity, MFA, revocation on
    departure), while metadata SSH keys live forever and are shared. An instance that
    does not set `enable-oslogin` takes the project's setting; when no project
    metadata in the scan sets it, the result is not evaluated.
    """
    own = meta.os_login
    if isinstance(meta, ProjectMetadata):
        if own is None:
            return not_applicable("does not set enable-oslogin")
        if is_unknown(own):
            return unknown(f"enable-oslogin not known: {own.reason}", at="os_login")
        if not own:
            return failed("OS Login is disabled for the project", at="os_login")
        return passed("OS Login enabled for the project")
    if is_unknown(own):
        return unknown(f"enable-oslogin not known: {own.reason}", at="os_login")
    if own is True:
        return passed("OS Login enabled on the instance")
    if own is False:
        return failed("OS Login is disabled on the instance", at="os_login")
    project = [p for p in inventory.of(ProjectMetadata) if p.os_login is not None]
    if not project:
        return unknown("enable-oslogin is not set on the instance; the project metadata or "
                       "organisation policy that decides it is not in this scan")
    for p in project:
        if is_unknown(p.os_login):
            return unknown(f"project enable-oslogin not known: {p.os_login.reason}")
    off = [p.address for p in project if p.os_login is False]
    if off:
        return failed(f"OS Login is disabled by project metadata {off[0]}", at="os_login")
    return passed(f"OS Login enabled by project metadata {project[0].address}")


@rule(
    code="IAM211",
    controls=("3.2.1.a.3",),
    severity=Severity.MEDIUM,
    remediation="Set `uniform_bucket_level_access = true` so only IAM grants access.",
    snippets={"terraform": "uniform_bucket_level_access = true"},
)
def gcs_bucket_uniform_access(bucket: StorageBucket) -> Verdict:
    """Cloud Storage buckets use uniform bucket-level access.

    Why: with ACLs on, every object can carry its own grants, invisible to IAM
    reviews; uniform access makes the bucket's IAM policy the only way in.
    """
    flag = bucket.uniform_access
    if is_unknown(flag):
        return unknown(f"uniform_bucket_level_access not known: {flag.reason}",
                       at="uniform_access")
    if not flag:
        return failed("uniform bucket-level access is off: object ACLs apply",
                      at="uniform_access")
    return passed()
