"""Conformance of the shipped rules: identity, metadata, catalog links, docs and examples."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import tutela.rules
from tutela.rules import default_rules
from tutela.rules.api import Rule, Severity
from tutela.rules.docs import rule_markdown

RULES = default_rules()
EXAMPLES = Path(tutela.rules.__file__).parent / "examples"
CODE = re.compile(r"^[A-Z]{2,4}\d{3}$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

# Example formats every rule must have a pass and a fail example in, by the
# provider of its model type (plan JSON and live AWS are covered by the adapters'
# own tests and by the cross-format examples).
FORMATS_BY_PROVIDER = {
    "aws": ("tf", "cfn.yaml"),
    "azure": ("tf",),
    "gcp": ("tf",),
    "kubernetes": ("k8s.yaml",),
    "docker": ("Dockerfile",),
    "tutela": ("tf",),  # inline suppressions: one IaC format shows the comment syntax
}
SOURCE_OF_FORMAT = {"tf": "terraform", "cfn.yaml": "cloudformation",
                    "k8s.yaml": "kubernetes", "Dockerfile": "dockerfile", "snapshot.json": "aws"}
# Rules over facts only a live account shows (MFA enrolment, the root user, key age)
# have saved-snapshot examples (`tutela aws --save-snapshot`) instead of IaC ones.
LIVE_ONLY_FORMATS = ("snapshot.json",)
SNIPPET_FORMATS = {"terraform", "cloudformation", "kubernetes", "dockerfile"}


def by_rule() -> list[object]:
    return [pytest.param(r, id=r.code) for r in RULES]


def test_there_are_rules() -> None:
    assert len(RULES) >= 40


def test_codes_are_unique() -> None:
    dupes = [c for c, n in Counter(r.code for r in RULES).items() if n > 1]
    assert not dupes


def test_names_are_unique() -> None:
    dupes = [c for c, n in Counter(r.name for r in RULES).items() if n > 1]
    assert not dupes


@pytest.mark.parametrize("rule", by_rule())
def test_code_and_name_are_well_formed(rule: Rule) -> None:
    assert CODE.match(rule.code), rule.code
    assert SNAKE.match(rule.name), rule.name


@pytest.mark.parametrize("rule", by_rule())
def test_metadata_is_complete(rule: Rule) -> None:
    assert rule.title.strip()
    assert not rule.title.endswith(".")
    assert rule.description.strip()
    assert rule.remediation.strip()
    assert isinstance(rule.severity, Severity)
    assert rule.controls
    assert len(set(rule.controls)) == len(rule.controls)
    assert rule.sources, f"{rule.code}: no source produces {rule.resource_type.__name__}"


@pytest.mark.parametrize("rule", by_rule())
def test_remediation_snippets_match_the_rule_sources(rule: Rule) -> None:
    for fmt, snippet in rule.remediation_snippets.items():
        assert fmt in SNIPPET_FORMATS, f"{rule.code}: unknown snippet format {fmt!r}"
        assert fmt in rule.sources, f"{rule.code}: {fmt} snippet for a rule that never sees {fmt}"
        assert snippet.strip()


@pytest.mark.parametrize("rule", by_rule())
def test_rule_documentation_renders(rule: Rule) -> None:
    page = rule_markdown(rule)
    assert page.startswith(f"# {rule.code} `{rule.name}`")
    assert rule.title in page
    assert rule.remediation in page
    for control in rule.controls:
        assert f"ENG-POL-003:{control}" in page


def test_every_control_exists_in_the_shipped_catalog() -> None:
    loader = pytest.importorskip(
        "tutela.catalog.loader", reason="the catalog loader (tutela.catalog.loader) is not there"
    )
    catalog = loader.load_catalog(None)
    known = {req.id for req in catalog.requirements}
    missing = {f"{r.code}:{c}" for r in RULES for c in r.controls if c not in known}
    assert not missing, f"controls not in the ENG-POL-003 catalog: {sorted(missing)}"


@pytest.mark.parametrize("rule", by_rule())
def test_rule_has_pass_and_fail_examples_for_each_format(rule: Rule) -> None:
    provider = rule.resource_type.provider
    assert provider in FORMATS_BY_PROVIDER, f"{rule.code}: decide the example formats of {provider}"
    folder = EXAMPLES / rule.code
    live_only = (folder / "pass.snapshot.json").is_file()
    for fmt in LIVE_ONLY_FORMATS if live_only else FORMATS_BY_PROVIDER[provider]:
        source = SOURCE_OF_FORMAT[fmt]
        assert source in rule.sources, f"{rule.code}: {fmt} is not one of its sources"
        for outcome in ("pass", "fail"):
            example = folder / f"{outcome}.{fmt}"
            assert example.is_file(), f"missing example {rule.code}/{example.name}"
            assert example.read_text().strip()


def test_example_folders_belong_to_shipped_rules() -> None:
    codes = {r.code for r in RULES}
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir()}
    assert folders == codes


def test_rule_modules_are_named_for_the_provider_they_judge() -> None:
    """A scan imports rule modules by provider, from their names: a rule in the wrong
    module would silently never run on that provider's resources."""
    from importlib import import_module

    from tutela.rules import module_provider, rule_modules, rules_in

    seen = 0
    for name in rule_modules():
        for r in rules_in(import_module(name)):
            assert r.resource_type.provider == module_provider(name), (name, r.code)
            seen += 1
    assert seen == len(RULES)
    for provider in {r.resource_type.provider for r in RULES}:
        assert {r.code for r in default_rules({provider})} == {
            r.code for r in RULES if r.resource_type.provider == provider
        }
