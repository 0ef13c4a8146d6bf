"""BAK003-BAK012, DR003-DR004 on the model."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules._aws_pack import FAIL, NA, NE, PASS, U, make, outcomes

from tutela.model.aws import (
    BackupPlan,
    BackupRule,
    BackupVault,
    CloudTrail,
    DatabaseInstance,
    DynamoDbTable,
    ElastiCacheReplicationGroup,
    EventRule,
    RestoreTestingPlan,
    S3Bucket,
)
from tutela.model.base import Resource
from tutela.model.values import Reference
from tutela.rules.api import Rule, Status
from tutela.rules.backup import aws_pack as pack
from tutela.rules.settings import Settings


def plan(*rules: BackupRule, **f: Any) -> BackupPlan:
    return make(BackupPlan, rules=tuple(rules), **f)


def brule(retention: Any = None, copies: Any = ()) -> BackupRule:
    return BackupRule("daily", retention_days=retention, copy_destinations=copies,
                      path="rules[0]")


US_WEST_VAULT = "arn:aws:backup:us-west-2:111122223333:backup-vault:dr"

CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("pitr", pack.table_point_in_time_recovery, make(DynamoDbTable, point_in_time_recovery=True),
     {PASS}),
    ("no pitr", pack.table_point_in_time_recovery, make(DynamoDbTable), {FAIL}),
    ("pitr unknown", pack.table_point_in_time_recovery,
     make(DynamoDbTable, point_in_time_recovery=U), {NE}),
    ("table protected", pack.table_deletion_protection,
     make(DynamoDbTable, deletion_protection=True), {PASS}),
    ("table unprotected", pack.table_deletion_protection, make(DynamoDbTable), {FAIL}),
    ("cache snapshots", pack.cache_snapshots_retained,
     make(ElastiCacheReplicationGroup, snapshot_retention_days=7), {PASS}),
    ("cache no snapshots", pack.cache_snapshots_retained, make(ElastiCacheReplicationGroup),
     {FAIL}),
    ("retention 35", pack.backup_plan_retention_meets_minimum, plan(brule(35)), {PASS}),
    ("retention forever", pack.backup_plan_retention_meets_minimum, plan(brule(None)), {PASS}),
    ("retention 3", pack.backup_plan_retention_meets_minimum, plan(brule(3)), {FAIL}),
    ("retention unknown", pack.backup_plan_retention_meets_minimum, plan(brule(U)), {NE}),
    ("rules unknown", pack.backup_plan_retention_meets_minimum, make(BackupPlan, rules=U), {NE}),
    ("copy other region", pack.backup_plan_copies_to_another_region,
     plan(brule(copies=(US_WEST_VAULT,)), region="us-east-1"), {PASS}),
    ("copy same region", pack.backup_plan_copies_to_another_region,
     plan(brule(copies=(US_WEST_VAULT,)), region="us-west-2"), {FAIL}),
    ("copy, home region unknown", pack.backup_plan_copies_to_another_region,
     plan(brule(copies=(US_WEST_VAULT,)), region=U), {PASS}),
    ("no copy", pack.backup_plan_copies_to_another_region, plan(brule()), {FAIL}),
    ("copy unknown", pack.backup_plan_copies_to_another_region, plan(brule(copies=U)), {NE}),
    ("copy to vault not in scan", pack.backup_plan_copies_to_another_region,
     plan(brule(copies=("aws_backup_vault.dr.arn",))), {NE}),
    ("vault cmk", pack.backup_vault_encrypted_with_cmk,
     make(BackupVault, kms_key="arn:aws:kms:us-east-1:1:key/k"), {PASS}),
    ("vault aws key", pack.backup_vault_encrypted_with_cmk, make(BackupVault), {FAIL}),
    ("vault locked", pack.backup_vault_locked, make(BackupVault, locked=True), {PASS}),
    ("vault unlocked", pack.backup_vault_locked, make(BackupVault), {FAIL}),
    ("vault lock unknown", pack.backup_vault_locked, make(BackupVault, locked=U), {NE}),
    ("selects", pack.backup_plan_selects_resources,
     plan(selections=("aws_backup_selection.s",)), {PASS}),
    ("selects nothing", pack.backup_plan_selects_resources, plan(), {FAIL}),
    ("selections unknown", pack.backup_plan_selects_resources, plan(selections=U), {NE}),
    ("weekly restore test", pack.restore_tests_run_quarterly,
     make(RestoreTestingPlan, interval_days=7), {PASS}),
    ("yearly restore test", pack.restore_tests_run_quarterly,
     make(RestoreTestingPlan, interval_days=366), {FAIL}),
    ("schedule unknown", pack.restore_tests_run_quarterly,
     make(RestoreTestingPlan, interval_days=U), {NE}),
    ("vault notifies", pack.backup_failures_alert,
     make(BackupVault, notification_events=("BACKUP_JOB_COMPLETED",)), {PASS}),
    ("vault silent", pack.backup_failures_alert, make(BackupVault, notification_events=()),
     {FAIL}),
    ("vault not collected", pack.backup_failures_alert, make(BackupVault), {NE}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected


def test_backup_retention_is_a_setting() -> None:
    assert outcomes(pack.backup_plan_retention_meets_minimum, plan(brule(14)),
                    settings=Settings(backup_retention_days=30)) == {FAIL}


def test_eventbridge_rule_reports_backup_failures() -> None:
    rule_ = make(EventRule, pattern='{"source": ["aws.backup"]}', targets=("arn:sns",))
    assert outcomes(pack.backup_failures_alert, make(BackupVault, notification_events=()),
                    rule_) == {PASS}


def test_copy_region_from_a_vault_in_the_scan() -> None:
    vault = make(BackupVault, address="aws_backup_vault.dr", region="us-west-2")
    p = plan(brule(copies=("aws_backup_vault.dr.arn",)), region="us-east-1")
    assert outcomes(pack.backup_plan_copies_to_another_region, p, vault) == {PASS}


@pytest.mark.parametrize(("locked", "expected"), [(True, {PASS}), (False, {FAIL})])
def test_trail_bucket_object_lock(locked: bool, expected: set[Status]) -> None:
    bucket = make(S3Bucket, address="aws_s3_bucket.audit", bucket_name="audit",
                  object_lock=locked)
    trail = make(CloudTrail, s3_bucket=Reference("aws_s3_bucket.audit", "id"))
    assert outcomes(pack.audit_log_bucket_has_object_lock, bucket, trail) == expected
    assert outcomes(pack.audit_log_bucket_has_object_lock, bucket) == set()


def _member(n: int, cluster: Any) -> DatabaseInstance:
    return make(DatabaseInstance, address=f"aws_rds_cluster_instance.i[{n}]",
                member_of_cluster=True, cluster=cluster)


@pytest.mark.parametrize(("members", "expected"), [
    ([_member(0, "aws_rds_cluster.c"), _member(1, "aws_rds_cluster.c")], {PASS}),
    ([_member(0, "aws_rds_cluster.c")], {FAIL}),
    ([_member(0, "aws_rds_cluster.c"), _member(1, U)], {NE}),
    ([], {NA}),
])
def test_cluster_failover(members: list[DatabaseInstance], expected: set[Status]) -> None:
    cluster = make(DatabaseInstance, address="aws_rds_cluster.c", is_cluster=True)
    assert outcomes(pack.database_cluster_can_fail_over, cluster, *members) == expected


def test_serverless_v1_cluster_fails_over_by_itself() -> None:
    cluster = make(DatabaseInstance, is_cluster=True, engine_mode="serverless")
    assert outcomes(pack.database_cluster_can_fail_over, cluster) == {PASS}
