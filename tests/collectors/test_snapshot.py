"""Snapshots: the codec round-trips the model, the hash catches tampering, `tutela scan`
re-evaluates a saved snapshot offline with the same findings, and API calls do not
depend on the rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tutela.cli import app
from tutela.collectors.aws.snapshot import (
    FORMAT,
    SnapshotError,
    decode,
    encode,
    from_document,
    load_snapshot,
    looks_like_snapshot,
    to_document,
)
from tutela.model.aws import Encryption, S3Bucket
from tutela.model.values import Reference, Unknown

from .helpers import REGION, Moto, create_function, run, security_group, vpc

SERVICES = "s3,iam,ec2,kms,lambda,cloudtrail,rds"


def seed(moto: Moto) -> None:
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="plain-records")
    iam = moto.client("iam")
    iam.create_user(UserName="operator")
    iam.create_login_profile(UserName="operator", Password="Correct-Horse-Battery-9")
    security_group(moto, "ssh-world", vpc(moto), "0.0.0.0/0")
    moto.client("kms").create_key()
    create_function(moto, "slow", 900, Environment={"Variables": {"A": "1"}})


def test_codec_round_trips_model_values() -> None:
    when = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    bucket = S3Bucket(
        address="arn:aws:s3:::b", arn="arn:aws:s3:::b", native_type="AWS::S3::Bucket",
        source="aws", region=REGION, tags={"$odd": "key", "team": "claims"},
        encryption=Encryption(enabled=Unknown("not collected: x"), kms_key=Reference("k", "arn")),
        policy=None, log_target=Unknown("y"))
    data = json.loads(json.dumps(encode(bucket)))
    assert data["$type"] == "aws.S3Bucket" and "$map" in data["tags"]
    back = decode(data)
    assert back == bucket
    assert isinstance(back.encryption.enabled, Unknown)
    assert decode(encode(when)) == when


def test_codec_refuses_what_is_not_a_model_type() -> None:
    with pytest.raises(SnapshotError, match="unknown model type"):
        decode({"$type": "os.system"})
    with pytest.raises(SnapshotError, match="no field"):
        decode({"$type": "aws.S3Bucket", "address": "a", "native_type": "n", "source": "aws",
                "evil": 1})


def test_a_collection_round_trips_through_a_snapshot(moto: Moto) -> None:
    seed(moto)
    collection = run(SERVICES.split(","))
    snap = collection.snapshot(tool={"name": "tutela", "version": "0"}, catalog={})
    doc = json.loads(json.dumps(to_document(snap)))
    assert doc["format"] == FORMAT and len(doc["sha256"]) == 64
    loaded = from_document(doc)
    assert loaded.warnings == ()
    assert loaded.snapshot.resources == collection.resources
    assert loaded.snapshot.coverage == collection.coverage
    assert loaded.snapshot.account_id == collection.account_id
    assert doc["api_calls"]["total"] == collection.api_calls > 0


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout


def _key(doc: dict[str, object]) -> set[tuple[str, str]]:
    return {(f["fingerprint"], f["status"]) for f in doc["findings"]}  # type: ignore[index,union-attr]


def test_save_snapshot_then_scan_gives_the_same_findings(moto: Moto, tmp_path: Path) -> None:
    seed(moto)
    snap = tmp_path / "s.json"
    code, out = _cli("aws", "--region", REGION, "--services", SERVICES, "--max-attempts", "2",
                     "--save-snapshot", str(snap), "-f", "json", "--no-progress")
    assert code == 1
    live = json.loads(out)
    assert snap.is_file() and looks_like_snapshot(snap.read_text())
    code, out = _cli("scan", str(snap), "-f", "json", "--no-progress")
    assert code == 1
    offline = json.loads(out)
    assert _key(offline) == _key(live)
    assert len(offline["findings"]) == len(live["findings"]) > 10
    assert offline["coverage"] == live["coverage"]
    assert not any("SHA-256" in n for n in offline["notes"])


def test_a_tampered_snapshot_warns_but_still_scans(moto: Moto, tmp_path: Path) -> None:
    seed(moto)
    snap = tmp_path / "s.json"
    _cli("aws", "--region", REGION, "--services", "s3", "--max-attempts", "2",
                   "--save-snapshot", str(snap), "-f", "json", "--no-progress")
    doc = json.loads(snap.read_text())
    for resource in doc["resources"]:  # "fix" the bucket without fixing the bucket
        if resource["$type"] == "aws.S3Bucket":
            resource["encryption"]["enabled"] = True
    snap.write_text(json.dumps(doc))
    loaded = load_snapshot(snap)
    assert loaded.warnings and "SHA-256 mismatch" in loaded.warnings[0]
    _, out = _cli("scan", str(snap), "-f", "json", "--no-progress")
    result = json.loads(out)
    assert any("SHA-256 mismatch" in n for n in result["notes"])
    assert {f["status"] for f in result["findings"] if f["rule_code"] == "ENC001"} == {"pass"}
    _code, text = _cli("scan", str(snap), "--no-progress")
    assert "SHA-256 mismatch" in text


def test_a_broken_snapshot_is_a_parse_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": FORMAT, "format_version": 99, "resources": []}))
    code, out = _cli("scan", str(bad), "-f", "json", "--no-progress")
    doc = json.loads(out)
    assert code == 0 and "not supported" in doc["parse_errors"][0]["message"]


def test_api_calls_do_not_depend_on_the_rules(moto: Moto, tmp_path: Path) -> None:
    seed(moto)
    calls = []
    for rules in (["--rules", "ENC001"], []):
        snap = tmp_path / f"s{len(rules)}.json"
        _cli("aws", "--region", REGION, "--services", SERVICES, "--max-attempts", "2",
             "--save-snapshot", str(snap), "-f", "json", "--no-progress", *rules)
        doc = json.loads(snap.read_text())
        calls.append((doc["api_calls"]["total"],
                      {(r["operation"], r["region"]) : r["count"]
                       for r in doc["api_calls"]["by_operation"]}))
    assert calls[0] == calls[1]
    assert calls[0][0] > 20


def test_json_report_with_coverage_matches_the_schema(moto: Moto) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    seed(moto)
    _code, out = _cli("aws", "--region", REGION, "--services", "s3,lambda", "--max-attempts", "2",
                     "-f", "json", "--no-progress")
    doc = json.loads(out)
    schema = json.loads((Path(__file__).parents[2] / "docs/schemas/scan-result.v1.schema.json")
                        .read_text())
    jsonschema.validate(doc, schema)
    lam = [c for c in doc["coverage"] if c["service"] == "lambda"]
    assert lam[0]["gaps"][0]["call"] == "lambda:ListCodeSigningConfigs"


def test_terminal_report_shows_coverage_per_service_and_region(moto: Moto) -> None:
    seed(moto)
    _code, out = _cli("aws", "--region", REGION, "--services", "s3,lambda,kms",
                     "--max-attempts", "2", "--no-progress")
    assert "Coverage by service and region" in out
    assert "lambda us-east-1 partial" in out
    assert "lambda:ListCodeSigningConfigs in us-east-1: not implemented by the endpoint" in out
    assert "arn:aws:s3:::plain-records" in out


def test_aws_record_stores_the_scan_with_its_snapshot(moto: Moto, tmp_path: Path) -> None:
    seed(moto)
    db = tmp_path / "state.db"
    snap = tmp_path / "s.json"
    code, _ = _cli("aws", "--region", REGION, "--services", SERVICES, "--max-attempts", "2",
                   "--save-snapshot", str(snap), "--record", "--db", str(db), "-f", "json",
                   "--no-progress")
    assert code == 1
    code, out = _cli("history", "--db", str(db), "--format", "json")
    assert code == 0, out
    scans = json.loads(out)["scans"]
    assert len(scans) == 1
    assert scans[0]["kind"] == "aws"
    assert scans[0]["counts"]["fail"] > 0
