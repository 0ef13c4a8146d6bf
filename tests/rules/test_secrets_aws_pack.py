"""SEC004-SEC008 on the model: rotation, stack parameters, literal credentials."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from tests.rules._aws_pack import FAIL, NE, PASS, U, make, outcomes

from tutela.model.aws import (
    AwsProvider,
    CodeBuildProject,
    DatabaseInstance,
    ElastiCacheReplicationGroup,
    S3Bucket,
    SecretsManagerSecret,
    SsmParameter,
    StackParameter,
)
from tutela.model.base import Resource
from tutela.rules.api import Rule, Status
from tutela.rules.secrets import aws_pack as pack

CFN = "AWS::CloudFormation::Parameter"


def param(name: str, **f: object) -> StackParameter:
    return StackParameter(address=f"Parameters.{name}", native_type=CFN,
                          source="cloudformation", parameter_name=name, **f)  # type: ignore[arg-type]


def tf_param(name: str, value: object) -> StackParameter:
    return StackParameter(address=f"aws_cloudformation_stack.s/parameters.{name}",
                          native_type="aws_cloudformation_stack", source="terraform",
                          parameter_name=name, value=value)  # type: ignore[arg-type]


CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("rotates 30", pack.secret_rotates_automatically,
     make(SecretsManagerSecret, rotation_enabled=True, rotation_days=30), {PASS}),
    ("no rotation", pack.secret_rotates_automatically, make(SecretsManagerSecret), {FAIL}),
    ("rotates 180", pack.secret_rotates_automatically,
     make(SecretsManagerSecret, rotation_enabled=True, rotation_days=180), {FAIL}),
    ("rotation unknown", pack.secret_rotates_automatically,
     make(SecretsManagerSecret, rotation_enabled=U), {NE}),
    ("interval unknown", pack.secret_rotates_automatically,
     make(SecretsManagerSecret, rotation_enabled=True, rotation_days=U), {NE}),
    ("noecho", pack.stack_secret_parameters_protected, param("DbPassword", no_echo=True),
     {PASS}),
    ("echoed", pack.stack_secret_parameters_protected, param("DbPassword"), {FAIL}),
    ("noecho with default", pack.stack_secret_parameters_protected,
     param("ApiToken", no_echo=True, default="tok-9f8e7d6c5b4a"), {FAIL}),
    ("placeholder default", pack.stack_secret_parameters_protected,
     param("ApiToken", no_echo=True, default="changeme"), {PASS}),
    ("ssm type", pack.stack_secret_parameters_protected,
     param("DbPassword", parameter_type="AWS::SSM::Parameter::Value<String>"), {PASS}),
    ("not a secret", pack.stack_secret_parameters_protected, param("Environment"), set()),
    ("arn named secret", pack.stack_secret_parameters_protected, param("DatabaseSecretArn"),
     set()),
    ("tf literal", pack.stack_secret_parameters_protected,
     tf_param("DbPassword", "Winter2024!Reporting"), {FAIL}),
    ("tf unknown", pack.stack_secret_parameters_protected, tf_param("DbPassword", U), {PASS}),
    ("db literal", pack.no_plaintext_credentials_in_code,
     make(DatabaseInstance, master_password="Summer2024!Billing"), {FAIL}),
    ("db resolve", pack.no_plaintext_credentials_in_code,
     make(DatabaseInstance, master_password="{{resolve:secretsmanager:db:SecretString:pw}}"),
     {PASS}),
    ("db unknown", pack.no_plaintext_credentials_in_code,
     make(DatabaseInstance, master_password=U), {PASS}),
    ("provider keys", pack.no_plaintext_credentials_in_code,
     make(AwsProvider, access_key="AKIAZ3MSJV4WQ7EXAMPL", secret_key="q8Jf2kLmN4pR7sT1vW3x"),
     {FAIL}),
    ("provider profile", pack.no_plaintext_credentials_in_code, make(AwsProvider), {PASS}),
    ("cache token", pack.no_plaintext_credentials_in_code,
     make(ElastiCacheReplicationGroup, auth_token="r3d1s-auth-t0ken-value"), {FAIL}),
    ("other type", pack.no_plaintext_credentials_in_code, make(S3Bucket), set()),
    ("build secret", pack.build_environment_has_no_plaintext_secrets,
     make(CodeBuildProject, plaintext_env=MappingProxyType({"NPM_TOKEN": "npm_9f8e7d6c5b4a3210"})),
     {FAIL}),
    ("build clean", pack.build_environment_has_no_plaintext_secrets,
     make(CodeBuildProject, plaintext_env=MappingProxyType({"NODE_ENV": "production"})), {PASS}),
    ("build unknown", pack.build_environment_has_no_plaintext_secrets,
     make(CodeBuildProject, plaintext_env=U), {NE}),
    ("ssm string secret", pack.parameter_store_secrets_are_encrypted,
     make(SsmParameter, parameter_name="/app/db/password", parameter_type="String", value=U),
     {FAIL}),
    ("ssm secure", pack.parameter_store_secrets_are_encrypted,
     make(SsmParameter, parameter_name="/app/db/password", parameter_type="SecureString",
          value=U), {PASS}),
    ("ssm secure literal", pack.parameter_store_secrets_are_encrypted,
     make(SsmParameter, parameter_name="/app/api_key", parameter_type="SecureString",
          value="k-7f6e5d4c3b2a"), {FAIL}),
    ("ssm arn", pack.parameter_store_secrets_are_encrypted,
     make(SsmParameter, parameter_name="/app/db/password", parameter_type="String",
          value="arn:aws:secretsmanager:us-east-1:1:secret:db"), {PASS}),
    ("ssm type unknown", pack.parameter_store_secrets_are_encrypted,
     make(SsmParameter, parameter_name="/app/token", parameter_type=U), {NE}),
    ("ssm not secret", pack.parameter_store_secrets_are_encrypted,
     make(SsmParameter, parameter_name="/app/db/host", parameter_type="String"), set()),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def test_findings_mask_the_secret() -> None:
    from tutela.engine.evaluate import evaluate
    from tutela.engine.ruleset import RuleSet

    found = evaluate([make(DatabaseInstance, master_password="Summer2024!Billing")],
                     RuleSet.of([pack.no_plaintext_credentials_in_code]))
    assert found and all("Summer2024" not in f.message for f in found)
