"""Findings and scan results: what every report format is written from."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan produced."""

    findings: tuple[Finding, ...]
    parse_errors: tuple[ParseError, ...]
    resource_count: int
    files_scanned: int
    rule_count: int
    duration_seconds: float
    targets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    coverage: tuple[ServiceCoverage, ...] = ()  # live collections: per service and region

    def counts(self) -> Counter[Status]:
        return Counter(f.status for f in self.findings)

    def failures(self, at_least: Severity = Severity.INFO) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_failure and f.severity >= at_least)
