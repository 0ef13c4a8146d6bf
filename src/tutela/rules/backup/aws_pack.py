"""3.6 Backup and disaster recovery on AWS: point-in-time recovery, AWS Backup plans,
vaults and restore tests, evidence preservation, cluster availability."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tutela.model.aws import (
    BackupPlan,
    BackupVault,
    CloudTrail,
    DatabaseInstance,
    DynamoDbTable,
    ElastiCacheReplicationGroup,
    EventRule,
    RestoreTestingPlan,
    S3Bucket,
)
from tutela.model.inventory import Inventory
from tutela.model.values import Reference, Unknown, is_unknown
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.identity._aws_policy import near_resource
from tutela.rules.settings import Settings


@rule(
    code="BAK003",
    controls=("3.6.1.a.1", "3.6.1.b.3"),
    severity=Severity.MEDIUM,
    remediation="Enable point-in-time recovery: `point_in_time_recovery { enabled = true }`.",
    snippets={
        "terraform": """
            point_in_time_recovery {
              enabled = true
            }
        """,
        "cloudformation": """
            PointInTimeRecoverySpecification:
              PointInTimeRecoveryEnabled: true
        """,
    },
)
def table_point_in_time_recovery(table: DynamoDbTable) -> Verdict:
    """DynamoDB tables have point-in-time recovery.

    Why: PITR keeps continuous backups for 35 days, so a table can be restored to the
    second before a bad deployment or a malicious delete; without it only manual
    snapshots exist.
    """
    if not table.point_in_time_recovery:
        return failed("point-in-time recovery is off", at="point_in_time_recovery")
    return passed()


@rule(
    code="BAK004",
    controls=("3.6.1.a.1",),
    severity=Severity.LOW,
    remediation="Keep automatic snapshots: `snapshot_retention_limit = 7` (or more).",
    snippets={
        "terraform": "snapshot_retention_limit = 7",
        "cloudformation": "SnapshotRetentionLimit: 7",
    },
)
def cache_snapshots_retained(group: ElastiCacheReplicationGroup) -> Verdict:
    """ElastiCache replication groups keep automatic snapshots.

    Why: Redis and Valkey are often the system of record for sessions, queues and
    rate-limit state; with a retention of 0 no automatic backup exists to restore from.
    """
    days = group.snapshot_retention_days
    if days is None or days == 0:
        return failed("automatic snapshots are disabled (retention 0)",
                      at="snapshot_retention_days")
    return passed(f"snapshots kept {days} days")


@rule(
    code="BAK005",
    controls=("3.6.1.b.1",),
    severity=Severity.HIGH,
    remediation="""
        Keep recovery points at least the organisation's minimum
        (`[settings] backup_retention_days`): raise `lifecycle { delete_after }` or remove
        it to keep them until deleted by hand.
    """,
    snippets={
        "terraform": """
            lifecycle {
              cold_storage_after = 30
              delete_after       = 365
            }
        """,
        "cloudformation": """
            Lifecycle:
              MoveToColdStorageAfterDays: 30
              DeleteAfterDays: 365
        """,
    },
)
def backup_plan_retention_meets_minimum(plan: BackupPlan,
                                        settings: Settings) -> Iterator[Verdict]:
    """AWS Backup plan rules keep recovery points long enough.

    Why: ENG-POL-003 requires retention aligned with regulatory requirements; a rule
    that deletes recovery points after a few days loses the history needed to recover
    from corruption or ransomware noticed late.
    """
    rules = plan.rules
    if is_unknown(rules):
        yield unknown(f"rules not known: {rules.reason}", at="rules")
        return
    if not rules:
        yield not_applicable("the plan has no rules")
        return
    minimum = settings.backup_retention_days

    def problems() -> Iterator[Verdict]:
        for backup_rule in rules:
            days = backup_rule.retention_days
            if days is None:
                continue
            if isinstance(days, Unknown):
                yield unknown(f"rule {backup_rule.name}: retention not known: {days.reason}",
                              at=backup_rule.path, subject=backup_rule.name)
                continue
            if days < minimum:
                yield failed(f"rule {backup_rule.name} deletes recovery points after {days} "
                             f"days, below the minimum of {minimum}", at=backup_rule.path,
                             subject=backup_rule.name)

    yield from or_passed(problems(), "retention meets the minimum")


_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:backup:([a-z]{2}(?:-[a-z]+)+-\d):")


def _destination_region(destination: str, plan: BackupPlan,
                        inventory: Inventory) -> str | Unknown | None:
    m = _ARN_REGION.match(destination)
    if m:
        return m.group(1)
    address = destination.removesuffix(".arn")
    vault = near_resource(BackupVault, address, plan, inventory)
    if isinstance(vault, BackupVault):
        region = vault.region
        return region if isinstance(region, str | Unknown) else None
    return None


@rule(
    code="BAK006",
    controls=("3.6.1.a.2", "3.6.2.a.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Copy recovery points to a vault in another approved region
        (`copy_action { destination_vault_arn = aws_backup_vault.dr.arn }` with the DR
        vault created through a provider for that region).
    """,
    snippets={
        "terraform": """
            copy_action {
              destination_vault_arn = aws_backup_vault.dr.arn
              lifecycle {
                delete_after = 365
              }
            }
        """,
        "cloudformation": """
            CopyActions:
              - DestinationBackupVaultArn: !Sub >-
                  arn:aws:backup:us-west-2:${AWS::AccountId}:backup-vault:records-dr
        """,
    },
)
def backup_plan_copies_to_another_region(plan: BackupPlan, inventory: Inventory) -> Verdict:
    """AWS Backup plans copy recovery points to another region.

    Why: ENG-POL-003 requires geographic distribution of backups; recovery points kept
    only in the region they protect are lost with it. The destination's region comes from
    its ARN or from the vault's provider in the scan; when the plan's own region is known
    only at deployment, a copy to an explicitly named region counts.
    """
    rules = plan.rules
    if is_unknown(rules):
        return unknown(f"rules not known: {rules.reason}", at="rules")
    home = plan.region
    unknown_: Unknown | None = None
    destinations = 0
    for backup_rule in rules:
        copies = backup_rule.copy_destinations
        if isinstance(copies, Unknown):
            unknown_ = copies
            continue
        for destination in copies:
            destinations += 1
            region = _destination_region(destination, plan, inventory)
            if isinstance(region, Unknown):
                unknown_ = region
            elif region is None:
                unknown_ = Unknown(f"the region of {destination} is not known")
            elif not isinstance(home, str) or region != home:
                return passed(f"rule {backup_rule.name} copies to {region}")
    if unknown_ is not None:
        return unknown(f"copy destination not known: {unknown_.reason}", at="rules")
    if destinations:
        return failed("copies stay in the plan's own region", at="rules")
    return failed("no rule copies recovery points to another region", at="rules")


@rule(
    code="BAK007",
    controls=("3.6.1.a.3", "3.3.2.a.2"),
    severity=Severity.MEDIUM,
    remediation="Encrypt the vault with a customer-managed key: set `kms_key_arn`.",
    snippets={
        "terraform": "kms_key_arn = aws_kms_key.backup.arn",
        "cloudformation": "EncryptionKeyArn: !GetAtt BackupKey.Arn",
    },
)
def backup_vault_encrypted_with_cmk(vault: BackupVault) -> Verdict:
    """Backup vaults encrypt recovery points with a customer-managed key.

    Why: ENG-POL-003 makes backup encryption mandatory and requires customer-managed keys
    for ePHI; the default `aws/backup` key cannot be restricted or shared for cross-
    account recovery.
    """
    if not vault.kms_key:
        return failed("the vault uses the AWS-managed aws/backup key", at="kms_key")
    return passed()


@rule(
    code="BAK008",
    controls=("3.7.2.a.3", "3.6.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Add a vault lock (`aws_backup_vault_lock_configuration` with `min_retention_days`,
        in compliance mode once tested) so recovery points cannot be deleted early.
    """,
    snippets={
        "terraform": """
            resource "aws_backup_vault_lock_configuration" "records" {
              backup_vault_name   = aws_backup_vault.records.name
              min_retention_days  = 35
              max_retention_days  = 3650
              changeable_for_days = 3
            }
        """,
        "cloudformation": """
            LockConfiguration:
              MinRetentionDays: 35
              ChangeableForDays: 3
        """,
    },
)
def backup_vault_locked(vault: BackupVault) -> Verdict:
    """Backup vaults are locked against early deletion.

    Why: ransomware operators delete backups first; a vault lock (WORM) keeps recovery
    points, and the evidence they preserve, even from administrators.
    """
    if not vault.locked:
        return failed("the vault has no lock", at="locked")
    return passed()


def _trails_by_bucket(inventory: Inventory) -> dict[str, tuple[CloudTrail, ...]]:
    """Trails indexed by the bucket address or literal name they write to (one pass)."""
    index: dict[str, list[CloudTrail]] = {}
    for trail in inventory.of(CloudTrail):
        value = trail.s3_bucket
        key: str | None = None
        if isinstance(value, Reference):
            key = value.target
        elif isinstance(value, str):
            m = re.search(r"\$\{([^}]+?)\.(id|bucket|arn)\}", value)
            key = m.group(1) if m else value
        if key is not None:
            index.setdefault(key, []).append(trail)
    return {k: tuple(v) for k, v in index.items()}


def _points_at(trail: CloudTrail, bucket: S3Bucket, inventory: Inventory) -> bool:
    """The trail writes to the bucket: by reference (to this bucket, not a namesake in
    another root module of the scan) or by literal name."""
    value = trail.s3_bucket
    target: str | None = None
    if isinstance(value, Reference):
        target = value.target
    elif isinstance(value, str):
        m = re.search(r"\$\{([^}]+?)\.(id|bucket|arn)\}", value)
        if m:
            target = m.group(1)
        elif isinstance(bucket.bucket_name, str) and value == bucket.bucket_name:
            return True
    if target is None or target != bucket.address:
        return False
    return near_resource(S3Bucket, target, trail, inventory) is bucket


@rule(
    code="BAK009",
    controls=("3.7.2.a.3", "3.7.1.b.4"),
    severity=Severity.MEDIUM,
    remediation="""
        Create the audit-log bucket with Object Lock and a default retention
        (`object_lock_enabled = true` and `aws_s3_bucket_object_lock_configuration`).
    """,
    snippets={
        "terraform": """
            resource "aws_s3_bucket_object_lock_configuration" "audit" {
              bucket = aws_s3_bucket.audit.id
              rule {
                default_retention {
                  mode = "GOVERNANCE"
                  days = 365
                }
              }
            }
        """,
        "cloudformation": """
            ObjectLockEnabled: true
            ObjectLockConfiguration:
              ObjectLockEnabled: Enabled
              Rule:
                DefaultRetention:
                  Mode: GOVERNANCE
                  Days: 365
        """,
    },
)
def audit_log_bucket_has_object_lock(bucket: S3Bucket, inventory: Inventory) -> Iterator[Verdict]:
    """Buckets that receive CloudTrail logs have Object Lock.

    Why: ENG-POL-003 requires evidence preservation for incidents; an intruder with
    write access to the log bucket can delete the trail's record of the intrusion unless
    the objects are locked. Only buckets that a trail of the scan writes to are judged.
    """
    by_target = inventory.memo("cloudtrail-by-bucket", lambda: _trails_by_bucket(inventory))
    candidates = (*by_target.get(bucket.address, ()), *by_target.get(str(bucket.bucket_name), ()))
    if not any(_points_at(t, bucket, inventory) for t in candidates):
        return
    if not bucket.object_lock:
        yield failed("the CloudTrail log bucket has no Object Lock", at="object_lock")
        return
    yield passed()


@rule(
    code="BAK010",
    controls=("3.6.1.a.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Assign resources to the plan (`aws_backup_selection` with `resources` or
        `selection_tag`).
    """,
    snippets={
        "terraform": """
            resource "aws_backup_selection" "records" {
              name         = "records"
              plan_id      = aws_backup_plan.records.id
              iam_role_arn = aws_iam_role.backup.arn
              selection_tag {
                type  = "STRINGEQUALS"
                key   = "backup"
                value = "daily"
              }
            }
        """,
        "cloudformation": """
            RecordsSelection:
              Type: AWS::Backup::BackupSelection
              Properties:
                BackupPlanId: !Ref RecordsPlan
                BackupSelection:
                  SelectionName: records
                  IamRoleArn: !GetAtt BackupRole.Arn
                  ListOfTags:
                    - ConditionType: STRINGEQUALS
                      ConditionKey: backup
                      ConditionValue: daily
        """,
    },
)
def backup_plan_selects_resources(plan: BackupPlan) -> Verdict:
    """AWS Backup plans select the resources they protect.

    Why: a plan without a selection runs on schedule and backs up nothing, giving a
    false sense of protection.
    """
    selections = plan.selections
    if is_unknown(selections):
        return unknown(f"selections not known: {selections.reason}", at="selections")
    if not selections:
        return failed("no backup selection assigns resources to the plan", at="selections")
    return passed(f"{len(selections)} selection(s)")


_QUARTER_DAYS = 92


@rule(
    code="BAK011",
    controls=("3.6.1.a.5",),
    severity=Severity.MEDIUM,
    remediation="""
        Run restore tests at least quarterly: `schedule_expression` such as
        `cron(0 5 ? * SUN *)` (weekly) or `cron(0 5 1 */3 ? *)` (quarterly).
    """,
    snippets={
        "terraform": 'schedule_expression = "cron(0 5 ? * SUN *)"',
        "cloudformation": "ScheduleExpression: cron(0 5 ? * SUN *)",
    },
)
def restore_tests_run_quarterly(plan: RestoreTestingPlan) -> Verdict:
    """AWS Backup restore tests run at least every quarter.

    Why: ENG-POL-003 requires validating backup integrity and restoration at least
    quarterly; a restore testing plan that runs less often leaves untested backups.
    """
    days = plan.interval_days
    if days is None:
        return failed("the restore testing plan has no schedule", at="interval_days")
    if is_unknown(days):
        return unknown(f"schedule not understood: {days.reason}", at="interval_days")
    if days > _QUARTER_DAYS:
        return failed(f"restore tests run only every {days} days", at="interval_days")
    return passed(f"every {days} days at most")


_FAILURE_EVENTS = frozenset({"BACKUP_JOB_FAILED", "BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED",
                             "S3_BACKUP_OBJECT_FAILED", "RESTORE_JOB_FAILED"})


@rule(
    code="BAK012",
    controls=("3.6.1.b.4",),
    severity=Severity.MEDIUM,
    remediation="""
        Notify on failed jobs: `aws_backup_vault_notifications` with `BACKUP_JOB_COMPLETED`
        (filtered on failures by the subscriber) and `COPY_JOB_FAILED`, or an EventBridge
        rule on `aws.backup` job state changes.
    """,
    snippets={
        "terraform": """
            resource "aws_backup_vault_notifications" "records" {
              backup_vault_name   = aws_backup_vault.records.name
              sns_topic_arn       = aws_sns_topic.backup_alerts.arn
              backup_vault_events = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"]
            }
        """,
        "cloudformation": """
            Notifications:
              SNSTopicArn: !Ref BackupAlerts
              BackupVaultEvents: [BACKUP_JOB_COMPLETED, COPY_JOB_FAILED]
        """,
    },
)
def backup_failures_alert(vault: BackupVault, inventory: Inventory) -> Verdict:
    """Failed backup jobs raise alerts.

    Why: ENG-POL-003 requires monitoring and alerting for failed or incomplete backups;
    AWS Backup records failures silently unless the vault notifies someone or an
    EventBridge rule forwards `aws.backup` job state changes.
    """
    events = vault.notification_events
    if events is None:
        return unknown("vault notifications were not collected", at="notification_events")
    if is_unknown(events):
        return unknown(f"vault notifications not known: {events.reason}",
                       at="notification_events")
    if _FAILURE_EVENTS & set(events):
        return passed("vault notifications")
    for event_rule in inventory.of(EventRule):
        pattern = event_rule.pattern
        if isinstance(pattern, str) and '"aws.backup"' in pattern:
            return passed(f"EventBridge rule {event_rule.address}")
    return failed("no notification or EventBridge rule reports failed backup jobs",
                  at="notification_events")


@rule(
    code="DR003",
    controls=("3.6.2.a.2", "3.6.2.a.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Run at least two cluster instances in different availability zones (a writer and a
        reader Aurora fails over to), or use Aurora Serverless / a Multi-AZ DB cluster.
    """,
    snippets={
        "terraform": """
            resource "aws_rds_cluster_instance" "records" {
              count              = 2
              cluster_identifier = aws_rds_cluster.records.id
              instance_class     = "db.r6g.large"
              engine             = aws_rds_cluster.records.engine
            }
        """,
        "cloudformation": """
            RecordsReader:
              Type: AWS::RDS::DBInstance
              Properties:
                DBClusterIdentifier: !Ref RecordsCluster
                DBInstanceClass: db.r6g.large
                Engine: aurora-postgresql
        """,
    },
)
def database_cluster_can_fail_over(db: DatabaseInstance, inventory: Inventory) -> Verdict:
    """Database clusters have an instance to fail over to.

    Why: an Aurora cluster with a single instance has nothing to promote when that
    instance or its availability zone fails; recovery means creating a new instance
    while the application is down. Counts the cluster's instances in the scan.
    """
    if not db.is_cluster:
        return not_applicable("not a cluster")
    mode = db.engine_mode
    if isinstance(mode, str) and mode == "serverless":
        return passed("Aurora Serverless v1 fails over by itself")
    names = {db.address}
    if isinstance(db.name, str):
        names.add(db.name)
    members = 0
    unknown_: Unknown | None = None
    for other in inventory.of(DatabaseInstance):
        if not other.member_of_cluster:
            continue
        cluster = other.cluster
        if isinstance(cluster, Unknown):
            unknown_ = cluster
        elif isinstance(cluster, str) and (cluster in names or cluster.startswith(
                tuple(f"{n}." for n in names))):
            members += 1
    if members >= 2:
        return passed(f"{members} instances")
    if unknown_ is not None:
        return unknown(f"an instance's cluster is not known: {unknown_.reason}")
    if members == 1:
        return failed("the cluster has a single instance: nothing to fail over to")
    return not_applicable("no instance of the cluster in this scan")


@rule(
    code="DR004",
    controls=("3.6.2.a.2", "3.6.1.a.4"),
    severity=Severity.MEDIUM,
    remediation="Set `deletion_protection_enabled = true`.",
    snippets={
        "terraform": "deletion_protection_enabled = true",
        "cloudformation": "DeletionProtectionEnabled: true",
    },
)
def table_deletion_protection(table: DynamoDbTable) -> Verdict:
    """DynamoDB tables are protected against deletion.

    Why: a mistaken `terraform destroy` or stolen credentials can delete a table, and
    with it its point-in-time recovery history, in one call.
    """
    if not table.deletion_protection:
        return failed("deletion protection is off", at="deletion_protection")
    return passed()
