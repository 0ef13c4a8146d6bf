"""IAM001-IAM006 on the model: wildcard policies, direct grants, static keys, RBAC, trust."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import AccessKey, IamPolicy, IamRole, IamUser
from tutela.model.base import Resource
from tutela.model.kubernetes import PodSpec, RoleBinding, Subject, Workload
from tutela.model.policy import PolicyDocument, parse_policy
from tutela.model.values import Reference, Unknown
from tutela.rules import default_rules
from tutela.rules.api import Rule, Status

identity = SimpleNamespace(**{r.name: r for r in default_rules()})

IAM001 = identity.policy_grants_no_wildcard_admin
IAM002 = identity.user_has_no_direct_policies
IAM003 = identity.no_static_access_keys_in_code
IAM004 = identity.rbac_binds_no_cluster_admin
IAM005 = identity.workload_does_not_automount_default_token
IAM006 = identity.role_trust_policy_not_public

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED


def outcomes(rule: Rule, resource: Resource) -> set[Status]:
    return {f.status for f in evaluate([resource], RuleSet.of([rule]))}


# --- factories ------------------------------------------------------------------------------


def doc(*statements: dict[str, Any]) -> PolicyDocument:
    parsed = parse_policy({"Version": "2012-10-17", "Statement": list(statements)})
    assert isinstance(parsed, PolicyDocument)
    return parsed


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def policy(document: PolicyDocument | Unknown | None) -> IamPolicy:
    return IamPolicy(
        address="aws_iam_policy.app",
        native_type="aws_iam_policy",
        source="terraform",
        document=document,
    )


def user(attached: tuple[str, ...] = (), inline: tuple[str, ...] = ()) -> IamUser:
    return IamUser(
        address="aws_iam_user.ci",
        native_type="aws_iam_user",
        source="terraform",
        attached_policies=attached,
        inline_policies=inline,
    )


def binding(role: str, *subjects: Subject, cluster_wide: bool = True) -> RoleBinding:
    return RoleBinding(
        address="ClusterRoleBinding/ops",
        native_type="ClusterRoleBinding",
        source="kubernetes",
        cluster_wide=cluster_wide,
        role_kind="ClusterRole",
        role_name=role,
        subjects=subjects,
    )


def workload(sa: str | None = None, automount: bool | Unknown | None = None) -> Workload:
    pod = PodSpec(
        service_account_name=sa,
        automount_service_account_token=automount,
        path="spec.template.spec",
    )
    return Workload(
        address="Deployment/billing/api",
        native_type="Deployment",
        source="kubernetes",
        workload_kind="Deployment",
        namespace="billing",
        pod=pod,
    )


def role(trust: PolicyDocument | Unknown | None) -> IamRole:
    return IamRole(
        address="aws_iam_role.app",
        native_type="aws_iam_role",
        source="terraform",
        assume_role_policy=trust,
    )


def trust(principal: Any, **extra: Any) -> PolicyDocument:
    return doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal, **extra})


# --- cases ----------------------------------------------------------------------------------

CASES = [
    # IAM001
    ("IAM001", "star-on-star", policy(doc(allow("*"))), {FAIL}),
    ("IAM001", "star-list-on-star", policy(doc(allow(["*"], ["*"]))), {FAIL}),
    ("IAM001", "named-actions", policy(doc(allow(["s3:GetObject"], "arn:aws:s3:::r/*"))), {PASS}),
    ("IAM001", "star-on-one-bucket", policy(doc(allow("*", "arn:aws:s3:::reports/*"))), {PASS}),
    (
        "IAM001",
        "deny-star",
        policy(doc({"Effect": "Deny", "Action": "*", "Resource": "*"})),
        {PASS},
    ),
    ("IAM001", "no-document", policy(None), {NA}),
    ("IAM001", "document-unknown", policy(Unknown("data source known after apply")), {NE}),
    # IAM002 (fields are plain tuples: no Unknown input exists)
    ("IAM002", "managed-attachment", user(attached=("arn:aws:iam::aws:policy/ReadOnly",)), {FAIL}),
    ("IAM002", "inline-policy", user(inline=("ci-deploy",)), {FAIL}),
    ("IAM002", "groups-only", user(), {PASS}),
    # IAM003: any declared key fails, whatever its state
    (
        "IAM003",
        "active-key",
        AccessKey(
            address="aws_iam_access_key.ci",
            native_type="aws_iam_access_key",
            source="terraform",
            user=Reference("aws_iam_user.ci", "name"),
        ),
        {FAIL},
    ),
    (
        "IAM003",
        "user-unknown-irrelevant",
        AccessKey(
            address="aws_iam_access_key.ci",
            native_type="aws_iam_access_key",
            source="terraform",
            user=Unknown("var.user"),
        ),
        {FAIL},
    ),
    # IAM004
    (
        "IAM004",
        "admin-to-user",
        binding("cluster-admin", Subject("User", "jane@example.com")),
        {FAIL},
    ),
    ("IAM004", "admin-to-group", binding("cluster-admin", Subject("Group", "oncall")), {FAIL}),
    (
        "IAM004",
        "admin-to-default-sa",
        binding("cluster-admin", Subject("ServiceAccount", "default", "payments")),
        {FAIL},
    ),
    (
        "IAM004",
        "admin-to-system-masters",
        binding("cluster-admin", Subject("Group", "system:masters")),
        {PASS},
    ),
    (
        "IAM004",
        "admin-to-all-service-accounts",
        binding("cluster-admin", Subject("Group", "system:serviceaccounts")),
        {FAIL},
    ),
    (
        "IAM004",
        "admin-to-authenticated",
        binding("cluster-admin", Subject("Group", "system:authenticated")),
        {FAIL},
    ),
    ("IAM004", "view-to-user", binding("view", Subject("User", "jane@example.com")), {PASS}),
    # IAM005
    ("IAM005", "default-sa-automount", workload(), {FAIL}),
    ("IAM005", "explicit-default-sa", workload(sa="default", automount=True), {FAIL}),
    ("IAM005", "automount-off", workload(automount=False), {PASS}),
    ("IAM005", "dedicated-sa", workload(sa="billing-api"), {PASS}),
    ("IAM005", "automount-unknown", workload(automount=Unknown("{{ .Values.automount }}")), {NE}),
    # IAM006
    ("IAM006", "anyone", role(trust("*")), {FAIL}),
    ("IAM006", "any-aws-account", role(trust({"AWS": "*"})), {FAIL}),
    ("IAM006", "service", role(trust({"Service": "lambda.amazonaws.com"})), {PASS}),
    (
        "IAM006",
        "star-with-org-condition",
        role(trust({"AWS": "*"}, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})),
        {PASS},
    ),
    ("IAM006", "no-trust-policy", role(None), {NA}),
    ("IAM006", "trust-unknown", role(Unknown("file() of a generated document")), {NE}),
]

RULES = {r.code: r for r in (IAM001, IAM002, IAM003, IAM004, IAM005, IAM006)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_identity_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


def test_iam001_one_failure_per_offending_statement() -> None:
    p = policy(
        doc(allow("s3:GetObject", "arn:aws:s3:::a/*"), allow("*", Sid="Admin"), allow("*", "*"))
    )
    findings = evaluate([p], RuleSet.of([IAM001]))
    assert [(f.status, f.subject) for f in findings] == [(FAIL, "Admin"), (FAIL, "statement[2]")]
