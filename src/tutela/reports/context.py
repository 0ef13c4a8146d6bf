"""What every report needs besides the scan result: the rules and the policy's words."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from tutela.engine.ruleset import RuleSet

if TYPE_CHECKING:
    from tutela.catalog.model import Catalog


class ReportContext:
    """Inputs shared by all report formats.

    - `ruleset`: the rules of the scan, for their metadata; a callable builds it on first
      use (the JSON and terminal reports never ask, so a scan imports only the rules it
      evaluated).
    - `policy_id`: the catalog's policy id (`ENG-POL-003`); requirement ids are
      qualified with it in machine formats (`ENG-POL-003:3.3.1.a.3`).
    - `requirement_text`: requirement id -> its text.
    - `section_titles`: section or area id (`3.3`, `3.3.1`) -> title.
    - `catalog`: the policy itself, for the auditor formats (None: the shipped one).
    """

    __slots__ = (
        "_ruleset",
        "catalog",
        "policy_id",
        "requirement_text",
        "section_titles",
        "tool_version",
    )

    def __init__(
        self,
        ruleset: RuleSet | Callable[[], RuleSet],
        tool_version: str,
        policy_id: str = "ENG-POL-003",
        requirement_text: Mapping[str, str] | None = None,
        section_titles: Mapping[str, str] | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self._ruleset = ruleset
        self.tool_version = tool_version
        self.policy_id = policy_id
        # `is None`, not `or`: truth-testing a LazyTexts would load the catalog.
        self.requirement_text: Mapping[str, str] = (
            {} if requirement_text is None else requirement_text
        )
        self.section_titles: Mapping[str, str] = {} if section_titles is None else section_titles
        self.catalog = catalog

    @property
    def ruleset(self) -> RuleSet:
        if not isinstance(self._ruleset, RuleSet):
            self._ruleset = self._ruleset()
        return self._ruleset

    def qualified(self, requirement_id: str) -> str:
        return f"{self.policy_id}:{requirement_id}"


class LazyTexts(Mapping[str, str]):
    """A mapping built on first use: reports that never look a requirement up (an empty
    scan, a JSON report) never load the catalog."""

    def __init__(self, build: Callable[[], Mapping[str, str]]) -> None:
        self._build = build
        self._data: Mapping[str, str] | None = None

    def _loaded(self) -> Mapping[str, str]:
        if self._data is None:
            self._data = self._build()
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())
