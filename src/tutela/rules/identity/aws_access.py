"""3.2.1 IAM on AWS: MFA and just-in-time limits for administrators, SSO for people,
least privilege for function roles and role passing, authenticated caches."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import (
    ElastiCacheReplicationGroup,
    IamPolicy,
    IamRole,
    IamUser,
    LambdaFunction,
)
from tutela.model.base import Resource
from tutela.model.inventory import Inventory
from tutela.model.policy import PolicyDocument, Statement, allows_all_actions
from tutela.model.values import Reference, Unknown, UnknownValueError, is_unknown
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
from tutela.rules.identity._aws_policy import (
    allows_action,
    denies_without_mfa,
    grants_admin,
    near_resource,
    requires_mfa,
    wildcard_actions,
)
from tutela.rules.settings import Settings

ADMIN_MANAGED_POLICIES = ("AdministratorAccess",)


def _is_admin_doc(doc: PolicyDocument) -> bool:
    """Full administrator, or `iam:*` on `*` (which can grant itself anything)."""
    if grants_admin(doc):
        return True
    return any(st.allows and "*" in st.resources and any(
        a.strip().lower() == "iam:*" for a in st.actions) for st in doc.statements)


def _admin_statements(doc: PolicyDocument) -> list[Statement]:
    return [st for st in doc.statements if st.allows and "*" in st.resources and (
        any(a.strip() == "*" or a.strip().lower() == "iam:*" for a in st.actions)
        or (st.not_actions and not st.actions))]


def _is_human_policy(policy: IamPolicy) -> bool:
    if policy.attached_to in ("user", "group"):
        return True
    return any(a.startswith(("user:", "group:")) for a in policy.attachments)


@rule(
    code="IAM007",
    controls=("3.2.1.a.2", "3.2.1.a.4"),
    severity=Severity.HIGH,
    remediation="""
        Give people administrator access through SSO permission sets (MFA at the identity
        provider). Where IAM users or groups must hold it, condition the grant on MFA
        (`aws:MultiFactorAuthPresent = true`) or add a statement denying everything
        without MFA.
    """,
    snippets={
        "terraform": """
            statement {
              sid       = "DenyWithoutMfa"
              effect    = "Deny"
              actions   = ["*"]
              resources = ["*"]
              condition {
                test     = "BoolIfExists"
                variable = "aws:MultiFactorAuthPresent"
                values   = ["false"]
              }
            }
        """,
        "cloudformation": """
            - Effect: Allow
              Action: "*"
              Resource: "*"
              Condition:
                Bool:
                  aws:MultiFactorAuthPresent: "true"
        """,
    },
)
def human_admin_access_requires_mfa(policy: IamPolicy) -> Verdict:
    """Administrator policies for IAM users and groups require MFA.

    Why: ENG-POL-003 requires MFA for all administrative access; a password (or a leaked
    access key) alone must not be enough to act as administrator. Policies attached only
    to roles are judged on the role's trust policy instead (IAM008).
    """
    if not _is_human_policy(policy):
        return not_applicable("not attached to IAM users or groups")
    doc = policy.document
    if doc is None:
        return not_applicable("no policy document")
    if is_unknown(doc):
        return unknown(f"policy document not known: {doc.reason}", at="document")
    if not _is_admin_doc(doc):
        return not_applicable("grants no administrator access")
    if denies_without_mfa(doc):
        return passed("everything is denied without MFA")
    if all(requires_mfa(st) for st in _admin_statements(doc)):
        return passed("administrator statements require MFA")
    return failed("grants administrator access to IAM users or groups without requiring MFA",
                  at="document")


def _policy_in_scan(arn: str, anchor: Resource, inventory: Inventory) -> IamPolicy | None:
    """A customer-managed policy by the text of its ARN (`aws_iam_policy.admin.arn`)."""
    for suffix in (".arn", ".id", ""):
        if suffix and not arn.endswith(suffix):
            continue
        found = near_resource(IamPolicy, arn[: len(arn) - len(suffix)] if suffix else arn, anchor,
                      inventory)
        if found is not None:
            return found
    return None


def _role_docs(role: IamRole, inventory: Inventory
               ) -> tuple[list[PolicyDocument], list[str], Unknown | None]:
    """The role's permission documents (inline, and customer-managed ones in the scan), the
    AWS-managed policy names it has, and an Unknown when some of them cannot be known.
    Attachments and inline policies declared as separate resources are folded into the
    role by the sources."""
    docs = list(role.inline_policies)
    managed: list[str] = []
    unknown_: Unknown | None = None
    arns = role.managed_policy_arns
    if isinstance(arns, Unknown):
        unknown_ = arns
        arns = ()
    for arn in arns:
        if ":aws:policy/" in arn:
            managed.append(arn.rsplit("/", 1)[-1])
            continue
        found = _policy_in_scan(arn, role, inventory)
        if found is not None:
            doc = found.document
            if isinstance(doc, PolicyDocument):
                docs.append(doc)
            elif isinstance(doc, Unknown):
                unknown_ = doc
    return docs, managed, unknown_


def _role_is_admin(role: IamRole, inventory: Inventory) -> bool:
    docs, managed, unknown_ = _role_docs(role, inventory)
    if any(m in ADMIN_MANAGED_POLICIES for m in managed) or any(_is_admin_doc(d) for d in docs):
        return True
    if unknown_ is not None:
        raise UnknownValueError(unknown_)
    return False


def _human_trust(role: IamRole) -> tuple[list[Statement], bool]:
    """Trust statements that let people assume the role (IAM users or whole accounts),
    and whether a SAML identity provider may (MFA is then the provider's)."""
    doc = role.assume_role_policy
    if doc is None:
        return [], False
    if isinstance(doc, Unknown):
        raise UnknownValueError(doc)
    people: list[Statement] = []
    saml = False
    for st in doc.statements:
        if not st.allows:
            continue
        for principal in st.principals:
            if principal.type == "Federated" and any(
                    ":saml-provider/" in i for i in principal.identifiers):
                saml = True
            if principal.type == "AWS" and any(
                    i.endswith(":root") or ":user/" in i or i.isdigit()
                    for i in principal.identifiers):
                people.append(st)
                break
    return people, saml


@rule(
    code="IAM008",
    controls=("3.2.1.a.2", "3.2.1.a.4"),
    severity=Severity.HIGH,
    remediation="""
        Require MFA to assume administrator roles: add `aws:MultiFactorAuthPresent = true`
        (or an `aws:MultiFactorAuthAge` bound) to the trust policy's statements for IAM
        users and accounts, or reach the role through SSO.
    """,
    snippets={
        "terraform": """
            condition {
              test     = "Bool"
              variable = "aws:MultiFactorAuthPresent"
              values   = ["true"]
            }
        """,
        "cloudformation": """
            Condition:
              Bool:
                aws:MultiFactorAuthPresent: "true"
        """,
    },
)
def admin_role_assumption_requires_mfa(role: IamRole, inventory: Inventory) -> Verdict:
    """Administrator roles that people assume require MFA.

    Why: a role with administrator permissions that any IAM user of an account may
    assume with just their password or access key bypasses the policy's MFA requirement
    for administrative access. Roles for services and SSO (SAML) roles are not
    applicable: their callers are machines, or MFA is the identity provider's.
    """
    people, _ = _human_trust(role)
    if not people:
        return not_applicable("not assumable by IAM users or accounts")
    if not _role_is_admin(role, inventory):
        return not_applicable("no administrator permissions")
    if all(requires_mfa(st) for st in people):
        return passed("assuming the role requires MFA")
    return failed("people can assume this administrator role without MFA",
                  at="assume_role_policy")


@rule(
    code="IAM009",
    controls=("3.2.1.a.5",),
    severity=Severity.MEDIUM,
    remediation="""
        Keep administrator sessions short (`max_session_duration = 3600`, or the
        organisation's `[settings] admin_session_max_seconds`) so elevated access expires
        by itself.
    """,
    snippets={
        "terraform": "max_session_duration = 3600",
        "cloudformation": "MaxSessionDuration: 3600",
    },
)
def admin_role_sessions_are_short(role: IamRole, inventory: Inventory,
                                  settings: Settings) -> Verdict:
    """Administrator roles for people grant short sessions.

    Why: ENG-POL-003 asks for just-in-time elevated access that expires automatically;
    a 12-hour administrator session outlives the task it was assumed for.
    """
    people, saml = _human_trust(role)
    if not people and not saml:
        return not_applicable("not assumable by people")
    if not _role_is_admin(role, inventory):
        return not_applicable("no administrator permissions")
    seconds = role.max_session_duration
    if seconds is None:
        return passed("default session (1 hour)")
    if is_unknown(seconds):
        return unknown(f"session duration not known: {seconds.reason}",
                       at="max_session_duration")
    limit = settings.admin_session_max_seconds
    if seconds > limit:
        return failed(f"sessions last up to {seconds // 60} minutes, more than {limit // 60}",
                      at="max_session_duration")
    return passed(f"sessions of at most {seconds // 60} minutes")


@rule(
    code="IAM010",
    controls=("3.2.1.a.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Give people console access through IAM Identity Center (SSO) instead of IAM user
        passwords; remove `aws_iam_user_login_profile` / `LoginProfile`.
    """,
    snippets={
        "terraform": """
            resource "aws_ssoadmin_account_assignment" "analyst" {
              instance_arn       = local.sso_instance_arn
              permission_set_arn = aws_ssoadmin_permission_set.analyst.arn
              principal_type     = "GROUP"
              principal_id       = local.analysts_group_id
              target_type        = "AWS_ACCOUNT"
              target_id          = local.account_id
            }
        """,
    },
)
def console_users_sign_in_through_sso(user: IamUser) -> Verdict:
    """People sign in to the console through SSO, not IAM user passwords.

    Why: ENG-POL-003 requires centralized identity with single sign-on; IAM user
    passwords live outside the identity provider, so joiner/mover/leaver processes and
    its MFA and session policies do not reach them.
    """
    if user.has_console_password:
        return failed("the IAM user has a console password", at="has_console_password")
    return passed()


_ADMIN_LIKE_MANAGED = ("AdministratorAccess", "PowerUserAccess")


def _execution_role(fn: LambdaFunction, inventory: Inventory) -> IamRole | None:
    ref = fn.role
    if isinstance(ref, Reference):
        return near_resource(IamRole, ref.target, fn, inventory)
    if isinstance(ref, str):
        found = near_resource(IamRole, ref, fn, inventory)
        if found is not None:
            return found
        name = ref.rsplit("/", 1)[-1]
        named = [r for r in inventory.of(IamRole) if r.role_name == name]
        return named[0] if len(named) == 1 else None
    return None


def _bad_grants(docs: list[PolicyDocument], managed: list[str]) -> list[str]:
    out = [f"AWS-managed {m}" for m in managed
           if m in _ADMIN_LIKE_MANAGED or m.endswith("FullAccess")]
    for doc in docs:
        for st in doc.statements:
            found = wildcard_actions(st)
            if found:
                out.append(f"statement {st.sid or '?'} allows {', '.join(found)}")
    return out


@rule(
    code="IAM011",
    controls=("3.5.2.a.2", "3.2.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Give each function its own role that names the actions it calls
        (`dynamodb:GetItem`, `s3:GetObject`...) on the resources it uses; no `*`,
        `service:*` or `*FullAccess` policies.
    """,
    snippets={
        "terraform": """
            statement {
              actions   = ["dynamodb:GetItem", "dynamodb:Query"]
              resources = [aws_dynamodb_table.records.arn]
            }
        """,
        "cloudformation": """
            Policies:
              - DynamoDBReadPolicy:
                  TableName: !Ref RecordsTable
        """,
    },
)
def function_role_has_no_wildcard_actions(fn: LambdaFunction,
                                          inventory: Inventory) -> Iterator[Verdict]:
    """Function execution roles grant no wildcard actions.

    Why: a function is code that parses untrusted events; with `s3:*` or `*` in its role,
    one injection bug becomes full control of the service (or the account). The role is
    found in the scan by reference, name or ARN; SAM functions without `Role` are judged
    on their `Policies`.
    """
    if fn.role is None:
        docs_v, managed_v = fn.role_policies, fn.role_managed_policies
        if isinstance(docs_v, Unknown):
            yield unknown(f"policies not known: {docs_v.reason}", at="role_policies")
            return
        if isinstance(managed_v, Unknown):
            yield unknown(f"policies not known: {managed_v.reason}", at="role_managed_policies")
            return
        if not docs_v and not managed_v:
            yield not_applicable("no execution role or policies declared")
            return
        docs, managed = list(docs_v), [m.rsplit("/", 1)[-1] for m in managed_v]
        unknown_: Unknown | None = None
        at = "role_policies"
    else:
        role = _execution_role(fn, inventory)
        if role is None:
            yield not_applicable("the execution role is not in this scan")
            return
        docs, managed, unknown_ = _role_docs(role, inventory)
        at = "role"
    bad = _bad_grants(docs, managed)
    for item in bad:
        yield failed(f"the execution role grants {item}", at=at, subject=item)
    if bad:
        return
    if unknown_ is not None:
        yield unknown(f"some of the role's policies are not known: {unknown_.reason}", at=at)
        return
    yield passed("no wildcard actions")


@rule(
    code="IAM012",
    controls=("3.2.1.a.3", "3.2.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Name the roles a principal may pass (`resources = [aws_iam_role.app.arn]`) and the
        service it may pass them to (`iam:PassedToService`); never `iam:PassRole` on `*`.
    """,
    snippets={
        "terraform": """
            statement {
              actions   = ["iam:PassRole"]
              resources = [aws_iam_role.worker.arn]
              condition {
                test     = "StringEquals"
                variable = "iam:PassedToService"
                values   = ["ecs-tasks.amazonaws.com"]
              }
            }
        """,
        "cloudformation": """
            - Effect: Allow
              Action: iam:PassRole
              Resource: !GetAtt WorkerRole.Arn
        """,
    },
)
def pass_role_is_scoped(policy: IamPolicy) -> Iterator[Verdict]:
    """Policies do not allow passing any role (`iam:PassRole` on `*`).

    Why: passing an administrator role to a function, instance or task it creates lets a
    principal run code with more privilege than it has: the classic IAM privilege
    escalation. (`Action: "*"` on `*` is IAM001.)
    """
    doc = policy.document
    if doc is None:
        yield not_applicable("no policy document")
        return
    if is_unknown(doc):
        yield unknown(f"policy document not known: {doc.reason}", at="document")
        return

    def problems() -> Iterator[Verdict]:
        for i, st in enumerate(doc.statements):
            if allows_all_actions(st) or "*" not in st.resources:
                continue
            if allows_action(st, "iam:PassRole"):
                yield failed(f"statement {st.sid or i} allows iam:PassRole on every role",
                             at="document", subject=st.sid or f"statement[{i}]")

    yield from or_passed(problems())


@rule(
    code="IAM013",
    controls=("3.2.1.a.3", "3.1.2.a.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Require authentication: Redis/Valkey RBAC user groups (`user_group_ids`) or an AUTH
        token from a secret store (`auth_token`), which also needs TLS.
    """,
    snippets={
        "terraform": """
            transit_encryption_enabled = true
            user_group_ids             = [aws_elasticache_user_group.app.id]
        """,
        "cloudformation": """
            TransitEncryptionEnabled: true
            UserGroupIds:
              - !Ref AppUserGroup
        """,
    },
)
def cache_requires_authentication(group: ElastiCacheReplicationGroup) -> Verdict:
    """ElastiCache replication groups require clients to authenticate.

    Why: without AUTH or RBAC any host that can reach the cache port can read and change
    every key, sessions and cached records included.
    """
    if not group.auth_token_set:
        return failed("clients connect without authentication (no AUTH token or user group)",
                      at="auth_token_set")
    return passed()
