"""NET006-NET011, RES001 on the model."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules._aws_pack import FAIL, NA, NE, PASS, U, make, outcomes

from tutela.model.aws import (
    BackupPlan,
    BackupRule,
    DatabaseInstance,
    DynamoDbTable,
    FlowLog,
    IamRole,
    NetworkAcl,
    NetworkAclRule,
    OpenSearchDomain,
    RedshiftCluster,
    S3Bucket,
    Vpc,
)
from tutela.model.base import Resource
from tutela.rules.api import Rule, Status
from tutela.rules.network import aws_pack as pack
from tutela.rules.settings import Settings


def entry(number: Any, action: Any, proto: Any = "tcp", lo: Any = 22, hi: Any = 22,
          cidr: Any = "0.0.0.0/0", egress: bool = False, v6: Any = None) -> NetworkAclRule:
    return NetworkAclRule(egress=egress, rule_number=number, action=action, protocol=proto,
                          from_port=lo, to_port=hi, cidr_block=cidr, ipv6_cidr_block=v6,
                          path=f"rules[{number}]")


def acl(*rules: NetworkAclRule) -> NetworkAcl:
    return make(NetworkAcl, rules=tuple(rules))


CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("ssh open", pack.network_acl_blocks_admin_ports_from_internet, acl(entry(100, "allow")),
     {FAIL}),
    ("deny first", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(200, "allow", "-1", 0, 0), entry(100, "deny", "tcp", 0, 65535)), {PASS}),
    ("allow all", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", "-1", 0, 0)), {FAIL}),
    ("ipv6 rdp", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", "tcp", 3389, 3389, cidr=None, v6="::/0")), {FAIL}),
    ("vpn only", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", cidr="10.20.0.0/16")), {PASS}),
    ("ephemeral", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", "tcp", 1024, 65535)), {PASS}),
    ("egress ignored", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", "-1", 0, 0, egress=True)), {PASS}),
    ("udp", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", "udp", 0, 65535)), {PASS}),
    ("unknown cidr", pack.network_acl_blocks_admin_ports_from_internet,
     acl(entry(100, "allow", cidr=U)), {NE}),
    ("unknown rules", pack.network_acl_blocks_admin_ports_from_internet,
     make(NetworkAcl, rules=U), {NE}),
    ("default sg restricted", pack.vpc_default_security_group_restricts_all,
     make(Vpc, default_sg_restricted=True), {PASS}),
    ("default sg rules", pack.vpc_default_security_group_restricts_all,
     make(Vpc, default_sg_restricted=False), {FAIL}),
    ("default sg unmanaged", pack.vpc_default_security_group_restricts_all, make(Vpc), {FAIL}),
    ("default sg live unknown", pack.vpc_default_security_group_restricts_all,
     make(Vpc, source="aws"), {NE}),
    ("default sg unknown", pack.vpc_default_security_group_restricts_all,
     make(Vpc, default_sg_restricted=U), {NE}),
    ("search in vpc", pack.search_domain_in_vpc, make(OpenSearchDomain, in_vpc=True), {PASS}),
    ("search public", pack.search_domain_in_vpc, make(OpenSearchDomain), {FAIL}),
    ("warehouse private", pack.warehouse_not_publicly_accessible, make(RedshiftCluster), {PASS}),
    ("warehouse public", pack.warehouse_not_publicly_accessible,
     make(RedshiftCluster, publicly_accessible=True), {FAIL}),
    ("minor upgrades", pack.database_receives_minor_upgrades, make(DatabaseInstance), {PASS}),
    ("no minor upgrades", pack.database_receives_minor_upgrades,
     make(DatabaseInstance, auto_minor_version_upgrade=False), {FAIL}),
    ("cluster", pack.database_receives_minor_upgrades,
     make(DatabaseInstance, is_cluster=True), {NA}),
    ("region ok", pack.resource_in_approved_region, make(S3Bucket, region="us-east-1"), {PASS}),
    ("region eu", pack.resource_in_approved_region, make(S3Bucket, region="eu-west-1"), {FAIL}),
    ("region unknown", pack.resource_in_approved_region, make(S3Bucket, region=U), {NE}),
    ("region unset", pack.resource_in_approved_region, make(S3Bucket), set()),
    ("global", pack.resource_in_approved_region, make(IamRole, region="aws-global"), set()),
    ("replica eu", pack.resource_in_approved_region,
     make(DynamoDbTable, replica_regions=("us-east-1", "eu-central-1")), {FAIL}),
    ("replicas us", pack.resource_in_approved_region,
     make(DynamoDbTable, replica_regions=("us-east-1", "us-west-2")), {PASS}),
    ("home unknown, replica eu", pack.resource_in_approved_region,
     make(DynamoDbTable, region=U, replica_regions=("eu-central-1",)), {FAIL}),
    ("copy to eu", pack.resource_in_approved_region, make(BackupPlan, region="us-east-1", rules=(
        BackupRule("daily", copy_destinations=(
            "arn:aws:backup:eu-west-1:1:backup-vault:dr",), path="rules[0]"),)), {FAIL}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def test_approved_regions_are_a_setting() -> None:
    eu = Settings(approved_regions=("eu-west-1",))
    assert outcomes(pack.resource_in_approved_region, make(S3Bucket, region="eu-west-1"),
                    settings=eu) == {PASS}


@pytest.mark.parametrize(("flow_target", "expected"), [
    ("aws_vpc.x", {PASS}), ("aws_vpc.other", {FAIL}), (U, {NE}),
])
def test_flow_logs_join_the_vpc(flow_target: Any, expected: set[Status]) -> None:
    vpc = make(Vpc, vpc_id="aws_vpc.x")
    flow = make(FlowLog, target=flow_target)
    assert outcomes(pack.vpc_flow_logs_enabled, vpc, flow) == expected
