"""Policy-document and inventory helpers shared by the AWS rules (not a rule module).

A statement that allows every principal (`"Principal": "*"`) is only acceptable when a
condition narrows *who* may use it: the caller's organization, account or ARN, or the
source resource a service acts for. Conditions on the request's transport or network
(`aws:SecureTransport`, `aws:SourceIp`) or on a shared secret (`sts:ExternalId`) do not.
"""

from __future__ import annotations

from typing import TypeVar

from tutela.model.base import Resource
from tutela.model.inventory import Inventory
from tutela.model.policy import PolicyDocument, Statement, action_matches

R = TypeVar("R", bound=Resource)


def near_resource(kind: type[R], address: str, anchor: Resource,
                  inventory: Inventory) -> R | None:
    """The resource of `kind` at `address`. Several root modules of one scan may use the
    same address: then the one declared beside `anchor` (same directory), else none."""
    found = [r for r in inventory.of(kind) if r.address == address]
    if len(found) <= 1:
        return found[0] if found else None
    here = anchor.location.file.rpartition("/")[0] if anchor.location else None
    same = [r for r in found if r.location and r.location.file.rpartition("/")[0] == here]
    return same[0] if len(same) == 1 else None

# Condition keys that restrict the calling principal (or the resource a service acts for).
PRINCIPAL_KEYS = frozenset({
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:userid",
    "kms:calleraccount",
    "kms:viaservice",
})
_POSITIVE = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals",
                       "arnlike"})


def constrains_principal(statement: Statement) -> bool:
    """True when a condition of `statement` narrows the principal to named accounts,
    organizations, ARNs or source resources (positive operators, no `IfExists`, no `*`)."""
    for operator, by_key in statement.conditions.items():
        op = operator.lower()
        if op.startswith("foranyvalue:"):
            op = op.removeprefix("foranyvalue:")
        if op not in _POSITIVE:
            continue  # negated, IfExists, ForAllValues (true for an empty set), numeric...
        for key, values in by_key.items():
            if key.lower() in PRINCIPAL_KEYS and values and all(
                    v.strip() not in ("", "*") for v in values):
                return True
    return False


def public_statements(doc: PolicyDocument) -> list[tuple[int, Statement]]:
    """Allow statements open to every principal without a principal-narrowing condition."""
    return [(i, st) for i, st in enumerate(doc.statements)
            if st.allows and st.principal_is_public and not constrains_principal(st)]


def allows_action(statement: Statement, action: str) -> bool:
    """The statement allows `action` (wildcards in the statement's actions honoured)."""
    if not statement.allows:
        return False
    if statement.not_actions:
        return not any(action_matches(p, action) for p in statement.not_actions)
    return any(action_matches(p, action) for p in statement.actions)


def wildcard_actions(statement: Statement) -> list[str]:
    """`*` or whole-service (`s3:*`) actions an Allow statement grants."""
    if not statement.allows:
        return []
    if statement.not_actions:
        return [f"NotAction {', '.join(statement.not_actions)}"]
    return [a for a in statement.actions if a.strip() == "*" or a.strip().endswith(":*")]


def grants_admin(doc: PolicyDocument) -> bool:
    """Full administrator: `*` (or NotAction) on `*`."""
    for st in doc.statements:
        if not st.allows or "*" not in st.resources:
            continue
        if any(a.strip() == "*" for a in st.actions) or (st.not_actions and not st.actions):
            return True
    return False


MFA_KEYS = ("aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge")


def requires_mfa(statement: Statement) -> bool:
    """An Allow statement conditioned on MFA (`aws:MultiFactorAuthPresent = true` or a
    `aws:MultiFactorAuthAge` bound)."""
    for operator, by_key in statement.conditions.items():
        op = operator.lower()
        for key, values in by_key.items():
            low = key.lower()
            if low == "aws:multifactorauthpresent" and op in ("bool",) and "true" in {
                    v.lower() for v in values}:
                return True
            if low == "aws:multifactorauthage" and op.startswith("numericless"):
                return True
    return False


def denies_without_mfa(doc: PolicyDocument) -> bool:
    """A Deny of everything when MFA is absent (`BoolIfExists aws:MultiFactorAuthPresent
    false`, or `Null aws:MultiFactorAuthAge true`)."""
    for st in doc.statements:
        if st.effect != "Deny":
            continue
        if not (any(a.strip() == "*" for a in st.actions) or st.not_actions):
            continue
        for operator, by_key in st.conditions.items():
            op = operator.lower()
            for key, values in by_key.items():
                low, vals = key.lower(), {v.lower() for v in values}
                if low == "aws:multifactorauthpresent" and op in (
                        "bool", "boolifexists") and "false" in vals:
                    return True
                if low == "aws:multifactorauthage" and op == "null" and "true" in vals:
                    return True
    return False
