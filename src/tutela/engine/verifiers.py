"""The verifiers of a catalog: every rule and evidence type that verifies its requirements.

Rules (automated checks over IaC and cloud inventories) and evidence types
(procedural requirements: access reviews, DR tests...) are each exposed as a
`tutela.catalog.coverage.Verifier` (`kind` "rule" or "evidence", `code`,
`title`, `controls` = the requirement ids it verifies). `tutela catalog
coverage` and the conformance tests read coverage from this one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutela.catalog.coverage import Verifier
    from tutela.catalog.model import Catalog


def default_verifiers(catalog: Catalog) -> tuple[Verifier, ...]:
    """The rules that ship with tutela whose requirements exist in `catalog`."""
    from tutela.rules import default_rules

    known = {r.id for r in catalog.requirements}
    return tuple(r for r in default_rules() if any(c in known for c in r.controls))
