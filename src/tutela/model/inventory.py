"""All resources of one scan, indexed by kind, for cross-resource rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

from tutela.model.base import Resource

R = TypeVar("R", bound=Resource)
T = TypeVar("T")


class Inventory:
    """Read-only view of a scan's resources, indexed by type (O(1) lookups)."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self._all = tuple(resources)
        by_type: dict[type[Resource], list[Resource]] = defaultdict(list)
        by_address: dict[str, Resource] = {}
        for r in self._all:
            by_type[type(r)].append(r)
            by_address[r.address] = r
        self._by_type = {t: tuple(v) for t, v in by_type.items()}
        self._by_address = by_address
        self._of: dict[type[Resource], tuple[Resource, ...]] = {}
        self._memo: dict[Hashable, object] = {}

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def of(self, kind: type[R]) -> tuple[R, ...]:
        """Resources of `kind` (subclasses included); computed once per kind."""
        hit = self._of.get(kind)
        if hit is None:
            out: list[Resource] = []
            for t, items in self._by_type.items():
                if issubclass(t, kind):
                    out.extend(items)
            hit = self._of[kind] = tuple(out)
        return hit  # type: ignore[return-value]

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A value derived from the whole inventory (an index), computed once per scan.

        Cross-resource rules use it to avoid re-scanning every resource per resource.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def get(self, address: str) -> Resource | None:
        return self._by_address.get(address)
