"""The auditor pack: every report, the snapshots and the evidence files in one ZIP.

Layout:

    manifest.json                    what is inside, with SHA-256 and size of each item
    reports/report.html              the HTML report
    reports/scan.json                the JSON report (schema v1)
    reports/scan.sarif               SARIF 2.1.0
    reports/assessment-results.json  OSCAL assessment results
    reports/poam.json                OSCAL plan of action and milestones
    reports/findings.ocsf.jsonl      OCSF detection and compliance findings
    snapshots/<name>                 the cloud snapshot(s) the scan judged, if any
    evidence/<record id>/<file>      evidence attachments (the OSCAL observations link here)

The archive is reproducible: members are written in a fixed order with the
report time as their timestamp, so the same inputs give the same bytes. It
is written to a temporary file beside the target and renamed into place, so
an interrupted run never leaves a truncated pack behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from tutela.reports.audit import AuditInputs, catalog_version, iso_utc

__all__ = ["BUNDLE_FORMAT", "BundleItem", "EvidenceFile", "bundle_items", "write_bundle"]

BUNDLE_FORMAT = "tutela-bundle/1"
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class BundleItem:
    """One member of the pack."""

    path: str
    kind: str
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """An evidence attachment to include: where it goes in the pack, where it is on disk,
    and the SHA-256 recorded for it (checked against the file)."""

    record_id: str
    name: str
    source: Path
    sha256: str | None = None


def _safe_part(text: str) -> str:
    """One path component: no separators, no `..`, never empty."""
    cleaned = "".join("_" if c in '/\\:*?"<>|\0' else c for c in text).strip().strip(".")
    return cleaned or "_"


def bundle_items(
    inputs: AuditInputs,
    *,
    snapshots: Sequence[tuple[str, bytes]] = (),
    evidence_files: Sequence[EvidenceFile] = (),
) -> tuple[list[BundleItem], list[dict[str, str]]]:
    """The members of the pack (without the manifest) and the problems met (missing or
    altered evidence files), which the manifest lists rather than hides."""
    from tutela.reports import render
    from tutela.reports.html import render_html
    from tutela.reports.ocsf import render_ocsf
    from tutela.reports.oscal_ar import render_oscal_ar, render_poam

    result, ctx = inputs.result, inputs.ctx
    items = [
        BundleItem("reports/report.html", "html", render_html(inputs).encode()),
        BundleItem("reports/scan.json", "json", render("json", result, ctx).encode()),
        BundleItem("reports/scan.sarif", "sarif", render("sarif", result, ctx).encode()),
        BundleItem(
            "reports/assessment-results.json",
            "oscal-assessment-results",
            render_oscal_ar(inputs).encode(),
        ),
        BundleItem("reports/poam.json", "oscal-poam", render_poam(inputs).encode()),
        BundleItem("reports/findings.ocsf.jsonl", "ocsf", render_ocsf(inputs).encode()),
    ]
    seen = {item.path for item in items}
    for name, data in snapshots:
        path = f"snapshots/{_safe_part(name)}"
        if path not in seen:
            seen.add(path)
            items.append(BundleItem(path, "snapshot", data))
    problems: list[dict[str, str]] = []
    for ev in sorted(evidence_files, key=lambda e: (e.record_id, e.name)):
        path = f"evidence/{_safe_part(ev.record_id)}/{_safe_part(ev.name)}"
        if path in seen:
            continue
        try:
            data = ev.source.read_bytes()
        except OSError as exc:
            problems.append({"path": path, "problem": f"missing: {exc.strerror or exc}"})
            continue
        digest = hashlib.sha256(data).hexdigest()
        if ev.sha256 and digest != ev.sha256:
            problems.append(
                {
                    "path": path,
                    "problem": f"SHA-256 {digest} differs from the recorded {ev.sha256}",
                }
            )
        seen.add(path)
        items.append(BundleItem(path, "evidence", data))
    return items, problems


def manifest(
    inputs: AuditInputs, items: Sequence[BundleItem], problems: Sequence[dict[str, str]] = ()
) -> dict[str, Any]:
    catalog = inputs.catalog
    return {
        "format": BUNDLE_FORMAT,
        "generated_at": iso_utc(inputs.generated_at),
        "tool": {"name": "tutela", "version": inputs.ctx.tool_version},
        "catalog": {
            "policy_id": catalog.policy_id,
            "title": catalog.title,
            "version": catalog_version(catalog),
            "source_sha256": catalog.source_sha256,
        },
        "scan": {"id": inputs.scan_id, "targets": list(inputs.result.targets)},
        "items": [
            {"path": i.path, "kind": i.kind, "size": i.size, "sha256": i.sha256} for i in items
        ],
        "problems": list(problems),
    }


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    t = moment.astimezone(UTC) if moment.tzinfo else moment
    if t.year < 1980:  # the ZIP format starts in 1980
        return (1980, 1, 1, 0, 0, 0)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def write_bundle(
    out: Path,
    inputs: AuditInputs,
    *,
    snapshots: Sequence[tuple[str, bytes]] = (),
    evidence_files: Sequence[EvidenceFile] = (),
) -> dict[str, Any]:
    """Write the pack to `out` (atomically) and return its manifest."""
    items, problems = bundle_items(inputs, snapshots=snapshots, evidence_files=evidence_files)
    document = manifest(inputs, items, problems)
    manifest_bytes = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    stamp = _zip_time(inputs.generated_at)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for path, data in [(MANIFEST, manifest_bytes)] + [(i.path, i.data) for i in items]:
                assert not PurePosixPath(path).is_absolute() and ".." not in path.split("/")
                info = zipfile.ZipInfo(path, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return document
