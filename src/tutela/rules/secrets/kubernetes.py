"""3.4.1 No plaintext secrets in Kubernetes manifests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.kubernetes import ConfigData, Container, Workload
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, or_passed, rule, unknown
from tutela.rules.secrets.detect import secret_in


@rule(
    code="SEC003",
    controls=("3.5.1.b.5", "3.4.1.a.5"),
    severity=Severity.HIGH,
    remediation="""
        Reference a Kubernetes Secret (or an external secret store via a CSI driver)
        with `valueFrom.secretKeyRef` instead of writing the value in the manifest.
    """,
    snippets={
        "kubernetes": """
            env:
              - name: DB_PASSWORD
                valueFrom:
                  secretKeyRef:
                    name: db-credentials
                    key: password
        """,
    },
)
def container_env_has_no_plaintext_secrets(workload: Workload) -> Iterator[Verdict]:
    """Container environment variables hold no plaintext secrets.

    Why: manifests live in version control and in the API server unencrypted; a literal
    password in `env` is readable by everyone who can read the workload.
    """
    path = workload.pod.path

    def problems() -> Iterator[Verdict]:
        for c in workload.pod.all_containers:
            if is_unknown(c.env):
                yield unknown(f"container {c.name}: {c.env.reason}", at=c.path, subject=c.name)
        for ci, c in enumerate(workload.pod.containers):
            yield from _container_env(c, f"{path}.containers[{ci}]")
        for ci, c in enumerate(workload.pod.init_containers):
            yield from _container_env(c, f"{path}.initContainers[{ci}]")

    return or_passed(problems(), "no secret-looking literal in container environments")


def _container_env(container: Container, at: str) -> Iterator[Verdict]:
    if is_unknown(container.env):
        return
    for ei, env in enumerate(container.env):
        if env.from_secret or env.value is None:
            continue
        why = secret_in(env.name, env.value)
        if why:
            yield failed(
                f"container {container.name}: {why}",
                at=f"{at}.env[{ei}]",
                subject=f"{container.name}/{env.name}",
            )


# --------------------------------------------------------------------------- ConfigMaps

_WORDS = (
    r"pass(?:word|wd|phrase)?|secret|token|api[_-]?key|apikey|private[_-]?key"
    r"|access[_-]?key|secret[_-]?key|client[_-]?secret|auth[_-]?key|signing[_-]?key"
    r"|credentials?"
)
# The key's last word names a secret: DB_PASSWORD, redis.auth-token, apiKey, clientSecret.
_SECRET_KEY = re.compile(rf"(?:^|[._\-\s])(?:{_WORDS})$", re.IGNORECASE)
_SECRET_KEY_CAMEL = re.compile(
    r"(?<=[a-z0-9])(?:Pass(?:word|wd|phrase)?|Secret|Token|Api[Kk]ey|PrivateKey|AccessKey"
    r"|SecretKey|ClientSecret|AuthKey|SigningKey|Credentials?)$"
)
# `key: value`, `key = value`, `"key": "value"` lines of an embedded configuration file.
_ASSIGNMENT = re.compile(
    r"""^\s*(?:export\s+)?["']?([A-Za-z][A-Za-z0-9_.\-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$"""
)
_NOT_A_LITERAL = re.compile(r"^[$%@]|\{\{|^<|^\[|^\{|^!|^\*|^&")


def secret_key(name: str) -> bool:
    """True when a configuration key names a secret by its last word."""
    return bool(_SECRET_KEY.search(name) or _SECRET_KEY_CAMEL.search(name))


def _literal(raw: str) -> str | None:
    """A configuration line's value as a literal, or None for references, blocks and
    expressions (`${DB_PASSWORD}`, `%(pw)s`, `{{ ... }}`, YAML anchors, `|` blocks)."""
    value = raw.split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    if not value or value in ("|", ">", "|-", ">-") or _NOT_A_LITERAL.search(value):
        return None
    return value


def config_secrets(key: str, value: str) -> Iterator[str]:
    """Why a ConfigMap entry holds a plaintext secret (one reason per secret found)."""
    if not value:
        return
    if "\n" not in value.strip():
        literal = _literal(value) if value.lstrip()[:1] in "\"'$%{<" else value.strip()
        if literal is None:
            return
        why = secret_in(key, literal) if secret_key(key) else _value_only(key, literal)
        if why:
            yield why
        return
    # An embedded file (application.yaml, .properties, .env, JSON): judge its lines.
    found_value_pattern = _value_only(key, value)
    if found_value_pattern:
        yield found_value_pattern
        return
    for line in value.splitlines():
        match = _ASSIGNMENT.match(line)
        if match is None or not secret_key(match.group(1)):
            continue
        literal = _literal(match.group(2))
        if literal is None:
            continue
        why = secret_in(match.group(1), literal)
        if why:
            yield f"{key}: {why}"


def _value_only(key: str, value: str) -> str | None:
    """Secrets recognised by their shape alone (keys, tokens, passwords in URLs)."""
    why = secret_in("value", value)
    return f"{key}{why[len('value') :]}" if why else None


@rule(
    code="SEC301",
    controls=("3.4.1.a.5", "3.5.1.b.5"),
    severity=Severity.HIGH,
    remediation="""
        Move the value to a Secret fed from a secret store (External Secrets, the Secrets
        Store CSI driver, Sealed Secrets) and reference it with `secretKeyRef` or a mounted
        file; keep ConfigMaps for non-sensitive settings.
    """,
    snippets={
        "kubernetes": """
        env:
          - name: REDIS_PASSWORD
            valueFrom:
              secretKeyRef:
                name: redis-auth
                key: password
    """
    },
)
def configmap_holds_no_secrets(config: ConfigData) -> Iterator[Verdict]:
    """ConfigMaps hold no passwords, tokens or keys.

    Why: ConfigMaps are meant for non-sensitive settings: they are readable by anyone with
    `view` access, never encrypted at rest by the API server's secret encryption, and end
    up in logs, dashboards and support bundles. Configuration files embedded in a
    ConfigMap are read line by line.
    """
    if config.is_secret:
        return
    yield from or_passed(
        (
            failed(why, at=f"data.{key}", subject=key)
            for key, value in config.data.items()
            for why in config_secrets(key, value)
        ),
        "no secret-looking value",
    )
