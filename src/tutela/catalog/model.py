"""The policy as data: typed, frozen models of an ENG-POL-003-style catalog.

A `Catalog` is what `tutela.catalog.importer` makes from the policy markdown
and what `tutela.catalog.loader` reads from and writes to YAML. Every model is
frozen and forbids unknown keys, so a hand-edited catalog file with a typo in
a key is rejected instead of silently ignored.

Requirement ids are `<section>.<group letter>.<item>`: `3.3.1.a.3` is section
3.3.1, first bullet group, third bullet. Fully qualified ids prefix the policy
id: `ENG-POL-003:3.3.1.a.3`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from tutela.errors import UnknownRequirementError

CATALOG_FORMAT = "tutela-catalog/1"
"""The `format` marker of catalog files; bumped when the file layout changes incompatibly."""

REQUIREMENT_ID_PATTERN = r"^\d+(?:\.\d+)+\.[a-z]\.\d+$"
_REQUIREMENT_ID = re.compile(REQUIREMENT_ID_PATTERN)

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
RequirementId = Annotated[str, StringConstraints(pattern=REQUIREMENT_ID_PATTERN)]
FrameworkKey = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")]
Line = Annotated[int, Field(ge=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CadenceKind(StrEnum):
    """How often a requirement must be met or re-verified."""

    CONTINUOUS = "continuous"
    """No interval stated: the requirement holds at all times."""
    ON_CHANGE = "on_change"
    """Before a change is deployed or merged."""
    ON_EVENT = "on_event"
    """When something happens (termination, a disaster-recovery activation...)."""
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"


CADENCE_INTERVAL_DAYS: dict[CadenceKind, int] = {
    CadenceKind.DAILY: 1,
    CadenceKind.WEEKLY: 7,
    CadenceKind.MONTHLY: 30,
    CadenceKind.QUARTERLY: 91,
    CadenceKind.SEMIANNUAL: 182,
    CadenceKind.ANNUAL: 365,
}
"""Interval in days of the periodic cadence kinds."""


class Cadence(_Model):
    """A cadence as the policy states it (`phrase` is the matched text)."""

    kind: CadenceKind
    interval_days: int | None = Field(default=None, ge=1)
    phrase: str | None = None
    trigger: str | None = None
    """What else starts the activity ("when significant security threats are identified")."""


class VerificationKind(StrEnum):
    """How a requirement is verified."""

    AUTOMATED = "automated"
    """A configuration state that rules can check in IaC or cloud APIs."""
    EVIDENCE = "evidence"
    """A procedure, document or activity: verified by recorded evidence."""
    HYBRID = "hybrid"
    """Both a checkable configuration state and a process that needs evidence."""


class Verification(_Model):
    kind: VerificationKind
    rationale: NonEmpty
    """Why: names the cue(s) in the requirement text that decided the kind."""


class OwnerAssignment(_Model):
    """A section-6 role made responsible for a requirement."""

    role: NonEmpty
    inferred: bool = True
    """True when the policy does not name the role for this requirement itself."""
    basis: NonEmpty


class FrameworkReference(_Model):
    """One control of an external framework that a section-4 row maps to a requirement."""

    framework: FrameworkKey
    """Short key used on the command line: HITRUST, HIPAA, SOC2, NIST, CIS..."""
    framework_name: NonEmpty
    """The framework as the policy names it, without the version ("HITRUST CSF")."""
    version: str | None = None
    """The version as the policy states it ("v11.2.0"), None when it states none."""
    control: NonEmpty
    """The control id ("06.a", "45 CFR § 164.308(a)(1)", "CC6.1", "PR.AC", "4")."""
    title: str | None = None
    scope: NonEmpty
    """The row's "Policy Section" cell as written ("All", "3.1", "3.1.2")."""
    line: Line
    """Line of the section-4 row in the policy."""

    @property
    def label(self) -> str:
        return f"{self.framework} {self.control}"


class MappingRow(_Model):
    """A raw section-4 row, kept as written so lint can point at it."""

    scope: NonEmpty
    framework: NonEmpty
    control: NonEmpty
    line: Line
    text: NonEmpty
    """The markdown row itself."""


class Role(_Model):
    """A section-6 role and its responsibility text."""

    name: NonEmpty
    responsibility: NonEmpty
    line: Line


class Group(_Model):
    """A bullet group of a section ("Data at Rest Encryption" is group `3.3.1.a`)."""

    id: NonEmpty
    letter: Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
    title: NonEmpty
    line: Line


class Section(_Model):
    """A numbered subsection (3.3.1) with its bullet groups."""

    id: NonEmpty
    title: NonEmpty
    line: Line
    groups: tuple[Group, ...]


class Area(_Model):
    """A policy area (3.3 "Data Protection and Encryption") with its sections."""

    id: NonEmpty
    title: NonEmpty
    line: Line
    sections: tuple[Section, ...]


class Requirement(_Model):
    """One bullet of the policy: the unit that rules and evidence verify."""

    id: RequirementId
    text: NonEmpty
    line: Line
    area: NonEmpty
    area_title: NonEmpty
    section: NonEmpty
    section_title: NonEmpty
    group: Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
    group_title: NonEmpty
    item: Annotated[int, Field(ge=1)]
    owners: tuple[OwnerAssignment, ...] = Field(min_length=1)
    cadence: Cadence
    verification: Verification
    references: tuple[FrameworkReference, ...]

    @property
    def group_id(self) -> str:
        return f"{self.section}.{self.group}"

    def references_to(self, framework: str) -> tuple[FrameworkReference, ...]:
        key = framework_key(framework)
        return tuple(ref for ref in self.references if ref.framework == key)


class Catalog(_Model):
    """A policy turned into data."""

    format: str = CATALOG_FORMAT
    policy_id: NonEmpty
    title: NonEmpty
    source: str | None = None
    """File name of the policy the catalog was generated from."""
    source_sha256: str | None = None
    areas: tuple[Area, ...]
    requirements: tuple[Requirement, ...]
    roles: tuple[Role, ...]
    mapping: tuple[MappingRow, ...]
    """The section-4 rows as written."""

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        seen: set[str] = set()
        for req in self.requirements:
            if req.id in seen:
                raise ValueError(f"requirement {req.id} appears twice")
            seen.add(req.id)
            expected = f"{req.section}.{req.group}.{req.item}"
            if req.id != expected:
                raise ValueError(f"requirement {req.id} has section/group/item of {expected}")
            if not req.section.startswith(req.area + "."):
                raise ValueError(
                    f"requirement {req.id}: section {req.section} is not in area {req.area}"
                )
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(req.id for req in self.requirements)

    def qualified(self, requirement_id: str) -> str:
        """`ENG-POL-003:3.3.1.a.3`."""
        return f"{self.policy_id}:{requirement_id}"

    def get(self, requirement_id: str) -> Requirement:
        """The requirement with this id (bare or policy-qualified).

        Raises `UnknownRequirementError` naming the id and the closest ids.
        """
        wanted = requirement_id.strip()
        prefix = f"{self.policy_id}:"
        if wanted.upper().startswith(prefix.upper()):
            wanted = wanted[len(prefix) :]
        for req in self.requirements:
            if req.id == wanted:
                return req
        close = difflib.get_close_matches(wanted, self.ids, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UnknownRequirementError(
            f"unknown requirement {requirement_id!r} in {self.policy_id}{hint}"
        )

    def __contains__(self, requirement_id: object) -> bool:
        return isinstance(requirement_id, str) and any(
            req.id == requirement_id for req in self.requirements
        )

    def select(self, prefix: str) -> tuple[Requirement, ...]:
        """Requirements whose id is `prefix` or lies under it ("3.3", "3.3.1", "3.3.1.a")."""
        prefix = prefix.strip().rstrip(".")
        return tuple(
            req for req in self.requirements if req.id == prefix or req.id.startswith(prefix + ".")
        )

    def frameworks(self) -> tuple[str, ...]:
        """Framework keys referenced by the catalog, in order of first appearance."""
        seen: dict[str, None] = {}
        for req in self.requirements:
            for ref in req.references:
                seen.setdefault(ref.framework, None)
        return tuple(seen)

    def sections(self) -> Iterator[Section]:
        for area in self.areas:
            yield from area.sections

    def role(self, name: str) -> Role | None:
        return next((role for role in self.roles if role.name == name), None)


KNOWN_FRAMEWORKS: dict[str, tuple[str, ...]] = {
    "HITRUST": ("HITRUST",),
    "HIPAA": ("HIPAA",),
    "SOC2": ("SOC2", "SOC 2", "SOC-2", "AICPA TSC", "TRUST SERVICES CRITERIA"),
    "NIST": ("NIST CSF", "NIST CYBERSECURITY FRAMEWORK"),
    "CIS": ("CIS",),
}
"""Framework keys and the prefixes of policy framework names that map to them."""


def framework_key(text: str) -> str:
    """The short key of a framework name or key, case-insensitively.

    "SOC 2", "soc2" and "SOC 2 Trust Services Criteria" give "SOC2"; "HITRUST
    CSF v11.2.0" gives "HITRUST". An unknown framework gets a key made of its
    name's letters and digits ("ISO/IEC 27001" gives "ISOIEC27001").
    """
    upper = " ".join(text.upper().split())
    compact = re.sub(r"[^A-Z0-9]", "", upper)
    for key, prefixes in KNOWN_FRAMEWORKS.items():
        if compact == key:
            return key
        for prefix in prefixes:
            if upper == prefix or upper.startswith(prefix + " "):
                return key
    if not compact[:1].isalpha():
        compact = "F" + compact
    return compact


def is_requirement_id(text: str) -> bool:
    return bool(_REQUIREMENT_ID.match(text))
