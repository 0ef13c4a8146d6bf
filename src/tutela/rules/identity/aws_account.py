"""3.2.1 Cloud IAM on a live AWS account: MFA, the root user, access key rotation.

These rules judge what only the account itself shows (MFA enrolment, the root
user's credentials, when a key was created), as `tutela aws` collects it. Over
IaC they are not applicable: Terraform and CloudFormation do not declare those
facts. Their examples are saved snapshots (`pass.snapshot.json`, `fail.snapshot.json`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tutela.model.aws import AccessKey, AccountRoot, IamUser
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown

# 3.2.1.b.2 asks for rotation "according to established security schedules"; 90 days is
# the common schedule (CIS AWS Foundations 1.14).
ACCESS_KEY_MAX_AGE_DAYS = 90


@rule(
    code="ACC001",
    controls=("3.2.1.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Enrol an MFA device for every IAM user with a console password (or remove the
        password and sign people in through SSO with MFA); deny actions without
        `aws:MultiFactorAuthPresent` for users that keep one.
    """,
)
def console_users_have_mfa(user: IamUser) -> Verdict:
    """IAM users who can sign in to the console have MFA.

    Why: a console password alone is one phishing e-mail away from an interactive
    session in the account; ENG-POL-003 requires MFA for all administrative access.
    """
    if not user.has_console_password:
        return not_applicable("the user has no console password")
    mfa = user.mfa_enabled
    if mfa is None:
        return not_applicable("MFA enrolment is not declared in IaC; judged on the live account")
    if is_unknown(mfa):
        return unknown(f"MFA enrolment not known: {mfa.reason}", at="mfa_enabled")
    if not mfa:
        return failed("the user has a console password and no MFA device", at="mfa_enabled")
    return passed("console access with MFA")


@rule(
    code="ACC002",
    controls=("3.2.1.a.2", "3.2.1.a.4"),
    severity=Severity.CRITICAL,
    remediation="Enable MFA on the root user (a hardware key kept under dual control).",
)
def root_user_has_mfa(root: AccountRoot) -> Verdict:
    """The account's root user has MFA.

    Why: the root user can do everything, including closing the account and removing
    every other control; it must never be one stolen password away from an attacker.
    """
    if not root.mfa_enabled:
        return failed("the root user has no MFA", at="mfa_enabled")
    return passed()


@rule(
    code="ACC003",
    controls=("3.2.1.a.4", "3.2.1.b.2"),
    severity=Severity.CRITICAL,
    remediation="Delete the root user's access keys; use IAM roles for automation.",
)
def root_user_has_no_access_keys(root: AccountRoot) -> Verdict:
    """The account's root user has no access keys.

    Why: a root access key is an unrestricted, long-lived credential that no policy can
    limit; privileged access must go through managed, revocable roles.
    """
    if root.access_keys_present:
        return failed("the root user has access keys", at="access_keys_present")
    return passed()


@rule(
    code="ACC004",
    controls=("3.2.1.b.2",),
    severity=Severity.MEDIUM,
    remediation=f"""
        Rotate active access keys at least every {ACCESS_KEY_MAX_AGE_DAYS} days (create a
        new key, switch the application, deactivate then delete the old one), or replace
        them with roles that issue temporary credentials.
    """,
)
def access_keys_rotated(key: AccessKey) -> Verdict:
    """Active IAM access keys are rotated regularly.

    Why: a key that never changes stays valid for as long as it has leaked; the policy
    requires regular rotation of service account credentials and API keys.
    """
    if not key.active:
        return not_applicable("the key is inactive")
    age = key.age_days  # at collection time: a snapshot judges the day it was taken
    if age is None and key.created_at is not None:
        created = key.created_at
        when = created if created.tzinfo else created.replace(tzinfo=UTC)
        age = (datetime.now(UTC) - when).days
    if age is None:
        return not_applicable("a key's age is known on the live account only")
    if age > ACCESS_KEY_MAX_AGE_DAYS:
        return failed(
            f"the key is {age} days old (rotate every {ACCESS_KEY_MAX_AGE_DAYS} days)",
            at="created_at",
        )
    return passed(f"the key is {age} days old")
