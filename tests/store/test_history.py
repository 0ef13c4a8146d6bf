"""Diff between recorded scans, by fingerprint."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tutela.engine.history import diff_scans
from tutela.rules.api import Severity, Status
from tutela.store import Store

from .helpers import T0, make_finding, moved, record


def test_one_fix_and_one_new_problem_between_two_recorded_scans(store: Store) -> None:
    unencrypted = make_finding("ENC001", "aws_s3_bucket.records")
    logging = make_finding("LOG005", "aws_s3_bucket.records", severity=Severity.LOW)
    sg_ok = make_finding("NET001", "aws_security_group.web", Status.PASS, controls=("3.1.2.a.2",))
    a = record(store, [unencrypted, logging, sg_ok], at=T0)

    fixed = replace(unencrypted, status=Status.PASS, message="encrypted with aws:kms")
    ssh_open = make_finding(
        "NET001",
        "aws_security_group.web",
        subject="rules[1]",
        severity=Severity.CRITICAL,
        controls=("3.1.2.a.2",),
    )
    # Lines moved: still the same finding.
    b = record(store, [fixed, moved(logging, 40), ssh_open], at=T0 + timedelta(hours=1))

    diff = diff_scans(store.findings(a.id), store.findings(b.id))
    assert [f.fingerprint for f in diff.new] == [ssh_open.fingerprint]
    assert [f.fingerprint for f in diff.fixed] == [unencrypted.fingerprint]
    assert [f.rule_code for f in diff.still_failing] == ["LOG005"]
    assert diff.no_longer_failing == ()
    assert diff.regressed


def test_disappeared_waived_and_unknown_findings() -> None:
    gone = make_finding("ENC001", "aws_s3_bucket.old")
    waived = make_finding("ENC001", "aws_s3_bucket.legacy")
    unknown = make_finding("ENC001", "aws_s3_bucket.var")
    was_passing = make_finding("ENC001", "aws_s3_bucket.new", Status.PASS)
    diff = diff_scans(
        [gone, waived, unknown, was_passing],
        [
            replace(waived, status=Status.WAIVED, waiver_id="W-0001"),
            replace(unknown, status=Status.NOT_EVALUATED),
            replace(was_passing, status=Status.FAIL),
        ],
    )
    assert [f.resource_address for f in diff.fixed] == ["aws_s3_bucket.old"]
    assert [f.resource_address for f in diff.new] == ["aws_s3_bucket.new"]
    assert sorted(f.resource_address for f in diff.no_longer_failing) == [
        "aws_s3_bucket.legacy",
        "aws_s3_bucket.var",
    ]
    assert diff_scans([gone], [gone]).regressed is False
