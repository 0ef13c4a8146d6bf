"""3.5.1 Container runtime security: Kubernetes workloads."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from tutela.model.container import DOCKER_HUB, ImageRef, image_name
from tutela.model.inventory import Inventory
from tutela.model.kubernetes import (
    AdmissionPolicy,
    Container,
    Kustomization,
    Namespace,
    NetworkPolicy,
    Workload,
    partial_workload,
)
from tutela.model.values import Unknown, is_unknown
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


def _partial(workload: Workload, inventory: Inventory) -> Verdict | None:
    """Not applicable to a kustomize patch or a fragment: what it leaves out comes from the
    object it patches."""
    why = partial_workload(workload, inventory.of(Kustomization))
    return not_applicable(f"{why}: judged on the object it completes") if why else None


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
    return or_passed(
        failed(
            f"container {c.name} is privileged",
            at=f"{path}.securityContext.privileged",
            subject=c.name,
        )
        for c, path in _each_container(workload)
        if c.security_context.privileged
    )


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
def container_disallows_privilege_escalation(
    workload: Workload, inventory: Inventory
) -> Iterator[Verdict]:
    """Containers cannot gain more privileges than their parent process.

    Why: without `allowPrivilegeEscalation: false`, setuid binaries in the image can
    raise a compromised process to root. Kubernetes allows escalation by default.
    """
    if (partial := _partial(workload, inventory)) is not None:
        yield partial
        return

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            value = c.security_context.allow_privilege_escalation
            if is_unknown(value):
                yield unknown(
                    f"container {c.name}: allowPrivilegeEscalation not known",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )
                continue
            if value is not False:
                yield failed(
                    f"container {c.name} allows privilege escalation",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )

    yield from or_passed(problems())


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
def container_runs_as_non_root(workload: Workload, inventory: Inventory) -> Iterator[Verdict]:
    """Containers run as a non-root user.

    Why: Kubernetes runs the image's user, root by default; `runAsNonRoot` makes the
    kubelet refuse to start a container that would run as root.
    """
    if (partial := _partial(workload, inventory)) is not None:
        yield partial
        return
    pod = workload.pod

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            non_root = pod.effective(c, "run_as_non_root")
            uid = pod.effective(c, "run_as_user")
            if is_unknown(uid) or is_unknown(non_root):
                yield unknown(
                    f"container {c.name}: user not known",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )
                continue
            if uid == 0 or (non_root is not True and (uid is None)):
                why = (
                    "runs as UID 0" if uid == 0
                    else "may run as root (no runAsNonRoot or runAsUser)"
                )
                yield failed(
                    f"container {c.name} {why}", at=f"{path}.securityContext", subject=c.name
                )

    yield from or_passed(problems())


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
def container_has_resource_limits(workload: Workload, inventory: Inventory) -> Iterator[Verdict]:
    """Containers declare CPU and memory limits.

    Why: a container without limits can starve its neighbours on the node, turning one
    compromised or buggy workload into a denial of service for others.
    """
    if (partial := _partial(workload, inventory)) is not None:
        yield partial
        return

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            if is_unknown(c.limits):
                yield unknown(
                    f"container {c.name}: limits not known ({c.limits.reason})",
                    at=f"{path}.resources",
                    subject=c.name,
                )
                continue
            missing = [r for r in ("cpu", "memory") if r not in c.limits]
            if missing:
                yield failed(
                    f"container {c.name} has no {' or '.join(missing)} limit",
                    at=f"{path}.resources",
                    subject=c.name,
                )

    yield from or_passed(problems())


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
    return or_passed(
        failed(f"the pod sets {field_}: true", at=f"{pod.path}.{field_}", subject=field_)
        for attr, field_ in (
            ("host_network", "hostNetwork"),
            ("host_pid", "hostPID"),
            ("host_ipc", "hostIPC"),
        )
        if getattr(pod, attr)
    )


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
    if (partial := _partial(workload, inventory)) is not None:
        return partial
    for policy in inventory.of(NetworkPolicy):
        if policy.namespace == workload.namespace:
            return passed(f"namespace {workload.namespace} has NetworkPolicy {policy.name}")
    return failed(f"no NetworkPolicy in namespace {workload.namespace}")


# --------------------------------------------------------------------------- helpers


def _images(
    workload: Workload, inventory: Inventory | None
) -> Iterator[tuple[Container, str, ImageRef | Unknown]]:
    """Each container with an image, as deployed: a kustomization's `images:` rewrite in
    the same scan replaces the reference written in the base manifest."""
    overrides = [o for k in inventory.of(Kustomization) for o in k.images] if inventory else []
    for c, path in _each_container(workload):
        image = c.image
        if image is None:
            continue
        if is_unknown(image):
            yield c, path, image
            continue
        if "{{" in image:
            yield c, path, Unknown(f"the image is a template placeholder: {image}")
            continue
        ref = ImageRef.parse(image)
        matching = [o for o in overrides if o.matches(image_name(image))]
        if matching:
            for override in matching:
                yield c, path, ImageRef.parse(override.apply(image))
        else:
            yield c, path, ref


def _no_image(workload: Workload) -> Verdict | None:
    if any(c.image is not None for c in workload.pod.all_containers):
        return None
    return not_applicable("no container names an image")


def _has_variable(text: str | None) -> bool:
    return text is not None and ("$" in text or "{{" in text)


# --------------------------------------------------------------------------- securityContext


@rule(
    code="CTR301",
    controls=("3.5.1.b.3",),
    severity=Severity.LOW,
    remediation="""
        Set `readOnlyRootFilesystem: true` in each container's securityContext and mount an
        `emptyDir` where the application must write (`/tmp`, caches).
    """,
    snippets={
        "kubernetes": """
        containers:
          - name: api
            securityContext:
              readOnlyRootFilesystem: true
            volumeMounts:
              - name: tmp
                mountPath: /tmp
        volumes:
          - name: tmp
            emptyDir: {}
    """
    },
)
def container_root_filesystem_read_only(
    workload: Workload, inventory: Inventory
) -> Iterator[Verdict]:
    """Containers run with a read-only root filesystem.

    Why: a writable root filesystem lets an attacker who gains code execution drop tools,
    tamper with the application's own files and persist across process restarts. Init
    containers are not judged: they run to completion before the application starts.
    """
    if (partial := _partial(workload, inventory)) is not None:
        yield partial
        return

    def problems() -> Iterator[Verdict]:
        for i, c in enumerate(workload.pod.containers):
            path = f"{workload.pod.path}.containers[{i}]"
            value = c.security_context.read_only_root_filesystem
            if is_unknown(value):
                yield unknown(
                    f"container {c.name}: readOnlyRootFilesystem not known ({value.reason})",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )
            elif value is not True:
                yield failed(
                    f"container {c.name} has a writable root filesystem",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )

    yield from or_passed(problems(), "every container's root filesystem is read-only")


@rule(
    code="CTR302",
    controls=("3.5.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Drop every capability (`capabilities.drop: ["ALL"]`) and add back only the ones the
        process needs, typically none or `NET_BIND_SERVICE`.
    """,
    snippets={
        "kubernetes": """
        securityContext:
          capabilities:
            drop: ["ALL"]
    """
    },
)
def container_drops_all_capabilities(workload: Workload, inventory: Inventory) -> Iterator[Verdict]:
    """Containers drop all Linux capabilities.

    Why: the container runtime grants a default set of capabilities (CHOWN, DAC_OVERRIDE,
    SETUID, NET_RAW...) that most applications never use; each one is a lever for privilege
    escalation or network spoofing after a compromise. The restricted Pod Security
    Standard requires dropping ALL.
    """
    if (partial := _partial(workload, inventory)) is not None:
        yield partial
        return

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            drop = c.security_context.capabilities_drop
            if is_unknown(drop):
                yield unknown(
                    f"container {c.name}: dropped capabilities not known ({drop.reason})",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )
            elif "ALL" not in drop:
                yield failed(
                    f"container {c.name} does not drop ALL capabilities",
                    at=f"{path}.securityContext",
                    subject=c.name,
                )

    yield from or_passed(problems(), "every container drops ALL capabilities")


DANGEROUS_CAPABILITIES = frozenset(
    {
        "ALL",
        "SYS_ADMIN",
        "NET_ADMIN",
        "NET_RAW",
        "SYS_PTRACE",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_BOOT",
        "SYS_TIME",
        "DAC_READ_SEARCH",
        "BPF",
        "PERFMON",
        "MAC_ADMIN",
        "MAC_OVERRIDE",
        "SYSLOG",
        "AUDIT_CONTROL",
    }
)
"""Capabilities that break container isolation: kernel modules, raw devices and memory,
other processes' memory (ptrace), host networking configuration, packet spoofing, eBPF,
MAC policy, the system clock and audit configuration."""


@rule(
    code="CTR303",
    controls=("3.5.1.b.3",),
    severity=Severity.HIGH,
    remediation="""
        Remove dangerous capabilities from `capabilities.add`. If a node agent genuinely needs
        one (a CNI plugin's NET_ADMIN), run it in a dedicated namespace and list the capability
        in the `allowed_capabilities` setting, or record a waiver.
    """,
    snippets={
        "kubernetes": """
        securityContext:
          capabilities:
            drop: ["ALL"]
            add: ["NET_BIND_SERVICE"]
    """
    },
)
def container_adds_no_dangerous_capabilities(
    workload: Workload, settings: Settings
) -> Iterator[Verdict]:
    """Containers add no dangerous Linux capabilities.

    Why: capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE or BPF hand a
    container enough of root's power to escape to the node, read other processes' memory or
    reconfigure the node's network.
    """
    allowed = {c.upper().removeprefix("CAP_") for c in settings.allowed_capabilities}

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            add = c.security_context.capabilities_add
            if is_unknown(add):
                yield unknown(
                    f"container {c.name}: added capabilities not known ({add.reason})",
                    at=f"{path}.securityContext.capabilities",
                    subject=c.name,
                )
                continue
            bad = sorted({a for a in add if a in DANGEROUS_CAPABILITIES and a not in allowed})
            if bad:
                yield failed(
                    f"container {c.name} adds {', '.join(bad)}",
                    at=f"{path}.securityContext.capabilities.add",
                    subject=c.name,
                )

    yield from or_passed(problems(), "no dangerous capability added")


@rule(
    code="CTR304",
    controls=("3.5.1.b.3",),
    severity=Severity.LOW,
    remediation="""
        Run as a UID of 10000 or more (`runAsUser: 10001`), built into the image with
        `useradd --uid 10001`, so a process that escapes the container maps to no user of the
        node.
    """,
    snippets={
        "kubernetes": """
        securityContext:
          runAsNonRoot: true
          runAsUser: 10001
          runAsGroup: 10001
    """
    },
)
def container_runs_with_high_uid(workload: Workload, settings: Settings) -> Iterator[Verdict]:
    """Containers that set runAsUser use a high UID.

    Why: low UIDs (1-9999) overlap with the system and login users of the node; without
    user namespaces, a process that escapes the container keeps its UID and inherits
    whatever that user may do on the host. Containers that leave runAsUser to the image are
    not judged here, and UID 0 is reported by CTR007.
    """
    minimum = settings.min_run_as_user
    pod = workload.pod
    judged = 0
    for c, path in _each_container(workload):
        uid = pod.effective(c, "run_as_user")
        if uid is None or uid == 0:
            continue
        judged += 1
        if is_unknown(uid):
            yield unknown(
                f"container {c.name}: runAsUser not known",
                at=f"{path}.securityContext",
                subject=c.name,
            )
        elif isinstance(uid, int) and uid < minimum:
            where = "securityContext" if c.security_context.run_as_user is not None else None
            at = f"{path}.{where}" if where else f"{pod.path}.securityContext.runAsUser"
            yield failed(
                f"container {c.name} runs as UID {uid}, below {minimum}", at=at, subject=c.name
            )
        else:
            yield passed(f"container {c.name} runs as UID {uid}", subject=c.name)
    if not judged:
        yield not_applicable("no container sets runAsUser (CTR007 judges the image's user)")


_RUNTIME_DEFAULT_ANNOTATIONS = ("runtime/default", "docker/default")


def _seccomp(workload: Workload, c: Container) -> tuple[str | Unknown | None, str]:
    """The seccomp profile type in force for `c`, and where it comes from."""
    own = c.security_context.seccomp_profile
    if own is not None:
        return own, "container"
    pod = workload.pod.security_context.seccomp_profile
    if pod is not None:
        return pod, "pod"
    # Deprecated annotations (before Kubernetes 1.19), still written by older charts.
    notes = workload.pod.annotations
    legacy = notes.get(f"container.seccomp.security.alpha.kubernetes.io/{c.name}") or notes.get(
        "seccomp.security.alpha.kubernetes.io/pod"
    )
    if legacy is not None:
        if legacy in _RUNTIME_DEFAULT_ANNOTATIONS:
            return "RuntimeDefault", "annotation"
        if legacy.startswith("localhost/"):
            return "Localhost", "annotation"
        return "Unconfined" if legacy == "unconfined" else legacy, "annotation"
    return None, ""


@rule(
    code="CTR305",
    controls=("3.5.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a reviewed profile) in
        the pod's securityContext, so every container inherits it.
    """,
    snippets={
        "kubernetes": """
        spec:
          securityContext:
            seccompProfile:
              type: RuntimeDefault
    """
    },
)
def pod_uses_seccomp_profile(workload: Workload, inventory: Inventory) -> Iterator[Verdict]:
    """Containers run with the runtime's default or a local seccomp profile.

    Why: Kubernetes runs containers Unconfined unless told otherwise, exposing the whole
    kernel system-call surface (keyctl, unshare, bpf...) that container escapes rely on.
    RuntimeDefault blocks those calls with no change to ordinary applications.
    """
    if (partial := _partial(workload, inventory)) is not None:
        yield partial
        return

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            profile, origin = _seccomp(workload, c)
            at = (
                f"{path}.securityContext"
                if origin == "container"
                else (f"{workload.pod.path}.securityContext")
            )
            if is_unknown(profile):
                yield unknown(
                    f"container {c.name}: seccomp profile not known ({profile.reason})",
                    at=at,
                    subject=c.name,
                )
            elif profile is None:
                yield failed(
                    f"container {c.name} has no seccomp profile (Unconfined)",
                    at=at,
                    subject=c.name,
                )
            elif profile not in ("RuntimeDefault", "Localhost"):
                yield failed(
                    f"container {c.name} runs with seccomp profile {profile}",
                    at=at,
                    subject=c.name,
                )

    yield from or_passed(problems(), "every container runs with a seccomp profile")


_SENSITIVE_FILES = (
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/run/k3s/containerd/containerd.sock",
    "/etc/shadow",
    "/etc/sudoers",
)
"""Container runtime sockets (control of every container on the node) and credentials."""

_SENSITIVE_TREES = (
    "/etc",  # only the directory itself (see _SENSITIVE_UNDER_ETC for its subpaths)
    "/proc",
    "/sys",
    "/root",
    "/home",
    "/var/lib/kubelet",
    "/var/lib/etcd",
    "/etc/kubernetes",
    "/etc/sudoers.d",
    "/etc/ssh",
    "/etc/cron.d",
    "/etc/systemd",
)
"""Host directories whose content (or any part of it) gives away the node: kernel and
process interfaces, users' keys, the kubelet's credentials and every pod's volumes, etcd's
data, the control plane's PKI, SSH and cron configuration."""


def sensitive_host_path(path: str) -> str | None:
    """Why mounting `path` from the node is dangerous, or None.

    A path is sensitive when it is `/`, a runtime socket or credential file, a directory
    that contains one (`/var/run`, `/run/containerd`), or anything under a sensitive tree.
    `/etc` itself is sensitive, but not harmless files under it (`/etc/localtime`,
    `/etc/ssl/certs`), which many charts mount read-only.
    """
    text = path.strip()
    if not text.startswith("/"):
        return None  # Windows paths, relative paths: not judged
    norm = posixpath.normpath("/" + text.lstrip("/"))
    if norm == "/":
        return "the node's root filesystem"
    for item in _SENSITIVE_FILES:
        if norm == item or item.startswith(norm + "/"):
            return f"it contains {item}" if norm != item else f"{item} is sensitive"
    for tree in _SENSITIVE_TREES:
        if norm == tree or tree.startswith(norm + "/"):
            return f"it contains {tree}" if norm != tree else f"{tree} is sensitive"
        if tree != "/etc" and norm.startswith(tree + "/"):
            return f"it is under {tree}"
    return None


@rule(
    code="CTR306",
    controls=("3.5.1.b.3",),
    severity=Severity.HIGH,
    remediation="""
        Replace hostPath volumes of sensitive node paths with ConfigMaps, Secrets, emptyDir
        or persistent volumes. Node agents that truly need them (log shippers, CSI drivers)
        belong in a dedicated, restricted namespace with a recorded waiver.
    """,
    snippets={
        "kubernetes": """
        volumes:
          - name: cache
            emptyDir:
              sizeLimit: 1Gi
    """
    },
)
def pod_mounts_no_sensitive_host_paths(workload: Workload) -> Iterator[Verdict]:
    """Pods do not mount sensitive paths of the node.

    Why: a hostPath volume of `/`, `/etc`, `/proc`, `/var/lib/kubelet` or a container runtime
    socket hands the pod the node itself: the runtime socket alone starts privileged
    containers, the kubelet directory holds every pod's secrets.
    """

    def problems() -> Iterator[Verdict]:
        for i, volume in enumerate(workload.pod.volumes):
            host_path = volume.host_path
            at = f"{workload.pod.path}.volumes[{i}]"
            if host_path is None:
                continue
            if is_unknown(host_path):
                yield unknown(host_path.reason, at=at, subject=volume.name)
                continue
            why = sensitive_host_path(host_path)
            if why:
                yield failed(
                    f"volume {volume.name} mounts {host_path} from the node ({why})",
                    at=at,
                    subject=volume.name,
                )

    yield from or_passed(problems(), "no sensitive hostPath volume")


@rule(
    code="CTR307",
    controls=("3.5.1.b.3", "3.5.1.b.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Remove `hostPort` and expose the pod through a Service (ClusterIP behind an Ingress
        or a load balancer) instead.
    """,
    snippets={
        "kubernetes": """
        ports:
          - name: http
            containerPort: 8080
    """
    },
)
def container_binds_no_host_port(workload: Workload) -> Iterator[Verdict]:
    """Containers do not bind ports on the node.

    Why: a hostPort publishes the container on the node's own address, outside Services
    and often outside NetworkPolicies, and ties the pod to nodes where the port is free.
    """

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            if c.host_ports:
                ports = ", ".join(str(p) for p in c.host_ports)
                yield failed(
                    f"container {c.name} binds host port {ports}",
                    at=f"{path}.ports",
                    subject=c.name,
                )

    yield from or_passed(problems(), "no hostPort")


# --------------------------------------------------------------------------- images


@rule(
    code="CTR308",
    controls=("3.5.1.a.4",),
    severity=Severity.LOW,
    remediation="""
        Reference images by digest (`image: registry/app@sha256:...`, or `repo:tag@sha256:...`
        to keep the tag readable); let CI or kustomize's `images:` write the digest of the
        image it built and signed.
    """,
    snippets={
        "kubernetes": """
        containers:
          - name: api
            image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1.8.2@sha256:<digest>
    """
    },
)
def container_image_pinned_by_digest(workload: Workload, inventory: Inventory) -> Iterator[Verdict]:
    """Container images are referenced by digest.

    Why: a tag can be moved to different content at any time; only a digest guarantees the
    node runs the exact image that was scanned, reviewed and signed. Kustomize `images:`
    rewrites found in the same scan are applied first.
    """
    if (no_image := _no_image(workload)) is not None:
        yield no_image
        return

    def problems() -> Iterator[Verdict]:
        for c, path, ref in _images(workload, inventory):
            if is_unknown(ref):
                yield unknown(
                    f"container {c.name}: {ref.reason}", at=f"{path}.image", subject=c.name
                )
            elif ref.pinned:
                continue
            elif ref.digest is None and (_has_variable(ref.tag) or ref.text.endswith("}")):
                yield unknown(
                    f"container {c.name}: image {ref.text} is completed by a variable",
                    at=f"{path}.image",
                    subject=c.name,
                )
            else:
                yield failed(
                    f"container {c.name} image {ref.text} is not pinned by digest",
                    at=f"{path}.image",
                    subject=c.name,
                )

    yield from or_passed(problems(), "every image is pinned by digest")


PUBLIC_REGISTRIES = ("public.ecr.aws", "registry.k8s.io", "k8s.gcr.io", "mcr.microsoft.com")
"""Registries that only serve public images."""


def registry_approved(ref: ImageRef, approved: Iterable[str]) -> bool:
    """True when `ref` comes from one of `approved` (hosts or host/path prefixes, with `*`)."""
    name = ref.name
    for entry in approved:
        pattern = entry.strip().rstrip("/").lower()
        if not pattern:
            continue
        if pattern in ("docker.io", "index.docker.io") and ref.registry == DOCKER_HUB:
            return True
        if (
            name == pattern
            or name.startswith(pattern + "/")
            or fnmatchcase(name, pattern)
            or fnmatchcase(name, pattern + "/*")
        ):
            return True
    return False


@rule(
    code="CTR309",
    controls=("3.5.1.a.5",),
    severity=Severity.MEDIUM,
    remediation="""
        Pull images from your organisation's private registry (mirror third-party images
        into it, where they are scanned and access-controlled), and list that registry in the
        `approved_registries` setting so tutela enforces it.
    """,
    snippets={
        "kubernetes": """
        containers:
          - name: api
            image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/nginx:1.27.2@sha256:<digest>
    """
    },
)
def container_image_from_approved_registry(
    workload: Workload, settings: Settings, inventory: Inventory
) -> Iterator[Verdict]:
    """Container images come from approved private registries.

    Why: images pulled straight from public registries bypass the organisation's
    vulnerability scanning and access control, and can change or disappear upstream. With
    `approved_registries` configured, any other registry fails; without it, only images
    known to be public fail: Docker Hub's official images (`nginx`, `redis`) and
    registries that serve nothing else (public.ecr.aws, registry.k8s.io,
    mcr.microsoft.com). Other registries may be private and are not judged.
    """
    if (no_image := _no_image(workload)) is not None:
        yield no_image
        return
    approved = settings.approved_registries

    def problems() -> Iterator[Verdict]:
        for c, path, ref in _images(workload, inventory):
            at = f"{path}.image"
            if is_unknown(ref):
                yield unknown(f"container {c.name}: {ref.reason}", at=at, subject=c.name)
                continue
            head = ref.text.split("/", 1)[0] if ref.explicit_registry else ""
            if _has_variable(head) or (not ref.explicit_registry and ref.text.startswith("$")):
                yield unknown(
                    f"container {c.name}: the registry of {ref.text} is a variable",
                    at=at,
                    subject=c.name,
                )
            elif approved:
                if not registry_approved(ref, approved):
                    yield failed(
                        f"container {c.name} image {ref.text} is not from an approved registry",
                        at=at,
                        subject=c.name,
                    )
            elif ref.is_docker_hub_official or ref.registry in PUBLIC_REGISTRIES:
                where = "Docker Hub" if ref.registry == DOCKER_HUB else ref.registry
                yield failed(
                    f"container {c.name} pulls the public image {ref.text} straight from {where}",
                    at=at,
                    subject=c.name,
                )

    yield from or_passed(problems(), "every image comes from an approved registry")


@rule(
    code="CTR310",
    controls=("3.5.1.a.3", "3.5.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Reference an explicit, immutable version (`api:1.8.2`, better with its digest), never
        `latest` or no tag at all.
    """,
    snippets={
        "kubernetes": """
        containers:
          - name: api
            image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1.8.2
    """
    },
)
def container_image_tag_explicit(workload: Workload, inventory: Inventory) -> Iterator[Verdict]:
    """Container images name an explicit version, not latest.

    Why: `latest` (which an untagged reference means) changes with every push: what runs
    depends on when a node pulled, rollbacks are impossible and an unreviewed image reaches
    production. Digest-pinned references pass whatever their tag.
    """
    if (no_image := _no_image(workload)) is not None:
        yield no_image
        return

    def problems() -> Iterator[Verdict]:
        for c, path, ref in _images(workload, inventory):
            at = f"{path}.image"
            if is_unknown(ref):
                yield unknown(f"container {c.name}: {ref.reason}", at=at, subject=c.name)
            elif ref.pinned:
                continue
            elif _has_variable(ref.tag) or (ref.tag is None and ref.text.endswith("}")):
                yield unknown(
                    f"container {c.name}: the tag of {ref.text} is a variable",
                    at=at,
                    subject=c.name,
                )
            elif ref.tag is None or ref.tag == "latest":
                what = "has no tag (latest)" if ref.tag is None else "uses the tag latest"
                yield failed(f"container {c.name} image {ref.text} {what}", at=at, subject=c.name)

    yield from or_passed(problems(), "every image names an explicit version")


# --------------------------------------------------------------------------- namespaces

SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})
_PSA_ENFORCE = "pod-security.kubernetes.io/enforce"


@rule(
    code="CTR311",
    controls=("3.5.1.b.1", "3.4.1.b.3", "3.1.2.a.1", "3.1.1.a.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline`
        where a workload cannot meet restricted yet), or enforce equivalent rules with a
        policy engine (Kyverno, Gatekeeper).
    """,
    snippets={
        "kubernetes": """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: payments
          labels:
            pod-security.kubernetes.io/enforce: restricted
            pod-security.kubernetes.io/warn: restricted
    """
    },
)
def namespace_enforces_pod_security(namespace: Namespace, inventory: Inventory) -> Verdict:
    """Namespaces enforce a Pod Security Standard.

    Why: the workload rules only judge the manifests in this repository; Pod Security
    Admission (or a policy engine) makes the API server refuse privileged, host-namespace
    or root pods from any source, including `kubectl run` and compromised deployers. System
    namespaces are not judged.
    """
    name = namespace.name if isinstance(namespace.name, str) else ""
    if name in SYSTEM_NAMESPACES:
        return not_applicable(f"{name} is a system namespace")
    level = namespace.labels.get(_PSA_ENFORCE)
    at = f"metadata.labels.{_PSA_ENFORCE}"
    if level is not None and _has_variable(level):
        return unknown(f"the enforce level is a template placeholder: {level}", at=at)
    if level in ("restricted", "baseline"):
        return passed(f"Pod Security Admission enforces {level}")
    if level is not None:
        return failed(f"the namespace enforces the {level!r} Pod Security level", at=at)
    for policy in inventory.of(AdmissionPolicy):
        if (
            policy.pod_security
            and policy.enforced
            and policy.namespace in (None, name)
            and name not in policy.excluded_namespaces
        ):
            return passed(f"pod security enforced by {policy.engine} policy {policy.name}")
    return failed(
        "no Pod Security Admission enforce label (and no enforcing pod-security policy "
        "in the scan)",
        at="metadata.labels" if namespace.labels else None,
    )


def _app_armor(workload: Workload, c: Container) -> tuple[str | Unknown | None, str]:
    """The AppArmor profile type explicitly set for `c` (field or annotation), and where."""
    own = c.security_context.app_armor_profile
    if own is not None:
        return own, "container"
    note = workload.pod.annotations.get(f"container.apparmor.security.beta.kubernetes.io/{c.name}")
    if note is not None:
        return ("Unconfined" if note == "unconfined" else note), "annotation"
    pod = workload.pod.security_context.app_armor_profile
    return (pod, "pod") if pod is not None else (None, "")


@rule(
    code="CTR316",
    controls=("3.5.1.b.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Remove `appArmorProfile.type: Unconfined` (or the `unconfined` AppArmor annotation);
        leave the runtime's default profile, or use a reviewed `Localhost` profile.
    """,
    snippets={
        "kubernetes": """
        securityContext:
          appArmorProfile:
            type: RuntimeDefault
    """
    },
)
def container_apparmor_not_disabled(workload: Workload) -> Iterator[Verdict]:
    """Containers do not turn AppArmor off.

    Why: on nodes with AppArmor, the runtime's default profile blocks writes to /proc and
    /sys, mounts and raw kernel interfaces that container escapes use; an explicit
    `Unconfined` removes that layer (the baseline Pod Security Standard forbids it).
    Containers that set nothing keep the default and pass.
    """

    def problems() -> Iterator[Verdict]:
        for c, path in _each_container(workload):
            profile, origin = _app_armor(workload, c)
            at = f"{path}.securityContext" if origin == "container" else None
            if origin == "pod":
                at = f"{workload.pod.path}.securityContext"
            if is_unknown(profile):
                yield unknown(
                    f"container {c.name}: AppArmor profile not known", at=at, subject=c.name
                )
            elif profile == "Unconfined":
                how = "annotation" if origin == "annotation" else "appArmorProfile"
                yield failed(
                    f"container {c.name} runs without AppArmor ({how} Unconfined)",
                    at=at,
                    subject=c.name,
                )

    yield from or_passed(problems(), "no container disables AppArmor")
