"""3.4.1 No plaintext secrets baked into images."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.container import Dockerfile
from tutela.rules.api import Severity, Verdict, failed, or_passed, rule
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

    def problems() -> Iterator[Verdict]:
        for si, stage in enumerate(image.stages):
            for ii, ins in enumerate(stage.instructions):
                if ins.keyword not in ("ENV", "ARG"):
                    continue
                for name, value in _assignments(ins.value):
                    why = secret_in(name, value)
                    if why:
                        yield failed(
                            f"{ins.keyword} {why}",
                            at=f"stages[{si}].instructions[{ii}]",
                            subject=f"{ins.keyword} {name}",
                        )
        for gi, ins in enumerate(image.global_args):
            for name, value in _assignments(ins.value):
                why = secret_in(name, value)
                if why:
                    yield failed(f"ARG {why}", at=f"global_args[{gi}]", subject=f"ARG {name}")

    return or_passed(problems(), "no secret-looking ENV or ARG value")


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


# --------------------------------------------------------------------------- secret files

_SECRET_DIRS = frozenset({".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure", ".gcloud"})
_ENV_TEMPLATES = frozenset(
    {"example", "sample", "template", "tpl", "dist", "default", "defaults", "schema", "test"}
)
_SECRET_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an SSH private key", re.compile(r"^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$")),
    (
        "credentials",
        re.compile(
            r"^(\.netrc|_netrc|\.pypirc|\.git-credentials|\.htpasswd"
            r"|\.dockercfg|kubeconfig)$"
        ),
    ),
    ("a key store", re.compile(r"\.(p12|pfx|keystore)$")),
    (
        "a cloud credentials file",
        re.compile(
            r"^(credentials|service[-_]?account([-_]key)?|sa[-_]key|gcp[-_]key|client[-_]secrets?)"
            r"\.json$"
        ),
    ),
)


def secret_file(path: str) -> str | None:
    """What secret a copied path looks like it holds, or None.

    Certificates and public keys are not secrets (`ca.pem`, `rds-global-bundle.pem`,
    `id_rsa.pub`, `repo.gpg.key`); `.env.example`-style templates are not either.
    """
    cleaned = path.strip().rstrip("/").replace("\\", "/")
    parts = [p for p in cleaned.split("/") if p not in ("", ".")]
    if not parts:
        return None
    for part in parts:
        if part.lower() in _SECRET_DIRS:
            return f"the {part} directory"
    name = parts[-1].lower()
    if name.endswith((".pub", ".crt", ".cer")):
        return None
    if name == ".env" or name.startswith(".env."):
        suffixes = set(name.split(".")[2:])
        return None if suffixes & _ENV_TEMPLATES else "an environment file"
    if (
        name in ("credentials", "config")
        and len(parts) > 1
        and parts[-2].lower()
        in (
            ".aws",
            ".kube",
        )
    ):
        return "cloud credentials"
    for what, pattern in _SECRET_NAMES:
        if pattern.search(name):
            if what == "a key store" and "trust" in name:
                return None
            return what
    public = ("pub", "public", "gpg", "pgp", "asc", "apt", "archive", "keyring", "release")
    stem_words = set(re.split(r"[-_.]", name))
    if name.endswith(".key") and not stem_words & set(public):
        return "a private key"
    if name.endswith(".pem") and ("key" in name or "priv" in name) and "pub" not in name:
        return "a private key"
    if name.endswith(".jks") and "trust" not in name and "cacerts" not in name:
        return "a key store"
    return None


def _copy_sources(value: str) -> tuple[dict[str, str], list[str]]:
    """Flags and source paths of a COPY or ADD instruction (the destination dropped)."""
    text = value.split("\n", 1)[0]  # heredoc bodies follow on later lines
    words: list[str]
    stripped = text.strip()
    flags: dict[str, str] = {}
    while stripped.startswith("--"):
        flag, _, stripped = stripped.partition(" ")
        name, _, flag_value = flag[2:].partition("=")
        flags[name.lower()] = flag_value
        stripped = stripped.lstrip()
    if stripped.startswith("["):
        words = [w.strip().strip("\"'") for w in stripped.strip("[]").split(",")]
    else:
        words = [w.strip("\"'") for w in stripped.split()]
    sources = [w for w in words[:-1] if w and not w.startswith("<<")]
    return flags, sources


@rule(
    code="SEC302",
    controls=("3.4.1.a.5", "3.5.1.b.5"),
    severity=Severity.HIGH,
    remediation="""
        Do not copy keys or credential files into images. Mount them only for the step that
        needs them (`RUN --mount=type=secret`, `RUN --mount=type=ssh`) and inject runtime
        credentials from the orchestrator's secret store; list such files in
        `.dockerignore`.
    """,
    snippets={
        "dockerfile": """
        # syntax=docker/dockerfile:1
        RUN --mount=type=ssh git clone git@github.com:example/private-lib.git
        RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install -r requirements.txt
    """
    },
)
def dockerfile_copies_no_secret_files(image: Dockerfile) -> Iterator[Verdict]:
    """Dockerfiles do not copy private keys or credential files into images.

    Why: a file copied by COPY or ADD stays in that layer for good, even if a later step
    deletes it, and build stages stay in the build cache: anyone who can pull the image or
    reach the cache can extract an SSH key, a `.env` file or cloud credentials.
    """
    final = image.final_image_stages

    def problems() -> Iterator[Verdict]:
        for si, stage in enumerate(image.stages):
            for ii, ins in enumerate(stage.instructions):
                if ins.keyword not in ("COPY", "ADD"):
                    continue
                _, sources = _copy_sources(ins.value)
                for source in sources:
                    what = secret_file(source)
                    if what is None:
                        continue
                    where = "" if stage in final else " (a build stage: kept in the build cache)"
                    yield failed(
                        f"{ins.keyword} {source} copies {what} into the image{where}",
                        at=f"stages[{si}].instructions[{ii}]",
                        subject=f"{ins.keyword} {source}",
                    )

    return or_passed(problems(), "no key or credential file copied into the image")
