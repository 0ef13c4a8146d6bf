"""The catalog as an OSCAL 1.1 catalog (JSON), for auditors and GRC tools.

Layout: one group per area (3.1 ... 3.7), nested groups per section (3.1.1)
and per bullet group (3.1.1.a), one control per requirement with id
`<policy>-<requirement id>` (`eng-pol-003-3.3.1.a.3`). Each control carries
its text as the `statement` part, the standard `label` prop, and tutela
props (namespace `TUTELA_NS`) for owners (`responsible-role`, value = the
metadata role id, class `inferred` where the policy does not say),
`cadence`, `verification` and every section-4 `framework-reference`.

Output is deterministic: the document uuid is a uuid5 of the content and
`last-modified` is a parameter with a fixed default, so the same catalog
always gives the same bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from tutela.catalog.model import Catalog, Requirement

__all__ = [
    "DEFAULT_LAST_MODIFIED",
    "OSCAL_VERSION",
    "TUTELA_NS",
    "catalog_to_oscal",
    "control_id",
    "dump_oscal",
]

OSCAL_VERSION = "1.1.2"
TUTELA_NS = "https://tutela.dev/ns/oscal"
DEFAULT_LAST_MODIFIED = "1970-01-01T00:00:00Z"
"""Used unless a time is given, so exports are reproducible (cf. SOURCE_DATE_EPOCH=0)."""

_UUID_NAMESPACE = uuid.UUID("6f1c3d52-8a4e-5b7e-9c1d-2e0f4a6b8c9d")
_TOKEN_START = re.compile(r"^[A-Za-z_]")


def _token(text: str) -> str:
    token = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-").lower()
    return token if _TOKEN_START.match(token) else f"p-{token}"


def control_id(catalog: Catalog, requirement_id: str) -> str:
    """The OSCAL id of a requirement: `eng-pol-003-3.3.1.a.3`."""
    return f"{_token(catalog.policy_id)}-{requirement_id}"


def _prop(
    name: str, value: str, *, ns: bool = True, cls: str | None = None, remarks: str | None = None
) -> dict[str, str]:
    prop: dict[str, str] = {"name": name}
    if ns:
        prop["ns"] = TUTELA_NS
    prop["value"] = " ".join(value.split())
    if cls:
        prop["class"] = _token(cls)
    if remarks:
        prop["remarks"] = remarks
    return prop


def _title(req: Requirement) -> str:
    """A short control title: the requirement's subject ("Full disk encryption")."""
    subject = re.split(r"\s+shall\s+", req.text, maxsplit=1)[0].strip()
    if 0 < len(subject) <= 120 and subject != req.text:
        return subject
    return f"{req.group_title} ({req.item})"


def _control(catalog: Catalog, req: Requirement, roles: dict[str, str]) -> dict[str, Any]:
    cid = control_id(catalog, req.id)
    props: list[dict[str, str]] = [_prop("label", req.id, ns=False)]
    props.append(_prop("policy-line", str(req.line)))
    for owner in req.owners:
        props.append(
            _prop(
                "responsible-role",
                roles.get(owner.role, _token(owner.role)),
                cls="inferred" if owner.inferred else "stated",
                remarks=f"{owner.role}: {owner.basis}",
            )
        )
    cadence = req.cadence
    cadence_remarks = [f"phrase: {cadence.phrase}"] if cadence.phrase else []
    if cadence.trigger:
        cadence_remarks.append(f"trigger: {cadence.trigger}")
    props.append(_prop("cadence", cadence.kind.value, remarks="; ".join(cadence_remarks) or None))
    if cadence.interval_days is not None:
        props.append(_prop("cadence-interval-days", str(cadence.interval_days)))
    props.append(
        _prop("verification", req.verification.kind.value, remarks=req.verification.rationale)
    )
    for ref in req.references:
        version = f" {ref.version}" if ref.version else ""
        title = f" - {ref.title}" if ref.title else ""
        props.append(
            _prop(
                "framework-reference",
                ref.control,
                cls=ref.framework,
                remarks=(
                    f"{ref.framework_name}{version} {ref.control}{title} "
                    f"(section 4 row, scope {ref.scope}, policy line {ref.line})"
                ),
            )
        )
    return {
        "id": cid,
        "class": "requirement",
        "title": _title(req),
        "props": props,
        "parts": [{"id": f"{cid}_smt", "name": "statement", "prose": req.text}],
    }


def catalog_to_oscal(
    catalog: Catalog,
    *,
    last_modified: datetime | str = DEFAULT_LAST_MODIFIED,
    version: str | None = None,
) -> dict[str, Any]:
    """The OSCAL catalog document (a dict ready for `json.dumps`)."""
    if isinstance(last_modified, datetime):
        moment = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        last_modified = moment.isoformat().replace("+00:00", "Z")
    prefix = _token(catalog.policy_id)
    roles = {role.name: _token(role.name) for role in catalog.roles}
    by_group: dict[str, list[Requirement]] = {}
    for req in catalog.requirements:
        by_group.setdefault(req.group_id, []).append(req)

    groups: list[dict[str, Any]] = []
    for area in catalog.areas:
        section_groups: list[dict[str, Any]] = []
        for section in area.sections:
            bullet_groups = [
                {
                    "id": f"{prefix}-{group.id}",
                    "class": "group",
                    "title": group.title,
                    "props": [_prop("label", group.id, ns=False)],
                    "controls": [
                        _control(catalog, req, roles) for req in by_group.get(group.id, [])
                    ],
                }
                for group in section.groups
            ]
            section_groups.append(
                {
                    "id": f"{prefix}-{section.id}",
                    "class": "section",
                    "title": section.title,
                    "props": [_prop("label", section.id, ns=False)],
                    "groups": bullet_groups,
                }
            )
        groups.append(
            {
                "id": f"{prefix}-{area.id}",
                "class": "area",
                "title": area.title,
                "props": [_prop("label", area.id, ns=False)],
                "groups": section_groups,
            }
        )

    metadata: dict[str, Any] = {
        "title": catalog.title,
        "last-modified": last_modified,
        "version": version
        or (f"sha256-{catalog.source_sha256[:16]}" if catalog.source_sha256 else "unversioned"),
        "oscal-version": OSCAL_VERSION,
        "props": [_prop("policy-id", catalog.policy_id)],
        "roles": [
            {"id": roles[role.name], "title": role.name, "description": role.responsibility}
            for role in catalog.roles
        ],
        "remarks": (
            f"Generated by tutela from {catalog.source or 'the policy'}. "
            "Owners marked 'inferred' are "
            "derived from section 6; framework references reproduce section 4 as written "
            "(see `tutela catalog lint` for known problems)."
        ),
    }
    body: dict[str, Any] = {"metadata": metadata, "groups": groups}
    digest = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    document_uuid = uuid.uuid5(_UUID_NAMESPACE, digest)
    return {"catalog": {"uuid": str(document_uuid), **body}}


def dump_oscal(
    catalog: Catalog,
    *,
    last_modified: datetime | str = DEFAULT_LAST_MODIFIED,
    version: str | None = None,
) -> str:
    """The OSCAL catalog as JSON text (two-space indented, trailing newline)."""
    document = catalog_to_oscal(catalog, last_modified=last_modified, version=version)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
