"""Every intrinsic function, in its YAML short form and its JSON long form."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tutela.model.values import Reference, is_unknown

PREAMBLE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Count: {Type: Number, Default: 3}
  Subnets: {Type: CommaDelimitedList, Default: "a, b,c"}
  NoDefault: {Type: String}
Mappings:
  Sizes:
    prod: {Instance: m5.large}
    dev: {Instance: t3.micro}
  SameEverywhere:
    us-east-1: {Ami: ami-123}
    eu-west-1: {Ami: ami-123}
  Accounts:
    123456789012: {Name: main}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  InUsEast: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Key: {Type: "AWS::KMS::Key"}
  Db: {Type: "AWS::RDS::DBInstance"}
  Thing:
    Type: AWS::Test::Thing
    Properties:
      Value: {expression}
"""


class U:
    """Matches an Unknown whose reason contains `fragment`."""

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment

    def matches(self, value: Any) -> bool:
        return is_unknown(value) and self.fragment in value.reason

    def __repr__(self) -> str:
        return f"U({self.fragment!r})"


def check(value: Any, expected: Any) -> None:
    if isinstance(expected, U):
        assert expected.matches(value), f"{value!r} does not match {expected!r}"
    else:
        assert not is_unknown(value), value
        assert value == expected


# (short form in YAML, long form as JSON-able data, expected value)
CASES: list[tuple[str, Any, Any]] = [
    ("!Ref Env", {"Ref": "Env"}, "prod"),
    ("!Ref Count", {"Ref": "Count"}, "3"),
    ("!Ref Subnets", {"Ref": "Subnets"}, ["a", "b", "c"]),
    ("!Ref NoDefault", {"Ref": "NoDefault"}, U("parameter NoDefault has no value")),
    ("!Ref Key", {"Ref": "Key"}, Reference("Key")),
    ("!Ref AWS::Partition", {"Ref": "AWS::Partition"}, "aws"),
    ("!Ref AWS::Region", {"Ref": "AWS::Region"}, U("AWS::Region")),
    ("!Ref AWS::AccountId", {"Ref": "AWS::AccountId"}, U("AWS::AccountId")),
    ("!Ref AWS::StackName", {"Ref": "AWS::StackName"}, U("AWS::StackName")),
    ("!Ref AWS::URLSuffix", {"Ref": "AWS::URLSuffix"}, U("AWS::URLSuffix")),
    ("!Ref Nowhere", {"Ref": "Nowhere"}, U("undefined name Nowhere")),
    ("!Sub '${Env}-records'", {"Fn::Sub": "${Env}-records"}, "prod-records"),
    (
        "!Sub ['${Name}-${Env}', {Name: !Ref Count}]",
        {"Fn::Sub": ["${Name}-${Env}", {"Name": {"Ref": "Count"}}]},
        "3-prod",
    ),
    ("!Sub '${!Literal}-${Env}'", {"Fn::Sub": "${!Literal}-${Env}"}, "${Literal}-prod"),
    ("!Sub '${AWS::Partition}'", {"Fn::Sub": "${AWS::Partition}"}, "aws"),
    ("!Sub '${Key}'", {"Fn::Sub": "${Key}"}, Reference("Key")),
    ("!Sub '${Key.Arn}'", {"Fn::Sub": "${Key.Arn}"}, Reference("Key", "Arn")),
    ("!Sub 'arn:${Key.Arn}/*'", {"Fn::Sub": "arn:${Key.Arn}/*"}, U("${Key.Arn}")),
    ("!Sub 'x-${AWS::AccountId}'", {"Fn::Sub": "x-${AWS::AccountId}"}, U("${AWS::AccountId}")),
    ("!Sub '${Missing}'", {"Fn::Sub": "${Missing}"}, U("Missing")),
    ("!GetAtt Key.Arn", {"Fn::GetAtt": ["Key", "Arn"]}, Reference("Key", "Arn")),
    ("!GetAtt [Key, Arn]", {"Fn::GetAtt": ["Key", "Arn"]}, Reference("Key", "Arn")),
    (
        "!GetAtt Db.Endpoint.Address",
        {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
        Reference("Db", "Endpoint.Address"),
    ),
    ("!Join ['-', [a, !Ref Env, 7]]", {"Fn::Join": ["-", ["a", {"Ref": "Env"}, 7]]}, "a-prod-7"),
    ("!Join ['|', !Ref Subnets]", {"Fn::Join": ["|", {"Ref": "Subnets"}]}, "a|b|c"),
    (
        "!Join ['', ['arn:', !GetAtt Key.Arn]]",
        {"Fn::Join": ["", ["arn:", {"Fn::GetAtt": ["Key", "Arn"]}]]},
        U("Key.Arn"),
    ),
    ("!Select [1, [x, y, z]]", {"Fn::Select": [1, ["x", "y", "z"]]}, "y"),
    ("!Select ['2', !Ref Subnets]", {"Fn::Select": ["2", {"Ref": "Subnets"}]}, "c"),
    ("!Select [5, [x]]", {"Fn::Select": [5, ["x"]]}, U("out of range")),
    ("!Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}, U("Fn::GetAZs")),
    ("!Split [',', 'a,b,,c']", {"Fn::Split": [",", "a,b,,c"]}, ["a", "b", "", "c"]),
    (
        "!Select [1, !Split ['/', !Sub '${Env}/app/v1']]",
        {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::Sub": "${Env}/app/v1"}]}]},
        "app",
    ),
    (
        "!FindInMap [Sizes, !Ref Env, Instance]",
        {"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Instance"]},
        "m5.large",
    ),
    (
        "!FindInMap [SameEverywhere, !Ref AWS::Region, Ami]",
        {"Fn::FindInMap": ["SameEverywhere", {"Ref": "AWS::Region"}, "Ami"]},
        "ami-123",
    ),
    (
        "!FindInMap [Sizes, !Ref AWS::Region, Instance]",
        {"Fn::FindInMap": ["Sizes", {"Ref": "AWS::Region"}, "Instance"]},
        U("AWS::Region"),
    ),
    (
        "!FindInMap [Accounts, '123456789012', Name]",
        {"Fn::FindInMap": ["Accounts", "123456789012", "Name"]},
        "main",
    ),
    ("!FindInMap [Sizes, test, Instance]", {"Fn::FindInMap": ["Sizes", "test", "Instance"]}, U("")),
    (
        "!FindInMap [Sizes, test, Instance, {DefaultValue: t3.nano}]",
        {"Fn::FindInMap": ["Sizes", "test", "Instance", {"DefaultValue": "t3.nano"}]},
        "t3.nano",
    ),
    ("!If [IsProd, big, small]", {"Fn::If": ["IsProd", "big", "small"]}, "big"),
    ("!If [InUsEast, same, same]", {"Fn::If": ["InUsEast", "same", "same"]}, "same"),
    ("!If [InUsEast, a, b]", {"Fn::If": ["InUsEast", "a", "b"]}, U("condition InUsEast")),
    ("!If [Undefined, a, b]", {"Fn::If": ["Undefined", "a", "b"]}, U("not defined")),
    ("!Equals [!Ref Env, prod]", {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, True),
    ("!Not [!Equals [a, a]]", {"Fn::Not": [{"Fn::Equals": ["a", "a"]}]}, False),
    (
        "!And [!Equals [1, '1'], !Condition IsProd]",
        {"Fn::And": [{"Fn::Equals": [1, "1"]}, {"Condition": "IsProd"}]},
        True,
    ),
    (
        "!Or [!Equals [a, b], !Condition IsProd]",
        {"Fn::Or": [{"Fn::Equals": ["a", "b"]}, {"Condition": "IsProd"}]},
        True,
    ),
    ("!Base64 hello", {"Fn::Base64": "hello"}, "aGVsbG8="),
    ("{'Fn::Base64': !Sub '${Env}'}", {"Fn::Base64": {"Fn::Sub": "${Env}"}}, "cHJvZA=="),
    (
        "{'Fn::Base64': !Ref AWS::StackName}",
        {"Fn::Base64": {"Ref": "AWS::StackName"}},
        U("StackName"),
    ),
    ("!GetAZs ''", {"Fn::GetAZs": ""}, U("availability zones")),
    ("!ImportValue SharedVpcId", {"Fn::ImportValue": "SharedVpcId"}, U("SharedVpcId")),
    (
        "!Cidr ['10.0.0.0/16', 3, 8]",
        {"Fn::Cidr": ["10.0.0.0/16", 3, 8]},
        ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
    ),
    (
        "!Cidr ['2001:db8::/56', 2, 64]",
        {"Fn::Cidr": ["2001:db8::/56", 2, 64]},
        ["2001:db8::/64", "2001:db8:0:1::/64"],
    ),
    (
        "!Cidr [!GetAtt Vpc.CidrBlock, 2, 8]",
        {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 2, 8]},
        U("Fn::Cidr"),
    ),
    (
        "!Transform {Name: 'AWS::Include', Parameters: {Location: 's3://b/k'}}",
        {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}},
        U("AWS::Include"),
    ),
    ("!Length [a, b, c]", {"Fn::Length": ["a", "b", "c"]}, 3),
    ("!ToJsonString {a: !Ref Env}", {"Fn::ToJsonString": {"a": {"Ref": "Env"}}}, '{"a":"prod"}'),
]


def _long_form_template(long_form: Any) -> str:
    preamble = yaml.safe_load(
        PREAMBLE.replace("!Equals [!Ref Env, prod]", "x")
        .replace('!Equals [!Ref "AWS::Region", us-east-1]', "y")
        .replace("{expression}", "null")
    )
    preamble["Mappings"]["Accounts"] = {"123456789012": {"Name": "main"}}
    preamble["Conditions"] = {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "InUsEast": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
    }
    preamble["Resources"]["Thing"]["Properties"]["Value"] = long_form
    return json.dumps(preamble, indent=2)


@pytest.mark.parametrize(("short", "long", "expected"), CASES, ids=[c[0] for c in CASES])
def test_short_form(template: Any, short: str, long: Any, expected: Any) -> None:
    result = template(PREAMBLE.replace("{expression}", short))
    assert result.errors == ()
    thing = {r.address: r for r in result.resources}["Thing"]
    check(thing.attributes["Value"], expected)


@pytest.mark.parametrize(("short", "long", "expected"), CASES, ids=[c[0] for c in CASES])
def test_long_form_json(template: Any, short: str, long: Any, expected: Any) -> None:
    result = template(_long_form_template(long), name="template.json")
    assert result.errors == ()
    thing = {r.address: r for r in result.resources}["Thing"]
    check(thing.attributes["Value"], expected)


def test_long_form_in_yaml(template: Any) -> None:
    result = template(
        PREAMBLE.replace(
            "{expression}",
            "\n        Fn::Join:\n          - '-'\n          - - Ref: Env\n"
            "            - Fn::Sub: '${Count}'\n            - Fn::GetAtt: [Key, Arn]",
        )
    )
    value = {r.address: r for r in result.resources}["Thing"].attributes["Value"]
    assert is_unknown(value)
    assert "Key.Arn" in value.reason


def test_unknown_tag_becomes_unknown(template: Any) -> None:
    result = template(PREAMBLE.replace("{expression}", "!Frobnicate [a, b]"))
    assert result.errors == ()
    value = {r.address: r for r in result.resources}["Thing"].attributes["Value"]
    assert is_unknown(value)
    assert "!Frobnicate" in value.reason


def test_unknown_long_form_function_becomes_unknown(template: Any) -> None:
    result = template(PREAMBLE.replace("{expression}", "{'Fn::Frobnicate': [a]}"))
    value = {r.address: r for r in result.resources}["Thing"].attributes["Value"]
    assert is_unknown(value)
    assert "Fn::Frobnicate" in value.reason


def test_intrinsics_nested_deep_inside_properties(template: Any) -> None:
    expression = (
        "\n        Statement:\n          - Effect: Allow\n"
        "            Resource: [!GetAtt Key.Arn, !Sub 'arn:${AWS::Partition}:s3:::${Env}/*']\n"
        "            Condition: {StringEquals: {'aws:SourceAccount': !Ref AWS::AccountId}}"
    )
    result = template(PREAMBLE.replace("{expression}", expression))
    value = {r.address: r for r in result.resources}["Thing"].attributes["Value"]
    statement = value["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == [Reference("Key", "Arn"), "arn:aws:s3:::prod/*"]
    assert is_unknown(statement["Condition"]["StringEquals"]["aws:SourceAccount"])
