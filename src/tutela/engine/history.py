"""Differences between two scans, by finding fingerprint (rule + resource identity + part).

Fingerprints carry no line numbers, so moving code around does not make a
finding "new". Between a baseline scan A and a later scan B:

- new: failing in B, not failing in A (passing there, or absent);
- fixed: failing in A, and in B passing, not applicable, or gone;
- still failing: failing in both;
- no longer failing: failing in A, and in B waived, suppressed, not evaluated
  or in error: not a fix, and not a regression either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tutela.engine.findings import Finding
from tutela.rules.api import Status

_FIXED = {Status.PASS, Status.NOT_APPLICABLE}


@dataclass(frozen=True, slots=True)
class ScanDiff:
    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]  # as they were in the baseline (A), or as they are in B
    still_failing: tuple[Finding, ...]  # as they are in B
    no_longer_failing: tuple[Finding, ...]  # as they are in B

    @property
    def regressed(self) -> bool:
        return bool(self.new)


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule_code, f.resource_address, f.subject or "")


def _index(findings: Iterable[Finding]) -> dict[str, Finding]:
    """By fingerprint; when a fingerprint repeats, a failing finding wins."""
    out: dict[str, Finding] = {}
    for f in findings:
        fp = f.fingerprint or Finding.make_fingerprint(
            f.rule_code, f.arn or f"{f.source}:{f.resource_address}", f.subject
        )
        known = out.get(fp)
        if known is None or (f.status is Status.FAIL and known.status is not Status.FAIL):
            out[fp] = f
    return out


def diff_scans(baseline: Iterable[Finding], current: Iterable[Finding]) -> ScanDiff:
    """What changed from `baseline` (scan A) to `current` (scan B)."""
    a = _index(baseline)
    b = _index(current)
    new: list[Finding] = []
    fixed: list[Finding] = []
    still: list[Finding] = []
    other: list[Finding] = []
    for fp, fb in b.items():
        fa = a.get(fp)
        was_failing = fa is not None and fa.status is Status.FAIL
        if fb.status is Status.FAIL:
            (still if was_failing else new).append(fb)
        elif was_failing:
            (fixed if fb.status in _FIXED else other).append(fb)
    for fp, fa in a.items():
        if fa.status is Status.FAIL and fp not in b:
            fixed.append(fa)
    return ScanDiff(
        new=tuple(sorted(new, key=_key)),
        fixed=tuple(sorted(fixed, key=_key)),
        still_failing=tuple(sorted(still, key=_key)),
        no_longer_failing=tuple(sorted(other, key=_key)),
    )
