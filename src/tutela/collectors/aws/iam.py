"""IAM (global): users, groups, roles, policies and their documents, MFA, access keys,
the credential report, the password policy and the root account's signals.

Fills IamUser, IamRole, IamPolicy (customer-managed and inline on users, roles and
groups), AccessKey, AccountPasswordPolicy and AccountRoot.

Calls grow with identities, not with their attributes: one paginated
`GetAccountAuthorizationDetails` gives users, groups, roles and every policy
document; the credential report gives passwords, MFA and key presence for
everyone at once; only users that have keys get `ListAccessKeys` (and each key
`GetAccessKeyLastUsed`). Without the credential report the collector falls back
to per-user calls (`GetLoginProfile`, `ListMFADevices`, `ListAccessKeys`).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tutela.collectors.aws.base import Collector, document, tag_map, when
from tutela.collectors.aws.pool import Job
from tutela.model.aws import (
    AccessKey,
    AccountPasswordPolicy,
    AccountRoot,
    IamPolicy,
    IamRole,
    IamUser,
)
from tutela.model.policy import PolicyDocument
from tutela.model.values import Unknown

SERVICE = "iam"
SCOPE = "global"
TYPES = (IamUser, IamRole, IamPolicy, AccessKey, AccountPasswordPolicy, AccountRoot)
REPORT_WAIT_SECONDS = 20.0

Report = dict[str, dict[str, str]]


def collect(c: Collector) -> Sequence[Job]:
    iam = c.client()
    pages = c.page_list(iam, "get_account_authorization_details",
                        Filter=["User", "Group", "Role", "LocalManagedPolicy"])
    report = _credential_report(c, iam)
    _account(c, iam, report)
    if pages is None or isinstance(pages, Unknown):
        c.not_listed(pages or Unknown("not collected"), (IamUser, IamRole, IamPolicy, AccessKey))
        return ()
    c.run.listed(c.service, c.region)
    users = [u for p in pages for u in p.get("UserDetailList", [])]
    _policies(c, [x for p in pages for x in p.get("Policies", [])])
    _groups(c, [g for p in pages for g in p.get("GroupDetailList", [])])
    _roles(c, [r for p in pages for r in p.get("RoleDetailList", [])])
    needs_keys = [u for u in users if _may_have_keys(u, report)]
    for u in users:
        if not _may_have_keys(u, report):
            c.emit(_user(c, u, report, ()))
    return c.fan_out(needs_keys, lambda cc, chunk: _users_with_details(cc, chunk, report),
                     "IAM users")


# --- credential report ---------------------------------------------------------------------


def _credential_report(c: Collector, iam: Any) -> Report | Unknown:
    started = c.call(iam, "generate_credential_report")
    if isinstance(started, Unknown):
        return started
    deadline = time.monotonic() + REPORT_WAIT_SECONDS
    while True:
        answer = c.call(iam, "get_credential_report",
                        absent=("ReportInProgress", "ReportNotPresent",
                                "ReportInProgressException"))
        if isinstance(answer, Unknown):
            return answer
        if answer is not None:
            break
        if time.monotonic() > deadline:
            return Unknown("not collected: iam:GetCredentialReport still in progress")
        time.sleep(0.5)
    content = answer.get("Content", b"")
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    rows = csv.DictReader(io.StringIO(text))
    return {row.get("user", ""): row for row in rows}


def _flag(row: Mapping[str, str] | None, column: str) -> bool | None:
    if row is None:
        return None
    value = (row.get(column) or "").strip().lower()
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def _date(row: Mapping[str, str] | None, column: str) -> datetime | None:
    if row is None:
        return None
    value = (row.get(column) or "").strip()
    if not value or value in ("N/A", "no_information", "not_supported"):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _may_have_keys(user: Mapping[str, Any], report: Report | Unknown) -> bool:
    if isinstance(report, Unknown):
        return True
    row = report.get(str(user.get("UserName")))
    if row is None:
        return True
    return any((row.get(f"access_key_{n}_last_rotated") or "N/A") != "N/A" for n in (1, 2))


# --- account ---------------------------------------------------------------------------------


def _account(c: Collector, iam: Any, report: Report | Unknown) -> None:
    acct = c.account
    summary = c.call(iam, "get_account_summary")
    root_row = None if isinstance(report, Unknown) else report.get("<root_account>")
    root_arn = f"arn:{c.partition}:iam::{acct}:root"
    if isinstance(summary, Unknown):
        mfa: bool | Unknown = summary
        keys: bool | Unknown = summary
    else:
        smap = (summary or {}).get("SummaryMap", {})
        mfa = bool(smap.get("AccountMFAEnabled", 0))
        keys = bool(smap.get("AccountAccessKeysPresent", 0))
    if root_row is not None:
        # The credential report is authoritative where it has the root row.
        row_mfa = _flag(root_row, "mfa_active")
        mfa = mfa if row_mfa is None else (row_mfa or (mfa is True))
        row_keys = [_flag(root_row, f"access_key_{n}_active") for n in (1, 2)]
        if any(k is not None for k in row_keys):
            keys = any(k is True for k in row_keys) or (keys is True)
    c.emit(AccountRoot(
        **c.base(root_arn, "AWS::IAM::RootAccount", name="root", region="global"),
        mfa_enabled=mfa,
        access_keys_present=keys,
        password_last_used=_date(root_row, "password_last_used"),
    ))
    policy = c.call(iam, "get_account_password_policy", absent=("NoSuchEntity",))
    address = f"arn:{c.partition}:iam::{acct}:account-password-policy"
    fields: dict[str, Any]
    if isinstance(policy, Unknown):
        fields = {k: policy for k in (
            "minimum_length", "require_symbols", "require_numbers", "require_uppercase",
            "require_lowercase", "max_age_days", "reuse_prevention")}
    elif policy is None:
        fields = {}  # no password policy: every setting at "not set"
    else:
        p = policy.get("PasswordPolicy", {})
        fields = {
            "minimum_length": p.get("MinimumPasswordLength"),
            "require_symbols": bool(p.get("RequireSymbols", False)),
            "require_numbers": bool(p.get("RequireNumbers", False)),
            "require_uppercase": bool(p.get("RequireUppercaseCharacters", False)),
            "require_lowercase": bool(p.get("RequireLowercaseCharacters", False)),
            "max_age_days": p.get("MaxPasswordAge"),
            "reuse_prevention": p.get("PasswordReusePrevention"),
        }
    c.emit(AccountPasswordPolicy(
        **c.base(address, "AWS::IAM::AccountPasswordPolicy", name="password policy",
                 region="global"),
        **fields,
    ))


# --- policies, groups, roles ---------------------------------------------------------------


def _default_document(policy: Mapping[str, Any]) -> PolicyDocument | Unknown | None:
    for version in policy.get("PolicyVersionList", []) or []:
        if version.get("IsDefaultVersion"):
            return document(version.get("Document"), "policy document")
    return Unknown("not collected: the policy's default version was not returned")


def _policies(c: Collector, policies: Sequence[Mapping[str, Any]]) -> None:
    for p in policies:
        arn = str(p.get("Arn"))
        c.emit(IamPolicy(
            **c.base(arn, "AWS::IAM::ManagedPolicy", name=p.get("PolicyName"), region="global"),
            document=_default_document(p),
            attached_to="",
        ))


def _inline(c: Collector, owner_arn: str, kind: str, owner: str,
            items: Sequence[Mapping[str, Any]]) -> list[PolicyDocument]:
    docs: list[PolicyDocument] = []
    for item in items or ():
        name = str(item.get("PolicyName"))
        doc = document(item.get("PolicyDocument"), "inline policy")
        if isinstance(doc, PolicyDocument):
            docs.append(doc)
        address = f"{owner_arn}/inline-policy/{name}"
        fields = c.base(address, f"AWS::IAM::{kind.capitalize()}Policy", name=name,
                        region="global")
        fields["arn"] = None
        c.emit(IamPolicy(**fields, document=doc, attached_to=kind, principal_name=owner))
    return docs


def _groups(c: Collector, groups: Sequence[Mapping[str, Any]]) -> None:
    for g in groups:
        _inline(c, str(g.get("Arn")), "group", str(g.get("GroupName")),
                g.get("GroupPolicyList", []))


def _roles(c: Collector, roles: Sequence[Mapping[str, Any]]) -> None:
    for r in roles:
        arn = str(r.get("Arn"))
        name = str(r.get("RoleName"))
        docs = _inline(c, arn, "role", name, r.get("RolePolicyList", []))
        c.emit(IamRole(
            **c.base(arn, "AWS::IAM::Role", name=name, tags=tag_map(r.get("Tags")),
                     region="global"),
            role_name=name,
            assume_role_policy=document(r.get("AssumeRolePolicyDocument"), "trust policy"),
            inline_policies=tuple(docs),
            managed_policy_arns=tuple(str(p.get("PolicyArn"))
                                      for p in r.get("AttachedManagedPolicies", []) or ()),
        ))


def _age(created: Any) -> int | None:
    stamp = when(created)
    if stamp is None:
        return None
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return max(0, (datetime.now(UTC) - stamp).days)


# --- users -------------------------------------------------------------------------------


def _user(c: Collector, u: Mapping[str, Any], report: Report | Unknown,
          keys: tuple[str, ...] | Unknown,
          password: bool | Unknown | None = None, mfa: bool | Unknown | None = None) -> IamUser:
    arn = str(u.get("Arn"))
    name = str(u.get("UserName"))
    row = None if isinstance(report, Unknown) else report.get(name)
    inline = tuple(str(p.get("PolicyName")) for p in u.get("UserPolicyList", []) or ())
    managed = tuple(str(p.get("PolicyArn")) for p in u.get("AttachedManagedPolicies", []) or ())
    _inline(c, arn, "user", name, u.get("UserPolicyList", []))
    has_password: bool | Unknown
    if password is not None:
        has_password = password
    elif isinstance(report, Unknown):
        has_password = report
    else:
        has_password = bool(_flag(row, "password_enabled"))
    mfa_enabled: bool | Unknown
    if mfa is not None:
        mfa_enabled = mfa
    elif isinstance(report, Unknown):
        mfa_enabled = report
    else:
        mfa_enabled = bool(_flag(row, "mfa_active"))
    return IamUser(
        **c.base(arn, "AWS::IAM::User", name=name, tags=tag_map(u.get("Tags")), region="global"),
        user_name=name,
        attached_policies=managed + inline,
        inline_policies=inline,
        has_console_password=has_password,
        mfa_enabled=mfa_enabled,
        access_keys=keys,  # type: ignore[arg-type]  # Unknown when ListAccessKeys failed
        password_last_used=when(u.get("PasswordLastUsed")) or _date(row, "password_last_used"),
        created_at=when(u.get("CreateDate")),
    )


def _users_with_details(c: Collector, users: Sequence[Mapping[str, Any]],
                        report: Report | Unknown) -> None:
    iam = c.client()
    for u in users:
        name = str(u.get("UserName"))
        arn = str(u.get("Arn"))
        password: bool | Unknown | None = None
        mfa: bool | Unknown | None = None
        if isinstance(report, Unknown):
            profile = c.call(iam, "get_login_profile", absent=("NoSuchEntity",), resource=arn,
                             UserName=name)
            password = profile if isinstance(profile, Unknown) else profile is not None
            devices = c.pages(iam, "list_mfa_devices", "MFADevices", resource=arn,
                              UserName=name)
            mfa = devices if isinstance(devices, Unknown) else bool(devices)
        listed = c.pages(iam, "list_access_keys", "AccessKeyMetadata", resource=arn,
                         UserName=name)
        if isinstance(listed, Unknown):
            c.emit(_user(c, u, report, listed, password, mfa))
            continue
        ids: list[str] = []
        for meta in listed or ():
            key_id = str(meta.get("AccessKeyId"))
            ids.append(key_id)
            used = c.call(iam, "get_access_key_last_used", resource=arn, AccessKeyId=key_id)
            last_used: datetime | Unknown | None
            if isinstance(used, Unknown):
                last_used = used
            else:
                last_used = when(((used or {}).get("AccessKeyLastUsed") or {}).get("LastUsedDate"))
            fields = c.base(f"{arn}/access-key/{key_id}", "AWS::IAM::AccessKey", name=key_id,
                            region="global")
            fields["arn"] = None
            c.emit(AccessKey(
                **fields,
                user=name,
                active=str(meta.get("Status", "Active")) == "Active",
                created_at=when(meta.get("CreateDate")),
                last_used_at=last_used,
                age_days=_age(meta.get("CreateDate")),
            ))
        c.emit(_user(c, u, report, tuple(ids), password, mfa))
