"""Evidence for procedural requirements: who did what, when, with which files."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file kept as evidence: its name, SHA-256 and where the evidence folder stores it."""

    name: str
    sha256: str
    stored_path: str


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One attestation that a procedural requirement was performed."""

    id: str
    requirement_id: str
    performed_on: date
    performed_by: str
    recorded_at: datetime
    note: str = ""
    attachments: tuple[Attachment, ...] = ()


class EvidenceState(enum.Enum):
    ATTESTED = "attested"  # performed within its cadence
    DUE_SOON = "due_soon"  # still valid, due within the warning window
    OVERDUE = "overdue"  # the cadence has lapsed: counts as failing in posture
    MISSING = "missing"  # never attested


@dataclass(frozen=True, slots=True)
class EvidenceStatus:
    """Where a requirement stands on its evidence today."""

    requirement_id: str
    state: EvidenceState
    last_performed: date | None = None
    next_due: date | None = None
    record: EvidenceRecord | None = None
