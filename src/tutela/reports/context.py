"""What every report needs besides the scan result: the rules and the policy's words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tutela.engine.ruleset import RuleSet

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog


@dataclass(frozen=True)
class ReportContext:
    """Inputs shared by all report formats.

    - `policy_id`: the catalog's policy id (`ENG-POL-003`); requirement ids are
      qualified with it in machine formats (`ENG-POL-003:3.3.1.a.3`).
    - `requirement_text`: requirement id -> its text.
    - `section_titles`: section or area id (`3.3`, `3.3.1`) -> title.
    """

    ruleset: RuleSet
    tool_version: str
    policy_id: str = "ENG-POL-003"
    requirement_text: Mapping[str, str] = field(default_factory=dict)
    section_titles: Mapping[str, str] = field(default_factory=dict)
    catalog: Catalog | None = None  # the policy itself, for the auditor formats

    def qualified(self, requirement_id: str) -> str:
        return f"{self.policy_id}:{requirement_id}"
