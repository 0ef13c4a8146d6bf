"""3.5.1 Container image security: Dockerfiles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.container import Dockerfile
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule

_ROOT_USERS = {"root", "0", "0:0", "root:root"}


@rule(
    code="CTR001",
    controls=("3.5.1.b.3", "3.5.1.a.2"),
    severity=Severity.HIGH,
    remediation="Create an unprivileged user and switch to it before the entrypoint: `USER 10001`.",
    snippets={
        "dockerfile": """
        RUN useradd --uid 10001 --no-create-home app
        USER 10001
    """
    },
)
def image_runs_as_non_root(image: Dockerfile) -> Verdict:
    """Container images run as a non-root user.

    Why: a process running as root inside a container is one kernel or runtime bug
    away from root on the node.
    """
    stage = image.final_stage
    if stage is None:
        return not_applicable("no stage")
    user = stage.user
    if user is None:
        return failed("the final stage never sets USER, so the image runs as root", at="user")
    if user.lower() in _ROOT_USERS or user.split(":")[0] in ("root", "0"):
        return failed(f"the final stage runs as {user}", at="user")
    return passed(f"runs as {user}")


@rule(
    code="CTR002",
    controls=("3.5.1.a.3", "3.5.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Pin base images to a digest (`FROM python:3.12-slim@sha256:...`) or at least an
        explicit version tag, and update them deliberately.
    """,
    snippets={"dockerfile": "FROM python:3.12.7-slim-bookworm@sha256:<digest>"},
)
def base_images_pinned(image: Dockerfile) -> Iterator[Verdict]:
    """Base images are pinned to a digest or an explicit version tag.

    Why: `latest` or an untagged image changes under the build without review, so
    builds are not reproducible and a compromised upstream flows straight in.
    """
    stages = image.stage_names()
    hits = 0
    for i, stage in enumerate(image.stages):
        ref = stage.base_image
        if ref in stages or ref == "scratch" or ("@sha256:" in ref and "$" not in ref):
            continue
        last = ref.rsplit("/", 1)[-1]
        tag = last.split(":", 1)[1] if ":" in last else None
        if tag is None or tag == "latest" or "$" in ref:
            hits += 1
            what = "is not pinned" if tag is None else f"uses the tag {tag!r}"
            if "$" in ref:
                what = "is chosen by an unresolved build argument"
            yield failed(f"base image {ref} {what}", at=f"stages[{i}].from", subject=f"stage {i}")
    if not hits:
        yield passed("every base image is pinned")


@rule(
    code="CTR003",
    controls=("3.1.2.a.2",),
    severity=Severity.MEDIUM,
    remediation="Do not run or expose SSH in application images; use `kubectl exec` or SSM.",
)
def image_does_not_expose_ssh(image: Dockerfile) -> Verdict:
    """Container images do not expose SSH.

    Why: an SSH daemon in a container is an unnecessary service with its own
    credentials, outside the orchestrator's access control.
    """
    stage = image.final_stage
    if stage is None:
        return not_applicable("no stage")
    for j, ins in enumerate(stage.instructions):
        if ins.keyword == "EXPOSE" and re.search(r"(^|\s)22(/tcp)?(\s|$)", ins.value):
            return failed(
                "the image exposes port 22", at=f"stages[{stage.index}].instructions[{j}]"
            )
    return passed()


@rule(
    code="CTR004",
    controls=("3.5.1.a.4",),
    severity=Severity.LOW,
    remediation="""
        Download with `RUN curl` and verify a checksum, or `COPY` vendored files;
        never `ADD <url>`.
    """,
)
def image_does_not_add_remote_files(image: Dockerfile) -> Iterator[Verdict]:
    """Dockerfiles do not ADD files from URLs.

    Why: `ADD https://...` fetches unverified content at build time; integrity of
    what goes into the image cannot be checked.
    """
    hits = 0
    for i, stage in enumerate(image.stages):
        for j, ins in enumerate(stage.instructions):
            if ins.keyword == "ADD" and re.search(r"(^|\s)(https?|ftp)://", ins.value):
                hits += 1
                yield failed(
                    "ADD downloads a remote file without verification",
                    at=f"stages[{i}].instructions[{j}]",
                    subject=f"line {ins.line}",
                )
    if not hits:
        yield passed()
