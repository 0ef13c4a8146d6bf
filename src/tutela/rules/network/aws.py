"""3.1.2 Infrastructure hardening: attack surface and instance baselines."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import DatabaseInstance, Ec2Instance, EksCluster, SecurityGroup
from tutela.model.values import UnknownValueError, is_unknown
from tutela.rules.api import Severity, Verdict, failed, or_passed, passed, rule, unknown

ADMIN_PORTS = {22: "SSH", 3389: "RDP", 5985: "WinRM", 5986: "WinRM over TLS", 23: "Telnet"}
DATABASE_PORTS = {
    1433: "SQL Server",
    1521: "Oracle",
    3306: "MySQL/Aurora",
    5432: "PostgreSQL",
    5439: "Redshift",
    6379: "Redis",
    9042: "Cassandra",
    9200: "Elasticsearch/OpenSearch",
    11211: "Memcached",
    27017: "MongoDB",
}


def _open_ports(group: SecurityGroup, ports: dict[int, str]) -> Iterator[Verdict]:
    """One failure per ingress rule that admits one of `ports` from anywhere."""
    if is_unknown(group.rules):
        yield unknown(f"rules are not known before apply: {group.rules.reason}", at="rules")
        return

    def problems() -> Iterator[Verdict]:
        for rule_ in group.ingress:
            try:
                if not rule_.open_to_internet:
                    continue
                hit = sorted(p for p in ports if rule_.covers_port(p))
            except UnknownValueError as exc:
                yield unknown(
                    f"ingress rule not evaluated: {exc.unknown.reason}",
                    at=rule_.path,
                    subject=rule_.path,
                )
                continue
            if hit:
                names = ", ".join(f"{p} ({ports[p]})" for p in hit)
                yield failed(
                    f"ingress open to the internet on {names}", at=rule_.path, subject=rule_.path
                )

    yield from or_passed(problems(), "no ingress from 0.0.0.0/0 or ::/0 to these ports")


@rule(
    code="NET001",
    controls=("3.1.2.a.2",),
    severity=Severity.CRITICAL,
    remediation="""
        Remove ingress from 0.0.0.0/0 and ::/0 to administrative ports. Reach instances
        through AWS Systems Manager Session Manager or a bastion restricted to known CIDRs.
    """,
    snippets={
        "terraform": """
            ingress {
              from_port   = 22
              to_port     = 22
              protocol    = "tcp"
              cidr_blocks = ["10.20.0.0/16"] # the admin VPN only
            }
        """,
    },
)
def security_group_blocks_admin_ports_from_internet(group: SecurityGroup) -> Iterator[Verdict]:
    """Security groups do not expose SSH, RDP or other admin ports to the internet.

    Why: remote administration ports open to the world are scanned within minutes and
    are the commonest way into cloud hosts; ENG-POL-003 requires removing unnecessary
    exposure.
    """
    yield from _open_ports(group, ADMIN_PORTS)


@rule(
    code="NET002",
    controls=("3.1.2.a.2", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Allow database ports only from the application's security groups or private
        CIDRs, never from 0.0.0.0/0 or ::/0.
    """,
    snippets={
        "terraform": """
            ingress {
              from_port       = 5432
              to_port         = 5432
              protocol        = "tcp"
              security_groups = [aws_security_group.app.id]
            }
        """,
    },
)
def security_group_blocks_database_ports_from_internet(group: SecurityGroup) -> Iterator[Verdict]:
    """Security groups do not expose database, cache or search ports to the internet.

    Why: data stores reachable from anywhere put ePHI one leaked or weak password away
    from an attacker.
    """
    yield from _open_ports(group, DATABASE_PORTS)


@rule(
    code="NET003",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="Set `publicly_accessible = false` and place the database in private subnets.",
    snippets={
        "terraform": "publicly_accessible = false",
        "cloudformation": "PubliclyAccessible: false",
    },
)
def database_not_publicly_accessible(db: DatabaseInstance) -> Verdict:
    """Databases are not publicly accessible.

    Why: a public endpoint exposes the database listener to the internet; ePHI stores
    belong in private subnets reachable only from the application tier.
    """
    if db.publicly_accessible:
        return failed("the database has a public endpoint", at="publicly_accessible")
    return passed()


@rule(
    code="NET004",
    controls=("3.1.2.a.1", "3.1.2.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Require IMDSv2 session tokens: `metadata_options { http_tokens = "required" }`
        on instances and launch templates.
    """,
    snippets={
        "terraform": """
            metadata_options {
              http_endpoint = "enabled"
              http_tokens   = "required"
            }
        """,
        "cloudformation": """
            MetadataOptions:
              HttpTokens: required
        """,
    },
)
def instance_requires_imdsv2(instance: Ec2Instance) -> Verdict:
    """Instances and launch templates require IMDSv2.

    Why: IMDSv1 answers unauthenticated GET requests, so one server-side request forgery
    bug hands out the instance role's credentials; the CIS benchmark requires v2.
    """
    opts = instance.metadata_options
    if opts.http_endpoint == "disabled":
        return passed("instance metadata service disabled")
    if opts.http_tokens != "required":
        return failed(
            f"metadata http_tokens is {opts.http_tokens!r}, not 'required'", at="metadata_options"
        )
    return passed()


@rule(
    code="NET005",
    controls=("3.1.2.a.2", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Disable the public API endpoint (`endpoint_public_access = false`) or restrict
        `public_access_cidrs` to known administrative ranges.
    """,
    snippets={
        "terraform": """
            vpc_config {
              endpoint_private_access = true
              endpoint_public_access  = false
            }
        """,
    },
)
def eks_api_not_open_to_internet(cluster: EksCluster) -> Verdict:
    """Kubernetes API endpoints are not open to the whole internet.

    Why: an EKS control plane reachable from 0.0.0.0/0 leaves only credentials between
    the world and cluster-admin.
    """
    if not cluster.endpoint_public_access:
        return passed("public endpoint disabled")
    cidrs = cluster.public_access_cidrs
    if "0.0.0.0/0" in cidrs:
        return failed(
            "the API endpoint is public and allows 0.0.0.0/0", at="endpoint_public_access"
        )
    return passed("public endpoint restricted to specific CIDRs")
