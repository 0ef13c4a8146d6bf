"""3.5.1 Container platform security on Azure (AKS)."""

from __future__ import annotations

from tutela.model.azure import KubernetesCluster
from tutela.rules.api import Severity, Verdict, failed, passed, rule


@rule(
    code="CTR101",
    controls=("3.5.1.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Create the cluster with a network policy engine: `network_profile {
        network_plugin = "azure", network_policy = "azure" }` (or `calico`, or `cilium`
        with `network_data_plane = "cilium"`), then apply NetworkPolicies per namespace.
    """,
    snippets={
        "terraform": """
            network_profile {
              network_plugin = "azure"
              network_policy = "azure"
            }
        """,
    },
)
def aks_network_policy_enabled(cluster: KubernetesCluster) -> Verdict:
    """AKS clusters run a network policy engine.

    Why: without one, Kubernetes NetworkPolicies are silently ignored and every pod can
    reach every other pod; micro-segmentation is impossible. The engine can only be
    chosen when the cluster is created.
    """
    if not cluster.network_policy:
        return failed("no network policy engine: NetworkPolicies are not enforced",
                      at="network_policy")
    return passed(f"network policy {cluster.network_policy}")


@rule(
    code="CTR102",
    controls=("3.5.1.b.1", "3.4.1.b.3"),
    severity=Severity.LOW,
    remediation="""
        Enable the Azure Policy add-on (`azure_policy_enabled = true`) and assign the
        Kubernetes baseline or restricted pod security initiative.
    """,
    snippets={"terraform": "azure_policy_enabled = true"},
)
def aks_azure_policy_enabled(cluster: KubernetesCluster) -> Verdict:
    """AKS clusters run the Azure Policy add-on.

    Why: the add-on (Gatekeeper) enforces the organisation's pod security baseline at
    admission and reports compliance, the security baseline enforcement the policy asks
    for.
    """
    if not cluster.azure_policy:
        return failed("the Azure Policy add-on is not enabled", at="azure_policy")
    return passed()
