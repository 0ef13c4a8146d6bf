"""DynamoDB (regional): tables with encryption, point-in-time recovery and deletion protection.

Fills DynamoDbTable.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import DynamoDbTable, Encryption
from tutela.model.values import Unknown

SERVICE = "dynamodb"
SCOPE = "regional"
TYPES = (DynamoDbTable,)


def collect(c: Collector) -> Sequence[Job]:
    return c.fan_out(c.listing(c.client(), "list_tables", "TableNames", TYPES) or [],
                     _tables, "tables")


def _tables(c: Collector, names: Sequence[str]) -> None:
    ddb = c.client()
    for name in names:
        arn = c.arn("dynamodb", f"table/{name}")
        answer = c.call(ddb, "describe_table", resource=arn, TableName=name)
        backups = c.call(ddb, "describe_continuous_backups", resource=arn, TableName=name)
        pitr: bool | Unknown
        if isinstance(backups, Unknown):
            pitr = backups
        else:
            desc = ((backups or {}).get("ContinuousBackupsDescription") or {})
            pitr = ((desc.get("PointInTimeRecoveryDescription") or {})
                    .get("PointInTimeRecoveryStatus") == "ENABLED")
        if isinstance(answer, Unknown):
            c.emit(DynamoDbTable(**c.base(arn, "AWS::DynamoDB::Table", name=name),
                                 encryption=Encryption(enabled=True, algorithm=answer,
                                                       kms_key=answer),
                                 point_in_time_recovery=pitr, deletion_protection=answer))
            continue
        table = (answer or {}).get("Table") or {}
        sse = table.get("SSEDescription") or {}
        if sse.get("Status") in ("ENABLED", "ENABLING", "UPDATING"):
            enc = Encryption(enabled=True, algorithm=str(sse.get("SSEType", "KMS")),
                             kms_key=sse.get("KMSMasterKeyArn"))
        else:
            enc = Encryption(enabled=True, algorithm="AWS_OWNED")
        c.emit(DynamoDbTable(
            **c.base(str(table.get("TableArn") or arn), "AWS::DynamoDB::Table", name=name),
            encryption=enc,
            point_in_time_recovery=pitr,
            deletion_protection=bool(table.get("DeletionProtectionEnabled", False)),
        ))
