"""The Kubernetes rule pack (CTR301-CTR311, IAM301-IAM306, NET301-NET303, LOG301-LOG302,
SEC301, and the CTR008/SEC003/IAM005 refinements) on the model: one case per behaviour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.base import Resource
from tutela.model.kubernetes import (
    NO_CONTEXT,
    AdmissionPolicy,
    ConfigData,
    Container,
    EnvVar,
    GitOpsApplication,
    ImageOverride,
    Ingress,
    Kustomization,
    Namespace,
    PodSpec,
    PolicyRule,
    Role,
    RoleBinding,
    SecurityContext,
    Service,
    ServiceAccount,
    Subject,
    Volume,
    Workload,
)
from tutela.model.values import Unknown
from tutela.rules import default_rules
from tutela.rules.api import Rule, Status
from tutela.rules.containers.kubernetes import registry_approved, sensitive_host_path
from tutela.rules.settings import DEFAULT_SETTINGS, Settings

RULES = {r.code: r for r in default_rules()}
PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2"
DIGEST = "sha256:" + "ab" * 32
HARDENED = SecurityContext(
    allow_privilege_escalation=False,
    run_as_non_root=True,
    run_as_user=10001,
    read_only_root_filesystem=True,
    capabilities_drop=("ALL",),
    seccomp_profile="RuntimeDefault",
)


def findings(
    rule: Rule,
    resource: Resource,
    others: Sequence[Resource] = (),
    settings: Settings | None = None,
) -> list[tuple[Status, str]]:
    result = evaluate(
        [resource, *others], RuleSet.of([rule]), settings=settings or DEFAULT_SETTINGS
    )
    return [(f.status, f.message) for f in result if f.resource_address == resource.address]


def outcomes(
    code: str, resource: Resource, others: Sequence[Resource] = (), settings: Settings | None = None
) -> set[Status]:
    return {s for s, _ in findings(RULES[code], resource, others, settings)}


# --- factories ------------------------------------------------------------------------------


def container(
    name: str = "api", *, image: str | Unknown | None = IMAGE, **fields: Any
) -> Container:
    return Container(name=name, image=image, path="", **fields)


def ctx(**fields: Any) -> SecurityContext:
    return replace(HARDENED, **fields)


def pod(
    *containers: Container,
    init: Sequence[Container] = (),
    context: SecurityContext = NO_CONTEXT,
    volumes: Sequence[Volume] = (),
    annotations: Mapping[str, str] | None = None,
    **fields: Any,
) -> PodSpec:
    return PodSpec(
        containers=containers or (container(security_context=HARDENED),),
        init_containers=tuple(init),
        security_context=context,
        volumes=tuple(volumes),
        path="spec.template.spec",
        annotations=annotations or {},
        **fields,
    )


def workload(
    spec: PodSpec | None = None, *, kind: str = "Deployment", name: str = "api",
    namespace: str = "payments",
) -> Workload:
    return Workload(
        address=f"{kind}/{namespace}/{name}",
        native_type=kind,
        source="kubernetes",
        name=name,
        workload_kind=kind,
        namespace=namespace,
        pod=spec or pod(),
    )


def one(**fields: Any) -> Workload:
    """A workload whose single container has `fields` (hardened otherwise)."""
    fields.setdefault("security_context", HARDENED)
    return workload(pod(container(**fields)))


def namespace(name: str = "payments", **labels: str) -> Namespace:
    return Namespace(address=f"Namespace/{name}", native_type="Namespace", source="kubernetes",
                     name=name, labels=labels)


def role(*rules: PolicyRule, name: str = "app", cluster: bool = True) -> Role:
    kind = "ClusterRole" if cluster else "Role"
    return Role(address=f"{kind}/{name}", native_type=kind, source="kubernetes", name=name,
                cluster_wide=cluster, namespace=None if cluster else "payments", rules=rules)


def binding(role_name: str, *subjects: Subject, cluster: bool = True,
            role_kind: str = "ClusterRole", name: str = "b") -> RoleBinding:
    kind = "ClusterRoleBinding" if cluster else "RoleBinding"
    return RoleBinding(address=f"{kind}/{name}", native_type=kind, source="kubernetes",
                       name=name, cluster_wide=cluster, namespace=None if cluster else "payments",
                       role_kind=role_kind, role_name=role_name, subjects=subjects)


def rule_(groups: Sequence[str], resources: Sequence[str], verbs: Sequence[str]) -> PolicyRule:
    return PolicyRule(api_groups=tuple(groups), resources=tuple(resources), verbs=tuple(verbs))


def service(kind: str = "ClusterIP", *ports: int, **fields: Any) -> Service:
    return Service(address="Service/payments/db", native_type="Service", source="kubernetes",
                   name="db", service_type=kind, ports=ports, **fields)


def ingress(**fields: Any) -> Ingress:
    fields.setdefault("hosts", ("portal.example.org",))
    return Ingress(address="Ingress/payments/web", native_type="Ingress", source="kubernetes",
                   name="web", **fields)


def config_map(data: Mapping[str, str], *, secret: bool = False, **fields: Any) -> ConfigData:
    kind = "Secret" if secret else "ConfigMap"
    return ConfigData(address=f"{kind}/payments/c", native_type=kind, source="kubernetes",
                      name="c", is_secret=secret, data=data, **fields)


def apiserver(*flags: str) -> Workload:
    c = container("kube-apiserver", image="registry.k8s.io/kube-apiserver:v1.30.6",
                  command=("kube-apiserver", *flags))
    return workload(pod(c), kind="Pod", name="kube-apiserver", namespace="kube-system")


def daemonset(name: str, image: str, **container_fields: Any) -> Workload:
    return workload(pod(container(name, image=image, **container_fields)), kind="DaemonSet",
                    name=name, namespace="platform")


# --- securityContext rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [
        pytest.param("CTR301", one(), {PASS}, id="CTR301-read-only"),
        pytest.param("CTR301", one(security_context=ctx(read_only_root_filesystem=None)), {FAIL},
                     id="CTR301-unset"),
        pytest.param("CTR301", one(security_context=ctx(read_only_root_filesystem=Unknown("t"))),
                     {NE}, id="CTR301-templated"),
        pytest.param("CTR301", workload(pod(container(security_context=HARDENED),
                                            init=[container("init")])), {PASS},
                     id="CTR301-init-containers-not-judged"),
        pytest.param("CTR302", one(), {PASS}, id="CTR302-drop-all"),
        pytest.param("CTR302", one(security_context=ctx(capabilities_drop=("NET_RAW",))), {FAIL},
                     id="CTR302-partial-drop"),
        pytest.param("CTR302", workload(pod(container(security_context=HARDENED),
                                            init=[container("init")])), {FAIL},
                     id="CTR302-init-container-judged"),
        pytest.param("CTR302", one(security_context=ctx(capabilities_drop=Unknown("t"))), {NE},
                     id="CTR302-templated"),
        pytest.param("CTR303", one(security_context=ctx(capabilities_add=("NET_BIND_SERVICE",))),
                     {PASS}, id="CTR303-bind-service"),
        pytest.param("CTR303", one(security_context=ctx(capabilities_add=("SYS_ADMIN",))), {FAIL},
                     id="CTR303-sys-admin"),
        pytest.param("CTR303", one(security_context=ctx(capabilities_add=("ALL",))), {FAIL},
                     id="CTR303-all"),
        pytest.param("CTR303", one(security_context=ctx(capabilities_add=("IPC_LOCK",))), {PASS},
                     id="CTR303-ipc-lock-for-vault"),
        pytest.param("CTR303", one(security_context=ctx(capabilities_add=Unknown("t"))), {NE},
                     id="CTR303-templated"),
        pytest.param("CTR304", one(), {PASS}, id="CTR304-10001"),
        pytest.param("CTR304", one(security_context=ctx(run_as_user=1001)), {FAIL},
                     id="CTR304-1001"),
        pytest.param("CTR304", one(security_context=ctx(run_as_user=None)), {NA},
                     id="CTR304-image-user"),
        pytest.param("CTR304", one(security_context=ctx(run_as_user=0)), {NA},
                     id="CTR304-root-is-CTR007"),
        pytest.param("CTR304", workload(pod(container(), context=SecurityContext(run_as_user=999))),
                     {FAIL}, id="CTR304-inherited-from-pod"),
        pytest.param("CTR305", one(), {PASS}, id="CTR305-runtime-default"),
        pytest.param("CTR305", workload(pod(container(), context=SecurityContext(
            seccomp_profile="RuntimeDefault"))), {PASS}, id="CTR305-pod-level"),
        pytest.param("CTR305", one(security_context=ctx(seccomp_profile="Localhost")), {PASS},
                     id="CTR305-localhost"),
        pytest.param("CTR305", one(security_context=ctx(seccomp_profile=None)), {FAIL},
                     id="CTR305-unset"),
        pytest.param("CTR305", workload(pod(container(security_context=ctx(
            seccomp_profile="Unconfined")), context=SecurityContext(
            seccomp_profile="RuntimeDefault"))), {FAIL}, id="CTR305-container-opts-out"),
        pytest.param("CTR305", workload(pod(container(), annotations={
            "seccomp.security.alpha.kubernetes.io/pod": "runtime/default"})), {PASS},
                     id="CTR305-legacy-annotation"),
        pytest.param("CTR305", workload(pod(container(), annotations={
            "container.seccomp.security.alpha.kubernetes.io/api": "unconfined"})), {FAIL},
                     id="CTR305-legacy-unconfined"),
        pytest.param("CTR305", one(security_context=ctx(seccomp_profile=Unknown("t"))), {NE},
                     id="CTR305-templated"),
        pytest.param("CTR306", workload(pod(volumes=[Volume("logs", host_path="/var/log")])),
                     {PASS}, id="CTR306-var-log"),
        pytest.param("CTR306",
                     workload(pod(volumes=[Volume("s", host_path="/var/run/docker.sock")])),
                     {FAIL}, id="CTR306-docker-socket"),
        pytest.param("CTR306", workload(pod(volumes=[Volume("r", host_path="/var/run")])), {FAIL},
                     id="CTR306-parent-of-socket"),
        pytest.param("CTR306", workload(pod(volumes=[Volume("r", host_path=Unknown("t"))])), {NE},
                     id="CTR306-templated"),
        pytest.param("CTR307", one(host_ports=(8443,)), {FAIL}, id="CTR307-host-port"),
        pytest.param("CTR307", one(ports=(8443,)), {PASS}, id="CTR307-container-port"),
    ],
)
def test_security_context_rules(code: str, resource: Workload, expected: set[Status]) -> None:
    assert outcomes(code, resource) == expected


@pytest.mark.parametrize(
    ("path", "sensitive"),
    [
        ("/", True),
        ("//", True),
        ("/etc", True),
        ("/etc/", True),
        ("/etc/kubernetes/pki", True),
        ("/etc/shadow", True),
        ("/etc/localtime", False),
        ("/etc/ssl/certs", False),
        ("/proc", True),
        ("/proc/sys/net", True),
        ("/sys/fs/cgroup", True),
        ("/var", True),
        ("/var/log", False),
        ("/var/lib/docker/containers", False),
        ("/var/lib/kubelet/pods", True),
        ("/var/lib/kubelet/../kubelet", True),
        ("/run/containerd", True),
        ("/run/containerd/containerd.sock", True),
        ("/run/xtables.lock", False),
        ("/home/ec2-user/.ssh", True),
        ("/root", True),
        ("/data/postgres", False),
        ("C:\\ProgramData", False),
    ],
)
def test_sensitive_host_paths(path: str, sensitive: bool) -> None:
    assert (sensitive_host_path(path) is not None) is sensitive


def test_allowed_capabilities_setting_exempts_a_capability() -> None:
    agent = one(security_context=ctx(capabilities_add=("NET_ADMIN", "CAP_NET_RAW")))
    assert outcomes("CTR303", agent) == {FAIL}
    allowed = Settings(allowed_capabilities=("net_admin", "CAP_NET_RAW"))
    assert outcomes("CTR303", agent, settings=allowed) == {PASS}


def test_min_run_as_user_setting() -> None:
    bitnami = one(security_context=ctx(run_as_user=1001))
    assert outcomes("CTR304", bitnami, settings=Settings(min_run_as_user=1000)) == {PASS}


def test_per_container_findings_name_the_container() -> None:
    spec = pod(container("api", security_context=HARDENED),
               container("sidecar", security_context=ctx(read_only_root_filesystem=False)))
    found = findings(RULES["CTR301"], workload(spec))
    assert found == [(FAIL, "container sidecar has a writable root filesystem")]


# --- images ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "image", "expected"),
    [
        pytest.param("CTR308", f"{IMAGE}@{DIGEST}", {PASS}, id="CTR308-tag-and-digest"),
        pytest.param("CTR308", f"registry.example.org/api@{DIGEST}", {PASS}, id="CTR308-digest"),
        pytest.param("CTR308", IMAGE, {FAIL}, id="CTR308-tag"),
        pytest.param("CTR308", "registry.example.org/api:${TAG}", {NE}, id="CTR308-variable-tag"),
        pytest.param("CTR308", Unknown("placeholder"), {NE}, id="CTR308-templated"),
        pytest.param("CTR309", IMAGE, {PASS}, id="CTR309-private"),
        pytest.param("CTR309", "nginx:1.27", {FAIL}, id="CTR309-docker-hub-official"),
        pytest.param("CTR309", "docker.io/library/redis:7.4", {FAIL},
                     id="CTR309-docker-hub-official-explicit"),
        pytest.param("CTR309", "bitnami/redis:7.4", {PASS}, id="CTR309-docker-hub-org-unknown"),
        pytest.param("CTR309", "registry.k8s.io/ingress-nginx/controller:v1.11.3", {FAIL},
                     id="CTR309-public-registry"),
        pytest.param("CTR309", "ghcr.io/meridian/api:1.0", {PASS}, id="CTR309-other-registry"),
        pytest.param("CTR309", "${REGISTRY}/api:1.0", {NE}, id="CTR309-variable-registry"),
        pytest.param("CTR310", IMAGE, {PASS}, id="CTR310-version"),
        pytest.param("CTR310", "registry.example.org/api:latest", {FAIL}, id="CTR310-latest"),
        pytest.param("CTR310", "registry.example.org/api", {FAIL}, id="CTR310-untagged"),
        pytest.param("CTR310", f"registry.example.org/api:latest@{DIGEST}", {PASS},
                     id="CTR310-latest-pinned"),
        pytest.param("CTR310", "registry.example.org/api:${TAG}", {NE}, id="CTR310-variable"),
        pytest.param("CTR310", "localhost:5000/api", {FAIL}, id="CTR310-registry-port"),
    ],
)
def test_image_rules(code: str, image: str | Unknown, expected: set[Status]) -> None:
    assert outcomes(code, one(image=image)) == expected


def test_approved_registries_setting() -> None:
    settings = Settings(approved_registries=("111122223333.dkr.ecr.*.amazonaws.com",
                                             "ghcr.io/meridian"))
    assert outcomes("CTR309", one(), settings=settings) == {PASS}
    assert outcomes("CTR309", one(image="ghcr.io/meridian/api:1"), settings=settings) == {PASS}
    assert outcomes("CTR309", one(image="ghcr.io/other/api:1"), settings=settings) == {FAIL}
    assert outcomes("CTR309", one(image="ghcr.io/meridian-evil/api:1"),
                    settings=settings) == {FAIL}


@pytest.mark.parametrize(
    ("image", "approved", "expected"),
    [
        ("nginx:1.27", ("docker.io",), True),
        ("nginx:1.27", ("docker.io/library",), True),
        ("bitnami/redis:7", ("docker.io/library",), False),
        ("registry.example.org:5000/a/b:1", ("registry.example.org:5000",), True),
        ("registry.example.org/a/b:1", ("registry.example.org/a",), True),
        ("registry.example.org/ab/c:1", ("registry.example.org/a",), False),
    ],
)
def test_registry_approved(image: str, approved: tuple[str, ...], expected: bool) -> None:
    from tutela.model.container import ImageRef

    assert registry_approved(ImageRef.parse(image), approved) is expected


def test_kustomize_images_rewrite_what_is_judged() -> None:
    base = one(image="api")
    pinned = Kustomization(
        address="Kustomization/overlays/prod/kustomization.yaml", native_type="Kustomization",
        source="kubernetes",
        images=(ImageOverride("api", new_name="111122223333.dkr.ecr.us-east-1.amazonaws.com/api",
                              digest=DIGEST),),
    )
    tagged = replace(pinned, address="Kustomization/staging",
                     images=(ImageOverride("api", new_tag="1.4.2-rc1"),))
    assert outcomes("CTR308", base) == {FAIL}
    assert outcomes("CTR310", base) == {FAIL}
    assert outcomes("CTR308", base, [pinned]) == {PASS}
    assert outcomes("CTR310", base, [pinned]) == {PASS}
    assert outcomes("CTR309", base, [pinned]) == {PASS}
    # Every overlay that rewrites the image is judged: the staging one is not pinned.
    assert outcomes("CTR308", base, [pinned, tagged]) == {FAIL}
    assert outcomes("CTR310", base, [pinned, tagged]) == {PASS}


# --- namespaces ----------------------------------------------------------------------------------

_ENFORCE = "pod-security.kubernetes.io/enforce"


def _policy(**fields: Any) -> AdmissionPolicy:
    fields.setdefault("engine", "kyverno")
    return AdmissionPolicy(address="ClusterPolicy/pss", native_type="ClusterPolicy",
                           source="kubernetes", name="pss", **fields)


@pytest.mark.parametrize(
    ("ns", "others", "expected"),
    [
        pytest.param(namespace(**{_ENFORCE: "restricted"}), [], {PASS}, id="restricted"),
        pytest.param(namespace(**{_ENFORCE: "baseline"}), [], {PASS}, id="baseline"),
        pytest.param(namespace(**{_ENFORCE: "privileged"}), [], {FAIL}, id="privileged"),
        pytest.param(namespace(), [], {FAIL}, id="no-label"),
        pytest.param(namespace(**{"pod-security.kubernetes.io/warn": "restricted"}), [], {FAIL},
                     id="warn-only"),
        pytest.param(namespace("kube-system"), [], {NA}, id="system-namespace"),
        pytest.param(namespace(**{_ENFORCE: "{{ .Values.psa }}"}), [], {NE}, id="templated"),
        pytest.param(namespace(), [_policy(enforced=True, pod_security=True)], {PASS},
                     id="kyverno-enforces"),
        pytest.param(namespace(), [_policy(enforced=False, pod_security=True)], {FAIL},
                     id="kyverno-audits"),
        pytest.param(namespace(), [_policy(enforced=True, pod_security=False)], {FAIL},
                     id="kyverno-other-topic"),
        pytest.param(namespace(), [_policy(engine="gatekeeper", enforced=True, pod_security=True,
                                           excluded_namespaces=("payments",))], {FAIL},
                     id="gatekeeper-excludes-namespace"),
        pytest.param(namespace(**{_ENFORCE: "privileged"}),
                     [_policy(enforced=True, pod_security=True)], {FAIL},
                     id="explicit-privileged-wins"),
    ],
)
def test_namespace_enforces_pod_security(
    ns: Namespace, others: list[Resource], expected: set[Status]
) -> None:
    assert outcomes("CTR311", ns, others) == expected


# --- refinements of CTR008, SEC003 and IAM005 ----------------------------------------------------


def test_templated_limits_and_env_are_not_evaluated() -> None:
    assert outcomes("CTR008", one(limits=Unknown("resources placeholder"))) == {NE}
    assert outcomes("CTR008", one(limits={"cpu": "1", "memory": "1Gi"})) == {PASS}
    templated = one(env=Unknown("env placeholder"))
    assert outcomes("SEC003", templated) == {NE}
    mixed = workload(pod(container("a", env=Unknown("env placeholder")),
                         container("b", env=(EnvVar("DB_PASSWORD", "Sup3r-Secret!"),))))
    assert outcomes("SEC003", mixed) == {NE, FAIL}


def _account(name: str, automount: bool | Unknown | None) -> ServiceAccount:
    return ServiceAccount(address=f"ServiceAccount/payments/{name}", native_type="ServiceAccount",
                          source="kubernetes", name=name, namespace="payments",
                          automount_service_account_token=automount)


@pytest.mark.parametrize(
    ("spec", "others", "expected"),
    [
        pytest.param(pod(), [], {FAIL}, id="default-sa-token-mounted"),
        pytest.param(pod(), [_account("default", False)], {PASS}, id="default-sa-disables"),
        pytest.param(pod(), [_account("default", True)], {FAIL}, id="default-sa-enables"),
        pytest.param(pod(), [_account("default", Unknown("t"))], {NE}, id="default-sa-templated"),
        pytest.param(pod(automount_service_account_token=True), [_account("default", False)],
                     {FAIL}, id="pod-overrides-sa"),
        pytest.param(pod(service_account_name="api"), [], {PASS}, id="dedicated-sa"),
    ],
)
def test_automount_follows_the_service_account(
    spec: PodSpec, others: list[Resource], expected: set[Status]
) -> None:
    assert outcomes("IAM005", workload(spec), others) == expected


def test_service_account_of_another_namespace_does_not_count() -> None:
    other = replace(_account("default", False), address="ServiceAccount/other/default",
                    namespace="other")
    assert outcomes("IAM005", workload(pod()), [other]) == {FAIL}


# --- RBAC ----------------------------------------------------------------------------------------

SA = Subject("ServiceAccount", "exporter", "observability")
PERSON = Subject("User", "dana@example.org")
KUBE_SYSTEM_SA = Subject("ServiceAccount", "cert-controller", "kube-system")
AUTHENTICATED = Subject("Group", "system:authenticated")
ALL_SA_OF_NS = Subject("Group", "system:serviceaccounts:payments")
SECRETS_READ = rule_([""], ["secrets"], ["get", "list", "watch"])
EXEC = rule_([""], ["pods/exec"], ["create"])


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [
        pytest.param("IAM301", role(rule_([""], ["pods"], ["get"])), {PASS}, id="IAM301-explicit"),
        pytest.param("IAM301", role(rule_([""], ["*"], ["get"])), {FAIL}, id="IAM301-resources"),
        pytest.param("IAM301", role(rule_(["apps"], ["deployments"], ["*"])), {FAIL},
                     id="IAM301-verbs"),
        pytest.param("IAM301", role(rule_(["*"], ["*/scale"], ["update"])), {FAIL},
                     id="IAM301-all-groups-subresource"),
        pytest.param("IAM301", role(rule_(["cert-manager.io"], ["*"], ["*"])), {PASS},
                     id="IAM301-operator-own-group"),
        pytest.param("IAM301", role(rule_(["snapshot.storage.k8s.io"], ["*"], ["get"])), {FAIL},
                     id="IAM301-kubernetes-group"),
        pytest.param("IAM301", role(rule_(["*"], ["*"], ["*"]), name="cluster-admin"),
                     {NA}, id="IAM301-built-in"),
        pytest.param("IAM301", role(rule_(["*"], ["*"], ["*"]), name="system:controller:x"),
                     {NA}, id="IAM301-system-role"),
        pytest.param("IAM301", role(), {PASS}, id="IAM301-aggregated-no-rules"),
        pytest.param("IAM303", role(rule_(["rbac.authorization.k8s.io"], ["roles"], ["bind"])),
                     {FAIL}, id="IAM303-bind"),
        pytest.param("IAM303", role(rule_([""], ["users", "groups"], ["impersonate"])), {FAIL},
                     id="IAM303-impersonate"),
        pytest.param("IAM303", role(rule_(["rbac.authorization.k8s.io"], ["rolebindings"],
                                          ["create"])), {PASS}, id="IAM303-create-binding"),
        pytest.param("IAM303", role(rule_([""], ["serviceaccounts"], ["impersonate"]),
                                    name="edit"), {NA}, id="IAM303-built-in-edit"),
    ],
)
def test_role_rules(code: str, resource: Role, expected: set[Status]) -> None:
    assert outcomes(code, resource) == expected


@pytest.mark.parametrize(
    ("resource", "others", "expected"),
    [
        pytest.param(binding("reader", SA), [role(SECRETS_READ, name="reader")], {FAIL},
                     id="sa-reads-secrets"),
        pytest.param(binding("reader", KUBE_SYSTEM_SA), [role(SECRETS_READ, name="reader")],
                     {PASS}, id="kube-system-controller"),
        pytest.param(binding("reader", Subject("Group", "system:masters")),
                     [role(SECRETS_READ, name="reader")], {PASS}, id="system-group"),
        pytest.param(binding("reader", AUTHENTICATED), [role(SECRETS_READ, name="reader")],
                     {FAIL}, id="broad-group-is-not-system"),
        pytest.param(binding("reader", SA), [role(rule_([""], ["pods"], ["list"]),
                                                  name="reader")], {PASS}, id="no-secrets"),
        pytest.param(binding("reader", SA), [role(rule_(["*"], ["*"], ["list"]),
                                                  name="reader")], {FAIL}, id="wildcards"),
        pytest.param(binding("reader", SA), [role(rule_([""], ["secrets"], ["create"]),
                                                  name="reader")], {PASS}, id="write-only"),
        pytest.param(binding("edit", PERSON), [], {FAIL}, id="built-in-edit"),
        pytest.param(binding("view", PERSON), [], {PASS}, id="built-in-view"),
        pytest.param(binding("somewhere-else", SA), [], {NE}, id="role-not-scanned"),
        pytest.param(binding("system:auth-delegator", SA), [], {NA}, id="system-role"),
        pytest.param(binding("reader", SA, cluster=False), [role(SECRETS_READ, name="reader")],
                     {NA}, id="namespaced-binding"),
    ],
)
def test_cluster_wide_secret_read(
    resource: RoleBinding, others: list[Resource], expected: set[Status]
) -> None:
    assert outcomes("IAM302", resource, others) == expected


@pytest.mark.parametrize(
    ("resource", "others", "expected"),
    [
        pytest.param(binding("debug", AUTHENTICATED), [role(EXEC, name="debug")], {FAIL},
                     id="authenticated-exec"),
        pytest.param(binding("debug", ALL_SA_OF_NS, cluster=False, role_kind="Role"),
                     [role(EXEC, name="debug", cluster=False)], {FAIL},
                     id="namespace-service-accounts"),
        pytest.param(binding("debug", Subject("User", "system:anonymous")),
                     [role(rule_([""], ["pods/*"], ["create"]), name="debug")], {FAIL},
                     id="anonymous-subresource-wildcard"),
        pytest.param(binding("debug", Subject("Group", "oncall")), [role(EXEC, name="debug")],
                     {PASS}, id="named-group"),
        pytest.param(binding("view", AUTHENTICATED), [], {PASS}, id="view-for-everyone"),
        pytest.param(binding("admin", AUTHENTICATED), [], {FAIL}, id="admin-for-everyone"),
        pytest.param(binding("unknown", AUTHENTICATED), [], {NE}, id="role-not-scanned"),
        pytest.param(binding("debug", AUTHENTICATED, cluster=False, role_kind="Role"),
                     [role(EXEC, name="debug", cluster=True)], {NE},
                     id="role-kind-must-match"),
    ],
)
def test_exec_for_broad_groups(
    resource: RoleBinding, others: list[Resource], expected: set[Status]
) -> None:
    assert outcomes("IAM304", resource, others) == expected


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(apiserver("--authorization-mode=Node,RBAC"), {PASS}, id="rbac"),
        pytest.param(apiserver("--authorization-mode=AlwaysAllow"), {FAIL}, id="always-allow"),
        pytest.param(apiserver("--authorization-mode=RBAC,AlwaysAllow"), {FAIL},
                     id="rbac-then-always-allow"),
        pytest.param(apiserver("--etcd-servers=https://127.0.0.1:2379"), {FAIL},
                     id="default-is-always-allow"),
        pytest.param(apiserver("--authorization-mode", "Node,RBAC"), {PASS}, id="separate-value"),
        pytest.param(apiserver("--authorization-config=/etc/kubernetes/authz.yaml"), {PASS},
                     id="structured-config"),
        pytest.param(apiserver("--authorization-mode=RBAC", "--insecure-port=8080"), {FAIL},
                     id="insecure-port"),
        pytest.param(one(), set(), id="not-an-apiserver"),
    ],
)
def test_apiserver_authorization(resource: Workload, expected: set[Status]) -> None:
    assert outcomes("IAM305", resource) == expected


def test_long_lived_token_secrets() -> None:
    token = config_map({}, secret=True, secret_type="kubernetes.io/service-account-token",
                       annotations={"kubernetes.io/service-account.name": "ci"})
    assert findings(RULES["IAM306"], token) == [
        (FAIL, "a non-expiring token Secret for service account ci")
    ]
    assert outcomes("IAM306", config_map({}, secret=True, secret_type="Opaque")) == {PASS}
    assert outcomes("IAM306", config_map({"a": "b"})) == set()  # ConfigMaps: not judged


# --- network -------------------------------------------------------------------------------------

INTERNAL_AWS = {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(service("ClusterIP", 5432), {PASS}, id="cluster-ip"),
        pytest.param(service("LoadBalancer", 5432), {FAIL}, id="public-lb-postgres"),
        pytest.param(service("LoadBalancer", 443), {PASS}, id="public-lb-https"),
        pytest.param(service("LoadBalancer", 443, target_ports=(22,)), {FAIL},
                     id="target-port-ssh"),
        pytest.param(service("NodePort", 6379), {FAIL}, id="node-port-redis"),
        pytest.param(service("LoadBalancer", 5432, annotations=INTERNAL_AWS), {PASS},
                     id="internal-lb"),
        pytest.param(service("LoadBalancer", 5432, annotations={
            "service.beta.kubernetes.io/aws-load-balancer-internal": "true"}), {PASS},
                     id="legacy-internal-annotation"),
        pytest.param(service("LoadBalancer", 5432, annotations={
            "service.beta.kubernetes.io/aws-load-balancer-internal": "false"}), {FAIL},
                     id="internal-false"),
        pytest.param(service("LoadBalancer", 5432, annotations={
            "networking.gke.io/load-balancer-type": "Internal"}), {PASS}, id="gke-internal"),
        pytest.param(service("LoadBalancer", 3389, load_balancer_source_ranges=("10.0.0.0/8",)),
                     {PASS}, id="source-ranges"),
        pytest.param(service("LoadBalancer", 3389, load_balancer_source_ranges=("0.0.0.0/0",)),
                     {FAIL}, id="source-ranges-open"),
        pytest.param(service("ClusterIP", 22, external_ips=("203.0.113.7",)), {FAIL},
                     id="external-ip"),
    ],
)
def test_service_exposure(resource: Service, expected: set[Status]) -> None:
    assert outcomes("NET301", resource) == expected


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(ingress(), {FAIL}, id="no-tls"),
        pytest.param(ingress(tls_entries=1, tls_hosts=("portal.example.org",)), {PASS},
                     id="tls"),
        pytest.param(ingress(hosts=("a.example.org", "b.example.org"), tls_entries=1,
                             tls_hosts=("a.example.org",)), {FAIL}, id="host-without-tls"),
        pytest.param(ingress(hosts=("a.example.org", "b.example.org"), tls_entries=1,
                             tls_hosts=("*.example.org",)), {PASS}, id="wildcard-certificate"),
        pytest.param(ingress(hosts=("a.b.example.org",), tls_entries=1,
                             tls_hosts=("*.example.org",)), {FAIL}, id="wildcard-one-level"),
        pytest.param(ingress(tls_entries=1, tls_without_hosts=True), {PASS},
                     id="default-certificate"),
        pytest.param(ingress(annotations={
            "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:...",
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS": 443}]'}), {PASS},
                     id="alb-https"),
        pytest.param(ingress(annotations={
            "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:...",
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'}),
                     {FAIL}, id="alb-http-without-redirect"),
        pytest.param(ingress(annotations={
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}]'}), {FAIL},
                     id="alb-http-only"),
        pytest.param(ingress(tls_entries=1, tls_hosts=("portal.example.org",), annotations={
            "nginx.ingress.kubernetes.io/ssl-redirect": "false"}), {FAIL},
                     id="nginx-redirect-off"),
        pytest.param(ingress(annotations={"networking.gke.io/managed-certificates": "portal"}),
                     {PASS}, id="gke-managed-certificate"),
    ],
)
def test_ingress_tls(resource: Ingress, expected: set[Status]) -> None:
    assert outcomes("NET302", resource) == expected


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("kubernetesui/dashboard:v2.7.0", {FAIL}),
        ("docker.io/kubernetesui/dashboard-web:1.4.0", {FAIL}),
        ("k8s.gcr.io/kubernetes-dashboard-amd64:v1.10.1", {FAIL}),
        ("gcr.io/kubernetes-helm/tiller:v2.17.0", {FAIL}),
        ("111122223333.dkr.ecr.us-east-1.amazonaws.com/service-status-dashboard:1", {PASS}),
        ("grafana/grafana:11.3.0", {PASS}),
        ("kubernetesui/metrics-scraper:v1.0.8", {PASS}),
    ],
)
def test_dashboard_and_tiller(image: str, expected: set[Status]) -> None:
    assert outcomes("NET303", one(image=image)) == expected


# --- monitoring ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(apiserver("--audit-policy-file=/etc/k/audit.yaml",
                               "--audit-log-path=/var/log/audit.log"), {PASS}, id="file"),
        pytest.param(apiserver("--audit-policy-file=/etc/k/audit.yaml",
                               "--audit-webhook-config-file=/etc/k/webhook.yaml"), {PASS},
                     id="webhook"),
        pytest.param(apiserver("--audit-policy-file=/etc/k/audit.yaml", "--audit-log-path=-"),
                     {PASS}, id="stdout"),
        pytest.param(apiserver("--audit-log-path=/var/log/audit.log"), {FAIL}, id="no-policy"),
        pytest.param(apiserver("--audit-policy-file=/etc/k/audit.yaml"), {FAIL}, id="no-backend"),
        pytest.param(one(command=("gunicorn", "--bind", "0.0.0.0:8080")), set(), id="other-pod"),
    ],
)
def test_apiserver_audit_logging(resource: Workload, expected: set[Status]) -> None:
    assert outcomes("LOG301", resource) == expected


FLUENT_BIT = daemonset("fluent-bit", "registry.example.org/mirror/fluent-bit:3.1.9")
FALCO = daemonset("falco", "registry.example.org/mirror/falcosecurity/falco-no-driver:0.39.2")


def test_runtime_agent_is_judged_once_per_scan() -> None:
    exporter = daemonset("node-exporter", "quay.io/prometheus/node-exporter:v1.8.2")
    scan = [FLUENT_BIT, exporter, one()]
    result = evaluate(scan, RuleSet.of([RULES["LOG302"]]))
    assert [(f.resource_address, f.status) for f in result] == [
        ("DaemonSet/platform/fluent-bit", FAIL)
    ]
    assert "fluent-bit, node-exporter" in result[0].message


def test_runtime_agent_found_passes_on_the_agent() -> None:
    result = evaluate([FLUENT_BIT, FALCO], RuleSet.of([RULES["LOG302"]]))
    assert [(f.resource_address, f.status) for f in result] == [
        ("DaemonSet/platform/falco", PASS)
    ]


def test_application_manifests_without_node_agents_are_not_judged() -> None:
    assert evaluate([one(), workload(kind="CronJob")], RuleSet.of([RULES["LOG302"]])) == []


@pytest.mark.parametrize(
    "image",
    [
        "cilium/tetragon:v1.2.0",
        "602401143452.dkr.ecr.us-east-1.amazonaws.com/aws-guardduty-agent:v1.7.1",
        "registry.crowdstrike.com/falcon-sensor/us-1/release/falcon-sensor:7.18",
        "mcr.microsoft.com/azuredefender/stable/low-level-collector:1.3.81",
        "quay.io/sysdig/agent-slim:13.5.0",
    ],
)
def test_recognised_runtime_agents(image: str) -> None:
    assert outcomes("LOG302", daemonset("agent", image)) == {PASS}


def test_datadog_counts_only_with_runtime_security_enabled() -> None:
    plain = daemonset("datadog", "gcr.io/datadoghq/agent:7.58.0")
    cws = daemonset("datadog", "gcr.io/datadoghq/agent:7.58.0",
                    env=(EnvVar("DD_RUNTIME_SECURITY_CONFIG_ENABLED", "true"),))
    assert outcomes("LOG302", plain) == {FAIL}
    assert outcomes("LOG302", replace(cws, address="DaemonSet/platform/dd")) == {PASS}


# --- ConfigMaps ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"LOG_LEVEL": "info", "PASSWORD_MIN_LENGTH": "12"}, {PASS}, id="settings"),
        pytest.param({"DB_PASSWORD": "hunter2-hunter2"}, {FAIL}, id="env-style-password"),
        pytest.param({"redisAuthToken": "tok_8d7f6e5a4b3c"}, {FAIL}, id="camel-case"),
        pytest.param({"TOKEN_AUDIENCE": "sts.amazonaws.com"}, {PASS}, id="token-audience"),
        pytest.param({"SECRET_NAME": "db-credentials"}, {PASS}, id="secret-name"),
        pytest.param({"ENABLE_BYPASS": "yes-please"}, {PASS}, id="bypass-is-not-pass"),
        pytest.param({"DB_PASSWORD": "${DB_PASSWORD}"}, {PASS}, id="reference"),
        pytest.param({"DATABASE_URL": "postgres://app:s3cr3t-pw@db:5432/app"}, {FAIL},
                     id="url-with-password"),
        pytest.param({"app.properties": "db.user=app\ndb.password=letmein-now\n"}, {FAIL},
                     id="properties-file"),
        pytest.param({"app.yaml": "auth:\n  client-secret: ${CLIENT_SECRET}\n  tokenizer: std\n"},
                     {PASS}, id="yaml-file-references"),
        pytest.param({"settings.json": '{\n  "apiKey": "abcd1234efgh5678",\n  "x": 1\n}'},
                     {FAIL}, id="json-file"),
        pytest.param({"tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n"}, {FAIL},
                     id="private-key"),
        pytest.param({"ca.crt": "-----BEGIN CERTIFICATE-----\nMIID...\n"}, {PASS},
                     id="certificate"),
    ],
)
def test_configmap_secrets(data: dict[str, str], expected: set[Status]) -> None:
    assert outcomes("SEC301", config_map(data)) == expected


def test_configmap_findings_never_reveal_the_value() -> None:
    found = findings(RULES["SEC301"], config_map({"DB_PASSWORD": "hunter2-hunter2"}))
    assert found and all("hunter2-hunter2" not in message for _, message in found)


def test_secrets_are_not_judged_as_configmaps() -> None:
    assert outcomes("SEC301", config_map({"password": ""}, secret=True)) == set()


# --- GitOps drift ------------------------------------------------------------------------------


def _app(engine: str = "argocd", **fields: Any) -> GitOpsApplication:
    return GitOpsApplication(address="Application/argocd/portal", native_type="Application",
                             source="kubernetes", name="portal", engine=engine, **fields)


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(_app(reconciles=True, corrects_drift=True), {PASS}, id="self-heal"),
        pytest.param(_app(reconciles=True, corrects_drift=False), {FAIL}, id="auto-sync-only"),
        pytest.param(_app(reconciles=False, corrects_drift=False), {FAIL}, id="manual-sync"),
        pytest.param(_app("flux", reconciles=False, corrects_drift=False), {FAIL},
                     id="flux-suspended"),
        pytest.param(_app(reconciles=Unknown("t"), corrects_drift=Unknown("t")), {NE},
                     id="templated"),
    ],
)
def test_gitops_drift(resource: GitOpsApplication, expected: set[Status]) -> None:
    assert outcomes("LOG303", resource) == expected


# --- kustomize patches and fragments -----------------------------------------------------------


def test_fragments_are_not_judged_on_what_they_leave_out() -> None:
    fragment = workload(pod(container(image=None, limits={"cpu": "2", "memory": "1Gi"})))
    for code in ("CTR006", "CTR007", "CTR008", "CTR301", "CTR302", "CTR305", "IAM005"):
        assert outcomes(code, fragment) == {NA}, code
    assert outcomes("CTR308", fragment) == {NA}  # no image to judge either
    privileged = workload(pod(container(image=None, security_context=SecurityContext(
        privileged=True))))
    assert outcomes("CTR005", privileged) == {FAIL}  # what a patch does write is judged


def test_files_a_kustomization_patches_are_not_judged_on_what_they_leave_out() -> None:
    from tutela.model.values import Location

    patch = replace(one(security_context=SecurityContext()),
                    location=Location("overlays/prod/patch.yaml", 1, 12))
    kustomization = Kustomization(
        address="Kustomization/overlays/prod/kustomization.yaml", native_type="Kustomization",
        source="kubernetes", location=Location("overlays/prod/kustomization.yaml", 1, 9),
        patch_files=("overlays/prod/patch.yaml",),
    )
    assert outcomes("CTR301", patch) == {FAIL}
    assert outcomes("CTR301", patch, [kustomization]) == {NA}
    assert outcomes("IAM005", patch, [kustomization]) == {NA}
    assert outcomes("CTR010", patch, [kustomization]) == {NA}


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(one(), {PASS}, id="default"),
        pytest.param(one(security_context=ctx(app_armor_profile="RuntimeDefault")), {PASS},
                     id="runtime-default"),
        pytest.param(one(security_context=ctx(app_armor_profile="Unconfined")), {FAIL},
                     id="unconfined-field"),
        pytest.param(workload(pod(container(), context=SecurityContext(
            app_armor_profile="Unconfined"))), {FAIL}, id="unconfined-pod"),
        pytest.param(workload(pod(container(security_context=ctx(
            app_armor_profile="RuntimeDefault")), context=SecurityContext(
            app_armor_profile="Unconfined"))), {PASS}, id="container-overrides-pod"),
        pytest.param(workload(pod(container(), annotations={
            "container.apparmor.security.beta.kubernetes.io/api": "unconfined"})), {FAIL},
                     id="unconfined-annotation"),
        pytest.param(workload(pod(container(), annotations={
            "container.apparmor.security.beta.kubernetes.io/api": "runtime/default"})), {PASS},
                     id="default-annotation"),
        pytest.param(one(security_context=ctx(app_armor_profile=Unknown("t"))), {NE},
                     id="templated"),
    ],
)
def test_apparmor_not_disabled(resource: Workload, expected: set[Status]) -> None:
    assert outcomes("CTR316", resource) == expected
