"""Every shipped rule over a live collection of every service: no rule errors on live data
or on the placeholders that stand for what could not be listed."""

from __future__ import annotations

import json

from tutela.model.aws import S3Bucket

from .helpers import Moto, judge, run
from .seed import seed_everything


def test_no_rule_errors_on_live_resources(moto: Moto) -> None:
    seed_everything(moto)
    collection = run(())
    findings = judge(collection)
    errors = [(f.rule_code, f.resource_address, f.message) for f in findings
              if f.status.value == "error"]
    assert not errors
    assert {f.status.value for f in findings} >= {"pass", "fail"}


def test_no_rule_errors_on_placeholders(moto: Moto) -> None:
    iam = moto.client("iam")
    iam.create_user(UserName="auditor")
    iam.put_user_policy(UserName="auditor", PolicyName="deny", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
            {"Effect": "Allow", "Action": "ec2:DescribeRegions", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    moto.enforce_iam(True)
    collection = run((), access_key_id=key["AccessKeyId"],
                     secret_access_key=key["SecretAccessKey"])
    assert collection.resources and all(
        r.native_type == "tutela:not-listed" or r.kind in ("account_root",
                                                           "account_password_policy")
        for r in collection.resources)
    assert any(isinstance(r, S3Bucket) for r in collection.resources)
    findings = judge(collection)
    errors = [(f.rule_code, f.resource_address, f.message) for f in findings
              if f.status.value == "error"]
    assert not errors
    # What is known of a placeholder is its region (RES001 judges it); anything else about
    # resources that could not be listed is "not evaluated", never a failure.
    judged = {(f.rule_code, f.status.value) for f in findings
              if f.resource_address.endswith(":*") and f.status.value in ("pass", "fail")}
    assert {code for code, status in judged if status == "fail"} <= {"RES001"}
    assert sum(1 for f in findings if f.status.value == "not_evaluated") > 50
