"""Whole configurations from fixtures: variables, modules, expansion, policies, dynamic
blocks, bad files and locations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tutela.model.values import Location, Reference, Unknown, is_unknown
from tutela.sources.raw import RawParseResult, RawResource
from tutela.sources.terraform import PartialJSON, load_terraform

FIXTURES = Path(__file__).parent / "fixtures"


def by_address(result: RawParseResult) -> dict[str, RawResource]:
    out = {r.address: r for r in result.resources}
    assert len(out) == len(result.resources), "addresses must be unique"
    return out


def load(name: str, **kwargs: object) -> RawParseResult:
    root = FIXTURES / name
    return load_terraform([root], root=root, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- variables


def test_variable_precedence_and_unset_variable() -> None:
    root = FIXTURES / "vars"
    result = load_terraform([root], root=root, var_files=[root / "extra.tfvars"])
    assert result.errors == ()
    tags = by_address(result)["aws_s3_bucket.v"].attributes["tags"]
    assert tags["from_default"] == "default"
    assert tags["from_tfvars"] == "tfvars"
    assert tags["from_auto"] == "a.auto"
    assert tags["from_later_auto"] == "b.auto.json"  # *.auto.tfvars(.json) in lexical order
    assert tags["from_var_file"] == "extra"  # -var-file wins over every file found
    assert tags["count_str"] == 2  # `type = number` converts the string default
    assert isinstance(tags["unset"], Unknown)
    assert tags["unset"].reason == "var.unset has no value"


def test_without_var_files_the_auto_file_wins() -> None:
    tags = by_address(load("vars"))["aws_s3_bucket.v"].attributes["tags"]
    assert tags["from_var_file"] == "a.auto"


# --------------------------------------------------------------------------- modules


@pytest.fixture(scope="module")
def modules() -> dict[str, RawResource]:
    result = load("modules")
    assert result.errors == ()
    return by_address(result)


def test_only_the_caller_is_a_root_module(modules: dict[str, RawResource]) -> None:
    # modules/bucket and modules/kms are only reached as modules: no unprefixed copies
    assert "aws_s3_bucket.this" not in modules
    assert "aws_kms_key.k" not in modules
    assert sorted(a for a in modules if a.endswith("aws_s3_bucket.this")) == [
        "module.counted[0].aws_s3_bucket.this",
        "module.counted[1].aws_s3_bucket.this",
        'module.many["a"].aws_s3_bucket.this',
        'module.many["b"].aws_s3_bucket.this',
        "module.single.aws_s3_bucket.this",
    ]


def test_module_inputs_and_nested_modules(modules: dict[str, RawResource]) -> None:
    bucket = modules['module.many["b"].aws_s3_bucket.this']
    assert bucket.attributes["bucket"] == "many-b-bucket"
    assert bucket.module == 'module.many["b"]'
    assert bucket.name == "this"
    key = modules['module.many["b"].module.kms.aws_kms_key.k']
    assert key.attributes["description"] == "key for many-b"
    assert key.module == 'module.many["b"].module.kms'
    versioning = modules["module.counted[1].aws_s3_bucket_versioning.this"]
    assert versioning.attributes["versioning_configuration"] == [{"status": "Suspended"}]
    assert modules["module.single.aws_s3_bucket_versioning.this"].attributes[
        "versioning_configuration"
    ] == [{"status": "Enabled"}]


def test_companion_references_inside_modules(modules: dict[str, RawResource]) -> None:
    versioning = modules["module.single.aws_s3_bucket_versioning.this"]
    assert versioning.attributes["bucket"] == Reference("module.single.aws_s3_bucket.this", "id")
    sse = modules['module.many["a"].aws_s3_bucket_server_side_encryption_configuration.this']
    # `bucket = aws_s3_bucket.this.bucket` is set in config: the configured value
    assert sse.attributes["bucket"] == "many-a-bucket"
    default = sse.attributes["rule"][0]["apply_server_side_encryption_by_default"][0]
    # a module output that is a reference stays a reference to the nested module's key
    assert default["kms_master_key_id"] == Reference(
        'module.many["a"].module.kms.aws_kms_key.k', "arn"
    )


def test_module_outputs_in_the_caller(modules: dict[str, RawResource]) -> None:
    policy = modules["aws_s3_bucket_policy.single"]
    assert policy.attributes["bucket"] == Reference("module.single.aws_s3_bucket.this", "id")
    params = modules["aws_ssm_parameter.outputs"].attributes
    assert params["name"] == "one-bucket"
    assert params["value"] == "many-b-bucket"
    assert params["tier"] == "counted-1-bucket"
    # remote modules are not downloaded: their outputs are unknown, and that is not an error
    assert isinstance(params["type"], Unknown)
    assert "terraform-aws-modules/s3-bucket/aws" in params["type"].reason


def test_module_locations_point_at_the_module_file(modules: dict[str, RawResource]) -> None:
    bucket = modules["module.single.aws_s3_bucket.this"]
    assert bucket.location == Location("modules/bucket/main.tf", 15, 17)
    assert modules["aws_s3_bucket_policy.single"].location.file == "live/main.tf"


# --------------------------------------------------------------------------- count / for_each


@pytest.fixture(scope="module")
def expansion() -> dict[str, RawResource]:
    result = load("expansion")
    assert result.errors == ()
    return by_address(result)


def test_for_each_addresses_and_values(expansion: dict[str, RawResource]) -> None:
    x = expansion['aws_s3_bucket.b["x"]']
    assert x.attributes == {"bucket": "bucket-x", "tags": {"value": "x"}}
    assert expansion['aws_s3_bucket.m["b"]'].attributes["bucket"] == "beta"
    assert "aws_s3_bucket.b" not in expansion


def test_count_addresses_and_values(expansion: dict[str, RawResource]) -> None:
    assert expansion["aws_kms_key.k[1]"].attributes["description"] == "key 1"
    assert not any(a.startswith("aws_kms_key.none") for a in expansion)
    alias = expansion["aws_kms_alias.a[1]"]
    assert alias.attributes["target_key_id"] == Reference("aws_kms_key.k[1]", "key_id")


def test_companion_references_with_for_each(expansion: dict[str, RawResource]) -> None:
    assert expansion['aws_s3_bucket_public_access_block.by_key["y"]'].attributes[
        "bucket"
    ] == Reference('aws_s3_bucket.b["y"]', "id")
    # for_each over the resource itself: each.value is the instance
    assert expansion['aws_s3_bucket_versioning.by_object["x"]'].attributes["bucket"] == Reference(
        'aws_s3_bucket.b["x"]', "id"
    )


def test_unknown_count_and_for_each_keep_one_instance(expansion: dict[str, RawResource]) -> None:
    queue = expansion["aws_sqs_queue.q"]
    assert isinstance(queue.attributes["name"], Unknown)
    assert "count of aws_sqs_queue.q is not known" in queue.attributes["name"].reason
    assert "var.unknown_list has no value" in queue.attributes["name"].reason
    topic = expansion["aws_sns_topic.t"]
    assert is_unknown(topic.attributes["name"])
    assert topic.attributes["kms_master_key_id"] == "alias/aws/sns"
    # a companion of an unexpanded resource joins the single unindexed instance
    assert expansion["aws_sqs_queue_policy.qp"].attributes["queue_url"] == Reference(
        "aws_sqs_queue.q", "url"
    )


# --------------------------------------------------------------------------- IAM policy documents


@pytest.fixture(scope="module")
def policy() -> dict[str, RawResource]:
    result = load("policy")
    assert result.errors == ()
    return by_address(result)


def test_policy_document_is_resolved(policy: dict[str, RawResource]) -> None:
    text = policy["aws_s3_bucket_policy.p"].attributes["policy"]
    assert isinstance(text, str)
    assert json.loads(text) == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Base", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]},
            {
                "Sid": "DenyInsecure",
                "Effect": "Deny",
                "Action": ["s3:*"],
                "Resource": ["arn:aws:s3:::policy-bucket/*"],
                "Principal": "*",
                "Condition": {"Bool": {"aws:SecureTransport": ["false"]}},
            },
            {
                "Effect": "Allow",
                "NotAction": ["iam:*"],
                "Resource": ["*"],
                "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
            },
        ],
    }


def test_policy_document_data_source_is_emitted(policy: dict[str, RawResource]) -> None:
    data = policy["data.aws_iam_policy_document.p"]
    assert data.mode == "data"
    assert data.type == "aws_iam_policy_document"
    assert json.loads(data.attributes["json"]) == json.loads(
        policy["aws_s3_bucket_policy.p"].attributes["policy"]
    )
    assert data.attributes["statement"][0]["sid"] == "DenyInsecure"


def test_policy_document_with_unknown_leaves(policy: dict[str, RawResource]) -> None:
    value = policy["aws_iam_policy.with_ref"].attributes["policy"]
    assert isinstance(value, PartialJSON)
    assert "aws_s3_bucket.b.arn" in value.reason
    statement = value.value["Statement"][0]
    assert statement["Action"] == ["s3:*"]
    assert is_unknown(statement["Resource"][0])


def test_inline_and_heredoc_policies(policy: dict[str, RawResource]) -> None:
    inline = json.loads(policy["aws_iam_policy.inline"].attributes["policy"])
    assert inline["Statement"][0] == {"Action": "*", "Effect": "Allow", "Resource": "*"}
    heredoc = json.loads(policy["aws_iam_policy.heredoc"].attributes["policy"])
    assert heredoc["Statement"][0]["Action"] == "s3:*"


# --------------------------------------------------------------------------- dynamic blocks


def test_dynamic_blocks_expand_in_order() -> None:
    groups = by_address(load("dynamic"))
    ingress = groups["aws_security_group.web"].attributes["ingress"]
    assert [(i["description"], i["from_port"], i["cidr_blocks"]) for i in ingress] == [
        ("static", 80, ["10.0.0.0/8"]),
        ("rule 0", 22, ["10.0.0.0/8"]),
        ("rule 1", 443, ["0.0.0.0/0"]),
    ]
    assert groups["aws_security_group.web"].attributes["egress"][0]["protocol"] == "-1"


def test_dynamic_block_with_unknown_for_each_is_unknown_as_a_whole() -> None:
    group = by_address(load("dynamic"))["aws_security_group.unknown"]
    assert isinstance(group.attributes["ingress"], Unknown)
    assert "var.unknown_rules has no value" in group.attributes["ingress"].reason
    assert group.attributes["egress"] == [{"from_port": 0, "to_port": 0, "protocol": "-1"}]


# --------------------------------------------------------------------------- bad files


def test_bad_files_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "errors", tmp_path / "errors")
    (tmp_path / "errors" / "main.tf").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\n\x00binary")
    result = load_terraform([tmp_path], root=tmp_path)
    errors = sorted(result.errors, key=lambda e: e.file)
    assert [(e.file, e.line, e.column, e.source) for e in errors] == [
        ("errors/broken.tf", 8, 9, "terraform"),
        ("errors/main.tf", 1, 8, "terraform"),
    ]
    assert "binary" in errors[1].message
    assert [r.address for r in result.resources] == ["aws_s3_bucket.good"]
    assert result.resources[0].location == Location("errors/good.tf", 1, 3)


def test_invalid_utf8_and_unreadable_paths(tmp_path: Path) -> None:
    (tmp_path / "latin1.tf").write_bytes(b'resource "a" "b" {\n  x = "caf\xe9"\n}\n')
    result = load_terraform([tmp_path, tmp_path / "missing"], root=tmp_path)
    assert [(e.file, e.line) for e in result.errors] == [("missing", None), ("latin1.tf", 2)]
    assert "UTF-8" in result.errors[1].message
    assert result.resources == ()


def test_circular_references_do_not_recurse_forever(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "a" {\n  bucket = aws_s3_bucket.b.bucket\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = aws_s3_bucket.a.bucket\n}\n'
        "locals {\n  deep = [for i in range(3) : local.deep]\n}\n"
        'resource "aws_s3_bucket" "c" {\n  bucket = local.deep\n}\n'
    )
    result = by_address(load_terraform([tmp_path], root=tmp_path))
    assert is_unknown(result["aws_s3_bucket.a"].attributes["bucket"])
    assert is_unknown(result["aws_s3_bucket.b"].attributes["bucket"])
    assert "refers to itself" in result["aws_s3_bucket.c"].attributes["bucket"][0].reason


def test_single_file_uses_its_directory_as_context(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text('variable "name" {\n  default = "ctx"\n}\n')
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "a" {\n  bucket = var.name\n}\n')
    (tmp_path / "other.tf").write_text('resource "aws_s3_bucket" "o" {\n  bucket = "o"\n}\n')
    result = load_terraform([tmp_path / "main.tf"], root=tmp_path)
    assert [(r.address, r.attributes["bucket"]) for r in result.resources] == [
        ("aws_s3_bucket.a", "ctx")
    ]


def test_hidden_and_terraform_directories_are_skipped(tmp_path: Path) -> None:
    for sub in (".terraform/modules/x", ".hidden", "visible"):
        (tmp_path / sub).mkdir(parents=True)
        (tmp_path / sub / "main.tf").write_text(
            f'resource "aws_sqs_queue" "q" {{\n  name = "{sub}"\n}}\n'
        )
    result = load_terraform([tmp_path], root=tmp_path)
    assert [r.attributes["name"] for r in result.resources] == ["visible"]


# --------------------------------------------------------------------------- locations


def test_block_and_attribute_locations() -> None:
    (bucket,) = load("locations").resources
    assert bucket.location == Location("main.tf", 3, 14)
    assert bucket.attribute_locations["bucket"] == Location("main.tf", 4, 4)
    assert bucket.attribute_locations["tags"] == Location("main.tf", 6, 9)
    assert bucket.attribute_locations["versioning"] == Location("main.tf", 11, 13)
    assert bucket.source == "terraform"
    assert bucket.module == ""


def test_locations_are_relative_to_root() -> None:
    result = load_terraform([FIXTURES / "locations"], root=FIXTURES)
    assert result.resources[0].location.file == "locations/main.tf"


def test_terraform_json_files(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "variable": {"env": {"default": "dev"}},
                "locals": {"name": "app-${var.env}"},
                "resource": {
                    "aws_s3_bucket": {
                        "j": {"bucket": "${local.name}", "tags": {"env": "${var.env}"}}
                    },
                    "aws_s3_bucket_versioning": {"j": {"bucket": "${aws_s3_bucket.j.id}"}},
                },
            },
            indent=2,
        )
    )
    result = by_address(load_terraform([tmp_path], root=tmp_path))
    bucket = result["aws_s3_bucket.j"]
    assert bucket.attributes == {"bucket": "app-dev", "tags": {"env": "dev"}}
    assert bucket.location.file == "main.tf.json"
    assert bucket.location.start_line == 12
    versioning = result["aws_s3_bucket_versioning.j"]
    assert versioning.attributes["bucket"] == Reference("aws_s3_bucket.j", "id")
    assert versioning.location.start_line == 20


def test_templatefile_directives(tmp_path: Path) -> None:
    (tmp_path / "policy.tpl").write_text(
        '{"Statement": [%{ for i, a in actions }%{ if i > 0 },%{ endif }"${a}"%{ endfor }]}\n'
    )
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "t" {\n'
        '  policy = templatefile("${path.module}/policy.tpl", {\n'
        '    actions = ["s3:Get*", "s3:List*"]\n'
        "  })\n"
        "}\n"
    )
    (policy,) = load_terraform([tmp_path], root=tmp_path).resources
    assert json.loads(policy.attributes["policy"]) == {"Statement": ["s3:Get*", "s3:List*"]}


def test_override_files_merge_into_their_blocks(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "o" {\n  bucket = "original"\n  force_destroy = true\n'
        "  versioning {\n    enabled = false\n  }\n}\n"
    )
    (tmp_path / "a_override.tf").write_text(
        'resource "aws_s3_bucket" "o" {\n  bucket = "overridden"\n'
        "  versioning {\n    enabled = true\n  }\n}\n"
    )
    (bucket,) = load_terraform([tmp_path], root=tmp_path).resources
    assert bucket.attributes == {
        "bucket": "overridden",
        "force_destroy": True,
        "versioning": [{"enabled": True}],
    }
    assert bucket.location == Location("main.tf", 1, 7)
