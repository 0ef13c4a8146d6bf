"""3.4.1 No plaintext secrets in function configuration."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import LambdaFunction
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, passed, rule, unknown
from tutela.rules.secrets.detect import scan_mapping


@rule(
    code="SEC001",
    controls=("3.4.1.a.5", "3.5.2.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Keep credentials in AWS Secrets Manager or SSM Parameter Store and pass the
        function the secret's ARN (read it at start-up), or encrypt the variable with a
        customer-managed KMS key and decrypt it in code.
    """,
    snippets={
        "terraform": """
            environment {
              variables = {
                DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
              }
            }
        """,
    },
)
def function_environment_has_no_plaintext_secrets(fn: LambdaFunction) -> Iterator[Verdict]:
    """Function environment variables hold no plaintext secrets.

    Why: environment variables are readable by anyone who can read the function's
    configuration and end up in logs and tooling; a password there is a leaked password.
    """
    env = fn.environment
    if env is None:
        yield passed("no environment variables")
        return
    if is_unknown(env):
        yield unknown(f"environment is not known before apply: {env.reason}", at="environment")
        return
    found = list(scan_mapping(env, "environment"))
    yield from found or [passed("no secret-looking literal in the environment")]
