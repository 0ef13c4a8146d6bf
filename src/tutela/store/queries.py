"""Read-side helpers over the store, shared by the CLI and the reports.

- `current_scans` / `current_findings`: the latest recorded scan of each kind
  (IaC, live AWS) as of a date, and their findings;
- `evidence_as_of`: evidence statuses of the catalog on a date;
- `posture_from_store`: the posture (with open access revocations and a trend
  over the last recorded scans), as `tutela posture` shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from tutela.catalog.model import Catalog
from tutela.engine.findings import Finding
from tutela.engine.posture import ScanPoint, compute_posture
from tutela.engine.posture_model import Posture
from tutela.evidence.access_review import revocation_findings
from tutela.evidence.cadence import DUE_SOON_DAYS, evidence_statuses
from tutela.evidence.model import EvidenceRecord, EvidenceStatus
from tutela.store.store import ScanInfo, Store


def current_scans(store: Store, *, as_of: date | None = None) -> list[ScanInfo]:
    """The latest scan of each kind started on or before `as_of` (all when None)."""
    latest: dict[str, ScanInfo] = {}
    for scan in store.scans():
        if as_of is not None and scan.started_at.date() > as_of:
            continue
        latest[scan.kind] = scan
    return sorted(latest.values(), key=lambda s: s.id)


def current_findings(store: Store, *, as_of: date | None = None) -> list[Finding]:
    out: list[Finding] = []
    for scan in current_scans(store, as_of=as_of):
        out.extend(store.findings(scan.id))
    return out


def evidence_as_of(
    catalog: Catalog,
    records: list[EvidenceRecord],
    day: date,
    *,
    due_soon_days: int = DUE_SOON_DAYS,
    intervals: Mapping[str, int] | None = None,
) -> dict[str, EvidenceStatus]:
    return evidence_statuses(
        catalog, records, today=day, due_soon_days=due_soon_days, intervals=intervals
    )


def posture_from_store(
    store: Store | None,
    catalog: Catalog,
    *,
    today: date,
    now: datetime,
    framework: str | None = None,
    trend: int = 10,
    due_soon_days: int = DUE_SOON_DAYS,
    intervals: Mapping[str, int] | None = None,
) -> Posture:
    """The posture as of `today`: the latest scan of each kind, open access revocations,
    evidence as of `today`, and a trend over the last `trend` recorded scans."""
    from tutela.engine.verifiers import default_verifiers

    verifiers = default_verifiers(catalog)
    if store is None:
        return compute_posture(
            catalog,
            [],
            evidence_as_of(catalog, [], today, due_soon_days=due_soon_days, intervals=intervals),
            verifiers,
            now=now,
            framework=framework,
        )
    records = store.evidence_records()
    findings = current_findings(store, as_of=today)
    findings.extend(revocation_findings(store.access_decisions(open_only=True)))
    history: list[ScanPoint] = []
    if trend > 0:
        recent = [s for s in store.scans() if s.started_at.date() <= today][-trend:]
        for scan in recent:
            history.append(
                ScanPoint(
                    scan_id=str(scan.id),
                    at=scan.started_at,
                    findings=store.findings(scan.id),
                    evidence=evidence_as_of(
                        catalog,
                        records,
                        scan.started_at.date(),
                        due_soon_days=due_soon_days,
                        intervals=intervals,
                    ),
                )
            )
    return compute_posture(
        catalog,
        findings,
        evidence_as_of(catalog, records, today, due_soon_days=due_soon_days, intervals=intervals),
        verifiers,
        now=now,
        history=history,
        framework=framework,
    )
