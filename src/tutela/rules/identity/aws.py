"""3.2.1 Cloud IAM on AWS: least privilege, no static credentials in code, trust policies."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import AccessKey, IamPolicy, IamRole, IamUser
from tutela.model.base import SOURCE_AWS
from tutela.model.policy import PolicyDocument, allows_all_actions
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
from tutela.rules.identity._aws_policy import public_statements


@rule(
    code="IAM001",
    controls=("3.2.1.a.3", "3.1.1.a.1"),
    severity=Severity.CRITICAL,
    remediation="""
        Grant only the actions and resources the principal needs. Replace
        `Action: "*"` on `Resource: "*"` with named actions on named ARNs; give humans
        admin access through SSO permission sets with MFA instead.
    """,
    snippets={
        "terraform": """
            statement {
              actions   = ["s3:GetObject"]
              resources = ["${aws_s3_bucket.reports.arn}/*"]
            }
        """,
    },
)
def policy_grants_no_wildcard_admin(policy: IamPolicy) -> Iterator[Verdict]:
    """IAM policies do not allow every action on every resource.

    Why: `"Action": "*"` on `"Resource": "*"` is full administrator; a principal holding
    it defeats least privilege and role-based access control.
    """
    doc = policy.document
    if doc is None:
        yield not_applicable("no policy document")
        return
    if is_unknown(doc):
        yield unknown(f"policy document not known: {doc.reason}", at="document")
        return
    wildcards = (
        failed(
            f"statement {st.sid or i} allows Action '*' on Resource '*'",
            at="document",
            subject=st.sid or f"statement[{i}]",
        )
        for i, st in enumerate(doc.statements)
        if allows_all_actions(st) and "*" in st.resources
    )
    yield from or_passed(wildcards, "no statement allows '*' on '*'")


@rule(
    code="IAM002",
    controls=("3.2.1.a.3",),
    severity=Severity.MEDIUM,
    remediation="""
        Attach policies to groups or roles and put users in groups (or, better, use SSO
        roles); do not attach policies to individual users.
    """,
    snippets={
        "terraform": """
            resource "aws_iam_group_policy_attachment" "analysts" {
              group      = aws_iam_group.analysts.name
              policy_arn = aws_iam_policy.read_reports.arn
            }
        """,
    },
)
def user_has_no_direct_policies(user: IamUser) -> Verdict:
    """IAM users receive permissions through groups or roles, not directly.

    Why: per-user grants escape role-based reviews; quarterly access reviews certify
    roles, and permissions attached to people drift unnoticed.
    """
    direct = (*user.attached_policies, *user.inline_policies)
    if direct:
        return failed(
            f"policies attached directly to the user: {', '.join(direct)}", at="attached_policies"
        )
    return passed()


@rule(
    code="IAM003",
    controls=("3.2.1.b.2", "3.4.1.a.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Do not create long-lived access keys in code (their secret lands in the state
        file). Use IAM roles (instance profiles, IRSA, OIDC federation for CI) that issue
        short-lived credentials.
    """,
)
def no_static_access_keys_in_code(key: AccessKey) -> Verdict:
    """Infrastructure code declares no long-lived IAM access keys.

    Why: an access key created by IaC is stored in plaintext in the state and never
    rotates by itself; service accounts should use roles with temporary credentials.
    Keys read from a live account are judged by their rotation instead (ACC004).
    """
    if key.source == SOURCE_AWS:
        return not_applicable("a live access key; ACC004 judges its rotation")
    return failed("a long-lived IAM access key is declared", at="user")


@rule(
    code="IAM006",
    controls=("3.2.1.a.3",),
    severity=Severity.CRITICAL,
    remediation="""
        Name the accounts, services or identity providers that may assume the role in its
        trust policy; when a wildcard is unavoidable, narrow it with `aws:PrincipalOrgID`,
        `aws:PrincipalAccount` or `aws:PrincipalArn` (an `sts:ExternalId` alone does not
        name the caller).
    """,
)
def role_trust_policy_not_public(role: IamRole) -> Iterator[Verdict]:
    """Role trust policies do not let anyone assume the role.

    Why: a trust policy with `Principal: "*"` and no condition that names the caller
    (organization, account, ARN) lets any AWS account assume the role and act with its
    permissions.
    """
    doc = role.assume_role_policy
    if doc is None:
        yield not_applicable("no trust policy")
        return
    if is_unknown(doc):
        yield unknown(f"trust policy not known: {doc.reason}", at="assume_role_policy")
        return
    assert isinstance(doc, PolicyDocument)
    yield from or_passed(
        failed(
            "trust policy allows any principal without a condition naming the caller",
            at="assume_role_policy",
            subject=st.sid or f"statement[{i}]",
        )
        for i, st in public_statements(doc)
    )
