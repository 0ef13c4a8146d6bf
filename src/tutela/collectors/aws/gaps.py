"""Coverage gaps: every API call that failed, classified, aggregated and turned into Unknown.

A failed call is never "no resources" and never a default value: the
collector records a `CoverageGap` (service, region, call, reason, error code)
and puts `Unknown("not collected: <call> <reason>")` in the fields that call
would have filled, so the rules report "not evaluated" for those resources.

Endpoints that do not implement an API are recognised too: a local emulator
answers such calls with an HTML error page (HTTP 404 or 500) instead of an AWS
error document, which botocore reports either as a ClientError whose code is
the bare status, or as a ResponseParserError.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from tutela.collectors import CoverageGap
from tutela.model.values import Unknown

ACCESS_DENIED = "access denied"
NOT_IMPLEMENTED = "not implemented by the endpoint"
REGION_DISABLED = "region not enabled"
TIMEOUT = "timeout"
UNREACHABLE = "endpoint unreachable"
THROTTLED = "throttled (retries exhausted)"

_DENIED_CODES = frozenset({
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
    "403",
})
_OPT_IN_CODES = frozenset({"OptInRequired", "InvalidClientTokenId", "UnrecognizedClientException"})
_NOT_IMPLEMENTED_CODES = frozenset({
    "NotImplemented",
    "NotImplementedError",
    "NotImplementedException",
    "UnsupportedOperation",
    "UnsupportedOperationException",
    "InvalidAction",
    "UnknownOperationException",
})
_THROTTLING_CODES = frozenset({
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
})
_HTML_STATUSES = frozenset({404, 405, 500, 501})


@dataclass(frozen=True, slots=True)
class Failure:
    """A classified failure: `reason` in words, `error_code` as the service or botocore said it."""

    reason: str
    error_code: str


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or "<title>" in head


def classify(exc: BaseException) -> Failure:
    """Why a botocore call failed (never raises; unknown exceptions become `error: ...`)."""
    from botocore.exceptions import (  # type: ignore[import-untyped]
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        ReadTimeoutError,
    )
    from botocore.parsers import ResponseParserError  # type: ignore[import-untyped]

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {}) or {}
        code = str(error.get("Code", "") or "")
        message = str(error.get("Message", "") or "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in _DENIED_CODES:
            return Failure(ACCESS_DENIED, code)
        if code in _OPT_IN_CODES:
            return Failure(REGION_DISABLED, code)
        if code in _NOT_IMPLEMENTED_CODES or status == 501:
            return Failure(NOT_IMPLEMENTED, code or str(status))
        if status in _HTML_STATUSES and (_looks_like_html(message) or code == str(status)):
            return Failure(NOT_IMPLEMENTED, code or str(status))
        if code in _THROTTLING_CODES:
            return Failure(THROTTLED, code)
        return Failure(f"error: {message or code}"[:200], code)
    if isinstance(exc, ResponseParserError):
        text = str(exc)
        if "500" in text or "404" in text or "doctype html" in text.lower():
            return Failure(NOT_IMPLEMENTED, "ResponseParserError")
        return Failure("error: unparsable response", "ResponseParserError")
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        return Failure(TIMEOUT, type(exc).__name__)
    if isinstance(exc, EndpointConnectionError):
        return Failure(UNREACHABLE, type(exc).__name__)
    return Failure(f"error: {type(exc).__name__}: {exc}"[:200], type(exc).__name__)


def not_collected(call: str, failure: Failure) -> Unknown:
    """The Unknown put in every field that `call` would have filled."""
    code = f" ({failure.error_code})" if failure.error_code else ""
    return Unknown(f"not collected: {call} {failure.reason}{code}")


class GapRecorder:
    """Thread-safe aggregation of gaps by (service, region, call, reason, error code)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gaps: dict[tuple[str, str, str, str, str], CoverageGap] = {}

    def record(
        self, service: str, region: str, call: str, failure: Failure, example: str | None = None
    ) -> None:
        key = (service, region, call, failure.reason, failure.error_code)
        with self._lock:
            known = self._gaps.get(key)
            if known is None:
                self._gaps[key] = CoverageGap(
                    service, region, call, failure.reason, failure.error_code, 1, example
                )
            else:
                self._gaps[key] = CoverageGap(
                    service,
                    region,
                    call,
                    failure.reason,
                    failure.error_code,
                    known.count + 1,
                    known.example or example,
                )

    def add(self, gaps: Iterable[CoverageGap]) -> None:
        with self._lock:
            for g in gaps:
                self._gaps[(g.service, g.region, g.call, g.reason, g.error_code)] = g

    def all(self) -> tuple[CoverageGap, ...]:
        with self._lock:
            return tuple(sorted(self._gaps.values(), key=lambda g: (g.service, g.region, g.call)))
