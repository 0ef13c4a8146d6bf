"""Killing a recording process mid-transaction leaves the store as it was.

A real `tutela scan --record` subprocess records a large scan; the test hook
`TUTELA_TEST_RECORD_PAUSE` (see `tutela.store.store`) makes it announce itself
on stderr and sleep inside the write transaction, after the findings are
written and before the commit. The test then kills it with SIGKILL and opens
the store.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutela.store import Store
from tutela.store.store import TEST_HOOK_MARK, TEST_PAUSE_ENV

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

BUCKETS = 3000


def tutela(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tutela", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_during_record_keeps_previous_scans(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    small = tmp_path / "small"
    small.mkdir()
    (small / "main.tf").write_text('resource "aws_s3_bucket" "one" {\n  bucket = "one"\n}\n')
    big = tmp_path / "big"
    big.mkdir()
    (big / "main.tf").write_text(
        "".join(
            f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b{i}"\n}}\n' for i in range(BUCKETS)
        )
    )
    db = tmp_path / "state.db"
    common = ("--record", "--db", str(db), "--no-progress", "-f", "json", "-o", "out.json")

    first = tutela("scan", "small", *common, cwd=tmp_path)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 1, err  # failures found, scan recorded
    with Store.open(db, create=False) as store:
        before = store.scans()
        findings_before = store.findings(before[0].id)
        audit_before = store.audit_entries()
    assert len(before) == 1 and findings_before

    env = {**os.environ, TEST_PAUSE_ENV: "60"}
    proc = tutela("scan", "big", *common, cwd=tmp_path, env=env)
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if TEST_HOOK_MARK in line:
            break
    assert any(TEST_HOOK_MARK in line for line in seen), "".join(seen)
    wal = Path(str(db) + "-wal")
    # Uncommitted pages of the big transaction are already in the write-ahead log (~3 MB).
    assert wal.exists() and wal.stat().st_size > 100_000
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store.open(db, create=False) as store:
        assert store.scans() == before
        assert store.findings(before[0].id) == findings_before
        assert store.audit_entries() == audit_before
        assert store.verify_audit() is None
    # And the store takes new recordings afterwards.
    again = tutela("scan", "small", *common, cwd=tmp_path)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 1, err
    with Store.open(db, create=False) as store:
        assert [s.id for s in store.scans()] == [1, 2]
        assert store.verify_audit() is None
