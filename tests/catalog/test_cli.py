"""`tutela catalog ...` through Typer's runner, plus real subprocess runs."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tutela.catalog.coverage import compute_coverage
from tutela.catalog.model import Catalog
from tutela.catalog.oscal import dump_oscal
from tutela.cli import app
from tutela.engine.verifiers import default_verifiers

ID = re.compile(r"^3\.[1-7]\.[12]\.[ab]\.[1-5]$")
ALL_ROWS = {
    ("HITRUST", "06.a"),
    ("HIPAA", "45 CFR § 164.308(a)(1)"),
    ("SOC2", "CC6.1"),
    ("NIST", "PR.AC"),
}

EditPolicy = Callable[[Callable[[list[str]], None]], Path]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"TUTELA_CATALOG": "", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def tutela_command() -> list[str]:
    script = Path(sys.executable).parent / "tutela"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tutela"]


# --------------------------------------------------------------------------- list


def test_list_json_has_135_requirements_with_the_all_rows(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 135
    for row in rows:
        assert ID.match(row["id"])
        assert {
            (r["framework"], r["control"]) for r in row["references"] if r["scope"] == "All"
        } == ALL_ROWS
        assert row["owners"] and row["verification"]["rationale"] and row["cadence"]["kind"]


def test_list_filters(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "list", "--section", "3.3", "--format", "json")
    assert code == 0
    assert len(json.loads(out)) == 20
    assert {r["area"] for r in json.loads(out)} == {"3.3"}

    code, out, _ = run(
        runner,
        "catalog",
        "list",
        "--section",
        "3.3.1.a",
        "--framework",
        "hipaa",
        "--format",
        "json",
    )
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == [f"3.3.1.a.{n}" for n in range(1, 6)]
    assert {r["framework"] for row in rows for r in row["references"]} == {"HIPAA"}
    assert {r["control"] for r in rows[0]["references"]} == {
        "45 CFR § 164.308(a)(1)",
        "45 CFR § 164.312(a)(2)(iv)",
        "45 CFR § 164.312(e)(1)",
    }

    code, out, _ = run(
        runner, "catalog", "list", "--framework", "SOC 2", "--control", "a1.1", "--format", "json"
    )
    assert code == 0
    assert [r["id"][:3] for r in json.loads(out)] == ["3.6"] * 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--section", "3.9"), "no section '3.9'"),
        (("--framework", "ISO27001"), "no framework 'ISO27001'"),
        (("--control", "16.c"), "--control needs --framework"),
        (("--format", "xml"), "xml"),
    ],
)
def test_list_usage_errors(runner: CliRunner, args: tuple[str, ...], message: str) -> None:
    code, _out, err = run(runner, "catalog", "list", *args)
    assert code == 2
    assert message in err


def test_list_csv(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "list", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 135
    dr = next(r for r in rows if r["id"] == "3.6.2.a.4")
    assert dr["cadence"] == "annual" and dr["verification"] == "evidence"
    assert "HITRUST 16.c" in dr["references"].split("; ")


def test_list_table(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "list", "--section", "3.6.2")
    assert code == 0
    assert "ENG-POL-003: 10 requirements" in out
    assert "3.6.2.a.4" in out and "3.6.1.a.1" not in out


def test_catalog_option_changes_what_list_shows(
    runner: CliRunner,
    tmp_path: Path,
    edited_policy: EditPolicy,
    find_line: Callable[[list[str], str], int],
) -> None:
    def edit(lines: list[str]) -> None:
        at = find_line(lines, "- Log integrity protection and tampering detection")
        lines.insert(at + 1, "    - Log archives shall be stored with object lock enabled.")

    out_file = tmp_path / "org-catalog.yaml"
    code, _out, err = run(
        runner, "catalog", "import", str(edited_policy(edit)), "-o", str(out_file)
    )
    assert code == 0, err
    assert "136 requirements" in err
    code, out, _ = run(runner, "--catalog", str(out_file), "catalog", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 136
    assert rows[-6]["id"] == "3.7.1.b.6" and "object lock" in rows[-6]["text"]
    code, out, _ = run(runner, "catalog", "list", "--format", "json")
    assert len(json.loads(out)) == 135


def test_bad_catalog_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: tutela-catalog/1\npolicy_id: X\n", encoding="utf-8")
    code, out, err = run(runner, "--catalog", str(bad), "catalog", "list")
    assert code == 2 and out == ""
    assert str(bad) in err and "invalid catalog" in err and "title" in err
    code, _out, err = run(
        runner, "--catalog", str(tmp_path / "absent.yaml"), "catalog", "show", "3.1.1.a.1"
    )
    assert code == 2 and "catalog file not found" in err


# --------------------------------------------------------------------------- show


def test_show_the_dr_testing_requirement(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "show", "3.6.2.a.4")
    assert code == 0
    assert (
        "Disaster recovery testing and validation exercises shall be conducted at least annually."
        in out
    )
    assert "Area:          3.6 Backup and Disaster Recovery" in out
    assert "Section:       3.6.2 Disaster Recovery Planning" in out
    assert "Group:         3.6.2.a Recovery Infrastructure (item 4)" in out
    assert "Cloud Engineers (inferred)" in out
    assert 'Cadence:       annual, every 365 days ("at least annually")' in out
    assert "Verification:  evidence:" in out
    for ref in (
        "HITRUST 16.c - System Resilience",
        "SOC2 A1.1 - System Availability",
        "HITRUST 06.a",
        "HIPAA 45 CFR § 164.308(a)(1)",
        "SOC2 CC6.1",
        "NIST PR.AC",
    ):
        assert ref in out


def test_show_json_and_qualified_ids(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "show", "ENG-POL-003:3.3.1.a.2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["qualified_id"] == "ENG-POL-003:3.3.1.a.2"
    assert "Database Administrators" in [o["role"] for o in data["owners"]]


def test_show_unknown_id(runner: CliRunner) -> None:
    code, out, err = run(runner, "catalog", "show", "3.6.2.a.9")
    assert code == 2 and out == ""
    assert "unknown requirement '3.6.2.a.9'" in err
    assert "did you mean 3.6.2.a." in err


# --------------------------------------------------------------------------- coverage


def test_coverage_json(runner: CliRunner, catalog: Catalog) -> None:
    code, out, _ = run(runner, "catalog", "coverage", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert list(report) == ["policy_id", "totals", "sections", "requirements", "unknown_controls"]
    expected = compute_coverage(catalog, default_verifiers(catalog)).model_dump(mode="json")
    assert report == expected
    totals = report["totals"]
    assert totals["total"] == 135 == totals["covered"] + totals["partial"] + totals["uncovered"]
    assert len(report["sections"]) == 14
    assert sum(s["total"] for s in report["sections"]) == 135
    entry = report["requirements"][0]
    assert list(entry) == [
        "requirement",
        "section",
        "verification",
        "status",
        "verifiers",
        "missing",
    ]


def test_coverage_table(runner: CliRunner, catalog: Catalog) -> None:
    code, out, _ = run(runner, "catalog", "coverage")
    assert code == 0
    assert "ENG-POL-003 coverage by section" in out
    t = compute_coverage(catalog, default_verifiers(catalog)).totals
    assert f"{t.covered} covered, {t.partial} partial, {t.uncovered} uncovered of 135" in out


# --------------------------------------------------------------------------- lint


def test_lint_exit_codes_and_findings(runner: CliRunner) -> None:
    code, out, _ = run(runner, "catalog", "lint")
    assert code == 0
    assert "16.c" in out and "15.b" in out
    assert "6 findings (2 errors, 3 warnings, 1 info)" in out
    code, _out, _ = run(runner, "catalog", "lint", "--strict")
    assert code == 1
    code, out, _ = run(runner, "catalog", "lint", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["counts"] == {"error": 2, "warning": 3, "info": 1}
    hitrust = {f["control"]: f for f in data["findings"] if f["code"] == "MAP001"}
    assert set(hitrust) == {"15.b", "16.c"}
    assert hitrust["15.b"]["line"] == 276 and hitrust["15.b"]["row"].startswith("|**3.7**|HITRUST")
    code, _out, err = run(runner, "catalog", "lint", "--format", "yaml")
    assert code == 2 and "yaml" in err


def test_lint_strict_is_clean_on_a_clean_mapping(
    runner: CliRunner,
    tmp_path: Path,
    edited_policy: EditPolicy,
    find_line: Callable[[list[str], str], int],
) -> None:
    def edit(lines: list[str]) -> None:
        for row in ("|**3.4**|HITRUST", "|**3.6**|HITRUST", "|**3.7**|HITRUST"):
            del lines[find_line(lines, row)]
        at = find_line(lines, "|**3.6**|SOC 2")
        lines[at] = "|**3.6**|SOC 2 Trust Services Criteria|A1.2 - Recovery Infrastructure|"
        at = find_line(lines, "|**All**|NIST Cybersecurity Framework|")
        lines[at] = "|**All**|NIST CSF v1.1|PR.AC - Identity Management|"
        at = find_line(lines, "|**3.5**|NIST Cybersecurity Framework|")
        lines[at] = "|**3.5**|NIST CSF 2.0|PR.PS - Platform Security|"

    out_file = tmp_path / "clean.yaml"
    assert run(runner, "catalog", "import", str(edited_policy(edit)), "-o", str(out_file))[0] == 0
    code, out, _ = run(
        runner, "--catalog", str(out_file), "catalog", "lint", "--strict", "--format", "json"
    )
    findings = json.loads(out)["findings"]
    assert [(f["code"], f["severity"]) for f in findings] == [("MAP004", "info")]
    assert code == 1  # --strict counts every finding, info included


def test_lint_in_a_real_process() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TUTELA_CATALOG"}
    done = subprocess.run(
        [*tutela_command(), "catalog", "lint", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    controls = {f["control"] for f in json.loads(done.stdout)["findings"] if f["code"] == "MAP001"}
    assert controls == {"15.b", "16.c"}
    strict = subprocess.run(
        [*tutela_command(), "catalog", "lint", "--strict"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert strict.returncode == 1
    assert "MAP001" in strict.stdout


# --------------------------------------------------------------------------- import / export


def test_import_to_stdout_and_errors(
    runner: CliRunner,
    policy_path: Path,
    catalog: Catalog,
    edited_policy: EditPolicy,
    find_line: Callable[[list[str], str], int],
) -> None:
    from tutela.catalog.loader import dump_catalog

    code, out, _ = run(runner, "catalog", "import", str(policy_path))
    assert code == 0
    assert out == dump_catalog(catalog)

    def edit(lines: list[str]) -> None:
        at = find_line(lines, "|**3.1.2**|CIS Controls|")
        lines[at] = "|**3.1.9**|CIS Controls|Control 4, 5|"

    bad = edited_policy(edit)
    code, out, err = run(runner, "catalog", "import", str(bad))
    assert code == 2 and out == ""
    assert f"{bad}:296: standards mapping row scope '3.1.9'" in err


def test_export_oscal(runner: CliRunner, tmp_path: Path, catalog: Catalog) -> None:
    target = tmp_path / "eng-pol-003.oscal.json"
    code, _out, err = run(runner, "catalog", "export", "--format", "oscal", "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == dump_oscal(catalog)
    code, out, _ = run(runner, "catalog", "export", "--last-modified", "2025-01-31T12:00:00+01:00")
    assert code == 0
    assert json.loads(out)["catalog"]["metadata"]["last-modified"] == "2025-01-31T12:00:00+01:00"
    code, _out, err = run(runner, "catalog", "export", "--last-modified", "2025-01-31")
    assert code == 2 and "timezone" in err
    code, out, _ = run(runner, "catalog", "export", "--format", "json")
    assert code == 0 and len(json.loads(out)["requirements"]) == 135


def test_version_does_not_import_heavy_modules() -> None:
    probe = (
        "import sys; import tutela.cli, tutela.cli.catalog; "
        "print(sorted(m for m in ('pydantic', 'yaml', 'ruamel', 'rich.table') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
    version = subprocess.run(
        [*tutela_command(), "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.strip().startswith("tutela ")
