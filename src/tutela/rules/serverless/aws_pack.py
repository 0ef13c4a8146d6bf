"""3.5.2 Serverless on AWS: supported runtimes, code signing, who may invoke functions,
and API Gateway authorization, throttling, logging, tracing and WAF."""

from __future__ import annotations

from tutela.model.aws import (
    ApiGatewayMethod,
    ApiGatewayStage,
    LambdaCodeSigningConfig,
    LambdaFunction,
    LambdaFunctionUrl,
    LambdaPermission,
)
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown

# Runtimes AWS Lambda has deprecated (no more security patches).
DEPRECATED_RUNTIMES = frozenset({
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x",
    "nodejs12.x", "nodejs14.x", "nodejs16.x",
    "python2.7", "python3.6", "python3.7", "python3.8",
    "ruby2.5", "ruby2.7",
    "java8",
    "go1.x",
    "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6",
    "dotnet7",
    "provided",
})


@rule(
    code="FN004",
    controls=("3.5.2.b.4", "3.1.2.a.4", "3.5.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Move the function to a supported runtime (e.g. `python3.12`, `nodejs20.x`,
        `java21`, `provided.al2023`) and redeploy it.
    """,
    snippets={"terraform": 'runtime = "python3.12"', "cloudformation": "Runtime: python3.12"},
)
def function_runtime_is_supported(fn: LambdaFunction) -> Verdict:
    """Functions run on a runtime AWS still patches.

    Why: deprecated runtimes get no security fixes for the language, its standard
    library or the OS underneath; ENG-POL-003 requires dependency and patch management
    for serverless functions.
    """
    runtime = fn.runtime
    if runtime is None:
        return not_applicable("no managed runtime (container image)")
    if is_unknown(runtime):
        return unknown(f"runtime not known: {runtime.reason}", at="runtime")
    if runtime.lower() in DEPRECATED_RUNTIMES:
        return failed(f"runtime {runtime} is deprecated", at="runtime")
    return passed(runtime)


@rule(
    code="FN005",
    controls=("3.4.2.b.4",),
    severity=Severity.LOW,
    remediation="""
        Sign deployment packages with AWS Signer and attach a code signing configuration
        (`code_signing_config_arn`) whose policy enforces it.
    """,
    snippets={
        "terraform": "code_signing_config_arn = aws_lambda_code_signing_config.release.arn",
        "cloudformation": "CodeSigningConfigArn: !Ref ReleaseSigning",
    },
)
def function_uses_code_signing(fn: LambdaFunction) -> Verdict:
    """Functions verify the signature of their deployment packages.

    Why: ENG-POL-003 requires integrity verification of deployment artifacts; without
    code signing, whoever can write the artifact bucket or call UpdateFunctionCode can
    run their code with the function's role. Container-image functions are not
    applicable (sign images in the registry instead).
    """
    if fn.package_type == "Image":
        return not_applicable("container image functions are verified through the registry")
    if not fn.code_signing_config:
        return failed("no code signing configuration", at="code_signing_config")
    return passed()


@rule(
    code="FN006",
    controls=("3.4.2.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Set `untrusted_artifact_on_deployment = "Enforce"` in the configuration's policies.
    """,
    snippets={
        "terraform": """
            policies {
              untrusted_artifact_on_deployment = "Enforce"
            }
        """,
        "cloudformation": """
            CodeSigningPolicies:
              UntrustedArtifactOnDeployment: Enforce
        """,
    },
)
def code_signing_is_enforced(config: LambdaCodeSigningConfig) -> Verdict:
    """Lambda code signing configurations reject unsigned code.

    Why: in `Warn` mode Lambda logs a warning and deploys the unsigned or tampered
    package anyway.
    """
    mode = config.enforce
    if is_unknown(mode):
        return unknown(f"signing policy not known: {mode.reason}", at="enforce")
    if str(mode).lower() != "enforce":
        return failed(f"untrusted artifacts are deployed ({mode})", at="enforce")
    return passed()


# Services that invoke functions on behalf of resources in any account unless the
# permission names the source (the confused-deputy problem).
_EVENT_SOURCES = frozenset({
    "s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com",
    "apigateway.amazonaws.com", "logs.amazonaws.com", "iot.amazonaws.com",
    "elasticloadbalancing.amazonaws.com", "scheduler.amazonaws.com",
    "cognito-idp.amazonaws.com", "ses.amazonaws.com", "config.amazonaws.com",
})


@rule(
    code="FN007",
    controls=("3.5.2.b.2",),
    severity=Severity.HIGH,
    remediation="""
        Name who may invoke the function: an account or role as `principal`, or, for a
        service, the source resource (`source_arn`) and account (`source_account`).
    """,
    snippets={
        "terraform": """
            resource "aws_lambda_permission" "uploads" {
              action         = "lambda:InvokeFunction"
              function_name  = aws_lambda_function.indexer.function_name
              principal      = "s3.amazonaws.com"
              source_arn     = aws_s3_bucket.uploads.arn
              source_account = data.aws_caller_identity.current.account_id
            }
        """,
        "cloudformation": """
            Principal: s3.amazonaws.com
            SourceArn: !GetAtt UploadsBucket.Arn
            SourceAccount: !Ref AWS::AccountId
        """,
    },
)
def function_invocation_is_scoped(permission: LambdaPermission) -> Verdict:
    """Function invoke permissions name the caller.

    Why: ENG-POL-003 requires that only authorized event sources can invoke functions.
    `principal = "*"` lets anyone call the function; a service principal without
    `source_arn`/`source_account` lets that service act for a bucket, topic or API in
    someone else's account. Function URL permissions are FN008's.
    """
    principal = permission.principal
    if is_unknown(principal):
        return unknown(f"principal not known: {principal.reason}", at="principal")
    if permission.function_url_auth_type is not None:
        return not_applicable("a function URL permission (FN008)")
    # A condition whose value is known only at deployment (the stack's account) still
    # restricts the caller: it is set.
    by_source = permission.source_arn is not None or permission.source_account is not None
    scoped = by_source or permission.principal_org_id is not None
    text = str(principal or "")
    if text == "*":
        if scoped:
            return passed("limited to a source or organization")
        return failed("anyone may invoke the function (principal '*')", at="principal")
    if text in _EVENT_SOURCES:
        if by_source:
            return passed("limited to its source")
        return failed(f"{text} may invoke the function for resources in any account "
                      "(no source_arn or source_account)", at="source_arn")
    return passed(f"principal {text}")


@rule(
    code="FN008",
    controls=("3.5.2.b.2", "3.5.2.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Use `authorization_type = "AWS_IAM"` for function URLs, or put the function behind
        API Gateway with an authorizer.
    """,
    snippets={
        "terraform": 'authorization_type = "AWS_IAM"',
        "cloudformation": "AuthType: AWS_IAM",
    },
)
def function_url_requires_authentication(url: LambdaFunctionUrl) -> Verdict:
    """Function URLs require IAM authentication.

    Why: a function URL with `NONE` is a public HTTPS endpoint with no authentication,
    throttling or WAF in front; any caller on the internet can invoke the function.
    """
    kind = url.authorization_type
    if is_unknown(kind):
        return unknown(f"authorization not known: {kind.reason}", at="authorization_type")
    if kind == "NONE":
        return failed("the function URL is public (authorization NONE)",
                      at="authorization_type")
    return passed(str(kind))


@rule(
    code="API001",
    controls=("3.5.2.b.1", "3.5.2.b.2"),
    severity=Severity.HIGH,
    remediation="""
        Require authorization on every method or route (IAM, a Cognito or JWT authorizer,
        or a Lambda authorizer). An API that is public on purpose is tagged `public = "true"`
        (or `exposure = "public"`), so the decision is recorded on the API.
    """,
    snippets={
        "terraform": """
            authorization = "COGNITO_USER_POOLS"
            authorizer_id = aws_api_gateway_authorizer.users.id
        """,
        "cloudformation": """
            AuthorizationType: COGNITO_USER_POOLS
            AuthorizerId: !Ref UsersAuthorizer
        """,
    },
)
def api_requires_authorization(method: ApiGatewayMethod) -> Verdict:
    """API Gateway methods and routes require authorization.

    Why: a method with authorization `NONE` lets anyone on the internet invoke the
    function or service behind it; an API key identifies a usage plan, it does not
    authenticate a caller. CORS preflight (`OPTIONS`) and WebSocket routes other than
    `$connect` are not applicable.
    """
    verb = method.http_method
    if isinstance(verb, str) and verb.split(" ")[0].upper() == "OPTIONS":
        return not_applicable("CORS preflight")
    protocol = method.protocol
    if is_unknown(protocol):
        return unknown(f"API protocol not known: {protocol.reason}", at="protocol")
    if protocol == "WEBSOCKET" and verb != "$connect":
        return not_applicable("WebSocket routes other than $connect take no authorizer")
    kind = method.authorization_type
    if is_unknown(kind):
        return unknown(f"authorization not known: {kind.reason}", at="authorization_type")
    if kind != "NONE":
        return passed(str(kind))
    if method.api_public_by_tag:
        return passed("the API is tagged as intentionally public")
    extra = " (an API key is not authentication)" if method.api_key_required else ""
    return failed(f"no authorization{extra}", at="authorization_type")


@rule(
    code="API002",
    controls=("3.5.2.a.5", "3.7.1.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Send access logs to CloudWatch Logs or Firehose
        (`access_log_settings { destination_arn, format }`).
    """,
    snippets={
        "terraform": """
            access_log_settings {
              destination_arn = aws_cloudwatch_log_group.api_access.arn
              format = jsonencode({
                requestId = "$context.requestId"
                ip        = "$context.identity.sourceIp"
                status    = "$context.status"
              })
            }
        """,
        "cloudformation": """
            AccessLogSetting:
              DestinationArn: !GetAtt ApiAccessLogs.Arn
              Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp"}'
        """,
    },
)
def api_stage_access_logging(stage: ApiGatewayStage) -> Verdict:
    """API Gateway stages write access logs.

    Why: access logs record who called which route, from where and with what result:
    the first evidence needed when an API is abused.
    """
    if not stage.access_logging:
        return failed("access logging is not configured", at="access_logging")
    return passed()


@rule(
    code="API003",
    controls=("3.5.2.b.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Set throttling limits on the stage (`aws_api_gateway_method_settings` with
        `throttling_rate_limit`/`throttling_burst_limit`, a usage plan's
        `throttle_settings`, or `default_route_settings` for HTTP APIs).
    """,
    snippets={
        "terraform": """
            resource "aws_api_gateway_method_settings" "all" {
              rest_api_id = aws_api_gateway_rest_api.records.id
              stage_name  = aws_api_gateway_stage.prod.stage_name
              method_path = "*/*"
              settings {
                throttling_rate_limit  = 100
                throttling_burst_limit = 50
              }
            }
        """,
        "cloudformation": """
            MethodSettings:
              - ResourcePath: "/*"
                HttpMethod: "*"
                ThrottlingRateLimit: 100
                ThrottlingBurstLimit: 50
        """,
    },
)
def api_stage_throttled(stage: ApiGatewayStage) -> Verdict:
    """API Gateway stages set throttling limits.

    Why: ENG-POL-003 requires rate limiting to protect functions from abuse and denial
    of service; without stage limits one client can use the whole account's 10,000
    requests per second and every concurrent function slot.
    """
    if not stage.throttling_configured:
        return failed("no throttling limits are set for the stage",
                      at="throttling_configured")
    return passed()


@rule(
    code="API004",
    controls=("3.5.2.a.5",),
    severity=Severity.LOW,
    remediation="Set `xray_tracing_enabled = true` on REST API stages.",
    snippets={
        "terraform": "xray_tracing_enabled = true",
        "cloudformation": "TracingEnabled: true",
    },
)
def api_stage_tracing(stage: ApiGatewayStage) -> Verdict:
    """REST API stages have X-Ray tracing.

    Why: traces follow a request from the API through the functions and services it
    reaches, the execution visibility ENG-POL-003 asks for. HTTP and WebSocket APIs do
    not support X-Ray and are not applicable.
    """
    protocol = stage.protocol
    if is_unknown(protocol):
        return unknown(f"API protocol not known: {protocol.reason}", at="protocol")
    if protocol != "REST":
        return not_applicable(f"{protocol} APIs do not support X-Ray tracing")
    if not stage.tracing:
        return failed("X-Ray tracing is off", at="tracing")
    return passed()


@rule(
    code="API005",
    controls=("3.5.2.b.1", "3.7.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Associate an AWS WAF web ACL with the stage (`aws_wafv2_web_acl_association`) with
        the AWS managed rule groups and a rate-based rule.
    """,
    snippets={
        "terraform": """
            resource "aws_wafv2_web_acl_association" "api" {
              resource_arn = aws_api_gateway_stage.prod.arn
              web_acl_arn  = aws_wafv2_web_acl.api.arn
            }
        """,
        "cloudformation": """
            ApiWafAssociation:
              Type: AWS::WAFv2::WebACLAssociation
              Properties:
                ResourceArn: !Sub >-
                  arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${ProdStage}
                WebACLArn: !GetAtt ApiWebAcl.Arn
        """,
    },
)
def api_stage_protected_by_waf(stage: ApiGatewayStage) -> Verdict:
    """REST API stages are protected by AWS WAF.

    Why: a web ACL blocks injection payloads, known bad inputs and floods before they
    reach the functions; ENG-POL-003 requires API security controls and rate limiting.
    HTTP and WebSocket APIs cannot take a web ACL and are not applicable.
    """
    protocol = stage.protocol
    if is_unknown(protocol):
        return unknown(f"API protocol not known: {protocol.reason}", at="protocol")
    if protocol != "REST":
        return not_applicable(f"{protocol} APIs cannot be associated with AWS WAF")
    if not stage.web_acl:
        return failed("no WAF web ACL is associated with the stage", at="web_acl")
    return passed()
