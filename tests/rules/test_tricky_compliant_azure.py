"""Precision on realistic Azure Terraform: a tricky but compliant platform gives no failure.

`corpus/compliant-tricky/azure/` is written the way teams write Terraform: local
modules fed by variables with defaults and optional object attributes, `for_each`
over maps and module outputs, dynamic blocks, `merge()`d tags, settings declared on
separate resources (NSG rules, storage network rules and customer-managed keys,
SQL auditing and TDE, flexible server configurations, diagnostic settings),
higher-priority Deny rules, passwords from `random_password`, Key Vault references
in app settings. Every control is met, so the whole default rule set must find
nothing to fail, and nothing it cannot evaluate.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tutela.engine.findings import ScanResult
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan
from tutela.rules import default_rules
from tutela.rules.api import Status

CORPUS = Path(__file__).parent / "corpus" / "compliant-tricky" / "azure"
RULES = default_rules()
AZURE_RULES = {r.code for r in RULES if r.resource_type.provider == "azure"}


@pytest.fixture(scope="module")
def result() -> ScanResult:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(CORPUS)
        return scan([Path(".")], RuleSet.of(RULES))


def _brief(result: ScanResult, status: Status) -> list[str]:
    return [f"{f.rule_code} {f.resource_address}: {f.message} ({f.location})"
            for f in result.findings if f.status is status]


def test_the_corpus_parses(result: ScanResult) -> None:
    assert not result.parse_errors, [str(e) for e in result.parse_errors]
    assert result.files_scanned >= 6


def test_no_failures(result: ScanResult) -> None:
    assert not _brief(result, Status.FAIL)


def test_no_errors_and_nothing_left_unevaluated(result: ScanResult) -> None:
    assert not _brief(result, Status.ERROR)
    assert not _brief(result, Status.NOT_EVALUATED)


def test_every_azure_rule_is_exercised(result: ScanResult) -> None:
    """The corpus is no proof unless each rule actually judged something and passed it."""
    passed = {f.rule_code for f in result.findings if f.status is Status.PASS}
    assert passed >= AZURE_RULES, sorted(AZURE_RULES - passed)


def test_companions_were_folded_not_judged_alone(result: ScanResult) -> None:
    """Separate NSG rules join their groups; companions never become resources of their own."""
    types = Counter(f.native_type for f in result.findings)
    assert "azurerm_network_security_rule" not in types
    assert "azurerm_storage_account_network_rules" not in types
    assert "azurerm_monitor_diagnostic_setting" not in types
    keyed = {f.resource_address for f in result.findings
             if f.rule_code == "KEY104" and f.status is Status.PASS}
    assert len(keyed) == 3  # each for_each ePHI storage account joined its own key
