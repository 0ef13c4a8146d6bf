"""Rules grouped by policy area, one module per source or provider:
`rules/<area>/<provider>.py` (e.g. `rules/encryption/aws.py`).

`default_rules()` collects the `Rule` values those modules define; nothing
registers globally, so a test can build a rule set from any rules it likes.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from pathlib import Path
from types import ModuleType

from tutela.rules.api import Rule

# Policy areas, in the order of ENG-POL-003 section 3.
AREAS = (
    "network",  # 3.1 hardening and attack surface
    "identity",  # 3.2.1 IAM and RBAC
    "encryption",  # 3.3.1 at rest and in transit
    "keys",  # 3.3.2 key management
    "secrets",  # 3.4.1 secrets in code
    "containers",  # 3.5.1
    "serverless",  # 3.5.2
    "backup",  # 3.6 backup and recovery
    "monitoring",  # 3.2.2 and 3.7 audit logging and monitoring
    "governance",  # the scan's own governance (suppressions)
)


def rules_in(module: ModuleType) -> list[Rule]:
    """The Rule values a module defines (in definition order)."""
    return [v for v in vars(module).values() if isinstance(v, Rule)]


def rule_modules() -> list[str]:
    """Every module under the area packages (helpers start with `_` or are `detect`)."""
    names: list[str] = []
    for area in AREAS:
        folder = Path(__file__).parent / area
        for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
            if not info.name.startswith("_"):
                names.append(f"tutela.rules.{area}.{info.name}")
    return names


def default_rules() -> list[Rule]:
    """Every rule tutela ships."""
    out: list[Rule] = []
    for name in rule_modules():
        out.extend(rules_in(import_module(name)))
    return out
