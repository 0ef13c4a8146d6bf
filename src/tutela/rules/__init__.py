"""Rules grouped by policy area. `default_rules()` collects them; nothing registers globally."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from tutela.rules.api import Rule

# One module per policy area; a new rule only needs to live in one of them.
RULE_MODULES = (
    "tutela.rules.network",
    "tutela.rules.identity",
    "tutela.rules.encryption",
    "tutela.rules.keys",
    "tutela.rules.secrets",
    "tutela.rules.containers",
    "tutela.rules.serverless",
    "tutela.rules.backup",
    "tutela.rules.logging",
    "tutela.rules.governance",
)


def rules_in(module: ModuleType) -> list[Rule]:
    """The Rule values a module defines (in definition order)."""
    return [v for v in vars(module).values() if isinstance(v, Rule)]


def default_rules() -> list[Rule]:
    """Every rule tutela ships."""
    out: list[Rule] = []
    for name in RULE_MODULES:
        out.extend(rules_in(import_module(name)))
    return out
