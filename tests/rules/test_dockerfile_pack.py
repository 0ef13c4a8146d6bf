"""The Dockerfile rule pack (CTR312-CTR315, SEC302, and CTR001's stage lineage), on
Dockerfiles read by the real parser: each case is the few lines it is about."""

from __future__ import annotations

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.container import Dockerfile
from tutela.rules import default_rules
from tutela.rules.api import Status
from tutela.rules.containers.dockerfile import (
    minimal_base,
    pipes_download_to_shell,
    world_writable_mode,
)
from tutela.rules.secrets.dockerfile import secret_file
from tutela.rules.settings import DEFAULT_SETTINGS, Settings
from tutela.sources.dockerfile import parse_dockerfile_text

RULES = {r.code: r for r in default_rules()}
PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED


def dockerfile(text: str) -> Dockerfile:
    resources, errors = parse_dockerfile_text(text, "Dockerfile")
    assert errors == []
    (image,) = resources
    assert isinstance(image, Dockerfile)
    return image


def outcomes(code: str, text: str, settings: Settings = DEFAULT_SETTINGS) -> list[Status]:
    found = evaluate([dockerfile(text)], RuleSet.of([RULES[code]]), settings=settings)
    return [f.status for f in found]


# --- CTR001 follows the stages the final one is built on ------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM alpine:3.20 AS base\nUSER 10001\nFROM base\nCMD [\"app\"]\n", [PASS],
                     id="inherits-user-from-stage"),
        pytest.param("FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n", [PASS],
                     id="distroless-nonroot-base"),
        pytest.param("FROM gcr.io/distroless/static-debian12:debug-nonroot@sha256:ab\n", [PASS],
                     id="distroless-debug-nonroot-pinned"),
        pytest.param("FROM gcr.io/distroless/static-debian12\nCOPY app /app\n", [FAIL],
                     id="distroless-root-tag"),
        pytest.param("FROM alpine:3.20 AS base\nUSER app\nFROM base\nUSER root\n", [FAIL],
                     id="final-switches-back-to-root"),
        pytest.param("FROM alpine:3.20\nARG UID\nUSER ${UID}\n", [NE], id="user-from-argument"),
    ],
)
def test_non_root_user_follows_lineage(text: str, expected: list[Status]) -> None:
    assert outcomes("CTR001", text) == expected


# --- CTR312 HEALTHCHECK ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM alpine:3.20\nHEALTHCHECK CMD [\"/app\", \"health\"]\n", [PASS],
                     id="declared"),
        pytest.param("FROM alpine:3.20\nHEALTHCHECK NONE\n", [PASS], id="explicitly-none"),
        pytest.param("FROM alpine:3.20\nCMD [\"app\"]\n", [FAIL], id="missing"),
        pytest.param("FROM alpine:3.20 AS base\nHEALTHCHECK CMD true\nFROM base\n", [PASS],
                     id="inherited-from-stage"),
        pytest.param("FROM alpine:3.20 AS build\nHEALTHCHECK CMD true\nFROM scratch\n", [FAIL],
                     id="only-in-discarded-stage"),
    ],
)
def test_healthcheck(text: str, expected: list[Status]) -> None:
    assert outcomes("CTR312", text) == expected


# --- CTR313 curl | sh --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "piped"),
    [
        ("curl -fsSL https://get.example.com | sh", True),
        ("curl -fsSL https://get.example.com | sudo -E bash -", True),
        ("wget -qO- https://bootstrap.pypa.io/get-pip.py | python3 -", True),
        ("curl -sSf https://sh.rustup.rs | RUSTUP_INIT_SKIP_PATH_CHECK=yes sh -s -- -y", True),
        ('bash -c "$(curl -fsSL https://raw.example.com/install.sh)"', True),
        ("bash <(curl -s https://example.com/install.sh)", True),
        ("apt-get update && curl -fsSL https://x | bash && rm -rf /var/lib/apt/lists/*", True),
        ("curl -fsSLo /tmp/i.sh https://x && echo \"$SUM  /tmp/i.sh\" | sha256sum -c - "
         "&& sh /tmp/i.sh", False),
        ("curl -fsSL https://x/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg", False),
        ("curl -fsSL https://x/release.tar.gz | tar -xz -C /opt", False),
        ("echo 'set -e' | sh", False),
        ("curl --version || true", False),
    ],
)
def test_pipes_download_to_shell(command: str, piped: bool) -> None:
    assert pipes_download_to_shell(command) is piped


def test_piped_download_in_a_build_stage_fails_at_its_line() -> None:
    text = (
        "FROM golang:1.23 AS build\n"
        "RUN curl -sSfL https://raw.example.com/golangci/install.sh | sh -s v1.61.0\n"
        "FROM gcr.io/distroless/static-debian12:nonroot\n"
    )
    found = evaluate([dockerfile(text)], RuleSet.of([RULES["CTR313"]]))
    assert [(f.status, f.location.start_line if f.location else None) for f in found] == [
        (FAIL, 2)
    ]


# --- CTR314 world-writable files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "world_writable"),
    [
        ("777", True), ("0777", True), ("666", True), ("0757", True), ("a+rwx", True),
        ("o+w", True), ("u+rwx,o+w", True), ("a=rwx", True),
        ("1777", False), ("755", False), ("0644", False), ("2775", False), ("+w", False),
        ("g+w", False), ("u+x", False), ("o-w", False),
    ],
)
def test_world_writable_modes(mode: str, world_writable: bool) -> None:
    assert world_writable_mode(mode) is world_writable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM alpine:3.20\nRUN mkdir /data && chmod -R 777 /data\n", [FAIL],
                     id="chmod-777"),
        pytest.param("FROM alpine:3.20\nRUN chmod 1777 /tmp/cache && chmod 0755 /app\n",
                     [PASS], id="sticky-and-normal"),
        pytest.param("FROM alpine:3.20\nCOPY --chmod=777 entry.sh /entry.sh\n", [FAIL],
                     id="copy-chmod"),
        pytest.param("FROM alpine:3.20 AS build\nRUN chmod 777 gradlew\nFROM alpine:3.20\n",
                     [PASS], id="only-in-discarded-stage"),
        pytest.param("FROM alpine:3.20 AS base\nRUN chmod o+w /srv\nFROM base\n", [FAIL],
                     id="in-parent-stage"),
    ],
)
def test_world_writable_files(text: str, expected: list[Status]) -> None:
    assert outcomes("CTR314", text) == expected


# --- CTR315 minimal base -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "minimal"),
    [
        ("python:3.12.7-slim-bookworm", True),
        ("node:20-alpine3.20", True),
        ("alpine:3.20", True),
        ("gcr.io/distroless/java21-debian12:nonroot", True),
        ("cgr.dev/chainguard/python:latest-dev", True),
        ("mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled", True),
        ("registry.access.redhat.com/ubi9/ubi-minimal:9.4", True),
        ("registry.access.redhat.com/ubi9/ubi-micro:9.4", True),
        ("busybox:1.36", True),
        ("scratch", True),
        ("python:3.12", False),
        ("ubuntu:24.04", False),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", False),
        ("eclipse-temurin:21-jre", False),
        ("registry.access.redhat.com/ubi9/ubi:9.4", False),
    ],
)
def test_minimal_base_families(reference: str, minimal: bool) -> None:
    assert minimal_base(reference) is minimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM golang:1.23 AS build\nFROM gcr.io/distroless/static-debian12\n",
                     [PASS], id="full-build-minimal-runtime"),
        pytest.param("FROM node:20.18.0-bookworm\nCMD [\"node\"]\n", [FAIL], id="full-runtime"),
        pytest.param("FROM alpine:3.20 AS base\nFROM base AS final\n", [PASS],
                     id="through-stages"),
        pytest.param("ARG BASE\nFROM ${BASE}\n", [NE], id="base-from-argument"),
    ],
)
def test_minimal_base(text: str, expected: list[Status]) -> None:
    assert outcomes("CTR315", text) == expected


def test_minimal_base_allowlist_setting() -> None:
    approved = Settings(minimal_base_images=("registry.example.org/base/*",))
    assert outcomes("CTR315", "FROM registry.example.org/base/python:3.12\n",
                    settings=approved) == [PASS]
    # With an allowlist, only the organisation's bases count.
    assert outcomes("CTR315", "FROM alpine:3.20\n", settings=approved) == [FAIL]


# --- SEC302 secret files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("id_rsa", True), ("deploy/id_ed25519", True), ("./id_rsa.pub", False),
        (".env", True), ("config/.env.production", True), (".env.example", False),
        (".env.sample", False), ("server.key", True), ("tls/tls-key.pem", True),
        ("privkey.pem", True), ("certs/rds-global-bundle.pem", False), ("ca.pem", False),
        ("public-key.pem", False), ("nodesource.gpg.key", False), ("ca.key", True),
        (".ssh/", True), ("~/.aws/credentials", True), (".kube/config", True),
        ("secrets/credentials.json", True), ("keystore.p12", True), ("truststore.jks", False),
        (".netrc", True), (".npmrc", False), ("package.json", False), (".", False),
    ],
)
def test_secret_file_names(path: str, secret: bool) -> None:
    assert (secret_file(path) is not None) is secret


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("FROM alpine:3.20\nCOPY id_rsa /root/.ssh/id_rsa\n", [FAIL], id="ssh-key"),
        pytest.param("FROM alpine:3.20\nCOPY --chown=app:app .env package.json ./\n", [FAIL],
                     id="env-file-with-flags"),
        pytest.param('FROM alpine:3.20\nCOPY [".env", "/app/"]\n', [FAIL], id="json-form"),
        pytest.param("FROM alpine:3.20 AS build\nCOPY .netrc /root/\nFROM alpine:3.20\n",
                     [FAIL], id="build-stage-cache"),
        pytest.param("FROM alpine:3.20\nCOPY certs/ca.pem .env.example /app/\n", [PASS],
                     id="certificates-and-templates"),
        pytest.param("FROM alpine:3.20\nRUN --mount=type=ssh git clone git@x:y.git\n", [PASS],
                     id="mounted-ssh"),
        pytest.param("FROM alpine:3.20\nCOPY <<EOF /app/.env\nA=1\nEOF\n", [PASS],
                     id="heredoc-destination"),
    ],
)
def test_secret_files_copied(text: str, expected: list[Status]) -> None:
    assert outcomes("SEC302", text) == expected


def test_secret_file_finding_says_when_only_the_cache_keeps_it() -> None:
    text = "FROM alpine:3.20 AS build\nCOPY id_rsa /root/.ssh/\nFROM alpine:3.20\n"
    (found,) = evaluate([dockerfile(text)], RuleSet.of([RULES["SEC302"]]))
    assert "build cache" in found.message
    assert found.location is not None and found.location.start_line == 2
