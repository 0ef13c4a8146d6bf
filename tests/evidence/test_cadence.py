"""Due dates from cadences, and evidence states on a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tutela.catalog.loader import load_catalog
from tutela.catalog.model import Cadence, CadenceKind, Catalog
from tutela.evidence.cadence import (
    evidence_status,
    evidence_statuses,
    interval_days,
    next_due,
    parse_intervals,
)
from tutela.evidence.model import EvidenceRecord, EvidenceState

TODAY = date(2025, 6, 1)
QUARTERLY = "3.2.2.a.1"  # quarterly access reviews (evidence)
ANNUAL = "3.6.2.a.4"  # annual DR test (evidence)
CONTINUOUS = "3.1.1.b.2"  # shared responsibility documented (evidence, no interval)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


def rec(requirement: str, performed_on: date, by: str = "alice") -> EvidenceRecord:
    return EvidenceRecord(
        id=f"EV-{requirement}-{performed_on}",
        requirement_id=requirement,
        performed_on=performed_on,
        performed_by=by,
        recorded_at=datetime(2025, 1, 1, tzinfo=UTC),
    )


def test_intervals() -> None:
    assert interval_days(Cadence(kind=CadenceKind.QUARTERLY)) == 91
    assert interval_days(Cadence(kind=CadenceKind.ANNUAL)) == 365
    assert interval_days(Cadence(kind=CadenceKind.MONTHLY, interval_days=31)) == 31
    assert interval_days(Cadence(kind=CadenceKind.ON_EVENT)) is None
    assert interval_days(Cadence(kind=CadenceKind.CONTINUOUS)) is None
    assert interval_days(Cadence(kind=CadenceKind.ON_EVENT), intervals={"on_event": 365}) == 365
    assert (
        interval_days(Cadence(kind=CadenceKind.QUARTERLY), requirement_id="x", intervals={"x": 30})
        == 30
    )
    assert next_due(Cadence(kind=CadenceKind.QUARTERLY), date(2025, 1, 1)) == date(2025, 4, 2)


def test_quarterly_attested_100_days_ago_is_overdue(catalog: Catalog) -> None:
    performed = TODAY - timedelta(days=100)
    status = evidence_status(catalog.get(QUARTERLY), [rec(QUARTERLY, performed)], today=TODAY)
    assert status.state is EvidenceState.OVERDUE
    assert status.next_due == performed + timedelta(days=91) == TODAY - timedelta(days=9)
    assert status.last_performed == performed


def test_quarterly_attested_yesterday_is_attested(catalog: Catalog) -> None:
    performed = TODAY - timedelta(days=1)
    status = evidence_status(catalog.get(QUARTERLY), [rec(QUARTERLY, performed)], today=TODAY)
    assert status.state is EvidenceState.ATTESTED
    assert status.next_due == TODAY + timedelta(days=90)


def test_due_soon_window_and_due_day(catalog: Catalog) -> None:
    req = catalog.get(QUARTERLY)
    due_in_14 = [rec(QUARTERLY, TODAY - timedelta(days=91 - 14))]
    assert evidence_status(req, due_in_14, today=TODAY).state is EvidenceState.DUE_SOON
    due_in_15 = [rec(QUARTERLY, TODAY - timedelta(days=91 - 15))]
    assert evidence_status(req, due_in_15, today=TODAY).state is EvidenceState.ATTESTED
    assert (
        evidence_status(req, due_in_15, today=TODAY, due_soon_days=30).state
        is EvidenceState.DUE_SOON
    )
    due_today = [rec(QUARTERLY, TODAY - timedelta(days=91))]
    assert evidence_status(req, due_today, today=TODAY).state is EvidenceState.DUE_SOON


def test_latest_record_wins_and_future_records_do_not_count(catalog: Catalog) -> None:
    req = catalog.get(QUARTERLY)
    records = [
        rec(QUARTERLY, TODAY - timedelta(days=200)),
        rec(QUARTERLY, TODAY - timedelta(days=10), by="bob"),
        rec(QUARTERLY, TODAY + timedelta(days=5), by="later"),
        rec(ANNUAL, TODAY),
    ]
    status = evidence_status(req, records, today=TODAY)
    assert status.state is EvidenceState.ATTESTED
    assert status.record is not None and status.record.performed_by == "bob"
    assert evidence_status(req, records[:1], today=TODAY).state is EvidenceState.OVERDUE


def test_no_due_date_without_interval(catalog: Catalog) -> None:
    req = catalog.get(CONTINUOUS)
    old = [rec(CONTINUOUS, TODAY - timedelta(days=900))]
    status = evidence_status(req, old, today=TODAY)
    assert (status.state, status.next_due) == (EvidenceState.ATTESTED, None)
    configured = evidence_status(req, old, today=TODAY, intervals={"continuous": 365})
    assert configured.state is EvidenceState.OVERDUE


def test_statuses_cover_evidence_and_hybrid_requirements(catalog: Catalog) -> None:
    statuses = evidence_statuses(catalog, [rec(ANNUAL, TODAY - timedelta(days=400))], today=TODAY)
    kinds = {r.id: r.verification.kind.value for r in catalog.requirements}
    assert set(statuses) == {k for k, v in kinds.items() if v in ("evidence", "hybrid")}
    assert statuses[ANNUAL].state is EvidenceState.OVERDUE
    assert statuses[QUARTERLY].state is EvidenceState.MISSING


def test_parse_intervals() -> None:
    assert parse_intervals(["on_event=365", "3.2.2.a.5=180"]) == {
        "on_event": 365,
        "3.2.2.a.5": 180,
    }
    for bad in ("on_event", "weird=3", "on_event=0", "on_event=x"):
        with pytest.raises(ValueError):
            parse_intervals([bad])
