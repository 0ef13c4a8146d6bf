"""Start-up does only the work a command needs: pre-commit hooks and CI steps run tutela
on small inputs many times a day, so what a scan imports is behaviour users feel.

These tests observe `sys.modules` of a real `python -m tutela` process (no timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tutela.cli import COMMANDS, build_app, invoked_command

# Runs the CLI in-process in a fresh interpreter, then prints what it imported.
PROBE = """
import json, sys
sys.argv = ["tutela", *json.loads(sys.argv[1])]
from tutela.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
watched = ("tutela", "pydantic", "yaml")
print("\\n@@" + json.dumps(sorted(m for m in sys.modules if m.startswith(watched))))
"""


def imported(args: list[str], cwd: Path) -> tuple[set[str], str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=True,
    )
    head, _, modules = out.stdout.rpartition("\n@@")
    return set(json.loads(modules)), head


def rule_providers(modules: set[str]) -> set[str]:
    from tutela.rules import module_provider

    return {
        p for m in modules if m.startswith("tutela.rules.") and (p := module_provider(m))
    }


def test_empty_scan_imports_no_rules_no_catalog_no_parser(tmp_path: Path) -> None:
    modules, out = imported(["scan", ".", "-f", "json", "--no-cache"], tmp_path)
    assert json.loads(out)["summary"]["files"] == 0
    assert rule_providers(modules) == set()
    assert "tutela.catalog.loader" not in modules
    assert "yaml" not in modules
    parsers = ("terraform", "cloudformation", "kubernetes", "dockerfile")
    assert not any(m.startswith(tuple(f"tutela.sources.{p}" for p in parsers)) for m in modules)
    # Only the invoked sub-command is built.
    assert "tutela.cli.scan" in modules
    assert not {"tutela.cli.aws", "tutela.cli.waiver", "tutela.cli.report"} & modules


def test_terraform_scan_imports_only_the_aws_rules(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n', encoding="utf-8"
    )
    modules, out = imported(["scan", ".", "-f", "json", "--no-cache"], tmp_path)
    report = json.loads(out)
    assert report["summary"]["resources"] == 1
    assert {f["rule_code"] for f in report["findings"]} >= {"ENC001"}
    assert rule_providers(modules) == {"aws"}
    # The JSON report never needs the catalog's words.
    assert "tutela.catalog.loader" not in modules


def test_terminal_report_with_failures_loads_the_policy_text(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n', encoding="utf-8"
    )
    modules, out = imported(["scan", ".", "--no-cache", "--no-progress"], tmp_path)
    assert "tutela.catalog.loader" in modules
    assert "3.3.1" in out  # findings grouped under the policy's requirements


def test_rule_selection_is_checked_against_every_rule_before_parsing(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n', encoding="utf-8")
    # A GCP rule selected for a Terraform AWS scan: valid, and simply matches nothing here.
    ok = subprocess.run(
        [sys.executable, "-m", "tutela", "scan", ".", "--rules", "BAK201", "-f", "json",
         "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["findings"] == []
    typo = subprocess.run(
        [sys.executable, "-m", "tutela", "scan", ".", "--rules", "NOPE999", "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert typo.returncode == 2
    assert "no rule matches 'NOPE999'" in typo.stderr


def test_auditor_reports_see_the_whole_selection(tmp_path: Path) -> None:
    """Posture in the auditor formats counts every selected rule, not only those of the
    providers found (a requirement verified only by Azure rules is still verified)."""
    import typer.main

    from tutela.cli.scan import report_context
    from tutela.engine.ruleset import RuleSelection
    from tutela.rules import default_rules

    ctx = typer.Context(typer.main.get_command(build_app("scan")))
    rctx = report_context(ctx, RuleSelection(exclude=("NET*",)).ruleset)
    codes = {r.code for r in rctx.ruleset}
    assert codes == {r.code for r in default_rules() if not r.code.startswith("NET")}
    assert {"BAK101", "BAK201", "CTR001"} <= codes


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["scan", "."], "scan"),
        (["--catalog", "c.yaml", "waiver", "list"], "waiver"),
        (["--catalog=c.yaml", "posture"], "posture"),
        (["--version"], None),
        ([], None),
        (["--help"], None),
        (["scna", "."], None),  # a typo: the full command line explains it
    ],
)
def test_invoked_command(argv: list[str], expected: str | None) -> None:
    assert invoked_command(argv) == expected


def test_full_help_lists_every_command_and_a_typo_names_the_choices(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(build_app(), ["--help"])
    for name in COMMANDS:
        assert name in result.output
    typo = subprocess.run(
        [sys.executable, "-m", "tutela", "scna", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert typo.returncode == 2
    assert "No such command" in typo.stderr


def test_root_option_before_the_command_still_applies(tmp_path: Path) -> None:
    """`tutela --catalog FILE catalog show` builds only `catalog` and honours --catalog."""
    missing = tmp_path / "nope.yaml"
    out = subprocess.run(
        [sys.executable, "-m", "tutela", "--catalog", str(missing), "catalog", "list"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert out.returncode == 2
    assert "nope.yaml" in out.stderr


def test_report_context_default_policy_is_the_shipped_catalogs() -> None:
    """The scan's lazy report context assumes the shipped catalog's policy id."""
    from tutela.catalog.loader import load_catalog
    from tutela.engine.ruleset import RuleSet
    from tutela.reports.context import ReportContext

    assert ReportContext(RuleSet(()), "0").policy_id == load_catalog(None).policy_id


def test_terminal_report_reads_the_policy_words_from_the_cache_once_there(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n', encoding="utf-8"
    )
    first, out1 = imported(["scan", ".", "--no-progress"], tmp_path)
    assert "tutela.catalog.loader" in first  # read once, from the shipped YAML
    second, out2 = imported(["scan", ".", "--no-progress"], tmp_path)
    assert not {"tutela.catalog.loader", "yaml", "pydantic"} & second
    def body(out: str) -> str:  # without the duration, the last line
        return out.rsplit("rules,", 1)[0]

    assert body(out2) == body(out1) and "Comprehensive audit logging" in out2
    # A damaged copy is rebuilt, never trusted.
    (cached,) = (tmp_path / ".tutela-cache").glob("catalog-texts-*.json")
    cached.write_text("{not json", encoding="utf-8")
    third, out3 = imported(["scan", ".", "--no-progress"], tmp_path)
    assert "tutela.catalog.loader" in third and body(out3) == body(out1)
