"""Malformed policies raise CatalogError naming the file and the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tutela.catalog.importer import import_policy, parse_policy
from tutela.errors import CatalogError

FindLine = Callable[[list[str], str], int]
EditPolicy = Callable[[Callable[[list[str]], None]], Path]


def import_error(path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        import_policy(path)
    error = caught.value
    assert error.path == str(path)
    return error


def test_bullet_outside_any_group(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "##### 3.3.2 Key Management and Protection")
        lines.insert(at + 2, "- A requirement written without a group title.")
        where.append(at + 3)

    error = import_error(edited_policy(edit))
    assert error.line == where[0]
    assert "bullet outside any group" in error.message
    assert str(error).startswith(f"{error.path}:{where[0]}: ")


def test_indented_bullet_without_a_group(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "##### 3.5.2 Serverless Security")
        lines.insert(at + 2, "    - An orphan requirement.")
        where.append(at + 3)

    error = import_error(edited_policy(edit))
    assert (error.line, "bullet outside any group" in error.message) == (where[0], True)


def test_group_outside_a_section(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "#### 3.6 Backup and Disaster Recovery")
        lines.insert(at + 4, "- **Stray Group:**")
        lines.insert(at + 5, "    - Something shall be done.")
        lines.insert(at + 6, "")
        where.append(at + 5)

    error = import_error(edited_policy(edit))
    assert error.line == where[0]
    assert "group 'Stray Group' is outside a section" in error.message


def test_sub_bullet_where_none_is_expected(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "- Quarterly access reviews shall be conducted")
        lines.insert(at + 1, "        - including break-glass accounts.")
        where.append(at + 2)

    error = import_error(edited_policy(edit))
    assert error.line == where[0]
    assert "sub-bullet where none is expected" in error.message


def test_sub_bullet_under_the_section_3_statement(
    edited_policy: EditPolicy, find_line: FindLine
) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "- **[Company Name]** shall implement defense-in-depth")
        lines.insert(at + 1, "    - and nothing else.")
        where.append(at + 2)

    error = import_error(edited_policy(edit))
    assert (error.line, "sub-bullet" in error.message) == (where[0], True)


def test_mapping_row_naming_a_missing_section(
    edited_policy: EditPolicy, find_line: FindLine
) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "|**3.1.2**|CIS Controls|")
        lines.insert(at + 1, "|**3.9**|CIS Controls|Control 8 - Audit Log Management|")
        where.append(at + 2)

    error = import_error(edited_policy(edit))
    assert error.line == where[0]
    assert "scope '3.9' names a section that does not exist" in error.message


def test_mapping_row_with_a_missing_cell(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "|**3.7**|HIPAA Security Rule|")
        lines[at] = "|**3.7**|HIPAA Security Rule|"
        where.append(at + 1)

    error = import_error(edited_policy(edit))
    assert (error.line, "cells" in error.message) == (where[0], True)


@pytest.mark.parametrize(
    ("heading", "what"),
    [
        ("### 3. Policy", "section 3"),
        ("### 4. Standards Compliance", "section 4"),
        ("### 6. Responsibilities", "section 6"),
    ],
)
def test_missing_top_section(
    edited_policy: EditPolicy, find_line: FindLine, heading: str, what: str
) -> None:
    def edit(lines: list[str]) -> None:
        at = find_line(lines, heading)
        lines[at] = "### " + heading.split(". ", 1)[1]

    error = import_error(edited_policy(edit))
    assert error.message.startswith(f"missing {what}")


def test_section_heading_outside_its_area(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "##### 3.1.2 Infrastructure Hardening Standards")
        lines[at] = "##### 3.2.9 Infrastructure Hardening Standards"
        where.append(at + 1)

    error = import_error(edited_policy(edit))
    assert error.line == where[0]
    assert "section 3.2.9 is outside its area 3.2" in error.message


def test_group_without_requirements(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "##### 3.7.2 Infrastructure Incident Response")
        lines.insert(at + 2, "- **Nothing Here:**")
        lines.insert(at + 3, "")
        where.append(at + 3)

    error = import_error(edited_policy(edit))
    assert error.line == where[0]
    assert "has no requirements" in error.message


def test_duplicate_area(edited_policy: EditPolicy, find_line: FindLine) -> None:
    where: list[int] = []

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "#### 3.7 Monitoring and Incident Response")
        lines[at] = "#### 3.6 Monitoring and Incident Response"
        where.append(at + 1)

    error = import_error(edited_policy(edit))
    assert (error.line, "area 3.6 appears twice" in error.message) == (where[0], True)


def test_missing_file(tmp_path: Path) -> None:
    error = import_error(tmp_path / "nope.md")
    assert error.line is None
    assert "not found" in error.message


def test_no_policy_id(policy_text: str) -> None:
    text = policy_text.replace(" (ENG-POL-003)", "")
    with pytest.raises(CatalogError, match="policy id") as caught:
        parse_policy(text, source="policy.md")
    assert (caught.value.path, caught.value.line) == ("policy.md", 1)
