"""RDS (regional): DB instances and clusters, DB (cluster) snapshots.

Fills DatabaseInstance (instances, clusters with `is_cluster`, cluster members
with `member_of_cluster`) and Snapshot (`rds` and `rds-cluster`, with public
restore permission from the snapshot attributes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import DatabaseInstance, Encryption, Snapshot
from tutela.model.values import Unknown

SERVICE = "rds"
SCOPE = "regional"
TYPES = (DatabaseInstance, Snapshot)


def collect(c: Collector) -> Sequence[Job]:
    rds = c.client()
    clusters = c.listing(rds, "describe_db_clusters", "DBClusters", (DatabaseInstance,))
    cluster_retention: dict[str, Any] = {}
    for cl in clusters or ():
        cid = str(cl.get("DBClusterIdentifier"))
        cluster_retention[cid] = cl.get("BackupRetentionPeriod")
        c.emit(DatabaseInstance(
            **c.base(str(cl.get("DBClusterArn")), "AWS::RDS::DBCluster", name=cid,
                     tags=tag_map(cl.get("TagList"))),
            engine=cl.get("Engine"),
            is_cluster=True,
            storage_encryption=Encryption(enabled=bool(cl.get("StorageEncrypted", False)),
                                          kms_key=cl.get("KmsKeyId")),
            publicly_accessible=bool(cl.get("PubliclyAccessible", False)),
            backup_retention_days=cl.get("BackupRetentionPeriod"),
            multi_az=bool(cl.get("MultiAZ", False)),
            deletion_protection=bool(cl.get("DeletionProtection", False)),
            iam_authentication=bool(cl.get("IAMDatabaseAuthenticationEnabled", False)),
            auto_minor_version_upgrade=bool(cl.get("AutoMinorVersionUpgrade", True)),
            log_exports=tuple(cl.get("EnabledCloudwatchLogsExports", []) or ()),
            engine_mode=cl.get("EngineMode", "provisioned"),
        ))
    instances = c.listing(rds, "describe_db_instances", "DBInstances", (DatabaseInstance,))
    for db in instances or ():
        c.emit(_instance(c, db, cluster_retention, clusters is None))
    jobs: list[Job] = []
    snaps = c.listing(rds, "describe_db_snapshots", "DBSnapshots", (Snapshot,))
    jobs += c.fan_out([("rds", s) for s in snaps or ()], _snapshots, "RDS snapshots")
    csnaps = c.listing(rds, "describe_db_cluster_snapshots", "DBClusterSnapshots", (Snapshot,))
    jobs += c.fan_out([("rds-cluster", s) for s in csnaps or ()], _snapshots,
                      "RDS cluster snapshots")
    return jobs


def _instance(c: Collector, db: Mapping[str, Any], cluster_retention: Mapping[str, Any],
              clusters_unknown: bool) -> DatabaseInstance:
    cluster = db.get("DBClusterIdentifier")
    retention: Any = db.get("BackupRetentionPeriod")
    if cluster:
        if clusters_unknown:
            retention = Unknown("not collected: rds:DescribeDBClusters failed")
        else:
            retention = cluster_retention.get(str(cluster), retention)
    return DatabaseInstance(
        **c.base(str(db.get("DBInstanceArn")), "AWS::RDS::DBInstance",
                 name=str(db.get("DBInstanceIdentifier")), tags=tag_map(db.get("TagList"))),
        engine=db.get("Engine"),
        storage_encryption=Encryption(enabled=bool(db.get("StorageEncrypted", False)),
                                      kms_key=db.get("KmsKeyId")),
        publicly_accessible=bool(db.get("PubliclyAccessible", False)),
        backup_retention_days=retention,
        multi_az=bool(db.get("MultiAZ", False)),
        deletion_protection=bool(db.get("DeletionProtection", False)),
        iam_authentication=bool(db.get("IAMDatabaseAuthenticationEnabled", False)),
        auto_minor_version_upgrade=bool(db.get("AutoMinorVersionUpgrade", True)),
        log_exports=tuple(db.get("EnabledCloudwatchLogsExports", []) or ()),
        member_of_cluster=bool(cluster),
    )


def _snapshots(c: Collector, chunk: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    rds = c.client()
    for kind, s in chunk:
        if kind == "rds":
            sid = str(s.get("DBSnapshotIdentifier"))
            arn = str(s.get("DBSnapshotArn"))
            answer = c.call(rds, "describe_db_snapshot_attributes", resource=arn,
                            DBSnapshotIdentifier=sid)
            key = "DBSnapshotAttributesResult"
            native = "AWS::RDS::DBSnapshot"
        else:
            sid = str(s.get("DBClusterSnapshotIdentifier"))
            arn = str(s.get("DBClusterSnapshotArn"))
            answer = c.call(rds, "describe_db_cluster_snapshot_attributes", resource=arn,
                            DBClusterSnapshotIdentifier=sid)
            key = "DBClusterSnapshotAttributesResult"
            native = "AWS::RDS::DBClusterSnapshot"
        public: bool | Unknown
        if isinstance(answer, Unknown):
            public = answer
        else:
            attributes = ((answer or {}).get(key) or {}).get(
                "DBSnapshotAttributes" if kind == "rds" else "DBClusterSnapshotAttributes", [])
            public = any(a.get("AttributeName") == "restore"
                         and "all" in (a.get("AttributeValues") or ())
                         for a in attributes or ())
        encrypted = s.get("Encrypted", s.get("StorageEncrypted", False))
        c.emit(Snapshot(
            **c.base(arn, native, name=sid, tags=tag_map(s.get("TagList"))),
            snapshot_type=kind,
            encrypted=bool(encrypted),
            public=public,
        ))
