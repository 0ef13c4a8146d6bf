"""`tutela rules list|show|docs` through Typer's runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tutela.cli import app
from tutela.rules import default_rules

RULES = {r.code: r for r in default_rules()}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"TUTELA_CATALOG": "", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def listed(*args: str) -> list[dict[str, Any]]:
    code, out, err = run("rules", "list", "--format", "json", *args)
    assert code == 0, err
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


# --------------------------------------------------------------------------- list


def test_list_json_has_every_rule_sorted_with_its_metadata() -> None:
    rows = listed()
    assert [r["code"] for r in rows] == sorted(RULES)
    row = next(r for r in rows if r["code"] == "CTR306")
    assert row == {
        "code": "CTR306",
        "name": "pod_mounts_no_sensitive_host_paths",
        "title": "Pods do not mount sensitive paths of the node",
        "severity": "high",
        "requirements": ["3.5.1.b.3"],
        "resource": "k8s_workload",
        "sources": ["kubernetes"],
    }


@pytest.mark.parametrize("section", ["3.5.1.b.2", "3.5", "3.5.1", "ENG-POL-003:3.5.1.b"])
def test_list_by_section_or_requirement(section: str) -> None:
    wanted = section.removeprefix("ENG-POL-003:")
    rows = listed("--section", section)
    assert rows
    for row in rows:
        requirements = row["requirements"]
        assert any(c == wanted or c.startswith(wanted + ".") for c in requirements)
    assert "LOG302" in {r["code"] for r in rows}


def test_section_prefix_matches_whole_parts_only() -> None:
    assert all(
        any(c.startswith("3.1.") or c == "3.1" for c in r["requirements"])
        for r in listed("--section", "3.1")
    )


@pytest.mark.parametrize("source", ["kubernetes", "dockerfile", "terraform"])
def test_list_by_source(source: str) -> None:
    rows = listed("--source", source)
    assert rows
    assert all(source in r["sources"] for r in rows)
    expected = {c for c, r in RULES.items() if source in r.sources}
    assert {r["code"] for r in rows} == expected


def test_list_filters_combine() -> None:
    rows = listed("--source", "dockerfile", "--section", "3.4.1")
    assert {r["code"] for r in rows} >= {"SEC002", "SEC302"}
    assert all("dockerfile" in r["sources"] for r in rows)


def test_list_csv() -> None:
    code, out, _ = run("rules", "list", "--format", "csv", "--source", "kubernetes")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0].keys() == {"code", "name", "severity", "requirements", "resource", "sources",
                              "title"}
    ctr303 = next(r for r in rows if r["code"] == "CTR303")
    assert ctr303["requirements"] == "3.5.1.b.3" and ctr303["sources"] == "kubernetes"


def test_list_table() -> None:
    code, out, _ = run("rules", "list", "--section", "3.5.1.b.2")
    assert code == 0
    assert "LOG302" in out and "rules" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "helm"], "unknown source 'helm'"),
        (["--format", "yaml"], "unknown format 'yaml'"),
        (["--section", "3.5;1"], "is not a section or requirement id"),
    ],
)
def test_list_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, _, err = run("rules", "list", *args)
    assert code == 2
    assert message in err


def test_unknown_section_lists_nothing() -> None:
    assert listed("--section", "9.9") == []


# --------------------------------------------------------------------------- show


def test_show_markdown_is_the_rule_page() -> None:
    code, out, _ = run("rules", "show", "CTR302", "--format", "markdown")
    assert code == 0
    assert out.startswith("# CTR302 `container_drops_all_capabilities`\n")
    assert "ENG-POL-003:3.5.1.b.3" in out and "drop: [\"ALL\"]" in out
    assert "fail.k8s.yaml" in out


def test_show_by_name_and_case_insensitive_code() -> None:
    by_name = run("rules", "show", "ingress_terminates_tls", "--format", "markdown")
    by_code = run("rules", "show", "net302", "--format", "markdown")
    assert by_name[0] == by_code[0] == 0
    assert by_name[1] == by_code[1]


def test_show_text_renders_for_the_terminal() -> None:
    code, out, _ = run("rules", "show", "SEC302")
    assert code == 0
    assert "SEC302" in out and "Requirements verified" in out and "```" not in out


def test_show_json() -> None:
    code, out, _ = run("rules", "show", "IAM302", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["code"] == "IAM302" and data["severity"] == "high"
    assert data["requirements"][0]["id"] == "3.2.1.a.3"
    assert data["requirements"][0]["text"].startswith("Role-based access control")
    assert "kubernetes" in data["snippets"]
    assert set(data["examples"]) == {"fail.k8s.yaml", "pass.k8s.yaml"}
    assert data["description"].startswith("Why:")


def test_show_unknown_rule_suggests_close_codes() -> None:
    code, _, err = run("rules", "show", "CTR30")
    assert code == 2
    assert "no rule 'CTR30'" in err and "did you mean" in err


def test_show_unknown_format() -> None:
    code, _, err = run("rules", "show", "CTR301", "--format", "html")
    assert code == 2 and "unknown format" in err


# --------------------------------------------------------------------------- docs


def test_docs_writes_pages_then_check_passes(tmp_path: Path) -> None:
    out = tmp_path / "rules"
    code, text, _ = run("rules", "docs", "--output", str(out))
    assert code == 0
    assert (out / "README.md").is_file() and (out / "CTR301.md").is_file()
    assert len(list(out.glob("*.md"))) == len(RULES) + 1
    assert f"wrote {len(RULES) + 1} of {len(RULES) + 1} pages" in text
    code, text, _ = run("rules", "docs", "--output", str(out), "--check")
    assert code == 0 and "up to date" in text
    # A second run rewrites nothing.
    code, text, _ = run("rules", "docs", "--output", str(out))
    assert code == 0 and f"wrote 0 of {len(RULES) + 1} pages" in text


def test_docs_check_reports_stale_folder_and_docs_repairs_it(tmp_path: Path) -> None:
    out = tmp_path / "rules"
    run("rules", "docs", "--output", str(out))
    (out / "CTR301.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "ZZZ999.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    (out / "notes.md").write_text("hand-written, kept\n", encoding="utf-8")
    code, text, _ = run("rules", "docs", "--output", str(out), "--check")
    assert code == 1
    assert "1 to write, 1 to remove" in text and "tutela rules docs" in text
    code, text, _ = run("rules", "docs", "--output", str(out))
    assert code == 0 and "removed 1 stale" in text
    assert not (out / "ZZZ999.md").exists() and (out / "notes.md").exists()
    assert run("rules", "docs", "--output", str(out), "--check")[0] == 0
