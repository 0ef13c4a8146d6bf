"""Recognising templates by content, and reporting bad input as ParseErrors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tutela.sources.cloudformation import load_cloudformation, looks_like_cloudformation

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize("name", ["stack.yaml", "stack.json", "sam.yaml", "bad-resources.yaml"])
def test_templates_are_recognised_by_content(name: str) -> None:
    assert looks_like_cloudformation(read(name), Path(name).suffix)


def test_kubernetes_manifest_is_not_a_template() -> None:
    assert not looks_like_cloudformation(read("k8s-deployment.yaml"), ".yaml")


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n", ".yml"),
        ("Resources:\n  Skill:\n    Type: Alexa::ASK::Skill\n", ".template"),
        ("Resources:\n  Hook:\n    Type: Custom::Cleanup\n", ""),
        ('{\n  "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}\n}', ".json"),
        ("Transform: AWS::Serverless-2016-10-31\nResources: {}\n", ".yaml"),
        ('{"AWSTemplateFormatVersion": "2010-09-09"}', ".json"),
    ],
)
def test_minimal_templates_are_recognised(text: str, suffix: str) -> None:
    assert looks_like_cloudformation(text, suffix)


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n", ".yml"),
        ("resources:\n  - type: AWS::S3::Bucket\n", ".yaml"),  # lower-case key
        ("spec:\n  Resources:\n    X:\n      Type: AWS::SQS::Queue\n", ".yaml"),  # not top level
        ("Resources:\n  cpu: 2\n", ".yaml"),  # no AWS type anywhere
        ('{"resource": {"aws_s3_bucket": {}}}', ".json"),
        ("AWSTemplateFormatVersion: '2010-09-09'\n", ".tf"),  # suffix of another format
        ("", ".yaml"),
    ],
)
def test_other_files_are_not_templates(text: str, suffix: str) -> None:
    assert not looks_like_cloudformation(text, suffix)


# ------------------------------------------------------------------ errors


def test_tab_indentation_is_a_parse_error_with_its_line() -> None:
    result = load_cloudformation(FIXTURES / "tabs.yaml", root=FIXTURES)
    assert result.resources == ()
    (error,) = result.errors
    assert (error.file, error.line, error.column, error.source) == (
        "tabs.yaml",
        6,
        1,
        "cloudformation",
    )
    assert "tab" in error.message


def test_binary_file(template: Any) -> None:
    result = template(
        b"AWSTemplateFormatVersion: x\nResources:\n  A\x00\x01\x02\xff\n", name="a.yaml"
    )
    (error,) = result.errors
    assert (error.line, error.column) == (3, 4)
    assert "binary" in error.message


def test_invalid_utf8(template: Any) -> None:
    result = template(b"Resources:\n  # caf\xe9\n  A: {Type: AWS::SQS::Queue}\n")
    (error,) = result.errors
    assert (error.line, error.column) == (2, 8)
    assert "UTF-8" in error.message


def test_utf8_bom_and_non_ascii_text_are_fine(template: Any) -> None:
    text = "\ufeffResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: café}\n"
    result = template(text.encode("utf-8"))
    assert result.errors == ()
    assert result.resources[0].attributes == {"QueueName": "café"}
    assert result.resources[0].location.start_line == 2


def test_yaml_syntax_error(template: Any) -> None:
    result = template("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: [1, 2\n")
    (error,) = result.errors
    assert error.line == 5
    assert error.message.startswith("invalid YAML")


def test_json_syntax_error(template: Any) -> None:
    text = '{\n  "Resources": {\n    "A": {"Type": "AWS::SQS::Queue",}\n  }\n}\n'
    result = template(text, name="t.json")
    (error,) = result.errors
    assert (error.line, error.column) == (3, 37)
    assert error.message.startswith("invalid JSON")


def test_bad_resources_do_not_hide_the_others(fixture_template: Any) -> None:
    result = fixture_template("bad-resources.yaml")
    assert [r.address for r in result.resources] == ["GoodQueue", "GoodTopic"]
    assert [(e.file, e.line, e.message) for e in result.errors] == [
        ("bad-resources.yaml", 7, "resource MissingType has no Type"),
        ("bad-resources.yaml", 10, "resource NotAMapping is not a mapping"),
        ("bad-resources.yaml", 13, "resource BadProperties: Properties is not a mapping"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Resources: [a, b]\n", 1, "Resources is not a mapping"),
        ("AWSTemplateFormatVersion: x\n\nResources:\n  - a\n", 3, "Resources is not a mapping"),
        ("- just\n- a list\n", 1, "template is not a mapping"),
        ("", 1, "template is empty"),
        ("# only a comment\n", 1, "template is empty"),
        ("AWSTemplateFormatVersion: x\n", 1, "template has no Resources section"),
        ("Parameters: 3\nResources: {}\n", 1, "Parameters is not a mapping"),
    ],
)
def test_structural_errors(template: Any, text: str, line: int, message: str) -> None:
    result = template(text)
    assert [(e.line, e.message) for e in result.errors] == [(line, message)]


def test_parameters_survive_broken_resources(template: Any) -> None:
    result = template("Parameters:\n  P: {Type: String, NoEcho: true}\nResources: oops\n")
    assert [r.address for r in result.resources] == ["Parameters.P"]
    assert [(e.line, e.message) for e in result.errors] == [(3, "Resources is not a mapping")]


def test_unreadable_path_is_a_parse_error(tmp_path: Path) -> None:
    result = load_cloudformation(tmp_path / "missing.yaml", root=tmp_path)
    (error,) = result.errors
    assert error.file == "missing.yaml"
    assert error.line is None
    assert error.message.startswith("cannot read file")


def test_alias_bomb_is_an_error_not_a_hang(template: Any) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines.append("Resources: {}")
    result = template("\n".join(lines) + "\n")
    (error,) = result.errors
    assert "aliases" in error.message


def test_deep_nesting_is_an_error_not_a_crash(template: Any) -> None:
    text = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: " + "[" * 5000 + "]" * 5000
    result = template(text + "\n")
    assert len(result.errors) == 1
    # our own limit, or libyaml's (newer PyYAML wheels stop earlier with their own message)
    assert re.search("nested too deeply|nesting depth", result.errors[0].message)


def test_file_path_relative_to_root_is_posix(tmp_path: Path) -> None:
    nested = tmp_path / "infra" / "stacks"
    nested.mkdir(parents=True)
    path = nested / "queue.yaml"
    path.write_text("Resources:\n  Q: {Type: AWS::SQS::Queue}\n", encoding="utf-8")
    result = load_cloudformation(path, root=tmp_path)
    assert result.resources[0].location.file == "infra/stacks/queue.yaml"
