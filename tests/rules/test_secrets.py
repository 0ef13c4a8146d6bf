"""SEC001-SEC003 on the model: plaintext secrets in function env, Dockerfiles, container env.

Besides pass/fail, every finding's message is checked never to carry the secret itself.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import LambdaFunction
from tutela.model.base import Resource
from tutela.model.container import Dockerfile, Instruction, Stage
from tutela.model.kubernetes import Container, EnvVar, PodSpec, Workload
from tutela.model.values import Reference, Unknown
from tutela.rules import default_rules
from tutela.rules.api import Rule, Status
from tutela.rules.secrets.detect import mask, secret_in

secrets = SimpleNamespace(**{r.name: r for r in default_rules()})

SEC001 = secrets.function_environment_has_no_plaintext_secrets
SEC002 = secrets.dockerfile_has_no_secrets
SEC003 = secrets.container_env_has_no_plaintext_secrets

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED

# Made-up credentials of the shapes the rules recognise (none is real).
DB_PASSWORD = "Wint3r-is-c0ming-2024!"
ACCESS_KEY_ID = "AKIA" + "Q3EXAMPLE7ZK4M2P"
GITHUB_TOKEN = "ghp_" + "x7Kq2Lm9Pz4Rt8Vw1Ny5Bc3Dg6Hj0Fs2Ea9"
DSN = "postgres://claims_app:Pr0d-Passw0rd-99@db.internal:5432/claims"
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzq9+Xg4s2Mv\n"


def findings(rule: Rule, resource: Resource) -> list[Any]:
    return evaluate([resource], RuleSet.of([rule]))


def outcomes(rule: Rule, resource: Resource) -> set[Status]:
    return {f.status for f in findings(rule, resource)}


# --- factories ------------------------------------------------------------------------------


def function(env: Any) -> LambdaFunction:
    return LambdaFunction(
        address="aws_lambda_function.claims",
        native_type="aws_lambda_function",
        source="terraform",
        environment=env,
    )


def dockerfile(*lines: str, global_args: tuple[str, ...] = ()) -> Dockerfile:
    instructions = []
    for n, line in enumerate(lines, start=2):
        keyword, _, value = line.partition(" ")
        instructions.append(Instruction(keyword, value, n, n, line))
    args = tuple(Instruction("ARG", a, 1, 1, f"ARG {a}") for a in global_args)
    stage = Stage(0, None, "python:3.12-slim", tuple(instructions))
    return Dockerfile(
        address="Dockerfile",
        native_type="Dockerfile",
        source="dockerfile",
        stages=(stage,),
        global_args=args,
    )


def workload(*env: EnvVar, init: tuple[EnvVar, ...] = ()) -> Workload:
    path = "spec.template.spec"
    app = Container(
        "api", "registry.example.com/claims-api:1.4.2", f"{path}.containers[0]", env=env
    )
    inits = (
        (
            Container(
                "migrate",
                "registry.example.com/claims-migrate:1.4.2",
                f"{path}.initContainers[0]",
                is_init=True,
                env=init,
            ),
        )
        if init
        else ()
    )
    return Workload(
        address="Deployment/claims/api",
        native_type="Deployment",
        source="kubernetes",
        workload_kind="Deployment",
        namespace="claims",
        pod=PodSpec(containers=(app,), init_containers=inits, path=path),
    )


# --- cases ----------------------------------------------------------------------------------

CASES = [
    # SEC001
    ("SEC001", "password-literal", function({"DB_PASSWORD": DB_PASSWORD}), {FAIL}),
    ("SEC001", "access-key-by-shape", function({"UPSTREAM": ACCESS_KEY_ID}), {FAIL}),
    ("SEC001", "dsn-with-password", function({"DATABASE_URL": DSN}), {FAIL}),
    (
        "SEC001",
        "secret-arn",
        function(
            {
                "DB_PASSWORD_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333"
                ":secret:claims/db-AbCdEf"
            }
        ),
        {PASS},
    ),
    (
        "SEC001",
        "ssm-resolve",
        function({"API_TOKEN": "{{resolve:ssm-secure:/claims/token:1}}"}),
        {PASS},
    ),
    (
        "SEC001",
        "reference",
        function({"DB_PASSWORD": Reference("random_password.db", "result")}),
        {PASS},
    ),
    ("SEC001", "placeholder", function({"API_KEY": "changeme"}), {PASS}),
    ("SEC001", "not-secret-names", function({"LOG_LEVEL": "info", "TOKEN_TTL": "3600"}), {PASS}),
    ("SEC001", "no-environment", function(None), {PASS}),
    ("SEC001", "environment-unknown", function(Unknown("var.environment")), {NE}),
    # a value supplied from outside the code (an input variable) is not a literal in it
    ("SEC001", "value-from-input", function({"DB_PASSWORD": Unknown("var.db_password")}), {PASS}),
    # SEC002 (Dockerfiles hold text only: no Unknown input exists)
    ("SEC002", "env-token", dockerfile(f"ENV GITHUB_TOKEN={GITHUB_TOKEN}"), {FAIL}),
    ("SEC002", "env-legacy-form", dockerfile(f"ENV DB_PASSWORD {DB_PASSWORD}"), {FAIL}),
    ("SEC002", "arg-default-password", dockerfile(f"ARG DB_PASSWORD={DB_PASSWORD}"), {FAIL}),
    (
        "SEC002",
        "global-arg-key",
        dockerfile("RUN true", global_args=(f"AWS_KEY={ACCESS_KEY_ID}",)),
        {FAIL},
    ),
    ("SEC002", "arg-without-default", dockerfile("ARG NPM_TOKEN"), {PASS}),
    ("SEC002", "env-from-arg", dockerfile("ARG NPM_TOKEN", "ENV NPM_TOKEN=${NPM_TOKEN}"), {PASS}),
    (
        "SEC002",
        "env-secret-file",
        dockerfile("ENV DB_PASSWORD_FILE=/run/secrets/db_password"),
        {PASS},
    ),
    ("SEC002", "plain-env", dockerfile("ENV PYTHONUNBUFFERED=1 APP_PORT=8080"), {PASS}),
    # SEC003
    ("SEC003", "password-literal", workload(EnvVar("DB_PASSWORD", DB_PASSWORD)), {FAIL}),
    ("SEC003", "init-container-dsn", workload(init=(EnvVar("DATABASE_URL", DSN),)), {FAIL}),
    ("SEC003", "secret-key-ref", workload(EnvVar("DB_PASSWORD", from_secret=True)), {PASS}),
    (
        "SEC003",
        "config-map-ref",
        workload(EnvVar("API_TOKEN_PATH", from_source="configMapKeyRef")),
        {PASS},
    ),
    ("SEC003", "plain-values", workload(EnvVar("LOG_LEVEL", "info")), {PASS}),
    (
        "SEC003",
        "value-from-input",
        workload(EnvVar("DB_PASSWORD", Unknown("{{ .Values.pw }}"))),
        {PASS},
    ),
]

RULES = {r.code: r for r in (SEC001, SEC002, SEC003)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_secret_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


# --- the hint never reveals the secret ------------------------------------------------------

LEAKS = [
    ("SEC001", function({"DB_PASSWORD": DB_PASSWORD}), DB_PASSWORD),
    ("SEC001", function({"UPSTREAM": ACCESS_KEY_ID}), ACCESS_KEY_ID),
    ("SEC001", function({"DATABASE_URL": DSN}), "Pr0d-Passw0rd-99"),
    ("SEC001", function({"SIGNING_KEY": PRIVATE_KEY}), "MIIEowIBAAKCAQEAzq9"),
    ("SEC002", dockerfile(f"ENV GITHUB_TOKEN={GITHUB_TOKEN}"), GITHUB_TOKEN),
    ("SEC002", dockerfile(f"ARG DB_PASSWORD={DB_PASSWORD}"), DB_PASSWORD),
    ("SEC003", workload(EnvVar("DB_PASSWORD", DB_PASSWORD)), DB_PASSWORD),
    ("SEC003", workload(EnvVar("DATABASE_URL", DSN)), "Pr0d-Passw0rd-99"),
]


@pytest.mark.parametrize(
    ("code", "resource", "secret"),
    [pytest.param(code, res, sec, id=f"{code}-{i}") for i, (code, res, sec) in enumerate(LEAKS)],
)
def test_finding_never_contains_the_secret(code: str, resource: Resource, secret: str) -> None:
    failures = [f for f in findings(RULES[code], resource) if f.status is FAIL]
    assert failures
    for f in failures:
        text = " ".join(str(x) for x in (f.message, f.subject, f.title))
        assert secret not in text
        assert secret[2:10] not in text  # not even a recognisable part past the 2-char hint


@pytest.mark.parametrize("secret", [DB_PASSWORD, ACCESS_KEY_ID, GITHUB_TOKEN, DSN, "abcd", "a"])
def test_mask_reveals_no_three_consecutive_characters(secret: str) -> None:
    hint = re.sub(r" \(\d+ chars\)$", "", mask(secret))
    assert not any(secret[i : i + 3] in hint for i in range(len(secret) - 2))
    assert len(hint.strip("*")) <= 2


def test_secret_in_names_the_variable_not_the_value() -> None:
    why = secret_in("DB_PASSWORD", DB_PASSWORD)
    assert why is not None
    assert "DB_PASSWORD" in why
    assert DB_PASSWORD not in why
