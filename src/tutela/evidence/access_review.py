"""Access reviews (ENG-POL-003 3.2.2.a.1 quarterly, 3.2.2.a.2 annual): a sheet in, decisions out.

`start` lists every principal and its privileges as a CSV review sheet:

    principal_kind,principal,privilege,source,address,decision,reviewer,note
    user,alice,managed policy arn:aws:iam::aws:policy/AdministratorAccess,aws,arn:...,,,

from the latest live-AWS snapshot when there is one, else from the IaC view
(IAM users, roles and inline policies of the latest recorded scan's targets,
or of the paths given). Reviewers fill `decision` with `keep` or `revoke`.
`complete` records the sheet as evidence of the review, with each decision;
every `revoke` stays an open finding (ACCESS-REVOKE, failing 3.2.2.a.4) until
a later recorded scan or snapshot no longer shows that principal with that
privilege.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutela.errors import TutelaError

if TYPE_CHECKING:
    from tutela.store import ScanInfo, Store

SHEET_COLUMNS = (
    "principal_kind",
    "principal",
    "privilege",
    "source",
    "address",
    "decision",
    "reviewer",
    "note",
)
DECISIONS = ("keep", "revoke")
QUARTERLY_REVIEW = "3.2.2.a.1"
ANNUAL_REVIEW = "3.2.2.a.2"
REVOCATION_REQUIREMENT = "3.2.2.a.4"
REVOKE_RULE = "ACCESS-REVOKE"


class AccessReviewError(TutelaError):
    """A review sheet that cannot be read or is not complete."""


@dataclass(frozen=True, slots=True, order=True)
class AccessEntry:
    """One privilege of one principal."""

    principal_kind: str  # "user" | "role" | "group"
    principal: str
    privilege: str
    source: str = ""
    address: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.principal_kind, self.principal, self.privilege)


@dataclass(frozen=True, slots=True)
class AccessDecision:
    entry: AccessEntry
    decision: str  # "keep" | "revoke"
    reviewer: str
    note: str = ""
    id: int | None = None
    record_id: str | None = None
    resolved_scan_id: int | None = None
    checked_scan_id: int | None = None


# --------------------------------------------------------------------------- the access view


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _summary(document: Any) -> str:
    """`Allow s3:GetObject, s3:PutObject; Deny *` from a policy document."""
    statements = getattr(document, "statements", None)
    if not statements:
        return "unknown document"
    parts: list[str] = []
    for st in statements:
        actions = [str(a) for a in getattr(st, "actions", None) or ()]
        not_actions = [str(a) for a in getattr(st, "not_actions", None) or ()]
        if not actions and not_actions:
            actions = ["NotAction " + ", ".join(not_actions)]
        shown = ", ".join(actions[:6]) + (f", +{len(actions) - 6}" if len(actions) > 6 else "")
        parts.append(f"{getattr(st, 'effect', '?')} {shown or '(no action)'}")
    return "; ".join(parts)


def access_entries(resources: Iterable[Any]) -> list[AccessEntry]:
    """Principals and their privileges among normalized resources (IAM users, roles, policies)."""
    from tutela.model.aws import IamPolicy, IamRole, IamUser

    out: set[AccessEntry] = set()
    for r in resources:
        if isinstance(r, IamUser):
            name = _text(r.user_name) or r.address
            privileges = [f"policy {p}" for p in r.attached_policies]
            privileges += [f"inline policy {p}" for p in r.inline_policies]
            if r.has_console_password is True:
                privileges.append("console password")
            privileges += [f"access key {k}" for k in r.access_keys]
            for p in privileges or ["(no privileges)"]:
                out.add(AccessEntry("user", name, p, r.source, r.arn or r.address))
        elif isinstance(r, IamRole):
            name = _text(r.role_name) or r.address
            privileges = []
            if isinstance(r.managed_policy_arns, tuple):
                privileges += [f"policy {p}" for p in r.managed_policy_arns]
            else:
                privileges.append("policy (unknown before apply)")
            privileges += [
                f"inline policy {i + 1}: {_summary(doc)}" for i, doc in enumerate(r.inline_policies)
            ]
            for p in privileges or ["(no privileges)"]:
                out.add(AccessEntry("role", name, p, r.source, r.arn or r.address))
        elif isinstance(r, IamPolicy) and r.attached_to:
            name = _text(r.principal_name) or r.address
            privilege = f"inline policy {r.address}: {_summary(r.document)}"
            out.add(AccessEntry(r.attached_to, name, privilege, r.source, r.arn or r.address))
    return sorted(out)


def load_access_view(paths: Sequence[Path]) -> list[AccessEntry]:
    """The access view of IaC files, directories or saved AWS snapshots."""
    from tutela.engine.config import ScanConfig
    from tutela.engine.scan import discover, load_resources, scan_root

    existing = [p for p in paths if p.exists()]
    if not existing:
        missing = ", ".join(str(p) for p in paths)
        raise AccessReviewError(f"nothing to review: {missing} no longer exist(s)")
    resources: list[Any] = []
    snapshots = [p for p in existing if p.is_file() and _is_snapshot(p)]
    for snap in snapshots:
        resources.extend(_snapshot_resources(snap))
    rest = [p for p in existing if p not in snapshots]
    if rest:
        root = scan_root(rest)
        found = discover(rest, root=root)
        loaded, _errors = load_resources(found, root=root, config=ScanConfig())
        resources.extend(loaded)
    return access_entries(resources)


def _is_snapshot(path: Path) -> bool:
    """A live-AWS snapshot written by `tutela aws --save-snapshot`."""
    if path.suffix.lower() != ".json":
        return False
    try:
        from tutela.collectors.aws import snapshot as snapshot_module
    except ImportError:  # pragma: no cover - the collectors are optional here
        return False
    looks = getattr(snapshot_module, "looks_like_snapshot", None)
    if looks is None:  # pragma: no cover
        return False
    try:
        return bool(looks(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def _snapshot_resources(path: Path) -> list[Any]:
    from tutela.collectors.aws import snapshot as snapshot_module
    from tutela.errors import TutelaError as _Error

    try:
        loaded: Any = snapshot_module.load_snapshot(path)
    except _Error as exc:
        raise AccessReviewError(str(exc)) from exc
    snap = getattr(loaded, "snapshot", loaded)
    return list(getattr(snap, "resources", ()))


# --------------------------------------------------------------------------- the sheet


def sheet_text(entries: Iterable[AccessEntry]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(SHEET_COLUMNS)
    for e in entries:
        writer.writerow(
            (e.principal_kind, e.principal, e.privilege, e.source, e.address, "", "", "")
        )
    return buf.getvalue()


def write_sheet(entries: Iterable[AccessEntry], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sheet_text(entries), encoding="utf-8")


def read_sheet(path: Path, *, default_reviewer: str = "") -> list[AccessDecision]:
    """Every row with its decision; raises AccessReviewError naming each bad row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AccessReviewError(f"{path}: cannot read: {exc.strerror}") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [
        c for c in ("principal_kind", "principal", "privilege", "decision") if c not in header
    ]
    if missing:
        raise AccessReviewError(f"{path}: missing column(s) {', '.join(missing)}")
    out: list[AccessDecision] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        decision = (row.get("decision") or "").strip().lower()
        reviewer = (row.get("reviewer") or "").strip() or default_reviewer
        if decision not in DECISIONS:
            what = f"decision {decision!r}" if decision else "no decision"
            problems.append(f"{path}:{number}: {what} (write keep or revoke)")
            continue
        if not reviewer:
            problems.append(f"{path}:{number}: no reviewer")
            continue
        entry = AccessEntry(
            principal_kind=(row.get("principal_kind") or "").strip(),
            principal=(row.get("principal") or "").strip(),
            privilege=(row.get("privilege") or "").strip(),
            source=(row.get("source") or "").strip(),
            address=(row.get("address") or "").strip(),
        )
        out.append(AccessDecision(entry, decision, reviewer, (row.get("note") or "").strip()))
    if problems:
        raise AccessReviewError("the review sheet is not complete:\n" + "\n".join(problems))
    if not out:
        raise AccessReviewError(f"{path}: the review sheet has no rows")
    return out


# --------------------------------------------------------------------------- revocations


def gone(decisions: Iterable[AccessDecision], current: Iterable[AccessEntry]) -> set[int]:
    """Ids of revoke decisions whose (principal, privilege) the current view no longer shows."""
    present = {e.key for e in current}
    return {
        d.id
        for d in decisions
        if d.id is not None and d.decision == "revoke" and d.entry.key not in present
    }


def revocation_findings(decisions: Iterable[AccessDecision]) -> list[Any]:
    """Open revocations as failing findings of 3.2.2.a.4 (immediate access revocation)."""
    from tutela.engine.findings import Finding
    from tutela.rules.api import Severity, Status

    out: list[Finding] = []
    for d in decisions:
        if d.decision != "revoke" or d.resolved_scan_id is not None:
            continue
        e = d.entry
        out.append(
            Finding(
                rule_code=REVOKE_RULE,
                rule_name="access-revocation-pending",
                title="Access revoked in an access review is not yet shown removed",
                severity=Severity.HIGH,
                controls=(REVOCATION_REQUIREMENT,),
                status=Status.FAIL,
                message=f"{e.principal_kind} {e.principal}: {e.privilege} was to be revoked "
                f"(review {d.record_id}, by {d.reviewer}); no later scan or snapshot shows "
                "it gone yet",
                resource_address=e.address or e.principal,
                resource_kind=f"iam_{e.principal_kind}",
                native_type="access-review",
                source=e.source or "access-review",
                location=None,
                subject=e.privilege,
                fingerprint=Finding.make_fingerprint(
                    REVOKE_RULE, f"{e.principal_kind}:{e.principal}", e.privilege
                ),
            )
        )
    return out


# --------------------------------------------------------------------------- with the store


def _scan_paths(scan: ScanInfo) -> list[Path] | None:
    snap = scan.snapshot or {}
    path = snap.get("path")
    if isinstance(path, str) and Path(path).is_file():
        return [Path(path)]
    paths = [Path(p) for p in scan.target_paths]
    return paths if any(p.exists() for p in paths) else None


def review_sources(
    store: Store, *, snapshot: Path | None = None, paths: Sequence[Path] = ()
) -> tuple[list[Path], str]:
    """What to build the access view from, and how to describe it: the snapshot given, the
    paths given, the latest recorded AWS snapshot, or the latest recorded scan's targets."""
    if snapshot is not None:
        return [snapshot], f"snapshot {snapshot}"
    if paths:
        return list(paths), ", ".join(str(p) for p in paths)
    scans = store.scans()
    for scan in reversed(scans):
        if scan.kind == "aws" and scan.snapshot:
            found = _scan_paths(scan)
            if found:
                return found, f"the AWS snapshot of scan {scan.id}"
    for scan in reversed(scans):
        found = _scan_paths(scan)
        if found:
            return found, f"the targets of scan {scan.id} ({', '.join(scan.targets)})"
    raise AccessReviewError(
        "no recorded AWS snapshot or scan to review: give --snapshot FILE or --from PATH, "
        "or record a scan first (tutela scan PATH --record)"
    )


def refresh_revocations(store: Store, *, actor: str, now: datetime) -> list[AccessDecision]:
    """Close the open revocations that the latest recorded scan (made after the review)
    no longer shows; returns those still open."""
    still = store.access_decisions(open_only=True)
    if not still:
        return []
    latest = store.latest_scan()
    if latest is None:
        return still
    reviewed_at = {r.id: r.recorded_at for r in store.evidence_records()}
    pending = [
        d
        for d in still
        if d.id is not None
        and d.checked_scan_id != latest.id
        and d.record_id in reviewed_at
        and latest.finished_at > reviewed_at[d.record_id]
    ]
    if not pending:
        return still
    paths = _scan_paths(latest)
    if paths is None:
        return still
    try:
        current = load_access_view(paths)
    except AccessReviewError:
        return still
    resolved = gone(pending, current)
    store.mark_revocations(
        latest.id, [d.id for d in pending if d.id is not None], resolved, actor=actor, at=now
    )
    return [d for d in still if d.id not in resolved]
