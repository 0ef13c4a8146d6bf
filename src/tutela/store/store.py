"""The store: recorded scans and findings, evidence, waivers and the audit log.

    store = Store.open()                    # .tutela/tutela.db under the working directory
    store = Store.open("state/t.db")        # a SQLite file
    store = Store.open("postgresql+psycopg://user@host/tutela")

Opening runs the Alembic migrations shipped in `tutela/store/migrations` up
to the newest. Every write is one transaction: a scan, its findings and its
audit entry are committed together or not at all, so a crash or Ctrl-C in
the middle of recording leaves the previous state intact. SQLite runs in WAL
mode and write transactions take the write lock up front (`BEGIN
IMMEDIATE`), so that two recorders never allocate the same audit sequence.

Test hook: when the environment variable `TUTELA_TEST_RECORD_PAUSE` is set
to a number of seconds, `record_scan` prints `tutela-test-hook: in record
transaction` on standard error and sleeps that long after writing the
findings and before committing. Tests use it to kill a recording process at
a known point; it has no other use.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from tutela.engine.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditHead,
    AuditProblem,
    Problem,
    make_entry,
    verify,
)
from tutela.engine.findings import Finding, ScanResult, Suppression
from tutela.engine.waivers import Waiver
from tutela.errors import TutelaError
from tutela.evidence.access_review import AccessDecision, AccessEntry
from tutela.evidence.model import Attachment, EvidenceRecord
from tutela.model.values import Location
from tutela.rules.api import Severity, Status
from tutela.store.models import (
    AccessDecisionRow,
    AttachmentRow,
    AuditHeadRow,
    AuditRow,
    EvidenceRow,
    FindingRow,
    ScanRow,
    WaiverEventRow,
    WaiverRow,
)

DEFAULT_DB = Path(".tutela") / "tutela.db"
TEST_PAUSE_ENV = "TUTELA_TEST_RECORD_PAUSE"
TEST_HOOK_MARK = "tutela-test-hook: in record transaction"
_CHUNK = 500


class StoreError(TutelaError):
    """The store cannot be opened, or what was asked of it does not exist."""


class StoreNotFoundError(StoreError):
    """No store at the given place (and it was not to be created)."""


def default_actor() -> str:
    """Who is acting: `TUTELA_ACTOR`, else the login name."""
    actor = os.environ.get("TUTELA_ACTOR", "").strip()
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ScanInfo:
    id: int
    kind: str
    started_at: datetime
    finished_at: datetime
    targets: tuple[str, ...]
    target_paths: tuple[str, ...]
    tool_version: str
    catalog_version: str
    sources: tuple[str, ...]
    counts: Mapping[str, int]
    resource_count: int
    files_scanned: int
    rule_count: int
    parse_errors: int
    notes: tuple[str, ...]
    snapshot: Mapping[str, Any] | None
    findings_digest: str

    @property
    def failing(self) -> int:
        return int(self.counts.get(Status.FAIL.value, 0))

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.counts.values())


@dataclass(frozen=True, slots=True)
class SeenRange:
    """When a fingerprint was first and last seen (with a given status, when asked)."""

    first_seen: datetime
    last_seen: datetime
    first_scan: int
    last_scan: int
    scans: int


@dataclass(frozen=True, slots=True)
class WaiverEvent:
    waiver_id: str
    at: datetime
    actor: str
    action: str
    data: Mapping[str, Any] = field(default_factory=dict)


def findings_digest(findings: Iterable[Finding]) -> str:
    """SHA-256 over the sorted (fingerprint, rule, status, waiver) of every finding."""
    lines = sorted(
        "\x1f".join((f.fingerprint, f.rule_code, f.status.value, f.waiver_id or ""))
        for f in findings
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _digest_rows(rows: Iterable[Sequence[Any]]) -> str:
    lines = sorted(
        "\x1f".join((fp, rule, status, waiver or "")) for fp, rule, status, waiver in rows
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def resolve_target(
    target: str | Path | None, *, cwd: Path | None = None
) -> tuple[str, Path | None]:
    """(SQLAlchemy URL, SQLite file or None) for `--db` (a path or a URL) or the default."""
    base = cwd or Path.cwd()
    if target is None or str(target).strip() == "":
        path = base / DEFAULT_DB
        return f"sqlite:///{path}", path
    text = str(target).strip()
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise StoreError(f"invalid database URL {text!r}: {exc}") from exc
        if url.get_backend_name() == "sqlite":
            db = url.database
            if not db or db == ":memory:":
                return text, None
            path = Path(db)
            path = path if path.is_absolute() else base / path
            return f"sqlite:///{path}", path
        return text, None
    path = Path(text).expanduser()
    path = path if path.is_absolute() else base / path
    return f"sqlite:///{path}", path


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("tutela_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


MIGRATIONS = Path(__file__).with_name("migrations")


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    with engine.execution_options(tutela_write=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class Store:
    """Recorded state of tutela. Open with `Store.open`; close when done (or use `with`)."""

    def __init__(self, engine: Engine, url: str, home: Path) -> None:
        self.engine = engine
        self.url = url
        self.home = home
        self._writer = engine.execution_options(tutela_write=True)

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, target: str | Path | None = None, *, cwd: Path | None = None, create: bool = True
    ) -> Store:
        """Open (and migrate) the store at `target`: a path, a URL, or None for the default.

        With `create=False`, a SQLite file that does not exist raises StoreNotFoundError.
        """
        url, path = resolve_target(target, cwd=cwd)
        if path is not None:
            if not path.exists():
                if not create:
                    raise StoreNotFoundError(f"no tutela store at {path}")
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"{path.parent}: cannot create: {exc.strerror}") from exc
            home = path.parent
        else:
            home = (cwd or Path.cwd()) / DEFAULT_DB.parent
        try:
            engine = create_engine(url)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot open {url}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            _sqlite_events(engine)
        try:
            _upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store at {path or url}: {exc}") from exc
        return cls(engine, url, home)

    @property
    def location(self) -> str:
        """The SQLite file, or the URL without its password: for messages."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database:
            return url.database
        return url.render_as_string(hide_password=True)

    @property
    def evidence_dir(self) -> Path:
        """Where attachments are kept, beside the database: `.tutela/evidence/<sha256>`."""
        return self.home / "evidence"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    # ------------------------------------------------------------------ audit

    def _append_audit(
        self,
        session: Session,
        *,
        actor: str,
        action: str,
        payload: Mapping[str, Any],
        at: datetime,
    ) -> AuditEntry:
        head = session.get(AuditHeadRow, 1, with_for_update=True)
        seq = (head.seq if head else 0) + 1
        prev = head.hash if head else GENESIS_HASH
        entry = make_entry(
            seq=seq, at=at, actor=actor, action=action, payload=payload, prev_hash=prev
        )
        session.add(
            AuditRow(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                payload=entry.payload,
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        if head is None:
            session.add(AuditHeadRow(id=1, seq=entry.seq, hash=entry.hash))
        else:
            head.seq = entry.seq
            head.hash = entry.hash
        session.flush()
        return entry

    def audit_entries(self) -> list[AuditEntry]:
        with self._read() as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.seq)).all()
            return [
                AuditEntry(r.seq, r.at, r.actor, r.action, r.payload, r.prev_hash, r.hash)
                for r in rows
            ]

    def audit_head(self) -> AuditHead | None:
        with self._read() as session:
            head = session.get(AuditHeadRow, 1)
            return AuditHead(head.seq, head.hash) if head else None

    def verify_audit(self) -> AuditProblem | None:
        """The first bad audit entry, or None. Beyond the chain, the findings of every
        recorded scan must still match the digest its audit entry recorded."""
        entries = self.audit_entries()
        problem = verify(entries, self.audit_head())
        if problem is not None:
            return problem
        with self._read() as session:
            for entry in entries:
                if entry.action != "scan.recorded":
                    continue
                data = entry.data
                scan_id = data.get("scan")
                if not isinstance(scan_id, int):
                    continue
                scan = session.get(ScanRow, scan_id)
                if scan is None:
                    return AuditProblem(
                        entry.seq, Problem.REMOVED, f"scan {scan_id} it records is gone"
                    )
                rows = session.execute(
                    select(
                        FindingRow.fingerprint,
                        FindingRow.rule_code,
                        FindingRow.status,
                        FindingRow.waiver_id,
                    ).where(FindingRow.scan_id == scan_id)
                ).all()
                digest = _digest_rows(rows)
                if digest != data.get("findings_digest") or scan.findings_digest != digest:
                    return AuditProblem(
                        entry.seq,
                        Problem.EDITED,
                        f"the stored findings of scan {scan_id} no longer match the digest "
                        "this entry recorded",
                    )
        return None

    def append_audit(
        self, action: str, payload: Mapping[str, Any], *, actor: str, at: datetime | None = None
    ) -> AuditEntry:
        """Append one entry on its own (commands whose change is outside the store)."""
        with self._write() as session:
            return self._append_audit(
                session, actor=actor, action=action, payload=payload, at=at or utcnow()
            )

    # ------------------------------------------------------------------ scans

    def record_scan(
        self,
        result: ScanResult,
        *,
        started_at: datetime,
        finished_at: datetime,
        tool_version: str,
        catalog_version: str,
        actor: str,
        kind: str = "iac",
        snapshot: Mapping[str, Any] | None = None,
        waivers: Sequence[Waiver] | None = None,
        cwd: Path | None = None,
    ) -> ScanInfo:
        """Store a scan and every finding, in one transaction with its audit entry.

        `waivers`: the waiver file's content at the time of the scan; changes since the
        last recorded state are kept as waiver history (and audited) in the same transaction.
        """
        base = cwd or Path.cwd()
        counts = {s.value: 0 for s in Status}
        for f in result.findings:
            counts[f.status.value] += 1
        digest = findings_digest(result.findings)
        sources = sorted({f.source for f in result.findings})
        with self._write() as session:
            if waivers is not None:
                self._sync_waivers(session, waivers, actor=actor, at=finished_at)
            row = ScanRow(
                kind=kind,
                started_at=started_at,
                finished_at=finished_at,
                targets=list(result.targets),
                target_paths=[str((base / t).resolve()) for t in result.targets],
                tool_version=tool_version,
                catalog_version=catalog_version,
                sources=sources,
                counts=counts,
                resource_count=result.resource_count,
                files_scanned=result.files_scanned,
                rule_count=result.rule_count,
                parse_errors=len(result.parse_errors),
                notes=list(result.notes),
                snapshot=dict(snapshot) if snapshot is not None else None,
                findings_digest=digest,
            )
            session.add(row)
            session.flush()
            scan_id = row.id
            batch: list[dict[str, Any]] = []
            for f in result.findings:
                batch.append(_finding_values(scan_id, f))
                if len(batch) >= 5000:
                    session.execute(insert(FindingRow), batch)
                    batch = []
            if batch:
                session.execute(insert(FindingRow), batch)
            self._append_audit(
                session,
                actor=actor,
                action="scan.recorded",
                payload={
                    "scan": scan_id,
                    "kind": kind,
                    "targets": list(result.targets),
                    "started_at": started_at.astimezone(UTC).isoformat(),
                    "tool_version": tool_version,
                    "catalog_version": catalog_version,
                    "counts": counts,
                    "findings_digest": digest,
                    "snapshot": dict(snapshot) if snapshot is not None else None,
                },
                at=finished_at,
            )
            _test_pause()
            info = _scan_info(row)
        return info

    def scans(self, *, limit: int | None = None) -> list[ScanInfo]:
        """Recorded scans, oldest first (`limit`: the most recent ones only)."""
        with self._read() as session:
            query = select(ScanRow).order_by(ScanRow.id.desc())
            if limit is not None:
                query = query.limit(limit)
            rows = list(session.scalars(query))
        return [_scan_info(r) for r in reversed(rows)]

    def scan(self, scan_id: int) -> ScanInfo:
        with self._read() as session:
            row = session.get(ScanRow, scan_id)
            if row is None:
                raise StoreError(f"no recorded scan {scan_id}")
            return _scan_info(row)

    def latest_scan(self) -> ScanInfo | None:
        found = self.scans(limit=1)
        return found[0] if found else None

    def findings(self, scan_id: int) -> list[Finding]:
        with self._read() as session:
            if session.get(ScanRow, scan_id) is None:
                raise StoreError(f"no recorded scan {scan_id}")
            rows = session.scalars(
                select(FindingRow).where(FindingRow.scan_id == scan_id).order_by(FindingRow.id)
            ).all()
            return [_finding(r) for r in rows]

    def seen(
        self, fingerprints: Collection[str], *, status: Status | None = None
    ) -> dict[str, SeenRange]:
        """First and last scan (and time) each fingerprint was recorded in (with `status`)."""
        out: dict[str, SeenRange] = {}
        wanted = sorted(set(fingerprints))
        with self._read() as session:
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                query = (
                    select(
                        FindingRow.fingerprint,
                        func.min(ScanRow.started_at),
                        func.max(ScanRow.started_at),
                        func.min(ScanRow.id),
                        func.max(ScanRow.id),
                        func.count(func.distinct(ScanRow.id)),
                    )
                    .join(ScanRow, ScanRow.id == FindingRow.scan_id)
                    .where(FindingRow.fingerprint.in_(chunk))
                    .group_by(FindingRow.fingerprint)
                )
                if status is not None:
                    query = query.where(FindingRow.status == status.value)
                for fp, first, last, first_id, last_id, n in session.execute(query):
                    out[fp] = SeenRange(
                        _aware(first), _aware(last), int(first_id), int(last_id), int(n)
                    )
        return out

    # ------------------------------------------------------------------ evidence

    def add_evidence(
        self,
        record: EvidenceRecord,
        *,
        actor: str,
        kind: str = "attestation",
        decisions: Sequence[AccessDecision] = (),
    ) -> None:
        """Store an evidence record (and access-review decisions) with its audit entry."""
        with self._write() as session:
            if session.get(EvidenceRow, record.id) is not None:
                raise StoreError(f"evidence record {record.id} already exists")
            session.add(
                EvidenceRow(
                    id=record.id,
                    requirement_id=record.requirement_id,
                    performed_on=record.performed_on,
                    performed_by=record.performed_by,
                    recorded_at=record.recorded_at,
                    recorded_by=actor,
                    note=record.note,
                    kind=kind,
                )
            )
            session.flush()
            for position, att in enumerate(record.attachments):
                session.add(
                    AttachmentRow(
                        record_id=record.id,
                        position=position,
                        name=att.name,
                        sha256=att.sha256,
                        stored_path=att.stored_path,
                        size=_size(self.evidence_dir / att.stored_path),
                    )
                )
            for d in decisions:
                session.add(
                    AccessDecisionRow(
                        record_id=record.id,
                        principal_kind=d.entry.principal_kind,
                        principal=d.entry.principal,
                        privilege=d.entry.privilege,
                        source=d.entry.source,
                        address=d.entry.address,
                        decision=d.decision,
                        reviewer=d.reviewer,
                        note=d.note,
                    )
                )
            payload: dict[str, Any] = {
                "record": record.id,
                "kind": kind,
                "requirement": record.requirement_id,
                "performed_on": record.performed_on.isoformat(),
                "performed_by": record.performed_by,
                "note": record.note,
                "attachments": [{"name": a.name, "sha256": a.sha256} for a in record.attachments],
            }
            if decisions:
                payload["decisions"] = {
                    "keep": sum(d.decision == "keep" for d in decisions),
                    "revoke": sum(d.decision == "revoke" for d in decisions),
                }
            self._append_audit(
                session,
                actor=actor,
                action="evidence.recorded",
                payload=payload,
                at=record.recorded_at,
            )

    def evidence_records(self, requirement_id: str | None = None) -> list[EvidenceRecord]:
        """Evidence records, oldest performance first."""
        with self._read() as session:
            query = select(EvidenceRow).order_by(EvidenceRow.performed_on, EvidenceRow.recorded_at)
            if requirement_id is not None:
                query = query.where(EvidenceRow.requirement_id == requirement_id)
            rows = session.scalars(query).all()
            atts: dict[str, list[Attachment]] = {}
            ids = [r.id for r in rows]
            for i in range(0, len(ids), _CHUNK):
                for a in session.scalars(
                    select(AttachmentRow)
                    .where(AttachmentRow.record_id.in_(ids[i : i + _CHUNK]))
                    .order_by(AttachmentRow.record_id, AttachmentRow.position)
                ):
                    atts.setdefault(a.record_id, []).append(
                        Attachment(name=a.name, sha256=a.sha256, stored_path=a.stored_path)
                    )
            return [
                EvidenceRecord(
                    id=r.id,
                    requirement_id=r.requirement_id,
                    performed_on=r.performed_on,
                    performed_by=r.performed_by,
                    recorded_at=_aware(r.recorded_at),
                    note=r.note,
                    attachments=tuple(atts.get(r.id, ())),
                )
                for r in rows
            ]

    def attachment_path(self, attachment: Attachment) -> Path:
        return self.evidence_dir / attachment.stored_path

    # ------------------------------------------------------------------ access reviews

    def access_decisions(self, *, open_only: bool = False) -> list[AccessDecision]:
        with self._read() as session:
            query = select(AccessDecisionRow).order_by(AccessDecisionRow.id)
            if open_only:
                query = query.where(
                    AccessDecisionRow.decision == "revoke",
                    AccessDecisionRow.resolved_scan_id.is_(None),
                )
            return [_decision(r) for r in session.scalars(query)]

    def mark_revocations(
        self,
        checked_scan: int,
        checked: Collection[int],
        resolved: Collection[int],
        *,
        actor: str,
        at: datetime,
    ) -> None:
        """Record that the open revocations `checked` (decision ids) were compared with
        `checked_scan`, and that `resolved` ones are gone from it."""
        with self._write() as session:
            rows = session.scalars(
                select(AccessDecisionRow).where(
                    AccessDecisionRow.decision == "revoke",
                    AccessDecisionRow.resolved_scan_id.is_(None),
                    AccessDecisionRow.id.in_(list(checked)),
                )
            ).all()
            done: list[dict[str, Any]] = []
            for row in rows:
                row.checked_scan_id = checked_scan
                if row.id in resolved:
                    row.resolved_scan_id = checked_scan
                    done.append(
                        {"decision": row.id, "principal": row.principal, "privilege": row.privilege}
                    )
            if done:
                self._append_audit(
                    session,
                    actor=actor,
                    action="access_review.revocations_resolved",
                    payload={"scan": checked_scan, "resolved": done},
                    at=at,
                )

    # ------------------------------------------------------------------ waivers

    def sync_waivers(
        self, waivers: Sequence[Waiver], *, actor: str, at: datetime | None = None
    ) -> list[tuple[str, str]]:
        """Bring the recorded waivers in line with `waivers` (the file's content):
        returns the (action, waiver id) changes, each kept in the history and audited."""
        with self._write() as session:
            return self._sync_waivers(session, waivers, actor=actor, at=at or utcnow())

    def _sync_waivers(
        self, session: Session, waivers: Sequence[Waiver], *, actor: str, at: datetime
    ) -> list[tuple[str, str]]:
        known = {r.id: r for r in session.scalars(select(WaiverRow))}
        changes: list[tuple[str, str]] = []
        listed: set[str] = set()
        for w in waivers:
            listed.add(w.id)
            data = w.to_dict()
            row = known.get(w.id)
            if row is None:
                session.add(WaiverRow(id=w.id, state="active", data=data, updated_at=at))
                changes.append(("added", w.id))
            elif row.state != "active" or row.data != data:
                row.state = "active"
                row.data = data
                row.updated_at = at
                changes.append(("changed", w.id))
            else:
                continue
            self._waiver_event(session, w.id, changes[-1][0], data, actor=actor, at=at)
        for wid, row in known.items():
            if wid not in listed and row.state == "active":
                row.state = "removed"
                row.updated_at = at
                changes.append(("removed", wid))
                self._waiver_event(session, wid, "removed", row.data, actor=actor, at=at)
        return changes

    def record_waiver_event(
        self,
        waiver: Waiver,
        action: str,
        *,
        actor: str,
        at: datetime | None = None,
        note: str = "",
    ) -> None:
        """Keep one waiver change (e.g. "expired") in the history, with an audit entry."""
        when = at or utcnow()
        data = waiver.to_dict()
        if note:
            data = {**data, "note": note}
        with self._write() as session:
            row = session.get(WaiverRow, waiver.id)
            state = "active" if action in ("added", "changed") else action
            if row is None:
                session.add(
                    WaiverRow(id=waiver.id, state=state, data=waiver.to_dict(), updated_at=when)
                )
            else:
                row.state = state
                row.data = waiver.to_dict()
                row.updated_at = when
            self._waiver_event(session, waiver.id, action, data, actor=actor, at=when)

    def _waiver_event(
        self,
        session: Session,
        waiver_id: str,
        action: str,
        data: Mapping[str, Any],
        *,
        actor: str,
        at: datetime,
    ) -> None:
        session.add(
            WaiverEventRow(waiver_id=waiver_id, at=at, actor=actor, action=action, data=dict(data))
        )
        self._append_audit(
            session,
            actor=actor,
            action=f"waiver.{action}",
            payload={"waiver": waiver_id, **dict(data)},
            at=at,
        )

    def waiver_history(self, waiver_id: str | None = None) -> list[WaiverEvent]:
        with self._read() as session:
            query = select(WaiverEventRow).order_by(WaiverEventRow.id)
            if waiver_id is not None:
                query = query.where(WaiverEventRow.waiver_id == waiver_id)
            return [
                WaiverEvent(r.waiver_id, _aware(r.at), r.actor, r.action, dict(r.data))
                for r in session.scalars(query)
            ]

    def recorded_waivers(self) -> dict[str, tuple[str, Mapping[str, Any]]]:
        """Waiver id -> (state, last known content)."""
        with self._read() as session:
            return {r.id: (r.state, dict(r.data)) for r in session.scalars(select(WaiverRow))}


# ---------------------------------------------------------------------- helpers


def _test_pause() -> None:
    raw = os.environ.get(TEST_PAUSE_ENV)
    if not raw:
        return
    try:
        seconds = float(raw)
    except ValueError:
        return
    sys.stderr.write(TEST_HOOK_MARK + "\n")
    sys.stderr.flush()
    time.sleep(seconds)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _finding_values(scan_id: int, f: Finding) -> dict[str, Any]:
    loc = f.location
    sup = f.suppression
    return {
        "scan_id": scan_id,
        "fingerprint": f.fingerprint,
        "rule_code": f.rule_code,
        "rule_name": f.rule_name,
        "title": f.title,
        "requirements": list(f.controls),
        "status": f.status.value,
        "severity": f.severity.label,
        "message": f.message,
        "resource_address": f.resource_address,
        "resource_kind": f.resource_kind,
        "native_type": f.native_type,
        "source": f.source,
        "arn": f.arn,
        "subject": f.subject,
        "file": loc.file if loc else None,
        "start_line": loc.start_line if loc else None,
        "end_line": loc.end_line if loc else None,
        "suppression": None
        if sup is None
        else {
            "codes": list(sup.codes),
            "reason": sup.reason,
            "file": sup.location.file,
            "start_line": sup.location.start_line,
            "end_line": sup.location.end_line,
        },
        "waiver_id": f.waiver_id,
    }


def _finding(r: FindingRow) -> Finding:
    location = None
    if r.file is not None:
        start = r.start_line or 1
        location = Location(r.file, start, r.end_line or start)
    suppression = None
    if r.suppression:
        s = r.suppression
        suppression = Suppression(
            codes=tuple(s.get("codes") or ()),
            reason=str(s.get("reason") or ""),
            location=Location(
                str(s.get("file") or ""),
                int(s.get("start_line") or 1),
                int(s.get("end_line") or s.get("start_line") or 1),
            ),
        )
    return Finding(
        rule_code=r.rule_code,
        rule_name=r.rule_name,
        title=r.title,
        severity=Severity.parse(r.severity),
        controls=tuple(r.requirements),
        status=Status(r.status),
        message=r.message,
        resource_address=r.resource_address,
        resource_kind=r.resource_kind,
        native_type=r.native_type,
        source=r.source,
        location=location,
        arn=r.arn,
        subject=r.subject,
        suppression=suppression,
        fingerprint=r.fingerprint,
        waiver_id=r.waiver_id,
    )


def _scan_info(r: ScanRow) -> ScanInfo:
    return ScanInfo(
        id=r.id,
        kind=r.kind,
        started_at=_aware(r.started_at),
        finished_at=_aware(r.finished_at),
        targets=tuple(r.targets),
        target_paths=tuple(r.target_paths),
        tool_version=r.tool_version,
        catalog_version=r.catalog_version,
        sources=tuple(r.sources),
        counts={str(k): int(v) for k, v in r.counts.items()},
        resource_count=r.resource_count,
        files_scanned=r.files_scanned,
        rule_count=r.rule_count,
        parse_errors=r.parse_errors,
        notes=tuple(r.notes),
        snapshot=dict(r.snapshot) if r.snapshot is not None else None,
        findings_digest=r.findings_digest,
    )


def _decision(r: AccessDecisionRow) -> AccessDecision:
    return AccessDecision(
        entry=AccessEntry(
            principal_kind=r.principal_kind,
            principal=r.principal,
            privilege=r.privilege,
            source=r.source,
            address=r.address,
        ),
        decision=r.decision,
        reviewer=r.reviewer,
        note=r.note,
        id=r.id,
        record_id=r.record_id,
        resolved_scan_id=r.resolved_scan_id,
        checked_scan_id=r.checked_scan_id,
    )
