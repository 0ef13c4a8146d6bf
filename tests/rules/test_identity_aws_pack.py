"""IAM007-IAM013 on the model: MFA and session limits for administrators, SSO, function
roles, iam:PassRole, cache authentication."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules._aws_pack import FAIL, NA, NE, PASS, U, doc, make, outcomes

from tutela.model.aws import (
    ElastiCacheReplicationGroup,
    IamPolicy,
    IamRole,
    IamUser,
    LambdaFunction,
)
from tutela.model.base import Resource
from tutela.model.values import Reference
from tutela.rules.api import Rule, Status
from tutela.rules.identity import aws_access as access

ADMIN = {"Effect": "Allow", "Action": "*", "Resource": "*"}
MFA = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
DENY_NO_MFA = {"Effect": "Deny", "Action": "*", "Resource": "*",
               "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def policy(*statements: dict[str, Any], **f: Any) -> IamPolicy:
    return make(IamPolicy, document=doc(*statements), **f)


def trust(principal: dict[str, Any], condition: dict[str, Any] | None = None) -> Any:
    st: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal}
    if condition:
        st["Condition"] = condition
    return doc(st)


PEOPLE = {"AWS": "arn:aws:iam::111122223333:root"}
SAML = {"Federated": "arn:aws:iam::111122223333:saml-provider/idp"}
SERVICE = {"Service": "lambda.amazonaws.com"}


def role(principal: dict[str, Any], condition: dict[str, Any] | None = None,
         **f: Any) -> IamRole:
    return make(IamRole, assume_role_policy=trust(principal, condition), **f)


CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("group admin with mfa", access.human_admin_access_requires_mfa,
     policy({**ADMIN, "Condition": MFA}, attached_to="group"), {PASS}),
    ("group admin deny without mfa", access.human_admin_access_requires_mfa,
     policy(ADMIN, DENY_NO_MFA, attached_to="group"), {PASS}),
    ("group admin", access.human_admin_access_requires_mfa, policy(ADMIN, attached_to="group"),
     {FAIL}),
    ("managed policy on user", access.human_admin_access_requires_mfa,
     policy(ADMIN, attachments=("user:alice",)), {FAIL}),
    ("iam:* is admin", access.human_admin_access_requires_mfa,
     policy({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}, attached_to="user"),
     {FAIL}),
    ("role policy", access.human_admin_access_requires_mfa, policy(ADMIN, attached_to="role"),
     {NA}),
    ("read-only group", access.human_admin_access_requires_mfa,
     policy({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}, attached_to="group"),
     {NA}),
    ("unknown document", access.human_admin_access_requires_mfa,
     make(IamPolicy, document=U, attached_to="group"), {NE}),
    ("admin role mfa", access.admin_role_assumption_requires_mfa,
     role(PEOPLE, MFA, managed_policy_arns=(ADMIN_ARN,)), {PASS}),
    ("admin role no mfa", access.admin_role_assumption_requires_mfa,
     role(PEOPLE, managed_policy_arns=(ADMIN_ARN,)), {FAIL}),
    ("inline admin no mfa", access.admin_role_assumption_requires_mfa,
     role({"AWS": "arn:aws:iam::111122223333:user/bob"}, inline_policies=(doc(ADMIN),)),
     {FAIL}),
    ("saml role", access.admin_role_assumption_requires_mfa,
     role(SAML, managed_policy_arns=(ADMIN_ARN,)), {NA}),
    ("service role", access.admin_role_assumption_requires_mfa,
     role(SERVICE, managed_policy_arns=(ADMIN_ARN,)), {NA}),
    ("non-admin role", access.admin_role_assumption_requires_mfa,
     role(PEOPLE, managed_policy_arns=("arn:aws:iam::aws:policy/ReadOnlyAccess",)), {NA}),
    ("trust unknown", access.admin_role_assumption_requires_mfa,
     make(IamRole, assume_role_policy=U), {NE}),
    ("policies unknown", access.admin_role_assumption_requires_mfa,
     role(PEOPLE, managed_policy_arns=U), {NE}),
    ("session 1h", access.admin_role_sessions_are_short,
     role(SAML, managed_policy_arns=(ADMIN_ARN,), max_session_duration=3600), {PASS}),
    ("session 12h", access.admin_role_sessions_are_short,
     role(SAML, managed_policy_arns=(ADMIN_ARN,), max_session_duration=43200), {FAIL}),
    ("session unknown", access.admin_role_sessions_are_short,
     role(PEOPLE, managed_policy_arns=(ADMIN_ARN,), max_session_duration=U), {NE}),
    ("service session", access.admin_role_sessions_are_short,
     role(SERVICE, managed_policy_arns=(ADMIN_ARN,), max_session_duration=43200), {NA}),
    ("console user", access.console_users_sign_in_through_sso,
     make(IamUser, has_console_password=True), {FAIL}),
    ("api user", access.console_users_sign_in_through_sso, make(IamUser), {PASS}),
    ("login unknown", access.console_users_sign_in_through_sso,
     make(IamUser, has_console_password=U), {NE}),
    ("passrole star", access.pass_role_is_scoped,
     policy({"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}),
     {FAIL}),
    ("iam star", access.pass_role_is_scoped,
     policy({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}), {FAIL}),
    ("passrole named", access.pass_role_is_scoped,
     policy({"Effect": "Allow", "Action": "iam:PassRole",
             "Resource": "arn:aws:iam::1:role/app"}), {PASS}),
    ("admin is IAM001's", access.pass_role_is_scoped, policy(ADMIN), {PASS}),
    ("passrole unknown", access.pass_role_is_scoped, make(IamPolicy, document=U), {NE}),
    ("cache auth", access.cache_requires_authentication,
     make(ElastiCacheReplicationGroup, auth_token_set=True), {PASS}),
    ("cache open", access.cache_requires_authentication, make(ElastiCacheReplicationGroup),
     {FAIL}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def fn(**f: Any) -> LambdaFunction:
    return make(LambdaFunction, **f)


LAMBDA_ROLE = role(SERVICE, address="aws_iam_role.worker", role_name="worker")


@pytest.mark.parametrize(("function", "others", "expected"), [
    pytest.param(fn(role=Reference("aws_iam_role.worker", "arn")),
                 [role(SERVICE, address="aws_iam_role.worker", role_name="worker",
                       inline_policies=(doc({"Effect": "Allow", "Action": "s3:GetObject",
                                             "Resource": "*"}),))], {PASS}, id="scoped"),
    pytest.param(fn(role=Reference("aws_iam_role.worker", "arn")),
                 [role(SERVICE, address="aws_iam_role.worker", role_name="worker",
                       managed_policy_arns=("aws_iam_policy.p.arn",)),
                  make(IamPolicy, address="aws_iam_policy.p",
                       document=doc({"Effect": "Allow", "Action": "dynamodb:*",
                                     "Resource": "*"}))], {FAIL}, id="service-star"),
    pytest.param(fn(role="arn:aws:iam::1:role/worker"),
                 [role(SERVICE, address="aws_iam_role.worker", role_name="worker",
                       managed_policy_arns=("arn:aws:iam::aws:policy/AmazonS3FullAccess",))],
                 {FAIL}, id="full-access-by-arn"),
    pytest.param(fn(role="arn:aws:iam::1:role/elsewhere"), [], {NA}, id="role-not-in-scan"),
    pytest.param(fn(role_policies=(doc({"Effect": "Allow", "Action": "*", "Resource": "*"}),)),
                 [], {FAIL}, id="sam-inline-star"),
    pytest.param(fn(role_managed_policies=("AWSLambdaBasicExecutionRole",)), [], {PASS},
                 id="sam-basic"),
    pytest.param(fn(role_policies=U), [], {NE}, id="sam-unknown"),
    pytest.param(fn(), [], {NA}, id="no-role"),
])
def test_function_role(function: LambdaFunction, others: list[Resource],
                       expected: set[Status]) -> None:
    assert outcomes(access.function_role_has_no_wildcard_actions, function, *others) == expected


def test_same_address_in_another_root_module_is_not_taken() -> None:
    from tutela.model.values import Location

    def at(file: str, **f: Any) -> IamRole:
        return role(SERVICE, address="aws_iam_role.worker", role_name="worker",
                    location=Location(file, 1, 9), **f)

    function = fn(role=Reference("aws_iam_role.worker", "arn"),
                  location=Location("svc-a/main.tf", 20, 30))
    scoped = at("svc-a/main.tf")
    admin = at("svc-b/main.tf", managed_policy_arns=(ADMIN_ARN,))
    assert outcomes(access.function_role_has_no_wildcard_actions, function, scoped,
                    admin) == {PASS}
    elsewhere = fn(role=Reference("aws_iam_role.worker", "arn"),
                   location=Location("svc-c/main.tf", 1, 2))
    assert outcomes(access.function_role_has_no_wildcard_actions, elsewhere, scoped,
                    admin) == {NA}


def test_admin_role_through_a_customer_policy_in_the_scan() -> None:
    admin_policy = make(IamPolicy, address="aws_iam_policy.admin", document=doc(ADMIN))
    r = role(PEOPLE, managed_policy_arns=("aws_iam_policy.admin.arn",))
    assert outcomes(access.admin_role_assumption_requires_mfa, r, admin_policy) == {FAIL}
