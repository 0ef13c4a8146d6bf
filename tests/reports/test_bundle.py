"""The auditor bundle, and the `tutela report` commands that write every auditor format."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tutela.cli import app
from tutela.engine.findings import ScanResult
from tutela.reports import render
from tutela.reports.audit import scan_result_from_json
from tutela.reports.bundle import EvidenceFile, write_bundle
from tutela.reports.context import ReportContext

from .audit_fixtures import GENERATED_AT, audit_inputs

REPORTS = {
    "reports/report.html",
    "reports/scan.json",
    "reports/scan.sarif",
    "reports/assessment-results.json",
    "reports/poam.json",
    "reports/findings.ocsf.jsonl",
}


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture
def evidence_file(tmp_path: Path) -> Path:
    path = tmp_path / "access-review.csv"
    path.write_text("principal,decision\nalice,keep\n", encoding="utf-8")
    return path


def test_bundle_contents_and_manifest(
    tmp_path: Path, result: ScanResult, ctx: ReportContext, evidence_file: Path
) -> None:
    digest = hashlib.sha256(evidence_file.read_bytes()).hexdigest()
    out = tmp_path / "out" / "pack.zip"
    document = write_bundle(
        out,
        audit_inputs(result, ctx),
        snapshots=[("aws-123456789012-us-east-1.json", b'{"resources": []}\n')],
        evidence_files=[EvidenceFile("ev-3.2.2.a.1", "access-review.csv", evidence_file, digest)],
    )
    members = _members(out)
    assert next(iter(members)) == "manifest.json"
    assert set(members) == {
        "manifest.json",
        *REPORTS,
        "snapshots/aws-123456789012-us-east-1.json",
        "evidence/ev-3.2.2.a.1/access-review.csv",
    }
    manifest = json.loads(members["manifest.json"])
    assert manifest == document
    assert manifest["format"] == "tutela-bundle/1"
    assert manifest["generated_at"] == "2025-06-30T12:00:00Z"
    assert manifest["tool"] == {"name": "tutela", "version": "0.1.0"}
    assert manifest["catalog"]["policy_id"] == "ENG-POL-003"
    assert manifest["catalog"]["version"].startswith("sha256-")
    assert manifest["scan"] == {"id": "scan-4", "targets": ["infra", "k8s"]}
    assert manifest["problems"] == []
    listed = {item["path"]: item for item in manifest["items"]}
    assert set(listed) == set(members) - {"manifest.json"}
    for path, item in listed.items():
        assert item["size"] == len(members[path])
        assert item["sha256"] == hashlib.sha256(members[path]).hexdigest()
    assert listed["evidence/ev-3.2.2.a.1/access-review.csv"]["sha256"] == digest
    # the OSCAL observations link to where the bundle keeps the evidence
    ar = json.loads(members["reports/assessment-results.json"])
    hrefs = {
        e.get("href")
        for o in ar["assessment-results"]["results"][0]["observations"]
        for e in o.get("relevant-evidence", [])
    }
    assert "evidence/ev-3.2.2.a.1/access-review.csv" in hrefs
    assert members["reports/report.html"].startswith(b"<!DOCTYPE html>")


def test_bundle_is_reproducible(
    tmp_path: Path, result: ScanResult, ctx: ReportContext, evidence_file: Path
) -> None:
    files = [EvidenceFile("ev-1", "a.csv", evidence_file)]
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    write_bundle(first, audit_inputs(result, ctx), evidence_files=files)
    write_bundle(second, audit_inputs(result, ctx), evidence_files=files)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 6, 30, 12, 0, 0)}


def test_missing_and_altered_evidence_are_reported(
    tmp_path: Path, result: ScanResult, ctx: ReportContext, evidence_file: Path
) -> None:
    out = tmp_path / "pack.zip"
    document = write_bundle(
        out,
        audit_inputs(result, ctx),
        evidence_files=[
            EvidenceFile("ev-1", "gone.pdf", tmp_path / "gone.pdf", "0" * 64),
            EvidenceFile("ev-2", "changed.csv", evidence_file, "1" * 64),
        ],
    )
    problems = {p["path"]: p["problem"] for p in document["problems"]}
    assert problems["evidence/ev-1/gone.pdf"].startswith("missing")
    assert "differs from the recorded" in problems["evidence/ev-2/changed.csv"]
    assert "evidence/ev-2/changed.csv" in _members(out)  # kept, flagged
    assert "evidence/ev-1/gone.pdf" not in _members(out)


def test_member_names_cannot_escape(tmp_path: Path, result: ScanResult, ctx: ReportContext) -> None:
    out = tmp_path / "pack.zip"
    write_bundle(
        out,
        audit_inputs(result, ctx),
        snapshots=[("../../etc/passwd", b"x"), ("..", b"y")],
    )
    for name in _members(out):
        parts = name.split("/")
        assert ".." not in parts and not name.startswith("/")


def test_failed_write_leaves_no_partial_file(
    tmp_path: Path, result: ScanResult, ctx: ReportContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "pack.zip"
    out.write_bytes(b"previous pack")

    def boom(*_: Any, **__: Any) -> str:
        raise RuntimeError("interrupted")

    monkeypatch.setattr("tutela.reports.oscal_ar.render_poam", boom)
    with pytest.raises(RuntimeError):
        write_bundle(out, audit_inputs(result, ctx))
    assert out.read_bytes() == b"previous pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.zip"]


# --- the JSON report round trip ------------------------------------------------------------


def test_scan_result_from_json_round_trips(result: ScanResult, ctx: ReportContext) -> None:
    text = render("json", result, ctx)
    back = scan_result_from_json(json.loads(text))
    assert render("json", back, ctx) == text
    with pytest.raises(ValueError, match="schema_version"):
        scan_result_from_json({"findings": []})
    broken = json.loads(text)
    del broken["findings"][0]["rule_code"]
    with pytest.raises(ValueError, match="finding 0"):
        scan_result_from_json(broken)


# --- the commands --------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def scan_json(tmp_path: Path, result: ScanResult, ctx: ReportContext) -> Path:
    path = tmp_path / "scan.json"
    path.write_text(render("json", result, ctx), encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory: no store, no waiver file."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("TUTELA_DB", raising=False)
    return work


AT = ["--at", "2025-06-30T12:00:00Z"]


def test_report_commands_from_json(workdir: Path, scan_json: Path) -> None:
    html = runner.invoke(app, ["report", "html", "--from-json", str(scan_json), *AT])
    assert html.exit_code == 0, html.output
    assert 'id="posture-chart"' in html.stdout
    ocsf = runner.invoke(app, ["report", "ocsf", "--from-json", str(scan_json), *AT])
    assert ocsf.exit_code == 0, ocsf.output
    classes = {json.loads(line)["class_uid"] for line in ocsf.stdout.splitlines()}
    assert classes == {2003, 2004}
    out = workdir / "oscal" / "ar.json"
    oscal = runner.invoke(
        app, ["report", "oscal", "--from-json", str(scan_json), "-o", str(out), *AT]
    )
    assert oscal.exit_code == 0, oscal.output
    assert "assessment-results" in json.loads(out.read_text(encoding="utf-8"))
    poam = json.loads((workdir / "oscal" / "ar-poam.json").read_text(encoding="utf-8"))
    assert poam["plan-of-action-and-milestones"]["poam-items"]
    again = workdir / "again.json"
    runner.invoke(app, ["report", "oscal", "--from-json", str(scan_json), "-o", str(again), *AT])
    assert again.read_bytes() == out.read_bytes()


def test_report_bundle_from_json(workdir: Path, scan_json: Path) -> None:
    snapshot = workdir / "snap.json"
    snapshot.write_text("{}\n", encoding="utf-8")
    out = workdir / "pack.zip"
    run = runner.invoke(
        app,
        [
            "report",
            "bundle",
            "-o",
            str(out),
            "--from-json",
            str(scan_json),
            "--snapshot",
            str(snapshot),
            *AT,
        ],
    )
    assert run.exit_code == 0, run.output
    assert set(_members(out)) == {"manifest.json", *REPORTS, "snapshots/snap.json"}


def test_report_errors(workdir: Path, scan_json: Path) -> None:
    missing = runner.invoke(app, ["report", "html"])
    assert missing.exit_code == 2
    assert "no tutela store found" in missing.output
    bad = runner.invoke(app, ["report", "html", "--from-json", str(workdir / "nope.json")])
    assert bad.exit_code == 2 and "no such file" in bad.output
    junk = workdir / "junk.json"
    junk.write_text("[]", encoding="utf-8")
    wrong = runner.invoke(app, ["report", "ocsf", "--from-json", str(junk)])
    assert wrong.exit_code == 2 and "not a tutela JSON scan report" in wrong.output
    at = runner.invoke(app, ["report", "html", "--from-json", str(scan_json), "--at", "soon"])
    assert at.exit_code == 2 and "--at" in at.output


def test_scan_formats(tmp_path: Path) -> None:
    target = Path(__file__).parents[2] / "examples" / "insecure"
    out_html, out_ar = tmp_path / "r.html", tmp_path / "ar.json"
    run = runner.invoke(
        app,
        [
            "scan",
            str(target),
            "--no-progress",
            "-f",
            "html",
            "-o",
            str(out_html),
            "-f",
            "oscal",
            "-o",
            str(out_ar),
        ],
    )
    assert run.exit_code in (0, 1), run.output
    assert 'id="posture-chart"' in out_html.read_text(encoding="utf-8")
    assert json.loads(out_ar.read_text(encoding="utf-8"))["assessment-results"]["results"]


def test_report_from_the_store(workdir: Path, evidence_file: Path) -> None:
    """A recorded scan, its history and the store's evidence make the reports."""
    from tutela.catalog.loader import load_catalog
    from tutela.evidence.records import record_evidence
    from tutela.store import Store

    from .conftest import PARSE_ERRORS, sample_findings

    db = workdir / "state.db"
    catalog = load_catalog(None)
    result = ScanResult(sample_findings(), PARSE_ERRORS, 6, 4, 3, 0.5, targets=("infra",))
    first = datetime(2025, 6, 1, 12, tzinfo=UTC)
    with Store.open(db) as store:
        for n, when in enumerate((first, first + timedelta(days=20))):
            store.record_scan(
                result if n else ScanResult(result.findings[:3], (), 2, 1, 3, 0.1, ("infra",)),
                started_at=when,
                finished_at=when + timedelta(seconds=1),
                tool_version="0.1.0",
                catalog_version="test",
                actor="ci",
            )
        record_evidence(
            store,
            catalog,
            "3.2.2.a.1",
            performed_on=date(2025, 6, 2),
            performed_by="Dana",
            today=date(2025, 6, 30),
            now=first,
            actor="dana",
            attach=[evidence_file],
        )
    out = workdir / "pack.zip"
    run = runner.invoke(app, ["report", "bundle", "--db", str(db), "-o", str(out), *AT])
    assert run.exit_code == 0, run.output
    members = _members(out)
    evidence = [m for m in members if m.startswith("evidence/")]
    assert len(evidence) == 1 and evidence[0].endswith("/access-review.csv")
    assert members[evidence[0]] == evidence_file.read_bytes()
    manifest = json.loads(members["manifest.json"])
    assert manifest["scan"]["id"] == "2" and manifest["problems"] == []
    html = members["reports/report.html"].decode()
    assert 'id="trend-chart"' in html
    assert "Dana" in html
    older = runner.invoke(app, ["report", "html", "--db", str(db), "--scan", "1", *AT])
    assert older.exit_code == 0, older.output
    assert "<dd>1</dd>" in older.stdout
    assert GENERATED_AT.isoformat().replace("+00:00", "Z") in older.stdout
