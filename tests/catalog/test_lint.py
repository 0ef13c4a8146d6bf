"""Lint of the section-4 mapping: the policy's known oddities and edited mappings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tutela.catalog.importer import import_policy
from tutela.catalog.lint import LintFinding, Severity, lint_catalog
from tutela.catalog.model import Catalog

FindLine = Callable[[list[str], str], int]
EditPolicy = Callable[[Callable[[list[str]], None]], Path]


def by_code(findings: tuple[LintFinding, ...], code: str) -> list[LintFinding]:
    return [f for f in findings if f.code == code]


def test_real_policy_findings(catalog: Catalog, policy_text: str) -> None:
    findings = lint_catalog(catalog)
    lines = policy_text.splitlines()
    summary = [(f.code, f.severity, f.line, f.control) for f in findings]
    assert summary == [
        ("MAP008", Severity.INFO, 273, "06.a"),
        ("MAP001", Severity.ERROR, 275, "16.c"),
        ("MAP001", Severity.ERROR, 276, "15.b"),
        ("MAP003", Severity.WARNING, 287, "A1.1"),
        ("MAP004", Severity.WARNING, 290, "PR.AC"),
        ("MAP004", Severity.WARNING, 295, "PR.PT"),
    ]
    for finding in findings:
        assert finding.line is not None
        assert finding.row == lines[finding.line - 1]


def test_hitrust_categories_beyond_13(catalog: Catalog) -> None:
    errors = by_code(lint_catalog(catalog), "MAP001")
    assert {f.control for f in errors} == {"15.b", "16.c"}
    sixteen = next(f for f in errors if f.control == "16.c")
    assert "00–13" in sixteen.message
    assert sixteen.row == "|**3.6**|HITRUST CSF v11.2.0|16.c - System Resilience|"
    assert len(sixteen.requirements) == 20
    assert all(rid.startswith("3.6.") for rid in sixteen.requirements)


def test_soc2_a11_on_backup_rows(catalog: Catalog) -> None:
    (finding,) = by_code(lint_catalog(catalog), "MAP003")
    assert "A1.2" in finding.message and "A1.3" in finding.message
    assert finding.requirements and all(rid.startswith("3.6.") for rid in finding.requirements)


def test_nist_csf_11_names(catalog: Catalog) -> None:
    findings = by_code(lint_catalog(catalog), "MAP004")
    messages = {f.control: f.message for f in findings}
    assert "PR.AA" in messages["PR.AC"]
    assert "PR.PS" in messages["PR.PT"] and "PR.IR" in messages["PR.PT"]


def test_nothing_unmapped_in_the_real_policy(catalog: Catalog) -> None:
    assert not by_code(lint_catalog(catalog), "MAP009")


def test_unmapped_sections_and_requirements(edited_policy: EditPolicy, find_line: FindLine) -> None:
    def edit(lines: list[str]) -> None:
        for row in ("|**3.5**|HITRUST CSF v11.2.0|", "|**3.5**|NIST Cybersecurity Framework|"):
            del lines[find_line(lines, row)]
        at = find_line(lines, "|**3.1.2**|CIS Controls|")
        lines.insert(
            at + 1, "|**3.5.1.a**|CIS Controls|Control 7 - Continuous Vulnerability Management|"
        )

    catalog = import_policy(edited_policy(edit))
    unmapped = by_code(lint_catalog(catalog), "MAP009")
    per_requirement = [f.requirements[0] for f in unmapped if len(f.requirements) == 1]
    per_section = [f for f in unmapped if len(f.requirements) > 1]
    assert per_requirement == [f"3.5.1.b.{n}" for n in range(1, 6)]
    assert len(per_section) == 1
    assert per_section[0].message.startswith("section 3.5.2 (Serverless Security)")
    assert per_section[0].line == catalog.areas[4].sections[1].line


def test_versions_change_the_nist_severity(edited_policy: EditPolicy, find_line: FindLine) -> None:
    def edit(lines: list[str]) -> None:
        at = find_line(lines, "|**All**|NIST Cybersecurity Framework|PR.AC")
        lines[at] = "|**All**|NIST CSF 2.0|PR.AC - Identity Management|"
        at = find_line(lines, "|**3.5**|NIST Cybersecurity Framework|PR.PT")
        lines[at] = "|**3.5**|NIST CSF v1.1|PR.PT - Protective Technology|"

    findings = by_code(lint_catalog(import_policy(edited_policy(edit))), "MAP004")
    assert {f.control: f.severity for f in findings} == {
        "PR.AC": Severity.ERROR,
        "PR.PT": Severity.INFO,
    }


def test_malformed_references(edited_policy: EditPolicy, find_line: FindLine) -> None:
    def edit(lines: list[str]) -> None:
        at = find_line(lines, "|**3.1.2**|CIS Controls|")
        lines[at] = "|**3.1.2**|CIS Controls|Control 4, 19|"
        lines.insert(at + 1, "|**3.2**|SOC 2 Trust Services Criteria|CC10.1 - Imaginary|")
        lines.insert(at + 2, "|**3.2**|HIPAA Security Rule|Section 164.308 - Somewhere|")
        lines.insert(at + 3, "|**3.2**|HITRUST CSF v11.2.0|Access Control|")

    findings = lint_catalog(import_policy(edited_policy(edit)))
    assert [f.control for f in by_code(findings, "MAP006")] == ["19"]
    assert [f.control for f in by_code(findings, "MAP005")] == ["CC10.1"]
    assert [f.control for f in by_code(findings, "MAP007")] == ["Section 164.308"]
    assert [f.control for f in by_code(findings, "MAP002")] == ["Access Control"]
