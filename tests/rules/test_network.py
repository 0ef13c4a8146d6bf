"""NET001-NET005 on the model: security group exposure, public databases, IMDSv2, EKS API."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import (
    DatabaseInstance,
    Ec2Instance,
    EksCluster,
    MetadataOptions,
    SecurityGroup,
    SecurityGroupRule,
)
from tutela.model.base import Resource
from tutela.model.values import Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.network import aws as network

NET001 = network.security_group_blocks_admin_ports_from_internet
NET002 = network.security_group_blocks_database_ports_from_internet
NET003 = network.database_not_publicly_accessible
NET004 = network.instance_requires_imdsv2
NET005 = network.eks_api_not_open_to_internet

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
WORLD = ("0.0.0.0/0",)


def outcomes(rule: Rule, resource: Resource) -> set[Status]:
    """The statuses the engine gives `rule` on `resource` (Unknown handling included)."""
    return {f.status for f in evaluate([resource], RuleSet.of([rule]))}


# --- factories: each states only what a case is about ----------------------------------------


def ingress(
    port: int | Unknown | None,
    cidrs: tuple[str, ...] | Unknown = WORLD,
    *,
    to: int | Unknown | None = None,
    protocol: str | Unknown = "tcp",
    v6: tuple[str, ...] | Unknown = (),
    index: int = 0,
) -> SecurityGroupRule:
    return SecurityGroupRule(
        direction="ingress",
        protocol=protocol,
        from_port=port,
        to_port=port if to is None else to,
        cidr_blocks=cidrs,
        ipv6_cidr_blocks=v6,
        path=f"ingress[{index}]",
    )


def egress_all() -> SecurityGroupRule:
    return SecurityGroupRule("egress", "-1", 0, 0, WORLD, path="egress[0]")


def group(*rules: SecurityGroupRule, unknown_rules: str | None = None) -> SecurityGroup:
    return SecurityGroup(
        address="aws_security_group.web",
        native_type="aws_security_group",
        source="terraform",
        rules=Unknown(unknown_rules) if unknown_rules else rules,
    )


def database(**fields: object) -> DatabaseInstance:
    return DatabaseInstance(
        address="aws_db_instance.claims",
        native_type="aws_db_instance",
        source="terraform",
        engine="postgres",
        **fields,  # type: ignore[arg-type]
    )


def instance(
    tokens: str | Unknown = "required", endpoint: str | Unknown = "enabled"
) -> Ec2Instance:
    return Ec2Instance(
        address="aws_instance.app",
        native_type="aws_instance",
        source="terraform",
        metadata_options=MetadataOptions(http_tokens=tokens, http_endpoint=endpoint),
    )


def eks(**fields: object) -> EksCluster:
    return EksCluster(
        address="aws_eks_cluster.main",
        native_type="aws_eks_cluster",
        source="terraform",
        **fields,  # type: ignore[arg-type]
    )


# --- NET001 / NET002 ------------------------------------------------------------------------

SG_CASES = [
    # admin ports
    ("ssh-from-world", NET001, group(ingress(22)), {FAIL}),
    ("rdp-from-ipv6-world", NET001, group(ingress(3389, (), v6=("::/0",))), {FAIL}),
    ("winrm-in-a-range", NET001, group(ingress(5000, to=6000)), {FAIL}),
    ("all-traffic-from-world", NET001, group(ingress(0, to=0, protocol="-1")), {FAIL}),
    ("all-tcp-ports-unset", NET001, group(ingress(None)), {FAIL}),
    ("ssh-from-vpn-cidr", NET001, group(ingress(22, ("10.20.0.0/16",))), {PASS}),
    ("https-from-world", NET001, group(ingress(443), egress_all()), {PASS}),
    ("icmp-from-world", NET001, group(ingress(-1, protocol="icmp")), {PASS}),
    ("no-rules", NET001, group(), {PASS}),
    ("egress-only-to-world", NET001, group(egress_all()), {PASS}),
    ("rules-unknown", NET001, group(unknown_rules="rules come from a module output"), {NE}),
    ("cidrs-unknown", NET001, group(ingress(22, Unknown("var.admin_cidrs"))), {NE}),
    ("port-unknown", NET001, group(ingress(Unknown("var.port"))), {NE}),
    ("protocol-unknown", NET001, group(ingress(22, protocol=Unknown("var.p"))), {NE}),
    # database ports
    ("postgres-from-world", NET002, group(ingress(5432)), {FAIL}),
    ("redis-from-ipv6-world", NET002, group(ingress(6379, (), v6=("::/0",))), {FAIL}),
    ("mysql-from-private-cidr", NET002, group(ingress(3306, ("10.0.0.0/8",))), {PASS}),
    ("ssh-only", NET002, group(ingress(22, ("10.0.0.0/8",))), {PASS}),
    ("db-rules-unknown", NET002, group(unknown_rules="dynamic rules"), {NE}),
    ("db-cidrs-unknown", NET002, group(ingress(5432, Unknown("var.cidrs"))), {NE}),
]


@pytest.mark.parametrize(
    ("rule", "resource", "expected"),
    [pytest.param(r, res, exp, id=f"{r.code}-{name}") for name, r, res, exp in SG_CASES],
)
def test_security_group_rules(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def test_unknown_ingress_rule_never_lets_the_group_pass() -> None:
    sg = group(ingress(22, Unknown("var.admin_cidrs"), index=0), ingress(443, index=1))
    assert outcomes(NET001, sg) == {NE}


def test_one_failure_per_offending_ingress_rule() -> None:
    sg = group(ingress(22, index=0), ingress(443, index=1), ingress(3389, index=2))
    findings = evaluate([sg], RuleSet.of([NET001]))
    assert [(f.status, f.subject) for f in findings] == [
        (FAIL, "ingress[0]"),
        (FAIL, "ingress[2]"),
    ]


# --- NET003 ---------------------------------------------------------------------------------

DB_CASES = [
    ("public", database(publicly_accessible=True), {FAIL}),
    ("private", database(publicly_accessible=False), {PASS}),
    ("default-private", database(), {PASS}),
    ("unknown", database(publicly_accessible=Unknown("var.public")), {NE}),
]


@pytest.mark.parametrize(
    ("resource", "expected"), [pytest.param(r, e, id=n) for n, r, e in DB_CASES]
)
def test_net003_database_not_public(resource: Resource, expected: set[Status]) -> None:
    assert outcomes(NET003, resource) == expected


# --- NET004 ---------------------------------------------------------------------------------

IMDS_CASES = [
    ("imdsv2-required", instance("required"), {PASS}),
    ("imdsv1-optional", instance("optional"), {FAIL}),
    ("metadata-disabled", instance("optional", "disabled"), {PASS}),
    (
        "launch-template-optional",
        replace(instance("optional"), is_template=True, native_type="aws_launch_template"),
        {FAIL},
    ),
    ("tokens-unknown", instance(Unknown("var.http_tokens")), {NE}),
    ("endpoint-unknown", instance("optional", Unknown("var.endpoint")), {NE}),
]


@pytest.mark.parametrize(
    ("resource", "expected"), [pytest.param(r, e, id=n) for n, r, e in IMDS_CASES]
)
def test_net004_imdsv2(resource: Resource, expected: set[Status]) -> None:
    assert outcomes(NET004, resource) == expected


# --- NET005 ---------------------------------------------------------------------------------

EKS_CASES = [
    ("public-default-cidrs", eks(), {FAIL}),
    ("public-world-cidr", eks(public_access_cidrs=("203.0.113.0/24", "0.0.0.0/0")), {FAIL}),
    ("public-restricted", eks(public_access_cidrs=("203.0.113.0/24",)), {PASS}),
    ("private-only", eks(endpoint_public_access=False, endpoint_private_access=True), {PASS}),
    ("public-access-unknown", eks(endpoint_public_access=Unknown("var.public")), {NE}),
    ("cidrs-unknown", eks(public_access_cidrs=Unknown("var.cidrs")), {NE}),
]


@pytest.mark.parametrize(
    ("resource", "expected"), [pytest.param(r, e, id=n) for n, r, e in EKS_CASES]
)
def test_net005_eks_endpoint(resource: Resource, expected: set[Status]) -> None:
    assert outcomes(NET005, resource) == expected


def test_failures_name_the_offending_field() -> None:
    finding = evaluate([instance("optional")], RuleSet.of([NET004]))[0]
    assert finding.status is FAIL
    assert "optional" in finding.message
