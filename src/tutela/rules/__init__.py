"""Rules grouped by policy area, one module per source or provider:
`rules/<area>/<provider>.py` (e.g. `rules/encryption/aws.py`).

`default_rules()` collects the `Rule` values those modules define; nothing
registers globally, so a test can build a rule set from any rules it likes.
A module's file name says which provider's model it judges (`aws_stores.py`:
aws), so a scan imports only the rules of the providers it found
(`default_rules({"aws"})`); `tests/rules/test_conformance.py` holds every
module to its name.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Collection
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


# The first word of a rule module's name -> the provider of the model types it judges
# (`Resource.provider`). Modules whose name is not here hold helpers, not rules.
PROVIDER_OF_MODULE = {
    "aws": "aws",
    "azure": "azure",
    "gcp": "gcp",
    "kubernetes": "kubernetes",
    "dockerfile": "docker",
    "inline": "tutela",  # tutela:ignore comments (SUP001)
}


def module_provider(module_name: str) -> str | None:
    """The provider a rule module judges, from its name (`tutela.rules.x.aws_pack`: aws)."""
    stem = module_name.rsplit(".", 1)[-1]
    return PROVIDER_OF_MODULE.get(stem.split("_", 1)[0])


def rule_modules(providers: Collection[str] | None = None) -> list[str]:
    """The rule modules under the area packages, of `providers` only when given."""
    names: list[str] = []
    for area in AREAS:
        folder = Path(__file__).parent / area
        for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
            name = f"tutela.rules.{area}.{info.name}"
            provider = module_provider(name)
            if provider is None or (providers is not None and provider not in providers):
                continue
            names.append(name)
    return names


def default_rules(providers: Collection[str] | None = None) -> list[Rule]:
    """Every rule tutela ships, or those judging the model types of `providers`."""
    out: list[Rule] = []
    for name in rule_modules(providers):
        out.extend(rules_in(import_module(name)))
    return out
