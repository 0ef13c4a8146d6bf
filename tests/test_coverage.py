"""Acceptance: every automated or hybrid requirement of ENG-POL-003 has a rule.

Read through the real command, `tutela catalog coverage --format json`: no
automated or hybrid requirement may be left without a rule (status "covered",
or "partial" with at least one rule, i.e. a hybrid requirement still waiting
for its evidence type), and the table names the rules of each requirement.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from tutela.cli import app
from tutela.rules import default_rules


@pytest.fixture(scope="module")
def coverage() -> dict[str, Any]:
    result = CliRunner().invoke(
        app, ["catalog", "coverage", "--format", "json"], env={"TUTELA_CATALOG": ""}
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def _rules(entry: dict[str, Any]) -> list[str]:
    return [v["code"] for v in entry["verifiers"] if v["kind"] == "rule"]


def test_every_automated_or_hybrid_requirement_has_a_rule(coverage: dict[str, Any]) -> None:
    needing = [e for e in coverage["requirements"] if e["verification"] in ("automated", "hybrid")]
    assert needing, "the catalog marks no requirement as automated or hybrid"
    missing = [e["requirement"] for e in needing if not _rules(e)]
    assert not missing, (
        f"{len(missing)} automated/hybrid requirements have no rule: {', '.join(missing)}"
    )
    for entry in needing:
        assert entry["status"] in ("covered", "partial"), entry
        if entry["verification"] == "automated":
            assert entry["status"] == "covered", entry


def test_coverage_names_the_rules_of_each_requirement(coverage: dict[str, Any]) -> None:
    """The table lists exactly the shipped rules that name each requirement."""
    by_requirement: dict[str, set[str]] = {}
    for r in default_rules():
        for control in r.controls:
            by_requirement.setdefault(control, set()).add(r.code)
    for entry in coverage["requirements"]:
        assert set(_rules(entry)) == by_requirement.get(entry["requirement"], set()), entry
    assert coverage["totals"]["rules"] == len(default_rules())


def test_no_rule_names_a_requirement_the_catalog_lacks(coverage: dict[str, Any]) -> None:
    assert coverage["unknown_controls"] == []


def test_the_table_lists_rules_per_requirement() -> None:
    result = CliRunner().invoke(
        app, ["catalog", "coverage"], env={"TUTELA_CATALOG": "", "COLUMNS": "250"}
    )
    assert result.exit_code == 0
    assert "3.5.1.b.2" in result.stdout and "LOG302" in result.stdout
