from __future__ import annotations

import csv
import io

from tutela.engine.findings import ScanResult
from tutela.reports import render
from tutela.reports.context import ReportContext
from tutela.reports.csv_report import COLUMNS
from tutela.rules.api import Status

from .conftest import RULES, make_finding


def _rows(result: ScanResult, ctx: ReportContext) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render("csv", result, ctx), newline="")))


def test_header_and_row_count(result, ctx) -> None:
    text = render("csv", result, ctx)
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert tuple(header) == COLUMNS
    assert {
        "rule_code",
        "rule_name",
        "requirements",
        "status",
        "severity",
        "resource_address",
        "resource_kind",
        "native_type",
        "source",
        "file",
        "start_line",
        "end_line",
        "arn",
        "message",
        "suppression_reason",
        "suppression_file",
        "suppression_line",
    } <= set(header)
    rows = _rows(result, ctx)
    assert len(rows) == len(result.findings) + len(result.parse_errors)


def test_finding_row(result, ctx) -> None:
    rows = _rows(result, ctx)
    row = next(
        r
        for r in rows
        if r["rule_code"] == "ENC001" and r["resource_address"] == "aws_s3_bucket.data"
    )
    assert row["requirements"] == "3.3.1.a.3;3.1.1.a.2"
    assert (row["status"], row["severity"]) == ("fail", "high")
    assert (row["file"], row["start_line"], row["end_line"]) == ("infra/main.tf", "3", "8")
    assert row["resource_kind"] == "s3_bucket" and row["native_type"] == "aws_s3_bucket"
    assert row["message"] == "no default server-side encryption"
    assert row["arn"] == "" and row["suppression_reason"] == ""

    live = next(r for r in rows if r["source"] == "aws" and r["status"] == "fail")
    assert (live["file"], live["start_line"]) == ("", "")
    assert live["arn"] == "arn:aws:s3:::legacy-bucket"

    sup = next(r for r in rows if r["status"] == "suppressed")
    assert sup["suppression_reason"] == "public website assets, no regulated data"
    assert (sup["suppression_file"], sup["suppression_line"]) == ("infra/web.tf", "2")


def test_parse_error_rows(result, ctx) -> None:
    rows = [r for r in _rows(result, ctx) if r["status"] == "parse_error"]
    assert [(r["file"], r["start_line"], r["column"], r["message"]) for r in rows] == [
        ("infra/broken.tf", "7", "12", "unexpected token '}'"),
        ("k8s/bad.yaml", "", "", "not valid YAML"),
    ]
    assert rows[0]["rule_code"] == ""


def test_sorted_by_file_line_rule(result, ctx) -> None:
    rows = [r for r in _rows(result, ctx) if r["status"] != "parse_error"]
    keys = [
        (
            r["file"] == "",
            r["file"],
            int(r["start_line"] or 0),
            r["rule_code"],
            r["resource_address"],
        )
        for r in rows
    ]
    assert keys == sorted(keys)


def test_quoting_round_trips(ctx) -> None:
    tricky = 'has, comma "quotes"\nand a newline'
    f = make_finding(RULES[0], Status.FAIL, 'aws_s3_bucket.x["a,b"]', message=tricky)
    result = ScanResult(
        findings=(f,),
        parse_errors=(),
        resource_count=1,
        files_scanned=1,
        rule_count=1,
        duration_seconds=0.0,
    )
    (row,) = _rows(result, ctx)
    assert row["message"] == tricky
    assert row["resource_address"] == 'aws_s3_bucket.x["a,b"]'


def test_formula_cells_are_neutralised(ctx) -> None:
    f = make_finding(RULES[0], Status.FAIL, '=HYPERLINK("http://x")', message="@SUM(A1)")
    result = ScanResult(
        findings=(f,),
        parse_errors=(),
        resource_count=1,
        files_scanned=1,
        rule_count=1,
        duration_seconds=0.0,
    )
    (row,) = _rows(result, ctx)
    assert row["resource_address"] == '\'=HYPERLINK("http://x")'
    assert row["message"] == "'@SUM(A1)"
    assert row["start_line"] == "1"


def test_empty_scan_has_header_only(empty_result, ctx) -> None:
    assert render("csv", empty_result, ctx) == ",".join(COLUMNS) + "\r\n"


def test_deterministic(result, ctx) -> None:
    assert render("csv", result, ctx) == render("csv", result, ctx)
