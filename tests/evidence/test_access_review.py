"""Access reviews: the sheet from the IaC view, decisions, and revocations until gone."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tutela.catalog.loader import load_catalog
from tutela.engine.findings import ScanResult
from tutela.evidence.access_review import (
    REVOKE_RULE,
    AccessReviewError,
    load_access_view,
    read_sheet,
    refresh_revocations,
    review_sources,
    revocation_findings,
    write_sheet,
)
from tutela.evidence.records import record_evidence
from tutela.rules.api import Status
from tutela.store import Store

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

IAM = """\
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy_attachment" "alice_admin" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_policy_attachment" "bob_read" {
  user       = aws_iam_user.bob.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
                   Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "deploy_s3" {
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "*" }]
  })
}
"""


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "iam.tf").write_text(IAM)
    return infra


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "t.db") as s:
        yield s


def record_scan(store: Store, target: Path, at: datetime) -> None:
    result = ScanResult((), (), 0, 1, 0, 0.1, targets=(str(target),))
    store.record_scan(
        result, started_at=at, finished_at=at, tool_version="x", catalog_version="y", actor="ci"
    )


def test_access_view_from_iac(repo: Path) -> None:
    entries = load_access_view([repo])
    rows = {(e.principal_kind, e.principal, e.privilege) for e in entries}
    assert ("user", "alice", "policy arn:aws:iam::aws:policy/AdministratorAccess") in rows
    assert ("user", "bob", "policy arn:aws:iam::aws:policy/ReadOnlyAccess") in rows
    deploy = [e for e in entries if e.principal == "deploy"]
    assert any("s3:GetObject, s3:PutObject" in e.privilege for e in deploy)
    with pytest.raises(AccessReviewError, match="no longer exist"):
        load_access_view([repo / "gone"])


def test_sheet_round_trip_and_incomplete_rows(repo: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    write_sheet(load_access_view([repo]), sheet)
    rows = list(csv.DictReader(sheet.open()))
    assert rows and all(r["decision"] == "" for r in rows)
    with pytest.raises(AccessReviewError, match=r"review.csv:2: no decision"):
        read_sheet(sheet, default_reviewer="carol")
    for r in rows:
        r["decision"] = "revoke" if "AdministratorAccess" in r["privilege"] else "keep"
    rows[-1]["decision"] = "maybe"
    _write(sheet, rows)
    with pytest.raises(AccessReviewError, match=rf"review.csv:{len(rows) + 1}: decision 'maybe'"):
        read_sheet(sheet)
    rows[-1]["decision"] = "Keep"
    _write(sheet, rows)
    decisions = read_sheet(sheet, default_reviewer="carol")
    assert {d.reviewer for d in decisions} == {"carol"}
    assert [d.entry.principal for d in decisions if d.decision == "revoke"] == ["alice"]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_revocations_stay_open_until_a_later_scan_shows_them_gone(
    repo: Path, store: Store, tmp_path: Path
) -> None:
    catalog = load_catalog(None)
    record_scan(store, repo, NOW - timedelta(days=1))
    paths, described = review_sources(store)
    assert paths == [repo.resolve()] and "scan 1" in described

    sheet = tmp_path / "review.csv"
    write_sheet(load_access_view(paths), sheet)
    rows = list(csv.DictReader(sheet.open()))
    for r in rows:
        r["decision"] = "revoke" if "AdministratorAccess" in r["privilege"] else "keep"
    _write(sheet, rows)
    decisions = read_sheet(sheet, default_reviewer="carol")
    rec = record_evidence(
        store,
        catalog,
        "3.2.2.a.1",
        performed_on=date(2025, 6, 1),
        performed_by="carol",
        today=date(2025, 6, 1),
        now=NOW,
        actor="carol",
        attach=[sheet],
        kind="access_review",
        decisions=decisions,
    )
    assert store.audit_entries()[-1].data["decisions"] == {"keep": len(rows) - 1, "revoke": 1}

    (open_,) = refresh_revocations(store, actor="ci", now=NOW)
    assert open_.record_id == rec.id
    (f,) = revocation_findings([open_])
    assert (f.rule_code, f.status, f.controls) == (REVOKE_RULE, Status.FAIL, ("3.2.2.a.4",))
    assert "alice" in f.message

    # A later scan still shows the privilege: still open.
    record_scan(store, repo, NOW + timedelta(hours=1))
    assert len(refresh_revocations(store, actor="ci", now=NOW)) == 1

    # The attachment is removed from the code, and a later scan shows it gone.
    text = (repo / "iam.tf").read_text()
    start = text.index('resource "aws_iam_user_policy_attachment" "alice_admin"')
    end = text.index('resource "aws_iam_user" "bob"')
    (repo / "iam.tf").write_text(text[:start] + text[end:])
    record_scan(store, repo, NOW + timedelta(hours=2))
    assert refresh_revocations(store, actor="ci", now=NOW) == []
    (closed,) = [d for d in store.access_decisions() if d.decision == "revoke"]
    assert closed.resolved_scan_id == 3
    assert store.audit_entries()[-1].action == "access_review.revocations_resolved"
    assert store.verify_audit() is None


def test_nothing_to_review(store: Store) -> None:
    with pytest.raises(AccessReviewError, match="no recorded AWS snapshot or scan"):
        review_sources(store)
