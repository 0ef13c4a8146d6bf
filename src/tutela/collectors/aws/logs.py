"""CloudWatch Logs and alarms (regional): log groups, metric filters, metric alarms.

Fills LogGroup (retention, KMS key), MetricFilter and MetricAlarm.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import LogGroup, MetricAlarm, MetricFilter

SERVICE = "logs"
SCOPE = "regional"
TYPES = (LogGroup, MetricFilter, MetricAlarm)


def _group_arn(arn: str) -> str:
    return arn[:-2] if arn.endswith(":*") else arn


def collect(c: Collector) -> Sequence[Job]:
    logs = c.client()
    for g in c.listing(logs, "describe_log_groups", "logGroups", (LogGroup,)) or ():
        name = str(g.get("logGroupName"))
        arn = _group_arn(str(g.get("arn") or c.arn("logs", f"log-group:{name}")))
        c.emit(LogGroup(
            **c.base(arn, "AWS::Logs::LogGroup", name=name),
            retention_days=g.get("retentionInDays"),
            kms_key=g.get("kmsKeyId"),
        ))
    for f in c.listing(logs, "describe_metric_filters", "metricFilters", (MetricFilter,)) or ():
        name = str(f.get("filterName"))
        group = str(f.get("logGroupName"))
        transforms = f.get("metricTransformations") or [{}]
        c.emit(MetricFilter(
            **c.base(c.arn("logs", f"log-group:{group}:metric-filter:{name}"),
                     "AWS::Logs::MetricFilter", name=name),
            log_group=group,
            pattern=f.get("filterPattern"),
            metric_name=transforms[0].get("metricName"),
            metric_namespace=transforms[0].get("metricNamespace"),
        ))
    cw = c.client("cloudwatch")
    for a in c.listing(cw, "describe_alarms", "MetricAlarms", (MetricAlarm,)) or ():
        name = str(a.get("AlarmName"))
        c.emit(MetricAlarm(
            **c.base(str(a.get("AlarmArn") or c.arn("cloudwatch", f"alarm:{name}")),
                     "AWS::CloudWatch::Alarm", name=name),
            metric_name=a.get("MetricName"),
            metric_namespace=a.get("Namespace"),
            actions_enabled=bool(a.get("ActionsEnabled", True)),
            alarm_actions=tuple(str(x) for x in a.get("AlarmActions", []) or ()),
        ))
    return ()
