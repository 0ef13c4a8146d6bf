"""Incremental evaluation: a re-scan with the cache reuses verdicts, and is never wrong.

Every test compares the cached re-scan with a scan without cache of the same files: the
cache may only ever save time. `on_evaluated` says what was reused (a hook, not a timer).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tutela.engine.findings import ScanResult
from tutela.engine.incremental import Evaluated
from tutela.engine.ruleset import RuleSelection, RuleSet
from tutela.engine.scan import scan
from tutela.reports import sorted_findings

LOG_TARGET = """\
resource "aws_s3_bucket" "logs" {
  bucket = "central-access-logs"
}
"""

RECORDS = """\
resource "aws_s3_bucket" "records" {
  bucket = "patient-records"
}

resource "aws_s3_bucket_logging" "records" {
  bucket        = aws_s3_bucket.records.id
  target_bucket = "central-access-logs"
  target_prefix = "records/"
}
"""

RECORDS_WITHOUT_LOGGING = """\
resource "aws_s3_bucket" "records" {
  bucket = "patient-records"
}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def run(root: Path, cache: Path | None) -> tuple[ScanResult, Evaluated | None]:
    heard: list[Evaluated] = []
    result = scan([root], RuleSelection(), cache_dir=cache, jobs=1, on_evaluated=heard.append)
    return result, heard[0] if heard else None


def view(result: ScanResult) -> list[tuple[str, str, str, str, int | None]]:
    return [
        (f.rule_code, f.resource_address, f.status.value, f.location.file if f.location else "",
         f.location.start_line if f.location else None)
        for f in sorted_findings(result.findings)
    ]


def verdict(result: ScanResult, code: str, address: str) -> str:
    found = {f.status.value for f in result.findings
             if f.rule_code == code and f.resource_address == address}
    assert len(found) == 1, (code, address, found)
    return found.pop()


def same_as_cold(root: Path, cache: Path) -> tuple[ScanResult, Evaluated]:
    cached, evaluated = run(root, cache)
    cold, none = run(root, None)
    assert none is None  # without a cache nothing is incremental
    assert view(cached) == view(cold)
    assert cached.resource_count == cold.resource_count
    assert cached.parse_errors == cold.parse_errors
    assert evaluated is not None
    return cached, evaluated


def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write(root / "logging" / "main.tf", LOG_TARGET)
    write(root / "records" / "main.tf", RECORDS)
    write(root / "other" / "main.tf", 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n')
    return root


def test_a_change_in_one_unit_reaches_a_cross_resource_verdict_in_another(tmp_path: Path) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    first, _ = same_as_cold(root, cache)
    # The log bucket receives the records bucket's access logs: exempt from logging itself.
    assert verdict(first, "LOG005", "aws_s3_bucket.logs") == "not_applicable"

    write(root / "records" / "main.tf", RECORDS_WITHOUT_LOGGING)
    second, evaluated = same_as_cold(root, cache)
    # The unchanged `logging` unit's bucket is judged again, because what it reads changed.
    assert verdict(second, "LOG005", "aws_s3_bucket.logs") == "fail"
    assert "LOG005" in evaluated.recomputed_rules
    assert evaluated.reused_units == 2  # logging/ and other/ kept their own verdicts


def test_an_edit_that_changes_no_resource_reuses_every_verdict(tmp_path: Path) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    same_as_cold(root, cache)
    with (root / "records" / "main.tf").open("a", encoding="utf-8") as fh:
        fh.write("\n# reviewed by the platform team\n")
    _, evaluated = same_as_cold(root, cache)
    assert evaluated.recomputed_rules == []
    assert evaluated.reused_units == 2


def test_unchanged_rescan_reuses_everything(tmp_path: Path) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    _, first = same_as_cold(root, cache)
    assert first.reused_units == 0 and first.reused_rules == 0
    _, again = same_as_cold(root, cache)
    assert again.reused_units == 3
    assert again.recomputed_rules == []
    assert again.reused_rules == len([r for r in again.ruleset if r.wants_inventory])


def test_a_removed_unit_reruns_the_rules_that_read_its_kinds(tmp_path: Path) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    same_as_cold(root, cache)
    (root / "records" / "main.tf").unlink()
    (root / "records").rmdir()
    result, evaluated = same_as_cold(root, cache)
    assert verdict(result, "LOG005", "aws_s3_bucket.logs") == "fail"
    assert "LOG005" in evaluated.recomputed_rules


def test_a_moved_declaration_moves_its_cross_resource_findings(tmp_path: Path) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    same_as_cold(root, cache)
    write(root / "logging" / "main.tf", "\n\n\n" + LOG_TARGET)
    result, _ = same_as_cold(root, cache)
    lines = {f.location.start_line for f in result.findings
             if f.resource_address == "aws_s3_bucket.logs" and f.location}
    assert lines == {4}


def test_a_new_suppression_comment_applies_to_reused_cross_resource_verdicts(
    tmp_path: Path,
) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    write(root / "records" / "main.tf", RECORDS_WITHOUT_LOGGING)
    first, _ = same_as_cold(root, cache)
    assert verdict(first, "LOG005", "aws_s3_bucket.logs") == "fail"
    # On a line of the declaration: no line moves, the resources stay exactly the same.
    write(root / "logging" / "main.tf", LOG_TARGET.replace(
        '"central-access-logs"',
        '"central-access-logs" # tutela:ignore LOG005 it only holds other buckets\' logs',
    ))
    second, _ = same_as_cold(root, cache)
    assert verdict(second, "LOG005", "aws_s3_bucket.logs") == "suppressed"


def test_corrupt_verdicts_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    root, cache = repo(tmp_path), tmp_path / "cache"
    same_as_cold(root, cache)
    stored = [p for p in cache.rglob("verdicts/**/*.bin")]
    assert stored
    for p in stored:
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
    _, evaluated = same_as_cold(root, cache)
    assert evaluated.reused_units == 0
    _, again = same_as_cold(root, cache)
    assert again.reused_units == 3


def test_changed_settings_or_selection_do_not_reuse_verdicts(tmp_path: Path) -> None:
    from tutela.engine.config import ScanConfig
    from tutela.rules.settings import Settings

    root, cache = repo(tmp_path), tmp_path / "cache"
    same_as_cold(root, cache)
    heard: list[Evaluated] = []
    config = ScanConfig(settings=Settings(log_retention_days=800))
    scan([root], RuleSelection(), config=config, cache_dir=cache, jobs=1,
         on_evaluated=heard.append)
    assert heard[0].reused_units == 0
    scan([root], RuleSelection(exclude=("NET*",)), cache_dir=cache, jobs=1,
         on_evaluated=heard.append)
    assert heard[1].reused_units == 0


def test_the_cli_json_report_of_a_rescan_is_the_cold_report(tmp_path: Path) -> None:
    root = repo(tmp_path)
    write(root / "k8s" / "deploy.yaml", """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.2.3
""")

    def cli(*args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "tutela", "scan", ".", "-f", "json", *args],
            cwd=root, capture_output=True, text=True, timeout=120, check=False,
        )
        assert out.returncode in (0, 1), out.stderr
        doc = json.loads(out.stdout)
        doc["summary"].pop("duration_seconds")
        return json.dumps(doc, indent=2)

    write(root / "other" / "main.tf",
          'resource "aws_sqs_queue" "jobs" { # tutela:ignore ENC004\n  name = "jobs"\n}\n')
    # Audit mode ignores the comments: the same rules and findings either way.
    assert cli("--no-inline-suppressions") == cli("--no-cache", "--no-inline-suppressions")
    cold = cli("--no-cache")
    assert cli() == cold  # first scan with the cache
    write(root / "records" / "main.tf", RECORDS_WITHOUT_LOGGING)
    cold_after = cli("--no-cache")
    assert cold_after != cold
    assert cli() == cold_after
    assert cli() == cold_after  # and once more, all from the cache


def test_batched_findings_behave_like_a_tuple_and_count_without_unpickling(
    tmp_path: Path,
) -> None:
    import pickle

    from tutela.engine.findings import FindingBatch, FindingList
    from tutela.reports.context import ReportContext
    from tutela.reports.json_report import render_json
    from tutela.rules.api import Severity, Status

    root, cache = repo(tmp_path), tmp_path / "cache"
    write(root / "records" / "main.tf", RECORDS_WITHOUT_LOGGING)
    cold, _ = run(root, None)
    cached, _ = run(root, cache)
    assert isinstance(cached.findings, FindingList)
    batches = cached.findings.batches
    # As stored: the findings stay pickled until someone iterates.
    stored = [pickle.loads(pickle.dumps(b)) for b in batches]
    assert all(b._items is None for b in stored)
    again = FindingList(stored)
    counts = cached.counts()
    assert counts == cold.counts()
    assert cached.failure_count(Severity.HIGH) == cold.failure_count(Severity.HIGH)
    assert len(again) == len(cold.findings)
    assert all(b._items is None for b in stored)  # counting unpickled nothing
    assert sorted_findings(again) == sorted_findings(cold.findings)
    assert counts[Status.FAIL] > 0

    # The JSON report writes the stored texts: the same bytes as from the findings.
    ctx = ReportContext(RuleSet(()), "0")
    batched = render_json(cached, ctx)
    assert batched == render_json(dataclasses.replace(cached, findings=tuple(cached.findings)), ctx)
    assert FindingBatch.of([]).keys == []


def test_verbose_scan_says_what_the_cache_saved_on_stderr_only(tmp_path: Path) -> None:
    root = repo(tmp_path)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tutela", "scan", ".", "-f", "json", "-v", *args],
            cwd=root, capture_output=True, text=True, timeout=120, check=False,
        )

    first = cli()
    assert "cache: verdicts of 0 of 3 root modules and files reused" in first.stderr
    write(root / "records" / "main.tf", RECORDS_WITHOUT_LOGGING)
    second = cli()
    assert "verdicts of 2 of 3 root modules and files reused" in second.stderr
    assert "LOG005" in second.stderr.split("run again", 1)[1]
    json.loads(second.stdout)  # the report itself is untouched
    assert "cache:" not in cli("--no-cache").stderr


CORPORA = [
    Path(__file__).resolve().parents[2] / "examples" / "insecure",
    Path(__file__).resolve().parents[2] / "examples" / "compliant",
    *sorted((Path(__file__).resolve().parents[1] / "rules" / "corpus" / "compliant-tricky")
            .iterdir()),
    # Every rule's pass and fail examples in every format, as one repository.
    Path(__file__).resolve().parents[2] / "src" / "tutela" / "rules" / "examples",
]


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_cached_scans_report_what_uncached_scans_report(corpus: Path, tmp_path: Path) -> None:
    """Every bundled corpus (all sources, suppressions, parse errors): the JSON report of a
    first and of a second scan with the cache equals the scan without it."""
    import shutil

    from tutela.reports.context import ReportContext
    from tutela.reports.json_report import render_json

    root = tmp_path / corpus.name
    shutil.copytree(corpus, root)

    def report(cache: Path | None) -> dict[str, object]:
        result, _ = run(root, cache)
        doc = json.loads(render_json(result, ReportContext(RuleSet(()), "0")))
        doc["summary"].pop("duration_seconds")
        doc["targets"] = []
        return doc

    cold = report(None)
    assert report(tmp_path / "cache") == cold
    assert report(tmp_path / "cache") == cold


def test_damaged_stored_findings_are_rebuilt_from_their_texts(tmp_path: Path) -> None:
    """A cache file damaged inside (its framing intact) must not fail a report: a batch's
    findings come back from their stored JSON texts, equal to the originals."""
    import pickle

    from tutela.engine.findings import FindingBatch

    root = repo(tmp_path)
    write(root / "records" / "main.tf", RECORDS_WITHOUT_LOGGING)
    write(root / "logging" / "main.tf", LOG_TARGET.replace(
        '"central-access-logs"', '"central-access-logs" # tutela:ignore LOG005 logs only'))
    cold, _ = run(root, None)
    findings = tuple(cold.findings)
    assert any(f.suppression is not None for f in findings)
    stored = pickle.loads(pickle.dumps(FindingBatch.of(findings)))
    stored._blob = b"\x80\x05not a pickle"
    assert stored.findings() == findings
    short = pickle.loads(pickle.dumps(FindingBatch.of(findings)))
    short._blob = pickle.dumps(findings[:-1])  # readable, but not these findings
    assert short.findings() == findings
