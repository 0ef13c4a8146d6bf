"""3.2.2 and 3.7 on Azure: audit logs, retention, threat detection and alerting."""

from __future__ import annotations

from tutela.model.azure import (
    ActivityLogAlert,
    DefenderPlan,
    FlowLog,
    KeyVault,
    KubernetesCluster,
    LogAnalyticsWorkspace,
    SqlServer,
)
from tutela.model.values import Unknown, is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


def _retention(days: int | Unknown, settings: Settings, at: str, what: str) -> Verdict:
    minimum = settings.log_retention_days
    if days < minimum:
        return failed(f"{what} kept {days} days, below the minimum of {minimum}", at=at)
    return passed(f"{what} kept {days} days")


@rule(
    code="LOG101",
    controls=("3.7.1.b.2", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `retention_in_days` to at least the organisation's minimum (default 365;
        `[settings] log_retention_days`); the workspace default is 30 days.
    """,
    snippets={"terraform": "retention_in_days = 365"},
)
def log_analytics_retention(workspace: LogAnalyticsWorkspace, settings: Settings) -> Verdict:
    """Log Analytics workspaces keep logs at least as long as the retention policy requires.

    Why: investigations and HIPAA audits need logs that reach back far enough; the 30-day
    default silently destroys evidence.
    """
    days = workspace.retention_days
    if days is None:
        days = 30
    return _retention(days, settings, "retention_days", "logs are")


@rule(
    code="LOG102",
    controls=("3.2.2.b.3", "3.7.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Send the `kube-audit-admin` (or `kube-audit`) category to Log Analytics with an
        `azurerm_monitor_diagnostic_setting` targeting the cluster.
    """,
    snippets={
        "terraform": """
            resource "azurerm_monitor_diagnostic_setting" "aks" {
              name                       = "aks-audit"
              target_resource_id         = azurerm_kubernetes_cluster.platform.id
              log_analytics_workspace_id = azurerm_log_analytics_workspace.security.id

              enabled_log {
                category = "kube-audit-admin"
              }
            }
        """,
    },
)
def aks_audit_logs_collected(cluster: KubernetesCluster) -> Verdict:
    """AKS clusters send Kubernetes audit logs to a log destination.

    Why: the API server audit log is the only record of who did what in the cluster;
    AKS keeps it only when a diagnostic setting collects it.
    """
    if not cluster.audit_logs:
        return failed("no diagnostic setting collects the kube-audit logs", at="audit_logs")
    return passed()


@rule(
    code="LOG103",
    controls=("3.3.2.b.3", "3.7.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Send the `AuditEvent` category (or the `audit` group) to Log Analytics with an
        `azurerm_monitor_diagnostic_setting` targeting the vault.
    """,
    snippets={
        "terraform": """
            resource "azurerm_monitor_diagnostic_setting" "vault" {
              name                       = "vault-audit"
              target_resource_id         = azurerm_key_vault.data.id
              log_analytics_workspace_id = azurerm_log_analytics_workspace.security.id

              enabled_log {
                category_group = "audit"
              }
            }
        """,
    },
)
def key_vault_audit_logs_collected(vault: KeyVault) -> Verdict:
    """Key Vault access is logged (AuditEvent diagnostic logs).

    Why: ENG-POL-003 requires audit logging of all key management activity; without a
    diagnostic setting, who read which secret or used which key is not recorded.
    """
    if not vault.audit_logs:
        return failed("no diagnostic setting collects the AuditEvent logs", at="audit_logs")
    return passed()


@rule(
    code="LOG104",
    controls=("3.2.2.b.3", "3.7.1.b.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable server auditing with an `azurerm_mssql_server_extended_auditing_policy`
        (to Log Analytics via `log_monitoring_enabled`, or a storage account) and a
        retention of 0 (forever) or at least the organisation's minimum.
    """,
    snippets={
        "terraform": """
            resource "azurerm_mssql_server_extended_auditing_policy" "claims" {
              server_id              = azurerm_mssql_server.claims.id
              log_monitoring_enabled = true
              retention_in_days      = 0
            }
        """,
    },
)
def sql_server_auditing(server: SqlServer, settings: Settings) -> Verdict:
    """Azure SQL servers audit database activity, kept long enough.

    Why: database audit logs record who queried or changed ePHI; HIPAA requires them
    and investigations need them to reach back far enough.
    """
    if not server.auditing:
        return failed("server auditing is not enabled", at="auditing")
    days = server.audit_retention_days
    if days is None or days == 0:
        return passed("auditing enabled, records kept without expiry")
    return _retention(days, settings, "audit_retention_days", "audit records are")


# Defender plans that protect the workloads holding or processing ePHI.
CORE_DEFENDER_PLANS = frozenset({
    "virtualmachines", "sqlservers", "sqlservervirtualmachines", "storageaccounts",
    "containers", "keyvaults", "opensourcerelationaldatabases", "cosmosdbs", "appservices",
    "arm",
})


@rule(
    code="LOG105",
    controls=("3.7.1.a.3", "3.1.2.a.5"),
    severity=Severity.HIGH,
    remediation="""
        Set `tier = "Standard"` for the Defender plans of the workloads in use (servers,
        SQL, storage, containers, Key Vault, open-source databases, Cosmos DB, App
        Service, Resource Manager).
    """,
    snippets={
        "terraform": """
            resource "azurerm_security_center_subscription_pricing" "servers" {
              tier          = "Standard"
              resource_type = "VirtualMachines"
              subplan       = "P2"
            }
        """,
    },
)
def defender_plan_enabled(plan: DefenderPlan) -> Verdict:
    """Microsoft Defender for Cloud plans for core workloads are on (Standard tier).

    Why: the Free tier gives posture recommendations only; threat detection for
    servers, databases, storage, containers and Key Vault (and the EDR that comes with
    Defender for Servers) needs the Standard tier.
    """
    tier = plan.tier
    if is_unknown(tier):
        return unknown(f"tier not known: {tier.reason}", at="tier")
    kind = plan.resource_type
    if is_unknown(kind):
        return unknown(f"resource type not known: {kind.reason}", at="resource_type")
    if str(tier).lower() == "standard":
        return passed(f"Defender for {kind} enabled")
    if str(kind).lower() not in CORE_DEFENDER_PLANS:
        return not_applicable(f"{kind} is not a core workload plan")
    return failed(f"Defender for {kind} is on the {tier} tier (no threat detection)",
                  at="tier")


@rule(
    code="LOG106",
    controls=("3.2.2.b.2", "3.7.1.a.3"),
    severity=Severity.LOW,
    remediation="""
        Keep the alert enabled and add an `action { action_group_id = ... }` that pages
        or tickets the security team.
    """,
    snippets={
        "terraform": """
            action {
              action_group_id = azurerm_monitor_action_group.security.id
            }
        """,
    },
)
def activity_log_alert_notifies(alert: ActivityLogAlert) -> Verdict:
    """Activity log alerts are enabled and notify someone.

    Why: an alert without an action group fires into the void; suspicious control-plane
    operations (policy, NSG, role changes) must reach the people who respond.
    """
    if not alert.enabled:
        return failed("the alert is disabled", at="enabled")
    if not alert.has_action:
        return failed("the alert has no action group", at="has_action")
    return passed()


@rule(
    code="LOG107",
    controls=("3.7.1.b.1", "3.7.1.b.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable the flow log with `retention_policy { enabled = true, days = 365 }` (0 keeps
        logs forever), and traffic analytics to a Log Analytics workspace.
    """,
    snippets={
        "terraform": """
            enabled = true
            retention_policy {
              enabled = true
              days    = 365
            }
        """,
    },
)
def flow_log_enabled_and_retained(flow_log: FlowLog, settings: Settings) -> Verdict:
    """Network flow logs are enabled and retained long enough.

    Why: flow logs show which hosts talked to which during an incident; a disabled flow
    log or a short retention leaves no network evidence.
    """
    if not flow_log.enabled:
        return failed("the flow log is disabled", at="enabled")
    if not flow_log.retention_enabled:
        return passed("flow logs kept without expiry (retention policy off)")
    days = flow_log.retention_days
    if days is None or days == 0:
        return passed("flow logs kept without expiry")
    return _retention(days, settings, "retention_days", "flow logs are")
