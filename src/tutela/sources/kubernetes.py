"""Kubernetes manifests -> normalized Kubernetes resources.

One YAML (or JSON) file may hold many documents and `kind: List` objects.
Documents that are not Kubernetes objects (no `apiVersion`/`kind`: Helm values,
Ansible playbooks, CloudFormation templates...) are skipped quietly. Every
workload kind becomes a `Workload` with one `PodSpec`; RBAC, network policies,
namespaces, services, ingresses, secrets and config maps get their own types.
Other kinds (PVCs, CRDs...) are not modelled and are skipped.

Values that are not of the type Kubernetes expects (a Helm placeholder that
survived as a string, a quoted boolean) never crash the loader: they become
`Unknown` where the model allows it, else "not set".

Locations: each object's `location` is its document's line range, and
`field_locations` holds a location for every mapping key and sequence item under
the object, keyed by its dotted path (`spec.template.spec.containers[0].env[2]`),
so rules can name any field. Secret values are never kept: only their keys.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tutela.model.base import SOURCE_KUBERNETES, Resource
from tutela.model.kubernetes import (
    NO_CONTEXT,
    AdmissionPolicy,
    ConfigData,
    Container,
    EnvFrom,
    EnvVar,
    Flag,
    GitOpsApplication,
    ImageOverride,
    Ingress,
    Kustomization,
    Namespace,
    NetworkPolicy,
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
from tutela.model.values import Location, Unknown, is_unknown
from tutela.sources.raw import ParseError
from tutela.sources.yamlmarks import Span, YamlMarksError, load_json_marked, load_yaml_marked

__all__ = ["POD_SPEC_PATHS", "load_kubernetes", "looks_like_kubernetes", "parse_kubernetes_text"]

YamlPath = tuple[str | int, ...]

POD_SPEC_PATHS: Mapping[str, YamlPath] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
"""Where each workload kind keeps its pod spec."""

CLUSTER_SCOPED = frozenset(
    {"Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterPolicy", "Kustomization"}
)

_TOP_KEY = r"""^["']?{key}["']?[ \t]*:"""
_API_VERSION = re.compile(_TOP_KEY.format(key="apiVersion"), re.MULTILINE)
_KIND = re.compile(_TOP_KEY.format(key="kind"), re.MULTILINE)
_JSON_FIRST_KEY = re.compile(r'[\ufeff \t\r\n]*\{\s*"(?:apiVersion|kind)"\s*:')
_JSON_API_VERSION = re.compile(r'"apiVersion"\s*:')
_JSON_KIND = re.compile(r'"kind"\s*:')
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\$\{[^}]*\}", re.DOTALL)


def looks_like_kubernetes(text: str) -> bool:
    """A cheap content check: `apiVersion:` and `kind:` at the top level of some document."""
    if _API_VERSION.search(text) is not None and _KIND.search(text) is not None:
        return True
    # JSON: kubectl and client libraries write apiVersion or kind as the first key.
    if _JSON_FIRST_KEY.match(text) is not None:
        return _JSON_API_VERSION.search(text) is not None and _JSON_KIND.search(text) is not None
    return False


# --------------------------------------------------------------------------- loading


def load_kubernetes(path: Path, *, root: Path) -> tuple[list[Resource], list[ParseError]]:
    """Read every Kubernetes object of one file. Never raises for bad input."""
    rel = _relative(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [_error(rel, None, None, f"cannot read file: {exc.strerror or exc}")]
    text, problem = _decode(data, rel)
    if problem is not None:
        return [], [problem]
    assert text is not None
    return parse_kubernetes_text(text, rel, json=path.suffix.lower() == ".json")


def parse_kubernetes_text(
    text: str, file: str, *, json: bool = False
) -> tuple[list[Resource], list[ParseError]]:
    """Parse decoded manifest text; `file` is the path reported in locations."""
    try:
        documents = [load_json_marked(text)] if json else load_yaml_marked(text)
    except YamlMarksError as exc:
        if not looks_like_kubernetes(text):
            return [], []
        message = exc.message
        if "{{" in text:
            message += " (a Helm template? scan the output of `helm template`)"
        return [], [_error(file, exc.line, exc.column, message)]
    except RecursionError:
        if not looks_like_kubernetes(text):
            return [], []
        return [], [_error(file, None, None, "document nested too deeply")]

    resources: list[Resource] = []
    errors: list[ParseError] = []
    for document in documents:
        value = document.value
        if not _is_object(value, need_api_version=True):
            continue
        if value.get("kind") == "List" and isinstance(value.get("items"), list):
            for index, item in enumerate(value["items"]):
                if _is_object(item, need_api_version=False):
                    _add(resources, errors, item, ("items", index), document.spans, file)
            continue
        _add(resources, errors, value, (), document.spans, file)
    return resources, errors


def _is_object(value: Any, *, need_api_version: bool) -> bool:
    if not isinstance(value, dict):
        return False
    kind = value.get("kind")
    if not isinstance(kind, str) or not kind:
        return False
    return not need_api_version or isinstance(value.get("apiVersion"), str)


def _add(
    resources: list[Resource],
    errors: list[ParseError],
    obj: dict[str, Any],
    prefix: YamlPath,
    spans: Mapping[YamlPath, Span],
    file: str,
) -> None:
    kind: str = obj["kind"]
    normalise = _NORMALISERS.get(kind)
    if normalise is None and str(obj.get("apiVersion", "")).startswith(_GATEKEEPER_CONSTRAINTS):
        normalise = _gatekeeper_constraint
    if normalise is None:
        return
    span = spans.get(prefix)
    location = Location(file, span.start_line, span.end_line) if span is not None else None
    try:
        context = _Context(obj, kind, file, location, _field_locations(spans, prefix, file))
        resource = normalise(context)
        if resource is not None:
            resources.append(resource)
    except Exception as exc:  # a shape nobody anticipated must not stop the scan
        line = location.start_line if location is not None else None
        message = f"cannot read {kind} object: {type(exc).__name__}: {exc}"
        errors.append(_error(file, line, None, message))


def _field_locations(
    spans: Mapping[YamlPath, Span], prefix: YamlPath, file: str
) -> dict[str, Location]:
    """Every value under `prefix`, keyed by its dotted/indexed path relative to the object."""
    depth = len(prefix)
    names: dict[YamlPath, str] = {prefix: ""}
    result: dict[str, Location] = {}
    for path, span in spans.items():
        if len(path) <= depth or (depth and path[:depth] != prefix):
            continue
        # Children are recorded before their parents: name parents through the memo.
        parent = path[:-1]
        base = names.get(parent)
        if base is None:
            base = _dotted(parent, names)
        last = path[-1]
        if type(last) is int:
            name = f"{base}[{last}]"
        elif base:
            name = f"{base}.{last}"
        else:
            name = str(last)
        first = span.key_line if span.key_line is not None else span.start_line
        result[name] = Location(file, first, span.end_line)
    return result


def _dotted(path: YamlPath, names: dict[YamlPath, str]) -> str:
    known = names.get(path)
    if known is not None:
        return known
    pending: list[YamlPath] = []
    probe = path
    while probe not in names:
        pending.append(probe)
        probe = probe[:-1]
    text = names[probe]
    for item in reversed(pending):
        last = item[-1]
        if isinstance(last, int) and not isinstance(last, bool):
            text = f"{text}[{last}]"
        else:
            text = f"{text}.{last}" if text else str(last)
        names[item] = text
    return text


# --------------------------------------------------------------------------- typed reading


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and _PLACEHOLDER.search(value) is not None


def _flag(value: Any, what: str) -> Flag:
    """A boolean field: True/False, None when unset, Unknown for anything else."""
    if value is None or isinstance(value, bool):
        return value
    if _is_placeholder(value):
        return Unknown(f"{what} is a template placeholder: {value}")
    return Unknown(f"{what} is not a boolean: {value!r}")


def _host_flag(value: Any, what: str) -> Flag:
    flag = _flag(value, what)
    return False if flag is None else flag


def _int_or_unknown(value: Any, what: str) -> int | Unknown | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if _is_placeholder(value):
        return Unknown(f"{what} is a template placeholder: {value}")
    return Unknown(f"{what} is not an integer: {value!r}")


def _text(value: Any) -> str | None:
    """A plain string field (numbers as text); None for unset or structured values."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _text_or_unknown(value: Any, what: str) -> str | Unknown | None:
    if _is_placeholder(value):
        return Unknown(f"{what} is a template placeholder: {value}")
    text = _text(value)
    if text is None and value is not None:
        return Unknown(f"{what} is not a string: {value!r}")
    return text


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    result: dict[str, str] = {}
    for key, item in value.items():
        if item is None or isinstance(item, dict | list):
            continue
        if isinstance(item, bool):
            result[str(key)] = "true" if item else "false"
        else:
            result[str(key)] = str(item)
    return result


def _ports(items: Any, key: str) -> tuple[int, ...]:
    if not isinstance(items, list):
        return ()
    ports: list[int] = []
    for item in items:
        port = _get(item, key)
        if isinstance(port, int) and not isinstance(port, bool):
            ports.append(port)
    return tuple(ports)


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _dotted_path(path: YamlPath) -> str:
    return _dotted(path, {(): ""})


# --------------------------------------------------------------------------- normalisers


class _Context:
    """One Kubernetes object with what every normaliser needs."""

    __slots__ = ("field_locations", "file", "kind", "labels", "location", "metadata", "name", "obj")

    def __init__(
        self,
        obj: dict[str, Any],
        kind: str,
        file: str,
        location: Location | None,
        field_locations: dict[str, Location],
    ) -> None:
        self.obj = obj
        self.kind = kind
        self.file = file
        self.location = location
        self.field_locations = field_locations
        metadata = obj.get("metadata")
        self.metadata: dict[str, Any] = metadata if isinstance(metadata, dict) else {}
        self.labels = _str_map(self.metadata.get("labels"))
        name = _text(self.metadata.get("name"))
        if name is None:
            name = _text(self.metadata.get("generateName"))
        self.name = name

    @property
    def namespace(self) -> str:
        namespace = _text(self.metadata.get("namespace"))
        return namespace if namespace else "default"

    @property
    def annotations(self) -> dict[str, str]:
        return _str_map(self.metadata.get("annotations"))

    def address(self) -> str:
        name = self.name
        if not name:
            line = self.location.start_line if self.location is not None else 0
            name = f"unnamed@{line}"
        if self.kind in CLUSTER_SCOPED:
            return f"{self.kind}/{name}"
        return f"{self.kind}/{self.namespace}/{name}"

    def common(self) -> dict[str, Any]:
        return {
            "address": self.address(),
            "native_type": self.kind,
            "source": SOURCE_KUBERNETES,
            "location": self.location,
            "field_locations": self.field_locations,
            "tags": self.labels,
            "name": self.name,
        }


def _security_context(value: Any, where: str) -> SecurityContext:
    if _is_placeholder(value):
        # The whole context comes from a template: none of its settings is known.
        unknown = Unknown(f"{where} is a template placeholder: {value}")
        return SecurityContext(
            privileged=unknown,
            allow_privilege_escalation=unknown,
            run_as_non_root=unknown,
            run_as_user=unknown,
            read_only_root_filesystem=unknown,
            capabilities_add=unknown,
            capabilities_drop=unknown,
            seccomp_profile=unknown,
            app_armor_profile=unknown,
        )
    if not isinstance(value, dict):
        return NO_CONTEXT
    capabilities = value.get("capabilities")
    if _is_placeholder(capabilities):
        capabilities = {"add": capabilities, "drop": capabilities}
    return SecurityContext(
        privileged=_flag(value.get("privileged"), f"{where}.privileged"),
        allow_privilege_escalation=_flag(
            value.get("allowPrivilegeEscalation"), f"{where}.allowPrivilegeEscalation"
        ),
        run_as_non_root=_flag(value.get("runAsNonRoot"), f"{where}.runAsNonRoot"),
        run_as_user=_int_or_unknown(value.get("runAsUser"), f"{where}.runAsUser"),
        read_only_root_filesystem=_flag(
            value.get("readOnlyRootFilesystem"), f"{where}.readOnlyRootFilesystem"
        ),
        capabilities_add=_capabilities(_get(capabilities, "add"), f"{where}.capabilities.add"),
        capabilities_drop=_capabilities(_get(capabilities, "drop"), f"{where}.capabilities.drop"),
        seccomp_profile=_profile_type(value.get("seccompProfile"), f"{where}.seccompProfile"),
        app_armor_profile=_profile_type(value.get("appArmorProfile"), f"{where}.appArmorProfile"),
    )


def _profile_type(value: Any, where: str) -> str | Unknown | None:
    """`seccompProfile.type` / `appArmorProfile.type`; Unknown when templated."""
    if _is_placeholder(value):
        return Unknown(f"{where} is a template placeholder: {value}")
    return _text_or_unknown(_get(value, "type"), f"{where}.type")


def _capabilities(value: Any, where: str) -> tuple[str, ...] | Unknown:
    """Capability names, upper-case and without the `CAP_` prefix the runtime also accepts.
    A templated list (or item) is Unknown: it could hold anything."""
    if _is_placeholder(value):
        return Unknown(f"{where} is a template placeholder: {value}")
    names = _strings(value)
    if any(_is_placeholder(c) for c in names):
        return Unknown(f"{where} holds a template placeholder")
    return tuple(_capability(c) for c in names)


def _capability(name: str) -> str:
    upper = name.strip().upper()
    return upper[4:] if upper.startswith("CAP_") else upper


def _env(value: Any, where: str) -> tuple[EnvVar, ...] | Unknown:
    if _is_placeholder(value):
        return Unknown(f"{where}.env is a template placeholder: {value}")
    result: list[EnvVar] = []
    for index, item in _dicts(value):
        name = _text(item.get("name")) or ""
        value_from = item.get("valueFrom")
        if isinstance(value_from, dict) and value_from:
            if "secretKeyRef" in value_from:
                result.append(EnvVar(name=name, from_secret=True))
            else:
                source = next(iter(value_from))
                result.append(EnvVar(name=name, from_source=str(source)))
            continue
        literal = _text_or_unknown(item.get("value"), f"{where}.env[{index}].value")
        result.append(EnvVar(name=name, value=literal))
    return tuple(result)


def _quantities(resources: Any, key: str, where: str) -> dict[str, str] | Unknown:
    """`resources.limits` or `resources.requests`; Unknown when a placeholder stands for it."""
    if _is_placeholder(resources):
        return Unknown(f"{where}.resources is a template placeholder: {resources}")
    value = _get(resources, key)
    if _is_placeholder(value):
        return Unknown(f"{where}.resources.{key} is a template placeholder: {value}")
    return _str_map(value)


def _env_from(value: Any) -> tuple[EnvFrom, ...]:
    result: list[EnvFrom] = []
    for _, item in _dicts(value):
        for key, kind in (("secretRef", "secret"), ("configMapRef", "configMap")):
            ref = item.get(key)
            if isinstance(ref, dict):
                name = _text_or_unknown(ref.get("name"), f"envFrom.{key}.name")
                result.append(EnvFrom(kind=kind, name=name, prefix=_text(item.get("prefix"))))
    return tuple(result)


def _command(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(text for item in value if (text := _text(item)) is not None)


def _container(item: dict[str, Any], path: str, *, is_init: bool) -> Container:
    resources = item.get("resources")
    policy = item.get("imagePullPolicy")
    host_ports = tuple(p for p in _ports(item.get("ports"), "hostPort") if p != 0)
    probes = tuple(
        name
        for name in ("liveness", "readiness", "startup")
        if isinstance(item.get(f"{name}Probe"), dict)
    )
    return Container(
        name=_text(item.get("name")) or "",
        image=_text_or_unknown(item.get("image"), f"{path}.image"),
        path=path,
        is_init=is_init,
        security_context=_security_context(item.get("securityContext"), f"{path}.securityContext"),
        limits=_quantities(resources, "limits", path),
        requests=_quantities(resources, "requests", path),
        env=_env(item.get("env"), path),
        ports=_ports(item.get("ports"), "containerPort"),
        image_pull_policy=policy if isinstance(policy, str) else None,
        env_from=_env_from(item.get("envFrom")),
        host_ports=host_ports,
        command=_command(item.get("command")),
        args=_command(item.get("args")),
        probes=probes,
    )


def _host_path(item: dict[str, Any]) -> str | Unknown | None:
    path = _get(item, "hostPath", "path")
    if _is_placeholder(path):
        return Unknown(f"volume {item.get('name')!r}: hostPath.path is a template placeholder")
    return _text(path)


def _pod_spec(spec: Any, path: str, annotations: Mapping[str, str]) -> PodSpec:
    if not isinstance(spec, dict):
        return PodSpec(path=path, annotations=annotations)
    containers = tuple(
        _container(item, f"{path}.containers[{i}]", is_init=False)
        for i, item in _dicts(spec.get("containers"))
    )
    init_containers = tuple(
        _container(item, f"{path}.initContainers[{i}]", is_init=True)
        for i, item in _dicts(spec.get("initContainers"))
    )
    volumes = tuple(
        Volume(
            name=_text(item.get("name")) or "",
            host_path=_host_path(item),
            secret=_text(_get(item, "secret", "secretName")),
        )
        for _, item in _dicts(spec.get("volumes"))
    )
    account = _text(spec.get("serviceAccountName")) or _text(spec.get("serviceAccount"))
    return PodSpec(
        containers=containers,
        init_containers=init_containers,
        security_context=_security_context(spec.get("securityContext"), f"{path}.securityContext"),
        host_network=_host_flag(spec.get("hostNetwork"), f"{path}.hostNetwork"),
        host_pid=_host_flag(spec.get("hostPID"), f"{path}.hostPID"),
        host_ipc=_host_flag(spec.get("hostIPC"), f"{path}.hostIPC"),
        service_account_name=account,
        automount_service_account_token=_flag(
            spec.get("automountServiceAccountToken"), f"{path}.automountServiceAccountToken"
        ),
        volumes=volumes,
        path=path,
        annotations=annotations,
    )


def _workload(ctx: _Context) -> Resource:
    keys = POD_SPEC_PATHS[ctx.kind]
    spec = _get(ctx.obj, *(str(k) for k in keys))
    if ctx.kind == "Pod":
        pod_annotations = ctx.annotations
    else:  # a controller: the pod template's own metadata
        template = _get(ctx.obj, *(str(k) for k in keys[:-1]))
        pod_annotations = _str_map(_get(template, "metadata", "annotations"))
    return Workload(
        **ctx.common(),
        workload_kind=ctx.kind,
        namespace=ctx.namespace,
        pod=_pod_spec(spec, _dotted_path(keys), pod_annotations),
        labels=ctx.labels,
        annotations=ctx.annotations,
    )


def _network_policy(ctx: _Context) -> Resource:
    spec = ctx.obj.get("spec")
    selector = _get(spec, "podSelector")
    match_labels = _str_map(_get(selector, "matchLabels"))
    expressions = _get(selector, "matchExpressions")
    selects_all = not match_labels and not (isinstance(expressions, list) and expressions)
    if isinstance(selector, str):  # a placeholder: we cannot tell
        selects_all = False
    types = _strings(_get(spec, "policyTypes"))
    if not types and isinstance(spec, dict) and "policyTypes" not in spec:
        # The API server's default when policyTypes is omitted.
        types = ("Ingress", "Egress") if spec.get("egress") is not None else ("Ingress",)
    return NetworkPolicy(
        **ctx.common(),
        namespace=ctx.namespace,
        pod_selector=match_labels,
        selects_all_pods=selects_all,
        policy_types=types,
    )


def _role_binding(ctx: _Context) -> Resource:
    cluster_wide = ctx.kind == "ClusterRoleBinding"
    role_ref = ctx.obj.get("roleRef")
    subjects = tuple(
        Subject(
            kind=_text(item.get("kind")) or "",
            name=_text(item.get("name")) or "",
            namespace=_text(item.get("namespace")),
        )
        for _, item in _dicts(ctx.obj.get("subjects"))
    )
    return RoleBinding(
        **ctx.common(),
        cluster_wide=cluster_wide,
        namespace=None if cluster_wide else ctx.namespace,
        role_kind=_text(_get(role_ref, "kind")) or "Role",
        role_name=_text(_get(role_ref, "name")) or "",
        subjects=subjects,
    )


def _role(ctx: _Context) -> Resource:
    cluster_wide = ctx.kind == "ClusterRole"
    rules = tuple(
        PolicyRule(
            api_groups=_strings(item.get("apiGroups")),
            resources=_strings(item.get("resources")),
            verbs=_strings(item.get("verbs")),
            path=f"rules[{i}]",
        )
        for i, item in _dicts(ctx.obj.get("rules"))
    )
    return Role(
        **ctx.common(),
        cluster_wide=cluster_wide,
        namespace=None if cluster_wide else ctx.namespace,
        rules=rules,
    )


def _namespace(ctx: _Context) -> Resource:
    return Namespace(**ctx.common(), labels=ctx.labels)


def _service(ctx: _Context) -> Resource:
    spec = ctx.obj.get("spec")
    return Service(
        **ctx.common(),
        namespace=ctx.namespace,
        service_type=_text(_get(spec, "type")) or "ClusterIP",
        ports=_ports(_get(spec, "ports"), "port"),
        target_ports=_ports(_get(spec, "ports"), "targetPort"),
        annotations=ctx.annotations,
        load_balancer_source_ranges=_strings(_get(spec, "loadBalancerSourceRanges")),
        external_ips=_strings(_get(spec, "externalIPs")),
    )


def _service_account(ctx: _Context) -> Resource:
    return ServiceAccount(
        **ctx.common(),
        namespace=ctx.namespace,
        automount_service_account_token=_flag(
            ctx.obj.get("automountServiceAccountToken"), "automountServiceAccountToken"
        ),
        annotations=ctx.annotations,
    )


def _kustomization(ctx: _Context) -> Resource | None:
    api_version = str(ctx.obj.get("apiVersion", ""))
    if api_version.startswith("kustomize.toolkit.fluxcd.io/"):
        return _flux(ctx)
    if not api_version.startswith("kustomize.config.k8s.io/"):
        return None
    images: list[ImageOverride] = []
    for _, item in _dicts(ctx.obj.get("images")):
        name = _text(item.get("name"))
        if not name:
            continue
        images.append(
            ImageOverride(
                name=name,
                new_name=_text(item.get("newName")),
                new_tag=_text(item.get("newTag")),
                digest=_text(item.get("digest")),
            )
        )
    folder = posixpath.dirname(ctx.file)
    patches: list[str] = []
    for _, item in _dicts(ctx.obj.get("patches")):
        path = _text(item.get("path"))
        if path:
            patches.append(path)
    patches.extend(_strings(ctx.obj.get("patchesStrategicMerge")))
    patch_files = tuple(
        posixpath.normpath(posixpath.join(folder, p))
        for p in patches
        if "\n" not in p and not p.startswith(("/", "http://", "https://"))
    )
    common = ctx.common()
    if not ctx.name:  # kustomizations are rarely named: the file names them
        common["address"] = f"Kustomization/{ctx.file}"
    return Kustomization(
        **common,
        images=tuple(images),
        namespace=_text(ctx.obj.get("namespace")),
        patch_files=patch_files,
    )


def _flag_or_false(value: Any, what: str) -> bool | Unknown:
    flag = _flag(value, what)
    return False if flag is None else flag


def _argo_application(ctx: _Context) -> Resource | None:
    if not str(ctx.obj.get("apiVersion", "")).startswith("argoproj.io/"):
        return None
    spec = ctx.obj.get("spec")
    if ctx.kind == "ApplicationSet":
        spec = _get(spec, "template", "spec")
    policy = _get(spec, "syncPolicy")
    automated = _get(policy, "automated")
    if _is_placeholder(policy) or _is_placeholder(automated):
        unknown = Unknown("spec.syncPolicy is a template placeholder")
        reconciles: bool | Unknown = unknown
        heals: bool | Unknown = unknown
    elif isinstance(automated, dict):
        enabled = _flag(automated.get("enabled"), "syncPolicy.automated.enabled")
        reconciles = True if enabled is None else enabled
        heals = _flag_or_false(automated.get("selfHeal"), "syncPolicy.automated.selfHeal")
    else:
        reconciles = heals = False
    return GitOpsApplication(
        **ctx.common(),
        engine="argocd",
        namespace=ctx.namespace,
        reconciles=reconciles,
        corrects_drift=heals,
    )


def _flux(ctx: _Context) -> Resource:
    common = ctx.common()
    if ctx.kind == "Kustomization":  # namespaced, unlike kustomize's own Kustomization
        common["address"] = f"Kustomization/{ctx.namespace}/{ctx.name or 'unnamed'}"
    spec = ctx.obj.get("spec")
    suspended = _flag_or_false(_get(spec, "suspend"), "spec.suspend")
    running: bool | Unknown = suspended if is_unknown(suspended) else not suspended
    if ctx.kind == "HelmRelease":
        mode = _text(_get(spec, "driftDetection", "mode"))
        heals: bool | Unknown = running if mode == "enabled" else False
    else:  # a Flux Kustomization applies and corrects drift on every reconciliation
        heals = running
    return GitOpsApplication(
        **common,
        engine="flux",
        namespace=ctx.namespace,
        reconciles=running,
        corrects_drift=heals,
    )


def _helm_release(ctx: _Context) -> Resource | None:
    if not str(ctx.obj.get("apiVersion", "")).startswith("helm.toolkit.fluxcd.io/"):
        return None
    return _flux(ctx)


_GATEKEEPER_CONSTRAINTS = "constraints.gatekeeper.sh/"
_KYVERNO = ("kyverno.io/",)


def _kyverno_policy(ctx: _Context) -> Resource | None:
    if not str(ctx.obj.get("apiVersion", "")).startswith(_KYVERNO):
        return None  # another project's ClusterPolicy / Policy kind
    spec = ctx.obj.get("spec")
    default_action = str(_get(spec, "validationFailureAction") or "Audit").lower()
    enforced = pod_security = verifies = False
    for _, item in _dicts(_get(spec, "rules")):
        validate = item.get("validate")
        if isinstance(validate, dict):
            action = str(validate.get("failureAction") or default_action).lower()
            enforced = enforced or action == "enforce"
            pod_security = pod_security or isinstance(validate.get("podSecurity"), dict)
        if isinstance(item.get("verifyImages"), list) and item["verifyImages"]:
            verifies = True
    category = ctx.annotations.get("policies.kyverno.io/category", "")
    pod_security = pod_security or "pod security" in category.lower()
    return AdmissionPolicy(
        **ctx.common(),
        engine="kyverno",
        namespace=ctx.namespace if ctx.kind == "Policy" else None,
        enforced=enforced,
        pod_security=pod_security,
        verifies_images=verifies,
    )


def _gatekeeper_constraint(ctx: _Context) -> Resource:
    spec = ctx.obj.get("spec")
    action = _text(_get(spec, "enforcementAction")) or "deny"
    return AdmissionPolicy(
        **ctx.common(),
        engine="gatekeeper",
        enforced=action.lower() == "deny",
        pod_security=ctx.kind.startswith("K8sPSP"),
        excluded_namespaces=_strings(_get(spec, "match", "excludedNamespaces")),
    )


def _ingress(ctx: _Context) -> Resource:
    spec = ctx.obj.get("spec")
    tls_hosts: list[str] = []
    tls = _dicts(_get(spec, "tls"))
    without_hosts = False
    for _, item in tls:
        hosts_of_entry = _strings(item.get("hosts"))
        tls_hosts.extend(hosts_of_entry)
        without_hosts = without_hosts or not hosts_of_entry
    hosts = [host for _, item in _dicts(_get(spec, "rules")) if (host := _text(item.get("host")))]
    return Ingress(
        **ctx.common(),
        namespace=ctx.namespace,
        tls_hosts=tuple(tls_hosts),
        hosts=tuple(hosts),
        annotations=ctx.annotations,
        tls_entries=len(tls),
        tls_without_hosts=without_hosts,
    )


def _config_data(ctx: _Context) -> Resource:
    is_secret = ctx.kind == "Secret"
    data: dict[str, str] = {}
    if is_secret:
        # Keys only: a secret's value must never reach findings, reports or logs.
        for field_name in ("data", "stringData"):
            section = ctx.obj.get(field_name)
            if isinstance(section, dict):
                data.update((str(key), "") for key in section)
    else:
        data.update(_str_map(ctx.obj.get("data")))
        binary = ctx.obj.get("binaryData")
        if isinstance(binary, dict):
            data.update((str(key), "") for key in binary if str(key) not in data)
    return ConfigData(
        **ctx.common(),
        namespace=ctx.namespace,
        is_secret=is_secret,
        data=data,
        secret_type=(_text(ctx.obj.get("type")) or "Opaque") if is_secret else None,
        annotations=ctx.annotations,
    )


_NORMALISERS: dict[str, Callable[[_Context], Resource | None]] = {
    **dict.fromkeys(POD_SPEC_PATHS, _workload),
    "NetworkPolicy": _network_policy,
    "RoleBinding": _role_binding,
    "ClusterRoleBinding": _role_binding,
    "Role": _role,
    "ClusterRole": _role,
    "Namespace": _namespace,
    "Service": _service,
    "Ingress": _ingress,
    "Secret": _config_data,
    "ConfigMap": _config_data,
    "ServiceAccount": _service_account,
    "Kustomization": _kustomization,
    "Application": _argo_application,
    "ApplicationSet": _argo_application,
    "HelmRelease": _helm_release,
    "ClusterPolicy": _kyverno_policy,
    "Policy": _kyverno_policy,
}


# --------------------------------------------------------------------------- helpers


def _error(file: str, line: int | None, column: int | None, message: str) -> ParseError:
    return ParseError(file, line, column, message, SOURCE_KUBERNETES)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def _decode(data: bytes, file: str) -> tuple[str | None, ParseError | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, _error(file, None, None, "invalid UTF-16")
    if b"\x00" in data[:8192]:
        return None, _error(file, None, None, "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, _error(file, line, column, "invalid UTF-8")
