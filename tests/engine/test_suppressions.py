from __future__ import annotations

from tutela.engine.evaluate import evaluate
from tutela.engine.ruleset import RuleSet
from tutela.engine.suppressions import SuppressionIndex, find_suppressions
from tutela.model.aws import S3Bucket
from tutela.model.values import Location
from tutela.rules.api import Status
from tutela.rules.encryption.aws import bucket_encrypted_at_rest

HCL = """\
# tutela:ignore ENC001 public website assets, no ePHI (SEC-42)
resource "aws_s3_bucket" "site" {
  bucket = "site"
}

resource "aws_s3_bucket" "records" {
  bucket = "records" # tutela:ignore ENC001
}

resource "aws_s3_bucket" "other" {
  bucket = "other"
}
"""


def _bucket(name: str, start: int, end: int) -> S3Bucket:
    return S3Bucket(address=f"aws_s3_bucket.{name}", native_type="aws_s3_bucket",
                    source="terraform", location=Location("main.tf", start, end))


def test_comments_are_parsed_with_codes_and_reasons() -> None:
    comments = find_suppressions("main.tf", HCL)
    assert [(c.codes, c.reason, c.location.start_line) for c in comments] == [
        (("ENC001",), "public website assets, no ePHI (SEC-42)", 1),
        (("ENC001",), "", 7),
    ]


def test_reasoned_suppression_applies_to_the_block_below_only() -> None:
    index = SuppressionIndex(find_suppressions("main.tf", HCL), {"main.tf": HCL})
    resources = [_bucket("site", 2, 4), _bucket("records", 6, 8), _bucket("other", 10, 12)]
    findings = evaluate(resources, RuleSet.of([bucket_encrypted_at_rest]), suppressions=index)
    by = {f.resource_address: f for f in findings}
    assert by["aws_s3_bucket.site"].status is Status.SUPPRESSED
    assert by["aws_s3_bucket.site"].suppression is not None
    assert by["aws_s3_bucket.site"].suppression.reason.startswith("public website")
    # no reason: does not apply
    assert by["aws_s3_bucket.records"].status is Status.FAIL
    assert by["aws_s3_bucket.other"].status is Status.FAIL


def test_yaml_and_slash_comments_and_several_codes() -> None:
    text = "// tutela:ignore NET001, NET002 - lab only\n# tutela:ignore:CTR005 tracked in OPS-7\n"
    comments = find_suppressions("x", text)
    assert comments[0].codes == ("NET001", "NET002") and comments[0].reason == "lab only"
    assert comments[1].codes == ("CTR005",) and comments[1].reason == "tracked in OPS-7"
