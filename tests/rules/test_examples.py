"""Every rule's pass/fail examples, scanned through the real pipeline.

Examples live in `src/tutela/rules/examples/<CODE>/` and are named
`<pass|fail>[-<variant>].<format>` with format `tf`, `tfplan.json`, `cfn.yaml`,
`k8s.yaml` or `Dockerfile`. Each one is scanned alone with a rule set holding
only its rule (`tutela.engine.scan.scan`, so discovery, parsing, adapters,
suppressions and evaluation all run) and must parse cleanly:

- a fail example gives at least one FAIL for that rule, located in the file;
- a pass example gives no FAIL (nor NOT_EVALUATED or ERROR) and at least one
  PASS, or exactly NOT_APPLICABLE where that is the rule's documented outcome
  for a compliant variant (asymmetric KMS keys, functions without environment).

The Terraform files of one rule directory form one Terraform module, so they
must not interfere: scanning the directory gives exactly what scanning each
file alone gives.

The cross-format test checks that the same misconfiguration written as HCL,
plan JSON and CloudFormation gives the same rule on the same model kind, at the
right file and line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

import tutela.rules
from tutela.engine.findings import Finding, ScanResult
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan
from tutela.rules import default_rules
from tutela.rules.api import Rule, Status

EXAMPLES = Path(tutela.rules.__file__).parent / "examples"
RULES: dict[str, Rule] = {r.code: r for r in default_rules()}
NAME = re.compile(
    r"^(?P<outcome>pass|fail)(?:-(?P<variant>[a-z0-9]+(?:-[a-z0-9]+)*))?"
    r"\.(?P<format>tf|tfplan\.json|cfn\.yaml|k8s\.yaml|Dockerfile|snapshot\.json)$"
)

# Compliant variants whose documented outcome is "not applicable".
NOT_APPLICABLE = {
    ("KEY001", "pass-asymmetric.tf"),  # asymmetric keys cannot rotate automatically
    ("KEY001", "pass-asymmetric.cfn.yaml"),
    ("FN003", "pass-no-environment.tf"),  # no environment variables to encrypt
}
# Rules that judge the existence of a resource (any one declared fails): their
# compliant examples simply declare none, so they produce no finding at all.
EXISTENCE_RULES = {"IAM003"}

# Examples that fail because of a bug or limitation outside this test: strict
# xfails, so each one is noticed the day it is fixed.
KNOWN_PROBLEMS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Example:
    code: str
    path: Path

    @property
    def outcome(self) -> str:
        m = NAME.match(self.path.name)
        assert m, f"{self.path.name}: not a valid example name"
        return m["outcome"]

    @property
    def id(self) -> str:
        return f"{self.code}/{self.path.name}"


def all_examples() -> list[Example]:
    return [
        Example(d.name, f)
        for d in sorted(EXAMPLES.iterdir())
        if d.is_dir()
        for f in sorted(d.iterdir())
        if f.is_file()
    ]


def example_params() -> list[object]:
    params = []
    for ex in all_examples():
        reason = KNOWN_PROBLEMS.get((ex.code, ex.path.name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(ex, id=ex.id, marks=marks))
    return params


def scan_alone(path: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> ScanResult:
    """Scan one file with one rule, from its directory (so locations read `fail.tf`)."""
    monkeypatch.chdir(path.parent)
    return scan([Path(path.name)], RuleSet.of([RULES[code]]))


def statuses(findings: tuple[Finding, ...] | list[Finding]) -> Counter[Status]:
    return Counter(f.status for f in findings)


# --- the layout -----------------------------------------------------------------------------


def test_examples_are_named_after_rules_and_outcomes() -> None:
    dirs = {d.name for d in EXAMPLES.iterdir() if d.is_dir()}
    assert dirs <= set(RULES), f"example folders without a rule: {sorted(dirs - set(RULES))}"
    bad = [ex.id for ex in all_examples() if not NAME.match(ex.path.name)]
    assert not bad, f"example files not named <pass|fail>[-variant].<format>: {bad}"


def test_known_problems_and_exceptions_name_existing_examples() -> None:
    existing = {(ex.code, ex.path.name) for ex in all_examples()}
    assert set(KNOWN_PROBLEMS) <= existing
    assert existing >= NOT_APPLICABLE
    assert set(RULES) >= EXISTENCE_RULES


# --- each example, alone ----------------------------------------------------------------------


@pytest.mark.parametrize("example", example_params())
def test_example(example: Example, monkeypatch: pytest.MonkeyPatch) -> None:
    result = scan_alone(example.path, example.code, monkeypatch)
    name = example.path.name
    assert not result.parse_errors, [str(e) for e in result.parse_errors]
    assert result.files_scanned == 1
    mine = [f for f in result.findings if f.rule_code == example.code]
    assert len(mine) == len(result.findings)
    got = statuses(mine)
    assert not got[Status.ERROR], [f.message for f in mine if f.status is Status.ERROR]

    if example.outcome == "fail":
        failures = [f for f in mine if f.status is Status.FAIL]
        assert failures, f"{example.id}: expected a FAIL, got {dict(got)}"
        for f in failures:
            if name.endswith(".snapshot.json"):  # live resources: named by ARN or address
                assert f.location is None and f.source == "aws"
                continue
            assert f.location is not None
            assert f.location.file == name
            assert f.location.start_line >= 1
        return

    assert not got[Status.FAIL], [f.message for f in mine if f.status is Status.FAIL]
    assert not got[Status.NOT_EVALUATED], [
        f.message for f in mine if f.status is Status.NOT_EVALUATED
    ]
    if example.code in EXISTENCE_RULES:
        assert result.resource_count > 0, "the compliant example should still declare something"
        assert not mine
    elif (example.code, name) in NOT_APPLICABLE:
        assert set(got) == {Status.NOT_APPLICABLE}
    else:
        assert got[Status.PASS], f"{example.id}: expected a PASS, got {dict(got)}"
        assert set(got) <= {Status.PASS, Status.NOT_APPLICABLE}


@pytest.mark.parametrize(
    "code", sorted(d.name for d in EXAMPLES.iterdir() if d.is_dir() and any(d.glob("*.tf")))
)
def test_terraform_examples_of_a_rule_do_not_interfere(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule's `.tf` files are one Terraform module: together they must give what each gives."""
    folder = EXAMPLES / code
    ruleset = RuleSet.of([RULES[code]])
    monkeypatch.chdir(folder)

    def key(f: Finding) -> tuple[object, ...]:
        loc = f.location
        return (f.status, f.resource_address, loc.file if loc else None,
                loc.start_line if loc else None, f.subject)

    files = sorted(p.name for p in folder.glob("*.tf"))
    together = scan([Path(n) for n in files], ruleset)
    assert not together.parse_errors
    alone: Counter[tuple[object, ...]] = Counter()
    for name in files:
        alone.update(key(f) for f in scan([Path(name)], ruleset).findings)
    assert Counter(key(f) for f in together.findings) == alone


# --- one misconfiguration, three formats ------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """Where a format's finding must point: the offending block (or attribute)."""

    address: str
    line: int
    text: str  # what that line of the file holds, so edits of the example are caught


# Plan JSON carries no source positions: its findings point at the resource's entry in
# `planned_values` (its "address" line).
CROSS_FORMAT: dict[str, tuple[str, dict[str, Expected]]] = {
    "ENC001": ("s3_bucket", {  # no encryption declared anywhere: the bucket's declaration
        "fail.tf": Expected("aws_s3_bucket.claims_exports", 2,
                            'resource "aws_s3_bucket" "claims_exports" {'),
        "fail.tfplan.json": Expected("aws_s3_bucket.claims_exports", 8,
                                     '"address": "aws_s3_bucket.claims_exports",'),
        "fail.cfn.yaml": Expected("ClaimsExportsBucket", 5, "ClaimsExportsBucket:"),
    }),
    "NET001": ("security_group", {  # the ingress rule admitting 0.0.0.0/0 on port 22
        "fail.tf": Expected("aws_security_group.bastion", 12, "ingress {"),
        "fail.tfplan.json": Expected("aws_security_group.bastion", 13,
                                     '"address": "aws_security_group.bastion",'),
        "fail.cfn.yaml": Expected("BastionSecurityGroup", 17, "- Description: SSH"),
    }),
    "KEY001": ("kms_key", {  # rotation left at its default (off): the key's declaration
        "fail.tf": Expected("aws_kms_key.claims_data", 2,
                            'resource "aws_kms_key" "claims_data" {'),
        "fail.tfplan.json": Expected("aws_kms_key.claims_data", 8,
                                     '"address": "aws_kms_key.claims_data",'),
        "fail.cfn.yaml": Expected("ClaimsDataKey", 5, "ClaimsDataKey:"),
    }),
    "LOG001": ("cloudtrail", {  # the attribute that turns multi-region off
        "fail.tf": Expected("aws_cloudtrail.audit", 7, "is_multi_region_trail         = false"),
        "fail.tfplan.json": Expected("aws_cloudtrail.audit", 8,
                                     '"address": "aws_cloudtrail.audit",'),
        "fail.cfn.yaml": Expected("AuditTrail", 13, "IsMultiRegionTrail: false"),
    }),
}
SOURCE_OF = {"fail.tf": "terraform", "fail.tfplan.json": "terraform-plan",
             "fail.cfn.yaml": "cloudformation"}
CROSS_FORMAT_PROBLEMS: dict[tuple[str, str], str] = {}


def cross_format_params() -> list[object]:
    out = []
    for code, (_, expected) in sorted(CROSS_FORMAT.items()):
        for name in expected:
            reason = CROSS_FORMAT_PROBLEMS.get((code, name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(code, name, id=f"{code}/{name}", marks=marks))
    return out


def test_cross_format_examples_cover_three_formats() -> None:
    for code, (_, expected) in CROSS_FORMAT.items():
        assert set(expected) == set(SOURCE_OF), code


@pytest.mark.parametrize(("code", "name"), [
    pytest.param(code, name, id=f"{code}/{name}")
    for code, (_, expected) in sorted(CROSS_FORMAT.items()) for name in expected
])
def test_cross_format_lines_hold_the_offending_declaration(code: str, name: str) -> None:
    want = CROSS_FORMAT[code][1][name]
    lines = (EXAMPLES / code / name).read_text().splitlines()
    assert lines[want.line - 1].strip().startswith(want.text), f"{code}/{name}:{want.line}"


@pytest.mark.parametrize(("code", "name"), cross_format_params())
def test_same_misconfiguration_in_hcl_plan_and_cloudformation(
    code: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kind, expected = CROSS_FORMAT[code]
    want = expected[name]
    result = scan_alone(EXAMPLES / code / name, code, monkeypatch)
    assert not result.parse_errors
    failures = [f for f in result.findings if f.status is Status.FAIL]
    assert len(failures) == 1, [f.message for f in result.findings]
    (f,) = failures
    assert (f.rule_code, f.resource_kind, f.source) == (code, kind, SOURCE_OF[name])
    assert f.resource_address == want.address
    assert f.location is not None
    assert (f.location.file, f.location.start_line) == (name, want.line)
