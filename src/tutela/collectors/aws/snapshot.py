"""The snapshot: a collected inventory as hashed JSON evidence that re-evaluates offline.

    {
      "format": "tutela.aws-snapshot", "format_version": 1,
      "account_id": "...", "partition": "aws", "caller_arn": "...",
      "regions": [...], "regions_disabled": [...], "services": [...],
      "collected_at": "2026-...Z", "duration_seconds": 1.2,
      "tool": {"name": "tutela", "version": "..."}, "catalog": {"policy_id": ..., ...},
      "api_calls": {"total": N, "clients": N, "by_operation": [...]},
      "coverage": [{"service", "region", "status", "resources", "api_calls"}],
      "gaps": [{"service", "region", "call", "reason", "error_code", "count", "example"}],
      "resources": [{"$type": "aws.S3Bucket", "address": ..., ...}],
      "sha256": "<hex>"
    }

`sha256` is the SHA-256 of the canonical JSON (sorted keys, no whitespace,
UTF-8) of every other key. Loading a snapshot whose hash does not match (or
that has none) still works but returns a warning, which `tutela scan` shows.

Resources use a generic codec for the model's dataclasses: each object is
tagged with its type (`"$type": "aws.S3Bucket"`, `"policy.Statement"`), tuples
become arrays, and the values JSON cannot hold are tagged too:
`{"$unknown": reason}`, `{"$ref": target, "attribute": ...}`,
`{"$datetime": iso}`, and `{"$map": {...}}` for a mapping with `$`-keys.
Decoding gives objects equal to the ones encoded. Only model types can be
named by `$type`: a snapshot cannot make the loader build anything else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from tutela.collectors import CoverageGap, ServiceCoverage
from tutela.errors import TutelaError
from tutela.model.base import Resource
from tutela.model.values import PartialString, Reference, Unknown

FORMAT = "tutela.aws-snapshot"
FORMAT_VERSION = 1
_MARKER = re.compile(r'"format"\s*:\s*"tutela\.aws-snapshot"')


class SnapshotError(TutelaError):
    """A file that is not a readable snapshot."""


# --- the codec --------------------------------------------------------------------------------


def _model_modules() -> list[ModuleType]:
    from tutela.model import aws, base, container, kubernetes, policy, values

    return [aws, base, container, kubernetes, policy, values]


_REGISTRY: dict[str, type[Any]] = {}
_NAMES: dict[type[Any], str] = {}


def _registry() -> dict[str, type[Any]]:
    if not _REGISTRY:
        for module in _model_modules():
            short = module.__name__.rsplit(".", 1)[-1]
            for value in vars(module).values():
                if (isinstance(value, type) and is_dataclass(value)
                        and value.__module__ == module.__name__):
                    tag = f"{short}.{value.__name__}"
                    _REGISTRY[tag] = value
                    _NAMES[value] = tag
    return _REGISTRY


def _type_tag(cls: type[Any]) -> str:
    _registry()
    tag = _NAMES.get(cls)
    if tag is None:
        raise SnapshotError(f"{cls.__module__}.{cls.__qualname__} is not a model type")
    return tag


def encode(value: Any) -> Any:
    """A model value as JSON-ready data (see the module docstring)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, PartialString):
        return {"$unknown": value.reason, "template": value.template}
    if isinstance(value, Unknown):
        return {"$unknown": value.reason}
    if isinstance(value, Reference):
        return {"$ref": value.target, "attribute": value.attribute}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"$type": _type_tag(type(value))}
        for f in fields(value):
            if not f.init:
                continue
            item = getattr(value, f.name)
            if f.name == "field_locations" and not item:
                continue
            if f.name == "location" and item is None:
                continue
            out[f.name] = encode(item)
        return out
    if isinstance(value, Mapping):
        body = {str(k): encode(v) for k, v in value.items()}
        if any(k.startswith("$") for k in body):
            return {"$map": body}
        return body
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    raise SnapshotError(f"cannot encode a {type(value).__name__} in a snapshot")


def decode(data: Any) -> Any:
    """The inverse of `encode`."""
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return tuple(decode(v) for v in data)
    if not isinstance(data, dict):
        raise SnapshotError(f"unexpected JSON value {data!r}")
    if "$unknown" in data:
        return Unknown(str(data["$unknown"]))
    if "$ref" in data:
        attribute = data.get("attribute")
        return Reference(str(data["$ref"]), None if attribute is None else str(attribute))
    if "$datetime" in data:
        try:
            return datetime.fromisoformat(str(data["$datetime"]))
        except ValueError as exc:
            raise SnapshotError(f"bad datetime {data['$datetime']!r}") from exc
    if "$map" in data:
        body = data["$map"]
        if not isinstance(body, dict):
            raise SnapshotError("$map must hold an object")
        return {k: decode(v) for k, v in body.items()}
    if "$type" in data:
        tag = str(data["$type"])
        cls = _registry().get(tag)
        if cls is None:
            raise SnapshotError(f"unknown model type {tag!r}")
        known = {f.name for f in fields(cls) if f.init}
        kwargs: dict[str, Any] = {}
        for k, v in data.items():
            if k == "$type":
                continue
            if k not in known:
                raise SnapshotError(f"{tag} has no field {k!r}")
            kwargs[k] = decode(v)
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise SnapshotError(f"cannot build {tag}: {exc}") from exc
    return {k: decode(v) for k, v in data.items()}


# --- the document -----------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A collection, as written to or read from a snapshot file."""

    account_id: str
    regions: tuple[str, ...]
    services: tuple[str, ...]
    collected_at: datetime
    resources: tuple[Resource, ...]
    coverage: tuple[ServiceCoverage, ...] = ()
    partition: str = "aws"
    caller_arn: str = ""
    regions_disabled: tuple[str, ...] = ()
    duration_seconds: float = 0.0
    tool: Mapping[str, str] = field(default_factory=dict)
    catalog: Mapping[str, Any] = field(default_factory=dict)
    api_calls: Mapping[str, Any] = field(default_factory=dict)

    @property
    def gaps(self) -> tuple[CoverageGap, ...]:
        return tuple(g for c in self.coverage for g in c.gaps)


def _gap_record(g: CoverageGap) -> dict[str, Any]:
    return {"service": g.service, "region": g.region, "call": g.call, "reason": g.reason,
            "error_code": g.error_code, "count": g.count, "example": g.example}


def canonical_digest(doc: Mapping[str, Any]) -> str:
    """SHA-256 over every key but `sha256`, as canonical JSON."""
    body = {k: v for k, v in doc.items() if k != "sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_document(snap: Snapshot) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "account_id": snap.account_id,
        "partition": snap.partition,
        "caller_arn": snap.caller_arn,
        "regions": list(snap.regions),
        "regions_disabled": list(snap.regions_disabled),
        "services": list(snap.services),
        "collected_at": snap.collected_at.isoformat(),
        "duration_seconds": round(snap.duration_seconds, 3),
        "tool": dict(snap.tool),
        "catalog": dict(snap.catalog),
        "api_calls": dict(snap.api_calls),
        "coverage": [
            {"service": c.service, "region": c.region, "status": c.status,
             "resources": c.resources, "api_calls": c.api_calls}
            for c in snap.coverage
        ],
        "gaps": [_gap_record(g) for g in snap.gaps],
        "resources": [encode(r) for r in snap.resources],
    }
    doc["sha256"] = canonical_digest(doc)
    return doc


def dumps(snap: Snapshot) -> str:
    return json.dumps(to_document(snap), indent=1, ensure_ascii=False) + "\n"


def write_snapshot(snap: Snapshot, path: Path) -> str:
    """Write `snap` to `path`; returns its SHA-256."""
    doc = to_document(snap)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(doc["sha256"])


def looks_like_snapshot(text: str) -> bool:
    """True for a JSON document carrying the snapshot format marker."""
    head = text.lstrip()[:4096]
    if not head.startswith("{"):
        return False
    return bool(_MARKER.search(head) or _MARKER.search(text))


@dataclass
class Loaded:
    snapshot: Snapshot
    sha256: str
    warnings: tuple[str, ...] = ()


def _require(doc: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = doc.get(key)
    if not isinstance(value, kind):
        raise SnapshotError(f"snapshot field {key!r} is missing or malformed")
    return value


def from_document(doc: Any, *, origin: str = "<snapshot>") -> Loaded:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SnapshotError(f"{origin}: not a tutela AWS snapshot")
    version = doc.get("format_version")
    if version != FORMAT_VERSION:
        raise SnapshotError(f"{origin}: snapshot format version {version!r} is not supported "
                            f"(this tutela reads version {FORMAT_VERSION})")
    warnings: list[str] = []
    digest = canonical_digest(doc)
    stated = doc.get("sha256")
    if not isinstance(stated, str):
        warnings.append(f"{origin}: the snapshot has no SHA-256; its integrity cannot be checked")
    elif stated.lower() != digest:
        warnings.append(f"{origin}: SHA-256 mismatch, the snapshot was modified after collection "
                        f"(recorded {stated[:16]}..., content {digest[:16]}...)")
    raw_resources = _require(doc, "resources", list)
    resources: list[Resource] = []
    for i, item in enumerate(raw_resources):
        try:
            value = decode(item)
        except SnapshotError as exc:
            raise SnapshotError(f"{origin}: resources[{i}]: {exc}") from exc
        if not isinstance(value, Resource):
            raise SnapshotError(f"{origin}: resources[{i}] is not a resource")
        resources.append(value)
    gaps_by_key: dict[tuple[str, str], list[CoverageGap]] = {}
    for g in doc.get("gaps") or []:
        if not isinstance(g, dict):
            raise SnapshotError(f"{origin}: malformed gap {g!r}")
        gap = CoverageGap(str(g.get("service", "")), str(g.get("region", "")),
                          str(g.get("call", "")), str(g.get("reason", "")),
                          str(g.get("error_code", "")), int(g.get("count", 1) or 1),
                          None if g.get("example") is None else str(g["example"]))
        gaps_by_key.setdefault((gap.service, gap.region), []).append(gap)
    coverage = []
    for c in doc.get("coverage") or []:
        if not isinstance(c, dict):
            raise SnapshotError(f"{origin}: malformed coverage entry {c!r}")
        key = (str(c.get("service", "")), str(c.get("region", "")))
        coverage.append(ServiceCoverage(key[0], key[1], str(c.get("status", "")),
                                        int(c.get("resources", 0) or 0),
                                        int(c.get("api_calls", 0) or 0),
                                        tuple(gaps_by_key.get(key, ()))))
    try:
        collected = datetime.fromisoformat(str(doc.get("collected_at")))
    except ValueError as exc:
        raise SnapshotError(f"{origin}: bad collected_at") from exc
    snap = Snapshot(
        account_id=str(doc.get("account_id", "")),
        regions=tuple(str(r) for r in doc.get("regions") or ()),
        services=tuple(str(s) for s in doc.get("services") or ()),
        collected_at=collected,
        resources=tuple(resources),
        coverage=tuple(coverage),
        partition=str(doc.get("partition", "aws")),
        caller_arn=str(doc.get("caller_arn", "")),
        regions_disabled=tuple(str(r) for r in doc.get("regions_disabled") or ()),
        duration_seconds=float(doc.get("duration_seconds", 0.0) or 0.0),
        tool=dict(doc.get("tool") or {}),
        catalog=dict(doc.get("catalog") or {}),
        api_calls=dict(doc.get("api_calls") or {}),
    )
    return Loaded(snap, digest, tuple(warnings))


def load_snapshot(path: Path, *, origin: str | None = None) -> Loaded:
    """Read a snapshot file; a tampered one loads with a warning, a broken one raises."""
    where = origin or str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SnapshotError(f"{where}: cannot read: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{where}: not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    return from_document(doc, origin=where)


def summary(snapshots: Sequence[Snapshot]) -> str:
    """A one-line description for notes."""
    parts = [f"account {s.account_id} collected {s.collected_at.isoformat()}" for s in snapshots]
    return "; ".join(parts)


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "Loaded",
    "Snapshot",
    "SnapshotError",
    "decode",
    "dumps",
    "encode",
    "from_document",
    "load_snapshot",
    "looks_like_snapshot",
    "to_document",
    "write_snapshot",
]
