"""3.4.1 No plaintext secrets in Kubernetes manifests."""

from __future__ import annotations

from collections.abc import Generator, Iterator

from tutela.model.kubernetes import Container, Workload
from tutela.rules.api import Severity, Verdict, failed, passed, rule
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
