"""3.1.1 data residency and 3.1.2 attack surface on AWS: network ACLs, default security
groups, flow logs, public search and warehouse endpoints, database patching."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.aws import (
    AwsProvider,
    AwsResource,
    BackupPlan,
    DatabaseInstance,
    DynamoDbTable,
    FlowLog,
    NetworkAcl,
    NetworkAclRule,
    OpenSearchDomain,
    RedshiftCluster,
    Vpc,
)
from tutela.model.base import SOURCE_AWS
from tutela.model.inventory import Inventory
from tutela.model.values import Unknown, UnknownValueError, is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.network.aws import ADMIN_PORTS
from tutela.rules.settings import Settings

_WORLD = {"0.0.0.0/0": "cidr_block", "::/0": "ipv6_cidr_block"}


def _known(value: object) -> object:
    if isinstance(value, Unknown):
        raise UnknownValueError(value)
    return value


def _covers(rule_: NetworkAclRule, port: int) -> bool:
    proto = str(_known(rule_.protocol))
    if proto in ("-1", "all"):
        return True
    if proto not in ("tcp", "6"):
        return False
    lo, hi = _known(rule_.from_port), _known(rule_.to_port)
    low = lo if isinstance(lo, int) else 0
    high = hi if isinstance(hi, int) else 65535
    return low <= port <= high


def _return_traffic(rule_: NetworkAclRule) -> bool:
    """An allow for the ephemeral range (1024-65535 or narrower, up to 65535): the return
    traffic a stateless ACL must admit, not a listener."""
    lo, hi = _known(rule_.from_port), _known(rule_.to_port)
    return (str(_known(rule_.protocol)) in ("tcp", "6") and isinstance(lo, int)
            and lo >= 1024 and hi == 65535)


def _internet_allowed(rules: list[NetworkAclRule], port: int, world: str) -> NetworkAclRule | None:
    """The rule that decides traffic from anywhere (`world`) to `port`, when it allows it."""
    attr = _WORLD[world]
    ordered = sorted(rules, key=lambda r: int(_known(r.rule_number)))  # type: ignore[call-overload]
    for rule_ in ordered:
        if _known(getattr(rule_, attr)) != world or not _covers(rule_, port):
            continue
        if _known(rule_.action) != "allow":
            return None
        return None if _return_traffic(rule_) else rule_
    return None


@rule(
    code="NET006",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Deny SSH, RDP and WinRM from 0.0.0.0/0 and ::/0 in the network ACL (a lower-numbered
        deny entry, or allow entries only for the administrators' ranges).
    """,
    snippets={
        "terraform": """
            ingress {
              rule_no    = 100
              protocol   = "tcp"
              action     = "deny"
              cidr_block = "0.0.0.0/0"
              from_port  = 22
              to_port    = 22
            }
        """,
        "cloudformation": """
            DenySsh:
              Type: AWS::EC2::NetworkAclEntry
              Properties:
                NetworkAclId: !Ref PublicAcl
                RuleNumber: 100
                Protocol: 6
                RuleAction: deny
                CidrBlock: 0.0.0.0/0
                PortRange: {From: 22, To: 22}
        """,
    },
)
def network_acl_blocks_admin_ports_from_internet(acl: NetworkAcl) -> Iterator[Verdict]:
    """Network ACLs do not admit SSH, RDP or WinRM from the internet.

    Why: network ACLs are the subnet's stateless first filter (CIS AWS 5.1); an entry that
    allows administration ports from anywhere leaves only the security groups between the
    internet and every host of the subnet. Entries are evaluated in rule-number order, as
    AWS does: a lower-numbered deny wins. The ephemeral range (from 1024 up to 65535)
    that a stateless ACL must open for return traffic is not counted as exposing RDP or
    WinRM.
    """
    rules = acl.rules
    if is_unknown(rules):
        yield unknown(f"entries are not known before apply: {rules.reason}", at="rules")
        return
    ingress = [r for r in rules if not r.egress]
    bad: dict[str, list[str]] = {}
    try:
        for port, name in sorted(ADMIN_PORTS.items()):
            for world in _WORLD:
                found = _internet_allowed(ingress, port, world)
                if found is not None:
                    bad.setdefault(found.path, []).append(f"{port} ({name}) from {world}")
    except UnknownValueError as exc:
        if not bad:
            yield unknown(f"an entry is not known before apply: {exc.unknown.reason}",
                          at="rules")
            return
    for path, what in bad.items():
        yield failed(f"entry admits {', '.join(dict.fromkeys(what))}", at=path, subject=path)
    if not bad:
        yield passed("no admin port open to the internet")


@rule(
    code="NET007",
    controls=("3.1.2.a.2", "3.1.2.b.1"),
    severity=Severity.LOW,
    remediation="""
        Manage each VPC's default security group and leave it without rules
        (`aws_default_security_group` with no `ingress`/`egress`; in CDK,
        `restrictDefaultSecurityGroup`), so nothing placed in it by mistake can talk.
    """,
    snippets={
        "terraform": """
            resource "aws_default_security_group" "main" {
              vpc_id = aws_vpc.main.id
            }
        """,
        "cloudformation": """
            RestrictDefaultSecurityGroup:
              Type: Custom::VpcRestrictDefaultSG
              Properties:
                ServiceToken: !GetAtt RestrictDefaultSgFunction.Arn
                DefaultSecurityGroupId: !GetAtt Vpc.DefaultSecurityGroup
        """,
    },
)
def vpc_default_security_group_restricts_all(vpc: Vpc) -> Verdict:
    """VPC default security groups admit no traffic.

    Why: resources launched without a security group land in the default one, which AWS
    creates allowing all traffic between its members and all egress (CIS AWS 5.4).
    Restricting it makes such mistakes fail closed.
    """
    restricted = vpc.default_sg_restricted
    if restricted is None:
        if vpc.source == SOURCE_AWS:
            return unknown("the default security group's rules were not collected",
                           at="default_sg_restricted")
        return failed("the default security group is not managed here and keeps AWS's "
                      "default rules (all traffic between members, all egress)",
                      at="default_sg_restricted")
    if is_unknown(restricted):
        return unknown(f"default security group rules not known: {restricted.reason}",
                       at="default_sg_restricted")
    if not restricted:
        return failed("the default security group has rules", at="default_sg_restricted")
    return passed()


def _flow_log_target_names(vpc: Vpc) -> set[str]:
    names = {vpc.address}
    if isinstance(vpc.vpc_id, str):
        names.add(vpc.vpc_id)
    return names


@rule(
    code="NET008",
    controls=("3.7.1.b.1", "3.1.1.a.3", "3.2.2.b.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Attach a flow log to every VPC (`aws_flow_log` with `vpc_id` and
        `traffic_type = "ALL"`) delivered to CloudWatch Logs or S3.
    """,
    snippets={
        "terraform": """
            resource "aws_flow_log" "main" {
              vpc_id               = aws_vpc.main.id
              traffic_type         = "ALL"
              log_destination_type = "s3"
              log_destination      = aws_s3_bucket.flow_logs.arn
            }
        """,
        "cloudformation": """
            VpcFlowLog:
              Type: AWS::EC2::FlowLog
              Properties:
                ResourceId: !Ref Vpc
                ResourceType: VPC
                TrafficType: ALL
                LogDestinationType: s3
                LogDestination: !GetAtt FlowLogBucket.Arn
        """,
    },
)
def vpc_flow_logs_enabled(vpc: Vpc, inventory: Inventory) -> Verdict:
    """Every VPC has a flow log.

    Why: flow logs are the network record investigators use to scope an intrusion and
    to prove which hosts talked to an exfiltration endpoint; without them that evidence
    never existed.
    """
    names = _flow_log_target_names(vpc)
    unknown_target: Unknown | None = None
    for flow in inventory.of(FlowLog):
        target = flow.target
        if isinstance(target, Unknown):
            unknown_target = target
        elif isinstance(target, str) and target in names:
            return passed(f"flow log {flow.address}")
    if unknown_target is not None:
        return unknown(f"a flow log's target is not known: {unknown_target.reason}")
    return failed("no flow log is attached to the VPC")


@rule(
    code="NET009",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Place the domain in private subnets (`vpc_options { subnet_ids, security_group_ids }`);
        a public domain endpoint cannot be moved into a VPC: recreate it.
    """,
    snippets={
        "terraform": """
            vpc_options {
              subnet_ids         = var.private_subnet_ids
              security_group_ids = [aws_security_group.search.id]
            }
        """,
        "cloudformation": """
            VPCOptions:
              SubnetIds: !Ref PrivateSubnets
              SecurityGroupIds: [!Ref SearchSecurityGroup]
        """,
    },
)
def search_domain_in_vpc(domain: OpenSearchDomain) -> Verdict:
    """OpenSearch domains are reachable only from inside a VPC.

    Why: a domain outside a VPC has an internet-facing endpoint protected only by its
    access policy; one permissive statement exposes every index.
    """
    if not domain.in_vpc:
        return failed("the domain has a public endpoint (no vpc_options)", at="in_vpc")
    return passed()


@rule(
    code="NET010",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="Set `publicly_accessible = false` and keep the cluster in private subnets.",
    snippets={
        "terraform": "publicly_accessible = false",
        "cloudformation": "PubliclyAccessible: false",
    },
)
def warehouse_not_publicly_accessible(cluster: RedshiftCluster) -> Verdict:
    """Redshift clusters are not publicly accessible.

    Why: a public cluster endpoint puts the warehouse's listener, and every password
    guess, on the internet.
    """
    if cluster.publicly_accessible:
        return failed("the cluster has a public endpoint", at="publicly_accessible")
    return passed()


@rule(
    code="NET011",
    controls=("3.1.2.a.4",),
    severity=Severity.LOW,
    remediation="""
        Keep `auto_minor_version_upgrade = true` so security patches apply in the
        maintenance window.
    """,
    snippets={
        "terraform": "auto_minor_version_upgrade = true",
        "cloudformation": "AutoMinorVersionUpgrade: true",
    },
)
def database_receives_minor_upgrades(db: DatabaseInstance) -> Verdict:
    """Database instances apply minor engine upgrades automatically.

    Why: minor versions carry the engine's security fixes; turning automatic upgrades
    off leaves patching to a manual process the policy's patch SLAs must then prove.
    """
    if db.is_cluster:
        return not_applicable("minor upgrades are set on the cluster's instances")
    if not db.auto_minor_version_upgrade:
        return failed("automatic minor version upgrades are off",
                      at="auto_minor_version_upgrade")
    return passed()


_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")
_NOT_REGIONS = frozenset({"", "aws-global", "global"})


def _declared_regions(resource: AwsResource) -> list[tuple[object, str]]:
    """Where a resource keeps data: its region, and its replicas' or copies' regions."""
    parts: list[tuple[object, str]] = []
    if resource.region is not None:
        parts.append((resource.region, "region"))
    if isinstance(resource, DynamoDbTable):
        replicas = resource.replica_regions
        if isinstance(replicas, Unknown):
            parts.append((replicas, "replica_regions"))
        else:
            parts.extend((r, "replica_regions") for r in replicas)
    if isinstance(resource, BackupPlan) and not isinstance(resource.rules, Unknown):
        for backup_rule in resource.rules:
            copies = backup_rule.copy_destinations
            if isinstance(copies, Unknown):
                parts.append((copies, backup_rule.path or "rules"))
                continue
            for arn in copies:
                m = _ARN_REGION.match(arn)
                if m:
                    parts.append((m.group(1), backup_rule.path or "rules"))
    return parts


@rule(
    code="RES001",
    controls=("3.1.1.b.3",),
    severity=Severity.HIGH,
    remediation="""
        Deploy only to the organisation's approved regions (`[settings] approved_regions`,
        by default the four US commercial regions): fix the provider's (or resource's)
        `region`, global-table replicas and backup copy destinations.
    """,
    snippets={
        "terraform": """
            provider "aws" {
              region = "us-east-1"
            }
        """,
    },
)
def resource_in_approved_region(resource: AwsResource, settings: Settings) -> Iterator[Verdict]:
    """Resources, replicas and backup copies stay in approved regions.

    Why: ENG-POL-003 requires data residency controls: ePHI must stay within the regions
    the organisation approved for regulatory reasons. Terraform resources take their
    region from the provider configuration they use (or their own `region`); a region set
    only at run time, like a CloudFormation stack's, is not evaluated. Global services
    (IAM, CloudFront) have no region.
    """
    if isinstance(resource, AwsProvider):
        return
    parts = [(value, at) for value, at in _declared_regions(resource)
             if not (isinstance(value, str) and value in _NOT_REGIONS)]
    if not parts:
        return
    approved = set(settings.approved_regions)
    bad = [(v, at) for v, at in parts if isinstance(v, str) and v not in approved]
    for value, at in bad:
        yield failed(f"{value} is not an approved region", at=at, subject=f"{at}:{value}"
                     if at != "region" else None)
    if bad:
        return
    unknowns = [v for v, _ in parts if isinstance(v, Unknown)]
    if unknowns:
        yield unknown(f"region not known: {unknowns[0].reason}", at="region")
        return
    yield passed(", ".join(sorted({str(v) for v, _ in parts})))
