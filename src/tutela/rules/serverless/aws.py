"""3.5.2 Serverless security: functions' limits, tracing and configuration."""

from __future__ import annotations

from tutela.model.aws import LambdaFunction
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings

LAMBDA_MAX_TIMEOUT = 900


@rule(
    code="FN001",
    controls=("3.5.2.a.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Set a timeout that fits the function's work, below the organisation's maximum
        (`[settings] function_timeout_max_seconds`, default 900, the platform limit).
    """,
    snippets={"terraform": "timeout = 30", "cloudformation": "Timeout: 30"},
)
def function_timeout_is_bounded(fn: LambdaFunction, settings: Settings) -> Verdict:
    """Functions have a timeout below the allowed maximum.

    Why: a function left at the platform maximum runs (and bills) for 15 minutes per
    stuck invocation, which turns a slow dependency or an abusive caller into
    resource exhaustion.
    """
    timeout = fn.timeout_seconds
    limit = settings.function_timeout_max_seconds
    if timeout is None:
        return passed("default timeout (3 s)")
    if timeout >= limit:
        return failed(
            f"timeout is {timeout} s, at or above the maximum of {limit} s", at="timeout_seconds"
        )
    return passed(f"timeout {timeout} s")


@rule(
    code="FN002",
    controls=("3.5.2.a.5", "3.7.1.b.1"),
    severity=Severity.LOW,
    remediation='Enable active tracing: `tracing_config { mode = "Active" }`.',
    snippets={
        "terraform": """
        tracing_config {
          mode = "Active"
        }
    """,
        "cloudformation": """
        TracingConfig:
          Mode: Active
    """,
    },
)
def function_tracing_enabled(fn: LambdaFunction) -> Verdict:
    """Functions have active tracing.

    Why: traces show which events invoked a function and what it called, the
    execution visibility ENG-POL-003 asks for serverless workloads.
    """
    if fn.tracing_mode != "Active":
        return failed("active tracing is not enabled", at="tracing_mode")
    return passed()


@rule(
    code="FN003",
    controls=("3.5.2.b.3", "3.3.2.a.2"),
    severity=Severity.MEDIUM,
    remediation="Encrypt environment variables with a customer-managed key: set `kms_key_arn`.",
    snippets={
        "terraform": "kms_key_arn = aws_kms_key.lambda.arn",
        "cloudformation": "KmsKeyArn: !GetAtt LambdaKey.Arn",
    },
)
def function_environment_encrypted_with_cmk(fn: LambdaFunction) -> Verdict:
    """Function environment variables are encrypted with a customer-managed key.

    Why: by default Lambda encrypts environment variables with an AWS-managed key that
    every principal with `lambda:GetFunctionConfiguration` can decrypt.
    """
    env = fn.environment
    if env is None or (not is_unknown(env) and not env):
        return not_applicable("no environment variables")
    if not fn.env_kms_key:
        if is_unknown(env):
            return unknown(f"environment not known: {env.reason}", at="environment")
        return failed("environment variables use the AWS-managed key", at="env_kms_key")
    return passed()
