"""3.4.1 on Google Cloud: no plaintext secrets in Cloud Functions and Cloud Run configuration."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import ServerlessService
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, passed, rule, unknown
from tutela.rules.secrets.detect import scan_mapping


@rule(
    code="SEC201",
    controls=("3.4.1.a.5", "3.5.2.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Keep credentials in Secret Manager and expose them to the function or service as
        secret environment variables (`secret_environment_variables`, Cloud Run
        `value_source.secret_key_ref`) or mounted volumes, never as literal values.
    """,
    snippets={
        "terraform": """
            env {
              name = "DB_PASSWORD"
              value_source {
                secret_key_ref {
                  secret  = google_secret_manager_secret.db_password.secret_id
                  version = "latest"
                }
              }
            }
        """,
    },
)
def gcp_serverless_environment_has_no_plaintext_secrets(
    service: ServerlessService,
) -> Iterator[Verdict]:
    """Cloud Functions and Cloud Run environment variables hold no plaintext secrets.

    Why: literal environment values are readable by anyone who can view the function or
    service, and they land in Terraform state, revisions and logs; a password there is a
    leaked password. Values read from Secret Manager are not literals and pass.
    """
    env = service.environment
    if env is None:
        yield passed("no environment variables")
        return
    if is_unknown(env):
        yield unknown(f"environment is not known before apply: {env.reason}", at="environment")
        return
    found = list(scan_mapping(env, "environment"))
    yield from found or [passed("no secret-looking literal in the environment")]
