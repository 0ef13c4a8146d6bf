"""The HTML report in a real headless Chromium (Debian's `chromium`), driven by Playwright.

The report of a real scan of `examples/insecure` (plus waivers, evidence, a
trend and a finding full of markup) is opened from a file:// URL with every
request outside file:// blocked and recorded. The page must raise no error,
log no console error (a Content-Security-Policy violation would be one),
fetch nothing, show the posture chart with one bar per policy section, list
the expected findings, and its filter must work.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tutela.catalog.loader import load_catalog
from tutela.engine.findings import Finding, ScanResult
from tutela.engine.posture_model import TrendPoint
from tutela.engine.ruleset import RuleSet
from tutela.evidence.model import EvidenceRecord, EvidenceState, EvidenceStatus
from tutela.model.values import Location
from tutela.reports.audit import AuditInputs, WaiverEntry, scan_posture
from tutela.reports.context import ReportContext
from tutela.reports.html import LISTED_STATUSES, render_html
from tutela.rules import default_rules
from tutela.rules.api import Severity, Status

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "insecure"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AT = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
HOSTILE = '<img src="https://attacker.invalid/x.png" onerror="console.error(\'pwned\')">'

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; "
        ".ci/run installs it)",
    ),
    pytest.mark.skipif(not EXAMPLE.is_dir(), reason="examples/insecure not present"),
]


def _scan() -> tuple[ScanResult, ReportContext]:
    from tutela.engine.scan import scan

    catalog = load_catalog(None)
    ruleset = RuleSet.of(default_rules())
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        result = scan([Path("examples/insecure")], ruleset)
    finally:
        os.chdir(cwd)
    hostile = Finding(
        rule_code="ENC001",
        rule_name="bucket_encrypted_at_rest",
        title="Object storage is encrypted at rest",
        severity=Severity.HIGH,
        controls=("3.3.1.a.3",),
        status=Status.FAIL,
        message=f"bucket {HOSTILE}",
        resource_address='aws_s3_bucket.x"><script>console.error("pwned")</script>',
        resource_kind="s3_bucket",
        native_type="aws_s3_bucket",
        source="terraform",
        location=Location(f"infra/{HOSTILE}.tf", 3, 9),
        fingerprint="f" * 32,
    )
    result = dataclasses.replace(result, findings=(*result.findings, hostile))
    ctx = ReportContext(
        ruleset=ruleset,
        tool_version="0.1.0",
        policy_id=catalog.policy_id,
        requirement_text={r.id: r.text for r in catalog.requirements},
        catalog=catalog,
    )
    return result, ctx


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ScanResult]:
    result, ctx = _scan()
    catalog = load_catalog(None)
    evidence = (
        EvidenceStatus(
            "3.2.2.a.1",
            EvidenceState.ATTESTED,
            date(2025, 6, 2),
            date(2025, 9, 1),
            EvidenceRecord("ev-1", "3.2.2.a.1", date(2025, 6, 2), "Dana", AT),
        ),
        EvidenceStatus("3.6.2.a.4", EvidenceState.OVERDUE, date(2024, 3, 1), date(2025, 3, 1)),
    )
    waivers = (
        WaiverEntry(
            "W-1",
            "Legacy bucket, migrating in Q3",
            ("ciso", "dpo"),
            date(2026, 1, 31),
            rule="LOG002",
        ),
        WaiverEntry("W-2", "Vendor appliance", ("ciso",), date(2025, 5, 31), rule="ENC001"),
    )
    posture = scan_posture(result, catalog, evidence, generated_at=AT)
    posture = dataclasses.replace(
        posture,
        trend=tuple(
            TrendPoint(f"s{n}", datetime(2025, n, 1, tzinfo=UTC), p, f)
            for n, p, f in ((3, 20.0, 60), (4, 31.5, 48), (5, 44.0, 40), (6, 52.5, 33))
        ),
    )
    inputs = AuditInputs(result, ctx, AT, posture, evidence, waivers, scan_id="6")
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(inputs), encoding="utf-8")
    return path, result


def _expected_rows(result: ScanResult) -> int:
    return sum(len(f.controls) for f in result.findings if f.status in LISTED_STATUSES)


def test_report_in_chromium(report: tuple[Path, ScanResult], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    path, result = report
    console: list[tuple[str, str]] = []
    page_errors: list[str] = []
    requests: list[str] = []
    blocked: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", guard)
            page = context.new_page()
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(200)

            assert page.title().startswith("ENG-POL-003 compliance report")
            chart = page.locator("#posture-chart")
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 400 and box["height"] > 100
            bars = page.locator("#posture-chart g.bar")
            assert bars.count() == 7
            assert [bars.nth(i).get_attribute("data-key") for i in range(7)] == [
                f"3.{n}" for n in range(1, 8)
            ]
            failing = page.locator("#posture-chart rect.seg-fail").first
            assert failing.is_visible()
            assert page.locator("#framework-chart g.bar").count() == 5
            assert page.locator("#trend-chart").is_visible()

            rows = page.locator("#findings-table tr.finding")
            expected = _expected_rows(result)
            assert expected > 20
            assert rows.count() == expected
            assert page.locator("#finding-count").inner_text() == (
                f"{expected} of {expected} rows shown"
            )
            # the markup in the hostile finding is shown as text
            assert page.get_by_text(HOSTILE, exact=False).count() >= 1
            assert page.locator("img").count() == 0

            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)

            # the filter works: only ENC002 rows, then critical ones only
            page.fill("#finding-filter", "ENC002")
            enc002 = sum(
                len(f.controls)
                for f in result.findings
                if f.status in LISTED_STATUSES and f.rule_code == "ENC002"
            )
            assert page.locator("#findings-table tr.finding:visible").count() == enc002
            page.fill("#finding-filter", "")
            page.select_option("#severity-filter", "critical")
            critical = sum(
                len(f.controls)
                for f in result.findings
                if f.status in LISTED_STATUSES and f.severity is Severity.CRITICAL
            )
            assert page.locator("#findings-table tr.finding:visible").count() == critical
            assert page.locator("#waivers-table tr.expired").count() == 1
            assert page.locator("#evidence-table tr.overdue").count() == 1
        finally:
            browser.close()

    assert page_errors == []
    assert [m for m in console if m[0] in ("error", "warning")] == []
    assert blocked == []
    assert requests and all(u.startswith("file://") for u in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 10_000
