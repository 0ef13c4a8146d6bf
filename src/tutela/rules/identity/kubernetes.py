"""3.2.1 Kubernetes RBAC and service-account identities."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tutela.model.inventory import Inventory
from tutela.model.kubernetes import (
    ConfigData,
    Kustomization,
    PolicyRule,
    Role,
    RoleBinding,
    ServiceAccount,
    Subject,
    Workload,
    partial_workload,
)
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

    def problems() -> Iterator[Verdict]:
        for i, s in enumerate(binding.subjects):
            default_sa = s.kind == "ServiceAccount" and s.name == "default"
            broad_group = s.kind == "Group" and s.name in _BROAD_SYSTEM_GROUPS
            person = s.kind in ("User", "Group") and not s.name.startswith("system:")
            if person or default_sa or broad_group:
                yield failed(
                    f"cluster-admin bound to {s.kind} {s.name}",
                    at=f"subjects[{i}]",
                    subject=f"{s.kind}/{s.name}",
                )

    yield from or_passed(problems(), "cluster-admin bound only to system identities")


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
def workload_does_not_automount_default_token(workload: Workload, inventory: Inventory) -> Verdict:
    """Workloads do not mount the default service account's token.

    Why: every pod gets an API token by default; an application that does not need the
    Kubernetes API should not carry a credential for it, and should never share the
    namespace's default identity. A pod that does not set `automountServiceAccountToken`
    follows its ServiceAccount's setting, when that ServiceAccount is in the scan.
    """
    why = partial_workload(workload, inventory.of(Kustomization))
    if why is not None:
        return not_applicable(f"{why}: judged on the object it completes")
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
    if automount is None:
        for account in inventory.of(ServiceAccount):
            if account.name == sa and account.namespace == workload.namespace:
                inherited = account.automount_service_account_token
                if inherited is False:
                    return passed(f"service account {sa} disables token automount")
                if is_unknown(inherited):
                    return unknown(
                        f"service account {sa}: automountServiceAccountToken not known",
                        at=f"{pod.path}.serviceAccountName",
                    )
    if sa == "default":
        return failed(
            "pods run as the namespace's default service account with its token mounted",
            at=f"{pod.path}.automountServiceAccountToken",
        )
    return passed(f"dedicated service account {sa}")


# --------------------------------------------------------------------------- RBAC helpers

BUILT_IN_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})

# What the built-in user-facing ClusterRoles grant, as far as these rules care.
_ALL = PolicyRule(api_groups=("*",), resources=("*",), verbs=("*",))
_BUILT_IN_RULES: dict[str, tuple[PolicyRule, ...]] = {
    "cluster-admin": (_ALL,),
    "admin": (
        PolicyRule(
            api_groups=("",),
            resources=("secrets", "pods/exec", "pods/attach", "serviceaccounts"),
            verbs=("get", "list", "watch", "create", "update", "patch", "delete", "impersonate"),
        ),
    ),
    "edit": (
        PolicyRule(
            api_groups=("",),
            resources=("secrets", "pods/exec", "pods/attach", "serviceaccounts"),
            verbs=("get", "list", "watch", "create", "update", "patch", "delete", "impersonate"),
        ),
    ),
    "view": (
        PolicyRule(
            api_groups=("", "apps", "batch"),
            resources=("pods", "services", "configmaps", "deployments", "jobs"),
            verbs=("get", "list", "watch"),
        ),
    ),
}

BROAD_GROUPS = frozenset(
    {"system:authenticated", "system:unauthenticated", "system:serviceaccounts"}
)


def _is_built_in(role: Role) -> bool:
    name = role.name if isinstance(role.name, str) else ""
    return role.cluster_wide and (name in BUILT_IN_ROLES or name.startswith("system:"))


def bound_rules(binding: RoleBinding, inventory: Inventory) -> tuple[PolicyRule, ...] | None:
    """The rules of the role `binding` refers to: from the scan, else the built-in roles;
    None when the role is neither (defined elsewhere)."""
    cluster = binding.role_kind == "ClusterRole"
    for role in inventory.of(Role):
        if role.name != binding.role_name or role.cluster_wide != cluster:
            continue
        if cluster or role.namespace == binding.namespace:
            return role.rules
    if cluster and binding.role_name in _BUILT_IN_RULES:
        return _BUILT_IN_RULES[binding.role_name]
    return None


def _role_not_scanned(binding: RoleBinding) -> Verdict:
    """The verdict when the bound role is neither in the scan nor a known built-in one."""
    if binding.role_kind == "ClusterRole" and binding.role_name.startswith("system:"):
        return not_applicable(f"{binding.role_name} is a built-in system role")
    return unknown(
        f"{binding.role_kind} {binding.role_name} is not in the scanned manifests", at="roleRef"
    )


def grants(rules: Iterable[PolicyRule], resource: str, verbs: Iterable[str]) -> bool:
    """True when `rules` allow any of `verbs` on core-group `resource` (`pods/exec`...)."""
    wanted = set(verbs)
    top = resource.split("/", 1)[0]
    for item in rules:
        if not ({"", "*"} & set(item.api_groups)):
            continue
        covers = {resource, "*", f"{top}/*"} if "/" in resource else {resource, "*"}
        if not covers & set(item.resources):
            continue
        if "*" in item.verbs or wanted & set(item.verbs):
            return True
    return False


def broad_subject(subject: Subject) -> bool:
    """Every caller, every authenticated caller, or every service account (of a namespace)."""
    if subject.kind == "Group":
        return subject.name in BROAD_GROUPS or subject.name.startswith("system:serviceaccounts:")
    return subject.kind == "User" and subject.name == "system:anonymous"


def system_subject(subject: Subject) -> bool:
    """A Kubernetes component's identity (not a person, not an application)."""
    if broad_subject(subject):
        return False
    if subject.kind == "ServiceAccount":
        return subject.namespace == "kube-system"
    return subject.name.startswith("system:")


_BUILT_IN_GROUPS = frozenset(
    {
        "",
        "*",
        "apps",
        "batch",
        "extensions",
        "policy",
        "autoscaling",
        "rbac.authorization.k8s.io",
        "networking.k8s.io",
        "storage.k8s.io",
        "apiextensions.k8s.io",
        "admissionregistration.k8s.io",
        "apiregistration.k8s.io",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "node.k8s.io",
        "scheduling.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "resource.k8s.io",
    }
)


# --------------------------------------------------------------------------- RBAC rules


@rule(
    code="IAM301",
    controls=("3.2.1.a.3", "3.1.1.a.1"),
    severity=Severity.HIGH,
    remediation="""
        List the resources and verbs the subject needs (`resources: ["deployments"]`,
        `verbs: ["get", "list", "watch"]`). Wildcards are only acceptable on an operator's
        own API group.
    """,
    snippets={
        "kubernetes": """
        rules:
          - apiGroups: ["apps"]
            resources: ["deployments"]
            verbs: ["get", "list", "watch", "patch"]
    """
    },
)
def rbac_role_has_no_wildcards(role: Role) -> Iterator[Verdict]:
    """RBAC roles grant no wildcard verbs or resources on Kubernetes' own APIs.

    Why: `*` grants everything that exists today and everything added later (new
    subresources, new verbs such as `escalate`), so nobody can say what the role allows;
    least privilege needs explicit lists. Wildcards confined to an operator's own custom
    API group (`cert-manager.io`) and the built-in roles are not judged.
    """
    if _is_built_in(role):
        yield not_applicable(f"{role.name} is a built-in role")
        return

    def problems() -> Iterator[Verdict]:
        for i, item in enumerate(role.rules):
            wild_verbs = "*" in item.verbs
            wild_resources = any(r == "*" or r.startswith("*/") for r in item.resources)
            if not (wild_verbs or wild_resources):
                continue
            groups = set(item.api_groups) or {""}
            if not groups & _BUILT_IN_GROUPS and not any(g.endswith(".k8s.io") for g in groups):
                continue  # an operator's own API group
            what = " and ".join(
                w for w, on in (("verbs", wild_verbs), ("resources", wild_resources)) if on
            )
            yield failed(
                f"rule {i} grants wildcard {what} in API groups "
                f"{', '.join(repr(g) for g in sorted(groups))}",
                at=item.path or f"rules[{i}]",
                subject=f"rules[{i}]",
            )

    yield from or_passed(problems(), "no wildcard on Kubernetes APIs")


@rule(
    code="IAM302",
    controls=("3.2.1.a.3", "3.5.1.b.5"),
    severity=Severity.HIGH,
    remediation="""
        Read secrets through a namespaced Role bound with a RoleBinding in the namespaces
        that need it (with `resourceNames` where possible), not a ClusterRoleBinding.
    """,
    snippets={
        "kubernetes": """
        kind: RoleBinding
        metadata:
          name: app-config-reader
          namespace: payments
        roleRef:
          kind: Role
          name: app-config-reader
    """
    },
)
def rbac_no_cluster_wide_secret_read(
    binding: RoleBinding, inventory: Inventory
) -> Iterator[Verdict]:
    """No person or application can read secrets in every namespace.

    Why: a ClusterRoleBinding that grants get, list or watch on secrets hands over every
    credential of every namespace (database passwords, TLS keys, service-account tokens)
    to whoever holds the subject, and to anyone who compromises its pod. Control-plane
    identities (`system:` users and groups, kube-system service accounts) are not judged.
    """
    if not binding.cluster_wide:
        yield not_applicable("a namespaced binding")
        return
    subjects = [(i, s) for i, s in enumerate(binding.subjects) if not system_subject(s)]
    if not subjects:
        yield passed("bound only to control-plane identities")
        return
    rules = bound_rules(binding, inventory)
    if rules is None:
        yield _role_not_scanned(binding)
        return
    if not grants(rules, "secrets", ("get", "list", "watch")):
        yield passed(f"{binding.role_name} does not read secrets")
        return
    for i, s in subjects:
        yield failed(
            f"{binding.role_name} lets {s.kind} {s.name} read secrets in every namespace",
            at=f"subjects[{i}]",
            subject=f"{s.kind}/{s.name}",
        )


_ESCALATION_VERBS = ("escalate", "bind", "impersonate")


@rule(
    code="IAM303",
    controls=("3.2.1.a.3",),
    severity=Severity.HIGH,
    remediation="""
        Remove `escalate`, `bind` and `impersonate`. Grant roles through reviewed manifests
        applied by the deployment pipeline, and use a narrowly scoped, audited break-glass
        path for impersonation.
    """,
    snippets={
        "kubernetes": """
        rules:
          - apiGroups: ["rbac.authorization.k8s.io"]
            resources: ["rolebindings"]
            verbs: ["get", "list", "watch"]
    """
    },
)
def rbac_role_grants_no_escalation_verbs(role: Role) -> Iterator[Verdict]:
    """RBAC roles do not grant escalate, bind or impersonate.

    Why: `escalate` and `bind` let a subject create roles or bindings with permissions it
    does not have, and `impersonate` lets it act as any user, group or service account:
    each is a path to cluster-admin that bypasses RBAC's own escalation checks. Built-in
    roles are not judged.
    """
    if _is_built_in(role):
        yield not_applicable(f"{role.name} is a built-in role")
        return

    def problems() -> Iterator[Verdict]:
        for i, item in enumerate(role.rules):
            found = [v for v in _ESCALATION_VERBS if v in item.verbs]
            if found:
                yield failed(
                    f"rule {i} grants {', '.join(found)} on "
                    f"{', '.join(item.resources) or 'nothing'}",
                    at=item.path or f"rules[{i}]",
                    subject=f"rules[{i}]",
                )

    yield from or_passed(problems(), "no escalate, bind or impersonate")


@rule(
    code="IAM304",
    controls=("3.2.1.a.3", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Bind exec and attach rights to named groups from the identity provider (on-call,
        break-glass), never to `system:authenticated`, `system:unauthenticated` or all
        service accounts.
    """,
    snippets={
        "kubernetes": """
        subjects:
          - apiGroup: rbac.authorization.k8s.io
            kind: Group
            name: payments-oncall
    """
    },
)
def rbac_no_exec_for_broad_groups(binding: RoleBinding, inventory: Inventory) -> Iterator[Verdict]:
    """Broad groups cannot exec or attach into pods.

    Why: `pods/exec` is a shell in the application with its secrets and its network
    position; granted to every authenticated user, every service account or anonymous
    callers, any stolen credential or compromised pod becomes interactive access to
    production workloads.
    """
    broad = [(i, s) for i, s in enumerate(binding.subjects) if broad_subject(s)]
    if not broad:
        yield passed("no broad group bound")
        return
    rules = bound_rules(binding, inventory)
    if rules is None:
        yield _role_not_scanned(binding)
        return
    exec_rights = grants(rules, "pods/exec", ("create", "get")) or grants(
        rules, "pods/attach", ("create", "get")
    )
    if not exec_rights:
        yield passed(f"{binding.role_name} grants no exec or attach")
        return
    for i, s in broad:
        yield failed(
            f"{binding.role_name} lets {s.kind} {s.name} exec into pods",
            at=f"subjects[{i}]",
            subject=f"{s.kind}/{s.name}",
        )


# --------------------------------------------------------------------------- API server


def api_server_flags(workload: Workload) -> dict[str, str] | None:
    """The flags of a kube-apiserver container (static pod manifest), or None."""
    for c in workload.pod.containers:
        if c.runs("kube-apiserver"):
            return c.flags()
    return None


@rule(
    code="IAM305",
    controls=("3.5.1.b.1", "3.2.1.a.3"),
    severity=Severity.CRITICAL,
    remediation="""
        Run kube-apiserver with `--authorization-mode=Node,RBAC` (never `AlwaysAllow`) and
        without an insecure port.
    """,
    snippets={
        "kubernetes": """
        command:
          - kube-apiserver
          - --authorization-mode=Node,RBAC
          - --anonymous-auth=false
    """
    },
)
def apiserver_authorizes_with_rbac(workload: Workload) -> Iterator[Verdict]:
    """The Kubernetes API server authorizes requests with RBAC.

    Why: kube-apiserver's default authorization mode is AlwaysAllow: every authenticated
    request may do anything, and RBAC objects are ignored. Judged on kube-apiserver static
    pod manifests (self-managed control planes); managed clusters (EKS, AKS, GKE) configure
    this themselves.
    """
    flags = api_server_flags(workload)
    if flags is None:
        return
    if flags.get("authorization-config"):
        yield passed("structured authorization configuration (--authorization-config)")
        return
    modes = [m.strip() for m in flags.get("authorization-mode", "AlwaysAllow").split(",")]

    def problems() -> Iterator[Verdict]:
        if "AlwaysAllow" in modes or "RBAC" not in modes:
            yield failed(
                f"--authorization-mode is {','.join(modes)}: RBAC is not enforced",
                at=f"{workload.pod.path}.containers",
                subject="authorization-mode",
            )
        port = flags.get("insecure-port")
        if port not in (None, "", "0"):
            yield failed(
                f"--insecure-port={port} serves the API without authentication",
                at=f"{workload.pod.path}.containers",
                subject="insecure-port",
            )

    yield from or_passed(problems(), f"authorization mode {','.join(modes)}")


# --------------------------------------------------------------------------- tokens


@rule(
    code="IAM306",
    controls=("3.2.1.b.2",),
    severity=Severity.MEDIUM,
    remediation="""
        Delete long-lived service-account token Secrets. Pods get short-lived, automatically
        rotated tokens (projected volumes); external systems can request one with
        `kubectl create token` or the TokenRequest API, or use workload identity federation.
    """,
    snippets={
        "kubernetes": """
        volumes:
          - name: api-token
            projected:
              sources:
                - serviceAccountToken:
                    path: token
                    expirationSeconds: 3600
                    audience: billing-api
    """
    },
)
def secret_is_not_legacy_service_account_token(config: ConfigData) -> Iterator[Verdict]:
    """No long-lived service-account token Secrets.

    Why: a Secret of type `kubernetes.io/service-account-token` holds a token that never
    expires and is never rotated: whoever copies it keeps the service account's access
    until someone deletes the Secret. Kubernetes issues short-lived, bound tokens instead.
    """
    if not config.is_secret:
        return
    if config.secret_type == "kubernetes.io/service-account-token":
        account = config.annotations.get("kubernetes.io/service-account.name", "?")
        yield failed(
            f"a non-expiring token Secret for service account {account}",
            at="type",
        )
    else:
        yield passed(f"a {config.secret_type or 'Opaque'} Secret, not a token")
