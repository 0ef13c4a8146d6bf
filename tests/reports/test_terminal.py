from __future__ import annotations

from rich.console import Console

from tutela.engine.findings import ScanResult
from tutela.reports import render, render_terminal
from tutela.reports.context import ReportContext
from tutela.reports.terminal import short_text
from tutela.rules.api import Status

from .conftest import RULES, make_finding


def _text(result: ScanResult, ctx: ReportContext, **kwargs: bool) -> str:
    console = Console(record=True, width=120)
    render_terminal(result, ctx, console, **kwargs)
    return console.export_text()


def test_failures_grouped_by_requirement(result, ctx) -> None:
    out = _text(result, ctx)
    assert "Failures by requirement (4)" in out
    for req in (
        "ENG-POL-003:3.1.1.a.2",
        "ENG-POL-003:3.3.1.a.3",
        "ENG-POL-003:3.3.1.a.4",
        "ENG-POL-003:3.7.1.a.1",
    ):
        assert req in out
    assert "Data at rest shall be encrypted using AES-256 or stronger" in out
    # requirement headings in natural order
    assert out.index("3.1.1.a.2") < out.index("3.3.1.a.3") < out.index("3.7.1.a.1")
    assert "ENC001 Object storage is encrypted at rest" in out
    assert "infra/main.tf:3" in out
    assert 'aws_ebs_volume.db["primary"]' in out  # brackets are not eaten as markup
    assert "infra/ebs.tf:5" in out
    assert "no default server-side encryption" in out
    assert "HIGH" in out and "CRITICAL" in out and "MEDIUM" in out
    assert "arn:aws:s3:::legacy-bucket" in out


def test_default_shows_counts_not_details(result, ctx) -> None:
    out = _text(result, ctx)
    assert "Error (1)" in out and "KeyError" in out  # errors always in detail
    assert "Not evaluated (1)" in out
    assert "ENC001 Object storage is encrypted at rest: 1 finding" in out
    assert "var.sse" not in out
    assert "Suppressed (1)" in out
    assert "public website assets" not in out
    assert "Waived (1)" in out
    assert "Not applicable" not in out
    assert "aws_s3_bucket.logs" not in out  # passes hidden


def test_verbose_details_every_non_pass(result, ctx) -> None:
    out = _text(result, ctx, verbose=True)
    assert "var.sse" in out
    assert "suppressed: public website assets, no regulated data (infra/web.tf:2)" in out
    assert "waived until 2026-12-31" in out
    assert "Not applicable (1)" in out and "ephemeral volume" in out
    assert "aws_s3_bucket.logs" not in out


def test_show_passed(result, ctx) -> None:
    out = _text(result, ctx, show_passed=True)
    assert "Passed by requirement (2)" in out
    assert "aws_s3_bucket.logs" in out
    assert "infra/main.tf:10" in out


def test_parse_errors_and_notes(result, ctx) -> None:
    out = _text(result, ctx)
    assert "Parse errors (2)" in out
    assert "infra/broken.tf:7:12" in out and "unexpected token '}'" in out
    assert "k8s/bad.yaml" in out and "not valid YAML" in out
    assert "1 file skipped: infra/big.bin (binary)" in out


def test_summary_line(result, ctx) -> None:
    out = _text(result, ctx)
    last = " ".join(out[out.index("Summary:") :].split())  # it may wrap at the console width
    assert last.startswith("Summary: 4 failed, 1 error, 1 not evaluated, 1 suppressed, 1 waived,")
    assert "1 not applicable, 2 passed, 2 parse errors" in last
    assert "6 resources in 4 files, 3 rules, 0.43s" in last


def test_clean_scan(empty_result, ctx) -> None:
    out = _text(empty_result, ctx)
    assert "No failures." in out
    assert "Summary: 0 failed, 0 passed | 0 resources in 0 files, 3 rules, 0.00s" in out


def test_no_colour_codes_when_not_a_terminal(result, ctx) -> None:
    import io

    buffer = io.StringIO()
    render_terminal(result, ctx, Console(file=buffer, width=80), verbose=True)
    out = buffer.getvalue()
    assert "\x1b[" not in out
    assert "ENG-POL-003:3.3.1.a.3" in out


def test_colour_when_forced(result, ctx) -> None:
    import io

    buffer = io.StringIO()
    render_terminal(result, ctx, Console(file=buffer, width=80, force_terminal=True))
    assert "\x1b[" in buffer.getvalue()


def test_narrow_console_wraps_without_losing_text(ctx) -> None:
    long_address = "module.a.module.b.aws_s3_bucket.very_long_bucket_name_" + "x" * 60
    f = make_finding(RULES[0], Status.FAIL, long_address, message="word " * 30)
    result = ScanResult(
        findings=(f,),
        parse_errors=(),
        resource_count=1,
        files_scanned=1,
        rule_count=1,
        duration_seconds=0.0,
    )
    console = Console(record=True, width=40)
    render_terminal(result, ctx, console)
    out = console.export_text()
    assert all(len(line) <= 40 for line in out.splitlines())
    assert long_address in out.replace("\n", "").replace(" ", "") or "x" * 30 in out


def test_plain_text_render(result, ctx) -> None:
    text = render("terminal", result, ctx)
    assert "\x1b[" not in text
    assert "ENG-POL-003:3.3.1.a.3" in text
    assert "var.sse" in text  # the file report is verbose


def test_short_text() -> None:
    assert short_text("First sentence. Second one.") == "First sentence"
    cut = short_text("word " * 50, limit=20)
    assert len(cut) == 20 and cut.endswith("…")


def test_many_failures_per_requirement_are_counted_not_all_listed(ctx) -> None:
    from tutela.reports.terminal import PER_REQUIREMENT

    many = tuple(
        make_finding(RULES[0], Status.FAIL, f"aws_s3_bucket.b{i:03d}", line=i + 1)
        for i in range(PER_REQUIREMENT + 7)
    )
    result = ScanResult(findings=many, parse_errors=(), resource_count=len(many),
                        files_scanned=1, rule_count=1, duration_seconds=0.0)
    console = Console(record=True, width=160)
    render_terminal(result, ctx, console)
    out = console.export_text()
    assert "… and 7 more for this requirement" in out
    assert "aws_s3_bucket.b000" in out and f"aws_s3_bucket.b{PER_REQUIREMENT + 6:03d}" not in out
    assert f"{PER_REQUIREMENT + 7} failed" in out  # the summary still counts every failure
    verbose = Console(record=True, width=160)
    render_terminal(result, ctx, verbose, verbose=True)
    assert f"aws_s3_bucket.b{PER_REQUIREMENT + 6:03d}" in verbose.export_text()
