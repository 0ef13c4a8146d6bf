"""CTR001-CTR012 on the model: Dockerfiles, Kubernetes workloads and ECR repositories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import EcrRepository
from tutela.model.base import Resource
from tutela.model.container import Dockerfile, Instruction, Stage
from tutela.model.kubernetes import Container, NetworkPolicy, PodSpec, SecurityContext, Workload
from tutela.model.values import Unknown
from tutela.rules import default_rules
from tutela.rules.api import Rule, Status

containers = SimpleNamespace(**{r.name: r for r in default_rules()})

CTR001 = containers.image_runs_as_non_root
CTR002 = containers.base_images_pinned
CTR003 = containers.image_does_not_expose_ssh
CTR004 = containers.image_does_not_add_remote_files
CTR005 = containers.container_not_privileged
CTR006 = containers.container_disallows_privilege_escalation
CTR007 = containers.container_runs_as_non_root
CTR008 = containers.container_has_resource_limits
CTR009 = containers.pod_does_not_share_host_namespaces
CTR010 = containers.workload_namespace_has_network_policy
CTR011 = containers.registry_scans_images_on_push
CTR012 = containers.registry_tags_immutable

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED


def outcomes(rule: Rule, resource: Resource, others: Sequence[Resource] = ()) -> set[Status]:
    findings = evaluate([resource, *others], RuleSet.of([rule]))
    return {f.status for f in findings if f.resource_address == resource.address}


# --- factories: Dockerfiles ----------------------------------------------------------------


def stage(base: str, *lines: str, name: str | None = None, index: int = 0) -> Stage:
    instructions = []
    for n, line in enumerate(lines, start=2):
        keyword, _, value = line.partition(" ")
        instructions.append(Instruction(keyword, value, n, n, line))
    return Stage(index, name, base, tuple(instructions))


def image(*stages: Stage) -> Dockerfile:
    return Dockerfile(
        address="Dockerfile", native_type="Dockerfile", source="dockerfile", stages=stages
    )


def one_stage(*lines: str, base: str = "python:3.12-slim") -> Dockerfile:
    return image(stage(base, *lines))


BUILDER = stage("golang:1.22-bookworm", "RUN go build -o /out/app ./cmd/app", name="build")

# --- factories: Kubernetes -----------------------------------------------------------------

HARDENED = SecurityContext(
    allow_privilege_escalation=False,
    run_as_non_root=True,
    run_as_user=10001,
    read_only_root_filesystem=True,
    capabilities_drop=("ALL",),
)
LIMITS = {"cpu": "500m", "memory": "256Mi"}


def container(name: str = "api", *, init: bool = False, **fields: Any) -> Container:
    kind = "initContainers" if init else "containers"
    fields.setdefault("security_context", HARDENED)
    fields.setdefault("limits", LIMITS)
    return Container(
        name,
        f"registry.example.com/{name}:1.0.3",
        f"spec.template.spec.{kind}[0]",
        is_init=init,
        **fields,
    )


def ctx(**fields: Any) -> SecurityContext:
    return replace(HARDENED, **fields)


def workload(*items: Container, namespace: str = "payments", **pod: Any) -> Workload:
    items = items or (container(),)
    spec = PodSpec(
        containers=tuple(c for c in items if not c.is_init),
        init_containers=tuple(c for c in items if c.is_init),
        path="spec.template.spec",
        **pod,
    )
    return Workload(
        address=f"Deployment/{namespace}/api",
        native_type="Deployment",
        source="kubernetes",
        workload_kind="Deployment",
        namespace=namespace,
        pod=spec,
    )


def netpol(namespace: str) -> NetworkPolicy:
    return NetworkPolicy(
        address=f"NetworkPolicy/{namespace}/default-deny",
        native_type="NetworkPolicy",
        source="kubernetes",
        namespace=namespace,
        policy_types=("Ingress",),
        name="default-deny",
    )


def repo(**fields: Any) -> EcrRepository:
    return EcrRepository(
        address="aws_ecr_repository.api",
        native_type="aws_ecr_repository",
        source="terraform",
        **fields,
    )


# --- Dockerfile cases ---------------------------------------------------------------------

DOCKER_CASES = [
    # CTR001
    ("CTR001", "no-user", one_stage("RUN pip install -r requirements.txt"), {FAIL}),
    ("CTR001", "user-root", one_stage("USER root"), {FAIL}),
    ("CTR001", "user-0-0", one_stage("USER 0:0"), {FAIL}),
    ("CTR001", "user-root-group", one_stage("USER root:app"), {FAIL}),
    ("CTR001", "back-to-root", one_stage("USER 10001", "USER root"), {FAIL}),
    ("CTR001", "uid", one_stage("USER 10001"), {PASS}),
    ("CTR001", "named-user", one_stage("RUN useradd -u 10001 app", "USER app"), {PASS}),
    (
        "CTR001",
        "builder-root-final-user",
        image(BUILDER, stage("gcr.io/distroless/static-debian12:nonroot", "USER 65532", index=1)),
        {PASS},
    ),
    ("CTR001", "no-stage", image(), {NA}),
    # CTR002
    ("CTR002", "untagged", one_stage(base="python"), {FAIL}),
    ("CTR002", "latest", one_stage(base="python:latest"), {FAIL}),
    ("CTR002", "registry-port-untagged", one_stage(base="registry.local:5000/base"), {FAIL}),
    ("CTR002", "build-arg", one_stage(base="python:${PY_VERSION}"), {FAIL}),
    ("CTR002", "tagged", one_stage(base="python:3.12.7-slim-bookworm"), {PASS}),
    ("CTR002", "digest", one_stage(base="python@sha256:" + "ab" * 32), {PASS}),
    ("CTR002", "stage-reference", image(BUILDER, stage("build", "USER 10001", index=1)), {PASS}),
    ("CTR002", "scratch", one_stage(base="scratch"), {PASS}),
    # CTR003
    ("CTR003", "expose-22", one_stage("EXPOSE 22"), {FAIL}),
    ("CTR003", "expose-22-tcp-among-others", one_stage("EXPOSE 8080 22/tcp"), {FAIL}),
    ("CTR003", "expose-2222", one_stage("EXPOSE 2222 8022"), {PASS}),
    ("CTR003", "expose-8080", one_stage("EXPOSE 8080"), {PASS}),
    ("CTR003", "no-stage", image(), {NA}),
    # CTR004
    ("CTR004", "add-https", one_stage("ADD https://example.com/tool.tar.gz /opt/"), {FAIL}),
    ("CTR004", "add-local", one_stage("ADD vendor/tool.tar.gz /opt/"), {PASS}),
    ("CTR004", "copy", one_stage("COPY . /app"), {PASS}),
]

RULES = {
    r.code: r
    for r in (
        CTR001,
        CTR002,
        CTR003,
        CTR004,
        CTR005,
        CTR006,
        CTR007,
        CTR008,
        CTR009,
        CTR010,
        CTR011,
        CTR012,
    )
}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in DOCKER_CASES],
)
def test_dockerfile_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


# --- Kubernetes cases ---------------------------------------------------------------------

K8S_CASES = [
    # CTR005
    ("CTR005", "privileged", workload(container(security_context=ctx(privileged=True))), {FAIL}),
    (
        "CTR005",
        "privileged-init",
        workload(container(), container("init", init=True, security_context=ctx(privileged=True))),
        {FAIL},
    ),
    ("CTR005", "hardened", workload(), {PASS}),
    (
        "CTR005",
        "unknown",
        workload(container(security_context=ctx(privileged=Unknown("helm")))),
        {NE},
    ),
    # CTR006
    ("CTR006", "not-set", workload(container(security_context=SecurityContext())), {FAIL}),
    (
        "CTR006",
        "allowed",
        workload(container(security_context=ctx(allow_privilege_escalation=True))),
        {FAIL},
    ),
    ("CTR006", "disallowed", workload(), {PASS}),
    (
        "CTR006",
        "unknown",
        workload(container(security_context=ctx(allow_privilege_escalation=Unknown("helm")))),
        {NE},
    ),
    # CTR007
    ("CTR007", "nothing-set", workload(container(security_context=SecurityContext())), {FAIL}),
    ("CTR007", "uid-0", workload(container(security_context=ctx(run_as_user=0))), {FAIL}),
    (
        "CTR007",
        "non-root-false",
        workload(container(security_context=ctx(run_as_non_root=False, run_as_user=None))),
        {FAIL},
    ),
    ("CTR007", "hardened", workload(), {PASS}),
    (
        "CTR007",
        "uid-only",
        workload(container(security_context=SecurityContext(run_as_user=1000))),
        {PASS},
    ),
    (
        "CTR007",
        "pod-level",
        workload(
            container(security_context=SecurityContext()),
            security_context=SecurityContext(run_as_non_root=True, run_as_user=10001),
        ),
        {PASS},
    ),
    (
        "CTR007",
        "container-overrides-pod",
        workload(
            container(security_context=SecurityContext(run_as_user=0)),
            security_context=SecurityContext(run_as_non_root=True, run_as_user=10001),
        ),
        {FAIL},
    ),
    (
        "CTR007",
        "uid-unknown",
        workload(container(security_context=ctx(run_as_user=Unknown("{{ .Values.uid }}")))),
        {NE},
    ),
    (
        "CTR007",
        "non-root-unknown",
        workload(container(security_context=SecurityContext(run_as_non_root=Unknown("helm")))),
        {NE},
    ),
    # CTR008
    ("CTR008", "no-limits", workload(container(limits={})), {FAIL}),
    ("CTR008", "cpu-only", workload(container(limits={"cpu": "1"})), {FAIL}),
    (
        "CTR008",
        "requests-only",
        workload(container(limits={}, requests={"cpu": "250m", "memory": "128Mi"})),
        {FAIL},
    ),
    ("CTR008", "limits", workload(), {PASS}),
    # CTR009
    ("CTR009", "host-network", workload(host_network=True), {FAIL}),
    ("CTR009", "host-pid", workload(host_pid=True), {FAIL}),
    ("CTR009", "host-ipc", workload(host_ipc=True), {FAIL}),
    ("CTR009", "isolated", workload(), {PASS}),
    ("CTR009", "unknown", workload(host_network=Unknown("{{ .Values.hostNetwork }}")), {NE}),
]


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in K8S_CASES],
)
def test_workload_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


def test_ctr005_one_failure_per_container() -> None:
    w = workload(
        container("api", security_context=ctx(privileged=True)),
        container("sidecar", security_context=ctx(privileged=True)),
        container("log"),
    )
    findings = evaluate([w], RuleSet.of([CTR005]))
    assert sorted((f.status.value, f.subject) for f in findings) == [
        ("fail", "api"),
        ("fail", "sidecar"),
    ]


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        pytest.param([netpol("payments")], {PASS}, id="policy-in-namespace"),
        pytest.param([netpol("billing")], {FAIL}, id="policy-elsewhere"),
        pytest.param([], {FAIL}, id="no-policy"),
    ],
)
def test_ctr010_network_policy(others: list[Resource], expected: set[Status]) -> None:
    assert outcomes(CTR010, workload(namespace="payments"), others) == expected


# --- ECR cases ------------------------------------------------------------------------------

ECR_CASES = [
    ("CTR011", "scan-on-push", repo(scan_on_push=True), {PASS}),
    ("CTR011", "no-scan", repo(), {FAIL}),
    ("CTR011", "unknown", repo(scan_on_push=Unknown("var.scan")), {NE}),
    ("CTR012", "immutable", repo(tag_mutability="IMMUTABLE"), {PASS}),
    ("CTR012", "mutable-default", repo(), {FAIL}),
    ("CTR012", "unknown", repo(tag_mutability=Unknown("var.mutability")), {NE}),
]


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in ECR_CASES],
)
def test_registry_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected
