"""Waivers: the file, the approval rules, applying them to findings, and lint."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tutela.engine.findings import Finding
from tutela.engine.waivers import (
    ProblemKind,
    Waiver,
    WaiverError,
    WaiverRules,
    add_waiver,
    apply_waivers,
    check_waiver,
    find_waiver_file,
    lint_waivers,
    load_waivers,
    next_waiver_id,
    parse_waivers,
    remove_waiver,
)
from tutela.rules.api import Severity, Status

TODAY = date(2025, 6, 1)
RULES = WaiverRules(
    rule_severity={"NET001": Severity.CRITICAL, "ENC001": Severity.HIGH},
    requirement_severity={"3.1.2.a.2": Severity.CRITICAL, "3.3.1.a.3": Severity.HIGH},
    requirements={"3.1.2.a.2", "3.3.1.a.3"},
)


def finding(
    rule: str = "NET001",
    address: str = "aws_security_group.web",
    *,
    severity: Severity = Severity.CRITICAL,
    status: Status = Status.FAIL,
    source: str = "terraform",
    arn: str | None = None,
    controls: tuple[str, ...] = ("3.1.2.a.2",),
) -> Finding:
    return Finding(
        rule_code=rule,
        rule_name=rule.lower(),
        title=f"{rule} title",
        severity=severity,
        controls=controls,
        status=status,
        message="open to the internet",
        resource_address=address,
        resource_kind="security_group",
        native_type="aws_security_group",
        source=source,
        location=None,
        arn=arn,
        fingerprint=Finding.make_fingerprint(rule, arn or f"{source}:{address}", None),
    )


def waiver(**changes: object) -> Waiver:
    base: dict[str, object] = {
        "id": "W-0001",
        "rule": "NET001",
        "resource": "aws_security_group.*",
        "reason": "vendor appliance, replaced in Q3",
        "requested_by": "alice",
        "approved_by": ("bob", "carol"),
        "approved_on": TODAY - timedelta(days=30),
        "expires_on": TODAY + timedelta(days=30),
    }
    base.update(changes)
    return Waiver(**base)  # type: ignore[arg-type]


def kinds(w: Waiver, today: date = TODAY) -> set[ProblemKind]:
    return {p.kind for p in check_waiver(w, RULES, today=today)}


# ------------------------------------------------------------------ approval rules


def test_valid_waiver_has_no_problem() -> None:
    assert kinds(waiver()) == set()


def test_one_approver_on_a_critical_rule_is_refused() -> None:
    assert kinds(waiver(approved_by=("bob",))) == {ProblemKind.APPROVERS}
    # The requester does not count as the second approver, nor a repeated name.
    assert ProblemKind.APPROVERS in kinds(waiver(approved_by=("bob", "Bob ")))
    assert kinds(waiver(approved_by=("bob", "alice"))) == {
        ProblemKind.APPROVERS,
        ProblemKind.SELF_APPROVED,
    }
    # By requirement: the highest severity of its rules decides.
    w = waiver(rule=None, requirement="3.1.2.a.2", approved_by=("bob",))
    assert kinds(w) == {ProblemKind.APPROVERS}


def test_one_approver_is_enough_below_critical() -> None:
    assert kinds(waiver(rule="ENC001", approved_by=("bob",))) == set()


def test_self_approval_is_refused() -> None:
    problems = check_waiver(waiver(rule="ENC001", approved_by=("ALICE",)), RULES, today=TODAY)
    assert {p.kind for p in problems} == {ProblemKind.SELF_APPROVED, ProblemKind.APPROVERS}
    assert "alice requested it" in problems[0].message


def test_expiry_is_bounded_by_max_days() -> None:
    w = waiver(approved_on=TODAY, expires_on=TODAY + timedelta(days=366))
    assert kinds(w) == {ProblemKind.OVER_LONG}
    assert kinds(waiver(approved_on=TODAY, expires_on=TODAY + timedelta(days=365))) == set()
    from dataclasses import replace

    short = replace(RULES, max_days=90)
    assert {p.kind for p in check_waiver(w, short, today=TODAY)} == {ProblemKind.OVER_LONG}


def test_expired_and_future_and_unknown() -> None:
    expired = waiver(expires_on=TODAY - timedelta(days=1))
    assert kinds(expired) == {ProblemKind.EXPIRED}
    assert kinds(waiver(expires_on=TODAY)) == set()  # valid through its expiry date
    assert ProblemKind.NOT_YET_APPROVED in kinds(waiver(approved_on=TODAY + timedelta(days=1)))
    assert kinds(waiver(rule="NOPE01")) == {ProblemKind.UNKNOWN_SCOPE}
    assert kinds(waiver(rule=None, requirement="9.9.9.z.9")) == {ProblemKind.UNKNOWN_SCOPE}


# ------------------------------------------------------------------ applying


def test_two_approvers_waive_a_critical_finding() -> None:
    out = apply_waivers([finding()], [waiver()], today=TODAY, rules=RULES)
    (f,) = out.findings
    assert f.status is Status.WAIVED
    assert f.waiver_id == "W-0001"
    assert "waived by W-0001" in f.message
    assert out.applied == {"W-0001": 1}
    assert out.notes == ()


def test_one_approver_does_not_waive_a_critical_finding() -> None:
    w = waiver(approved_by=("bob",))
    out = apply_waivers([finding()], [w], today=TODAY, rules=RULES)
    assert out.findings[0].status is Status.FAIL
    assert out.findings[0].waiver_id is None
    assert any("W-0001" in n and "two distinct approvers" in n for n in out.notes)
    # Even a requirement-scoped waiver that the rules do not flag as critical.
    w = waiver(rule=None, requirement="3.1.2.a.2", approved_by=("bob",))
    out = apply_waivers([finding()], [w], today=TODAY, rules=WaiverRules())
    assert out.findings[0].status is Status.FAIL


def test_after_expiry_the_finding_fails_again_and_the_waiver_is_reported() -> None:
    w = waiver(expires_on=TODAY)
    assert apply_waivers([finding()], [w], today=TODAY, rules=RULES).findings[0].status is (
        Status.WAIVED
    )
    out = apply_waivers([finding()], [w], today=TODAY + timedelta(days=1), rules=RULES)
    assert out.findings[0].status is Status.FAIL
    assert out.expired == (w,)
    (note,) = out.notes
    assert "W-0001 expired on 2025-06-01" in note
    assert "1 finding(s) fail again" in note
    assert "NET001 on aws_security_group.web" in note


def test_expired_waiver_covering_nothing_is_still_reported() -> None:
    w = waiver(expires_on=TODAY - timedelta(days=3), resource="nothing.*")
    out = apply_waivers([finding()], [w], today=TODAY, rules=RULES)
    assert out.notes == ("waiver W-0001 expired on 2025-05-29 (it covers no failing finding)",)


def test_invalid_waivers_never_apply() -> None:
    for bad in (
        waiver(approved_by=("alice", "bob", "carol")),  # self-approved
        waiver(approved_on=TODAY - timedelta(days=10), expires_on=TODAY + timedelta(days=400)),
        waiver(approved_on=TODAY + timedelta(days=1)),
    ):
        out = apply_waivers([finding()], [bad], today=TODAY, rules=RULES)
        assert out.findings[0].status is Status.FAIL, bad
        assert out.notes and "not applied" in out.notes[0]


def test_scope_matching() -> None:
    arn = "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1"
    live = finding(address=arn, source="aws", arn=arn)
    w = waiver(resource="*", source="aws", account="111122223333")
    assert w.covers(live)
    assert not w.covers(finding())  # terraform source
    assert not waiver(resource="*", account="999999999999").covers(live)
    assert waiver(resource="arn:aws:ec2:*:security-group/sg-*").covers(live)
    assert not waiver(resource="aws_security_group.db").covers(finding())
    assert waiver(rule=None, requirement="3.1.2.a.2").covers(finding())
    assert not waiver(rule="ENC001").covers(finding())
    passing = finding(status=Status.PASS)
    out = apply_waivers([passing], [waiver()], today=TODAY, rules=RULES)
    assert out.findings == (passing,)


# ------------------------------------------------------------------ the file


FILE = """\
# reviewed by the security team
version: 1
max_days: 180
waivers:
  - id: W-0001
    rule: NET001
    resource: "aws_security_group.*"
    reason: vendor appliance
    requested_by: alice
    approved_by: [bob, carol]
    approved_on: 2025-05-01
    expires_on: 2025-07-01
  - id: W-0002
    rule: ENC001
    resource: "*"
    reason: self
    requested_by: dave
    approved_by: dave
    approved_on: 2025-05-01
    expires_on: 2025-12-31
  - id: W-0003
    requirement: 3.3.1.a.3
    rule: ENC001
    reason: both scopes
    requested_by: erin
    approved_by: [frank]
    approved_on: 2025-13-01
    colour: blue
"""


def test_parse_keeps_lines_and_reports_malformed_entries(tmp_path: Path) -> None:
    path = tmp_path / ".tutela-waivers.yaml"
    path.write_text(FILE)
    loaded = load_waivers(path)
    assert loaded.max_days == 180
    assert [w.id for w in loaded.waivers] == ["W-0001", "W-0002"]
    assert loaded.waivers[0].line == 5
    assert loaded.waivers[0].approved_by == ("bob", "carol")
    assert loaded.waivers[1].approved_by == ("dave",)
    messages = {(p.line, p.message) for p in loaded.problems}
    assert (21, "missing expires_on") in messages
    assert (21, "give exactly one of `rule` or `requirement` as its scope") in messages
    assert (27, "approved_on must be a date (YYYY-MM-DD), not '2025-13-01'") in messages
    assert (28, "unknown field 'colour'") in messages


def test_lint_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / ".tutela-waivers.yaml"
    path.write_text(FILE)
    problems = lint_waivers(load_waivers(path), RULES, today=TODAY)
    text = [str(p) for p in problems]
    assert f"{path}:13: W-0002: self-approved: dave requested it and cannot approve it" in text
    assert any(t.startswith(f"{path}:13: W-0002: over-long") for t in text)  # 244 > 180 days
    assert any(t.startswith(f"{path}:28: W-0003: unknown field") for t in text)
    assert not any("W-0001" in t for t in text)
    later = lint_waivers(load_waivers(path), RULES, today=date(2025, 7, 2))
    assert any(p.kind is ProblemKind.EXPIRED and p.waiver_id == "W-0001" for p in later)


def test_syntax_errors_raise() -> None:
    with pytest.raises(WaiverError, match="invalid YAML"):
        parse_waivers("waivers: [\n")
    with pytest.raises(WaiverError, match="must be a list"):
        parse_waivers("waivers: 3\n")
    assert parse_waivers("").waivers == ()


def test_add_and_remove_keep_comments(tmp_path: Path) -> None:
    path = tmp_path / ".tutela-waivers.yaml"
    path.write_text(FILE.split("  - id: W-0002")[0])
    add_waiver(path, waiver(id="W-0002", approved_on=TODAY, expires_on=TODAY))
    text = path.read_text()
    assert text.startswith("# reviewed by the security team\n")
    loaded = load_waivers(path)
    assert [w.id for w in loaded.waivers] == ["W-0001", "W-0002"]
    assert loaded.waivers[1] == waiver(id="W-0002", approved_on=TODAY, expires_on=TODAY)
    with pytest.raises(WaiverError, match="already exists"):
        add_waiver(path, waiver(id="W-0002"))
    remove_waiver(path, "W-0001")
    assert [w.id for w in load_waivers(path).waivers] == ["W-0002"]
    assert path.read_text().startswith("# reviewed by the security team\n")
    with pytest.raises(WaiverError, match="no waiver"):
        remove_waiver(path, "W-0001")


def test_new_file_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "sub" / ".tutela-waivers.yaml"
    add_waiver(path, waiver())
    assert load_waivers(path).waivers == (waiver(),)
    assert next_waiver_id(["W-0001", "W-0009", "custom"]) == "W-0010"
    assert next_waiver_id([]) == "W-0001"
    (tmp_path / "sub" / "deep").mkdir()
    assert find_waiver_file(tmp_path / "sub" / "deep") == path
    assert load_waivers(tmp_path / "missing.yaml").waivers == ()
