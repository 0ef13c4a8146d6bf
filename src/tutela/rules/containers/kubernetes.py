"""3.5.1 Container runtime security: Kubernetes workloads."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.inventory import Inventory
from tutela.model.kubernetes import Container, NetworkPolicy, Workload
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule, unknown


def _each_container(workload: Workload) -> Iterator[tuple[Container, str]]:
    base = workload.pod.path
    for i, c in enumerate(workload.pod.init_containers):
        yield c, f"{base}.initContainers[{i}]"
    for i, c in enumerate(workload.pod.containers):
        yield c, f"{base}.containers[{i}]"


@rule(
    code="CTR005",
    controls=("3.5.1.b.3", "3.5.1.b.1"),
    severity=Severity.CRITICAL,
    remediation="Remove `privileged: true`; grant only the specific capabilities needed.",
    snippets={
        "kubernetes": """
        securityContext:
          privileged: false
    """
    },
)
def container_not_privileged(workload: Workload) -> Iterator[Verdict]:
    """Containers do not run privileged.

    Why: a privileged container has every capability and all host devices: it is root
    on the node.
    """
    hits = 0
    for c, path in _each_container(workload):
        if c.security_context.privileged:
            hits += 1
            yield failed(
                f"container {c.name} is privileged",
                at=f"{path}.securityContext.privileged",
                subject=c.name,
            )
    if not hits:
        yield passed()


@rule(
    code="CTR006",
    controls=("3.5.1.b.3",),
    severity=Severity.HIGH,
    remediation="Set `allowPrivilegeEscalation: false` in every container's securityContext.",
    snippets={
        "kubernetes": """
        securityContext:
          allowPrivilegeEscalation: false
    """
    },
)
def container_disallows_privilege_escalation(workload: Workload) -> Iterator[Verdict]:
    """Containers cannot gain more privileges than their parent process.

    Why: without `allowPrivilegeEscalation: false`, setuid binaries in the image can
    raise a compromised process to root. Kubernetes allows escalation by default.
    """
    hits = unknowns = 0
    for c, path in _each_container(workload):
        value = c.security_context.allow_privilege_escalation
        if is_unknown(value):
            unknowns += 1
            yield unknown(
                f"container {c.name}: allowPrivilegeEscalation not known",
                at=f"{path}.securityContext",
                subject=c.name,
            )
            continue
        if value is not False:
            hits += 1
            yield failed(
                f"container {c.name} allows privilege escalation",
                at=f"{path}.securityContext",
                subject=c.name,
            )
    if not hits and not unknowns:
        yield passed()


@rule(
    code="CTR007",
    controls=("3.5.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Set `runAsNonRoot: true` and a high `runAsUser` (e.g. 10001) at pod or container
        level.
    """,
    snippets={
        "kubernetes": """
        securityContext:
          runAsNonRoot: true
          runAsUser: 10001
    """
    },
)
def container_runs_as_non_root(workload: Workload) -> Iterator[Verdict]:
    """Containers run as a non-root user.

    Why: Kubernetes runs the image's user, root by default; `runAsNonRoot` makes the
    kubelet refuse to start a container that would run as root.
    """
    hits = unknowns = 0
    pod = workload.pod
    for c, path in _each_container(workload):
        non_root = pod.effective(c, "run_as_non_root")
        uid = pod.effective(c, "run_as_user")
        if is_unknown(uid) or is_unknown(non_root):
            unknowns += 1
            yield unknown(
                f"container {c.name}: user not known", at=f"{path}.securityContext", subject=c.name
            )
            continue
        if uid == 0 or (non_root is not True and (uid is None)):
            hits += 1
            why = "runs as UID 0" if uid == 0 else "may run as root (no runAsNonRoot or runAsUser)"
            yield failed(f"container {c.name} {why}", at=f"{path}.securityContext", subject=c.name)
    if not hits and not unknowns:
        yield passed()


@rule(
    code="CTR008",
    controls=("3.5.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="Set `resources.limits.cpu` and `resources.limits.memory` for every container.",
    snippets={
        "kubernetes": """
        resources:
          requests:
            cpu: 250m
            memory: 256Mi
          limits:
            cpu: '1'
            memory: 512Mi
    """
    },
)
def container_has_resource_limits(workload: Workload) -> Iterator[Verdict]:
    """Containers declare CPU and memory limits.

    Why: a container without limits can starve its neighbours on the node, turning one
    compromised or buggy workload into a denial of service for others.
    """
    hits = 0
    for c, path in _each_container(workload):
        missing = [r for r in ("cpu", "memory") if r not in c.limits]
        if missing:
            hits += 1
            yield failed(
                f"container {c.name} has no {' or '.join(missing)} limit",
                at=f"{path}.resources",
                subject=c.name,
            )
    if not hits:
        yield passed()


@rule(
    code="CTR009",
    controls=("3.5.1.b.3",),
    severity=Severity.HIGH,
    remediation="Remove `hostNetwork`, `hostPID` and `hostIPC` from application pods.",
)
def pod_does_not_share_host_namespaces(workload: Workload) -> Iterator[Verdict]:
    """Pods do not share the node's network, PID or IPC namespaces.

    Why: host namespaces break the isolation between containers and the node: host
    processes become visible and node-local services reachable.
    """
    pod = workload.pod
    hits = 0
    for attr, field_ in (
        ("host_network", "hostNetwork"),
        ("host_pid", "hostPID"),
        ("host_ipc", "hostIPC"),
    ):
        if getattr(pod, attr):
            hits += 1
            yield failed(f"the pod sets {field_}: true", at=f"{pod.path}.{field_}", subject=field_)
    if not hits:
        yield passed()


@rule(
    code="CTR010",
    controls=("3.5.1.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Add a NetworkPolicy to the namespace (start with a default deny of ingress and
        allow what the application needs).
    """,
    snippets={
        "kubernetes": """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: default-deny
          namespace: payments
        spec:
          podSelector: {}
          policyTypes: [Ingress]
    """
    },
)
def workload_namespace_has_network_policy(workload: Workload, inventory: Inventory) -> Verdict:
    """Every workload's namespace has a NetworkPolicy in the scanned manifests.

    Why: without network policies every pod can reach every other pod; micro-segmentation
    limits lateral movement after a compromise.
    """
    for policy in inventory.of(NetworkPolicy):
        if policy.namespace == workload.namespace:
            return passed(f"namespace {workload.namespace} has NetworkPolicy {policy.name}")
    return failed(f"no NetworkPolicy in namespace {workload.namespace}")
