"""3.5.1 Container image security: Dockerfiles."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from fnmatch import fnmatchcase

from tutela.model.container import Dockerfile, ImageRef, Instruction, Stage, image_name
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.settings import Settings

_ROOT_USERS = {"root", "0", "0:0", "root:root"}
# Base images whose own USER is non-root: distroless `:nonroot` / `:debug-nonroot` tags.
_NONROOT_BASE = re.compile(r"^gcr\.io/distroless/[^:]+:(?:[\w.-]*-)?nonroot$")


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
    user = image.effective_user(stage)
    if user is None:
        base = image.external_base(stage)
        if _NONROOT_BASE.search(base.split("@", 1)[0]):
            return passed(f"inherits the non-root user of {base}")
        return failed("the final stage never sets USER, so the image runs as root", at="user")
    if "$" in user:
        return unknown(f"USER is set from a variable: {user}", at="user")
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

    def problems() -> Iterator[Verdict]:
        for i, stage in enumerate(image.stages):
            ref = stage.base_image
            if ref in stages or ref == "scratch" or ("@sha256:" in ref and "$" not in ref):
                continue
            last = ref.rsplit("/", 1)[-1]
            tag = last.split(":", 1)[1] if ":" in last else None
            if tag is None or tag == "latest" or "$" in ref:
                what = "is not pinned" if tag is None else f"uses the tag {tag!r}"
                if "$" in ref:
                    what = "is chosen by an unresolved build argument"
                yield failed(
                    f"base image {ref} {what}", at=f"stages[{i}].from", subject=f"stage {i}"
                )

    return or_passed(problems(), "every base image is pinned")


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
    return or_passed(
        failed(
            "ADD downloads a remote file without verification",
            at=f"stages[{i}].instructions[{j}]",
            subject=f"line {ins.line}",
        )
        for i, stage in enumerate(image.stages)
        for j, ins in enumerate(stage.instructions)
        if ins.keyword == "ADD" and re.search(r"(^|\s)(https?|ftp)://", ins.value)
    )


# --------------------------------------------------------------------------- helpers


def _words(text: str) -> list[str]:
    """Shell-like words of an instruction's arguments (JSON arrays too), quotes removed."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            value = json.loads(stripped)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:
        return text.split()


def _flags_and_args(text: str) -> tuple[dict[str, str], list[str]]:
    """`--from=build --chown=a:b src dest` -> ({"from": "build", "chown": "a:b"}, [src, dest])."""
    flags: dict[str, str] = {}
    args: list[str] = []
    for word in _words(text):
        if not args and word.startswith("--"):
            name, _, value = word[2:].partition("=")
            flags[name.lower()] = value
        else:
            args.append(word)
    return flags, args


def _final_image_instructions(image: Dockerfile) -> Iterator[tuple[Stage, int, Instruction]]:
    """Instructions that end up in the image that runs (final stage and the stages it is
    built FROM), in build order."""
    for stage in reversed(image.final_image_stages):
        for j, ins in enumerate(stage.instructions):
            yield stage, j, ins


# --------------------------------------------------------------------------- HEALTHCHECK


@rule(
    code="CTR312",
    controls=("3.5.1.b.1",),
    severity=Severity.LOW,
    remediation="""
        Declare how to probe the service (`HEALTHCHECK CMD ...`), or `HEALTHCHECK NONE` when
        the orchestrator's own probes (Kubernetes liveness/readiness, ECS health checks)
        are the deliberate choice.
    """,
    snippets={
        "dockerfile": """
        HEALTHCHECK --interval=30s --timeout=3s --retries=3 \\
            CMD ["/app/healthcheck"]
    """
    },
)
def image_declares_healthcheck(image: Dockerfile) -> Verdict:
    """Container images declare a health check.

    Why: without a health check, a hung or compromised process keeps receiving traffic
    on runtimes that rely on the image's own HEALTHCHECK (Docker, Swarm, ECS when not
    overridden). `HEALTHCHECK NONE` documents that the orchestrator's probes are used instead.
    """
    stage = image.final_stage
    if stage is None:
        return not_applicable("no stage")
    for item in image.lineage(stage):
        checks = item.of("HEALTHCHECK")
        if checks:
            last = checks[-1].value.strip()
            if last.upper() == "NONE":
                return passed("health checking explicitly left to the orchestrator")
            return passed("declares a HEALTHCHECK")
    return failed("the final image declares no HEALTHCHECK", at=f"stages[{stage.index}].from")


# --------------------------------------------------------------------------- curl | sh

_FETCHERS = frozenset({"curl", "wget", "fetch", "iwr", "invoke-webrequest", "irm"})
_INTERPRETERS = re.compile(
    r"^(?:sh|bash|zsh|dash|ash|ksh|fish|python[0-9.]*|perl|ruby|node|php|pwsh|powershell|iex"
    r"|invoke-expression)$",
    re.IGNORECASE,
)
_SUBSHELL_FETCH = re.compile(
    r"(?:\b(?:sh|bash|zsh|dash|ash|ksh)\s+(?:-\w+\s+)*(?:-c\s+)?[\"']?\$\(|(?:\b(?:sh|bash|zsh|source)"
    r"|(?:^|\s)\.)\s+<\()\s*(?:curl|wget)\b",
    re.IGNORECASE,
)
_COMMAND_SPLIT = re.compile(r"&&|\|\||;|\n")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_WRAPPERS = frozenset({"sudo", "env", "exec", "time", "nohup", "command"})


def _first_program(segment: str) -> str | None:
    for word in _words(segment):
        if word.startswith("-") or _ASSIGNMENT.match(word):
            continue  # sudo/env options and VAR=value assignments
        name = word.rsplit("/", 1)[-1].lower()
        if name in _WRAPPERS:
            continue
        return name
    return None


def pipes_download_to_shell(command: str) -> bool:
    """True when a shell command runs a downloaded script without checking it:
    `curl ... | sh`, `wget -O- ... | python3 -`, `bash -c "$(curl ...)"`, `bash <(curl ...)`."""
    if _SUBSHELL_FETCH.search(command):
        return True
    for part in _COMMAND_SPLIT.split(command):
        segments = part.split("|")
        fetched = False
        for segment in segments:
            program = _first_program(segment)
            if program is None:
                continue
            if fetched and _INTERPRETERS.match(program):
                return True
            if program in _FETCHERS:
                fetched = True
    return False


@rule(
    code="CTR313",
    controls=("3.5.1.a.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Download the installer to a file, verify its checksum or signature, then run it;
        better, install a pinned package from a verified repository.
    """,
    snippets={
        "dockerfile": """
        ARG INSTALLER_SHA256=<expected sha256>
        RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\
            && echo "${INSTALLER_SHA256}  /tmp/install.sh" | sha256sum -c - \\
            && sh /tmp/install.sh && rm /tmp/install.sh
    """
    },
)
def image_does_not_pipe_downloads_to_shell(image: Dockerfile) -> Iterator[Verdict]:
    """Dockerfiles do not pipe downloaded scripts into a shell.

    Why: `curl ... | sh` runs whatever the server (or anyone on the path) returns at build
    time, with the build's privileges, and leaves nothing to verify afterwards: the image's
    integrity depends on a URL nobody pinned.
    """
    problems = (
        failed(
            f"line {ins.line} pipes a downloaded script into an interpreter",
            at=f"stages[{i}].instructions[{j}]",
            subject=f"line {ins.line}",
        )
        for i, stage in enumerate(image.stages)
        for j, ins in enumerate(stage.instructions)
        if ins.keyword == "RUN" and pipes_download_to_shell(ins.value)
    )
    return or_passed(problems, "no downloaded script piped into a shell")


# --------------------------------------------------------------------------- chmod 777

_OCTAL = re.compile(r"^[0-7]{3,4}$")
_SYMBOLIC = re.compile(r"^([ugoa]*)([+=])([rwxXst]*)$")


def world_writable_mode(mode: str) -> bool:
    """True when a chmod mode makes files writable by every user (not sticky directories)."""
    if _OCTAL.match(mode):
        others = int(mode[-1])
        sticky = len(mode) == 4 and int(mode[0]) & 1
        return bool(others & 2) and not sticky
    for clause in mode.split(","):
        match = _SYMBOLIC.match(clause)
        if match is None:
            continue
        who, _, perms = match.groups()
        if "w" in perms and ("o" in who or "a" in who) and "t" not in perms:
            return True
    return False


def _chmod_modes(command: str) -> Iterator[str]:
    for part in _COMMAND_SPLIT.split(command):
        for segment in part.split("|"):
            words = _words(segment)
            for k, word in enumerate(words):
                if word.rsplit("/", 1)[-1] != "chmod":
                    continue
                rest = [w for w in words[k + 1 :] if not w.startswith("-") or _OCTAL.match(w)]
                if rest:
                    yield rest[0]
                break


@rule(
    code="CTR314",
    controls=("3.1.2.b.1",),
    severity=Severity.LOW,
    remediation="""
        Give files to the user that needs them (`COPY --chown=10001:10001`, `chown`) with
        modes such as 0644/0755; use 1777 (sticky) only for shared temporary directories.
    """,
    snippets={
        "dockerfile": """
        COPY --chown=10001:10001 --chmod=0755 entrypoint.sh /app/entrypoint.sh
    """
    },
)
def image_sets_no_world_writable_permissions(image: Dockerfile) -> Iterator[Verdict]:
    """Images make no file world-writable.

    Why: a world-writable file or directory (`chmod 777`) in the running image lets any
    process, whatever its user, replace binaries or configuration the application trusts;
    hardened baselines (CIS) forbid it. Sticky directories such as `/tmp` (1777) pass.
    """

    def problems() -> Iterator[Verdict]:
        for stage, j, ins in _final_image_instructions(image):
            at = f"stages[{stage.index}].instructions[{j}]"
            modes: list[str] = []
            if ins.keyword == "RUN":
                modes = [m for m in _chmod_modes(ins.value) if world_writable_mode(m)]
            elif ins.keyword in ("COPY", "ADD"):
                flags, _ = _flags_and_args(ins.value)
                mode = flags.get("chmod")
                if mode and world_writable_mode(mode):
                    modes = [mode]
            if modes:
                yield failed(
                    f"line {ins.line} makes files world-writable (mode {modes[0]})",
                    at=at,
                    subject=f"line {ins.line}",
                )

    return or_passed(problems(), "no world-writable file in the image")


# --------------------------------------------------------------------------- minimal base

_MINIMAL_WORDS = re.compile(
    r"(?:^|[-_./:])(alpine|slim|distroless|chiseled|minimal|micro|busybox|scratch|wolfi"
    r"|minideb)(?=$|[-_./:0-9])",
    re.IGNORECASE,
)
_MINIMAL_REGISTRIES = ("cgr.dev",)  # Chainguard: minimal, hardened images only


def minimal_base(reference: str, allowlist: tuple[str, ...] = ()) -> bool:
    """True when `reference` is an approved minimal base image.

    With an allowlist, only its glob patterns count (matched against the reference with
    and without tag/digest, and against its normalised `registry/repository` name);
    without one, tutela's built-in minimal families do.
    """
    if reference.lower() == "scratch":
        return True
    ref = ImageRef.parse(reference)
    if allowlist:
        bare = reference.split("@", 1)[0]
        candidates = {reference, bare, image_name(reference), ref.name}
        return any(fnmatchcase(c, p) for c in candidates for p in allowlist)
    if ref.registry in _MINIMAL_REGISTRIES:
        return True
    return bool(_MINIMAL_WORDS.search(f"{ref.repository}:{ref.tag or ''}"))


@rule(
    code="CTR315",
    controls=("3.5.1.a.2", "3.1.2.b.1"),
    severity=Severity.LOW,
    remediation="""
        Build in a full image, then copy the result into a minimal runtime base: distroless,
        Chainguard, Alpine, a `-slim` variant, Ubuntu chiseled, UBI minimal/micro or scratch.
        An organisation can list its approved bases in the `minimal_base_images` setting.
    """,
    snippets={
        "dockerfile": """
        FROM golang:1.23-bookworm AS build
        RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

        FROM gcr.io/distroless/static-debian12:nonroot
        COPY --from=build /out/app /app
        ENTRYPOINT ["/app"]
    """
    },
)
def image_uses_minimal_base(image: Dockerfile, settings: Settings) -> Verdict:
    """The image that runs is built on a minimal base image.

    Why: every package in the base (shells, compilers, package managers) is attack surface
    and a source of vulnerabilities to patch; minimal bases carry only what the
    application needs. Build stages may use full images: only the final stage's base is
    judged.
    """
    stage = image.final_stage
    if stage is None:
        return not_applicable("no stage")
    root = image.lineage(stage)[-1]
    base = root.base_image
    at = f"stages[{root.index}].from"
    if "$" in base:
        return unknown(f"the base image is chosen by a build argument: {base}", at=at)
    if minimal_base(base, settings.minimal_base_images):
        return passed(f"runs on {base}")
    what = "an approved" if settings.minimal_base_images else "a minimal"
    return failed(f"the final image is built on {base}, not {what} base image", at=at)
