"""GuardDuty (regional): detectors and whether they are enabled.

Fills GuardDutyDetector.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import GuardDutyDetector
from tutela.model.values import Unknown

SERVICE = "guardduty"
SCOPE = "regional"
TYPES = (GuardDutyDetector,)


def collect(c: Collector) -> Sequence[Job]:
    gd = c.client()
    for detector_id in c.listing(gd, "list_detectors", "DetectorIds", TYPES) or ():
        did = str(detector_id)
        arn = c.arn("guardduty", f"detector/{did}")
        answer = c.call(gd, "get_detector", resource=arn, DetectorId=did)
        enabled: bool | Unknown = (answer if isinstance(answer, Unknown)
                                   else (answer or {}).get("Status") == "ENABLED")
        tags = {} if isinstance(answer, Unknown) else tag_map((answer or {}).get("Tags") or {})
        c.emit(GuardDutyDetector(**c.base(arn, "AWS::GuardDuty::Detector", name=did, tags=tags),
                                 enabled=enabled))
    return ()
