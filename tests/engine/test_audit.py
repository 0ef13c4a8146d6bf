"""The hash chain: every kind of tampering is named, on the first bad entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tutela.engine.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditHead,
    Problem,
    canonical_json,
    entry_hash,
    make_entry,
    verify,
)

T0 = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    out: list[AuditEntry] = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        e = make_entry(
            seq=i,
            at=T0 + timedelta(minutes=i),
            actor="alice",
            action="scan.recorded",
            payload={"scan": i, "note": "café"},
            prev_hash=prev,
        )
        out.append(e)
        prev = e.hash
    return out


def rehash(e: AuditEntry, **changes: object) -> AuditEntry:
    """An entry changed by someone who also recomputed its own hash."""
    e = replace(e, **changes)  # type: ignore[arg-type]
    return replace(e, hash=entry_hash(e.seq, e.at, e.actor, e.action, e.payload, e.prev_hash))


def head(entries: list[AuditEntry]) -> AuditHead:
    return AuditHead(entries[-1].seq, entries[-1].hash)


def test_intact_chain_verifies() -> None:
    entries = chain(5)
    assert verify(entries, head(entries)) is None
    assert verify([]) is None


def test_canonical_json_is_stable() -> None:
    assert canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'
    one = make_entry(
        seq=1, at=T0, actor="a", action="x", payload={"b": 1, "a": 2}, prev_hash=GENESIS_HASH
    )
    two = make_entry(
        seq=1, at=T0, actor="a", action="x", payload={"a": 2, "b": 1}, prev_hash=GENESIS_HASH
    )
    assert one.hash == two.hash
    assert one.at == "2025-03-01T10:00:00.000000Z"


@pytest.mark.parametrize("field", ["payload", "actor", "action", "at"])
def test_one_edited_byte_names_the_entry(field: str) -> None:
    entries = chain(5)
    value = getattr(entries[2], field)
    entries[2] = replace(entries[2], **{field: value[:-2] + chr(ord(value[-2]) ^ 1) + value[-1]})
    problem = verify(entries, head(entries))
    assert problem is not None
    assert problem.seq == 3
    assert problem.problem is Problem.EDITED
    assert "entry 3" in str(problem)


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    entries = chain(5)
    entries[1] = rehash(entries[1], payload='{"scan":99}')
    problem = verify(entries, head(entries))
    assert problem is not None
    assert problem.seq == 3
    assert problem.problem is Problem.REMOVED  # entry 3 is chained to an entry no longer there


def test_removed_entry_is_a_gap() -> None:
    entries = chain(5)
    del entries[2]
    problem = verify(entries, head(entries))
    assert problem is not None
    assert (problem.seq, problem.problem) == (4, Problem.REMOVED)
    assert "entry 3 missing" in problem.detail


def test_removed_last_entries_are_caught_by_the_head() -> None:
    entries = chain(5)
    problem = verify(entries[:3], head(entries))
    assert problem is not None
    assert (problem.seq, problem.problem) == (4, Problem.REMOVED)


def test_reordered_entries_are_named() -> None:
    entries = chain(5)
    a, b = entries[2], entries[3]
    # Swap entries 3 and 4, renumbering them and recomputing their own hashes.
    entries[2] = rehash(b, seq=3)
    entries[3] = rehash(a, seq=4)
    problem = verify(entries, head(entries))
    assert problem is not None
    assert problem.seq == 3
    assert problem.problem is Problem.REORDERED


def test_renumbering_without_rehash_is_an_edit() -> None:
    entries = chain(4)
    entries[1], entries[2] = replace(entries[2], seq=2), replace(entries[1], seq=3)
    problem = verify(entries, head(entries))
    assert problem is not None
    assert (problem.seq, problem.problem) == (2, Problem.EDITED)
