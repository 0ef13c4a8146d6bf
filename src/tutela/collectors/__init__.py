"""Live inventories -> the normalized model.

Collectors read a cloud account through its APIs and fill the same model types
the IaC sources fill, so one rule judges both. `tutela.collectors.aws` is the
only package that imports boto3 (lazily: nothing here imports it).

This module holds the provider-neutral record of what a collection could and
could not see: a `CoverageGap` per call that failed for a reason other than
"no such resource", and a `ServiceCoverage` per (service, region). Reports show
them so that a denied API call never looks like "no resources".
"""

from __future__ import annotations

from dataclasses import dataclass

# Coverage statuses of one (service, region).
COMPLETE = "complete"  # every call answered
PARTIAL = "partial"  # resources listed, some of their details not collected
FAILED = "failed"  # the resources could not even be listed
SKIPPED = "skipped"  # not collected at all (e.g. an opt-in region that is disabled)
COVERAGE_STATUSES = (COMPLETE, PARTIAL, FAILED, SKIPPED)


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """One API call (kind) that did not give its data.

    - `call`: the API action, IAM style (`s3:GetBucketEncryption`).
    - `reason`: why, in words: `access denied`, `not implemented by the endpoint`,
      `region not enabled`, `timeout`, `endpoint unreachable`, `error: ...`.
    - `error_code`: the service's error code (`AccessDenied`) or the exception name.
    - `count`: how many calls failed this way; `example`: one affected resource.
    """

    service: str
    region: str
    call: str
    reason: str
    error_code: str = ""
    count: int = 1
    example: str | None = None

    @property
    def text(self) -> str:
        code = f" ({self.error_code})" if self.error_code and self.error_code != self.reason else ""
        times = f" x{self.count}" if self.count > 1 else ""
        return f"{self.call} in {self.region}: {self.reason}{code}{times}"


@dataclass(frozen=True, slots=True)
class ServiceCoverage:
    """What was collected for one service in one region (`global` for global services)."""

    service: str
    region: str
    status: str
    resources: int = 0
    api_calls: int = 0
    gaps: tuple[CoverageGap, ...] = ()


def coverage_status(gaps: tuple[CoverageGap, ...], *, listed: bool, skipped: bool = False) -> str:
    """The status of one (service, region) from its gaps and whether its listing succeeded."""
    if skipped:
        return SKIPPED
    if not listed:
        return FAILED
    return PARTIAL if gaps else COMPLETE
