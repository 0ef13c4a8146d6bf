"""Rules about the scan's own governance: inline suppressions must be justified."""

from __future__ import annotations

from tutela.model.governance import InlineSuppression
from tutela.rules.api import Severity, Verdict, failed, passed, rule


@rule(
    code="SUP001",
    controls=("3.4.1.a.2", "3.4.1.b.5"),
    severity=Severity.LOW,
    remediation="""
        Write the reason after the rule code: `# tutela:ignore ENC001 public website
        assets, no ePHI (approved in SEC-123)`. A suppression without a reason does not
        apply.
    """,
)
def suppression_has_reason(comment: InlineSuppression) -> Verdict:
    """Inline suppressions state a reason.

    Why: an unexplained `ignore` hides a finding from review; policy exceptions need a
    documented justification that reviewers and auditors can read.
    """
    if not comment.codes:
        return failed("malformed tutela:ignore comment: name a rule code and a reason")
    if not comment.reason:
        return failed(f"suppression of {', '.join(comment.codes)} gives no reason")
    return passed(f"suppresses {', '.join(comment.codes)}: {comment.reason}")
