"""Whole templates: parameters, conditions, SAM, resource shape and exact locations."""

from __future__ import annotations

from typing import Any

from tutela.model.values import Location, Reference, is_unknown
from tutela.sources.raw import RawParseResult, RawResource


def by_address(result: RawParseResult) -> dict[str, RawResource]:
    return {resource.address: resource for resource in result.resources}


# ------------------------------------------------------------------ YAML fixture


def test_yaml_fixture_resources_and_values(fixture_template: Any) -> None:
    result = fixture_template("stack.yaml")
    assert result.errors == ()
    resources = by_address(result)
    # ProductionAlarmTopic has Condition IsProduction, false for the default "staging".
    assert list(resources) == [
        "Parameters.Environment",
        "Parameters.DatabasePassword",
        "RecordsKey",
        "RecordsBucket",
    ]
    bucket = resources["RecordsBucket"]
    assert bucket.type == "AWS::S3::Bucket"
    assert bucket.mode == "resource"
    assert bucket.name == "RecordsBucket"
    assert bucket.source == "cloudformation"
    assert bucket.module == ""
    assert bucket.attributes == {
        "BucketName": "records-staging",
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                {
                    "ServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": Reference("RecordsKey", "Arn"),
                    }
                }
            ]
        },
        "LifecycleConfiguration": {"Rules": [{"Status": "Enabled", "ExpirationInDays": 7}]},
        "__DeletionPolicy": "Retain",
        "__UpdateReplacePolicy": "Retain",
        "__DependsOn": "RecordsKey",
        "__Metadata": {"Owner": "records-team"},
    }


def test_yaml_fixture_locations(fixture_template: Any) -> None:
    resources = by_address(fixture_template("stack.yaml"))
    bucket = resources["RecordsBucket"]
    assert bucket.location == Location("stack.yaml", 30, 47)
    assert resources["RecordsKey"].location == Location("stack.yaml", 25, 28)
    top_level = {k: v for k, v in bucket.attribute_locations.items() if "." not in k}
    assert top_level == {
        "BucketName": Location("stack.yaml", 38, 38),
        "BucketEncryption": Location("stack.yaml", 39, 43),
        "LifecycleConfiguration": Location("stack.yaml", 44, 47),
        "__DeletionPolicy": Location("stack.yaml", 32, 32),
        "__UpdateReplacePolicy": Location("stack.yaml", 33, 33),
        "__DependsOn": Location("stack.yaml", 34, 34),
        "__Metadata": Location("stack.yaml", 35, 36),
    }
    # Nested values are located too, by dotted path (list items by index).
    nested = {k: v for k, v in bucket.attribute_locations.items() if "." in k}
    sse = "BucketEncryption.ServerSideEncryptionConfiguration"
    assert nested == {
        sse: Location("stack.yaml", 40, 43),
        f"{sse}.0": Location("stack.yaml", 41, 43),
        f"{sse}.0.ServerSideEncryptionByDefault": Location("stack.yaml", 41, 43),
        f"{sse}.0.ServerSideEncryptionByDefault.SSEAlgorithm": Location("stack.yaml", 42, 42),
        f"{sse}.0.ServerSideEncryptionByDefault.KMSMasterKeyID": Location("stack.yaml", 43, 43),
        "LifecycleConfiguration.Rules": Location("stack.yaml", 45, 47),
        "LifecycleConfiguration.Rules.0": Location("stack.yaml", 46, 47),
        "LifecycleConfiguration.Rules.0.Status": Location("stack.yaml", 46, 46),
        "LifecycleConfiguration.Rules.0.ExpirationInDays": Location("stack.yaml", 47, 47),
    }
    password = resources["Parameters.DatabasePassword"]
    assert password.location == Location("stack.yaml", 10, 12)
    assert password.attribute_locations["NoEcho"] == Location("stack.yaml", 12, 12)


def test_parameter_resources(fixture_template: Any) -> None:
    resources = by_address(fixture_template("stack.yaml"))
    environment = resources["Parameters.Environment"]
    assert environment.type == "AWS::CloudFormation::Parameter"
    assert environment.mode == "parameter"
    assert environment.name == "Environment"
    assert environment.attributes == {
        "Type": "String",
        "Default": "staging",
        "AllowedValues": ["staging", "production"],
    }
    assert resources["Parameters.DatabasePassword"].attributes == {
        "Type": "String",
        "NoEcho": True,
    }


def test_parameter_override_flips_condition(fixture_template: Any) -> None:
    result = fixture_template("stack.yaml", parameters={"Environment": "production"})
    resources = by_address(result)
    assert "ProductionAlarmTopic" in resources
    assert resources["ProductionAlarmTopic"].location == Location("stack.yaml", 49, 53)
    bucket = resources["RecordsBucket"].attributes
    assert bucket["BucketName"] == "records-production"
    assert bucket["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"] == 35


# ------------------------------------------------------------------ JSON fixture


def test_json_fixture_values_and_locations(fixture_template: Any) -> None:
    result = fixture_template("stack.json")
    assert result.errors == ()
    resources = by_address(result)
    assert list(resources) == ["Parameters.Environment", "RecordsKey", "RecordsBucket"]
    bucket = resources["RecordsBucket"]
    assert bucket.location == Location("stack.json", 17, 34)
    assert resources["RecordsKey"].location == Location("stack.json", 13, 16)
    sse = "BucketEncryption.ServerSideEncryptionConfiguration"
    assert bucket.attribute_locations == {
        "BucketName": Location("stack.json", 21, 21),
        "BucketEncryption": Location("stack.json", 22, 31),
        sse: Location("stack.json", 23, 30),
        f"{sse}.0": Location("stack.json", 24, 29),
        f"{sse}.0.ServerSideEncryptionByDefault": Location("stack.json", 25, 28),
        f"{sse}.0.ServerSideEncryptionByDefault.SSEAlgorithm": Location("stack.json", 26, 26),
        f"{sse}.0.ServerSideEncryptionByDefault.KMSMasterKeyID": Location("stack.json", 27, 27),
        "Tags": Location("stack.json", 32, 32),
        "Tags.0": Location("stack.json", 32, 32),
        "Tags.0.Key": Location("stack.json", 32, 32),
        "__DeletionPolicy": Location("stack.json", 19, 19),
    }
    assert bucket.attributes["BucketName"] == "records-staging"
    # Fn::If picks AWS::NoValue for staging: the Value key disappears.
    assert bucket.attributes["Tags"] == [{"Key": "env"}]
    assert resources["Parameters.Environment"].location == Location("stack.json", 4, 7)
    assert resources["Parameters.Environment"].attribute_locations["Default"] == Location(
        "stack.json", 6, 6
    )


def test_json_fixture_with_production(fixture_template: Any) -> None:
    resources = by_address(fixture_template("stack.json", parameters={"Environment": "production"}))
    assert resources["RecordsBucket"].attributes["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert resources["ProductionAlarmTopic"].location == Location("stack.json", 35, 39)


def test_minified_json_is_all_on_line_one(template: Any) -> None:
    text = (
        '{"Resources":{"A":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"q"}},'
        '"B":{"Type":"AWS::SNS::Topic"}}}'
    )
    resources = by_address(template(text, name="min.json"))
    assert resources["A"].location == Location("min.json", 1, 1)
    assert resources["A"].attribute_locations["QueueName"] == Location("min.json", 1, 1)
    assert resources["A"].attributes == {"QueueName": "q"}


def test_yaml_flow_mapping_is_not_mistaken_for_bad_json(template: Any) -> None:
    result = template("{Resources: {A: {Type: 'AWS::SQS::Queue'}}}", name="flow.template")
    assert result.errors == ()
    assert [r.address for r in result.resources] == ["A"]


def test_json_suffix_means_strict_json(template: Any) -> None:
    result = template("{Resources: {A: {Type: 'AWS::SQS::Queue'}}}", name="flow.json")
    (error,) = result.errors
    assert (error.line, error.column) == (1, 2)
    assert error.message == "invalid JSON: expected a property name in double quotes"


# ------------------------------------------------------------------ parameters


def test_parameter_without_default_or_value_is_unknown(template: Any) -> None:
    text = """\
Parameters:
  BucketName: {Type: String}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref BucketName
"""
    bucket = by_address(template(text))["Bucket"]
    value = bucket.attributes["BucketName"]
    assert is_unknown(value)
    assert value.reason == "parameter BucketName has no value"
    given = by_address(template(text, parameters={"BucketName": "given"}))["Bucket"]
    assert given.attributes["BucketName"] == "given"


def test_parameter_types(template: Any) -> None:
    text = """\
Parameters:
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
  Ports: {Type: "List<Number>", Default: "80, 443"}
  Flag: {Type: String, Default: true}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /ami/latest}
Resources:
  Thing:
    Type: AWS::Test::Thing
    Properties:
      Subnets: !Ref Subnets
      Ports: !Ref Ports
      Flag: !Ref Flag
      Ami: !Ref Ami
"""
    attributes = by_address(template(text))["Thing"].attributes
    assert attributes["Subnets"] == ["subnet-1", "subnet-2"]
    assert attributes["Ports"] == ["80", "443"]
    assert attributes["Flag"] == "true"
    assert is_unknown(attributes["Ami"])
    assert "SSM" in attributes["Ami"].reason
    overridden = by_address(template(text, parameters={"Subnets": "subnet-9"}))["Thing"]
    assert overridden.attributes["Subnets"] == ["subnet-9"]


def test_no_value_removes_properties_and_list_elements(template: Any) -> None:
    text = """\
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      KmsKeyId: !Ref AWS::NoValue
      SnapshotIdentifier: !If [IsProd, snap-1, !Ref AWS::NoValue]
      VPCSecurityGroups:
        - sg-1
        - !If [IsProd, sg-2, !Ref AWS::NoValue]
        - !Ref AWS::NoValue
      Tags:
        - Key: env
          Value: !Ref AWS::NoValue
"""
    db = by_address(template(text))["Db"]
    assert db.attributes == {
        "Engine": "postgres",
        "VPCSecurityGroups": ["sg-1"],
        "Tags": [{"Key": "env"}],
    }
    # Removed values have no location; a list that lost elements is located as a whole.
    assert set(db.attribute_locations) == {
        "Engine",
        "VPCSecurityGroups",
        "Tags",
        "Tags.0",
        "Tags.0.Key",
    }
    prod = by_address(template(text, parameters={"Env": "prod"}))["Db"]
    assert prod.attributes["SnapshotIdentifier"] == "snap-1"
    assert prod.attributes["VPCSecurityGroups"] == ["sg-1", "sg-2"]


# ------------------------------------------------------------------ conditions

CONDITIONS = """\
Parameters:
  Env: {Type: String, Default: dev}
  Region: {Type: String, Default: eu-west-1}
  Unset: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
  ProdInEu: !And [!Condition IsProd, !Equals [!Ref Region, eu-west-1]]
  ProdOrEu: !Or [!Condition IsProd, !Equals [eu-west-1, !Ref Region]]
  UnsetIsX: !Equals [!Ref Unset, x]
  UnsetOrDev: !Or [!Condition UnsetIsX, !Condition IsNotProd]
  UnsetAndProd: !And [!Condition UnsetIsX, !Condition IsProd]
  InUsEast1: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  WhenProd: {Type: AWS::SNS::Topic, Condition: IsProd}
  WhenNotProd: {Type: AWS::SNS::Topic, Condition: IsNotProd}
  WhenProdInEu: {Type: AWS::SNS::Topic, Condition: ProdInEu}
  WhenProdOrEu: {Type: AWS::SNS::Topic, Condition: ProdOrEu}
  WhenUnset: {Type: AWS::SNS::Topic, Condition: UnsetIsX}
  WhenUnsetOrDev: {Type: AWS::SNS::Topic, Condition: UnsetOrDev}
  WhenUnsetAndProd: {Type: AWS::SNS::Topic, Condition: UnsetAndProd}
  WhenUsEast1: {Type: AWS::SNS::Topic, Condition: InUsEast1}
  Always: {Type: AWS::SNS::Topic}
"""


def emitted(result: RawParseResult) -> set[str]:
    return {r.address for r in result.resources if r.mode == "resource"}


def test_conditions_on_resources(template: Any) -> None:
    # Unknown conditions (UnsetIsX, InUsEast1) emit the resource; false ones drop it.
    assert emitted(template(CONDITIONS)) == {
        "WhenNotProd",
        "WhenProdOrEu",
        "WhenUnset",
        "WhenUnsetOrDev",
        "WhenUsEast1",
        "Always",
    }
    # Or(unknown, false) and And(unknown, true) stay unknown: emitted.
    assert emitted(template(CONDITIONS, parameters={"Env": "prod", "Region": "us-east-2"})) == {
        "WhenProd",
        "WhenProdOrEu",
        "WhenUnset",
        "WhenUnsetOrDev",
        "WhenUnsetAndProd",
        "WhenUsEast1",
        "Always",
    }
    assert "WhenUnset" not in emitted(template(CONDITIONS, parameters={"Unset": "y"}))


def test_undefined_resource_condition_is_reported(template: Any) -> None:
    text = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Condition: Nope\n"
    result = template(text)
    assert emitted(result) == {"Topic"}
    assert [(e.line, e.message) for e in result.errors] == [
        (4, "resource Topic: condition Nope is not defined")
    ]


def test_if_with_unknown_condition_joins_branches(template: Any) -> None:
    text = """\
Conditions:
  InUsEast1: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: !If
        - InUsEast1
        - ServerSideEncryptionConfiguration:
            - ServerSideEncryptionByDefault: {SSEAlgorithm: "aws:kms"}
        - ServerSideEncryptionConfiguration:
            - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
      VersioningConfiguration: !If [InUsEast1, {Status: Enabled}, {Status: Enabled}]
      LoggingConfiguration: !If [InUsEast1, {DestinationBucketName: logs}, !Ref AWS::NoValue]
"""
    attributes = by_address(template(text))["Bucket"].attributes
    assert attributes["VersioningConfiguration"] == {"Status": "Enabled"}
    algorithm = attributes["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ]["SSEAlgorithm"]
    assert is_unknown(algorithm)
    assert "InUsEast1" in algorithm.reason
    assert is_unknown(attributes["LoggingConfiguration"])


def test_condition_cycle_is_unknown_not_a_crash(template: Any) -> None:
    text = """\
Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  Topic: {Type: AWS::SNS::Topic, Condition: A}
"""
    assert emitted(template(text)) == {"Topic"}


# ------------------------------------------------------------------ SAM


def test_sam_globals_merged(fixture_template: Any) -> None:
    result = fixture_template("sam.yaml")
    assert result.errors == ()
    resources = by_address(result)
    ingest = resources["IngestFunction"]
    assert ingest.type == "AWS::Serverless::Function"
    assert ingest.attributes == {
        "Runtime": "python3.12",
        "Timeout": 60,
        "Tracing": "Active",
        "Environment": {"Variables": {"LOG_LEVEL": "debug", "TABLE": "records"}},
        "Layers": [
            "arn:aws:lambda:us-east-1:123456789012:layer:common:1",
            Reference("ExtraLayer"),
        ],
        "Handler": "ingest.handler",
    }
    # Function's own values point at the function; inherited ones at Globals.
    assert ingest.attribute_locations == {
        "Runtime": Location("sam.yaml", 6, 6),
        "Tracing": Location("sam.yaml", 8, 8),
        "Handler": Location("sam.yaml", 22, 22),
        "Timeout": Location("sam.yaml", 23, 23),
        "Environment": Location("sam.yaml", 24, 26),
        "Environment.Variables": Location("sam.yaml", 25, 26),
        "Environment.Variables.TABLE": Location("sam.yaml", 12, 12),
        "Environment.Variables.LOG_LEVEL": Location("sam.yaml", 26, 26),
        "Layers": Location("sam.yaml", 27, 28),
        "Layers.0": Location("sam.yaml", 14, 14),
        "Layers.1": Location("sam.yaml", 28, 28),
    }
    report = resources["ReportFunction"]
    assert report.attributes["Timeout"] == 30
    assert report.attributes["Handler"] == "report.handler"
    assert report.attributes["Environment"] == {
        "Variables": {"LOG_LEVEL": "info", "TABLE": "records"}
    }
    assert resources["PublicApi"].attributes == {"TracingEnabled": True, "StageName": "prod"}
    assert resources["ExtraLayer"].attributes == {"ContentUri": "layer/"}
    assert resources["PlainQueue"].attributes == {}
    assert resources["PlainQueue"].location == Location("sam.yaml", 45, 46)


def test_globals_ignored_without_sam_transform(template: Any) -> None:
    text = """\
Globals:
  Function: {Timeout: 30}
Resources:
  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: h}}
"""
    assert by_address(template(text))["Fn"].attributes == {"Handler": "h"}


def test_sam_transform_as_list_and_http_api(template: Any) -> None:
    text = """\
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Globals:
  HttpApi:
    DisableExecuteApiEndpoint: true
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
"""
    assert by_address(template(text))["Api"].attributes == {"DisableExecuteApiEndpoint": True}


def test_no_nested_locations_below_functions(template: Any) -> None:
    text = """\
Conditions:
  C: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - IpProtocol: tcp
          CidrIp: 0.0.0.0/0
        - !If [C, {IpProtocol: udp}, {IpProtocol: tcp}]
      Tags: !If [C, [{Key: a, Value: b}], []]
"""
    locations = by_address(template(text))["Group"].attribute_locations
    assert locations == {
        "SecurityGroupIngress": Location("template.yaml", 7, 10),
        "SecurityGroupIngress.0": Location("template.yaml", 8, 9),
        "SecurityGroupIngress.0.IpProtocol": Location("template.yaml", 8, 8),
        "SecurityGroupIngress.0.CidrIp": Location("template.yaml", 9, 9),
        "SecurityGroupIngress.1": Location("template.yaml", 10, 10),
        "Tags": Location("template.yaml", 11, 11),
    }
