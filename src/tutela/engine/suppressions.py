"""Inline suppressions in IaC comments: `# tutela:ignore ENC001 reason...`.

A suppression applies to the resource whose declaration contains the comment,
or whose declaration starts right below the comment block it is in. It must
give a reason; one without a reason does not apply and is reported itself
(rule `suppression_has_reason`). Suppressed findings stay in every output.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from tutela.engine.findings import Suppression
from tutela.model.base import Resource
from tutela.model.values import Location

# `#`, `//` or `/*` comments; codes separated by commas or spaces; the rest is the reason.
_PATTERN = re.compile(
    r"(?:#|//|/\*)\s*tutela:ignore(?:[:=]\s*|\s+)"
    r"(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*)"
    r"(?P<reason>.*?)(?:\*/)?\s*$"
)
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*)")


@dataclass(frozen=True, slots=True)
class InlineComment:
    codes: tuple[str, ...]
    reason: str
    location: Location


def find_suppressions(file: str, text: str) -> list[InlineComment]:
    """Every `tutela:ignore` comment of a file (cheap: a substring test first)."""
    if "tutela:ignore" not in text:
        return []
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "tutela:ignore" not in line:
            continue
        m = _PATTERN.search(line)
        if not m:
            out.append(InlineComment((), "", Location(file, number, number)))
            continue
        codes = tuple(c.strip().upper() for c in m.group("codes").split(","))
        reason = m.group("reason").strip(" \t-:—")
        out.append(InlineComment(codes, reason, Location(file, number, number)))
    return out


class SuppressionIndex:
    """Suppression comments by file, matched to resources by line."""

    def __init__(self, comments: Iterable[InlineComment], texts: dict[str, str]) -> None:
        self._by_file: dict[str, list[InlineComment]] = {}
        for c in comments:
            self._by_file.setdefault(c.location.file, []).append(c)
        for items in self._by_file.values():
            items.sort(key=lambda c: c.location.start_line)
        self._lines = {f: texts[f].splitlines() for f in self._by_file if f in texts}

    @property
    def comments(self) -> list[InlineComment]:
        return [c for items in self._by_file.values() for c in items]

    def for_resource(self, resource: Resource, code: str) -> Suppression | None:
        loc = resource.location
        if loc is None:
            return None
        items = self._by_file.get(loc.file)
        if not items:
            return None
        first = self._leading_comment_start(loc)
        starts = [c.location.start_line for c in items]
        lo = bisect_right(starts, first - 1)
        for c in items[lo:]:
            line = c.location.start_line
            if line > loc.end_line:
                break
            if code in c.codes and c.reason:
                return Suppression(c.codes, c.reason, c.location)
        return None

    def _leading_comment_start(self, loc: Location) -> int:
        """First line of the comment block directly above the declaration."""
        lines = self._lines.get(loc.file, [])
        n = loc.start_line - 1
        while n >= 1 and n - 1 < len(lines) and _COMMENT_LINE.match(lines[n - 1]):
            n -= 1
        return n + 1
