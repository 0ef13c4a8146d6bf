"""3.2.2 audit logging and 3.5.1 runtime monitoring: Kubernetes control plane and nodes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.container import ImageRef
from tutela.model.inventory import Inventory
from tutela.model.kubernetes import Container, GitOpsApplication, Workload
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule, unknown

# --------------------------------------------------------------------------- API server audit


def _api_server(workload: Workload) -> tuple[int, Container] | None:
    for i, c in enumerate(workload.pod.containers):
        if c.runs("kube-apiserver"):
            return i, c
    return None


@rule(
    code="LOG301",
    controls=("3.2.2.b.3", "3.7.1.b.1", "3.1.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Start kube-apiserver with an audit policy (`--audit-policy-file`) and a backend:
        `--audit-log-path` (with `--audit-log-maxage`/`--audit-log-maxbackup`, shipped to the
        SIEM) or `--audit-webhook-config-file`.
    """,
    snippets={
        "kubernetes": """
        command:
          - kube-apiserver
          - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
          - --audit-log-path=/var/log/kubernetes/audit/audit.log
          - --audit-log-maxage=30
          - --audit-log-maxbackup=10
    """
    },
)
def apiserver_audit_logging_enabled(workload: Workload) -> Iterator[Verdict]:
    """The Kubernetes API server writes an audit log.

    Why: the audit log is the only record of who read which secret, exec'd into which pod
    or changed which RBAC binding; without an audit policy kube-apiserver records nothing.
    Judged on kube-apiserver static pod manifests (self-managed control planes); managed
    clusters enable audit logs in the cloud (EKS `enabled_cluster_log_types`).
    """
    found = _api_server(workload)
    if found is None:
        return
    index, container = found
    flags = container.flags()
    missing = []
    if not flags.get("audit-policy-file"):
        missing.append("--audit-policy-file")
    if not flags.get("audit-log-path") and not flags.get("audit-webhook-config-file"):
        missing.append("--audit-log-path or --audit-webhook-config-file")
    if missing:
        yield failed(
            f"kube-apiserver has no {' and no '.join(missing)}: nothing is audited",
            at=f"{workload.pod.path}.containers[{index}]",
            subject=container.name,
        )
    else:
        backend = flags.get("audit-log-path") or "a webhook"
        yield passed(f"audit log to {backend}", subject=container.name)


# --------------------------------------------------------------------------- runtime security

_RUNTIME_AGENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Falco", re.compile(r"(^|/)falco(-no-driver|-distroless)?$")),
    ("Tetragon", re.compile(r"(^|/)tetragon$")),
    ("Sysdig", re.compile(r"(^|/)sysdig/agent(-slim)?$|(^|/)sysdig/agent-kmodule$")),
    ("Aqua enforcer", re.compile(r"(^|/)aquasec/(enforcer|tracee)$|(^|/)tracee$")),
    ("GuardDuty runtime monitoring", re.compile(r"(^|/)aws-guardduty-agent$")),
    ("CrowdStrike Falcon", re.compile(r"(^|/)falcon-(sensor|container|node-sensor)$")),
    ("Prisma Cloud Defender", re.compile(r"(^|/)(twistlock|prismacloud)/defender$")),
    ("NeuVector", re.compile(r"(^|/)neuvector/enforcer$")),
    ("SentinelOne", re.compile(r"(^|/)(s1-agent|cws-agent)$|sentinelone")),
    ("KubeArmor", re.compile(r"(^|/)kubearmor/kubearmor$")),
    ("Microsoft Defender for Containers", re.compile(r"(^|/)azuredefender/")),
    ("Wiz Sensor", re.compile(r"(^|/)wiz-sensor$|(^|/)sensor/sensor$")),
    ("Lacework", re.compile(r"(^|/)lacework/datacollector$")),
    ("Kubescape runtime detection", re.compile(r"(^|/)kubescape/node-agent$")),
)
"""Runtime security agents by image repository (registry mirrors are fine)."""
_DATADOG = re.compile(r"(^|/)datadog(hq)?/agent$")


def runtime_agent(workload: Workload) -> str | None:
    """The runtime security agent `workload` runs, if any."""
    for c in workload.pod.containers:
        if c.image is None or is_unknown(c.image):
            continue
        repository = ImageRef.parse(c.image).repository.lower()
        for name, pattern in _RUNTIME_AGENTS:
            if pattern.search(repository):
                return name
        if _DATADOG.search(repository) and _datadog_runtime_security(c):
            return "Datadog Cloud Workload Security"
    return None


def _datadog_runtime_security(container: Container) -> bool:
    if is_unknown(container.env):
        return False
    return any(
        e.name == "DD_RUNTIME_SECURITY_CONFIG_ENABLED"
        and isinstance(e.value, str)
        and e.value.lower() == "true"
        for e in container.env
    )


@rule(
    code="LOG302",
    controls=("3.5.1.b.2", "3.1.2.a.5", "3.7.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Deploy a runtime security agent on every node (Falco, Tetragon, GuardDuty EKS
        Runtime Monitoring, Defender for Containers, a commercial CWPP) and route its alerts
        to the SOC. If the agent is installed outside these manifests (a managed add-on),
        record that as evidence or suppress this finding with the reason.
    """,
    snippets={
        "kubernetes": """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: falco
          namespace: falco
        spec:
          template:
            spec:
              containers:
                - name: falco
                  image: registry.example.org/mirror/falcosecurity/falco-no-driver:0.39.2
    """
    },
)
def cluster_runs_runtime_security_agent(
    workload: Workload, inventory: Inventory
) -> Iterator[Verdict]:
    """The cluster's node agents include a runtime security agent.

    Why: container images and manifests can be perfect and a workload still be
    compromised at run time; detecting shells in containers, unexpected binaries or
    privilege escalations needs an agent on every node. Judged once per scan, on the
    DaemonSets (node agents) it deploys: a scan without DaemonSets is application
    manifests, where the agent is not expected.
    """
    if workload.workload_kind != "DaemonSet":
        return
    agent = runtime_agent(workload)
    if agent is not None:
        yield passed(f"runs {agent}")
        return
    daemonsets = [w for w in inventory.of(Workload) if w.workload_kind == "DaemonSet"]
    if any(runtime_agent(d) is not None for d in daemonsets):
        return  # the agent's own DaemonSet reports the pass
    if daemonsets and daemonsets[0] is workload:
        names = ", ".join(str(d.name) for d in daemonsets[:5])
        more = f" and {len(daemonsets) - 5} more" if len(daemonsets) > 5 else ""
        yield failed(
            f"the scanned node agents ({names}{more}) include no runtime security agent "
            "(Falco, Tetragon, GuardDuty, Defender, Sysdig...)",
            at="metadata",
        )


# --------------------------------------------------------------------------- drift


@rule(
    code="LOG303",
    controls=("3.1.2.a.3", "3.4.1.b.2"),
    severity=Severity.LOW,
    remediation="""
        Let the GitOps controller revert changes made outside Git: Argo CD
        `syncPolicy.automated.selfHeal: true`, Flux HelmRelease
        `driftDetection.mode: enabled`, and no suspended Flux objects left behind.
    """,
    snippets={
        "kubernetes": """
        spec:
          syncPolicy:
            automated:
              prune: true
              selfHeal: true
    """
    },
)
def gitops_corrects_drift(app: GitOpsApplication) -> Verdict:
    """GitOps applications detect and revert configuration drift.

    Why: a `kubectl edit` in production (a disabled securityContext, an extra
    ClusterRoleBinding) silently outlives the reviewed manifests unless the GitOps
    controller compares the cluster with Git and puts it back; drift that is reverted is
    also drift that is recorded.
    """
    if is_unknown(app.reconciles) or is_unknown(app.corrects_drift):
        return unknown("the sync policy is a template placeholder", at="spec")
    if not app.reconciles:
        what = "is suspended" if app.engine == "flux" else "syncs only by hand (no automated sync)"
        return failed(f"the {app.native_type} {what}: drift is never corrected", at="spec")
    if not app.corrects_drift:
        how = "selfHeal is off" if app.engine == "argocd" else "drift detection is disabled"
        return failed(f"{how}: changes made in the cluster stay", at="spec")
    return passed("drift is detected and reverted")
