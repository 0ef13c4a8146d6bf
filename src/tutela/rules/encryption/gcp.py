"""3.3.1 on Google Cloud: encryption in transit (database TLS, load balancer TLS, DNSSEC)."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import (
    CloudFunction,
    DnsManagedZone,
    SqlDatabaseInstance,
    SslPolicy,
    TargetProxy,
)
from tutela.model.values import is_unknown
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.settings import Settings

_TLS_RANK = {"TLS_1_0": 10, "TLS_1_1": 11, "TLS_1_2": 12, "TLS_1_3": 13}
# Suites without forward secrecy (RSA key exchange) or with 3DES, which CUSTOM
# profiles may re-enable.
_WEAK_FEATURE_MARKS = ("TLS_RSA_WITH_", "_3DES_")
_SECURE_SSL_MODES = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")


def _wanted_rank(settings: Settings) -> int:
    text = settings.minimum_tls_version.strip().upper().replace("TLS", "").strip("_ v")
    try:
        major, _, minor = text.replace("_", ".").partition(".")
        return int(major) * 10 + int(minor or 0)
    except ValueError:
        return 12


@rule(
    code="ENC201",
    controls=("3.3.1.b.1", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Refuse unencrypted connections: `ssl_mode = "ENCRYPTED_ONLY"` (or
        `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`) in `settings.ip_configuration`.
    """,
    snippets={
        "terraform": """
            ip_configuration {
              ipv4_enabled    = false
              private_network = google_compute_network.main.id
              ssl_mode        = "ENCRYPTED_ONLY"
            }
        """,
    },
)
def cloud_sql_requires_tls(db: SqlDatabaseInstance) -> Verdict:
    """Cloud SQL instances refuse connections without TLS.

    Why: by default Cloud SQL accepts both encrypted and plaintext connections, so a
    misconfigured client sends credentials and query results in clear text.
    """
    mode = db.ssl_mode
    if isinstance(mode, str) and mode in _SECURE_SSL_MODES:
        return passed(f"ssl_mode {mode}")
    if db.require_ssl is True:
        return passed("require_ssl = true")
    if is_unknown(mode):
        return unknown(f"ssl_mode not known: {mode.reason}", at="ssl_mode")
    if is_unknown(db.require_ssl):
        return unknown(f"require_ssl not known: {db.require_ssl.reason}", at="require_ssl")
    shown = mode or "ALLOW_UNENCRYPTED_AND_ENCRYPTED (the default)"
    return failed(f"unencrypted connections are accepted (ssl_mode {shown})", at="ssl_mode")


@rule(
    code="ENC202",
    controls=("3.3.1.b.1", "3.3.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Use `min_tls_version = "TLS_1_2"` with the `MODERN` or `RESTRICTED` profile (TLS 1.3
        is negotiated automatically where clients support it).
    """,
    snippets={
        "terraform": """
            resource "google_compute_ssl_policy" "modern" {
              name            = "tls12-modern"
              profile         = "MODERN"
              min_tls_version = "TLS_1_2"
            }
        """,
    },
)
def gcp_ssl_policy_is_modern(policy: SslPolicy, settings: Settings) -> Iterator[Verdict]:
    """SSL policies require TLS 1.2 or later and forward-secret cipher suites.

    Why: the defaults (`TLS_1_0`, `COMPATIBLE`) accept protocol versions with known
    attacks and RSA key exchange without forward secrecy; ENG-POL-003 asks for TLS 1.3
    or equivalent with perfect forward secrecy.
    """
    version = policy.min_tls_version
    profile = policy.profile

    def problems() -> Iterator[Verdict]:
        if is_unknown(version):
            yield unknown(f"min_tls_version not known: {version.reason}", at="min_tls_version",
                          subject="min_tls_version")
        elif _TLS_RANK.get(str(version), 0) < _wanted_rank(settings):
            yield failed(f"minimum TLS version is {version}", at="min_tls_version",
                         subject="min_tls_version")
        if is_unknown(profile):
            yield unknown(f"profile not known: {profile.reason}", at="profile", subject="profile")
        elif profile == "COMPATIBLE":
            yield failed("the COMPATIBLE profile allows cipher suites without forward secrecy",
                         at="profile", subject="profile")
        elif profile == "CUSTOM":
            features = policy.custom_features
            if is_unknown(features):
                yield unknown(f"custom features not known: {features.reason}",
                              at="custom_features", subject="profile")
            else:
                weak = [f for f in features if any(m in f.upper() for m in _WEAK_FEATURE_MARKS)]
                if weak:
                    yield failed(f"weak cipher suites enabled: {', '.join(weak)}",
                                 at="custom_features", subject="profile")

    return or_passed(problems(), f"{profile} profile, minimum {version}")


@rule(
    code="ENC203",
    controls=("3.3.1.b.1", "3.3.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Attach an SSL policy that requires TLS 1.2 (`ssl_policy =
        google_compute_ssl_policy.modern.id`) to every HTTPS and SSL proxy.
    """,
    snippets={"terraform": "ssl_policy = google_compute_ssl_policy.modern.id"},
)
def gcp_tls_proxy_has_ssl_policy(proxy: TargetProxy) -> Verdict:
    """HTTPS and SSL load balancer proxies use an explicit SSL policy.

    Why: a proxy without an SSL policy uses Google's default, which accepts TLS 1.0 and
    the COMPATIBLE cipher suites.
    """
    if proxy.protocol == "HTTP":
        return not_applicable("a plain HTTP proxy")
    policy = proxy.ssl_policy
    if is_unknown(policy):
        return unknown(f"ssl_policy not known: {policy.reason}", at="ssl_policy")
    if not policy:
        return failed("no SSL policy: the default accepts TLS 1.0 and weak ciphers",
                      at="ssl_policy")
    return passed("an SSL policy is attached")


@rule(
    code="ENC204",
    controls=("3.3.1.b.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Point plain HTTP proxies at a URL map that only redirects to HTTPS
        (`default_url_redirect { https_redirect = true }`).
    """,
    snippets={
        "terraform": """
            resource "google_compute_url_map" "https_redirect" {
              name = "https-redirect"
              default_url_redirect {
                https_redirect         = true
                redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
                strip_query            = false
              }
            }
        """,
    },
)
def gcp_http_proxy_redirects_to_https(proxy: TargetProxy) -> Verdict:
    """Plain HTTP load balancer proxies only redirect to HTTPS.

    Why: an HTTP frontend that serves content carries session tokens and health data
    in clear text. When the proxy's URL map is not in the scan it is not evaluated.
    """
    if proxy.protocol != "HTTP":
        return not_applicable(f"an {proxy.protocol} proxy")
    flag = proxy.redirects_to_https
    if is_unknown(flag):
        return unknown(f"redirect not known: {flag.reason}", at="redirects_to_https")
    if not flag:
        return failed("the HTTP proxy serves traffic instead of redirecting to HTTPS",
                      at="redirects_to_https")
    return passed("redirects to HTTPS")


@rule(
    code="ENC205",
    controls=("3.3.1.b.1", "3.5.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `https_trigger_security_level = "SECURE_ALWAYS"` on HTTP-triggered
        1st generation functions (or move them to 2nd generation, HTTPS only).
    """,
    snippets={"terraform": 'https_trigger_security_level = "SECURE_ALWAYS"'},
)
def cloud_function_https_only(fn: CloudFunction) -> Verdict:
    """HTTP-triggered Cloud Functions refuse plain HTTP.

    Why: with the 1st generation default (`SECURE_OPTIONAL`) the function also answers
    plain HTTP, so requests, identity tokens and responses can travel in clear text.
    """
    if fn.generation != 1:
        return not_applicable("2nd generation functions are served over HTTPS only")
    if is_unknown(fn.http_trigger):
        return unknown(f"trigger not known: {fn.http_trigger.reason}", at="http_trigger")
    if not fn.http_trigger:
        return not_applicable("not HTTP-triggered")
    flag = fn.https_only
    if is_unknown(flag):
        return unknown(f"security level not known: {flag.reason}", at="https_only")
    if not flag:
        return failed("plain HTTP requests are served (SECURE_OPTIONAL)", at="https_only")
    return passed("SECURE_ALWAYS")


@rule(
    code="ENC206",
    controls=("3.3.1.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Turn DNSSEC on for public zones (`dnssec_config { state = "on" }`) with RSASHA256
        or ECDSA keys, and publish the DS record at the registrar.
    """,
    snippets={
        "terraform": """
            dnssec_config {
              state = "on"
            }
        """,
    },
)
def dns_public_zone_dnssec(zone: DnsManagedZone) -> Iterator[Verdict]:
    """Public Cloud DNS zones are signed with DNSSEC, without RSASHA1.

    Why: unsigned answers can be spoofed to send patients and partners to a look-alike
    endpoint with a valid certificate from a lax CA; RSASHA1 signatures are forgeable.
    Private zones are not applicable.
    """
    visibility = zone.visibility
    if is_unknown(visibility):
        yield unknown(f"visibility not known: {visibility.reason}", at="visibility")
        return
    if (visibility or "public").lower() == "private":
        yield not_applicable("a private zone")
        return
    state = zone.dnssec_state
    if is_unknown(state):
        yield unknown(f"DNSSEC state not known: {state.reason}", at="dnssec_state")
        return
    if (state or "off").lower() not in ("on", "transfer"):
        yield failed("DNSSEC is off", at="dnssec_state")
        return
    algorithms = zone.key_algorithms
    if is_unknown(algorithms):
        yield unknown(f"key algorithms not known: {algorithms.reason}", at="key_algorithms")
        return
    weak = [a for a in algorithms if a.lower() == "rsasha1"]
    if weak:
        yield failed("DNSSEC keys use RSASHA1", at="key_algorithms")
        return
    yield passed("DNSSEC on")
