"""What every service collector uses: calls that record gaps, pagination, placeholders, fan-out.

A service module defines `SERVICE` (the name `--services` takes), `SCOPE`
(`"regional"` or `"global"`), `TYPES` (the model types it fills) and
`collect(c: Collector) -> Sequence[Job]`, which lists the service's resources
in `c.region`, emits model resources and returns follow-up jobs for the
per-resource detail calls (`c.fan_out`).

Calls go through `Collector.call` / `Collector.pages`, which return the answer,
`None` when the service answered with one of the `absent` error codes (the
documented "no such configuration": a bucket without a policy), or an
`Unknown("not collected: ...")` after recording a coverage gap. When a
*listing* call fails (`Collector.listing`), the service's resources in that
region are unknown: the collector emits one placeholder per model type, every
field Unknown, so each rule over that type says "not evaluated" for that
service and region instead of seeing no resources.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any, TypeVar

from tutela.collectors.aws.gaps import Failure, GapRecorder, classify, not_collected
from tutela.collectors.aws.pool import Job
from tutela.collectors.aws.session import GLOBAL, AwsSession
from tutela.model.base import SOURCE_AWS, Resource
from tutela.model.policy import PolicyDocument
from tutela.model.values import Unknown

PLACEHOLDER_TYPE = "tutela:not-listed"
DEFAULT_CHUNK = 25
_BASE_FIELDS = frozenset({
    "address", "native_type", "source", "location", "field_locations", "arn", "region", "name",
})

Answer = dict[str, Any] | None | Unknown
T = TypeVar("T")


@dataclass
class Run:
    """State shared by every job of one collection."""

    session: AwsSession
    regions: list[str] = field(default_factory=list)
    gaps: GapRecorder = field(default_factory=GapRecorder)
    chunk: int = DEFAULT_CHUNK
    resources: list[Resource] = field(default_factory=list)
    listed_failed: set[tuple[str, str]] = field(default_factory=set)
    listed_ok: set[tuple[str, str]] = field(default_factory=set)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def emit(self, service: str, region: str, items: Iterable[Resource]) -> None:
        items = list(items)
        real = sum(1 for r in items if r.native_type != PLACEHOLDER_TYPE)
        with self._lock:
            self.resources.extend(items)
            key = (service, region)
            self.counts[key] = self.counts.get(key, 0) + real

    def failed_listing(self, service: str, region: str) -> None:
        with self._lock:
            self.listed_failed.add((service, region))

    def listed(self, service: str, region: str) -> None:
        with self._lock:
            self.listed_ok.add((service, region))

    def nothing_listed(self, key: tuple[str, str]) -> bool:
        """Every listing of (service, region) failed."""
        return key in self.listed_failed and key not in self.listed_ok


class Collector:
    """One service in one region (`global` for global services)."""

    def __init__(self, run: Run, service: str, region: str) -> None:
        self.run = run
        self.service = service
        self.region = region

    # --- identity ----------------------------------------------------------------------------

    @property
    def session(self) -> AwsSession:
        return self.run.session

    @property
    def account(self) -> str:
        return self.run.session.account_id

    @property
    def partition(self) -> str:
        return self.run.session.partition

    @property
    def api_region(self) -> str:
        return self.session.home_region if self.region == GLOBAL else self.region

    def arn(self, service: str, resource: str, *, region: str | None = None,
            account: str | None = None) -> str:
        reg = self.api_region if region is None else region
        acct = self.account if account is None else account
        return f"arn:{self.partition}:{service}:{reg}:{acct}:{resource}"

    def client(self, name: str | None = None, region: str | None = None) -> Any:
        return self.session.client(name or self.service, region or self.region)

    # --- calls -------------------------------------------------------------------------------

    @staticmethod
    def call_name(client: Any, operation: str) -> str:
        meta = client.meta
        api = meta.method_to_api_mapping.get(operation, operation)
        return f"{meta.service_model.endpoint_prefix}:{api}"

    def _failed(self, client: Any, operation: str, exc: BaseException,
                resource: str | None) -> Unknown:
        failure: Failure = classify(exc)
        call = self.call_name(client, operation)
        self.run.gaps.record(self.service, self.region, call, failure, resource)
        return not_collected(call, failure)

    def call(self, client: Any, operation: str, *, absent: Sequence[str] = (),
             resource: str | None = None, **params: Any) -> Answer:
        """One API call: the answer, None for an `absent` error code, or Unknown (gap recorded)."""
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

        try:
            answer: dict[str, Any] = getattr(client, operation)(**params)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in absent:
                return None
            return self._failed(client, operation, exc, resource)
        except BotoCoreError as exc:
            return self._failed(client, operation, exc, resource)
        return answer

    def page_list(
        self, client: Any, operation: str, *, absent: Sequence[str] = (),
        resource: str | None = None, **params: Any,
    ) -> list[dict[str, Any]] | Unknown | None:
        """Every page of a call (the paginator when the client has one, else the one answer)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if client.can_paginate(operation):
                return list(client.get_paginator(operation).paginate(**params))
            return [getattr(client, operation)(**params)]
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in absent:
                return None
            return self._failed(client, operation, exc, resource)
        except BotoCoreError as exc:
            return self._failed(client, operation, exc, resource)

    def pages(self, client: Any, operation: str, key: str, *, absent: Sequence[str] = (),
              resource: str | None = None, **params: Any) -> list[Any] | Unknown | None:
        """Every item under `key` across all pages."""
        found = self.page_list(client, operation, absent=absent, resource=resource, **params)
        if found is None or isinstance(found, Unknown):
            return found
        return [item for page in found for item in _dig(page, key)]

    def listing(self, client: Any, operation: str, key: str,
                types: Sequence[type[Resource]], **params: Any) -> list[Any] | None:
        """A listing call; when it fails, placeholders for `types` stand for what is unknown."""
        items = self.pages(client, operation, key, **params)
        if isinstance(items, Unknown):
            self.not_listed(items, types)
            return None
        self.run.listed(self.service, self.region)
        return items or []

    def not_listed(self, unknown: Unknown, types: Sequence[type[Resource]]) -> None:
        """The service's resources here could not be listed: placeholders for `types`."""
        self.run.failed_listing(self.service, self.region)
        self.emit(*(self.placeholder(t, unknown) for t in types))

    # --- resources -----------------------------------------------------------------------

    def emit(self, *resources: Resource) -> None:
        self.run.emit(self.service, self.region, resources)

    def base(self, arn: str, native_type: str, *, name: str | None = None,
             tags: Mapping[str, str] | Unknown | None = None,
             region: str | Unknown | None = None) -> dict[str, Any]:
        """The fields every live resource shares: the ARN is its address."""
        return {
            "address": arn,
            "arn": arn,
            "native_type": native_type,
            "source": SOURCE_AWS,
            "region": region or self.api_region,
            "name": name,
            "tags": {} if tags is None else tags,
        }

    def placeholder(self, cls: type[Resource], unknown: Unknown) -> Resource:
        """All of `cls` in this service and region, not listed: every field Unknown.

        A field holding a nested setting (`encryption: Encryption`) gets that setting with
        every field Unknown, so rules reach an Unknown (not evaluated) rather than an
        attribute error.
        """
        values = _unknown_fields(cls, unknown, skip=_BASE_FIELDS)
        values["tags"] = unknown
        return cls(
            address=f"{self.service}:{self.region}:{cls.kind}:*",
            native_type=PLACEHOLDER_TYPE,
            source=SOURCE_AWS,
            region=self.region,
            name=f"every {cls.kind} in {self.region} (not listed)",
            **values,
        )

    def fan_out(self, items: Sequence[T], work: Callable[[Collector, Sequence[T]], None],
                label: str) -> list[Job]:
        """Follow-up jobs, each handling a chunk of `items` with `work` (same service/region)."""
        size = max(1, self.run.chunk)
        jobs: list[Job] = []
        for start in range(0, len(items), size):
            chunk = items[start:start + size]

            def run(chunk: Sequence[T] = chunk) -> Sequence[Job]:
                work(Collector(self.run, self.service, self.region), chunk)
                return ()

            jobs.append(Job(self.service, self.region, f"{label} {start + 1}-{start + len(chunk)}",
                            run))
        return jobs


def _unknown_fields(cls: type[Any], unknown: Unknown,
                    skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in fields(cls):
        if not f.init or f.name in skip:
            continue
        nested = _nested_dataclass(hints.get(f.name))
        out[f.name] = unknown if nested is None else nested(**_unknown_fields(nested, unknown))
    return out


def _nested_dataclass(hint: Any) -> type[Any] | None:
    """The dataclass a field holds, when Unknown is not itself allowed there."""
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if Unknown in options:
        return None
    for option in options:
        if isinstance(option, type) and is_dataclass(option):
            return option
    return None


def _dig(answer: Mapping[str, Any], key: str) -> list[Any]:
    value: Any = answer
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return []
        value = value.get(part)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# --- small converters shared by the services ------------------------------------------------


def tag_map(items: Any, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """`[{"Key": k, "Value": v}]` (or a plain mapping) -> `{k: v}`."""
    if isinstance(items, Mapping):
        return {str(k): str(v) for k, v in items.items()}
    out: dict[str, str] = {}
    for item in items or ():
        if isinstance(item, Mapping) and key in item:
            out[str(item[key])] = str(item.get(value, ""))
    return out


def when(value: Any) -> datetime | None:
    """A datetime from the API (boto3 parses timestamps), else None."""
    return value if isinstance(value, datetime) else None


def known(value: T | Unknown | None, default: T) -> T | Unknown:
    """`value` unless it is None (Unknown stays Unknown)."""
    return default if value is None else value


def document(value: Any, what: str = "policy") -> PolicyDocument | Unknown | None:
    """A policy document as the APIs return it: a dict, JSON text, or URL-encoded JSON text."""
    from urllib.parse import unquote

    from tutela.model.policy import PolicyParseError, parse_policy

    if isinstance(value, str) and value.lstrip().startswith("%7B"):
        value = unquote(value)
    try:
        return parse_policy(value)
    except PolicyParseError as exc:
        return Unknown(f"{what} could not be read: {exc}")
