"""Catalog lint: problems in the policy's section-4 mapping, reported, never fixed.

The catalog keeps the policy's mapping as written; `lint_catalog` says where
it cannot be right or is likely wrong, each finding pointing at the
section-4 row (line and text) it comes from:

- MAP001 HITRUST CSF control categories run 00–13: "15.b" or "16.c" cannot exist;
- MAP002 a HITRUST reference not shaped like a CSF control ("06.a");
- MAP003 SOC 2 A1.1 (capacity) mapped to backup and recovery requirements,
  which usually map to A1.2 / A1.3;
- MAP004 NIST CSF 1.1 categories that CSF 2.0 renamed or moved (PR.AC, PR.PT...);
- MAP005 a SOC 2 reference that is not a 2017 Trust Services Criterion;
- MAP006 a CIS Controls number outside v8's 1–18;
- MAP007 a HIPAA reference that is not a 45 CFR § 164 citation;
- MAP008 a row that adds nothing (every requirement it reaches already has
  that control from another row);
- MAP009 requirements that no section-4 row reaches beyond the "All" rows.

Findings are data; only the CLI prints them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from tutela.catalog.model import Catalog, FrameworkReference, MappingRow, Requirement

__all__ = ["LintFinding", "Severity", "lint_catalog"]


class Severity(StrEnum):
    ERROR = "error"
    """The reference cannot be valid."""
    WARNING = "warning"
    """The reference is probably wrong or ambiguous."""
    INFO = "info"
    """Worth knowing; nothing is wrong with the reference itself."""


class LintFinding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    message: str
    line: int | None
    """Policy line: the section-4 row, else the requirement or section concerned."""
    row: str | None = None
    """The section-4 row as written, when the finding comes from one."""
    framework: str | None = None
    control: str | None = None
    requirements: tuple[str, ...] = ()
    """Requirement ids the finding concerns."""


HITRUST_CATEGORIES = range(0, 14)
_HITRUST_ID = re.compile(r"^(?P<category>\d{1,2})\.(?P<objective>[a-z])$")

SOC2_CRITERIA = frozenset(
    [f"CC1.{n}" for n in range(1, 6)]
    + [f"CC2.{n}" for n in range(1, 4)]
    + [f"CC3.{n}" for n in range(1, 5)]
    + [f"CC4.{n}" for n in range(1, 3)]
    + [f"CC5.{n}" for n in range(1, 4)]
    + [f"CC6.{n}" for n in range(1, 9)]
    + [f"CC7.{n}" for n in range(1, 6)]
    + [f"CC8.{n}" for n in range(1, 2)]
    + [f"CC9.{n}" for n in range(1, 3)]
    + [f"A1.{n}" for n in range(1, 4)]
    + [f"C1.{n}" for n in range(1, 3)]
    + [f"PI1.{n}" for n in range(1, 6)]
    + ["P1.1"]
    + [f"P2.{n}" for n in range(1, 2)]
    + [f"P3.{n}" for n in range(1, 3)]
    + [f"P4.{n}" for n in range(1, 4)]
    + [f"P5.{n}" for n in range(1, 3)]
    + [f"P6.{n}" for n in range(1, 8)]
    + [f"P7.{n}" for n in range(1, 2)]
    + [f"P8.{n}" for n in range(1, 2)]
)
"""AICPA 2017 Trust Services Criteria (revised points of focus 2022)."""

NIST_CSF_1_1_RENAMED: dict[str, tuple[str, str]] = {
    "ID.BE": ("Business Environment", "GV.OC"),
    "ID.GV": ("Governance", "GV.OC, GV.PO, GV.RR"),
    "ID.RM": ("Risk Management Strategy", "GV.RM"),
    "ID.SC": ("Supply Chain Risk Management", "GV.SC"),
    "PR.AC": ("Identity Management and Access Control", "PR.AA (and PR.IR for network integrity)"),
    "PR.IP": ("Information Protection Processes and Procedures", "PR.PS, PR.IR, ID.IM"),
    "PR.MA": ("Maintenance", "PR.PS"),
    "PR.PT": ("Protective Technology", "PR.PS, PR.IR"),
    "DE.DP": ("Detection Processes", "DE.AE, ID.IM"),
    "RS.RP": ("Response Planning", "RS.MA"),
    "RS.IM": ("Improvements", "ID.IM"),
    "RC.IM": ("Improvements", "ID.IM"),
}
"""NIST CSF 1.1 categories that CSF 2.0 (February 2024) renamed, split or moved."""

_HIPAA_CITATION = re.compile(r"^45\s+CFR\s+§+\s*164\.\d{3}(?:\([a-z0-9]+\))*$", re.IGNORECASE)
_BACKUP_TOPIC = re.compile(
    r"\bbackups?\b|\brecovery\b|\bdisaster\b|\brestor\w*|\bfailover\b", re.IGNORECASE
)


def lint_catalog(catalog: Catalog) -> tuple[LintFinding, ...]:
    """Every finding about the catalog's mapping, ordered by policy line."""
    by_row: dict[int, list[tuple[Requirement, FrameworkReference]]] = defaultdict(list)
    for req in catalog.requirements:
        for ref in req.references:
            by_row[ref.line].append((req, ref))

    findings: list[LintFinding] = []
    for row in catalog.mapping:
        reached = by_row.get(row.line, [])
        references = _unique_refs(ref for _req, ref in reached)
        for ref in references:
            findings.extend(_check_reference(row, ref, [req for req, r in reached if r == ref]))
    findings.extend(_redundant_rows(catalog, by_row))
    findings.extend(_unmapped(catalog))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: (f.line or 0, order[f.severity], f.code, f.control or ""))
    return tuple(findings)


def _unique_refs(refs: Iterable[FrameworkReference]) -> list[FrameworkReference]:
    unique: list[FrameworkReference] = []
    for ref in refs:
        if ref not in unique:
            unique.append(ref)
    return unique


def _finding(
    code: str,
    severity: Severity,
    message: str,
    row: MappingRow,
    ref: FrameworkReference,
    requirements: Iterable[Requirement] = (),
) -> LintFinding:
    return LintFinding(
        code=code,
        severity=severity,
        message=message,
        line=row.line,
        row=row.text,
        framework=ref.framework,
        control=ref.control,
        requirements=tuple(req.id for req in requirements),
    )


def _named(ref: FrameworkReference) -> str:
    version = f" {ref.version}" if ref.version else ""
    return f"{ref.framework_name}{version}"


def _check_reference(
    row: MappingRow, ref: FrameworkReference, reached: list[Requirement]
) -> list[LintFinding]:
    findings: list[LintFinding] = []
    if ref.framework == "HITRUST":
        match = _HITRUST_ID.match(ref.control)
        if match is None:
            findings.append(
                _finding(
                    "MAP002",
                    Severity.WARNING,
                    f"'{ref.control}' is not shaped like a HITRUST CSF control reference "
                    "(category number, dot, objective letter: '06.a')",
                    row,
                    ref,
                    reached,
                )
            )
        elif int(match.group("category")) not in HITRUST_CATEGORIES:
            findings.append(
                _finding(
                    "MAP001",
                    Severity.ERROR,
                    f"HITRUST '{ref.control}' cannot exist: {_named(ref)} control categories run "
                    f"00–13, and '{ref.control}' is in category {match.group('category')}"
                    + (f" (row titles it '{ref.title}')" if ref.title else ""),
                    row,
                    ref,
                    reached,
                )
            )
    elif ref.framework == "SOC2":
        control = ref.control.upper().replace(" ", "")
        if control not in SOC2_CRITERIA:
            findings.append(
                _finding(
                    "MAP005",
                    Severity.WARNING,
                    f"'{ref.control}' is not a SOC 2 (2017) Trust Services Criterion",
                    row,
                    ref,
                    reached,
                )
            )
        elif control == "A1.1":
            backup = [
                req
                for req in reached
                if _BACKUP_TOPIC.search(
                    f"{req.area_title} {req.section_title} {req.group_title} {req.text}"
                )
            ]
            if backup:
                findings.append(
                    _finding(
                        "MAP003",
                        Severity.WARNING,
                        "SOC 2 A1.1 is about capacity (managing processing capacity to meet "
                        f"demand), but this row maps it to {len(backup)} backup and recovery "
                        "requirements: backup and recovery are usually A1.2 (backup and recovery "
                        "infrastructure) and recovery-plan testing A1.3",
                        row,
                        ref,
                        backup,
                    )
                )
    elif ref.framework == "NIST":
        renamed = NIST_CSF_1_1_RENAMED.get(ref.control.upper())
        if renamed is not None:
            title, successor = renamed
            version = (ref.version or "").lstrip("vV")
            if version.startswith("2"):
                severity, tail = Severity.ERROR, f"it does not exist in CSF {ref.version}"
            elif version.startswith("1"):
                severity, tail = (
                    Severity.INFO,
                    f"fine for CSF {ref.version}, outdated against CSF 2.0",
                )
            else:
                severity, tail = (
                    Severity.WARNING,
                    "the row states no CSF version: state '1.1' or map to the CSF 2.0 ids",
                )
            findings.append(
                _finding(
                    "MAP004",
                    severity,
                    f"{ref.control} is a NIST CSF 1.1 category ({title}) that CSF 2.0 renamed or "
                    f"moved to {successor}; {tail}",
                    row,
                    ref,
                    reached,
                )
            )
    elif ref.framework == "CIS":
        if not ref.control.isdigit() or not 1 <= int(ref.control) <= 18:
            findings.append(
                _finding(
                    "MAP006",
                    Severity.WARNING,
                    f"'{ref.control}' is not a CIS Controls v8 control number (1–18)",
                    row,
                    ref,
                    reached,
                )
            )
    elif ref.framework == "HIPAA" and not _HIPAA_CITATION.match(ref.control):
        findings.append(
            _finding(
                "MAP007",
                Severity.WARNING,
                f"'{ref.control}' is not a HIPAA Security Rule citation "
                "like '45 CFR § 164.308(a)(1)'",
                row,
                ref,
                reached,
            )
        )
    return findings


def _redundant_rows(
    catalog: Catalog, by_row: dict[int, list[tuple[Requirement, FrameworkReference]]]
) -> list[LintFinding]:
    findings: list[LintFinding] = []
    rows = {row.line: row for row in catalog.mapping}
    for row in catalog.mapping:
        reached = by_row.get(row.line, [])
        if not reached:
            continue
        other_lines: set[int] = set()
        redundant = True
        for req, ref in reached:
            others = [
                other.line
                for other in req.references
                if other.line != row.line
                and other.framework == ref.framework
                and other.control == ref.control
            ]
            if not others:
                redundant = False
                break
            other_lines.update(others)
        if redundant:
            ref = reached[0][1]
            where = ", ".join(f"line {line} ({rows[line].scope})" for line in sorted(other_lines))
            findings.append(
                _finding(
                    "MAP008",
                    Severity.INFO,
                    f"row adds nothing: every requirement it reaches already has "
                    f"{ref.framework} {ref.control} from {where}",
                    row,
                    ref,
                    _dedupe(req for req, _ref in reached),
                )
            )
    return findings


def _dedupe(reqs: Iterable[Requirement]) -> list[Requirement]:
    seen: dict[str, Requirement] = {}
    for req in reqs:
        seen.setdefault(req.id, req)
    return list(seen.values())


def _unmapped(catalog: Catalog) -> list[LintFinding]:
    def unmapped(req: Requirement) -> bool:
        return all(ref.scope.strip().lower() == "all" for ref in req.references)

    findings: list[LintFinding] = []
    for section in catalog.sections():
        reqs = catalog.select(section.id)
        missing = [req for req in reqs if unmapped(req)]
        if not missing:
            continue
        if len(missing) == len(reqs):
            findings.append(
                LintFinding(
                    code="MAP009",
                    severity=Severity.WARNING,
                    message=(
                        f"section {section.id} ({section.title}): none of its {len(reqs)} "
                        "requirements is reached by a section-4 row other than the 'All' rows"
                    ),
                    line=section.line,
                    requirements=tuple(req.id for req in missing),
                )
            )
            continue
        for req in missing:
            findings.append(
                LintFinding(
                    code="MAP009",
                    severity=Severity.WARNING,
                    message=(
                        f"requirement {req.id} is reached by no section-4 row "
                        "other than the 'All' rows"
                    ),
                    line=req.line,
                    requirements=(req.id,),
                )
            )
    return findings
