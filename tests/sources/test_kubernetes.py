"""Kubernetes manifests -> the normalized Kubernetes model, through the real parser."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from tutela.model.base import Resource
from tutela.model.kubernetes import (
    AdmissionPolicy,
    ConfigData,
    EnvVar,
    GitOpsApplication,
    ImageOverride,
    Ingress,
    Kustomization,
    Namespace,
    NetworkPolicy,
    PolicyRule,
    Role,
    RoleBinding,
    Service,
    ServiceAccount,
    Subject,
    Volume,
    Workload,
)
from tutela.model.values import Location, Unknown, is_unknown
from tutela.sources.kubernetes import (
    load_kubernetes,
    looks_like_kubernetes,
    parse_kubernetes_text,
)

FIXTURES = Path(__file__).parent / "fixtures"
K8S = FIXTURES / "k8s"

T = TypeVar("T", bound=Resource)


def load(name: str) -> list[Resource]:
    resources, errors = load_kubernetes(K8S / name, root=FIXTURES)
    assert errors == []
    return resources


def by_address(resources: Sequence[Resource]) -> dict[str, Resource]:
    return {r.address: r for r in resources}


def one(resources: Sequence[Resource], address: str, cls: type[T]) -> T:
    found = by_address(resources)[address]
    assert isinstance(found, cls)
    return found


def at(file: str, start: int, end: int | None = None) -> Location:
    return Location(f"k8s/{file}", start, start if end is None else end)


# ------------------------------------------------------------------ the detailed deployment


@pytest.fixture(scope="module")
def deployment() -> Workload:
    resources = load("deployment.yaml")
    assert len(resources) == 1
    workload = resources[0]
    assert isinstance(workload, Workload)
    return workload


def test_deployment_identity(deployment: Workload) -> None:
    assert deployment.address == "Deployment/payments/api"
    assert deployment.native_type == "Deployment"
    assert deployment.workload_kind == "Deployment"
    assert deployment.source == "kubernetes"
    assert deployment.name == "api"
    assert deployment.namespace == "payments"
    assert dict(deployment.labels) == {"app": "api", "tier": "backend"}
    assert dict(deployment.tags) == {"app": "api", "tier": "backend"}
    assert dict(deployment.annotations) == {"team": "payments"}
    assert deployment.location == at("deployment.yaml", 2, 77)


def test_deployment_pod_spec(deployment: Workload) -> None:
    pod = deployment.pod
    assert pod.path == "spec.template.spec"
    assert pod.host_network is True
    assert pod.host_pid is False and pod.host_ipc is False
    assert pod.service_account_name == "api-runner"
    assert pod.automount_service_account_token is False
    assert pod.security_context.run_as_non_root is True
    assert pod.security_context.run_as_user == 10001
    assert pod.security_context.seccomp_profile == "RuntimeDefault"
    assert pod.volumes == (
        Volume(name="docker-sock", host_path="/var/run/docker.sock"),
        Volume(name="tls", secret="api-tls"),
        Volume(name="scratch"),
    )


def test_deployment_containers(deployment: Workload) -> None:
    pod = deployment.pod
    assert [(c.name, c.path, c.is_init) for c in pod.all_containers] == [
        ("migrate", "spec.template.spec.initContainers[0]", True),
        ("api", "spec.template.spec.containers[0]", False),
        ("sidecar", "spec.template.spec.containers[1]", False),
    ]
    api = pod.containers[0]
    assert api.image == "registry.example.com/api:1.4.2"
    assert api.image_pull_policy == "Always"
    assert api.ports == (8080, 9090)
    ctx = api.security_context
    assert ctx.privileged is True
    assert ctx.allow_privilege_escalation is False
    assert ctx.read_only_root_filesystem is True
    assert ctx.run_as_user is None
    assert ctx.capabilities_add == ("NET_ADMIN",)
    assert ctx.capabilities_drop == ("ALL",)
    assert pod.effective(api, "run_as_user") == 10001
    assert dict(api.limits) == {"cpu": "500m", "memory": "256Mi"}
    assert dict(api.requests) == {"cpu": "0.25"}
    assert api.env == (
        EnvVar(name="MODE", value="production"),
        EnvVar(name="DB_PASSWORD", from_secret=True),
        EnvVar(name="POD_IP", from_source="fieldRef"),
    )
    sidecar = pod.containers[1]
    assert sidecar.security_context.privileged is None
    assert dict(sidecar.limits) == {} and sidecar.env == ()


@pytest.mark.parametrize(
    ("path", "start", "end"),
    [
        ("metadata", 4, 11),
        ("metadata.labels.app", 8, 8),
        ("spec.template.spec", 21, 77),
        ("spec.template.spec.automountServiceAccountToken", 23, 23),
        ("spec.template.spec.hostNetwork", 24, 24),
        ("spec.template.spec.securityContext", 25, 29),
        ("spec.template.spec.securityContext.seccompProfile.type", 29, 29),
        ("spec.template.spec.initContainers[0]", 31, 33),
        ("spec.template.spec.containers[0]", 35, 66),
        ("spec.template.spec.containers[0].image", 36, 36),
        ("spec.template.spec.containers[0].ports[1]", 40, 40),
        ("spec.template.spec.containers[0].securityContext", 41, 48),
        ("spec.template.spec.containers[0].securityContext.privileged", 42, 42),
        ("spec.template.spec.containers[0].securityContext.capabilities.drop", 47, 48),
        ("spec.template.spec.containers[0].securityContext.capabilities.drop[0]", 48, 48),
        ("spec.template.spec.containers[0].resources", 49, 54),
        ("spec.template.spec.containers[0].env[1]", 58, 62),
        ("spec.template.spec.containers[0].env[2]", 63, 66),
        ("spec.template.spec.containers[1]", 67, 68),
        ("spec.template.spec.volumes[0].hostPath.path", 72, 72),
    ],
)
def test_deployment_field_locations(deployment: Workload, path: str, start: int, end: int) -> None:
    assert deployment.field_locations[path] == at("deployment.yaml", start, end)


def test_location_of_falls_back_to_the_nearest_parent(deployment: Workload) -> None:
    # containers[1] has no securityContext: a rule naming it points at the container.
    path = "spec.template.spec.containers[1].securityContext.privileged"
    assert deployment.location_of(path) == at("deployment.yaml", 67, 68)


# --------------------------------------------------------------------------- every workload kind


@pytest.mark.parametrize(
    ("address", "path", "namespace", "lines", "containers"),
    [
        ("Pod/tools/debug", "spec", "tools", (1, 10), ["shell"]),
        ("StatefulSet/default/db", "spec.template.spec", "default", (12, 21), ["postgres"]),
        ("DaemonSet/monitoring/agent", "spec.template.spec", "monitoring", (23, 34), ["agent"]),
        ("ReplicaSet/default/legacy-rs", "spec.template.spec", "default", (36, 45), ["web"]),
        (
            "ReplicationController/default/legacy-rc",
            "spec.template.spec",
            "default",
            (47, 56),
            ["web"],
        ),
        ("Job/batch/backfill", "spec.template.spec", "batch", (58, 69), ["backfill"]),
        (
            "CronJob/batch/nightly",
            "spec.jobTemplate.spec.template.spec",
            "batch",
            (71, 89),
            ["wait", "report"],
        ),
    ],
)
def test_every_workload_kind_has_a_pod_spec(
    address: str, path: str, namespace: str, lines: tuple[int, int], containers: list[str]
) -> None:
    workload = one(load("workloads.yaml"), address, Workload)
    assert workload.workload_kind == address.split("/")[0]
    assert workload.namespace == namespace
    assert workload.pod.path == path
    assert workload.location == at("workloads.yaml", *lines)
    assert [c.name for c in workload.pod.all_containers] == containers
    assert all(c.path.startswith(path + ".") for c in workload.pod.all_containers)


def test_workload_flags_and_cronjob_details() -> None:
    resources = load("workloads.yaml")
    assert len(resources) == 7
    assert one(resources, "Pod/tools/debug", Workload).pod.host_pid is True
    assert one(resources, "DaemonSet/monitoring/agent", Workload).pod.host_ipc is True
    cron = one(resources, "CronJob/batch/nightly", Workload)
    init, report = cron.pod.all_containers
    assert (init.is_init, init.path) == (
        True,
        "spec.jobTemplate.spec.template.spec.initContainers[0]",
    )
    assert report.security_context.run_as_user == 0
    assert cron.pod.automount_service_account_token is None
    assert cron.field_locations[
        "spec.jobTemplate.spec.template.spec.containers[0].securityContext"
    ] == at("workloads.yaml", 88, 89)


# ------------------------------------------------------------------ lists, mixed files, skipping


def test_list_kind_items() -> None:
    resources = load("list.yaml")
    assert [r.address for r in resources] == ["Namespace/payments", "Service/payments/api"]
    namespace = one(resources, "Namespace/payments", Namespace)
    assert dict(namespace.labels) == {"pod-security.kubernetes.io/enforce": "restricted"}
    assert namespace.location == at("list.yaml", 4, 9)
    service = one(resources, "Service/payments/api", Service)
    assert (service.service_type, service.ports) == ("LoadBalancer", (443, 80))
    assert service.location == at("list.yaml", 10, 20)
    # Paths are relative to the item, not to the List.
    assert service.field_locations["spec.type"] == at("list.yaml", 16)
    assert service.field_locations["spec.ports[1]"] == at("list.yaml", 20)
    assert "items[1].spec.type" not in service.field_locations


def test_multi_document_file_skips_non_kubernetes_documents_quietly() -> None:
    resources = load("mixed.yaml")
    # The Ansible play, the empty document, the mapping without kind and the
    # unmodelled custom resource are all skipped without an error.
    assert [r.address for r in resources] == ["ConfigMap/default/settings"]
    config = one(resources, "ConfigMap/default/settings", ConfigData)
    assert config.is_secret is False
    assert dict(config.data) == {"LOG_LEVEL": "info", "RETRIES": "3"}
    assert config.location == at("mixed.yaml", 7, 13)
    assert config.field_locations["data.RETRIES"] == at("mixed.yaml", 13)


def test_helm_values_file_is_skipped_quietly() -> None:
    assert load_kubernetes(K8S / "values.yaml", root=FIXTURES) == ([], [])


def test_unparseable_template_that_does_not_look_like_kubernetes_is_skipped() -> None:
    assert load_kubernetes(K8S / "helm-helpers.yaml", root=FIXTURES) == ([], [])


def test_unparseable_helm_template_that_looks_like_kubernetes_is_reported() -> None:
    resources, errors = load_kubernetes(K8S / "helm-template.yaml", root=FIXTURES)
    assert resources == []
    assert [(e.file, e.line, e.source) for e in errors] == [
        ("k8s/helm-template.yaml", 4, "kubernetes")
    ]
    assert "helm template" in errors[0].message


def test_tab_indentation_is_reported_at_its_line() -> None:
    resources, errors = load_kubernetes(K8S / "tab-error.yaml", root=FIXTURES)
    assert resources == []
    assert len(errors) == 1
    error = errors[0]
    assert (error.file, error.line, error.column, error.source) == (
        "k8s/tab-error.yaml",
        6,
        1,
        "kubernetes",
    )
    assert "tab" in error.message


# --------------------------------------------------------------------------- other kinds


def test_rbac() -> None:
    resources = load("rbac.yaml")
    cluster_role = one(resources, "ClusterRole/everything", Role)
    assert cluster_role.cluster_wide is True and cluster_role.namespace is None
    assert cluster_role.rules == (
        PolicyRule(api_groups=("*",), resources=("*",), verbs=("*",), path="rules[0]"),
        PolicyRule(verbs=("get",), path="rules[1]"),
    )
    assert cluster_role.field_locations["rules[1]"] == at("rbac.yaml", 9, 10)

    binding = one(resources, "ClusterRoleBinding/everything-for-ci", RoleBinding)
    assert binding.cluster_wide is True and binding.namespace is None
    assert (binding.role_kind, binding.role_name) == ("ClusterRole", "everything")
    assert binding.subjects == (
        Subject(kind="ServiceAccount", name="ci", namespace="build"),
        Subject(kind="Group", name="system:authenticated"),
    )
    assert binding.field_locations["roleRef"] == at("rbac.yaml", 16, 19)
    assert binding.field_locations["subjects[0]"] == at("rbac.yaml", 21, 23)
    assert binding.field_locations["subjects[1]"] == at("rbac.yaml", 24, 25)

    role = one(resources, "Role/payments/reader", Role)
    assert role.cluster_wide is False and role.namespace == "payments"
    assert role.rules[0].resources == ("pods", "secrets")
    assert role.rules[0].api_groups == ("",)

    role_binding = one(resources, "RoleBinding/payments/reader-binding", RoleBinding)
    assert (role_binding.namespace, role_binding.role_kind) == ("payments", "Role")
    assert role_binding.subjects == (Subject(kind="User", name="alice@example.com"),)


def test_network_policies_ingress_and_service() -> None:
    resources = load("network.yaml")
    deny = one(resources, "NetworkPolicy/payments/default-deny", NetworkPolicy)
    assert deny.selects_all_pods is True
    assert dict(deny.pod_selector) == {}
    assert deny.policy_types == ("Ingress", "Egress")

    egress = one(resources, "NetworkPolicy/payments/api-egress", NetworkPolicy)
    assert egress.selects_all_pods is False
    assert dict(egress.pod_selector) == {"app": "api"}
    # policyTypes omitted: the API server's default (Egress because egress rules exist).
    assert egress.policy_types == ("Ingress", "Egress")
    assert egress.field_locations["spec.podSelector"] == at("network.yaml", 18, 20)

    ingress = one(resources, "Ingress/payments/web", Ingress)
    assert ingress.tls_hosts == ("pay.example.com", "api.example.com")
    assert ingress.hosts == ("pay.example.com", "www.example.com")
    assert dict(ingress.annotations) == {"nginx.ingress.kubernetes.io/ssl-redirect": "true"}

    service = one(resources, "Service/default/internal", Service)
    assert (service.service_type, service.ports, service.namespace) == (
        "ClusterIP",
        (5432,),
        "default",
    )


def test_secret_values_are_never_kept() -> None:
    resources = load("secrets.yaml")
    secret = one(resources, "Secret/payments/db", ConfigData)
    assert secret.is_secret is True
    assert dict(secret.data) == {"password": "", "api-token": ""}
    text = repr(secret) + repr(dict(secret.data)) + repr(dict(secret.field_locations))
    assert "c3VwZXItc2VjcmV0" not in text and "tok-live" not in text
    # Locations of the keys are still there for findings.
    assert secret.field_locations["data.password"] == at("secrets.yaml", 8)
    assert secret.field_locations["stringData.api-token"] == at("secrets.yaml", 10)

    config = one(resources, "ConfigMap/payments/app", ConfigData)
    assert config.is_secret is False
    assert dict(config.data) == {
        "PORT": "8080",
        "DEBUG": "false",
        "nested.conf": "a = 1\n",
        "logo.png": "",
    }
    assert config.field_locations["data.nested.conf"] == at("secrets.yaml", 20, 21)


# --------------------------------------------------------------------------- tolerance


def test_placeholders_and_wrong_types_are_tolerated() -> None:
    resources = load("placeholders.yaml")
    workload = one(resources, "Deployment/${NAMESPACE}/templated", Workload)
    pod = workload.pod
    assert is_unknown(pod.host_network)
    assert is_unknown(pod.automount_service_account_token)  # "false" is a string, not a boolean
    assert is_unknown(pod.security_context.run_as_non_root)  # the whole context is templated
    assert [c.name for c in pod.containers] == ["app"]  # the templated sidecar item is dropped
    app = pod.containers[0]
    assert isinstance(app.image, Unknown)
    assert is_unknown(app.security_context.privileged)
    assert is_unknown(app.security_context.run_as_user)
    # A templated list or block could hold anything: Unknown, never "not set".
    assert is_unknown(app.security_context.capabilities_drop)
    assert app.security_context.capabilities_add == ()
    assert is_unknown(app.limits) and is_unknown(app.requests)
    assert is_unknown(app.env)
    assert app.ports == ()
    assert pod.volumes == ()
    assert is_unknown(pod.effective(app, "run_as_non_root"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\n---\n",
        "apiVersion: v1\nkind: List\nitems: 3\n",
        "apiVersion: v1\nkind: List\nitems: [1, {kind: Pod}, {kind: 5}]\n",
        "apiVersion: v1\nkind: Pod\n",
        "apiVersion: v1\nkind: Pod\nmetadata: []\nspec: 5\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [x], namespace: {a: 1}}\n",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers: {a: 1}\n  volumes: [1, {hostPath: 3}]\n",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - env: [{valueFrom: {}}, 1]\n"
        "    securityContext: {capabilities: {add: [1, cap_sys_admin]}}\n",
        "apiVersion: v1\nkind: NetworkPolicy\nspec: {podSelector: '{{ x }}', policyTypes: 3}\n",
        "apiVersion: v1\nkind: RoleBinding\nroleRef: 1\nsubjects: {a: b}\n",
        "apiVersion: v1\nkind: Ingress\nspec: {tls: [{hosts: 1}], rules: [{host: {a: 1}}]}\n",
        "apiVersion: v1\nkind: Secret\ndata: [a]\n",
        "apiVersion: v1\nkind: Pod\n? [a, b]\n: c\n",
        "apiVersion: v1\nkind: Pod\nmetadata: &a {name: x}\nx: *a\ny: *b\n",
        "apiVersion: v1\nkind: Pod\nspec: {containers: [\n",
        "- just\n- a list\n",
        "plain scalar\n",
    ],
)
def test_odd_input_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    resources, errors = load_kubernetes(path, root=tmp_path)
    assert all(e.file == "odd.yaml" and e.source == "kubernetes" for e in errors)
    assert all(r.location is not None for r in resources)


def test_pod_without_name_gets_a_stable_address(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text("# header\napiVersion: v1\nkind: Pod\nspec: {}\n", encoding="utf-8")
    resources, errors = load_kubernetes(path, root=tmp_path)
    assert errors == []
    assert [r.address for r in resources] == ["Pod/default/unnamed@2"]
    assert resources[0].name is None


def test_json_manifest(tmp_path: Path) -> None:
    path = tmp_path / "ns.json"
    path.write_text(
        '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n'
        '  "metadata": {\n    "name": "audit"\n  }\n}\n',
        encoding="utf-8",
    )
    resources, errors = load_kubernetes(path, root=tmp_path)
    assert errors == []
    assert [r.address for r in resources] == ["Namespace/audit"]
    assert resources[0].field_locations["metadata.name"] == Location("ns.json", 5, 5)


def test_invalid_utf8_and_binary_are_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"apiVersion: v1\nkind: ConfigMap\ndata:\n  a: caf\xe9\n")
    assert load_kubernetes(bad, root=tmp_path) == (
        [],
        [_error("bad.yaml", 4, 9, "invalid UTF-8")],
    )
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    resources, errors = load_kubernetes(binary, root=tmp_path)
    assert resources == [] and len(errors) == 1 and "binary" in errors[0].message


def test_utf8_bom_and_utf16_are_read(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bom\n"
    for name, data in (
        ("a.yaml", b"\xef\xbb\xbf" + text.encode()),
        ("b.yaml", text.encode("utf-16")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        resources, errors = load_kubernetes(path, root=tmp_path)
        assert errors == []
        assert [r.address for r in resources] == ["Namespace/bom"]
        assert resources[0].location == Location(name, 1, 4)


def _error(file: str, line: int, column: int, message: str) -> object:
    from tutela.sources.raw import ParseError

    return ParseError(file, line, column, message, "kubernetes")


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("apiVersion: v1\nkind: Pod\n", True),
        ("# c\n---\nkind: Service\napiVersion: v1\n", True),
        ('"apiVersion": v1\n"kind": Pod\n', True),
        ('{"apiVersion": "v1", "kind": "Pod"}', True),
        ("replicaCount: 1\nimage:\n  kind: x\n  apiVersion: y\n", False),
        ("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", False),
        ("- hosts: all\n  tasks: []\n", False),
        ("apiVersion: v1\n", False),
        ('{"Resources": {"kind": 1, "apiVersion": 2}}', False),
        ('\n{\n  "kind": "Pod",\n  "apiVersion": "v1"\n}', True),
    ],
)
def test_looks_like_kubernetes(text: str, expected: bool) -> None:
    assert looks_like_kubernetes(text) is expected


# --------------------------------------------------------------------------- rule-pack fields


def parse(text: str) -> list[Resource]:
    resources, errors = parse_kubernetes_text(text, "k8s/inline.yaml")
    assert errors == []
    return resources


POD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  template:
    metadata:
      annotations:
        seccomp.security.alpha.kubernetes.io/pod: runtime/default
    spec:
      securityContext:
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: api
          image: registry.example.org/api:1.0
          command: ["/bin/api"]
          args: ["--port", "8080", "--verbose"]
          ports:
            - containerPort: 8080
              hostPort: 8080
            - containerPort: 9090
              hostPort: 0
          envFrom:
            - secretRef: {name: api-secrets}
            - configMapRef: {name: api-config}
              prefix: CFG_
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          securityContext:
            capabilities:
              add: [cap_net_bind_service, NET_ADMIN]
              drop: [all]
            seccompProfile: {type: Localhost, localhostProfile: api.json}
            appArmorProfile: {type: RuntimeDefault}
      volumes:
        - name: sock
          hostPath: {path: /var/run/docker.sock}
        - name: templated
          hostPath: {path: "{{ .Values.hostDir }}"}
"""


def test_container_command_ports_probes_and_env_from() -> None:
    (workload,) = parse(POD)
    assert isinstance(workload, Workload)
    api = workload.pod.containers[0]
    assert api.command == ("/bin/api",)
    assert api.args == ("--port", "8080", "--verbose")
    assert api.flags() == {"port": "8080", "verbose": ""}
    assert api.runs("api") and not api.runs("kube-apiserver")
    assert api.ports == (8080, 9090)
    assert api.host_ports == (8080,)  # hostPort 0 means "not set"
    assert api.probes == ("liveness", "readiness")
    assert [(e.kind, e.name, e.prefix) for e in api.env_from] == [
        ("secret", "api-secrets", None),
        ("configMap", "api-config", "CFG_"),
    ]


def test_security_profiles_capabilities_and_pod_annotations() -> None:
    (workload,) = parse(POD)
    assert isinstance(workload, Workload)
    context = workload.pod.containers[0].security_context
    # Upper-case, and the `CAP_` prefix the runtime also accepts is dropped.
    assert context.capabilities_add == ("NET_BIND_SERVICE", "NET_ADMIN")
    assert context.capabilities_drop == ("ALL",)
    assert context.seccomp_profile == "Localhost"
    assert context.app_armor_profile == "RuntimeDefault"
    assert workload.pod.security_context.seccomp_profile == "RuntimeDefault"
    assert dict(workload.pod.annotations) == {
        "seccomp.security.alpha.kubernetes.io/pod": "runtime/default"
    }
    assert workload.annotations == {}  # the Deployment's own metadata has none


def test_host_path_volumes_keep_placeholders_unknown() -> None:
    (workload,) = parse(POD)
    assert isinstance(workload, Workload)
    sock, templated = workload.pod.volumes
    assert sock.host_path == "/var/run/docker.sock"
    assert is_unknown(templated.host_path)


def test_templated_capability_lists_and_quantities_are_unknown() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: a:1
      resources:
        limits: "{{ toYaml .Values.limits }}"
        requests: {cpu: 100m}
      securityContext:
        capabilities: "{{ toYaml .Values.caps }}"
        seccompProfile: "{{ .Values.seccomp }}"
    - name: b
      image: b:1
      securityContext:
        capabilities:
          add: ["{{ .Values.extraCap }}"]
"""
    (pod,) = parse(text)
    assert isinstance(pod, Workload)
    a, b = pod.pod.containers
    assert is_unknown(a.limits) and a.requests == {"cpu": "100m"}
    assert is_unknown(a.security_context.capabilities_add)
    assert is_unknown(a.security_context.capabilities_drop)
    assert is_unknown(a.security_context.seccomp_profile)
    assert is_unknown(b.security_context.capabilities_add)
    assert b.security_context.capabilities_drop == ()


def test_pod_annotations_of_a_bare_pod_and_a_cronjob() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: {a: "1"}
spec: {containers: [{name: c, image: c:1}]}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: j
  annotations: {owner: team}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {b: "2"}
        spec: {containers: [{name: c, image: c:1}]}
"""
    pod, cron = parse(text)
    assert isinstance(pod, Workload) and isinstance(cron, Workload)
    assert dict(pod.pod.annotations) == {"a": "1"}
    assert dict(cron.pod.annotations) == {"b": "2"}


def test_service_account_service_details_and_secret_type() -> None:
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: payments, annotations: {team: payments}}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: payments
  annotations: {service.beta.kubernetes.io/aws-load-balancer-scheme: internal}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [10.0.0.0/8]
  externalIPs: [203.0.113.10]
  ports:
    - {port: 5432, targetPort: 5432}
    - {port: 80, targetPort: http}
---
apiVersion: v1
kind: Secret
metadata:
  name: token
  namespace: payments
  annotations: {kubernetes.io/service-account.name: api}
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Secret
metadata: {name: plain, namespace: payments}
stringData: {password: x}
"""
    account, service, token, plain = parse(text)
    assert isinstance(account, ServiceAccount)
    assert account.address == "ServiceAccount/payments/api"
    assert account.automount_service_account_token is False
    assert dict(account.annotations) == {"team": "payments"}
    assert isinstance(service, Service)
    assert service.ports == (5432, 80) and service.target_ports == (5432,)
    assert service.load_balancer_source_ranges == ("10.0.0.0/8",)
    assert service.external_ips == ("203.0.113.10",)
    assert service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal"
    assert isinstance(token, ConfigData) and isinstance(plain, ConfigData)
    assert token.secret_type == "kubernetes.io/service-account-token"
    assert token.annotations["kubernetes.io/service-account.name"] == "api"
    assert plain.secret_type == "Opaque"


def test_ingress_tls_entries() -> None:
    text = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls:
    - hosts: [a.example.org]
      secretName: a
    - secretName: default-cert
  rules:
    - host: a.example.org
    - host: b.example.org
"""
    (ingress,) = parse(text)
    assert isinstance(ingress, Ingress)
    assert ingress.tls_entries == 2
    assert ingress.tls_without_hosts is True
    assert ingress.tls_hosts == ("a.example.org",)
    assert ingress.hosts == ("a.example.org", "b.example.org")


def test_policy_engines_and_kustomizations() -> None:
    text = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: restricted}
spec:
  validationFailureAction: Audit
  rules:
    - name: pss
      validate:
        failureAction: Enforce
        podSecurity: {level: restricted}
    - name: signed
      verifyImages: [{imageReferences: ["registry.example.org/*"]}]
---
apiVersion: kyverno.io/v1
kind: Policy
metadata: {name: labels, namespace: team-a}
spec:
  validationFailureAction: Audit
  rules: [{name: need-labels, validate: {pattern: {metadata: {labels: {team: "?*"}}}}}]
---
apiVersion: policy.example.com/v1
kind: Policy
metadata: {name: not-kyverno}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPSPHostNamespace
metadata: {name: host-namespace}
spec:
  enforcementAction: dryrun
  match: {excludedNamespaces: [kube-system]}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: owner-label}
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
images:
  - name: api
    newName: registry.example.org/api
    digest: sha256:abc
  - newTag: "2"
"""
    resources = parse(text)
    kinds = [type(r).__name__ for r in resources]
    assert kinds == ["AdmissionPolicy", "AdmissionPolicy", "AdmissionPolicy", "AdmissionPolicy",
                     "Kustomization"]  # the non-Kyverno `Policy` is skipped
    cluster, team, host, labels, kustomization = resources
    assert isinstance(cluster, AdmissionPolicy) and isinstance(team, AdmissionPolicy)
    assert (cluster.engine, cluster.enforced, cluster.pod_security, cluster.verifies_images,
            cluster.namespace) == ("kyverno", True, True, True, None)
    assert cluster.address == "ClusterPolicy/restricted"
    assert (team.enforced, team.pod_security, team.namespace) == (False, False, "team-a")
    assert isinstance(host, AdmissionPolicy) and isinstance(labels, AdmissionPolicy)
    assert (host.engine, host.enforced, host.pod_security) == ("gatekeeper", False, True)
    assert host.excluded_namespaces == ("kube-system",)
    assert (labels.enforced, labels.pod_security) == (True, False)  # deny is the default
    assert isinstance(kustomization, Kustomization)
    assert kustomization.address == "Kustomization/k8s/inline.yaml"
    assert kustomization.namespace == "prod"
    (override,) = kustomization.images
    assert override.matches("api") and not override.matches("registry.example.org/api")
    assert override.apply("api:1.0") == "registry.example.org/api@sha256:abc"


def test_image_overrides_rewrite_like_kustomize() -> None:
    assert ImageOverride("api", new_tag="2").apply("api:1") == "api:2"
    assert ImageOverride("api", new_name="r.io/api").apply("api:1") == "r.io/api:1"
    assert ImageOverride("api", new_name="r.io/api").apply("api") == "r.io/api"
    assert ImageOverride("localhost:5000/api", new_tag="3").apply(
        "localhost:5000/api"
    ) == "localhost:5000/api:3"


def test_gitops_applications() -> None:
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: healing, namespace: argocd}
spec: {syncPolicy: {automated: {selfHeal: true}}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: manual, namespace: argocd}
spec: {syncPolicy: {syncOptions: [CreateNamespace=true]}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: disabled, namespace: argocd}
spec: {syncPolicy: {automated: {enabled: false, selfHeal: true}}}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: set, namespace: argocd}
spec: {template: {spec: {syncPolicy: {automated: {}}}}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec: {suspend: true, interval: 10m}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: nginx, namespace: ingress}
spec: {driftDetection: {mode: warn}}
---
apiVersion: serving.knative.dev/v1
kind: Application
metadata: {name: not-argo}
"""
    apps = parse(text)
    assert all(isinstance(a, GitOpsApplication) for a in apps)
    summary = [
        (a.address, a.engine, a.reconciles, a.corrects_drift)
        for a in apps
        if isinstance(a, GitOpsApplication)
    ]
    assert summary == [
        ("Application/argocd/healing", "argocd", True, True),
        ("Application/argocd/manual", "argocd", False, False),
        ("Application/argocd/disabled", "argocd", False, True),
        ("ApplicationSet/argocd/set", "argocd", True, False),
        ("Kustomization/flux-system/apps", "flux", False, False),
        ("HelmRelease/ingress/nginx", "flux", True, False),
    ]


def test_kustomization_patch_files_are_paths_from_the_scan_root() -> None:
    text = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: patches/replicas.yaml
  - path: ../common/labels.yaml
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
    target: {kind: Deployment}
patchesStrategicMerge:
  - resources.yaml
"""
    resources, errors = parse_kubernetes_text(text, "overlays/prod/kustomization.yaml")
    assert errors == []
    (kustomization,) = resources
    assert isinstance(kustomization, Kustomization)
    assert kustomization.patch_files == (
        "overlays/prod/patches/replicas.yaml",
        "overlays/common/labels.yaml",
        "overlays/prod/resources.yaml",
    )
