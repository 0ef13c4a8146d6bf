"""Evaluation is honest: unknown values give not_evaluated, rule bugs give error, never a crash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.errors import ConfigError
from tutela.model.aws import Encryption, S3Bucket
from tutela.model.values import Location, Unknown
from tutela.rules.api import RuleDefinitionError, Severity, Status, Verdict, failed, passed, rule


def bucket(address: str = "aws_s3_bucket.records", **kw: object) -> S3Bucket:
    return S3Bucket(
        address=address,
        native_type="aws_s3_bucket",
        source="terraform",
        location=Location("main.tf", 1, 9),
        field_locations={"encryption": Location("main.tf", 11, 18)},
        **kw,  # type: ignore[arg-type]
    )


@rule(code="TST001", controls=("3.3.1.a.3",), severity=Severity.HIGH, remediation="Encrypt it.")
def encrypted(b: S3Bucket) -> Verdict:
    """Buckets are encrypted.

    Why: tests.
    """
    if not b.encryption.enabled:
        return failed("not encrypted", at="encryption")
    return passed()


@rule(code="TST002", controls=("3.3.1.a.3",), severity=Severity.LOW, remediation="Fix the rule.")
def broken(b: S3Bucket) -> Verdict:
    """A rule with a bug.

    Why: tests.
    """
    raise KeyError("oops")


@rule(code="TST003", controls=("3.6.1.b.3",), severity=Severity.LOW, remediation="n/a")
def per_part(b: S3Bucket) -> Iterator[Verdict]:
    """A rule yielding a verdict per part, then hitting an unknown.

    Why: tests.
    """
    yield failed("first part", subject="a")
    if b.versioning:
        yield passed(subject="b")


def test_fail_points_at_the_field_location() -> None:
    [f] = evaluate([bucket()], RuleSet.of([encrypted]))
    assert f.status is Status.FAIL
    assert f.location == Location("main.tf", 11, 18)
    assert f.controls == ("3.3.1.a.3",)
    assert f.resource_address == "aws_s3_bucket.records"


def test_unknown_value_gives_not_evaluated_not_pass_or_fail() -> None:
    b = bucket(encryption=Encryption(enabled=Unknown("var.sse has no value")))
    [f] = evaluate([b], RuleSet.of([encrypted]))
    assert f.status is Status.NOT_EVALUATED
    assert "var.sse has no value" in f.message


def test_a_broken_rule_is_an_error_finding_and_others_still_run() -> None:
    findings = evaluate([bucket()], RuleSet.of([broken, encrypted]))
    by_code = {f.rule_code: f for f in findings}
    assert by_code["TST002"].status is Status.ERROR
    assert "KeyError" in by_code["TST002"].message
    assert by_code["TST001"].status is Status.FAIL


def test_generator_keeps_verdicts_made_before_an_unknown() -> None:
    findings = evaluate([bucket(versioning=Unknown("computed"))], RuleSet.of([per_part]))
    assert [f.status for f in findings] == [Status.FAIL, Status.NOT_EVALUATED]


def test_fingerprint_ignores_lines_but_not_identity() -> None:
    a = evaluate([bucket()], RuleSet.of([encrypted]))[0]
    moved = S3Bucket(address="aws_s3_bucket.records", native_type="aws_s3_bucket",
                     source="terraform", location=Location("main.tf", 40, 50))
    b = evaluate([moved], RuleSet.of([encrypted]))[0]
    other = evaluate([bucket("aws_s3_bucket.other")], RuleSet.of([encrypted]))[0]
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != other.fingerprint


def test_ruleset_rejects_duplicate_codes_and_unknown_selections() -> None:
    with pytest.raises(ConfigError, match="duplicate rule code"):
        RuleSet((encrypted, encrypted))
    rs = RuleSet.of([encrypted, broken, per_part])
    assert [r.code for r in rs.select(include=["3.3"])] == ["TST001", "TST002"]
    assert [r.code for r in rs.select(exclude=["TST00[12]"])] == ["TST003"]
    assert [r.code for r in rs.select(min_severity=Severity.HIGH)] == ["TST001"]
    with pytest.raises(ConfigError, match="no rule matches"):
        rs.select(include=["NOPE*"])


def test_rule_definitions_are_checked() -> None:
    with pytest.raises(RuleDefinitionError, match="docstring"):
        @rule(code="BAD001", controls=("3.1.1.a.1",), severity=Severity.LOW, remediation="x")
        def undocumented(b: S3Bucket) -> Verdict:
            return passed()
    with pytest.raises(RuleDefinitionError, match="model type"):
        @rule(code="BAD002", controls=("3.1.1.a.1",), severity=Severity.LOW, remediation="x")
        def untyped(b: int) -> Verdict:
            """Doc."""
            return passed()
