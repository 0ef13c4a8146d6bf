"""3.4.1 Secure IaC practices: no plaintext secrets in code.

Secrets are recognised by name (PASSWORD, TOKEN, API_KEY...) with a literal
value, or by well-known value shapes (AWS access keys, private keys, GitHub
tokens). Values that point at a secret store are not secrets. Findings
never carry the secret: only its name and a masked hint.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Mapping

from tutela.model.aws import LambdaFunction
from tutela.model.container import Dockerfile
from tutela.model.kubernetes import Container, Workload
from tutela.model.values import Reference, is_unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule, unknown

_SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key"
    r"|client[_-]?secret|credentials?|auth[_-]?key|signing[_-]?key|conn(ection)?[_-]?str(ing)?)",
    re.IGNORECASE,
)
_NOT_SECRET_NAME = re.compile(
    r"(_file|_path|_arn|_id|_name|_url|_uri|_ttl|_length|_expiry|_region|_endpoint|_secret_arn"
    r"|_policy|_rotation|_header|_version|_enabled)$",
    re.IGNORECASE,
)
_SECRET_VALUE = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a password in a connection string", re.compile(r"://[^:/@\s]+:[^@/\s]{3,}@")),
)
# Values that name a secret instead of holding one.
_INDIRECT = re.compile(
    r"^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|\$\{|/run/secrets/|/var/run/secrets/"
    r"|vault:|ssm:|secretsmanager:|projects/[^/]+/secrets/|https://[a-z0-9-]+\.vault\.azure\.net/)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(|changeme|change_me|none|null|false|true|xxx+|\*+|<.*>|example)$", re.I
)


def mask(value: str) -> str:
    """A hint that never reveals a secret: its first two characters and its length."""
    if len(value) <= 4:
        return "*" * len(value)
    return f"{value[:2]}{'*' * 6} ({len(value)} chars)"


def secret_in(name: str, value: object) -> str | None:
    """Why `name=value` looks like a plaintext secret, or None."""
    if value is None or is_unknown(value) or isinstance(value, Reference):
        return None
    text = str(value).strip()
    for what, pattern in _SECRET_VALUE:
        if pattern.search(text):
            return f"{name} holds {what} ({mask(text)})"
    if _INDIRECT.match(text) or _PLACEHOLDER.match(text):
        return None
    if _SECRET_NAME.search(name) and not _NOT_SECRET_NAME.search(name) and len(text) >= 6:
        return f"{name} holds a literal secret value ({mask(text)})"
    return None


def _scan_mapping(values: Mapping[str, object], at: str) -> Iterator[Verdict]:
    for key, value in values.items():
        why = secret_in(str(key), value)
        if why:
            yield failed(why, at=f"{at}.{key}", subject=str(key))


@rule(
    code="SEC001",
    controls=("3.4.1.a.5", "3.5.2.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Keep credentials in AWS Secrets Manager or SSM Parameter Store and pass the
        function the secret's ARN (read it at start-up), or encrypt the variable with a
        customer-managed KMS key and decrypt it in code.
    """,
    snippets={
        "terraform": """
            environment {
              variables = {
                DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
              }
            }
        """,
    },
)
def function_environment_has_no_plaintext_secrets(fn: LambdaFunction) -> Iterator[Verdict]:
    """Function environment variables hold no plaintext secrets.

    Why: environment variables are readable by anyone who can read the function's
    configuration and end up in logs and tooling; a password there is a leaked password.
    """
    env = fn.environment
    if env is None:
        yield passed("no environment variables")
        return
    if is_unknown(env):
        yield unknown(f"environment is not known before apply: {env.reason}", at="environment")
        return
    found = list(_scan_mapping(env, "environment"))
    yield from found or [passed("no secret-looking literal in the environment")]


@rule(
    code="SEC002",
    controls=("3.4.1.a.5", "3.5.1.b.5"),
    severity=Severity.HIGH,
    remediation="""
        Do not bake credentials into images. Use build secrets
        (`RUN --mount=type=secret,id=npm_token ...`) for build-time credentials and inject
        runtime secrets from the orchestrator's secret store.
    """,
    snippets={
        "dockerfile": """
        RUN --mount=type=secret,id=npm_token \\
            NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
    """
    },
)
def dockerfile_has_no_secrets(image: Dockerfile) -> Iterator[Verdict]:
    """Dockerfile ENV and ARG instructions hold no plaintext secrets.

    Why: ENV and ARG values are stored in the image's layers and history; anyone who can
    pull the image can read them.
    """
    hits = 0
    for si, stage in enumerate(image.stages):
        for ii, ins in enumerate(stage.instructions):
            if ins.keyword not in ("ENV", "ARG"):
                continue
            for name, value in _assignments(ins.value):
                why = secret_in(name, value)
                if why:
                    hits += 1
                    yield failed(
                        f"{ins.keyword} {why}",
                        at=f"stages[{si}].instructions[{ii}]",
                        subject=f"{ins.keyword} {name}",
                    )
    for gi, ins in enumerate(image.global_args):
        for name, value in _assignments(ins.value):
            why = secret_in(name, value)
            if why:
                hits += 1
                yield failed(f"ARG {why}", at=f"global_args[{gi}]", subject=f"ARG {name}")
    if not hits:
        yield passed("no secret-looking ENV or ARG value")


_ASSIGN = re.compile(r"""([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)""")


def _assignments(text: str) -> list[tuple[str, str]]:
    """`KEY=value ...` pairs, or the legacy `ENV KEY value` form."""
    pairs = [(k, v.strip("\"'")) for k, v in _ASSIGN.findall(text)]
    if pairs:
        return pairs
    parts = text.split(None, 1)
    if len(parts) == 2:
        return [(parts[0], parts[1].strip().strip("\"'"))]
    return []


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
    hits = 0
    path = workload.pod.path
    for ci, c in enumerate(workload.pod.containers):
        hits += yield from _container_env(c, f"{path}.containers[{ci}]")
    for ci, c in enumerate(workload.pod.init_containers):
        hits += yield from _container_env(c, f"{path}.initContainers[{ci}]")
    if not hits:
        yield passed("no secret-looking literal in container environments")


def _container_env(container: Container, at: str) -> Generator[Verdict, None, int]:
    hits = 0
    for ei, env in enumerate(container.env):
        if env.from_secret or env.value is None:
            continue
        why = secret_in(env.name, env.value)
        if why:
            hits += 1
            yield failed(
                f"container {container.name}: {why}",
                at=f"{at}.env[{ei}]",
                subject=f"{container.name}/{env.name}",
            )
    return hits
