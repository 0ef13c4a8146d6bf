"""Posture: findings and evidence rolled up per requirement, section and framework control.

These are the shapes reports read; `tutela.engine.posture` computes them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


class RequirementState(enum.Enum):
    """One requirement's standing, worst first."""

    FAIL = "fail"  # a failing finding, or overdue evidence
    NOT_EVALUATED = "not_evaluated"  # verifiers ran but could not decide
    WAIVED = "waived"  # every failure is covered by a valid waiver
    PASS = "pass"  # automated verifiers passed
    ATTESTED = "attested"  # evidence is current
    NO_VERIFICATION = "no_verification"  # nothing verifies it (yet)


@dataclass(frozen=True, slots=True)
class RequirementPosture:
    requirement_id: str
    state: RequirementState
    counts: Mapping[str, int] = field(default_factory=dict)  # finding status -> count
    evidence_state: str | None = None  # EvidenceState value when evidence applies
    reasons: tuple[str, ...] = ()  # short explanations (failing rules, overdue evidence)


@dataclass(frozen=True, slots=True)
class Rollup:
    """Counts of requirement states under a section or a framework control."""

    key: str  # "3.3", "3.3.1", or "HIPAA:45 CFR § 164.312(b)"
    title: str
    states: Mapping[str, int]  # RequirementState value -> count
    requirement_ids: tuple[str, ...]

    @property
    def percent(self) -> float:
        """Share of requirements that pass, are attested or waived, among those verified."""
        good = sum(self.states.get(s.value, 0) for s in
                   (RequirementState.PASS, RequirementState.ATTESTED, RequirementState.WAIVED))
        verified = sum(v for k, v in self.states.items()
                       if k != RequirementState.NO_VERIFICATION.value)
        return round(100.0 * good / verified, 1) if verified else 0.0


@dataclass(frozen=True, slots=True)
class TrendPoint:
    scan_id: str
    at: datetime
    percent: float
    failing: int


@dataclass(frozen=True)
class Posture:
    generated_at: datetime
    requirements: tuple[RequirementPosture, ...]
    sections: tuple[Rollup, ...]
    frameworks: tuple[Rollup, ...]
    trend: tuple[TrendPoint, ...] = ()
    overall: Rollup | None = None  # every requirement of the catalog, under the policy id
