"""The tricky-but-compliant AWS corpus gives no failure with every shipped rule.

`tests/rules/corpus/compliant-tricky/aws/` is written the way real infrastructure is:
encryption and policies in companion resources, `aws_iam_policy_document` with dynamic
statements, values through variables, `for_each` modules and dynamic blocks, provider
aliases and `default_tags` that mark everything as ePHI, CIS detectors created from a map,
and a SAM template with Globals, Conditions, `Fn::If`, NoEcho parameters and dynamic
references. Each rule that judges it must pass or be not applicable; the only values not
known are the CloudFormation stack's region.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutela.engine.findings import ScanResult
from tutela.engine.ruleset import RuleSet
from tutela.engine.scan import scan
from tutela.rules import default_rules
from tutela.rules.api import Status

CORPUS = Path(__file__).parent / "corpus" / "compliant-tricky" / "aws"


@pytest.fixture(scope="module")
def result() -> ScanResult:
    import os

    before = os.getcwd()
    os.chdir(CORPUS)
    try:
        return scan([Path(".")], RuleSet.of(default_rules()))
    finally:
        os.chdir(before)


def test_corpus_parses(result: ScanResult) -> None:
    assert not result.parse_errors, [str(e) for e in result.parse_errors]
    assert result.resource_count > 70


def test_no_failure_with_all_rules(result: ScanResult) -> None:
    bad = [f"{f.rule_code} {f.resource_address}: {f.message}" for f in result.findings
           if f.status in (Status.FAIL, Status.ERROR)]
    assert not bad


def test_only_the_stacks_region_is_not_evaluated(result: ScanResult) -> None:
    unknown = {(f.rule_code, f.source) for f in result.findings
               if f.status is Status.NOT_EVALUATED}
    assert unknown <= {("RES001", "cloudformation")}


@pytest.mark.parametrize(("code", "address"), [
    # default_tags make the queue ePHI; its key is a for_each key
    ("KEY005", "aws_sqs_queue.claim_events"),
    # buckets from a for_each module, covered by a for-expression in an advanced selector
    ("LOG008", 'module.documents["intake"].aws_s3_bucket.this'),
    ("KEY003", 'module.documents["archive"].aws_s3_bucket.this'),
    # a multi-region key replicated through the DR provider alias
    ("KEY006", 'aws_kms_key.this["backup"]'),
    # CIS detectors created with for_each from one map
    ("LOG020", "aws_cloudtrail.main"),
    ("LOG023", "aws_cloudtrail.main"),
    # backup copies to the vault of the DR provider; a lock found through for_each values
    ("BAK006", "aws_backup_plan.claims"),
    ("BAK008", "aws_backup_vault.primary"),
    # SSH denied before the ephemeral range, built with a dynamic block
    ("NET006", "aws_network_acl.public"),
    # count-ed Aurora members; TLS forced in the cluster parameter group
    ("DR003", "aws_rds_cluster.claims"),
    ("ENC021", "aws_rds_cluster.claims"),
    # role policies from an aws_iam_policy_document with a dynamic statement
    ("IAM011", 'aws_lambda_function.this["intake"]'),
    # throttling from a usage plan, WAF from an association
    ("API003", "aws_api_gateway_stage.prod"),
    ("API005", "aws_api_gateway_stage.prod"),
    # regions from provider aliases
    ("RES001", "aws_backup_vault.dr"),
    # SAM: settings from Globals, Fn::If decided by the parameter's default
    ("FN005", "IntakeFunction"),
    ("KEY004", "DataKey"),
    ("SEC005", "Parameters.PartnerApiToken"),
    ("SEC006", "ClaimsDatabase"),
])
def test_corpus_exercises_the_rules(result: ScanResult, code: str, address: str) -> None:
    found = {f.status for f in result.findings
             if f.rule_code == code and f.resource_address == address}
    assert found == {Status.PASS}
