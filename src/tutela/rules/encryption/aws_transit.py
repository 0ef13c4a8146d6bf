"""3.3.1.b Encryption in transit on AWS: CloudFront, database connections, site-to-site VPN,
and the certificates TLS depends on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from tutela.model.aws import (
    AcmCertificate,
    CloudFrontDistribution,
    DatabaseInstance,
    VpnConnection,
)
from tutela.model.values import UnknownValueError, is_unknown
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


@rule(
    code="ENC018",
    controls=("3.3.1.b.1",),
    severity=Severity.HIGH,
    remediation="""
        Set `viewer_protocol_policy = "redirect-to-https"` (or `"https-only"`) on the
        default and every ordered cache behaviour.
    """,
    snippets={
        "terraform": 'viewer_protocol_policy = "redirect-to-https"',
        "cloudformation": "ViewerProtocolPolicy: redirect-to-https",
    },
)
def cdn_viewers_use_https(distribution: CloudFrontDistribution) -> Verdict:
    """CloudFront distributions serve viewers over HTTPS only.

    Why: `allow-all` lets browsers and API clients exchange data with the edge in plain
    HTTP, exposing sessions and content to anyone on the path.
    """
    policies = distribution.viewer_protocol_policies
    if is_unknown(policies):
        return unknown(f"viewer protocol policies not known: {policies.reason}",
                       at="viewer_protocol_policies")
    if "allow-all" in policies:
        return failed("a cache behaviour allows plain HTTP (viewer_protocol_policy = allow-all)",
                      at="viewer_protocol_policies")
    return passed()


_MODERN_CLOUDFRONT = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")


@rule(
    code="ENC019",
    controls=("3.3.1.b.1", "3.3.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Serve the distribution on your own domain with an ACM certificate and
        `minimum_protocol_version = "TLSv1.2_2021"` (the default `*.cloudfront.net`
        certificate always accepts TLS 1.0).
    """,
    snippets={
        "terraform": """
            viewer_certificate {
              acm_certificate_arn      = aws_acm_certificate.site.arn
              ssl_support_method       = "sni-only"
              minimum_protocol_version = "TLSv1.2_2021"
            }
        """,
        "cloudformation": """
            ViewerCertificate:
              AcmCertificateArn: !Ref SiteCertificate
              SslSupportMethod: sni-only
              MinimumProtocolVersion: TLSv1.2_2021
        """,
    },
)
def cdn_minimum_tls_is_modern(distribution: CloudFrontDistribution) -> Verdict:
    """CloudFront distributions refuse TLS versions and ciphers older than TLSv1.2_2021.

    Why: older security policies accept TLS 1.0/1.1 or CBC ciphers without forward
    secrecy; with the default certificate CloudFront negotiates down to TLS 1.0.
    """
    if distribution.uses_default_certificate:
        return failed("the default CloudFront certificate accepts TLS 1.0; use your own "
                      "domain and certificate", at="uses_default_certificate")
    version = distribution.minimum_protocol_version
    if is_unknown(version):
        return unknown(f"minimum protocol version not known: {version.reason}",
                       at="minimum_protocol_version")
    if version not in _MODERN_CLOUDFRONT:
        return failed(f"minimum protocol version {version} is older than TLSv1.2_2021",
                      at="minimum_protocol_version")
    return passed(str(version))


@rule(
    code="ENC020",
    controls=("3.3.1.b.1", "3.3.1.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Set `origin_protocol_policy = "https-only"` on custom origins (with
        `origin_ssl_protocols = ["TLSv1.2"]`).
    """,
    snippets={
        "terraform": """
            custom_origin_config {
              http_port              = 80
              https_port             = 443
              origin_protocol_policy = "https-only"
              origin_ssl_protocols   = ["TLSv1.2"]
            }
        """,
        "cloudformation": """
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        """,
    },
)
def cdn_origins_use_https(distribution: CloudFrontDistribution) -> Verdict:
    """CloudFront fetches from custom origins over HTTPS.

    Why: with `http-only`, content travels in clear between the edge and the origin,
    across the internet, even when viewers use HTTPS.
    """
    policies = distribution.origin_protocol_policies
    if is_unknown(policies):
        return unknown(f"origin protocol policies not known: {policies.reason}",
                       at="origin_protocol_policies")
    if not policies:
        return not_applicable("no custom origins (S3 origins use HTTPS)")
    if "http-only" in policies:
        return failed("a custom origin is reached over plain HTTP (http-only)",
                      at="origin_protocol_policies")
    return passed()


@rule(
    code="ENC021",
    controls=("3.3.1.b.1", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Require TLS in the parameter group: `rds.force_ssl = 1` (PostgreSQL, SQL Server)
        or `require_secure_transport = ON` (MySQL, MariaDB, Aurora MySQL).
    """,
    snippets={
        "terraform": """
            resource "aws_db_parameter_group" "tls" {
              name   = "records-tls"
              family = "postgres14"
              parameter {
                name  = "rds.force_ssl"
                value = "1"
              }
            }
        """,
        "cloudformation": """
            Parameters:
              rds.force_ssl: "1"
        """,
    },
)
def database_requires_tls(db: DatabaseInstance) -> Verdict:
    """Databases refuse connections that do not use TLS.

    Why: RDS accepts unencrypted client connections unless the parameter group forces
    TLS (only RDS for PostgreSQL 15 and later does so by default); credentials and query
    results would cross the network in clear. Aurora members are judged on their cluster;
    engines configured through option groups (Oracle) are not applicable.
    """
    if db.member_of_cluster:
        return not_applicable("TLS is configured on the cluster")
    required = db.require_tls
    if required is None:
        return not_applicable(f"engine {db.engine} does not use a TLS parameter")
    if is_unknown(required):
        return unknown(f"TLS requirement not known: {required.reason}", at="require_tls")
    if not required:
        return failed("the parameter group does not force TLS connections", at="require_tls")
    return passed()


_WEAK_DH_GROUPS = frozenset({1, 2, 5})


@rule(
    code="ENC022",
    controls=("3.3.1.b.2", "3.3.1.b.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Restrict both tunnels to IKEv2 and Diffie-Hellman groups 14 or stronger
        (`tunnel1_ike_versions = ["ikev2"]`, `tunnel1_phase1_dh_group_numbers = [20, 21]`,
        and the same for phase 2 and tunnel 2).
    """,
    snippets={
        "terraform": """
            tunnel1_ike_versions            = ["ikev2"]
            tunnel1_phase1_dh_group_numbers = [20, 21]
            tunnel1_phase2_dh_group_numbers = [20, 21]
            tunnel2_ike_versions            = ["ikev2"]
            tunnel2_phase1_dh_group_numbers = [20, 21]
            tunnel2_phase2_dh_group_numbers = [20, 21]
        """,
        "cloudformation": """
            VpnTunnelOptionsSpecifications:
              - IKEVersions: [{Value: ikev2}]
                Phase1DHGroupNumbers: [{Value: 20}]
                Phase2DHGroupNumbers: [{Value: 20}]
        """,
    },
)
def vpn_tunnels_use_strong_ike(vpn: VpnConnection) -> Iterator[Verdict]:
    """Site-to-site VPN tunnels negotiate only IKEv2 and strong Diffie-Hellman groups.

    Why: unless told otherwise, AWS tunnels accept IKEv1 and DH groups 2 and 5 (1024- and
    1536-bit), which NIST no longer allows; a peer or an attacker in the middle can force
    the weaker protocol.
    """
    tunnels = vpn.tunnels
    if is_unknown(tunnels):
        yield unknown(f"tunnel options not known: {tunnels.reason}", at="tunnels")
        return

    def weak_tunnels() -> Iterator[Verdict]:
        for tunnel in tunnels:
            try:
                problems = _tunnel_problems(tunnel.ike_versions, tunnel.phase1_dh_groups,
                                            tunnel.phase2_dh_groups)
            except UnknownValueError as exc:
                yield unknown(f"{tunnel.path}: {exc.unknown.reason}", at=tunnel.path,
                              subject=tunnel.path)
                continue
            if problems:
                yield failed(f"{tunnel.path}: {'; '.join(problems)}", at=tunnel.path,
                             subject=tunnel.path)

    yield from or_passed(weak_tunnels(), "IKEv2 with DH groups 14 or stronger")


def _tunnel_problems(versions: object, phase1: object, phase2: object) -> list[str]:
    problems = []
    if versions is None:
        problems.append("IKEv1 is allowed (the default)")
    elif "ikev1" in versions:  # type: ignore[operator]
        problems.append("IKEv1 is allowed")
    for name, groups in (("phase 1", phase1), ("phase 2", phase2)):
        if groups is None:
            problems.append(f"{name} allows DH groups 2 and 5 (the default)")
        else:
            weak = sorted(set(groups) & _WEAK_DH_GROUPS)  # type: ignore[call-overload]
            if weak:
                problems.append(f"{name} allows DH groups {', '.join(map(str, weak))}")
    return problems


_RENEWAL_MARGIN = timedelta(days=30)


@rule(
    code="CRT001",
    controls=("3.3.1.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Request certificates from ACM with DNS validation (`validation_method = "DNS"` and
        the validation records in Route 53), so ACM renews them without anyone acting;
        do not import certificates whose private key passes through code.
    """,
    snippets={
        "terraform": """
            resource "aws_acm_certificate" "api" {
              domain_name       = "api.example.org"
              validation_method = "DNS"
              lifecycle {
                create_before_destroy = true
              }
            }
        """,
        "cloudformation": """
            ValidationMethod: DNS
            DomainValidationOptions:
              - DomainName: api.example.org
                HostedZoneId: !Ref Zone
        """,
    },
)
def certificate_renews_automatically(cert: AcmCertificate) -> Verdict:
    """TLS certificates are managed by ACM and renew automatically.

    Why: ENG-POL-003 asks for certificate lifecycle management; ACM renews DNS-validated
    certificates by itself, while email-validated ones wait for someone to click a link
    and imported ones are never renewed (and their private key sits in the IaC state).
    Live certificates that expire within 30 days fail too.
    """
    if cert.not_after is not None:
        remaining = cert.not_after - datetime.now(UTC)
        if remaining < _RENEWAL_MARGIN:
            days = max(0, remaining.days)
            return failed(f"the certificate expires in {days} days", at="not_after")
    if cert.imported:
        return failed("an imported certificate: ACM never renews it and its private key "
                      "passes through code and state", at="imported")
    method = cert.validation_method
    if method is None:
        return passed("issued by a private CA or managed outside this code")
    if is_unknown(method):
        return unknown(f"validation method not known: {method.reason}",
                       at="validation_method")
    if method != "DNS":
        return failed(f"{method} validation: renewals need someone to approve them",
                      at="validation_method")
    return passed("DNS-validated: renewed by ACM")


@rule(
    code="CRT002",
    controls=("3.3.1.b.4", "3.3.1.b.1"),
    severity=Severity.MEDIUM,
    remediation='Use `key_algorithm = "RSA_2048"` or stronger, or an EC key (`EC_prime256v1`).',
    snippets={
        "terraform": 'key_algorithm = "EC_prime256v1"',
        "cloudformation": "KeyAlgorithm: EC_prime256v1",
    },
)
def certificate_key_is_strong(cert: AcmCertificate) -> Verdict:
    """TLS certificates use RSA keys of 2048 bits or more, or EC keys.

    Why: 1024-bit RSA keys can be factored by well-funded attackers and are refused by
    modern clients.
    """
    algorithm = cert.key_algorithm
    if algorithm is None:
        return not_applicable("key algorithm not declared (imported certificate)")
    if is_unknown(algorithm):
        return unknown(f"key algorithm not known: {algorithm.reason}", at="key_algorithm")
    upper = algorithm.upper()
    if upper.startswith("EC"):
        return passed(algorithm)
    if upper.startswith("RSA"):
        digits = "".join(c for c in upper if c.isdigit())
        if digits and int(digits) < 2048:
            return failed(f"{algorithm} keys are too short", at="key_algorithm")
        return passed(algorithm)
    return failed(f"key algorithm {algorithm} is not RSA 2048+ or EC", at="key_algorithm")
