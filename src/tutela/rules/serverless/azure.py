"""3.5.2 Serverless and App Service on Azure: workload identities."""

from __future__ import annotations

from tutela.model.azure import AppService
from tutela.rules.api import Severity, Verdict, failed, passed, rule


@rule(
    code="FN101",
    controls=("3.5.2.a.2", "3.2.1.b.1"),
    severity=Severity.LOW,
    remediation="""
        Give the app a managed identity (`identity { type = "SystemAssigned" }` or a
        user-assigned one) and grant it the roles it needs, instead of keys or connection
        strings in settings.
    """,
    snippets={
        "terraform": """
            identity {
              type = "SystemAssigned"
            }
        """,
    },
)
def app_service_uses_managed_identity(app: AppService) -> Verdict:
    """App Service and Function apps run with a managed identity.

    Why: a managed identity gives each app its own Entra ID principal with rotating,
    never-exposed credentials, so access to storage, Key Vault and databases can follow
    least privilege instead of shared keys.
    """
    if not app.managed_identity:
        return failed("the app has no managed identity", at="managed_identity")
    return passed()
