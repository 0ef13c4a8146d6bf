"""The HTML report: self-contained, escaped, with the charts and tables auditors read."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from tutela.engine.findings import ScanResult
from tutela.reports import render
from tutela.reports.context import ReportContext
from tutela.reports.html import render_html

from .audit_fixtures import HOSTILE_ADDRESS, HOSTILE_FILE, HOSTILE_MESSAGE, audit_inputs

VOID = {"meta", "link", "input", "br", "img", "hr", "col", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.iter())
        return out

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter()[1:]:
            if tag is not None and node.tag != tag:
                continue
            if all(
                (v in node.attrs.get(k.rstrip("_"), "").split())
                if k.rstrip("_") == "class"
                else node.attrs.get(k.rstrip("_")) == v
                for k, v in attrs.items()
            ):
                found.append(node)
        return found

    def by_id(self, ident: str) -> Node:
        found = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]

    def all_text(self) -> str:
        return "".join(n_text for n in self.iter() for n_text in n.text)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise AssertionError(f"stray </{tag}>")

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    return builder.root


@pytest.fixture
def html(result: ScanResult, ctx: ReportContext) -> str:
    return render_html(audit_inputs(result, ctx))


@pytest.fixture
def doc(html: str) -> Node:
    return parse(html)


def test_well_formed_and_deterministic(result: ScanResult, ctx: ReportContext, html: str) -> None:
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert html == render_html(audit_inputs(result, ctx))
    parse(html)


def test_self_contained(doc: Node, html: str) -> None:
    assert len(doc.find_all("style")) == 1 and len(doc.find_all("script")) == 1
    assert not doc.find_all("script", src="") and all(
        "src" not in n.attrs for n in doc.find_all("script")
    )
    for node in doc.iter():
        for name in ("src", "href", "xlink:href", "action"):
            value = node.attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:")), f"{node.tag} {name}={value!r}"
    css = doc.find_all("style")[0].all_text()
    assert "url(" not in css and "@import" not in css
    assert "http://" not in css and "https://" not in css


def test_content_security_policy_allows_only_its_own_style_and_script(doc: Node) -> None:
    meta = next(
        m for m in doc.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"
    )
    policy = meta.attrs["content"]
    assert "default-src 'none'" in policy

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    css = doc.find_all("style")[0].all_text()
    js = doc.find_all("script")[0].all_text()
    assert f"style-src '{digest(css)}'" in policy
    assert f"script-src '{digest(js)}'" in policy
    assert not [n for n in doc.iter() if "style" in n.attrs], "inline style attributes"


def test_hostile_strings_are_escaped(doc: Node, html: str) -> None:
    # nothing from the findings became markup
    assert len(doc.find_all("script")) == 1
    assert not doc.find_all("img") and not doc.find_all("b")
    for node in doc.iter():
        assert not any(name.startswith("on") for name in node.attrs), (node.tag, node.attrs)
    # ...and it is all still there, as text
    text = doc.all_text()
    for value in (HOSTILE_ADDRESS, HOSTILE_MESSAGE, HOSTILE_FILE):
        assert value in text
    assert "&lt;script&gt;alert(&quot;address&quot;)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(1)&gt;" in html
    assert "Sam &lt;Ops&gt;" in html  # evidence performer
    assert "migration &lt;Q3&gt;" in html  # waiver reason


def test_header(doc: Node) -> None:
    header = doc.find_all("header")[0].all_text()
    for expected in (
        "ENG-POL-003 compliance report",
        "Cloud and Core Infrastructure Security Policy",
        "sha256-cc3050f7a26da9a1",
        "tutela 0.1.0",
        "2025-06-30T12:00:00Z",
        "scan-4",
        "infra, k8s",
    ):
        assert expected in header


def test_posture_chart_has_one_bar_per_section(doc: Node) -> None:
    chart = doc.by_id("posture-chart")
    assert chart.tag == "svg" and chart.attrs["role"] == "img"
    assert chart.find_all("title")[0].all_text() == "Posture per policy section"
    bars = chart.find_all("g", class_="bar")
    assert [b.attrs["data-key"] for b in bars] == [f"3.{n}" for n in range(1, 8)]
    section_33 = bars[2]
    assert {r.attrs["class"] for r in section_33.find_all("rect")} == {
        "seg-fail",
        "seg-no_verification",
    }
    assert "0%" in section_33.all_text()


def test_framework_chart_and_tables(doc: Node) -> None:
    bars = doc.by_id("framework-chart").find_all("g", class_="bar")
    assert [b.attrs["data-key"] for b in bars] == ["HITRUST", "HIPAA", "SOC2", "NIST", "CIS"]
    rows = doc.by_id("sections-table").find_all("tbody")[0].find_all("tr")
    assert len(rows) == 7
    assert doc.by_id("controls-table").find_all("tr")


def test_trend_chart_only_with_history(result: ScanResult, ctx: ReportContext, doc: Node) -> None:
    trend = doc.by_id("trend-chart")
    assert len(trend.find_all("circle", class_="trend-dot")) == 4
    assert trend.find_all("polyline")
    without = parse(render_html(audit_inputs(result, ctx, trend=False)))
    assert not [n for n in without.iter() if n.attrs.get("id") == "trend-chart"]


def test_findings_table(result: ScanResult, doc: Node) -> None:
    table = doc.by_id("findings-table")
    groups = [n.find_all("a")[0].all_text() for n in table.find_all("tr", class_="group-row")]
    assert groups == [
        "ENG-POL-003:3.1.1.a.2",
        "ENG-POL-003:3.3.1.a.3",
        "ENG-POL-003:3.3.1.a.4",
        "ENG-POL-003:3.7.1.a.1",
    ]
    rows = table.find_all("tr", class_="finding")
    # ENC001: 5 listed findings (3 fail incl. the hostile one, 1 not evaluated, 1 suppressed)
    # under two requirements; ENC002: 1; LOG002: fail, error, waived
    assert len(rows) == 5 * 2 + 1 + 3
    first = rows[0].find_all("td")
    assert first[0].all_text() == "High" and first[1].all_text() == "Fail"
    locations = {r.find_all("td", class_="loc")[0].all_text() for r in rows}
    assert {"infra/ebs.tf:5-9", "arn:aws:s3:::legacy-bucket"} <= locations
    assert table.find_all("th", scope="col")
    # remediation for every listed rule, linked from the rows
    for code in ("ENC001", "ENC002", "LOG002"):
        assert doc.by_id(f"fix-{code}").find_all("h3")
    assert "Enable default server-side encryption" in doc.by_id("fix-ENC001").all_text()


def test_requirements_table(doc: Node) -> None:
    rows = doc.by_id("requirements-table").find_all("tbody")[0].find_all("tr")
    assert len(rows) == 135
    states = {r.attrs["id"]: r.attrs["data-state"] for r in rows}
    assert states["req-3.3.1.a.3"] == "fail"
    assert states["req-3.2.2.a.1"] == "attested"
    assert states["req-3.6.2.a.4"] == "fail"  # overdue evidence


def test_waivers_with_approvers_and_expiry(doc: Node) -> None:
    rows = doc.by_id("waivers-table").find_all("tbody")[0].find_all("tr")
    by_id = {r.attrs["data-waiver"]: r for r in rows}
    assert "expired" in by_id["W-07"].attrs["class"].split()
    assert "Expired" in by_id["W-07"].all_text()
    assert "2025-05-31" in by_id["W-07"].find_all("td", class_="exp")[0].all_text()
    active = by_id["W-12"]
    assert "active" in active.attrs["class"].split()
    assert "ciso, privacy-officer" in active.all_text()


def test_evidence_status(doc: Node) -> None:
    rows = doc.by_id("evidence-table").find_all("tbody")[0].find_all("tr")
    by_req = {r.find_all("th")[0].all_text(): r for r in rows}
    assert by_req["3.6.2.a.4"].attrs["data-state"] == "overdue"
    assert "overdue" in by_req["3.6.2.a.4"].attrs["class"].split()
    assert "2025-03-01" in by_req["3.6.2.a.4"].find_all("td", class_="due")[0].all_text()
    assert by_req["3.2.2.a.2"].attrs["data-state"] == "due_soon"
    assert "Due soon" in by_req["3.2.2.a.2"].all_text()
    assert "2025-08-31" in by_req["3.2.2.a.1"].all_text()
    assert "access-review.csv" in by_req["3.2.2.a.1"].all_text()
    assert by_req["3.1.2.b.5"].attrs["data-state"] == "missing"


def test_accessible_basics(doc: Node) -> None:
    assert doc.find_all("html")[0].attrs["lang"] == "en"
    assert len(doc.find_all("h1")) == 1
    assert len(doc.find_all("h2")) >= 8
    for svg in doc.find_all("svg"):
        assert svg.attrs.get("role") == "img"
        assert svg.find_all("title"), svg.attrs.get("id")
    for table in doc.find_all("table"):
        assert table.find_all("caption") and table.find_all("th")
    for control in doc.find_all("input") + doc.find_all("select"):
        assert doc.find_all("label", for_=control.attrs["id"])


def test_scan_format_and_empty_scan(
    result: ScanResult, empty_result: ScanResult, ctx: ReportContext
) -> None:
    text = render("html", result, ctx)
    doc = parse(text)
    assert len(doc.by_id("posture-chart").find_all("g", class_="bar")) == 7
    empty = parse(render("html", empty_result, ctx))
    assert not [n for n in empty.iter() if n.attrs.get("id") == "findings-table"]
    assert "No failing, waived, suppressed or unevaluated findings." in empty.all_text()
    assert "No waivers." in empty.all_text()


def test_numbers_in_charts_are_plain(html: str) -> None:
    for value in re.findall(r'\s(?:x|y|width|height)="([^"]*)"', html):
        assert re.fullmatch(r"-?\d+(\.\d+)?%?", value), value


def test_no_waivers_no_evidence(result: ScanResult, ctx: ReportContext) -> None:
    inputs = dataclasses.replace(audit_inputs(result, ctx), waivers=(), evidence=())
    doc = parse(render_html(inputs))
    assert "No waivers." in doc.by_id("waivers").all_text()
    assert "No evidence status was given" in doc.by_id("evidence").all_text()
