"""The store on a real SQLite file: migrations, recording, reading back, transactions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from tutela.engine.audit import Problem
from tutela.engine.waivers import Waiver
from tutela.evidence.model import Attachment, EvidenceRecord
from tutela.rules.api import Status
from tutela.store import DEFAULT_DB, Store, StoreNotFoundError, findings_digest, resolve_target
from tutela.store import store as store_module
from tutela.store.models import Base

from .helpers import T0, make_finding, make_result, record


def test_migrations_match_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        assert ctx.get_current_revision() == "0001"
        assert compare_metadata(ctx, Base.metadata) == []


def test_default_location_and_urls(tmp_path: Path) -> None:
    with Store.open(None, cwd=tmp_path) as s:
        assert (tmp_path / DEFAULT_DB).is_file()
        assert s.evidence_dir == tmp_path / ".tutela" / "evidence"
    assert resolve_target("postgresql+psycopg://u@db/tutela", cwd=tmp_path) == (
        "postgresql+psycopg://u@db/tutela",
        None,
    )
    assert resolve_target("sqlite:///rel.db", cwd=tmp_path) == (
        f"sqlite:///{tmp_path / 'rel.db'}",
        tmp_path / "rel.db",
    )
    with pytest.raises(StoreNotFoundError):
        Store.open(tmp_path / "absent.db", create=False)
    # Opening again does not migrate again and keeps the data.
    with Store.open(None, cwd=tmp_path) as s:
        assert s.scans() == []


def test_record_and_read_back(store: Store) -> None:
    findings = [
        make_finding("ENC001", "aws_s3_bucket.a"),
        make_finding("ENC001", "aws_s3_bucket.b", Status.PASS, line=9),
        make_finding("NET001", "aws_security_group.web", Status.NOT_EVALUATED, subject="rules[0]"),
    ]
    info = record(store, findings)
    assert info.id == 1
    assert info.counts["fail"] == 1 and info.counts["pass"] == 1 and info.total == 3
    assert info.sources == ("terraform",)
    assert info.findings_digest == findings_digest(findings)
    assert store.findings(info.id) == findings
    assert store.scans() == [info]
    assert store.scan(1) == info
    (entry,) = store.audit_entries()
    assert entry.action == "scan.recorded" and entry.actor == "ci"
    assert entry.data["scan"] == 1
    assert store.verify_audit() is None


def test_first_and_last_seen(store: Store) -> None:
    a = make_finding("ENC001", "aws_s3_bucket.a")
    record(store, [a], at=T0)
    record(store, [a], at=T0 + timedelta(days=1))
    record(store, [make_finding("ENC001", "aws_s3_bucket.a", Status.PASS)], at=T0 + timedelta(2))
    seen = store.seen([a.fingerprint], status=Status.FAIL)[a.fingerprint]
    assert (seen.first_scan, seen.last_scan, seen.scans) == (1, 2, 2)
    assert seen.first_seen == T0 and seen.last_seen == T0 + timedelta(days=1)
    assert store.seen([a.fingerprint])[a.fingerprint].last_scan == 3


def test_a_failed_write_leaves_the_previous_state(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(store, [make_finding("ENC001", "aws_s3_bucket.a")])

    def boom() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module, "_test_pause", boom)
    with pytest.raises(KeyboardInterrupt):
        record(store, [make_finding("ENC001", f"aws_s3_bucket.n{i}") for i in range(500)])
    assert [s.id for s in store.scans()] == [1]
    assert len(store.audit_entries()) == 1
    assert store.verify_audit() is None
    monkeypatch.undo()
    assert record(store, [make_finding("ENC002", "aws_s3_bucket.z")]).id == 2
    assert [e.seq for e in store.audit_entries()] == [1, 2]


def test_evidence_round_trip(store: Store) -> None:
    rec = EvidenceRecord(
        id="EV-1",
        requirement_id="3.6.2.a.4",
        performed_on=date(2025, 2, 1),
        performed_by="DR team",
        recorded_at=T0,
        note="failover in 38 min",
        attachments=(Attachment("report.pdf", "ab" * 32, "ab" * 32),),
    )
    store.add_evidence(rec, actor="alice")
    assert store.evidence_records() == [rec]
    assert store.evidence_records("3.2.2.a.1") == []
    (entry,) = store.audit_entries()
    assert entry.action == "evidence.recorded"
    assert entry.data["attachments"] == [{"name": "report.pdf", "sha256": "ab" * 32}]


def test_waiver_changes_are_kept_and_audited(store: Store) -> None:
    w = Waiver(
        id="W-0001",
        reason="legacy",
        requested_by="alice",
        approved_by=("bob",),
        approved_on=date(2025, 1, 1),
        expires_on=date(2025, 6, 1),
        rule="ENC001",
    )
    assert store.sync_waivers([w], actor="ci") == [("added", "W-0001")]
    assert store.sync_waivers([w], actor="ci") == []
    longer = replace(w, expires_on=date(2025, 9, 1))
    assert store.sync_waivers([longer], actor="ci") == [("changed", "W-0001")]
    assert store.sync_waivers([], actor="ci") == [("removed", "W-0001")]
    history = store.waiver_history("W-0001")
    assert [e.action for e in history] == ["added", "changed", "removed"]
    assert history[1].data["expires_on"] == "2025-09-01"
    assert [e.action for e in store.audit_entries()] == [
        "waiver.added",
        "waiver.changed",
        "waiver.removed",
    ]
    assert store.recorded_waivers()["W-0001"][0] == "removed"


def test_editing_one_byte_of_an_audit_entry_is_detected(store: Store, tmp_path: Path) -> None:
    for i in range(3):
        record(store, [make_finding("ENC001", f"aws_s3_bucket.{i}")], at=T0 + timedelta(i))
    db = tmp_path / "state" / "tutela.db"
    with sqlite3.connect(db) as conn:
        (payload,) = conn.execute("SELECT payload FROM audit_log WHERE seq = 2").fetchone()
        i = payload.index('"actor"') if '"actor"' in payload else payload.index("ENG")
        edited = payload[:i] + chr(ord(payload[i]) + 1) + payload[i + 1 :]
        conn.execute("UPDATE audit_log SET payload = ? WHERE seq = 2", (edited,))
    problem = store.verify_audit()
    assert problem is not None
    assert (problem.seq, problem.problem) == (2, Problem.EDITED)


def test_edited_findings_are_detected_through_the_audit_digest(
    store: Store, tmp_path: Path
) -> None:
    record(store, [make_finding("ENC001", "aws_s3_bucket.a")])
    record(store, [make_finding("ENC001", "aws_s3_bucket.a")])
    with sqlite3.connect(tmp_path / "state" / "tutela.db") as conn:
        conn.execute("UPDATE findings SET status = 'pass' WHERE scan_id = 1")
    problem = store.verify_audit()
    assert problem is not None
    assert problem.seq == 1 and "scan 1" in problem.detail


def test_empty_scan_and_notes(store: Store) -> None:
    result = replace(make_result([]), notes=("waiver W-1 expired",))
    info = store.record_scan(
        result, started_at=T0, finished_at=T0, tool_version="x", catalog_version="y", actor="ci"
    )
    assert store.findings(info.id) == []
    assert info.notes == ("waiver W-1 expired",)
