"""BAK001, BAK002, DR001, DR002 on the model: backups, versioning, Multi-AZ, deletion protection."""

from __future__ import annotations

from typing import Any

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.aws import DatabaseInstance, S3Bucket
from tutela.model.base import Resource
from tutela.model.values import Unknown
from tutela.rules.api import Rule, Status
from tutela.rules.backup import aws as backup
from tutela.rules.settings import DEFAULT_SETTINGS, Settings

BAK001 = backup.database_backups_retained
BAK002 = backup.bucket_versioning_enabled
DR001 = backup.database_is_multi_az
DR002 = backup.database_deletion_protection

PASS, FAIL = Status.PASS, Status.FAIL
NA, NE = Status.NOT_APPLICABLE, Status.NOT_EVALUATED


def outcomes(rule: Rule, resource: Resource, settings: Settings = DEFAULT_SETTINGS) -> set[Status]:
    return {f.status for f in evaluate([resource], RuleSet.of([rule]), settings=settings)}


def database(**fields: Any) -> DatabaseInstance:
    fields.setdefault("native_type", "aws_db_instance")
    return DatabaseInstance(address="aws_db_instance.claims", source="terraform",
                            engine="postgres", **fields)


def cluster(**fields: Any) -> DatabaseInstance:
    return DatabaseInstance(address="aws_rds_cluster.claims", native_type="aws_rds_cluster",
                            source="terraform", engine="aurora-postgresql", is_cluster=True,
                            **fields)


def member(**fields: Any) -> DatabaseInstance:
    return database(member_of_cluster=True, native_type="aws_rds_cluster_instance", **fields)


def bucket(**fields: Any) -> S3Bucket:
    return S3Bucket(address="aws_s3_bucket.records", native_type="aws_s3_bucket",
                    source="terraform", **fields)


CASES = [
    # BAK001
    ("BAK001", "disabled", database(backup_retention_days=0), {FAIL}),
    ("BAK001", "aws-default-one-day", database(), {FAIL}),
    ("BAK001", "three-days", database(backup_retention_days=3), {FAIL}),
    ("BAK001", "seven-days", database(backup_retention_days=7), {PASS}),
    ("BAK001", "cluster-fourteen", cluster(backup_retention_days=14), {PASS}),
    ("BAK001", "cluster-member", member(backup_retention_days=0), {NA}),
    ("BAK001", "unknown", database(backup_retention_days=Unknown("var.retention")), {NE}),
    # BAK002
    ("BAK002", "versioned", bucket(versioning=True), {PASS}),
    ("BAK002", "not-versioned", bucket(), {FAIL}),
    ("BAK002", "unknown", bucket(versioning=Unknown("var.versioning")), {NE}),
    # DR001
    ("DR001", "multi-az", database(multi_az=True), {PASS}),
    ("DR001", "single-az", database(), {FAIL}),
    ("DR001", "cluster", cluster(), {NA}),
    ("DR001", "cluster-member", member(), {NA}),
    ("DR001", "unknown", database(multi_az=Unknown("var.multi_az")), {NE}),
    # DR002
    ("DR002", "protected", database(deletion_protection=True), {PASS}),
    ("DR002", "unprotected", database(), {FAIL}),
    ("DR002", "cluster-protected", cluster(deletion_protection=True), {PASS}),
    ("DR002", "cluster-member", member(), {NA}),
    ("DR002", "unknown", database(deletion_protection=Unknown("var.protect")), {NE}),
]

RULES = {r.code: r for r in (BAK001, BAK002, DR001, DR002)}


@pytest.mark.parametrize(
    ("code", "resource", "expected"),
    [pytest.param(code, res, exp, id=f"{code}-{name}") for code, name, res, exp in CASES],
)
def test_backup_rules(code: str, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(RULES[code], resource) == expected


def test_bak001_minimum_comes_from_settings() -> None:
    db = database(backup_retention_days=14)
    assert outcomes(BAK001, db) == {PASS}
    assert outcomes(BAK001, db, Settings(backup_retention_days=30)) == {FAIL}
