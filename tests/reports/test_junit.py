from __future__ import annotations

import xml.etree.ElementTree as ET

from tutela.engine.findings import ScanResult
from tutela.reports import render
from tutela.reports.context import ReportContext
from tutela.rules.api import Status

from .conftest import RULES, make_finding


def _tree(result: ScanResult, ctx: ReportContext) -> ET.Element:
    text = render("junit", result, ctx)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def _count(suite: ET.Element, tag: str) -> int:
    return sum(1 for case in suite.iter("testcase") if case.find(tag) is not None)


def test_one_suite_per_policy_section(result, ctx) -> None:
    root = _tree(result, ctx)
    assert root.tag == "testsuites"
    names = [s.get("name") for s in root.findall("testsuite")]
    assert names == [
        "ENG-POL-003 3.1 Cloud Infrastructure Security Framework",
        "ENG-POL-003 3.3 Data Protection and Encryption",
        "ENG-POL-003 3.7 Monitoring and Incident Response",
        "parse errors",
    ]


def test_counts_match_testcases(result, ctx) -> None:
    root = _tree(result, ctx)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        counted = {
            "tests": len(suite.findall("testcase")),
            "failures": _count(suite, "failure"),
            "errors": _count(suite, "error"),
            "skipped": _count(suite, "skipped"),
        }
        assert {k: int(suite.get(k, "-1")) for k in counted} == counted, suite.get("name")
        for k in totals:
            totals[k] += counted[k]
    assert {k: int(root.get(k, "-1")) for k in totals} == totals
    assert root.get("time") == "0.427"


def test_section_contents(result, ctx) -> None:
    root = _tree(result, ctx)
    suites = {s.get("name", "").split()[1]: s for s in root.findall("testsuite")}
    # 3.3: every ENC001/ENC002 finding (7); 3.1: ENC001 again (5); 3.7: LOG002 (4)
    assert len(suites["3.3"].findall("testcase")) == 7
    assert len(suites["3.1"].findall("testcase")) == 5
    assert len(suites["3.7"].findall("testcase")) == 4
    sec37 = suites["3.7"]
    assert (
        int(sec37.get("failures", "")),
        int(sec37.get("errors", "")),
        int(sec37.get("skipped", "")),
    ) == (1, 1, 1)


def test_testcase_fields(result, ctx) -> None:
    root = _tree(result, ctx)
    cases = [
        c
        for c in root.iter("testcase")
        if c.get("name") == "aws_s3_bucket.data" and c.get("classname", "").endswith("/ENC001")
    ]
    assert [c.get("classname") for c in cases] == [
        "ENG-POL-003:3.1.1.a.2/ENC001",
        "ENG-POL-003:3.3.1.a.3/ENC001",
    ]
    case = cases[1]
    assert case.get("file") == "infra/main.tf" and case.get("line") == "3"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "no default server-side encryption"
    assert failure.get("type") == "high"
    details = failure.text or ""
    assert "ENG-POL-003:3.3.1.a.3" in details
    assert "infra/main.tf:3-8" in details
    assert "remediation: Enable default server-side encryption" in details
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert props["requirements"] == "ENG-POL-003:3.3.1.a.3;ENG-POL-003:3.1.1.a.2"
    assert props["status"] == "fail" and props["severity"] == "high"


def test_statuses_map_to_elements(result, ctx) -> None:
    root = _tree(result, ctx)
    suite = next(s for s in root.findall("testsuite") if " 3.3 " in s.get("name", ""))

    def case(address: str, status: str) -> ET.Element:
        for c in suite.findall("testcase"):
            props = {p.get("name"): p.get("value") for p in c.iter("property")}
            if c.get("name") == address and props["status"] == status:
                return c
        raise AssertionError(f"no testcase {address} {status}")

    passed = case("aws_s3_bucket.logs", "pass")
    assert [child.tag for child in passed] == ["properties"]
    skipped = case("aws_s3_bucket.site", "suppressed").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "suppressed: public website assets, no regulated data (infra/web.tf:2)"
    )
    not_eval = case("aws_s3_bucket.vars", "not_evaluated").find("skipped")
    assert not_eval is not None and "var.sse" in (not_eval.get("message") or "")
    na = case("aws_ebs_volume.scratch", "not_applicable").find("skipped")
    assert na is not None and "ephemeral" in (na.get("message") or "")
    # the error lives in 3.7 (LOG002)
    err_cases = [
        c
        for c in root.iter("testcase")
        if c.find("error") is not None and c.get("classname", "").endswith("/LOG002")
    ]
    assert len(err_cases) == 1
    assert "KeyError" in (err_cases[0].find("error").get("message") or "")  # type: ignore[union-attr]


def test_parse_errors_are_error_testcases(result, ctx) -> None:
    root = _tree(result, ctx)
    suite = root.findall("testsuite")[-1]
    assert suite.get("name") == "parse errors"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["infra/broken.tf", "k8s/bad.yaml"]
    err = cases[0].find("error")
    assert err is not None
    assert err.get("message") == "unexpected token '}'"
    assert err.get("type") == "parse_error"
    assert err.text == "infra/broken.tf:7:12: unexpected token '}'"
    assert cases[0].get("line") == "7" and cases[1].get("line") is None


def test_special_characters_stay_well_formed(ctx) -> None:
    f = make_finding(
        RULES[0], Status.FAIL, 'aws_s3_bucket.x["<&>"]', message='bad "value" <script> & \x07 bell'
    )
    result = ScanResult(
        findings=(f,),
        parse_errors=(),
        resource_count=1,
        files_scanned=1,
        rule_count=1,
        duration_seconds=0.0,
    )
    root = _tree(result, ctx)
    case = next(root.iter("testcase"))
    assert case.get("name") == 'aws_s3_bucket.x["<&>"]'
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == 'bad "value" <script> &  bell'


def test_empty_scan(empty_result, ctx) -> None:
    root = _tree(empty_result, ctx)
    assert root.findall("testsuite") == []
    assert root.get("tests") == "0" and root.get("failures") == "0"


def test_deterministic(result, ctx) -> None:
    assert render("junit", result, ctx) == render("junit", result, ctx)
