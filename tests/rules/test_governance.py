"""SUP001 on the model: inline suppressions must state a reason."""

from __future__ import annotations

import pytest

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.model.governance import InlineSuppression
from tutela.model.values import Location
from tutela.rules.api import Status
from tutela.rules.governance import inline as governance

SUP001 = governance.suppression_has_reason

PASS, FAIL = Status.PASS, Status.FAIL


def comment(codes: tuple[str, ...], reason: str = "") -> InlineSuppression:
    return InlineSuppression(
        address="main.tf:12", native_type="tutela:ignore", source="terraform",
        location=Location("main.tf", 12, 12), codes=codes, reason=reason,
    )


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        pytest.param(comment(("ENC001",), "public website assets, no ePHI (SEC-123)"), PASS,
                     id="with-reason"),
        pytest.param(comment(("ENC001", "LOG005"), "static assets"), PASS, id="two-codes"),
        pytest.param(comment(("ENC001",)), FAIL, id="no-reason"),
        pytest.param(comment(()), FAIL, id="malformed-no-code"),
    ],
)
def test_sup001(resource: InlineSuppression, expected: Status) -> None:
    (finding,) = evaluate([resource], RuleSet.of([SUP001]))
    assert finding.status is expected
    assert finding.location == Location("main.tf", 12, 12)


def test_sup001_names_the_suppressed_codes() -> None:
    (finding,) = evaluate([comment(("ENC001", "KEY003"))], RuleSet.of([SUP001]))
    assert "ENC001" in finding.message
    assert "KEY003" in finding.message
