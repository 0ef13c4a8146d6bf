"""CloudTrail (regional): trails, their logging status, event selectors and validation.

Fills CloudTrail. Each trail is collected in its home region only (a
multi-region trail is listed in every region as a shadow trail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import CloudTrail
from tutela.model.values import Unknown

SERVICE = "cloudtrail"
SCOPE = "regional"
TYPES = (CloudTrail,)


def collect(c: Collector) -> Sequence[Job]:
    ct = c.client()
    trails = c.listing(ct, "describe_trails", "trailList", TYPES, includeShadowTrails=False)
    for t in trails or ():
        home = t.get("HomeRegion")
        if home and home != c.region:
            continue
        c.emit(_trail(c, ct, t))
    return ()


def _events(selectors: Mapping[str, Any] | None) -> tuple[bool, bool]:
    """(management events, data events) from GetEventSelectors."""
    if not selectors:
        return True, False
    advanced = selectors.get("AdvancedEventSelectors") or []
    if advanced:
        management = False
        data = False
        for sel in advanced:
            for f in sel.get("FieldSelectors", []) or ():
                if f.get("Field") == "eventCategory":
                    values = f.get("Equals", []) or []
                    management = management or "Management" in values
                    data = data or "Data" in values
        return management, data
    basic = selectors.get("EventSelectors") or []
    if not basic:
        return True, False
    management = any(s.get("IncludeManagementEvents", True) for s in basic)
    data = any(s.get("DataResources") for s in basic)
    return management, data


def _trail(c: Collector, ct: Any, t: Mapping[str, Any]) -> CloudTrail:
    arn = str(t.get("TrailARN"))
    name = str(t.get("Name"))
    status = c.call(ct, "get_trail_status", resource=arn, Name=arn)
    logging: bool | Unknown = (status if isinstance(status, Unknown)
                               else bool((status or {}).get("IsLogging", False)))
    selectors = c.call(ct, "get_event_selectors", resource=arn, TrailName=arn)
    management: bool | Unknown
    data: bool | Unknown
    if isinstance(selectors, Unknown):
        management = data = selectors
    else:
        management, data = _events(selectors)
    return CloudTrail(
        **c.base(arn, "AWS::CloudTrail::Trail", name=name),
        multi_region=bool(t.get("IsMultiRegionTrail", False)),
        log_file_validation=bool(t.get("LogFileValidationEnabled", False)),
        kms_key=t.get("KmsKeyId"),
        logging_enabled=logging,
        include_global_events=bool(t.get("IncludeGlobalServiceEvents", False)),
        management_events=management,
        data_events=data,
        cloudwatch_logs_group=t.get("CloudWatchLogsLogGroupArn"),
        s3_bucket=t.get("S3BucketName"),
    )
