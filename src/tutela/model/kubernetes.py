"""Normalized Kubernetes objects. Every workload kind becomes one `Workload` with one `PodSpec`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tutela.model.base import EMPTY, Resource
from tutela.model.container import image_name
from tutela.model.values import Unknown

Flag = bool | Unknown | None
Names = tuple[str, ...] | Unknown
"""A list of names (capabilities...), or Unknown when it comes from a template placeholder."""


class KubernetesResource(Resource):
    __slots__ = ()
    provider = "kubernetes"


@dataclass(frozen=True, slots=True)
class SecurityContext:
    """A pod or container security context; None means "not set" (inherit or default)."""

    privileged: Flag = None
    allow_privilege_escalation: Flag = None
    run_as_non_root: Flag = None
    run_as_user: int | Unknown | None = None
    read_only_root_filesystem: Flag = None
    capabilities_add: Names = ()
    capabilities_drop: Names = ()
    seccomp_profile: str | Unknown | None = None  # seccompProfile.type
    app_armor_profile: str | Unknown | None = None  # appArmorProfile.type (Kubernetes 1.30+)


NO_CONTEXT = SecurityContext()


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str | Unknown | None = None  # a literal value
    from_secret: bool = False  # valueFrom.secretKeyRef
    from_source: str | None = None  # configMapKeyRef, fieldRef...


@dataclass(frozen=True, slots=True)
class EnvFrom:
    """One `envFrom` source: every key of a Secret or ConfigMap becomes a variable."""

    kind: str  # "secret" or "configMap"
    name: str | Unknown | None = None
    prefix: str | None = None


@dataclass(frozen=True, slots=True)
class Container:
    """One container. `limits`, `requests` and `env` are Unknown when a template placeholder
    stands for the whole block (`resources: {{ toYaml .Values.resources }}`)."""

    name: str
    image: str | Unknown | None
    path: str  # field path in the object, e.g. "spec.template.spec.containers[0]"
    is_init: bool = False
    security_context: SecurityContext = NO_CONTEXT
    limits: Mapping[str, str] | Unknown = field(default_factory=lambda: EMPTY)
    requests: Mapping[str, str] | Unknown = field(default_factory=lambda: EMPTY)
    env: tuple[EnvVar, ...] | Unknown = ()
    ports: tuple[int, ...] = ()  # containerPort values
    image_pull_policy: str | None = None
    env_from: tuple[EnvFrom, ...] = ()
    host_ports: tuple[int, ...] = ()  # hostPort values (0 = not set, not kept)
    command: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    probes: tuple[str, ...] = ()  # "liveness", "readiness", "startup"

    def runs(self, program: str) -> bool:
        """True when the container's command (or, without one, its args) starts `program`."""
        words = self.command or self.args
        programs = [w.rsplit("/", 1)[-1] for w in words[:3] if not w.startswith("-")]
        return program in programs

    def flags(self) -> dict[str, str]:
        """`--name=value` and `--name value` flags of the command line (`""` for bare ones)."""
        flags: dict[str, str] = {}
        pending: str | None = None
        for word in (*self.command, *self.args):
            if word.startswith("--"):
                name, equals, value = word[2:].partition("=")
                flags[name] = value if equals else ""
                pending = None if equals else name
            elif pending is not None:
                flags[pending] = word
                pending = None
        return flags


@dataclass(frozen=True, slots=True)
class Volume:
    name: str
    host_path: str | Unknown | None = None
    secret: str | None = None


@dataclass(frozen=True, slots=True)
class PodSpec:
    containers: tuple[Container, ...] = ()
    init_containers: tuple[Container, ...] = ()
    security_context: SecurityContext = NO_CONTEXT
    host_network: Flag = False
    host_pid: Flag = False
    host_ipc: Flag = False
    service_account_name: str | None = None
    automount_service_account_token: Flag = None
    volumes: tuple[Volume, ...] = ()
    path: str = "spec"
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    """The pod's own annotations (a template's `metadata.annotations` for controllers)."""

    @property
    def all_containers(self) -> tuple[Container, ...]:
        return self.init_containers + self.containers

    def effective(self, container: Container, attr: str) -> object:
        """A container's setting, else the pod's (for fields both levels have)."""
        value = getattr(container.security_context, attr)
        if value is None:
            value = getattr(self.security_context, attr, None)
        return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload(KubernetesResource):
    """A Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob."""

    kind = "k8s_workload"

    workload_kind: str
    namespace: str = "default"
    pod: PodSpec = PodSpec()
    labels: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceAccount(KubernetesResource):
    """A ServiceAccount; `automount_service_account_token` is its default for pods using it."""

    kind = "k8s_service_account"

    namespace: str = "default"
    automount_service_account_token: Flag = None
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkPolicy(KubernetesResource):
    kind = "k8s_network_policy"

    namespace: str = "default"
    pod_selector: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    selects_all_pods: bool = True
    policy_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str  # User, Group, ServiceAccount
    name: str
    namespace: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleBinding(KubernetesResource):
    """A RoleBinding or ClusterRoleBinding (`cluster_wide`)."""

    kind = "k8s_role_binding"

    cluster_wide: bool = False
    namespace: str | None = None
    role_kind: str = "Role"
    role_name: str = ""
    subjects: tuple[Subject, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyRule:
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Role(KubernetesResource):
    """A Role or ClusterRole (`cluster_wide`)."""

    kind = "k8s_role"

    cluster_wide: bool = False
    namespace: str | None = None
    rules: tuple[PolicyRule, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Namespace(KubernetesResource):
    kind = "k8s_namespace"

    labels: Mapping[str, str] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Service(KubernetesResource):
    kind = "k8s_service"

    namespace: str = "default"
    service_type: str = "ClusterIP"
    ports: tuple[int, ...] = ()  # `port` of each entry
    target_ports: tuple[int, ...] = ()  # numeric `targetPort` values (named ports are skipped)
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    load_balancer_source_ranges: tuple[str, ...] = ()
    external_ips: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Ingress(KubernetesResource):
    kind = "k8s_ingress"

    namespace: str = "default"
    tls_hosts: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    tls_entries: int = 0  # `spec.tls` items; one without hosts covers the default certificate
    tls_without_hosts: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigData(KubernetesResource):
    """A Secret (`is_secret`) or a ConfigMap, with its keys (values only for ConfigMaps)."""

    kind = "k8s_config_data"

    namespace: str = "default"
    is_secret: bool = False
    data: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    secret_type: str | None = None  # a Secret's `type` (Opaque when not set)
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class AdmissionPolicy(KubernetesResource):
    """A policy-engine object that admission control enforces: a Kyverno (Cluster)Policy or
    a Gatekeeper constraint. Only what rules need: whether it enforces (rather than audits)
    and whether it is about pod security (Pod Security Standards, privileged containers...).
    """

    kind = "k8s_admission_policy"

    engine: str  # "kyverno" or "gatekeeper"
    namespace: str | None = None  # None: cluster-wide
    enforced: bool = False
    pod_security: bool = False
    verifies_images: bool = False  # Kyverno verifyImages rules
    excluded_namespaces: tuple[str, ...] = ()  # Gatekeeper `spec.match.excludedNamespaces`


@dataclass(frozen=True, slots=True)
class ImageOverride:
    """One `images:` entry of a kustomization: how `kustomize build` rewrites an image."""

    name: str
    new_name: str | None = None
    new_tag: str | None = None
    digest: str | None = None

    def matches(self, image_name: str) -> bool:
        """True when this entry rewrites `image_name` (an image without tag or digest)."""
        return image_name == self.name

    def apply(self, image: str) -> str:
        """`image` as `kustomize build` writes it after this override."""
        name = self.new_name or image_name(image)
        if self.digest:
            return f"{name}@{self.digest}"
        if self.new_tag:
            return f"{name}:{self.new_tag}"
        rest = image[len(image_name(image)) :]
        return name + rest


@dataclass(frozen=True, slots=True, kw_only=True)
class Kustomization(KubernetesResource):
    """A kustomization (`kustomization.yaml` with apiVersion and kind): the image rewrites
    it applies to the manifests it builds, so image rules judge what is deployed."""

    kind = "k8s_kustomization"

    images: tuple[ImageOverride, ...] = ()
    namespace: str | None = None
    patch_files: tuple[str, ...] = ()
    """Files it applies as patches (`patches[].path`, `patchesStrategicMerge`), as paths
    from the scan root like every location."""


def partial_workload(workload: Workload, kustomizations: Iterable[Kustomization]) -> str | None:
    """Why `workload` is only part of an object (None when it is a whole one): a file a
    kustomization applies as a patch, or a fragment whose containers name no image (the API
    server rejects such a pod). Settings it does not mention come from the base it patches,
    so their absence says nothing."""
    file = workload.location.file if workload.location is not None else None
    if file is not None:
        for kustomization in kustomizations:
            if file in kustomization.patch_files:
                where = kustomization.location.file if kustomization.location else "?"
                return f"a kustomize patch applied by {where}"
    containers = workload.pod.all_containers
    if containers and all(c.image is None for c in containers):
        return "a fragment (no container names an image): a patch or template piece"
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class GitOpsApplication(KubernetesResource):
    """What a GitOps controller deploys and whether it keeps the cluster equal to Git: an
    Argo CD Application (or ApplicationSet template), a Flux Kustomization or HelmRelease.

    - `reconciles`: the controller applies Git's state by itself (Argo CD automated sync;
      Flux unless suspended);
    - `corrects_drift`: changes made in the cluster are detected and reverted (Argo CD
      `selfHeal`; Flux Kustomizations always; HelmReleases with drift detection enabled).
    """

    kind = "k8s_gitops_application"

    engine: str  # "argocd" or "flux"
    namespace: str = "default"
    reconciles: bool | Unknown = False
    corrects_drift: bool | Unknown = False
