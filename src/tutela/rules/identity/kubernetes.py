"""3.2.1 Kubernetes RBAC and service-account identities."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.kubernetes import RoleBinding, Workload
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule, unknown

# Built-in groups that contain every service account or every (even anonymous) caller.
_BROAD_SYSTEM_GROUPS = {
    "system:serviceaccounts",
    "system:authenticated",
    "system:unauthenticated",
}


@rule(
    code="IAM004",
    controls=("3.2.1.a.3", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Bind narrowly scoped Roles in the namespaces people need; keep `cluster-admin` for
        break-glass groups managed outside the cluster, never for default service accounts.
    """,
    snippets={
        "kubernetes": """
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: deployment-reader
        """,
    },
)
def rbac_binds_no_cluster_admin(binding: RoleBinding) -> Iterator[Verdict]:
    """Kubernetes bindings do not grant cluster-admin to users or default service accounts.

    Why: cluster-admin is every permission on every object; bound to a person or to a
    namespace's default service account, it turns any pod compromise into a cluster
    compromise.
    """
    if binding.role_name != "cluster-admin":
        yield passed("does not bind cluster-admin")
        return
    hits = 0
    for i, s in enumerate(binding.subjects):
        default_sa = s.kind == "ServiceAccount" and s.name == "default"
        broad_group = s.kind == "Group" and s.name in _BROAD_SYSTEM_GROUPS
        person = s.kind in ("User", "Group") and not s.name.startswith("system:")
        if person or default_sa or broad_group:
            hits += 1
            yield failed(
                f"cluster-admin bound to {s.kind} {s.name}",
                at=f"subjects[{i}]",
                subject=f"{s.kind}/{s.name}",
            )
    if not hits:
        yield passed("cluster-admin bound only to system identities")


@rule(
    code="IAM005",
    controls=("3.2.1.b.1", "3.5.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `automountServiceAccountToken: false` on pods that do not call the Kubernetes
        API, and give those that do a dedicated service account.
    """,
    snippets={
        "kubernetes": """
        spec:
          serviceAccountName: billing-api
          automountServiceAccountToken: false
    """
    },
)
def workload_does_not_automount_default_token(workload: Workload) -> Verdict:
    """Workloads do not mount the default service account's token.

    Why: every pod gets an API token by default; an application that does not need the
    Kubernetes API should not carry a credential for it, and should never share the
    namespace's default identity.
    """
    pod = workload.pod
    sa = pod.service_account_name or "default"
    automount = pod.automount_service_account_token
    if is_unknown(automount):
        return unknown(
            f"automountServiceAccountToken not known: {automount.reason}",
            at=f"{pod.path}.automountServiceAccountToken",
        )
    if automount is False:
        return passed("token automount disabled")
    if sa == "default":
        return failed(
            "pods run as the namespace's default service account with its token mounted",
            at=f"{pod.path}.automountServiceAccountToken",
        )
    return passed(f"dedicated service account {sa}")
