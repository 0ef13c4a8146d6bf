"""3.5.1 Container security: images and Kubernetes workloads."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.aws import EcrRepository
from tutela.model.container import Dockerfile
from tutela.model.inventory import Inventory
from tutela.model.kubernetes import Container, NetworkPolicy, Workload
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown

_ROOT_USERS = {"root", "0", "0:0", "root:root"}


@rule(
    code="CTR001",
    controls=("3.5.1.b.3", "3.5.1.a.2"),
    severity=Severity.HIGH,
    remediation="Create an unprivileged user and switch to it before the entrypoint: `USER 10001`.",
    snippets={
        "dockerfile": """
        RUN useradd --uid 10001 --no-create-home app
        USER 10001
    """
    },
)
def image_runs_as_non_root(image: Dockerfile) -> Verdict:
    """Container images run as a non-root user.

    Why: a process running as root inside a container is one kernel or runtime bug
    away from root on the node.
    """
    stage = image.final_stage
    if stage is None:
        return not_applicable("no stage")
    user = stage.user
    if user is None:
        return failed("the final stage never sets USER, so the image runs as root", at="user")
    if user.lower() in _ROOT_USERS or user.split(":")[0] in ("root", "0"):
        return failed(f"the final stage runs as {user}", at="user")
    return passed(f"runs as {user}")


@rule(
    code="CTR002",
    controls=("3.5.1.a.3", "3.5.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Pin base images to a digest (`FROM python:3.12-slim@sha256:...`) or at least an
        explicit version tag, and update them deliberately.
    """,
    snippets={"dockerfile": "FROM python:3.12.7-slim-bookworm@sha256:<digest>"},
)
def base_images_pinned(image: Dockerfile) -> Iterator[Verdict]:
    """Base images are pinned to a digest or an explicit version tag.

    Why: `latest` or an untagged image changes under the build without review, so
    builds are not reproducible and a compromised upstream flows straight in.
    """
    stages = image.stage_names()
    hits = 0
    for i, stage in enumerate(image.stages):
        ref = stage.base_image
        if ref in stages or ref == "scratch" or ("@sha256:" in ref and "$" not in ref):
            continue
        last = ref.rsplit("/", 1)[-1]
        tag = last.split(":", 1)[1] if ":" in last else None
        if tag is None or tag == "latest" or "$" in ref:
            hits += 1
            what = "is not pinned" if tag is None else f"uses the tag {tag!r}"
            if "$" in ref:
                what = "is chosen by an unresolved build argument"
            yield failed(f"base image {ref} {what}", at=f"stages[{i}].from", subject=f"stage {i}")
    if not hits:
        yield passed("every base image is pinned")


@rule(
    code="CTR003",
    controls=("3.1.2.a.2",),
    severity=Severity.MEDIUM,
    remediation="Do not run or expose SSH in application images; use `kubectl exec` or SSM.",
)
def image_does_not_expose_ssh(image: Dockerfile) -> Verdict:
    """Container images do not expose SSH.

    Why: an SSH daemon in a container is an unnecessary service with its own
    credentials, outside the orchestrator's access control.
    """
    stage = image.final_stage
    if stage is None:
        return not_applicable("no stage")
    for j, ins in enumerate(stage.instructions):
        if ins.keyword == "EXPOSE" and re.search(r"(^|\s)22(/tcp)?(\s|$)", ins.value):
            return failed(
                "the image exposes port 22", at=f"stages[{stage.index}].instructions[{j}]"
            )
    return passed()


@rule(
    code="CTR004",
    controls=("3.5.1.a.4",),
    severity=Severity.LOW,
    remediation="""
        Download with `RUN curl` and verify a checksum, or `COPY` vendored files;
        never `ADD <url>`.
    """,
)
def image_does_not_add_remote_files(image: Dockerfile) -> Iterator[Verdict]:
    """Dockerfiles do not ADD files from URLs.

    Why: `ADD https://...` fetches unverified content at build time; integrity of
    what goes into the image cannot be checked.
    """
    hits = 0
    for i, stage in enumerate(image.stages):
        for j, ins in enumerate(stage.instructions):
            if ins.keyword == "ADD" and re.search(r"(^|\s)(https?|ftp)://", ins.value):
                hits += 1
                yield failed(
                    "ADD downloads a remote file without verification",
                    at=f"stages[{i}].instructions[{j}]",
                    subject=f"line {ins.line}",
                )
    if not hits:
        yield passed()


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


@rule(
    code="CTR011",
    controls=("3.5.1.a.1", "3.5.1.a.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable `image_scanning_configuration { scan_on_push = true }` (or registry-wide
        enhanced scanning).
    """,
    snippets={
        "terraform": """
        image_scanning_configuration {
          scan_on_push = true
        }
    """,
        "cloudformation": """
                  ImageScanningConfiguration:
                    ScanOnPush: true
              """,
    },
)
def registry_scans_images_on_push(repo: EcrRepository) -> Verdict:
    """Container registries scan images on push.

    Why: ENG-POL-003 requires vulnerability assessment of images before deployment;
    scanning at push time finds known CVEs before anything runs them.
    """
    if not repo.scan_on_push:
        return failed("images are not scanned on push", at="scan_on_push")
    return passed()


@rule(
    code="CTR012",
    controls=("3.5.1.a.4",),
    severity=Severity.MEDIUM,
    remediation='Set `image_tag_mutability = "IMMUTABLE"` so a tag always names the same image.',
    snippets={
        "terraform": 'image_tag_mutability = "IMMUTABLE"',
        "cloudformation": "ImageTagMutability: IMMUTABLE",
    },
)
def registry_tags_immutable(repo: EcrRepository) -> Verdict:
    """Container registry tags are immutable.

    Why: a mutable tag can be repointed to a different image after review and signing,
    defeating deployment integrity.
    """
    if repo.tag_mutability != "IMMUTABLE":
        return failed(f"tag mutability is {repo.tag_mutability}", at="tag_mutability")
    return passed()
