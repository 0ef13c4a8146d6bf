"""Tables of the store (SQLAlchemy 2 declarative models).

The schema is owned by the Alembic migrations in `tutela/store/migrations`;
these models must match them (a test compares the two). Times are stored in
UTC; the audit log keeps its time as the ISO text that was hashed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class ScanRow(Base):
    """One recorded scan (IaC files, or a live AWS collection)."""

    __tablename__ = "scans"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # "iac" | "aws"
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    targets: Mapped[list[Any]]  # as given on the command line
    target_paths: Mapped[list[Any]]  # absolute paths, to re-read them later
    tool_version: Mapped[str] = mapped_column(String(64))
    catalog_version: Mapped[str] = mapped_column(String(200))
    sources: Mapped[list[Any]]  # sources that produced findings: terraform, cloudformation...
    counts: Mapped[dict[str, Any]]  # finding status -> count
    resource_count: Mapped[int]
    files_scanned: Mapped[int]
    rule_count: Mapped[int]
    parse_errors: Mapped[int]
    notes: Mapped[list[Any]]
    snapshot: Mapped[dict[str, Any] | None]  # {"path", "sha256"} of a live-AWS snapshot
    findings_digest: Mapped[str] = mapped_column(String(64))


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        Index("ix_findings_scan_id", "scan_id"),
        Index("ix_findings_fingerprint", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    rule_code: Mapped[str] = mapped_column(String(64))
    rule_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    requirements: Mapped[list[Any]]
    status: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    resource_address: Mapped[str] = mapped_column(Text)
    resource_kind: Mapped[str] = mapped_column(String(200))
    native_type: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(64))
    arn: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    file: Mapped[str | None] = mapped_column(Text)
    start_line: Mapped[int | None]
    end_line: Mapped[int | None]
    suppression: Mapped[dict[str, Any] | None]  # {codes, reason, file, start_line, end_line}
    waiver_id: Mapped[str | None] = mapped_column(String(64))


class EvidenceRow(Base):
    __tablename__ = "evidence_records"
    __table_args__ = (Index("ix_evidence_requirement", "requirement_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    requirement_id: Mapped[str] = mapped_column(String(64))
    performed_on: Mapped[date]
    performed_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))  # "attestation" | "access_review"


class AttachmentRow(Base):
    __tablename__ = "evidence_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("evidence_records.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(Text)
    size: Mapped[int]


class AccessDecisionRow(Base):
    """One row of a completed access review sheet."""

    __tablename__ = "access_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("evidence_records.id", ondelete="CASCADE"), index=True
    )
    principal_kind: Mapped[str] = mapped_column(String(64))
    principal: Mapped[str] = mapped_column(Text)
    privilege: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))  # "keep" | "revoke"
    reviewer: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    resolved_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"))
    checked_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"))


class WaiverRow(Base):
    """The last known content of a waiver (the YAML file is the source of truth)."""

    __tablename__ = "waivers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # "active" | "removed"
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class WaiverEventRow(Base):
    """Every change of a waiver: added, changed, expired, removed."""

    __tablename__ = "waiver_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    waiver_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]


class AuditRow(Base):
    """One entry of the hash-chained audit log (see `tutela.engine.audit`)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The last entry of the audit log, so that cutting entries off the end is noticed."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))
