"""3.4.1 No plaintext secrets baked into images."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.container import Dockerfile
from tutela.rules.api import Severity, Verdict, failed, passed, rule
from tutela.rules.secrets.detect import secret_in


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
