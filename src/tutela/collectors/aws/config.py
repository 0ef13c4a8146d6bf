"""AWS Config (regional): configuration recorders and whether they are recording.

Fills ConfigRecorder.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import ConfigRecorder
from tutela.model.values import Unknown

SERVICE = "config"
SCOPE = "regional"
TYPES = (ConfigRecorder,)


def collect(c: Collector) -> Sequence[Job]:
    cfg = c.client()
    recorders = c.listing(cfg, "describe_configuration_recorders", "ConfigurationRecorders", TYPES)
    if not recorders:
        return ()
    status = c.pages(cfg, "describe_configuration_recorder_status",
                     "ConfigurationRecordersStatus")
    recording: dict[str, bool] = {}
    if not isinstance(status, Unknown):
        recording = {str(s.get("name")): bool(s.get("recording", False)) for s in status or ()}
    for r in recorders:
        name = str(r.get("name"))
        group = r.get("recordingGroup") or {}
        state: bool | Unknown = status if isinstance(status, Unknown) else recording.get(
            name, False)
        c.emit(ConfigRecorder(
            **c.base(str(r.get("arn") or c.arn("config", f"config-recorder/{name}")),
                     "AWS::Config::ConfigurationRecorder", name=name),
            all_supported=bool(group.get("allSupported", False)),
            include_global_resources=bool(group.get("includeGlobalResourceTypes", False)),
            recording=state,
        ))
    return ()
