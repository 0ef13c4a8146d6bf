"""Due dates of procedural requirements, from their cadence.

A periodic cadence has an interval (quarterly 91 days, annual 365...; the
catalog's `interval_days` wins when set): the next due date is the last
performance plus the interval. Continuous, on-change and on-event
requirements have no due date unless an interval is configured for them
(`intervals`, keyed by requirement id or by cadence kind).

State on `today`:

- missing: never attested;
- overdue: `today` is past the due date (it counts as failing in posture);
- due soon: the due date is within `due_soon_days` (14 by default);
- attested: otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from tutela.catalog.model import (
    CADENCE_INTERVAL_DAYS,
    Cadence,
    CadenceKind,
    Catalog,
    Requirement,
    VerificationKind,
)
from tutela.evidence.model import EvidenceRecord, EvidenceState, EvidenceStatus

DUE_SOON_DAYS = 14


def interval_days(
    cadence: Cadence,
    *,
    requirement_id: str | None = None,
    intervals: Mapping[str, int] | None = None,
) -> int | None:
    """Days between two performances, or None when the cadence sets no due date."""
    if intervals:
        if requirement_id is not None and requirement_id in intervals:
            return intervals[requirement_id]
        if cadence.kind.value in intervals:
            return intervals[cadence.kind.value]
    if cadence.interval_days is not None:
        return cadence.interval_days
    return CADENCE_INTERVAL_DAYS.get(cadence.kind)


def next_due(
    cadence: Cadence,
    last_performed: date,
    *,
    requirement_id: str | None = None,
    intervals: Mapping[str, int] | None = None,
) -> date | None:
    days = interval_days(cadence, requirement_id=requirement_id, intervals=intervals)
    return None if days is None else last_performed + timedelta(days=days)


def needs_evidence(requirement: Requirement) -> bool:
    return requirement.verification.kind in (VerificationKind.EVIDENCE, VerificationKind.HYBRID)


def evidence_status(
    requirement: Requirement,
    records: Iterable[EvidenceRecord],
    *,
    today: date,
    due_soon_days: int = DUE_SOON_DAYS,
    intervals: Mapping[str, int] | None = None,
) -> EvidenceStatus:
    """Where `requirement` stands on `today`, from its latest record performed by then."""
    latest: EvidenceRecord | None = None
    for rec in records:
        if rec.requirement_id != requirement.id or rec.performed_on > today:
            continue
        if latest is None or (rec.performed_on, rec.recorded_at) > (
            latest.performed_on,
            latest.recorded_at,
        ):
            latest = rec
    if latest is None:
        return EvidenceStatus(requirement.id, EvidenceState.MISSING)
    due = next_due(
        requirement.cadence, latest.performed_on, requirement_id=requirement.id, intervals=intervals
    )
    if due is None:
        state = EvidenceState.ATTESTED
    elif today > due:
        state = EvidenceState.OVERDUE
    elif (due - today).days <= due_soon_days:
        state = EvidenceState.DUE_SOON
    else:
        state = EvidenceState.ATTESTED
    return EvidenceStatus(
        requirement_id=requirement.id,
        state=state,
        last_performed=latest.performed_on,
        next_due=due,
        record=latest,
    )


def evidence_statuses(
    catalog: Catalog,
    records: Iterable[EvidenceRecord],
    *,
    today: date,
    due_soon_days: int = DUE_SOON_DAYS,
    intervals: Mapping[str, int] | None = None,
) -> dict[str, EvidenceStatus]:
    """The status of every evidence or hybrid requirement of `catalog`, by id."""
    by_req: dict[str, list[EvidenceRecord]] = {}
    for rec in records:
        by_req.setdefault(rec.requirement_id, []).append(rec)
    return {
        req.id: evidence_status(
            req,
            by_req.get(req.id, ()),
            today=today,
            due_soon_days=due_soon_days,
            intervals=intervals,
        )
        for req in catalog.requirements
        if needs_evidence(req)
    }


def parse_intervals(values: Iterable[str]) -> dict[str, int]:
    """`KIND_OR_REQUIREMENT=DAYS` pairs (`on_event=365`, `3.2.2.a.5=180`)."""
    kinds = {k.value for k in CadenceKind}
    out: dict[str, int] = {}
    for text in values:
        key, sep, days = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"interval {text!r}: expected KIND_OR_REQUIREMENT=DAYS")
        try:
            n = int(days)
        except ValueError:
            raise ValueError(f"interval {text!r}: days must be a whole number") from None
        if n < 1:
            raise ValueError(f"interval {text!r}: days must be at least 1")
        if key not in kinds and not key[:1].isdigit():
            raise ValueError(
                f"interval {text!r}: {key!r} is neither a cadence ({', '.join(sorted(kinds))}) "
                "nor a requirement id"
            )
        out[key] = n
    return out
