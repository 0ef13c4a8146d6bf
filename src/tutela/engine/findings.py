"""Findings and scan results: what every report format is written from."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from tutela.collectors import ServiceCoverage
from tutela.model.values import Location
from tutela.rules.api import Severity, Status
from tutela.sources.raw import ParseError


@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline `tutela:ignore CODE reason` that applies to a finding."""

    codes: tuple[str, ...]
    reason: str
    location: Location


@dataclass(frozen=True, slots=True)
class Finding:
    """One (rule, resource[, part]) result."""

    rule_code: str
    rule_name: str
    title: str
    severity: Severity
    controls: tuple[str, ...]
    status: Status
    message: str
    resource_address: str
    resource_kind: str
    native_type: str
    source: str
    location: Location | None
    arn: str | None = None
    subject: str | None = None
    suppression: Suppression | None = None
    fingerprint: str = field(default="")
    waiver_id: str | None = None  # the waiver (`.tutela-waivers.yaml`) that made it WAIVED

    @staticmethod
    def make_fingerprint(rule_code: str, identity: str, subject: str | None) -> str:
        """Stable across line moves: rule, resource identity and the part named."""
        text = "\x1f".join((rule_code, identity, subject or ""))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def is_failure(self) -> bool:
        return self.status is Status.FAIL


@dataclass(slots=True)
class FindingBatch:
    """Findings kept together by the incremental scan (`tutela.engine.incremental`): one
    unit's, or one cross-resource rule's. Besides the findings (still pickled when they
    come from the cache) it holds what reports need without them: each finding's sort
    key (`tutela.reports.sort_text`) and JSON text, and counts by status and severity."""

    keys: list[str]
    texts: list[str]
    tally: dict[tuple[Status, Severity], int]
    _items: tuple[Finding, ...] | None = None
    _blob: bytes | None = None

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> FindingBatch:
        from tutela.reports import sort_text
        from tutela.reports.json_report import finding_text

        tally: Counter[tuple[Status, Severity]] = Counter(
            (f.status, f.severity) for f in findings
        )
        return cls(
            [sort_text(f) for f in findings],
            [finding_text(f) for f in findings],
            dict(tally),
            tuple(findings),
        )

    def __len__(self) -> int:
        return len(self.keys)

    def findings(self) -> tuple[Finding, ...]:
        if self._items is None:
            from tutela.engine.parallel import loads

            try:
                items = tuple(loads(self._blob or b""))
                if len(items) != len(self.texts):
                    raise ValueError("stored findings do not match their texts")
            except Exception:  # a damaged cache file must not fail a scan: the texts say all
                items = tuple(_from_text(text) for text in self.texts)
            self._items, self._blob = items, None
        return self._items

    def __getstate__(self) -> dict[str, Any]:
        # Stored with the findings pickled once, and kept pickled until someone asks; the
        # texts as one string (JSON text has no raw NUL): one object to unpickle, not 100s.
        from tutela.engine.parallel import dumps

        blob = self._blob if self._blob is not None else dumps(self._items or ())
        text = "\x00".join(self.texts)
        return {"keys": self.keys, "text": text, "tally": self.tally, "blob": blob}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.keys, self.tally = state["keys"], state["tally"]
        self.texts = state["text"].split("\x00") if self.keys else []
        self._items, self._blob = None, state["blob"]


def _from_text(text: str) -> Finding:
    """A finding back from its JSON text (`tutela.reports.json_report.finding_text`)."""
    import json

    rec = json.loads(text)
    sup = rec["suppression"]
    return Finding(
        rule_code=rec["rule_code"],
        rule_name=rec["rule_name"],
        title=rec["title"],
        severity=Severity[rec["severity"].upper()],
        controls=tuple(rec["requirements"]),
        status=Status(rec["status"]),
        message=rec["message"],
        resource_address=rec["resource_address"],
        resource_kind=rec["resource_kind"],
        native_type=rec["native_type"],
        source=rec["source"],
        location=None
        if rec["file"] is None
        else Location(rec["file"], rec["start_line"], rec["end_line"]),
        arn=rec["arn"],
        subject=rec["subject"],
        suppression=None
        if sup is None
        else Suppression(
            tuple(sup["codes"]),
            sup["reason"],
            Location(sup["file"], sup["start_line"], sup["end_line"]),
        ),
        fingerprint=rec["fingerprint"] or "",
    )


class FindingList(Sequence[Finding]):
    """A scan's findings as batches: a sequence of Finding like any other, materialized
    on first use, while counts and the JSON report read the batches' stored forms (a
    re-scan of a large repository writes its report without unpickling 50,000 findings).
    """

    __slots__ = ("_all", "batches")

    def __init__(self, batches: Iterable[FindingBatch]) -> None:
        self.batches = tuple(batches)
        self._all: tuple[Finding, ...] | None = None

    def _items(self) -> tuple[Finding, ...]:
        if self._all is None:
            self._all = tuple(f for b in self.batches for f in b.findings())
        return self._all

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Finding, ...]: ...
    def __getitem__(self, index: int | slice) -> Finding | tuple[Finding, ...]:
        return self._items()[index]

    def __len__(self) -> int:
        return sum(len(b) for b in self.batches)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return self._items() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FindingList({len(self)} findings in {len(self.batches)} batches)"

    def tally(self) -> Counter[tuple[Status, Severity]]:
        out: Counter[tuple[Status, Severity]] = Counter()
        for b in self.batches:
            out.update(b.tally)
        return out


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan produced."""

    findings: Sequence[Finding]  # a tuple, or a FindingList from an incremental scan
    parse_errors: tuple[ParseError, ...]
    resource_count: int
    files_scanned: int
    rule_count: int
    duration_seconds: float
    targets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    coverage: tuple[ServiceCoverage, ...] = ()  # live collections: per service and region

    def tally(self) -> Counter[tuple[Status, Severity]]:
        """Findings by (status, severity), without unpickling batched findings."""
        if isinstance(self.findings, FindingList):
            return self.findings.tally()
        return Counter((f.status, f.severity) for f in self.findings)

    def counts(self) -> Counter[Status]:
        out: Counter[Status] = Counter()
        for (status, _), n in self.tally().items():
            out[status] += n
        return out

    def failures(self, at_least: Severity = Severity.INFO) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_failure and f.severity >= at_least)

    def failure_count(self, at_least: Severity = Severity.INFO) -> int:
        """How many failures reach `at_least`."""
        return sum(
            n
            for (status, severity), n in self.tally().items()
            if status is Status.FAIL and severity >= at_least
        )
