"""3.3.1 Encryption at rest and in transit on Azure."""

from __future__ import annotations

from tutela.model.azure import (
    ApplicationGateway,
    AppService,
    DatabaseServer,
    RedisCache,
    SqlDatabase,
    SqlServer,
    StorageAccount,
    VirtualMachine,
    tls_at_least,
)
from tutela.model.values import Unknown, is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.settings import Settings


def _tls_verdict(version: str | Unknown | None, settings: Settings, at: str,
                 default: bool = False) -> Verdict:
    if is_unknown(version):
        return unknown(f"minimum TLS version not known: {version.reason}", at=at)
    minimum = settings.minimum_tls_version
    if not tls_at_least(version, minimum):
        shown = "no minimum" if version is None else repr(version)
        implied = " (the default)" if default else ""
        return failed(f"minimum TLS version is {shown}{implied}, below {minimum}", at=at)
    return passed(f"minimum TLS version {version}")


# --- storage -------------------------------------------------------------------------------


@rule(
    code="ENC101",
    controls=("3.3.1.b.1",),
    severity=Severity.HIGH,
    remediation="""
        Keep secure transfer required: `https_traffic_only_enabled = true` (azurerm v4;
        `enable_https_traffic_only` in v3), the default.
    """,
    snippets={"terraform": "https_traffic_only_enabled = true"},
)
def storage_account_https_only(account: StorageAccount) -> Verdict:
    """Storage accounts accept HTTPS requests only.

    Why: with secure transfer off, blob, file and queue requests (and the SAS tokens in
    them) may travel in clear text.
    """
    if not account.https_only:
        return failed("plain HTTP requests are accepted", at="https_only")
    return passed()


@rule(
    code="ENC102",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation='Set `min_tls_version = "TLS1_2"` (the default for new accounts).',
    snippets={"terraform": 'min_tls_version = "TLS1_2"'},
)
def storage_account_min_tls(account: StorageAccount, settings: Settings) -> Verdict:
    """Storage accounts refuse TLS versions below the organisation's minimum (TLS 1.2).

    Why: TLS 1.0 and 1.1 have known weaknesses and are retired across Azure; accepting
    them lets clients (or an attacker downgrading them) use broken protocols.
    """
    return _tls_verdict(account.min_tls_version, settings, "min_tls_version")


@rule(
    code="ENC103",
    controls=("3.3.1.a.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Create ePHI storage accounts with `infrastructure_encryption_enabled = true`
        (double encryption; it can only be set at creation).
    """,
    snippets={"terraform": "infrastructure_encryption_enabled = true"},
)
def ephi_storage_infrastructure_encryption(account: StorageAccount,
                                           settings: Settings) -> Verdict:
    """Storage accounts tagged as holding ePHI use infrastructure (double) encryption.

    Why: a second, independent layer of AES-256 encryption at the infrastructure level
    protects ePHI if one algorithm, key or implementation is ever compromised. Which
    tags mark ePHI is set in `[settings] ephi_tag_keys / ephi_tag_values`.
    """
    if is_unknown(account.tags):
        return unknown("tags are not known before apply", at="tags")
    if not settings.is_ephi(account.tags):
        return not_applicable("not tagged as holding ePHI")
    if not account.infrastructure_encryption:
        return failed("infrastructure encryption is off", at="infrastructure_encryption")
    return passed()


# --- databases -------------------------------------------------------------------------------


@rule(
    code="ENC104",
    controls=("3.3.1.a.2",),
    severity=Severity.HIGH,
    remediation="Keep `transparent_data_encryption_enabled = true` (the default).",
    snippets={"terraform": "transparent_data_encryption_enabled = true"},
)
def sql_database_tde_enabled(db: SqlDatabase) -> Verdict:
    """Azure SQL databases use transparent data encryption.

    Why: TDE encrypts the database files, logs and backups at rest; turning it off (only
    possible on data warehouse SKUs) leaves them in clear.
    """
    if not db.tde_enabled:
        return failed("transparent data encryption is disabled", at="tde_enabled")
    return passed()


@rule(
    code="ENC105",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation='Set `minimum_tls_version = "1.2"` (the default since azurerm v3).',
    snippets={"terraform": 'minimum_tls_version = "1.2"'},
)
def sql_server_min_tls(server: SqlServer, settings: Settings) -> Verdict:
    """Azure SQL servers refuse TLS versions below the organisation's minimum.

    Why: `Disabled` or `1.0`/`1.1` lets clients connect with protocols that no longer
    protect the data stream.
    """
    return _tls_verdict(server.min_tls_version, settings, "min_tls_version")


@rule(
    code="ENC106",
    controls=("3.3.1.b.1",),
    severity=Severity.HIGH,
    remediation="""
        Single servers: `ssl_enforcement_enabled = true`. Flexible servers: leave the
        `require_secure_transport` server configuration `on` (the default).
    """,
    snippets={
        "terraform": """
            resource "azurerm_postgresql_flexible_server_configuration" "tls" {
              name      = "require_secure_transport"
              server_id = azurerm_postgresql_flexible_server.claims.id
              value     = "on"
            }
        """,
    },
)
def database_server_requires_tls(server: DatabaseServer) -> Verdict:
    """PostgreSQL and MySQL servers refuse unencrypted connections.

    Why: without enforced TLS, clients may send credentials and query results in clear
    text across the network.
    """
    if not server.tls_required:
        return failed("unencrypted connections are accepted", at="tls_required")
    return passed()


@rule(
    code="ENC107",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Single servers: `ssl_minimal_tls_version_enforced = "TLS1_2"`. Flexible servers:
        `ssl_min_protocol_version` (PostgreSQL) or `tls_version` (MySQL) set to TLS 1.2
        or later.
    """,
    snippets={"terraform": 'ssl_minimal_tls_version_enforced = "TLS1_2"'},
)
def database_server_min_tls(server: DatabaseServer, settings: Settings) -> Verdict:
    """PostgreSQL and MySQL servers refuse TLS versions below the organisation's minimum.

    Why: TLS 1.0 and 1.1 allow downgrade attacks; the policy asks for TLS 1.2 at least.
    """
    if server.tls_required is False:
        return not_applicable("TLS is not required at all (see ENC106)")
    return _tls_verdict(server.min_tls_version, settings, "min_tls_version")


@rule(
    code="ENC108",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Disable the non-TLS port (`non_ssl_port_enabled = false`; `enable_non_ssl_port` in
        v3) and set `minimum_tls_version = "1.2"` (the provider defaults to `1.0`).
    """,
    snippets={
        "terraform": """
            non_ssl_port_enabled = false
            minimum_tls_version  = "1.2"
        """,
    },
)
def redis_cache_requires_tls(cache: RedisCache, settings: Settings) -> Verdict:
    """Azure Cache for Redis accepts TLS 1.2+ connections only.

    Why: Redis commonly holds sessions and cached records; the plain port 6379 sends
    them, and the access key, in clear text.
    """
    if cache.non_ssl_port:
        return failed("the non-TLS port 6379 is enabled", at="non_ssl_port")
    default = "min_tls_version" not in cache.field_locations
    return _tls_verdict(cache.min_tls_version, settings, "min_tls_version", default)


# --- web ------------------------------------------------------------------------------------


@rule(
    code="ENC109",
    controls=("3.3.1.b.1",),
    severity=Severity.HIGH,
    remediation="Set `https_only = true` so HTTP requests are redirected to HTTPS.",
    snippets={"terraform": "https_only = true"},
)
def app_service_https_only(app: AppService) -> Verdict:
    """App Service and Function apps serve HTTPS only.

    Why: `https_only` defaults to false, so the app also answers plain HTTP, where
    sessions and health data travel in clear.
    """
    if not app.https_only:
        implied = "" if "https_only" in app.field_locations else " (the default)"
        return failed(f"plain HTTP is served{implied}", at="https_only")
    return passed()


@rule(
    code="ENC110",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation='Set `site_config { minimum_tls_version = "1.2" }` (or "1.3").',
    snippets={
        "terraform": """
            site_config {
              minimum_tls_version = "1.2"
            }
        """,
    },
)
def app_service_min_tls(app: AppService, settings: Settings) -> Verdict:
    """App Service and Function apps refuse TLS versions below the organisation's minimum.

    Why: clients negotiating TLS 1.0/1.1 get protocols with known weaknesses.
    """
    return _tls_verdict(app.min_tls_version, settings, "min_tls_version")


@rule(
    code="ENC111",
    controls=("3.3.1.b.1", "3.1.2.a.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `site_config { ftps_state = "Disabled" }` (or `FtpsOnly` if FTP deployment is
        still needed); deploy through CI with Entra ID instead.
    """,
    snippets={
        "terraform": """
            site_config {
              ftps_state = "Disabled"
            }
        """,
    },
)
def app_service_ftp_disabled(app: AppService) -> Verdict:
    """App Service and Function apps do not accept plain FTP.

    Why: `AllAllowed` lets deployment credentials and application files cross the
    network unencrypted over FTP.
    """
    state = app.ftps_state
    if is_unknown(state):
        return unknown(f"FTP state not known: {state.reason}", at="ftps_state")
    if str(state).lower() == "allallowed":
        return failed("plain FTP is allowed (AllAllowed)", at="ftps_state")
    return passed(f"ftps_state {state}")


# Predefined Application Gateway TLS policies that accept TLS 1.0 or 1.1.
_WEAK_APPGW_POLICIES = frozenset({"appgwsslpolicy20150501", "appgwsslpolicy20170401"})


@rule(
    code="ENC112",
    controls=("3.3.1.b.1", "3.3.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Declare a modern TLS policy: `ssl_policy { policy_type = "Predefined",
        policy_name = "AppGwSslPolicy20220101S" }` (TLS 1.2+, forward secrecy), or a
        `CustomV2` policy with `min_protocol_version = "TLSv1_2"` (or `TLSv1_3`).
    """,
    snippets={
        "terraform": """
            ssl_policy {
              policy_type = "Predefined"
              policy_name = "AppGwSslPolicy20220101S"
            }
        """,
    },
)
def application_gateway_tls_policy(gateway: ApplicationGateway, settings: Settings) -> Verdict:
    """Application Gateways with HTTPS listeners use a TLS 1.2+ policy.

    Why: the gateway terminates TLS for every backend; a policy that accepts TLS 1.0/1.1
    or non-forward-secret ciphers weakens all of them. Without `ssl_policy` the default
    depends on the API version the provider uses (TLS 1.0 before 2023-02-01, TLS 1.2
    after), so it is not evaluated.
    """
    if gateway.has_https_listener is False:
        return not_applicable("no HTTPS listener")
    declared = gateway.ssl_policy_declared
    if is_unknown(declared):
        return unknown(f"ssl_policy not known: {declared.reason}", at="ssl_policy_name")
    if not declared:
        return unknown("no ssl_policy: the default TLS policy depends on the API version",
                       at="ssl_policy_name")
    name = gateway.ssl_policy_name
    if is_unknown(name):
        return unknown(f"policy name not known: {name.reason}", at="ssl_policy_name")
    if isinstance(name, str):
        if name.lower() in _WEAK_APPGW_POLICIES:
            return failed(f"policy {name} accepts TLS below 1.2", at="ssl_policy_name")
        return passed(f"policy {name}")
    return _tls_verdict(gateway.ssl_min_protocol, settings, "ssl_min_protocol")


# --- compute ---------------------------------------------------------------------------------


@rule(
    code="ENC113",
    controls=("3.3.1.a.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Set `encryption_at_host_enabled = true` on VMs and scale sets that process ePHI
        (register the `EncryptionAtHost` feature on the subscription first).
    """,
    snippets={"terraform": "encryption_at_host_enabled = true"},
)
def ephi_vm_encryption_at_host(vm: VirtualMachine, settings: Settings) -> Verdict:
    """VMs tagged as holding ePHI encrypt temp disks and caches (encryption at host).

    Why: managed disks are encrypted at rest by default, but temporary disks and disk
    caches on the host are not; encryption at host covers the whole path, the full-disk
    encryption ENG-POL-003 asks for.
    """
    if is_unknown(vm.tags):
        return unknown("tags are not known before apply", at="tags")
    if not settings.is_ephi(vm.tags):
        return not_applicable("not tagged as holding ePHI")
    if not vm.encryption_at_host:
        return failed("encryption at host is off: temp disks and caches are not encrypted",
                      at="encryption_at_host")
    return passed()
