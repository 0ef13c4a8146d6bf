"""IAM-style policy documents (identity policies, bucket policies, key policies).

One normalized shape whatever the source wrote: an inline JSON string, a
`jsonencode(...)`, an `aws_iam_policy_document` data source, a CloudFormation
`PolicyDocument` mapping, or a document read from the IAM API.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutela.model.values import Reference, Unknown, is_unknown

Strings = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Principal:
    """A principal of a statement: `type` is AWS, Service, Federated, CanonicalUser or `*`."""

    type: str
    identifiers: Strings


@dataclass(frozen=True, slots=True)
class Statement:
    effect: str  # "Allow" | "Deny"
    actions: Strings = ()
    not_actions: Strings = ()
    resources: Strings = ()
    not_resources: Strings = ()
    principals: tuple[Principal, ...] = ()
    not_principals: tuple[Principal, ...] = ()
    conditions: Mapping[str, Mapping[str, Strings]] = field(default_factory=dict)
    sid: str | None = None

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def has_condition(self, key: str) -> bool:
        """True when any operator tests condition key `key` (case-insensitive)."""
        wanted = key.lower()
        return any(k.lower() == wanted for by_key in self.conditions.values() for k in by_key)

    def condition_values(self, key: str) -> Strings:
        wanted = key.lower()
        out: list[str] = []
        for by_key in self.conditions.values():
            for k, values in by_key.items():
                if k.lower() == wanted:
                    out.extend(values)
        return tuple(out)

    @property
    def principal_is_public(self) -> bool:
        """`Principal: "*"` or `{"AWS": "*"}`."""
        return any(
            p.type == "*" or (p.type == "AWS" and "*" in p.identifiers) for p in self.principals
        )


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    statements: tuple[Statement, ...]
    version: str | None = None


class PolicyParseError(ValueError):
    """A policy value that is not a valid policy document."""


def _strings(value: Any) -> Strings:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if not is_unknown(v) and not isinstance(v, Reference))
    return (str(value),)


def _principals(value: Any) -> tuple[Principal, ...]:
    if value is None:
        return ()
    if value == "*":
        return (Principal("*", ("*",)),)
    if isinstance(value, Mapping):
        return tuple(Principal(str(k), _strings(v)) for k, v in value.items())
    if isinstance(value, list):  # aws_iam_policy_document style: [{type, identifiers}]
        out = []
        for item in value:
            if isinstance(item, Mapping):
                out.append(Principal(str(item.get("type", "")), _strings(item.get("identifiers"))))
        return tuple(out)
    return ()


def _conditions(value: Any) -> dict[str, dict[str, Strings]]:
    out: dict[str, dict[str, Strings]] = {}
    if isinstance(value, Mapping):
        for op, by_key in value.items():
            if isinstance(by_key, Mapping):
                out[str(op)] = {str(k): _strings(v) for k, v in by_key.items()}
    elif isinstance(value, list):  # aws_iam_policy_document: [{test, variable, values}]
        for item in value:
            if isinstance(item, Mapping):
                op = str(item.get("test", ""))
                out.setdefault(op, {})[str(item.get("variable", ""))] = _strings(item.get("values"))
    return out


def _statement(raw: Mapping[str, Any]) -> Statement:
    def pick(*names: str) -> Any:
        for n in names:
            if n in raw:
                return raw[n]
        return None

    return Statement(
        effect=str(pick("Effect", "effect") or "Allow"),
        actions=_strings(pick("Action", "actions")),
        not_actions=_strings(pick("NotAction", "not_actions")),
        resources=_strings(pick("Resource", "resources")),
        not_resources=_strings(pick("NotResource", "not_resources")),
        principals=_principals(pick("Principal", "principals")),
        not_principals=_principals(pick("NotPrincipal", "not_principals")),
        conditions=_conditions(pick("Condition", "condition")),
        sid=(str(pick("Sid", "sid")) if pick("Sid", "sid") is not None else None),
    )


def parse_policy(value: Any) -> PolicyDocument | Unknown | None:
    """Normalize a policy given as JSON text or as a mapping; None when absent.

    Raises PolicyParseError for text that is not a JSON policy document.
    """
    if value is None or value == "":
        return None
    if is_unknown(value):
        return value
    if isinstance(value, Reference):
        return Unknown(f"policy comes from {value}, known only after apply")
    doc: Any = value
    if isinstance(value, str):
        try:
            doc = json.loads(value)
        except json.JSONDecodeError as exc:
            raise PolicyParseError(f"policy is not valid JSON: {exc.msg}") from exc
    if not isinstance(doc, Mapping):
        raise PolicyParseError("policy is not a JSON object")
    raw_statements = doc.get("Statement", doc.get("statement", []))
    if is_unknown(raw_statements):
        return raw_statements
    if isinstance(raw_statements, Mapping):
        raw_statements = [raw_statements]
    statements: list[Statement] = []
    for raw in raw_statements or []:
        if is_unknown(raw):
            return raw
        if isinstance(raw, Mapping):
            statements.append(_statement(raw))
    version = doc.get("Version")
    return PolicyDocument(tuple(statements), str(version) if isinstance(version, str) else None)


def action_matches(pattern: str, action: str) -> bool:
    """IAM wildcard match, case-insensitive (`s3:Get*` matches `s3:GetObject`)."""
    from fnmatch import fnmatchcase

    return fnmatchcase(action.lower(), pattern.lower())


def allows_all_actions(statement: Statement, service: str | None = None) -> bool:
    """Allows `*` (or `service:*` when `service` is given)."""
    if not statement.allows:
        return False
    wanted = {"*"} | ({f"{service}:*"} if service else set())
    return any(a.strip().lower() in wanted for a in statement.actions)


def policies_in(values: Sequence[Any]) -> list[PolicyDocument]:
    """Known documents among several policy values (unknown ones skipped)."""
    out = []
    for v in values:
        doc = parse_policy(v)
        if isinstance(doc, PolicyDocument):
            out.append(doc)
    return out
