"""Normalized Kubernetes objects. Every workload kind becomes one `Workload` with one `PodSpec`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tutela.model.base import EMPTY, Resource
from tutela.model.values import Unknown

Flag = bool | Unknown | None


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
    capabilities_add: tuple[str, ...] = ()
    capabilities_drop: tuple[str, ...] = ()
    seccomp_profile: str | None = None


NO_CONTEXT = SecurityContext()


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str | Unknown | None = None  # a literal value
    from_secret: bool = False  # valueFrom.secretKeyRef
    from_source: str | None = None  # configMapKeyRef, fieldRef...


@dataclass(frozen=True, slots=True)
class Container:
    name: str
    image: str | Unknown | None
    path: str  # field path in the object, e.g. "spec.template.spec.containers[0]"
    is_init: bool = False
    security_context: SecurityContext = NO_CONTEXT
    limits: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    requests: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    env: tuple[EnvVar, ...] = ()
    ports: tuple[int, ...] = ()
    image_pull_policy: str | None = None


@dataclass(frozen=True, slots=True)
class Volume:
    name: str
    host_path: str | None = None
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
    ports: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Ingress(KubernetesResource):
    kind = "k8s_ingress"

    namespace: str = "default"
    tls_hosts: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    annotations: Mapping[str, str] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigData(KubernetesResource):
    """A Secret (`is_secret`) or a ConfigMap, with its keys (values only for ConfigMaps)."""

    kind = "k8s_config_data"

    namespace: str = "default"
    is_secret: bool = False
    data: Mapping[str, str] = field(default_factory=lambda: EMPTY)
