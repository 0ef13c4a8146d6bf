"""3.4.1 Secrets on Azure: no literal credentials in code, expiring secrets, clean app settings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.azure import AppService, AzureResource, KeyVaultSecret
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, passed, rule, unknown
from tutela.rules.secrets.detect import mask, scan_mapping

# Settings that name a token's audience, issuer or scope, and plain URLs, are not secrets.
_NOT_SECRET_NAME = re.compile(r"(audience|issuer|scopes?|_ttl|_expiry|_lifetime)$", re.IGNORECASE)
_PLAIN_URL = re.compile(r"^[a-z][a-z0-9+.-]*://[^@\s]*$", re.IGNORECASE)
# Azure connection strings carry their key or password inline.
_CONNECTION_SECRET = re.compile(
    r"(?:^|;)\s*(AccountKey|SharedAccessKey|Password|Pwd)\s*=\s*([^;\s]{6,})", re.IGNORECASE)


@rule(
    code="SEC101",
    controls=("3.4.1.a.5",),
    severity=Severity.HIGH,
    remediation="""
        Do not write passwords or secret values in Terraform: generate them
        (`random_password`) or read them from Key Vault
        (`data.azurerm_key_vault_secret`), pass them as sensitive variables without
        defaults, or use Entra ID authentication and SSH keys instead of passwords.
    """,
    snippets={
        "terraform": """
            resource "random_password" "sql_admin" {
              length  = 32
              special = true
            }

            administrator_login_password = random_password.sql_admin.result
        """,
    },
)
def no_literal_credentials(resource: AzureResource) -> Iterator[Verdict]:
    """Admin passwords and secret values are not written as literals in code.

    Why: a password in a `.tf` file (or a variable default) lives forever in version
    control history and in every clone of the repository. Only resources with credential
    attributes are judged; plan JSON holds final values and cannot tell a literal from a
    variable, so it is not judged.
    """
    found = resource.plaintext_credentials
    if found is None:
        return
    for attribute in found:
        yield failed(f"{attribute} is a literal value in the code", at="plaintext_credentials",
                     subject=attribute)
    if not found:
        yield passed("credentials come from variables, generators or a secret store")


@rule(
    code="SEC102",
    controls=("3.2.1.b.2", "3.4.1.a.5"),
    severity=Severity.LOW,
    remediation="""
        Set an `expiration_date` on secrets (and rotate them before it), e.g. with
        `timeadd(timestamp(), "8760h")` and `ignore_changes`, or a rotation pipeline.
    """,
    snippets={"terraform": 'expiration_date = "2026-12-31T00:00:00Z"'},
)
def key_vault_secret_expires(secret: KeyVaultSecret) -> Verdict:
    """Key Vault secrets have an expiration date.

    Why: credentials that never expire are never rotated; an expiry date makes Key Vault
    (and Defender) flag secrets past their rotation schedule.
    """
    if not secret.expiration_date:
        return failed("the secret never expires", at="expiration_date")
    return passed()


@rule(
    code="SEC103",
    controls=("3.4.1.a.5", "3.5.2.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Store the value in Key Vault and reference it from the setting:
        `"@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.db.versionless_id})"`,
        with the app's managed identity allowed to read it.
    """,
    snippets={
        "terraform": """
            app_settings = {
              DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=${local.db_secret_uri})"
            }
        """,
    },
)
def app_settings_have_no_plaintext_secrets(app: AppService) -> Iterator[Verdict]:
    """App Service and Function app settings hold no plaintext secrets.

    Why: app settings are readable by anyone with read access to the app and appear in
    deployment logs and state; secrets belong in Key Vault, referenced from the setting.
    """
    settings = app.app_settings
    if settings is None:
        yield passed("no app settings")
        return
    if is_unknown(settings):
        yield unknown(f"app settings not known before apply: {settings.reason}",
                      at="app_settings")
        return
    clean = {k: v for k, v in settings.items() if not _not_a_secret(str(k), v)}
    found = list(scan_mapping(clean, "app_settings"))
    named = {v.subject for v in found}
    for key, value in clean.items():
        if key in named or not isinstance(value, str):
            continue
        m = _CONNECTION_SECRET.search(value)
        if m:
            found.append(failed(f"{key} holds a connection string with {m[1]} ({mask(m[2])})",
                                at=f"app_settings.{key}", subject=str(key)))
    yield from found or [passed("no secret-looking literal in the app settings")]


def _not_a_secret(name: str, value: object) -> bool:
    """Key Vault references, plain URLs and audience/issuer-style names."""
    if _NOT_SECRET_NAME.search(name):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.startswith("@Microsoft.KeyVault(") or bool(_PLAIN_URL.match(text))
