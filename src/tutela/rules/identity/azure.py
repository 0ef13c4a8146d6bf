"""3.2.1 Cloud IAM on Azure: least-privilege roles, Entra ID authentication, no shared admins."""

from __future__ import annotations

from tutela.model.azure import (
    ContainerRegistry,
    KubernetesCluster,
    RoleAssignment,
    RoleDefinition,
    SqlServer,
)
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown

# Built-in roles that can grant access to others (and so everything else).
PRIVILEGED_ROLES = frozenset({
    "owner", "user access administrator", "role based access control administrator",
})
BROAD_SCOPES = {"root": "the root management group", "management_group": "a management group",
                "subscription": "a subscription"}


@rule(
    code="IAM101",
    controls=("3.2.1.a.3",),
    severity=Severity.HIGH,
    remediation="""
        List the operations the role needs (`Microsoft.Storage/storageAccounts/read`...)
        instead of `*`; use built-in roles where they fit.
    """,
    snippets={
        "terraform": """
            permissions {
              actions = [
                "Microsoft.Compute/virtualMachines/read",
                "Microsoft.Compute/virtualMachines/restart/action",
              ]
            }
        """,
    },
)
def custom_role_has_no_wildcard_actions(role: RoleDefinition) -> Verdict:
    """Custom roles do not allow every action.

    Why: a custom role with `actions = ["*"]` is Owner under another name: it escapes
    the reviews that watch Owner assignments and defeats least privilege.
    """
    actions = role.actions
    if is_unknown(actions):
        return unknown(f"actions not known before apply: {actions.reason}", at="actions")
    if "*" in (a.strip() for a in actions):
        return failed("the role allows every action ('*')", at="actions")
    return passed()


@rule(
    code="IAM102",
    controls=("3.2.1.a.3", "3.2.1.a.5"),
    severity=Severity.HIGH,
    remediation="""
        Assign Owner, User Access Administrator and RBAC Administrator at subscription
        scope (or above) to groups governed by Privileged Identity Management, never
        permanently to individual users; give people narrower roles at narrower scopes.
    """,
    snippets={
        "terraform": """
            resource "azurerm_role_assignment" "platform_owners" {
              scope                = data.azurerm_subscription.current.id
              role_definition_name = "Owner"
              principal_id         = azuread_group.platform_owners.object_id
              principal_type       = "Group"
            }
        """,
    },
)
def no_privileged_role_for_users_at_subscription(assignment: RoleAssignment) -> Verdict:
    """Privileged roles at subscription scope or above are not assigned to individual users.

    Why: a standing Owner (or access administrator) assignment to a person is full
    control of the subscription's ePHI from one account; privileged access belongs to
    reviewed groups with just-in-time elevation.
    """
    role = assignment.role_name
    if role is None:
        return not_applicable("no role named")
    if is_unknown(role):
        return unknown(f"role not known before apply: {role.reason}", at="role_name")
    if role.lower() not in PRIVILEGED_ROLES:
        return not_applicable(f"{role} is not a privileged role")
    level = assignment.scope_level
    if is_unknown(level):
        return unknown(f"scope not known before apply: {level.reason}", at="scope")
    if level not in BROAD_SCOPES:
        return passed(f"{role} at {level} scope")
    kind = assignment.principal_kind
    if is_unknown(kind):
        return unknown(f"{role} on {BROAD_SCOPES[level]}: {kind.reason}", at="principal_kind")
    if kind is not None and kind.lower() == "user":
        return failed(f"{role} on {BROAD_SCOPES[level]} is assigned to a user",
                      at="principal_kind")
    return passed(f"{role} assigned to a {kind or 'non-user principal'}")


@rule(
    code="IAM103",
    controls=("3.2.1.a.3", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="Keep `role_based_access_control_enabled = true` (the default).",
    snippets={"terraform": "role_based_access_control_enabled = true"},
)
def aks_rbac_enabled(cluster: KubernetesCluster) -> Verdict:
    """AKS clusters enforce Kubernetes RBAC.

    Why: without RBAC every authenticated identity is cluster-admin; it cannot be turned
    on later without recreating the cluster.
    """
    if not cluster.rbac_enabled:
        return failed("Kubernetes RBAC is disabled", at="rbac_enabled")
    return passed()


@rule(
    code="IAM104",
    controls=("3.2.1.a.1", "3.2.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Integrate the cluster with Entra ID
        (`azure_active_directory_role_based_access_control`) and set
        `local_account_disabled = true`, so every user signs in with Entra ID (and its
        MFA and conditional access).
    """,
    snippets={
        "terraform": """
            local_account_disabled = true
            azure_active_directory_role_based_access_control {
              azure_rbac_enabled     = true
              admin_group_object_ids = [azuread_group.aks_admins.object_id]
            }
        """,
    },
)
def aks_uses_entra_id_only(cluster: KubernetesCluster) -> Verdict:
    """AKS clusters authenticate users with Entra ID, with local accounts disabled.

    Why: the local `clusterAdmin` kubeconfig is a static, shared credential that bypasses
    SSO, MFA and access reviews; anyone holding it is cluster-admin.
    """
    if not cluster.entra_integration:
        return failed("the cluster is not integrated with Entra ID", at="entra_integration")
    if not cluster.local_accounts_disabled:
        return failed("local accounts (the static admin kubeconfig) are enabled",
                      at="local_accounts_disabled")
    return passed()


@rule(
    code="IAM105",
    controls=("3.2.1.b.1", "3.2.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `admin_enabled = false` and grant `AcrPush` / `AcrPull` to the managed
        identities of pipelines and clusters.
    """,
    snippets={"terraform": "admin_enabled = false"},
)
def container_registry_admin_user_disabled(registry: ContainerRegistry) -> Verdict:
    """Container registries do not enable the shared admin user.

    Why: the admin user is one username and password with push rights, shared by every
    consumer, never expiring and not attributable to anyone.
    """
    if registry.admin_enabled:
        return failed("the shared admin user is enabled", at="admin_enabled")
    return passed()


@rule(
    code="IAM106",
    controls=("3.2.1.a.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Declare an `azuread_administrator` (an Entra ID group) on the server, ideally
        with `azuread_authentication_only = true`.
    """,
    snippets={
        "terraform": """
            azuread_administrator {
              login_username              = "sql-admins"
              object_id                   = azuread_group.sql_admins.object_id
              azuread_authentication_only = true
            }
        """,
    },
)
def sql_server_has_entra_admin(server: SqlServer) -> Verdict:
    """Azure SQL servers have an Entra ID administrator.

    Why: with only the SQL login, database access cannot use SSO, MFA or the central
    joiner-mover-leaver process; an Entra ID admin group brings them.
    """
    if not server.entra_admin:
        return failed("no Entra ID administrator is configured", at="entra_admin")
    return passed("Entra ID only" if server.entra_only is True else "Entra ID admin set")
