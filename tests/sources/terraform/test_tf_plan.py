"""Plan JSON (`terraform show -json`) -> RawResources."""

from __future__ import annotations

import json
from pathlib import Path

from tutela.model.values import Location, Reference, Unknown
from tutela.sources.raw import RawResource
from tutela.sources.terraform import is_plan_json, load_plan

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = FIXTURES / "plan" / "plan.json"


def resources(path: Path = PLAN, root: Path = FIXTURES) -> dict[str, RawResource]:
    result = load_plan(path, root=root)
    assert result.errors == ()
    return {r.address: r for r in result.resources}


def test_planned_values_with_locations() -> None:
    plan = resources()
    bucket = plan["aws_s3_bucket.b"]
    assert bucket.attributes["bucket"] == "plan-bucket"
    assert bucket.attributes["tags"] == {"env": "prod"}
    assert bucket.location == Location("plan/plan.json", 8, 8)
    assert bucket.source == "terraform-plan"
    assert (bucket.type, bucket.mode, bucket.name, bucket.module) == (
        "aws_s3_bucket",
        "managed",
        "b",
        "",
    )
    child = plan['module.store["logs"].aws_s3_bucket.this']
    assert child.module == 'module.store["logs"]'
    assert child.location.start_line == 71


def test_after_unknown_becomes_unknown() -> None:
    bucket = plan_bucket = resources()["aws_s3_bucket.b"]
    assert isinstance(bucket.attributes["arn"], Unknown)
    assert plan_bucket.attributes["arn"].reason == "known after apply"
    assert isinstance(bucket.attributes["versioning"], Unknown)
    versioning = resources()['aws_s3_bucket_versioning.fe["a"]']
    # references to variables only: still unknown, and known nested values are kept
    assert isinstance(versioning.attributes["bucket"], Unknown)
    assert versioning.attributes["versioning_configuration"] == [{"status": "Enabled"}]


def test_unknown_values_with_configuration_references_become_references() -> None:
    plan = resources()
    sse = plan["aws_s3_bucket_server_side_encryption_configuration.b"].attributes
    assert sse["bucket"] == Reference("aws_s3_bucket.b", "id")
    default = sse["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert default == {
        "sse_algorithm": "aws:kms",
        "kms_master_key_id": Reference("aws_kms_key.k", "arn"),
    }
    assert sse["rule"][0]["bucket_key_enabled"] is True
    pab = plan['module.store["logs"].aws_s3_bucket_public_access_block.this']
    assert pab.attributes["bucket"] == Reference('module.store["logs"].aws_s3_bucket.this', "id")
    assert pab.attributes["block_public_acls"] is True


def test_references_through_module_outputs() -> None:
    logging = resources()["aws_s3_bucket_logging.store"].attributes
    assert logging["bucket"] == Reference('module.store["logs"].aws_s3_bucket.this', "id")
    assert logging["target_bucket"] == "central-logs"
    assert logging["id"] == Unknown("known after apply")


def test_data_sources_from_prior_state() -> None:
    data = resources()["data.aws_iam_policy_document.read"]
    assert data.mode == "data"
    assert json.loads(data.attributes["json"])["Statement"][0]["Action"] == "s3:GetObject"


def test_single_line_plan_locates_everything_on_line_one(tmp_path: Path) -> None:
    compact = tmp_path / "plan.json"
    compact.write_text(json.dumps(json.loads(PLAN.read_text())))
    plan = resources(compact, tmp_path)
    assert {r.location for r in plan.values()} == {Location("plan.json", 1, 1)}
    assert len(plan) == 8


def test_malformed_plan_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "planned_values": {\n    "root_module": [1,,]\n  }\n}\n')
    result = load_plan(bad, root=tmp_path)
    assert result.resources == ()
    (error,) = result.errors
    assert (error.file, error.line, error.column, error.source) == (
        "bad.json",
        3,
        23,
        "terraform-plan",
    )


def test_is_plan_json() -> None:
    assert is_plan_json(PLAN.read_text())
    assert not is_plan_json('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}')
    assert not is_plan_json('resource "a" "b" {}\n')
