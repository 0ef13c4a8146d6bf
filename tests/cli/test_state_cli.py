"""History, diff, evidence, waivers, posture and audit through the CLI, on a real SQLite file."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tutela.cli import app

TODAY = date.today()

V1 = """\
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_s3_bucket" "records" {
  bucket = "records"
}
"""

# One fix (the bucket gets default encryption) and one new problem (SSH open to the world).
V2 = """\
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_s3_bucket" "records" {
  bucket = "records"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
"""

IAM = """\
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy_attachment" "alice_admin" {
  user       = aws_iam_user.alice.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"""


class Cli:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = str(root / ".tutela" / "tutela.db")
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int | None = 0) -> Any:
        result = self.runner.invoke(app, list(args), catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, result.output
        return result

    def json(self, *args: str, code: int | None = 0) -> Any:
        return json.loads(self(*args, "--format", "json", code=code).stdout)


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(V1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TUTELA_ACTOR", "ci-bot")
    monkeypatch.delenv("TUTELA_DB", raising=False)
    return Cli(tmp_path)


def scan_json(cli: Cli, *extra: str) -> dict[str, Any]:
    result = cli("scan", "infra", "--no-progress", "-f", "json", *extra, code=None)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def two_recorded_scans(cli: Cli) -> None:
    scan_json(cli, "--record")
    (cli.root / "infra" / "main.tf").write_text(V2)
    scan_json(cli, "--record")


def test_diff_shows_one_fixed_and_one_new_and_gates_on_new(cli: Cli) -> None:
    two_recorded_scans(cli)
    history = cli.json("history")
    assert [s["id"] for s in history["scans"]] == [1, 2]
    assert history["scans"][0]["targets"] == ["infra"]

    diff = cli.json("diff")
    assert (diff["baseline"], diff["current"]) == (1, 2)
    assert [(f["rule_code"], f["resource_address"]) for f in diff["new"]] == [
        ("NET001", "aws_security_group.web")
    ]
    assert [(f["rule_code"], f["status"]) for f in diff["fixed"]] == [("ENC001", "pass")]
    assert diff["new"][0]["first_seen_scan"] == 2
    assert all(f["first_seen_scan"] == 1 for f in diff["still_failing"])

    assert cli("diff", "--fail-on-new", code=1).exit_code == 1
    assert "1 new" in cli("diff", "1", "2", "--fail-on-new", code=1).output
    cli("diff", "2", "2", "--fail-on-new", code=0)
    cli("diff", "1", "9", code=2)


def test_diff_needs_two_scans(cli: Cli) -> None:
    assert "no scans recorded" in cli("diff", code=2).output
    scan_json(cli, "--record")
    assert "needs two recorded scans" in cli("diff", code=2).output


def test_quarterly_evidence_overdue_then_attested(cli: Cli) -> None:
    old = TODAY - timedelta(days=100)
    cli("evidence", "record", "3.2.2.a.1", "--performed-on", old.isoformat(), "--by", "alice")
    status = cli.json("evidence", "status")
    row = next(r for r in status["requirements"] if r["requirement"] == "3.2.2.a.1")
    assert row["state"] == "overdue"
    assert row["next_due"] == (old + timedelta(days=91)).isoformat()
    cli("evidence", "status", "--fail-on-overdue", code=1)
    posture = cli.json("posture")
    req = {r["requirement"]: r for r in posture["requirements"]}["3.2.2.a.1"]
    assert (req["state"], req["evidence_state"]) == ("fail", "overdue")

    yesterday = TODAY - timedelta(days=1)
    notes = cli.root / "review-notes.txt"
    notes.write_text("all privileged accounts reviewed\n")
    cli(
        "evidence",
        "record",
        "3.2.2.a.1",
        "--performed-on",
        yesterday.isoformat(),
        "--by",
        "alice",
        "--attach",
        str(notes),
        "--note",
        "Q2 review",
    )
    status = cli.json("evidence", "status")
    row = next(r for r in status["requirements"] if r["requirement"] == "3.2.2.a.1")
    assert row["state"] == "attested"
    assert row["next_due"] == (yesterday + timedelta(days=91)).isoformat()
    assert row["record"]["attachments"][0]["name"] == "review-notes.txt"
    req = {r["requirement"]: r for r in cli.json("posture")["requirements"]}["3.2.2.a.1"]
    assert req["state"] == "attested"
    cli("evidence", "status", "--fail-on-overdue", code=0)
    # As of the day before the first record, the requirement was never attested.
    earlier = cli.json("evidence", "status", "--as-of", (old - timedelta(days=1)).isoformat())
    row = next(r for r in earlier["requirements"] if r["requirement"] == "3.2.2.a.1")
    assert row["state"] == "missing"

    refused = cli(
        "evidence", "record", "3.3.1.a.3", "--performed-on", "2025-01-01", "--by", "x", code=2
    )
    assert "verified automatically" in refused.output


def waiver_args(*approvers: str, expires: date | None = None) -> list[str]:
    args = [
        "waiver",
        "add",
        "--rule",
        "NET001",
        "--resource",
        "aws_security_group.*",
        "--reason",
        "vendor appliance needs SSH until the Q3 migration",
        "--requested-by",
        "alice",
        "--expires-on",
        (expires or TODAY + timedelta(days=30)).isoformat(),
    ]
    for a in approvers:
        args += ["--approved-by", a]
    return args


def statuses(report: dict[str, Any], rule: str) -> list[str]:
    return [f["status"] for f in report["findings"] if f["rule_code"] == rule]


def test_critical_waiver_needs_two_approvers_then_applies_then_expires(cli: Cli) -> None:
    (cli.root / "infra" / "main.tf").write_text(V2)
    assert "fail" in statuses(scan_json(cli), "NET001")

    refused = cli(*waiver_args("bob"), code=2)
    assert "critical rule: needs two distinct approvers" in refused.output
    assert not (cli.root / ".tutela-waivers.yaml").exists()
    self_approved = cli(*waiver_args("alice", "bob"), code=2)
    assert "self-approved" in self_approved.output
    too_long = cli(*waiver_args("bob", "carol", expires=TODAY + timedelta(days=400)), code=2)
    assert "over-long" in too_long.output

    added = cli(*waiver_args("bob", "carol"))
    assert "added W-0001" in added.output
    report = scan_json(cli, "--record")
    net = [f for f in report["findings"] if f["rule_code"] == "NET001" and f["status"] != "pass"]
    assert [f["status"] for f in net] == ["waived"]
    assert "waived by W-0001" in net[0]["message"]
    with sqlite3.connect(cli.db) as conn:
        assert conn.execute(
            "SELECT waiver_id FROM findings WHERE rule_code = 'NET001' AND status = 'waived'"
        ).fetchall() == [("W-0001",)]
    posture = cli.json("posture")
    assert {r["requirement"]: r["state"] for r in posture["requirements"]}["3.1.2.a.2"] == "waived"
    cli("waiver", "lint")
    listed = cli.json("waiver", "list")
    assert [(w["id"], w["state"]) for w in listed["waivers"]] == [("W-0001", "active")]

    # Time passes: the waiver's expiry date is behind us.
    path = cli.root / ".tutela-waivers.yaml"
    text = path.read_text()
    text = text.replace(
        f"approved_on: {TODAY.isoformat()}",
        f"approved_on: {(TODAY - timedelta(days=60)).isoformat()}",
    ).replace(
        f"expires_on: {(TODAY + timedelta(days=30)).isoformat()}",
        f"expires_on: {(TODAY - timedelta(days=1)).isoformat()}",
    )
    path.write_text(text)
    report = scan_json(cli, "--record")
    assert "waived" not in statuses(report, "NET001")
    assert "fail" in statuses(report, "NET001")
    assert any(
        n.startswith(f"waiver W-0001 expired on {TODAY - timedelta(days=1)}: 1 finding(s) fail")
        for n in report["notes"]
    )
    lint = cli("waiver", "lint", code=1)
    assert f"{path.name}:" in lint.output and "W-0001: expired on" in lint.output
    listed = cli.json("waiver", "list")
    assert listed["waivers"][0]["state"] == "expired"

    assert "expired W-0001" in cli("waiver", "expire", "W-0001", "--reason", "migrated").output
    assert cli.json("waiver", "list")["waivers"] == []
    history = cli.json("waiver", "history", "W-0001")
    assert [e["action"] for e in history["events"]] == ["added", "changed", "expired"]
    actions = [e["action"] for e in cli.json("audit", "log")["entries"]]
    assert actions.count("waiver.added") == 1 and "waiver.expired" in actions
    cli("audit", "verify")


def test_editing_one_byte_of_an_earlier_audit_entry_fails_verify(cli: Cli) -> None:
    two_recorded_scans(cli)
    cli("evidence", "record", "3.6.2.a.4", "--performed-on", TODAY.isoformat(), "--by", "DR")
    ok = cli("audit", "verify")
    assert "audit log intact: 3 entries" in ok.output
    with sqlite3.connect(cli.db) as conn:
        (payload,) = conn.execute("SELECT payload FROM audit_log WHERE seq = 1").fetchone()
        i = payload.index('"kind":"iac"') + len('"kind":"')
        conn.execute(
            "UPDATE audit_log SET payload = ? WHERE seq = 1",
            (payload[:i] + "I" + payload[i + 1 :],),
        )
    broken = cli("audit", "verify", code=1)
    assert "audit entry 1: edited" in broken.output
    doc = cli.json("audit", "verify", code=1)
    assert doc["problem"]["seq"] == 1 and doc["problem"]["problem"] == "edited"


def test_access_review_from_the_recorded_scan(cli: Cli) -> None:
    (cli.root / "infra" / "iam.tf").write_text(IAM)
    scan_json(cli, "--record")
    started = cli("evidence", "access-review", "start", "-o", "review.csv")
    assert "wrote review.csv" in started.output and "scan 1" in started.output
    sheet = cli.root / "review.csv"
    rows = list(csv.DictReader(sheet.open()))
    for r in rows:
        r["decision"] = "revoke" if "AdministratorAccess" in r["privilege"] else "keep"
    with sheet.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = cli.json("evidence", "access-review", "complete", "review.csv", "--by", "carol")
    assert done["decisions"]["revoke"] == 1
    (open_,) = done["open_revocations"]
    assert open_["rule_code"] == "ACCESS-REVOKE" and open_["requirements"] == ["3.2.2.a.4"]
    status = cli.json("evidence", "access-review", "status")
    assert len(status["open_revocations"]) == 1
    posture = cli.json("posture")
    assert {r["requirement"]: r["state"] for r in posture["requirements"]}["3.2.2.a.4"] == "fail"
    state = {r["requirement"]: r["state"] for r in posture["requirements"]}
    assert state["3.2.2.a.1"] == "attested"


def test_posture_framework_and_formats(cli: Cli) -> None:
    two_recorded_scans(cli)
    doc = cli.json("posture", "--framework", "soc 2")
    assert doc["framework"] == "SOC2"
    assert doc["frameworks"] and all(r["key"].startswith("SOC2:") for r in doc["frameworks"])
    assert [t["scan"] for t in doc["trend"]] == ["1", "2"]
    assert "unknown framework" in cli("posture", "--framework", "ISO", code=2).output
    table = cli("posture", "--framework", "HIPAA")
    assert "HIPAA" in table.output
    assert "unknown format" in cli("history", "--format", "xml", code=2).output


def test_version_does_not_import_the_store() -> None:
    code = "import sys, tutela.cli; print('sqlalchemy' in sys.modules, 'alembic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
