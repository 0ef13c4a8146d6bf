"""Recording evidence: who performed a procedural requirement, when, with which files.

Attachments are copied into the evidence folder under their SHA-256
(`.tutela/evidence/<sha256>`): content-addressed, so the same file stored
twice is kept once and a changed file can never pass for the original. The
record and its attachment hashes then go into the store in one transaction,
with an audit entry.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tutela.catalog.model import Catalog
from tutela.errors import TutelaError
from tutela.evidence.cadence import needs_evidence
from tutela.evidence.model import Attachment, EvidenceRecord

if TYPE_CHECKING:
    from tutela.evidence.access_review import AccessDecision
    from tutela.store import Store

CHUNK = 1 << 20


class EvidenceError(TutelaError):
    """Evidence that cannot be recorded (unknown requirement, future date, missing file)."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def store_attachment(source: Path, evidence_dir: Path) -> Attachment:
    """Copy `source` into `evidence_dir/<sha256>` (atomically; kept once per content)."""
    if not source.is_file():
        raise EvidenceError(f"{source}: no such file")
    evidence_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=evidence_dir)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = evidence_dir / sha
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
            os.chmod(target, 0o444)
    except OSError as exc:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise EvidenceError(f"{source}: cannot store as evidence: {exc.strerror}") from exc
    return Attachment(name=source.name, sha256=sha, stored_path=sha)


def record_id(
    requirement_id: str,
    performed_on: date,
    performed_by: str,
    recorded_at: datetime,
    attachments: Sequence[Attachment] = (),
) -> str:
    """An id derived from the record's content: the same record always gets the same id."""
    text = "\x1f".join(
        (
            requirement_id,
            performed_on.isoformat(),
            performed_by,
            recorded_at.astimezone(UTC).isoformat(),
            *(a.sha256 for a in attachments),
        )
    )
    return "EV-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def record_evidence(
    store: Store,
    catalog: Catalog,
    requirement_id: str,
    *,
    performed_on: date,
    performed_by: str,
    today: date,
    now: datetime,
    actor: str,
    attach: Sequence[Path] = (),
    note: str = "",
    kind: str = "attestation",
    decisions: Sequence[AccessDecision] = (),
) -> EvidenceRecord:
    """Validate, copy attachments, and store the record with an audit entry."""
    requirement = catalog.get(requirement_id)
    if not needs_evidence(requirement):
        raise EvidenceError(
            f"{requirement.id} is verified automatically by rules "
            f"({requirement.verification.kind.value}); evidence applies to evidence or hybrid "
            "requirements"
        )
    if performed_on > today:
        raise EvidenceError(f"performed on {performed_on}: a date in the future")
    if not performed_by.strip():
        raise EvidenceError("who performed it (--by) is required")
    for path in attach:
        if not path.is_file():
            raise EvidenceError(f"{path}: no such file")
    attachments = tuple(store_attachment(path, store.evidence_dir) for path in attach)
    record = EvidenceRecord(
        id=record_id(requirement.id, performed_on, performed_by.strip(), now, attachments),
        requirement_id=requirement.id,
        performed_on=performed_on,
        performed_by=performed_by.strip(),
        recorded_at=now,
        note=note,
        attachments=attachments,
    )
    store.add_evidence(record, actor=actor, kind=kind, decisions=decisions)
    return record
