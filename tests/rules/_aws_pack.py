"""Shared factories for the AWS rule-pack tests (not a test module)."""

from __future__ import annotations

from typing import Any, TypeVar

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.base import Resource
from tutela.model.policy import PolicyDocument, parse_policy
from tutela.model.values import Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.settings import Settings

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED
U = Unknown("var.x has no value")
EPHI = {"data_classification": "ephi"}

R = TypeVar("R", bound=Resource)


def make(cls: type[R], address: str | None = None, **fields: Any) -> R:
    """A model resource with only the fields a case is about."""
    kind = cls.kind
    return cls(address=address or f"aws_{kind}.x", native_type=f"aws_{kind}",
               source=fields.pop("source", "terraform"), **fields)


def outcomes(rule: Rule, resource: Resource, *others: Resource,
             settings: Settings | None = None) -> set[Status]:
    """The statuses `rule` gives `resource` in a scan that also holds `others`."""
    extra = {"settings": settings} if settings is not None else {}
    found = evaluate([resource, *others], RuleSet.of([rule]), **extra)
    return {f.status for f in found if f.resource_address == resource.address}


def doc(*statements: dict[str, Any]) -> PolicyDocument:
    parsed = parse_policy({"Version": "2012-10-17", "Statement": list(statements)})
    assert isinstance(parsed, PolicyDocument)
    return parsed
