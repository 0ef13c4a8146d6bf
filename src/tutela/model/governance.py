"""Objects about the scan itself rather than the infrastructure."""

from __future__ import annotations

from dataclasses import dataclass

from tutela.model.base import Resource


@dataclass(frozen=True, slots=True, kw_only=True)
class InlineSuppression(Resource):
    """A `tutela:ignore` comment found in a scanned file."""

    kind = "inline_suppression"
    provider = "tutela"

    codes: tuple[str, ...] = ()
    reason: str = ""
