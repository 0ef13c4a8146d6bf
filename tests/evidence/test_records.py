"""Recording evidence: validation, attachments kept under their SHA-256, audit entries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tutela.catalog.loader import load_catalog
from tutela.catalog.model import Catalog
from tutela.errors import UnknownRequirementError
from tutela.evidence.records import EvidenceError, record_evidence, record_id, store_attachment
from tutela.store import Store

TODAY = date(2025, 6, 1)
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(None)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / ".tutela" / "tutela.db") as s:
        yield s


def test_attachments_are_copied_under_their_hash(
    store: Store, catalog: Catalog, tmp_path: Path
) -> None:
    report = tmp_path / "dr-test.txt"
    report.write_bytes(b"failover to us-west-2 in 38 minutes\n")
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    rec = record_evidence(
        store,
        catalog,
        "ENG-POL-003:3.6.2.a.4",
        performed_on=date(2025, 5, 2),
        performed_by="DR team",
        today=TODAY,
        now=NOW,
        actor="alice",
        attach=[report],
        note="annual DR test",
    )
    assert rec.requirement_id == "3.6.2.a.4"
    (att,) = rec.attachments
    assert (att.name, att.sha256) == ("dr-test.txt", digest)
    stored = store.attachment_path(att)
    assert stored == tmp_path / ".tutela" / "evidence" / digest
    assert stored.read_bytes() == report.read_bytes()
    assert store.evidence_records() == [rec]
    entry = store.audit_entries()[-1]
    assert entry.action == "evidence.recorded" and entry.actor == "alice"
    assert entry.data["attachments"] == [{"name": "dr-test.txt", "sha256": digest}]
    # The same content is kept once.
    again = store_attachment(report, store.evidence_dir)
    assert again == att
    assert len([p for p in store.evidence_dir.iterdir() if not p.name.startswith(".")]) == 1


def test_refusals(store: Store, catalog: Catalog, tmp_path: Path) -> None:
    def rec(requirement: str = "3.2.2.a.1", **kw: object) -> object:
        args: dict[str, object] = {
            "performed_on": TODAY,
            "performed_by": "alice",
            "today": TODAY,
            "now": NOW,
            "actor": "alice",
        }
        args.update(kw)
        return record_evidence(store, catalog, requirement, **args)  # type: ignore[arg-type]

    with pytest.raises(EvidenceError, match="verified automatically"):
        rec("3.3.1.a.3")
    with pytest.raises(UnknownRequirementError, match="did you mean"):
        rec("3.2.2.a.11")
    with pytest.raises(EvidenceError, match="future"):
        rec(performed_on=date(2025, 6, 2))
    with pytest.raises(EvidenceError, match="--by"):
        rec(performed_by="  ")
    with pytest.raises(EvidenceError, match="no such file"):
        rec(attach=[tmp_path / "missing.pdf"])
    assert store.evidence_records() == []
    assert store.audit_entries() == []


def test_record_ids_derive_from_content() -> None:
    a = record_id("3.2.2.a.1", TODAY, "alice", NOW)
    assert a == record_id("3.2.2.a.1", TODAY, "alice", NOW)
    assert a != record_id("3.2.2.a.1", TODAY, "bob", NOW)
    assert a.startswith("EV-")
