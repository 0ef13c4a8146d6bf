"""The rule API helpers rule authors rely on."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.rules.api import (
    Status,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    unknown,
)


def test_or_passed_gives_the_failures_in_order_and_no_pass() -> None:
    verdicts = [failed("a", at="x", subject="one"), failed("b", at="y", subject="two")]
    assert list(or_passed(verdicts, "all good")) == verdicts


def test_or_passed_adds_one_pass_when_nothing_was_given() -> None:
    assert list(or_passed([], "all good")) == [passed("all good")]
    assert list(or_passed(iter(()))) == [Verdict(Status.PASS, "")]


def test_or_passed_gives_no_pass_after_an_unknown() -> None:
    verdicts = [unknown("not known", subject="one")]
    assert list(or_passed(verdicts, "all good")) == verdicts
    mixed = [failed("a", subject="one"), unknown("not known", subject="two")]
    assert list(or_passed(mixed)) == mixed


def test_or_passed_gives_no_pass_after_any_verdict() -> None:
    verdicts = [not_applicable("nothing to judge")]
    assert list(or_passed(verdicts)) == verdicts


def test_or_passed_is_lazy() -> None:
    seen: list[str] = []

    def problems() -> Iterator[Verdict]:
        seen.append("started")
        yield failed("a")

    result = or_passed(problems())
    assert seen == []
    assert [v.status for v in result] == [Status.FAIL]
    assert seen == ["started"]
