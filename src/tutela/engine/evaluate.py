"""Evaluation: every rule over every resource of its type, honestly.

An Unknown value used by a rule gives "not evaluated"; any other exception
in a rule gives an "error" finding for that resource: one broken rule never
stops a scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tutela.engine.findings import Finding
from tutela.engine.ruleset import RuleSet
from tutela.engine.suppressions import SuppressionIndex
from tutela.model.base import Resource
from tutela.model.inventory import Inventory
from tutela.model.values import UnknownValueError
from tutela.rules.api import Rule, Status, Verdict
from tutela.rules.settings import DEFAULT_SETTINGS, Settings


def _verdicts(rule: Rule, resource: Resource, kwargs: dict[str, Any]) -> list[Verdict]:
    out: list[Verdict] = []
    try:
        result = rule(resource, **kwargs)
        if isinstance(result, Verdict):
            return [result]
        for v in result:
            out.append(v)
    except UnknownValueError as exc:
        out.append(Verdict(Status.NOT_EVALUATED, f"not evaluated: {exc.unknown.reason}"))
    except Exception as exc:  # a rule bug must not stop the scan; it is reported
        out.append(Verdict(Status.ERROR, f"rule raised {type(exc).__name__}: {exc}"))
    return out


def evaluate(
    resources: Sequence[Resource],
    ruleset: RuleSet,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    suppressions: SuppressionIndex | None = None,
    on_resource: Callable[[int], None] | None = None,
) -> list[Finding]:
    """Evaluate `ruleset` over `resources`; returns findings in resource order."""
    inventory: Inventory | None = None
    if any(r.wants_inventory for r in ruleset):
        inventory = Inventory(resources)
    # The keyword arguments of each rule are the same for every resource: built once.
    kwargs_of: dict[str, dict[str, Any]] = {}
    for rule in ruleset:
        kwargs: dict[str, Any] = {}
        if rule.wants_settings:
            kwargs["settings"] = settings
        if rule.wants_inventory:
            kwargs["inventory"] = inventory
        kwargs_of[rule.code] = kwargs
    findings: list[Finding] = []
    append = findings.append
    for_type = ruleset.for_type
    for index, resource in enumerate(resources):
        for rule in for_type(type(resource)):
            for verdict in _verdicts(rule, resource, kwargs_of[rule.code]):
                append(_finding(rule, resource, verdict, suppressions))
        if on_resource is not None:
            on_resource(index + 1)
    return findings


def _finding(
    rule: Rule, resource: Resource, verdict: Verdict, suppressions: SuppressionIndex | None
) -> Finding:
    status = verdict.status
    suppression = None
    if suppressions is not None and status is Status.FAIL:
        suppression = suppressions.for_resource(resource, rule.code)
        if suppression is not None:
            status = Status.SUPPRESSED
    identity = resource.arn or f"{resource.source}:{resource.address}"
    return Finding(
        rule_code=rule.code,
        rule_name=rule.name,
        title=rule.title,
        severity=rule.severity,
        controls=rule.controls,
        status=status,
        message=verdict.message or _default_message(rule, status),
        resource_address=resource.address,
        resource_kind=resource.kind,
        native_type=resource.native_type,
        source=resource.source,
        location=resource.location_of(verdict.at),
        arn=resource.arn,
        subject=verdict.subject,
        suppression=suppression,
        fingerprint=Finding.make_fingerprint(rule.code, identity, verdict.subject),
    )


def _default_message(rule: Rule, status: Status) -> str:
    if status is Status.PASS:
        return rule.title
    return f"{rule.title}: {status.value.replace('_', ' ')}"


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {s.value: 0 for s in Status}
    for f in findings:
        counts[f.status.value] += 1
    return counts
