"""FN001-FN003 on the model: function timeouts, tracing and environment encryption."""

from __future__ import annotations

from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import LambdaFunction
from tutela.model.base import Resource
from tutela.model.values import Reference, Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.serverless import aws as serverless
from tutela.rules.settings import DEFAULT_SETTINGS, Settings

FN001 = serverless.function_timeout_is_bounded
FN002 = serverless.function_tracing_enabled
FN003 = serverless.function_environment_encrypted_with_cmk

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
ENV = {"CLAIMS_TABLE": "claims", "LOG_LEVEL": "info"}
LAMBDA_KEY = Reference("aws_kms_key.lambda", "arn")


def outcomes(rule: Rule, resource: Resource, settings: Settings = DEFAULT_SETTINGS) -> set[Status]:
    return {f.status for f in evaluate([resource], RuleSet.of([rule]), settings=settings)}


def function(**fields: Any) -> LambdaFunction:
    return LambdaFunction(address="aws_lambda_function.claims", native_type="aws_lambda_function",
                          source="terraform", **fields)


CASES = [
    # FN001
    ("FN001", "platform-maximum", function(timeout_seconds=900), {FAIL}),
    ("FN001", "thirty-seconds", function(timeout_seconds=30), {PASS}),
    ("FN001", "aws-default", function(), {PASS}),
    ("FN001", "unset", function(timeout_seconds=None), {PASS}),
    ("FN001", "unknown", function(timeout_seconds=Unknown("var.timeout")), {NE}),
    # FN002
    ("FN002", "active", function(tracing_mode="Active"), {PASS}),
    ("FN002", "pass-through", function(tracing_mode="PassThrough"), {FAIL}),
    ("FN002", "not-set", function(), {FAIL}),
    ("FN002", "unknown", function(tracing_mode=Unknown("var.tracing")), {NE}),
    # FN003
    ("FN003", "env-with-cmk", function(environment=ENV, env_kms_key=LAMBDA_KEY), {PASS}),
    ("FN003", "env-with-key-arn",
     function(environment=ENV,
              env_kms_key="arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-1234"),
     {PASS}),
    ("FN003", "env-aws-managed", function(environment=ENV), {FAIL}),
    ("FN003", "no-env", function(), {NA}),
    ("FN003", "empty-env", function(environment={}), {NA}),
    ("FN003", "env-unknown-no-key", function(environment=Unknown("var.environment")), {NE}),
    ("FN003", "key-unknown", function(environment=ENV, env_kms_key=Unknown("var.kms")), {NE}),
]

RULES = {r.code: r for r in (FN001, FN002, FN003)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_serverless_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [pytest.param(59, {PASS}, id="below"), pytest.param(60, {FAIL}, id="at"),
     pytest.param(300, {FAIL}, id="above")],
)
def test_fn001_maximum_comes_from_settings(timeout: int, expected: set[Status]) -> None:
    strict = Settings(function_timeout_max_seconds=60)
    assert outcomes(FN001, function(timeout_seconds=timeout), strict) == expected

