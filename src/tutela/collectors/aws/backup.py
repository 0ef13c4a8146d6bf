"""AWS Backup (regional): plans with their rules and selections, vaults with lock settings.

Fills BackupPlan (rules with schedule, retention and copy destinations; selections)
and BackupVault (KMS key, vault lock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import BackupPlan, BackupRule, BackupVault
from tutela.model.values import Unknown

SERVICE = "backup"
SCOPE = "regional"
TYPES = (BackupPlan, BackupVault)


def collect(c: Collector) -> Sequence[Job]:
    bk = c.client()
    for v in c.listing(bk, "list_backup_vaults", "BackupVaultList", (BackupVault,)) or ():
        name = str(v.get("BackupVaultName"))
        c.emit(BackupVault(
            **c.base(str(v.get("BackupVaultArn") or c.arn("backup", f"backup-vault:{name}")),
                     "AWS::Backup::BackupVault", name=name),
            kms_key=v.get("EncryptionKeyArn"),
            locked=bool(v.get("Locked", False)),
            min_retention_days=v.get("MinRetentionDays"),
        ))
    plans = c.listing(bk, "list_backup_plans", "BackupPlansList", (BackupPlan,))
    return c.fan_out(plans or [], _plans, "backup plans")


def _rule(r: Mapping[str, Any], i: int) -> BackupRule:
    life = r.get("Lifecycle") or {}
    return BackupRule(
        name=str(r.get("RuleName", f"rule-{i}")),
        schedule=r.get("ScheduleExpression"),
        retention_days=life.get("DeleteAfterDays"),
        copy_destinations=tuple(str(a.get("DestinationBackupVaultArn"))
                                for a in r.get("CopyActions", []) or ()),
        path=f"rules[{i}]",
    )


def _plans(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    bk = c.client()
    for p in chunk:
        pid = str(p.get("BackupPlanId"))
        arn = str(p.get("BackupPlanArn") or c.arn("backup", f"backup-plan:{pid}"))
        answer = c.call(bk, "get_backup_plan", resource=arn, BackupPlanId=pid)
        rules: tuple[BackupRule, ...] | Unknown
        if isinstance(answer, Unknown):
            rules = answer
        else:
            raw = ((answer or {}).get("BackupPlan") or {}).get("Rules", []) or []
            rules = tuple(_rule(r, i) for i, r in enumerate(raw))
        selections = c.pages(bk, "list_backup_selections", "BackupSelectionsList",
                             resource=arn, BackupPlanId=pid)
        c.emit(BackupPlan(
            **c.base(arn, "AWS::Backup::BackupPlan", name=str(p.get("BackupPlanName") or pid)),
            rules=rules,
            selections=(selections if isinstance(selections, Unknown)
                        else tuple(str(s.get("SelectionName")) for s in selections or ())),
        ))
