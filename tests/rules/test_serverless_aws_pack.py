"""FN004-FN008, API001-API005 on the model."""

from __future__ import annotations

import pytest
from tests.rules._aws_pack import FAIL, NA, NE, PASS, U, make, outcomes

from tutela.model.aws import (
    ApiGatewayMethod,
    ApiGatewayStage,
    LambdaCodeSigningConfig,
    LambdaFunction,
    LambdaFunctionUrl,
    LambdaPermission,
)
from tutela.model.base import Resource
from tutela.rules.api import Rule, Status
from tutela.rules.serverless import aws_pack as pack

CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("python3.12", pack.function_runtime_is_supported, make(LambdaFunction, runtime="python3.12"),
     {PASS}),
    ("python3.7", pack.function_runtime_is_supported, make(LambdaFunction, runtime="python3.7"),
     {FAIL}),
    ("go1.x", pack.function_runtime_is_supported, make(LambdaFunction, runtime="go1.x"), {FAIL}),
    ("image", pack.function_runtime_is_supported, make(LambdaFunction, runtime=None), {NA}),
    ("runtime unknown", pack.function_runtime_is_supported, make(LambdaFunction, runtime=U),
     {NE}),
    ("signed", pack.function_uses_code_signing,
     make(LambdaFunction, code_signing_config="arn:aws:lambda:us-east-1:1:code-signing-config:c"),
     {PASS}),
    ("unsigned", pack.function_uses_code_signing, make(LambdaFunction), {FAIL}),
    ("image unsigned", pack.function_uses_code_signing,
     make(LambdaFunction, package_type="Image"), {NA}),
    ("enforce", pack.code_signing_is_enforced, make(LambdaCodeSigningConfig, enforce="Enforce"),
     {PASS}),
    ("warn", pack.code_signing_is_enforced, make(LambdaCodeSigningConfig), {FAIL}),
    ("mode unknown", pack.code_signing_is_enforced, make(LambdaCodeSigningConfig, enforce=U),
     {NE}),
    ("anyone", pack.function_invocation_is_scoped, make(LambdaPermission, principal="*"),
     {FAIL}),
    ("anyone in org", pack.function_invocation_is_scoped,
     make(LambdaPermission, principal="*", principal_org_id="o-abc"), {PASS}),
    ("s3 unscoped", pack.function_invocation_is_scoped,
     make(LambdaPermission, principal="s3.amazonaws.com"), {FAIL}),
    ("s3 scoped", pack.function_invocation_is_scoped,
     make(LambdaPermission, principal="s3.amazonaws.com", source_account="111122223333"),
     {PASS}),
    ("account", pack.function_invocation_is_scoped,
     make(LambdaPermission, principal="111122223333"), {PASS}),
    ("url permission", pack.function_invocation_is_scoped,
     make(LambdaPermission, principal="*", function_url_auth_type="NONE"), {NA}),
    ("principal unknown", pack.function_invocation_is_scoped,
     make(LambdaPermission, principal=U), {NE}),
    ("url iam", pack.function_url_requires_authentication,
     make(LambdaFunctionUrl, authorization_type="AWS_IAM"), {PASS}),
    ("url none", pack.function_url_requires_authentication,
     make(LambdaFunctionUrl, authorization_type="NONE"), {FAIL}),
    ("method iam", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="GET", authorization_type="AWS_IAM"), {PASS}),
    ("method none", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="GET"), {FAIL}),
    ("method api key only", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="POST", api_key_required=True), {FAIL}),
    ("public by tag", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="GET", api_public_by_tag=True), {PASS}),
    ("options", pack.api_requires_authorization, make(ApiGatewayMethod, http_method="OPTIONS"),
     {NA}),
    ("http route options", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="OPTIONS /records", protocol="HTTP"), {NA}),
    ("websocket message", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="sendMessage", protocol="WEBSOCKET"), {NA}),
    ("websocket connect", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="$connect", protocol="WEBSOCKET"), {FAIL}),
    ("protocol unknown", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="GET", protocol=U), {NE}),
    ("auth unknown", pack.api_requires_authorization,
     make(ApiGatewayMethod, http_method="GET", authorization_type=U), {NE}),
    ("access logs", pack.api_stage_access_logging, make(ApiGatewayStage, access_logging=True),
     {PASS}),
    ("no access logs", pack.api_stage_access_logging, make(ApiGatewayStage), {FAIL}),
    ("throttled", pack.api_stage_throttled, make(ApiGatewayStage, throttling_configured=True),
     {PASS}),
    ("unthrottled", pack.api_stage_throttled, make(ApiGatewayStage), {FAIL}),
    ("throttle unknown", pack.api_stage_throttled, make(ApiGatewayStage, throttling_configured=U),
     {NE}),
    ("traced", pack.api_stage_tracing, make(ApiGatewayStage, tracing=True), {PASS}),
    ("untraced", pack.api_stage_tracing, make(ApiGatewayStage), {FAIL}),
    ("http untraced", pack.api_stage_tracing, make(ApiGatewayStage, protocol="HTTP"), {NA}),
    ("waf", pack.api_stage_protected_by_waf,
     make(ApiGatewayStage, web_acl="arn:aws:wafv2:us-east-1:1:regional/webacl/a/1"), {PASS}),
    ("no waf", pack.api_stage_protected_by_waf, make(ApiGatewayStage), {FAIL}),
    ("http no waf", pack.api_stage_protected_by_waf, make(ApiGatewayStage, protocol="HTTP"),
     {NA}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected
