"""All resources of one scan, indexed by kind, for cross-resource rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tutela.model.base import Resource

R = TypeVar("R", bound=Resource)


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

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def of(self, kind: type[R]) -> tuple[R, ...]:
        out: list[R] = []
        for t, items in self._by_type.items():
            if issubclass(t, kind):
                out.extend(items)  # type: ignore[arg-type]
        return tuple(out)

    def get(self, address: str) -> Resource | None:
        return self._by_address.get(address)
