"""A hash-chained, append-only audit log.

Every entry carries `seq` (1, 2, 3...), `at` (UTC ISO time), `actor`,
`action` ("scan.recorded", "waiver.added"...), a JSON `payload`, the hash of
the entry before it (`prev_hash`, 64 zeros for the first) and its own `hash`:

    hash = SHA-256(canonical JSON of {seq, at, actor, action, payload, prev_hash})

Canonical JSON: keys sorted, no insignificant whitespace, UTF-8. The payload
is stored as the canonical JSON text that was hashed, so editing one byte of
any stored field changes the recomputed hash.

`verify(entries, head=...)` walks the log in `seq` order and names the first
entry that is wrong and why:

- edited: the stored hash does not match the entry's content;
- removed: a gap in `seq`, a `prev_hash` that matches no entry, or a log
  shorter than its recorded head;
- reordered: `prev_hash` names another entry of the log than the one before.

Pure functions: the store reads and writes the rows.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, compact separators, non-ASCII kept: one text per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def format_time(at: datetime) -> str:
    """UTC, microseconds, `Z`: `2025-03-01T10:00:00.000000Z`."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    payload: str  # canonical JSON text
    prev_hash: str
    hash: str

    @property
    def data(self) -> Any:
        return json.loads(self.payload)


def entry_hash(seq: int, at: str, actor: str, action: str, payload: str, prev_hash: str) -> str:
    """The SHA-256 of one entry. `payload` is hashed as the stored text."""
    body = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def make_entry(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    payload: Mapping[str, Any],
    prev_hash: str,
) -> AuditEntry:
    text = canonical_json(dict(payload))
    when = format_time(at)
    return AuditEntry(
        seq=seq,
        at=when,
        actor=actor,
        action=action,
        payload=text,
        prev_hash=prev_hash,
        hash=entry_hash(seq, when, actor, action, text, prev_hash),
    )


class Problem(enum.Enum):
    EDITED = "edited"
    REMOVED = "removed"
    REORDERED = "reordered"


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """The first bad entry (`seq`) and why."""

    seq: int
    problem: Problem
    detail: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.problem.value}: {self.detail}"


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    hash: str


def verify(entries: Iterable[AuditEntry], head: AuditHead | None = None) -> AuditProblem | None:
    """None when the chain is intact; else the first bad entry and why."""
    ordered = sorted(entries, key=lambda e: e.seq)
    by_hash = {e.hash: e.seq for e in ordered}
    followers = {e.prev_hash: e.seq for e in ordered}
    prev: AuditEntry | None = None
    for entry in ordered:
        expected_seq = 1 if prev is None else prev.seq + 1
        if entry.seq != expected_seq:
            missing = (
                f"entry {expected_seq}"
                if entry.seq == expected_seq + 1
                else f"entries {expected_seq}-{entry.seq - 1}"
            )
            return AuditProblem(entry.seq, Problem.REMOVED, f"{missing} missing before it")
        actual = entry_hash(
            entry.seq, entry.at, entry.actor, entry.action, entry.payload, entry.prev_hash
        )
        if actual != entry.hash:
            return AuditProblem(
                entry.seq,
                Problem.EDITED,
                f"its content does not match its hash ({entry.action} by {entry.actor} "
                f"at {entry.at})",
            )
        expected_prev = GENESIS_HASH if prev is None else prev.hash
        if entry.prev_hash != expected_prev:
            other = by_hash.get(entry.prev_hash)
            if other is not None and other != entry.seq:
                return AuditProblem(
                    entry.seq,
                    Problem.REORDERED,
                    f"it follows entry {other} in the chain, not entry {expected_seq - 1}",
                )
            claimant = followers.get(expected_prev)
            if claimant is not None and claimant != entry.seq:
                return AuditProblem(
                    entry.seq,
                    Problem.REORDERED,
                    f"entry {claimant} is the one chained to entry {expected_seq - 1}",
                )
            if prev is None:
                return AuditProblem(
                    entry.seq,
                    Problem.REMOVED,
                    "the first entry is not chained to the start of the log: entries before it "
                    "were removed",
                )
            return AuditProblem(
                entry.seq,
                Problem.REMOVED,
                f"it is chained to an entry that is no longer in the log: entry "
                f"{expected_seq - 1} was replaced (changed and rehashed) or an entry removed",
            )
        prev = entry
    if head is not None:
        last_seq = prev.seq if prev is not None else 0
        if head.seq > last_seq:
            return AuditProblem(
                last_seq + 1,
                Problem.REMOVED,
                f"the log ends at entry {last_seq} but its head records entry {head.seq}",
            )
        if prev is not None and head.seq == prev.seq and head.hash != prev.hash:
            return AuditProblem(
                prev.seq, Problem.EDITED, "it does not match the hash recorded as the log's head"
            )
    return None
